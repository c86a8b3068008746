// SQL injection on ClickHouse (chDB): every user-supplied string (event name, property names and
// values, nested keys, list elements, distinct ids, `where`/`on` literals) must reach ClickHouse
// as a typed parameter. For hostile strings in every position: (1) none appears in the SQL text,
// (2) the answer equals the reference evaluator's, (3) the tables are intact afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expr } from '../../src/expr/ast.ts';
import { call, lit, prop, scope } from '../../src/expr/ast.ts';
import type { SegmentationQuery } from '../../src/report/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import type { ClickHouseStore } from '../../src/server/store/clickhouse.ts';
import { stored, toRecord } from '../engine/harness.ts';
import { HAVE_CHDB, chdbStore } from './harness.ts';

const HOSTILE = [
  `'; DROP TABLE events; --`,
  `"); DELETE FROM events; --`,
  `' OR '1'='1`,
  `{p1:String}`,
  `{p1:Array(String)}`,
  `\\'`,
  `\\`,
  `\`events\``,
  `) SETTINGS readonly=0 --`,
  `' FORMAT Native`,
  `\u0001 0 \u0002`,
  `*/ SELECT 1 /*`,
  `$.a[0]`,
  `\t\n'\r`,
  `; SYSTEM SHUTDOWN; --`,
] as const;

const T = Date.UTC(2024, 2, 1, 10);
const EVENTS = HOSTILE.flatMap((h, i) => [
  stored(h, T + i * 60_000, h, `h${i}a`, { [h]: h, tags: [h, 'plain', i], nested: { [h]: { [h]: i } }, n: i }),
  stored(h, T + i * 60_000 + 1, `user ${i}`, `h${i}b`, { [h]: [h], tags: [], nested: { other: h }, n: -i }),
]);

describe.skipIf(!HAVE_CHDB)('hostile strings are inert in every position (ClickHouse through chDB)', () => {
  let store: ClickHouseStore;
  beforeAll(async () => {
    store = await chdbStore();
    await store.insertEvents(EVENTS);
  }, 60_000);
  afterAll(async () => store?.close());

  const cases: [string, (h: string) => { event: string; where: Expr | null; on: Expr | null }][] = [
    ['event name', (h) => ({ event: h, where: null, on: null })],
    ['property name in where', (h) => ({ event: h, where: call('==', prop(h), lit(h)), on: null })],
    ['string literal and list elements', (h) => ({ event: h, where: call('in', lit(h), prop('tags')), on: null })],
    ['nested keys', (h) => ({ event: h, where: call('defined', { op: '[]', args: [{ op: '[]', args: [prop('nested'), lit(h)] }, lit(h)] }), on: null })],
    ['on over hostile values (list and scalar)', (h) => ({ event: h, where: null, on: prop(h) })],
    ['on over a list with hostile elements', (h) => ({ event: h, where: null, on: prop('tags') })],
    ['any/all predicate literal, case mapping', (h) => ({ event: h, where: scope('any', 'X', prop('tags'), call('has_prefix', call('upper', { var: 'X' }), call('upper', lit(h)))), on: call('string', prop('missing'), lit(h)) })],
    ['distinct ids (unique measure)', (h) => ({ event: h, where: call('!=', { op: '[]', args: [{ root: 'event' }, lit('distinct_id')] }, lit(h)), on: { op: '[]', args: [{ root: 'event' }, lit('distinct_id')] } })],
  ];

  for (const [name, make] of cases) {
    it(name, async () => {
      for (const h of HOSTILE) {
        const part = make(h);
        const q: SegmentationQuery = { ...part, from: '2024-03-01', to: '2024-03-01', unit: 'hour', type: name.startsWith('distinct') ? 'unique' : 'general', limit: 60, buckets: null };
        const got = await runSegmentation(store, q, { now: new Date(T) });
        const want = referenceSegmentation(EVENTS.map(toRecord), q, { now: T });
        // `\\` (one backslash) is part of the dialect's own regular expressions, and `{p1:…}` is
        // placeholder syntax, present in every statement.
        for (const text of HOSTILE.filter((t) => t !== '\\' && !t.startsWith('{p1:'))) expect(got.meta.sql.includes(text), `${JSON.stringify(text)} in SQL`).toBe(false);
        const { sql: _s, elapsed_ms: _e, ...meta } = got.meta;
        expect({ ...got, meta }, JSON.stringify(h)).toEqual(want);
        expect(want.meta.rows_scanned).toBe(2);
      }
      const [{ n }] = (await store.query<{ n: string }>('SELECT count() AS n FROM events', [])) as [{ n: string }];
      expect(Number(n)).toBe(EVENTS.length);
    }, 120_000);
  }

  it('hostile property names became generated columns; the catalog maps them back', async () => {
    const entries = store.catalog().entries();
    for (const h of HOSTILE) {
      expect(store.catalog().column(h, 'string')).toMatch(/^p\d+_s$/);
      expect(store.catalog().column(h, 'list')).toMatch(/^p\d+_l$/);
    }
    const rows = await store.query<{ property: string }>('SELECT property FROM property_columns ORDER BY seq', []);
    expect(rows.map((r) => r.property)).toEqual(entries.map((e) => e.property));
  });

  it('hostile values travel as positional and named parameters', async () => {
    for (const h of HOSTILE) {
      expect(await store.query('SELECT $1 AS a, {x:String} AS b', { x: h }).catch(() => 'refused')).toBe('refused');
      expect(await store.query('SELECT $1 AS a', [h])).toEqual([{ a: h }]);
      expect(await store.query('SELECT {x:String} AS b', { x: h })).toEqual([{ b: h }]);
    }
  });
});
