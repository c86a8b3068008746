// SQL injection. Trust model: everything in a segmentation query is attacker-controlled text (the
// event name, property names, string literals, list elements, `on`), and so is everything in the
// stored events (property names, values, nested keys, distinct ids). The only SQL text the
// compiler writes itself is its own fixed fragments and identifiers the store generated
// (`p3_s`); every user-supplied string must reach DuckDB as a bound parameter. So for hostile
// strings in every position we check that (1) none of them appears in the SQL text, (2) the
// answer equals the reference evaluator's, (3) the table is intact afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/ast.ts';
import { call, lit, prop, scope } from '../../src/expr/ast.ts';
import type { SegmentationQuery } from '../../src/report/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import type { DuckDbStore } from '../../src/server/store/duckdb.ts';
import { memoryStore, stored, toRecord } from './harness.ts';

const HOSTILE = [
  `'; DROP TABLE events; --`,
  `"); DELETE FROM events; --`,
  `' OR '1'='1`,
  `$1`,
  `?`,
  `{p1:String}`,
  `\\'`,
  `\u0001 0 \u0002`,
  `*/ SELECT 1 /*`,
  `$.a[0]`,
  `/a~1b`,
  `E'\\x27'`,
  `"quoted" ident`,
  `; ATTACH 'x.db'; --`,
] as const;

const T = Date.UTC(2024, 2, 1, 10);
const EVENTS = HOSTILE.flatMap((h, i) => [
  stored(h, T + i * 60_000, h, `h${i}a`, { [h]: h, tags: [h, 'plain', i], nested: { [h]: { [h]: i } }, n: i }),
  stored(h, T + i * 60_000 + 1, `user ${i}`, `h${i}b`, { [h]: [h], tags: [], nested: { other: h }, n: -i }),
]);

describe('hostile strings are inert in every position', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await memoryStore();
    await store.insertEvents(EVENTS);
  });
  afterAll(async () => store.close());

  const cases: [string, (h: string) => { event: string; where: Expr | null; on: Expr | null }][] = [
    ['event name', (h) => ({ event: h, where: null, on: null })],
    ['property name in where', (h) => ({ event: h, where: call('==', prop(h), lit(h)), on: null })],
    ['string literal and list elements', (h) => ({ event: h, where: call('in', lit(h), prop('tags')), on: null })],
    ['nested keys', (h) => ({ event: h, where: call('defined', { op: '[]', args: [{ op: '[]', args: [prop('nested'), lit(h)] }, lit(h)] }), on: null })],
    ['on over hostile values (list and scalar)', (h) => ({ event: h, where: null, on: prop(h) })],
    ['on over a list with hostile elements', (h) => ({ event: h, where: null, on: prop('tags') })],
    ['any/all predicate literal', (h) => ({ event: h, where: scope('any', 'X', prop('tags'), call('has_prefix', { var: 'X' }, lit(h))), on: call('string', prop('missing'), lit(h)) })],
    ['distinct ids (unique measure)', (h) => ({ event: h, where: call('!=', { op: '[]', args: [{ root: 'event' }, lit('distinct_id')] }, lit(h)), on: { op: '[]', args: [{ root: 'event' }, lit('distinct_id')] } })],
  ];

  for (const [name, make] of cases) {
    it(name, async () => {
      for (const h of HOSTILE) {
        const part = make(h);
        const q: SegmentationQuery = { ...part, from: '2024-03-01', to: '2024-03-01', unit: 'hour', type: name.startsWith('distinct') ? 'unique' : 'general', limit: 60, buckets: null };
        const got = await runSegmentation(store, q, { now: new Date(T) });
        const want = referenceSegmentation(EVENTS.map(toRecord), q, { now: T });
        // (`$1` and `?` are placeholder syntax, present in every statement.)
        for (const text of HOSTILE.filter((t) => t !== '$1' && t !== '?')) expect(got.meta.sql.includes(text), `${JSON.stringify(text)} in SQL`).toBe(false);
        const { sql: _s, elapsed_ms: _e, ...meta } = got.meta;
        expect({ ...got, meta }).toEqual(want);
        expect(want.meta.rows_scanned).toBe(2);
      }
      const [{ n }] = await store.query<{ n: number | string }>('SELECT count(*) AS n FROM events', []);
      expect(Number(n)).toBe(EVENTS.length);
    });
  }
});
