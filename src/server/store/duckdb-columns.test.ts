// insertColumns (the bulk import's path: events taken apart on another thread) must store exactly
// what insertEvents stores for the same events: every column, the derived list strings, the
// dedupe, the new columns and the stats.
import { describe, expect, it } from 'vitest';
import { EventColumnsBuilder } from '../ingest/event-columns.ts';
import { openDuckDbStore } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import type { StoredEvent } from './types.ts';

const T0 = Date.UTC(2024, 0, 1);
const VALUES: unknown[] = [
  'short', 'x'.repeat(12), 'x'.repeat(13), '東京タワー', 'é'.repeat(7), '🎉', '', "'; DROP TABLE events; --",
  0, -0, 1.5, -1e21, 1e-7, true, false, null,
  [], ['a', 1, null, 'b'], ['x'.repeat(13), '東京', { a: 'b' }, ['n']], { nested: { deep: [1, 'two'] } },
];

function events(count: number, from = 0): StoredEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const properties: Record<string, unknown> = { n: i, v: VALUES[i % VALUES.length], [`k${i % 5}`]: VALUES[(i * 7) % VALUES.length] };
    if (i % 3 === 0) properties['ünï "quoted"'] = `u${i}`;
    return { event: ['Page View', 'Signüp', 'x'.repeat(40)][i % 3]!, time: T0 + i * 1000, distinct_id: `user-${i % 11}`, insert_id: `id-${i}`, properties };
  });
}

function columnsOf(list: StoredEvent[]) {
  const builder = new EventColumnsBuilder();
  for (const e of list) builder.add(e);
  return builder.take();
}

/** Rows with typed columns named by (property, type) instead of p<N>, so catalogs built in another order compare equal. */
async function dump(store: DuckDbStore): Promise<unknown[]> {
  const label = new Map<string, string>();
  for (const entry of store.catalog().entries()) {
    label.set(entry.column, `${entry.property}:${entry.type}`);
    if (entry.type === 'list') label.set(`${entry.column}s`, `${entry.property}:strings`);
  }
  const rows = await store.query<Record<string, unknown>>('SELECT * FROM events ORDER BY insert_id, time', []);
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null).map(([k, v]) => [label.get(k) ?? k, v]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))));
}

describe('DuckDbStore.insertColumns', () => {
  it('stores what insertEvents stores, across chunk boundaries, with the same dedupe and stats', async () => {
    const a = await openDuckDbStore({ path: ':memory:', threads: 1 });
    const b = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      await a.stats();
      await b.stats();
      const first = events(4500);
      // The second batch repeats 100 stored events, one in-batch copy, and skips rows 0-9 (not given).
      const second = [...events(10, 9000), ...events(100, 4400), ...events(600, 4500), ...events(1, 4500)];
      expect(await a.insertEvents(first)).toEqual({ inserted: 4500, duplicates: 0 });
      expect(await a.insertEvents(second.slice(10))).toEqual({ inserted: 600, duplicates: 101 });
      expect(await b.insertColumns(columnsOf(first), Array.from({ length: 4500 }, (_, i) => i))).toEqual({ inserted: 4500, duplicates: 0 });
      const batch = columnsOf(second);
      expect(await b.insertColumns(batch, Array.from({ length: second.length - 10 }, (_, i) => i + 10))).toEqual({ inserted: 600, duplicates: 101 });

      const [rowsA, rowsB] = [await dump(a), await dump(b)];
      expect(rowsB).toHaveLength(5100);
      expect(rowsB).toEqual(rowsA);
      const statsOf = async (s: DuckDbStore) => [...(await s.stats())].map(([name, st]) => [name, st.count, st.columns.size]).sort();
      expect(await statsOf(b)).toEqual(await statsOf(a));
      const [{ n }] = await b.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE list_contains(${b.catalog().listStrings('v')}, '東京')`, []);
      expect(n).toBe(rowsA.filter((r) => JSON.stringify((r as Record<string, unknown>)['v:list'] ?? '').includes('東京')).length);
      expect(n).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('adds columns only for rows it stores, and refuses a row outside the batch', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      const batch = columnsOf([
        { event: 'E', time: T0, distinct_id: 'u', insert_id: 'a', properties: { kept: 1 } },
        { event: 'E', time: T0, distinct_id: 'u', insert_id: 'b', properties: { skipped: 'x' } },
      ]);
      await store.insertColumns(batch, [0]);
      expect(store.catalog().entries().map((e) => e.property)).toEqual(['kept']);
      await expect(store.insertColumns(batch, [2])).rejects.toThrow(/row 2 is not in the batch of 2/);
    } finally {
      await store.close();
    }
  });
});
