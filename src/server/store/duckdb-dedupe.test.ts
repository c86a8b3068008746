import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import type { StoredEvent } from './types.ts';

function ev(insertId: string, event = 'E', properties: Record<string, unknown> = {}): StoredEvent {
  return { event, time: Date.UTC(2024, 0, 1), distinct_id: 'u', insert_id: insertId, properties };
}

describe('insertEvents dedupe by insert_id and time', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await openDuckDbStore({ path: ':memory:', threads: 1 });
  });
  afterEach(async () => {
    await store.close();
  });

  const stored = () => store.query<{ insert_id: string; event: string }>('SELECT insert_id, event FROM events ORDER BY insert_id, event', []);

  it('keeps the first event of an insert_id within a batch', async () => {
    expect(await store.insertEvents([ev('a', 'first'), ev('b'), ev('a', 'second'), ev('a', 'third')])).toEqual({ inserted: 2, duplicates: 2 });
    expect(await stored()).toEqual([
      { insert_id: 'a', event: 'first' },
      { insert_id: 'b', event: 'E' },
    ]);
  });

  it('skips events whose insert_id and time are already stored, whatever their event', async () => {
    await store.insertEvents([ev('a'), ev('b')]);
    expect(await store.insertEvents([ev('a', 'other'), ev('c'), ev('b')])).toEqual({ inserted: 1, duplicates: 2 });
    expect(await stored()).toEqual([
      { insert_id: 'a', event: 'E' },
      { insert_id: 'b', event: 'E' },
      { insert_id: 'c', event: 'E' },
    ]);
  });

  it('stores an insert_id sent again at another time as a new event (Mixpanel dedupes on id and time)', async () => {
    await store.insertEvents([ev('a')]);
    const later = { ...ev('a', 'other'), time: Date.UTC(2030, 0, 1) };
    const sameMs = { ...ev('a', 'retry'), time: Date.UTC(2024, 0, 1) + 0.4 };
    expect(await store.insertEvents([later, sameMs])).toEqual({ inserted: 1, duplicates: 1 });
    expect(await stored()).toEqual([
      { insert_id: 'a', event: 'E' },
      { insert_id: 'a', event: 'other' },
    ]);
  });

  it('finds a stored duplicate among a large table by its time range', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...ev(`m${i}`), time: Date.UTC(2024, 0, 1) + i * 60_000 }));
    await store.insertEvents(many);
    const retry = [many[4321], { ...ev('new'), time: Date.UTC(2024, 0, 1) + 4321 * 60_000 }];
    expect(await store.insertEvents(retry)).toEqual({ inserted: 1, duplicates: 1 });
  });

  it('treats insert_ids as exact strings (case, unicode, quotes)', async () => {
    const ids = ['A', 'a', 'ä', 'a\u0308', `"'; DROP TABLE events; --`, ''];
    expect(await store.insertEvents(ids.map((id) => ev(id)))).toEqual({ inserted: 6, duplicates: 0 });
    expect(await store.insertEvents(ids.map((id) => ev(id)))).toEqual({ inserted: 0, duplicates: 6 });
  });

  it('serialises concurrent batches so the same ids are stored once', async () => {
    const batch = Array.from({ length: 500 }, (_, i) => ev(`id-${i}`, 'E', { i }));
    const results = await Promise.all([store.insertEvents(batch), store.insertEvents(batch), store.insertEvents(batch.slice(250))]);
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(500);
    expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(750);
    expect(await store.query('SELECT count(*)::INTEGER AS n, count(DISTINCT insert_id)::INTEGER AS d FROM events', [])).toEqual([{ n: 500, d: 500 }]);
  });

  it('adds no columns for a batch made only of duplicates', async () => {
    await store.insertEvents([ev('a', 'E', { x: 1 })]);
    expect(await store.insertEvents([ev('a', 'E', { y: 'new' })])).toEqual({ inserted: 0, duplicates: 1 });
    expect(store.catalog().column('y', 'string')).toBeNull();
    expect(store.catalog().entries().length).toBe(1);
    expect(await store.query('SELECT count(*)::INTEGER AS n FROM events', [])).toEqual([{ n: 1 }]);
  });

  it('writes a large batch across many chunks intact', async () => {
    const batch = Array.from({ length: 5000 }, (_, i) =>
      ev(`id-${i}`, i % 2 ? 'odd' : 'even', i % 3 === 0 ? { i, s: `v${i}`, long: 'x'.repeat(i % 40) } : { i: `${i}`, flag: i % 5 === 0 }),
    );
    expect(await store.insertEvents(batch)).toEqual({ inserted: 5000, duplicates: 0 });
    const catalog = store.catalog();
    const [row] = await store.query<Record<string, number>>(
      `SELECT count(*)::INTEGER AS n, sum("${catalog.column('i', 'number')}")::INTEGER AS num_sum, count("${catalog.column('i', 'string')}")::INTEGER AS str_count,
              count_if("${catalog.column('flag', 'boolean')}")::INTEGER AS flags, sum(length("${catalog.column('long', 'string')}"))::INTEGER AS long_len,
              count_if(json_extract(properties, '$.i') IS NULL)::INTEGER AS missing_json
       FROM events`,
      [],
    );
    let numSum = 0;
    let strCount = 0;
    let flags = 0;
    let longLen = 0;
    for (let i = 0; i < 5000; i++) {
      if (i % 3 === 0) {
        numSum += i;
        longLen += i % 40;
      } else {
        strCount++;
        if (i % 5 === 0) flags++;
      }
    }
    expect(row).toEqual({ n: 5000, num_sum: numSum, str_count: strCount, flags, long_len: longLen, missing_json: 0 });
  });
});
