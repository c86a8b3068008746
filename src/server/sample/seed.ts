// Loads the sample events into a store, batch by batch, reporting progress.

import type { Store } from '../store/types.ts';
import { DEFAULT_SAMPLE, sampleBatches } from './generate.ts';
import type { SampleOptions } from './generate.ts';

export type SeedProgress = {
  /** Events handed to the store so far. */
  done: number;
  total: number;
  /** Rate since the start, generation included. */
  eventsPerSecond: number;
  elapsedMs: number;
};

export type SeedOptions = SampleOptions & {
  /** Events per insertEvents() call (default 100,000: one transaction each). */
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
};

export type SeedResult = { inserted: number; duplicates: number; elapsedMs: number; eventsPerSecond: number };

export async function seedSampleData(store: Store, options: SeedOptions = {}): Promise<SeedResult> {
  const total = Math.max(0, Math.floor(options.events ?? DEFAULT_SAMPLE.events));
  const started = performance.now();
  let inserted = 0;
  let duplicates = 0;
  let done = 0;
  const progress = (): SeedProgress => {
    const elapsedMs = performance.now() - started;
    return { done, total, elapsedMs, eventsPerSecond: elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0 };
  };
  options.onProgress?.(progress());
  for (const batch of sampleBatches({ ...options, events: total }, options.batchSize ?? 100_000)) {
    const result = await store.insertEvents(batch);
    inserted += result.inserted;
    duplicates += result.duplicates;
    done += batch.length;
    options.onProgress?.(progress());
  }
  const { elapsedMs, eventsPerSecond } = progress();
  return { inserted, duplicates, elapsedMs, eventsPerSecond };
}
