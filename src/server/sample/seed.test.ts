import { describe, expect, it } from 'vitest';
import { listEvents, listProperties, openDuckDbStore } from '../store/duckdb.ts';
import { seedSampleData } from './seed.ts';
import type { SeedProgress } from './seed.ts';

describe('seedSampleData', () => {
  it('loads the sample into a store with progress, and a second load adds nothing', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      const progress: SeedProgress[] = [];
      const options = { seed: 3, events: 12_000, users: 500, days: 30, endDate: '2024-03-31', batchSize: 5_000 };
      const result = await seedSampleData(store, { ...options, onProgress: (p) => progress.push(p) });
      expect(result).toMatchObject({ inserted: 12_000, duplicates: 0 });
      expect(progress.map((p) => p.done)).toEqual([0, 5_000, 10_000, 12_000]);
      expect(progress.every((p) => p.total === 12_000 && p.eventsPerSecond >= 0)).toBe(true);
      const [row] = await store.query<{ n: number; first: string; last: string }>(
        'SELECT count(*)::INTEGER AS n, min(time)::VARCHAR AS first, max(time)::VARCHAR AS last FROM events',
        [],
      );
      expect(row!.n).toBe(12_000);
      expect(row!.first >= '2024-03-02').toBe(true);
      expect(row!.last < '2024-04-01').toBe(true);
      expect((await listEvents(store))[0]!.name).toBe('Page View');
      const properties = await listProperties(store, 'Purchase');
      expect(properties.find((p) => p.name === 'address')?.types).toEqual([{ type: 'object', count: expect.any(Number) }]);
      expect(properties.find((p) => p.name === 'coupon')?.types.map((t) => t.type).sort()).toEqual(['null', 'string']);
      const again = await seedSampleData(store, options);
      expect(again).toMatchObject({ inserted: 0, duplicates: 12_000 });
    } finally {
      await store.close();
    }
  });
});
