// Every conformance case (test/fixtures/expressions.jsonl) evaluated in SQL, on DuckDB and on
// ClickHouse (chDB, when installed), must give the expected typed value, with closed subtrees
// folded and without folding (so literal arithmetic and casts run in SQL too).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/expr/parse.ts';
import type { Expr, TypedValue } from '../../src/expr/ast.ts';
import type { Store } from '../../src/server/store/types.ts';
import { HAVE_CHDB, chTypedValues, chdbStore } from '../clickhouse/harness.ts';
import { memoryStore, sqlTypedValues } from './harness.ts';

type Case = { expr: string; event?: { event: string; properties: Record<string, unknown> }; expect?: TypedValue; error?: true };
const cases: Case[] = readFileSync(new URL('../fixtures/expressions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case)
  .filter((c) => !c.error);

type Engine<S extends Store> = {
  name: string;
  available: boolean;
  open(): Promise<S>;
  values(store: S, exprs: Expr[], now: number, fold: boolean): Promise<TypedValue[][]>;
};
const engine = <S extends Store>(e: Engine<S>): Engine<Store> => e as unknown as Engine<Store>;
const ENGINES = [
  engine({ name: 'DuckDB', available: true, open: memoryStore, values: sqlTypedValues }),
  engine({ name: 'ClickHouse through chDB', available: HAVE_CHDB, open: chdbStore, values: chTypedValues }),
];

describe.each(ENGINES)('conformance cases in SQL ($name)', ({ available, open, values: typedValues }) => {
  if (!available) {
    it.skip('needs chdb (bash scripts/ensure-chdb.sh)', () => {});
    return;
  }
  let store: Store;
  const NOW = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    store = await open();
    // One stored event per distinct conformance event; its time/distinct_id come from properties.
    const seen = new Map<string, number>();
    const events = [];
    for (const c of cases) {
      const key = JSON.stringify(c.event);
      if (seen.has(key)) continue;
      seen.set(key, seen.size);
      const p = c.event!.properties;
      events.push({ event: c.event!.event, time: (p.time as number) * 1000, distinct_id: String(p.distinct_id), insert_id: `e${String(seen.size).padStart(4, '0')}`, properties: p });
    }
    await store.insertEvents(events);
  }, 60_000);
  afterAll(async () => store?.close());

  for (const fold of [true, false]) {
    it(`passes every case (fold=${fold})`, async () => {
      const keys = cases.map((c) => JSON.stringify(c.event));
      const order = [...new Set(keys)];
      const values = await typedValues(store, cases.map((c) => parse(c.expr)), NOW, fold);
      const failures: string[] = [];
      cases.forEach((c, i) => {
        const got = values[i]![order.indexOf(keys[i]!)];
        if (JSON.stringify(got) !== JSON.stringify(c.expect)) failures.push(`${c.expr}: got ${JSON.stringify(got)}, want ${JSON.stringify(c.expect)}`);
      });
      expect(failures).toEqual([]);
      expect(cases.length).toBeGreaterThan(90);
    }, 120_000);
  }
});
