// Hand-picked values where SQL engines and JavaScript tend to part ways, each expression checked
// per event against the reference evaluator (with and without folding).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/expr/parse.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { toTyped } from '../../src/expr/value.ts';
import type { DuckDbStore } from '../../src/server/store/duckdb.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import { memoryStore, sqlTypedValues, stored, toRecord } from './harness.ts';

const T = Date.UTC(2024, 1, 1, 12);
let deep: unknown = 1;
for (let i = 0; i < 60; i++) deep = i % 2 ? [deep] : { d: deep };

const EVENTS: StoredEvent[] = [
  stored('A', T, 'u1', 'e1', { o1: { a: 1, b: { c: [1, { x: 2, y: 3 }] } }, o2: { b: { c: [1, { y: 3, x: 2 }] }, a: 1 }, l1: [1, 'a', null, [2]], l2: [1, 'a', null, [2]] }),
  stored('A', T + 1, 'u2', 'e2', { o1: { a: 1 }, o2: { a: 1.5 }, l1: [[1, 2]], l2: [[2, 1]], s: 'abc\u0000def', n: -0 }),
  stored('A', T + 2, 'u3', 'e3', { s: '\ufeffbom', n: 1e21, l1: [], o1: {}, deep, big: 2 ** 64, tiny: 5e-324 }),
  stored('A', T + 3, 'u4', 'e4', { s: 'x'.repeat(10_000), n: 0.1, l1: ['2024-02-01', '2024-02-01T12:00:00Z'], o1: { 'a/b': 1, '~': 2, '': 3 } }),
  stored('A', T + 4, 'u5', 'e5', { s: 'ΑΣ ß İ', l1: [1, 1, 1e21, -0, 0.1 + 0.2], o1: { a: { b: { c: { d: { e: 1 } } } } }, o2: { a: { b: { c: { d: { e: 1 } } } } } }),
];

const EXPRS = [
  'properties["o1"] == properties["o2"]',
  'properties["l1"] == properties["l2"]',
  'properties["l1"] in [[1, 2], [1, "a", null, [2]]]',
  'properties["o1"] in [properties["o2"]]',
  'properties["s"]',
  'len(properties["s"])',
  'upper(properties["s"])',
  'lower(properties["s"])',
  'string(properties["n"])',
  'properties["n"] == 0',
  'properties["deep"]',
  'properties["deep"]["d"]',
  'properties["big"]',
  'string(properties["tiny"])',
  'properties["o1"]["a/b"] + properties["o1"]["~"] + properties["o1"][""]',
  'any(X, properties["l1"], datetime(X) == datetime("2024-02-01T12:00:00Z"))',
  'any(X, properties["l1"], X < datetime("2024-02-01T06:00:00Z"))',
  'all(X, properties["l1"], X == 1 or X == 1e21 or X == 0 or X > 0.3)',
  'len(properties["l1"]) + len(properties["o1"])',
  'boolean(properties["o1"])',
  'properties["l1"][properties["n"]]',
  '[properties["n"], properties["s"]][0]',
  'string(properties["missing"], [now(), properties["l1"]])',
  'properties',
  'event',
  'event == event',
  'properties["o1"] == event',
  'defined(properties[event["name"]])',
  // A list argument DuckDB folds to a constant NULL (unfolded runs): the lambda must still bind.
  'all(Y, string(boolean(properties["missing"]), []), "X")',
  'any(X, string(boolean(properties["missing"]), ["a"]), X == "a")',
  'string(boolean(properties["missing"]), [1]) in [[1]]',
];

describe('edge values: SQL equals the reference evaluator', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await memoryStore();
    await store.insertEvents(EVENTS);
  });
  afterAll(async () => store.close());

  for (const fold of [true, false]) {
    it(`every expression on every event (fold=${fold})`, async () => {
      const exprs = EXPRS.map((t) => parse(t));
      const got = await sqlTypedValues(store, exprs, T, fold);
      const records = EVENTS.map(toRecord);
      const diffs: string[] = [];
      exprs.forEach((e, i) =>
        records.forEach((r, j) => {
          const want = toTyped(evaluate(e, r, { now: T }));
          try {
            expect(got[i]![j]).toEqual(want);
          } catch {
            diffs.push(`${EXPRS[i]} on e${j + 1}: sql ${JSON.stringify(got[i]![j]).slice(0, 200)} reference ${JSON.stringify(want).slice(0, 200)}`);
          }
        }),
      );
      expect(diffs).toEqual([]);
    });
  }

  it('runs a segmentation whose where and on hold a list DuckDB folds to NULL', async () => {
    const q = {
      event: 'A', from: '2024-02-01', to: '2024-02-02', unit: 'day' as const, type: 'general' as const, limit: 60, buckets: null,
      where: parse('not all(Y, string(boolean(properties["missing"]), []), "X")'),
      on: parse('all(Y, string(boolean(properties["n"]), []), "X")'),
    };
    const got = await runSegmentation(store, q, { now: new Date(T) });
    const want = referenceSegmentation(EVENTS.map(toRecord), q, { now: T });
    expect(got.totals).toEqual(want.totals);
    expect(got.values).toEqual(want.values);
    expect(Object.values(got.totals).reduce((a, b) => a + b, 0)).toBe(EVENTS.length);
  });
});
