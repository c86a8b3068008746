// runSegmentation on a real :memory: DuckDB against referenceSegmentation on the same events, for
// hand-picked queries covering every measure, unit, list-valued `on`, numeric buckets and limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/expr/parse.ts';
import type { SegmentationQuery } from '../../src/report/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import type { DuckDbStore } from '../../src/server/store/duckdb.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { memoryStore, stored, toRecord } from './harness.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 29); // a Monday
const NOW = new Date(Date.UTC(2024, 2, 1));

function sampleEvents(): StoredEvent[] {
  const out: StoredEvent[] = [];
  const browsers = ['Chrome', 'Firefox', '\ufeffSafari', null, undefined];
  for (let i = 0; i < 400; i++) {
    const props: Record<string, unknown> = {
      price: (i * 37) % 101,
      tags: i % 3 === 0 ? ['a', 'b', 'a'] : i % 3 === 1 ? [] : ['b', 1, null, [2], { x: 1 }],
      mixed: i % 4 === 0 ? 'x' : i % 4 === 1 ? 2 : i % 4 === 2 ? true : { o: 1 },
    };
    const b = browsers[i % 5];
    if (b !== undefined) props.browser = b;
    out.push(stored(i % 7 === 0 ? 'Signup' : 'Purchase', T0 + i * 3_600_000 * 5 + (i % 60) * 60_000, `u${i % 23}`, `id${i}`, props));
  }
  return out;
}

const base: SegmentationQuery = { event: 'Purchase', from: '2024-01-29', to: '2024-03-10', unit: 'day', where: null, on: null, type: 'general', limit: 60, buckets: null };
const q = (over: Partial<Omit<SegmentationQuery, 'where' | 'on'>> & { where?: string; on?: string }): SegmentationQuery => ({
  ...base,
  ...over,
  where: over.where ? parse(over.where) : null,
  on: over.on ? parse(over.on) : null,
});

const QUERIES: [string, SegmentationQuery][] = [
  ['no where, no on', q({})],
  ['where only', q({ where: 'properties["price"] > 50' })],
  ['on a string with missing/null', q({ on: 'properties["browser"]' })],
  ['on a list', q({ on: 'properties["tags"]' })],
  ['on mixed types (object gives no segment)', q({ on: 'properties["mixed"]', type: 'unique' })],
  ['average by week', q({ on: 'properties["browser"]', type: 'average', unit: 'week' })],
  ['unique by month, limit 2', q({ on: 'properties["browser"]', type: 'unique', unit: 'month', limit: 2 })],
  ['hour', q({ unit: 'hour', from: '2024-02-01', to: '2024-02-02', on: 'properties["price"] % 3' })],
  ['minute', q({ unit: 'minute', from: '2024-02-01', to: '2024-02-01', where: 'properties["price"] < 80' })],
  ['numeric buckets', q({ on: 'properties["price"]', buckets: 4 })],
  ['numeric buckets over a mixed list', q({ on: 'properties["tags"]', buckets: 3 })],
  ['on a list literal', q({ on: '[properties["browser"], "all", properties["browser"]]' })],
  ['where matches nothing', q({ where: 'properties["price"] > 1000' })],
  ['limit 1 with ties', q({ on: 'properties["price"] % 2', limit: 1, type: 'general' })],
];

describe('runSegmentation equals referenceSegmentation', () => {
  let store: DuckDbStore;
  const events = sampleEvents();
  beforeAll(async () => {
    store = await memoryStore();
    await store.insertEvents(events);
  });
  afterAll(async () => store.close());

  for (const [name, query] of QUERIES) {
    it(name, async () => {
      const got = await runSegmentation(store, query, { now: NOW });
      const want = referenceSegmentation(events.map(toRecord), query, { now: NOW });
      const { sql, elapsed_ms, ...meta } = got.meta;
      expect({ ...got, meta }).toEqual(want);
      expect(sql).toContain('SELECT');
      expect(elapsed_ms).toBeGreaterThanOrEqual(0);
      expect(want.meta.rows_scanned).toBeGreaterThan(0);
    });
  }
});
