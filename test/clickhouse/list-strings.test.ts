// The ClickHouse store's string-elements columns (catalog.ts): computed by ClickHouse from the
// list's JSON as the column DEFAULT, at insert for new rows and on read for rows stored before the
// column existed; membership (`in`, any(X, L, X == s)) reads them and agrees with DuckDB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/expr/parse.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import { openChdbStore } from '../../src/server/store/chdb.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { memoryStore } from '../engine/harness.ts';
import { HAVE_CHDB } from './harness.ts';

const T = Date.UTC(2024, 1, 1, 12);
const TAGS: unknown[] = [['sale', 1, null, 'new'], [], ['x'.repeat(40), 'é 😀', 'sale'], [['sale'], { sale: 1 }], 'sale', ['"sale"', "'; DROP TABLE events; --"]];
const EVENTS: StoredEvent[] = TAGS.map((tags, i) => ({ event: 'E', time: T + i, distinct_id: `u${i}`, insert_id: `i${i}`, properties: i % 2 ? { tags } : { tags, want: 'sale' } }));
const expected = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

describe.skipIf(!HAVE_CHDB)('string elements of list properties (ClickHouse through chDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'segscope-chdb-ls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are computed for new rows and, after the column is added to an older table, for old ones', async () => {
    const path = join(dir, 'db');
    let store = await openChdbStore({ path });
    await store.insertEvents(EVENTS.slice(0, 4));
    const column = store.catalog().listStrings('tags');
    expect(column).toMatch(/^p\d+_ls$/);
    const read = async () => {
      const rows = await store.query<{ id: string; s: string[] }>(`SELECT insert_id AS id, "${column}" AS s FROM events ORDER BY insert_id`, []);
      return Object.fromEntries(rows.map((r) => [r.id, r.s]));
    };
    expect(await read()).toEqual(Object.fromEntries(EVENTS.slice(0, 4).map((e) => [e.insert_id, expected(e.properties.tags)])));
    // An older table: the same rows without the column. Opening again adds it back.
    await store.execute(`ALTER TABLE events DROP COLUMN "${column}"`, []);
    await store.close();
    store = await openChdbStore({ path });
    await store.insertEvents(EVENTS.slice(4));
    expect(await read()).toEqual(Object.fromEntries(EVENTS.map((e) => [e.insert_id, expected(e.properties.tags)])));

    const duck = await memoryStore();
    try {
      await duck.insertEvents(EVENTS);
      for (const where of ['"sale" in properties["tags"]', 'any(X, properties["tags"], X == "sale")', 'not ("sale" in properties["tags"])', 'properties["want"] in properties["tags"]']) {
        const q = { event: 'E', from: '2024-02-01', to: '2024-02-01', unit: 'day' as const, type: 'general' as const, limit: 60, buckets: null, where: parse(where), on: null };
        const got = await runSegmentation(store, q, { now: new Date(T) });
        expect(got.meta.sql, where).toContain(`has("${column}"`);
        const want = await runSegmentation(duck, q, { now: new Date(T) });
        expect(got.meta.events_matched, where).toBe(want.meta.events_matched);
      }
    } finally {
      await duck.close();
      await store.close();
    }
  }, 120_000);
});
