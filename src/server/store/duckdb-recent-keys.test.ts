// Dedupe from memory (recent-keys.ts) must answer exactly what the table probe answers: batches
// newer than the table skip the probe, anything older or after an execute() on `events` probes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from './duckdb.ts';
import { RecentKeys } from './recent-keys.ts';
import type { StoredEvent } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'segscope-recent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.UTC(2024, 0, 1);
const ev = (id: string, time: number, event = 'E'): StoredEvent => ({ event, time, distinct_id: 'u', insert_id: id, properties: { n: 1 } });
const batch = (from: number, n: number, time: number) => Array.from({ length: n }, (_, i) => ev(`id-${from + i}`, time + i));

describe('dedupe of batches newer than the table', () => {
  it('finds copies across large batches (not listed in memory) by probing', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      expect(await store.insertEvents(batch(0, 12_000, T))).toEqual({ inserted: 12_000, duplicates: 0 });
      // Overlaps the first batch's times: probed in the table.
      expect(await store.insertEvents(batch(11_000, 12_000, T + 11_000))).toEqual({ inserted: 11_000, duplicates: 1000 });
      // Past everything: stored without a lookup, and a retry of it is still found.
      expect(await store.insertEvents(batch(50_000, 10, T + 50_000))).toEqual({ inserted: 10, duplicates: 0 });
      expect(await store.insertEvents(batch(50_000, 10, T + 50_000))).toEqual({ inserted: 0, duplicates: 10 });
    } finally {
      await store.close();
    }
  });

  it('finds the copies of recent rows, and none after the rows were deleted', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      expect(await store.insertEvents(batch(0, 300, T))).toEqual({ inserted: 300, duplicates: 0 });
      // A retry of the last 100 plus 50 new ones (all at or past the oldest time of the first batch).
      expect(await store.insertEvents([...batch(200, 100, T + 200), ...batch(300, 50, T + 300)])).toEqual({ inserted: 50, duplicates: 100 });
      // The same id at another time is another event.
      expect(await store.insertEvents([ev('id-5', T + 10_000)])).toEqual({ inserted: 1, duplicates: 0 });
      await store.execute('DELETE FROM events WHERE insert_id = $1', ['id-299']);
      expect(await store.insertEvents([ev('id-299', T + 299), ev('id-298', T + 298)])).toEqual({ inserted: 1, duplicates: 1 });
      const [{ n }] = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events', []);
      expect(n).toBe(351);
    } finally {
      await store.close();
    }
  });

  it('finds rows stored before the store was opened, older and newer batches alike', async () => {
    const path = join(dir, 'reopen.duckdb');
    const first = await openDuckDbStore({ path, threads: 1 });
    await first.insertEvents(batch(0, 100, T));
    await first.close();
    const store = await openDuckDbStore({ path, threads: 1 });
    try {
      expect(await store.insertEvents(batch(0, 10, T))).toEqual({ inserted: 0, duplicates: 10 });
      expect(await store.insertEvents(batch(99, 2, T + 99))).toEqual({ inserted: 1, duplicates: 1 });
      expect(await store.insertEvents(batch(100, 1, T + 100))).toEqual({ inserted: 0, duplicates: 1 });
      expect(await store.insertEvents(batch(500, 5, T + 500))).toEqual({ inserted: 5, duplicates: 0 });
      expect(await store.insertEvents(batch(500, 5, T + 500))).toEqual({ inserted: 0, duplicates: 5 });
    } finally {
      await store.close();
    }
  });
});

describe('RecentKeys', () => {
  it('covers only batches at or past its floor, and starts over past the newest time when full', () => {
    const keys = new RecentKeys(3);
    expect(keys.covers(T)).toBe(false);
    keys.start(T);
    expect([keys.covers(T), keys.covers(T + 1), keys.covers(T + 1.9)]).toEqual([false, true, true]);
    keys.add(['a', 'b', 'old'], [T + 5, T + 6, T - 50]);
    expect([keys.has('a'), keys.has('b'), keys.has('old')]).toEqual([true, true, false]);
    keys.add(['c', 'd'], [T + 7, T + 9]);
    // Full: forgets every key, so only batches past the newest stored time (T + 9) are covered.
    expect([keys.has('a'), keys.has('d'), keys.covers(T + 9), keys.covers(T + 10)]).toEqual([false, false, false, true]);
    keys.forget();
    expect(keys.covers(T + 1e9)).toBe(false);
  });

  it('lists no large batch: it starts over past the batch, so only newer batches are covered', () => {
    const keys = new RecentKeys(100, 2);
    keys.start(null);
    keys.add(['a'], [T]);
    expect([keys.has('a'), keys.newerThanAll(T), keys.newerThanAll(T + 1)]).toEqual([true, false, true]);
    keys.add(null, [T + 5, T + 3, T + 4]);
    expect([keys.has('a'), keys.covers(T + 5), keys.covers(T + 6), keys.newerThanAll(T + 6)]).toEqual([false, false, true, true]);
  });

  it('covers every batch of an empty table', () => {
    const keys = new RecentKeys();
    keys.start(null);
    expect(keys.covers(-1e12)).toBe(true);
  });
});
