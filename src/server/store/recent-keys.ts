// The dedupe keys (insert_id, time to the ms) of the newest stored rows, in memory, so a batch
// newer than everything else the table holds is deduped without asking DuckDB. Live ingestion
// sends events stamped about now, so nearly every /track batch is such a batch.
//
// Exact by construction: `keys` holds the key of every stored row whose time is at or past
// `floor` (and only of stored rows), so a batch whose times all reach `floor` can only match rows
// listed here; older batches are probed in the table as before. The floor starts just past the
// table's greatest time, keys are added after each commit, and when the set is full it starts
// over with the floor past the newest time stored (memory stays bounded; the next batches that
// reach back before it are probed). Anything else that may have changed `events` (execute())
// makes the store forget it all and read the greatest time again.
//
// Large batches (bulk import) are not listed: hashing a million keys cost the writing thread
// ~1.6 s per million events, more than the probe it spares (which runs on DuckDB's threads).
// After such a batch the set starts over past its newest time, so a time-ordered import's next
// batch is still known to be new without a single lookup, and anything else is probed.
//
// Measured: a 400-event /track commit spent ~1/3 of its time (3-7 ms of 12-20 ms, loaded 2-core
// box) in the probe (ids to a temp table, a ranged semi-join, emptying the table).

export class RecentKeys {
  #known = false;
  #floor = Infinity;
  #newest = -Infinity;
  #keys = new Set<string>();

  constructor(
    private readonly limit = 500_000,
    private readonly batchLimit = 10_000,
  ) {}

  get known(): boolean {
    return this.#known;
  }

  /** Start from the table's greatest time in ms (null: the table is empty). */
  start(newest: number | null): void {
    this.#known = true;
    this.#newest = newest ?? -Infinity;
    this.#floor = newest === null ? -Infinity : Math.floor(newest) + 1;
    this.#keys.clear();
  }

  /** The table may have changed in ways not seen here. */
  forget(): void {
    this.#known = false;
    this.#floor = Infinity;
    this.#keys.clear();
  }

  /** Whether every stored row a batch whose earliest time is `min` (ms) could match is listed. */
  covers(min: number): boolean {
    return this.#known && Math.floor(min) >= this.#floor;
  }

  /** Whether a covered batch starting at `min` (ms) is past every stored row (nothing to look up). */
  newerThanAll(min: number): boolean {
    return Math.floor(min) > this.#newest;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Batches larger than this are not listed (their keys need not be made: see add). */
  lists(rows: number): boolean {
    return rows <= this.batchLimit;
  }

  /** Rows just committed: their times (ms) and, for a batch it lists, their keys. */
  add(keys: readonly string[] | null, times: ArrayLike<number>): void {
    if (!this.#known) return;
    if (keys === null || !this.lists(times.length)) {
      for (let i = 0; i < times.length; i++) if (times[i]! > this.#newest) this.#newest = times[i]!;
      if (times.length > 0) this.start(this.#newest);
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const time = times[i]!;
      if (time > this.#newest) this.#newest = time;
      if (Math.floor(time) >= this.#floor) this.#keys.add(keys[i]!);
    }
    if (this.#keys.size > this.limit) this.start(this.#newest);
  }
}
