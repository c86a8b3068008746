// The queue and its one batch writer. Handlers submit validated events (and profile updates) and
// wait; the writer commits whatever has queued as one batch (as soon as `batchEvents` are waiting,
// else after `flushMs`) and only then answers every submitter in it: an acknowledged event is
// committed. While a batch commits, the next one gathers (group commit). The queue is bounded:
// a submit that does not fit is refused at once (the route answers 503 + Retry-After).
import type { Store, StoredEvent } from '../store/types.ts';
import { AliasIndex } from './aliases.ts';
import { applyProfileUpdate, type ProfileUpdate } from './profiles.ts';
import { ensureSideTables, loadProfiles, saveProfiles } from './side-tables.ts';

export type WriterOptions = {
  /** Flush as soon as this many events are queued. */
  batchEvents?: number;
  /** Otherwise flush this long after the first queued item. */
  flushMs?: number;
  /** Queued (not yet committing) events + profile updates beyond which submits are refused. */
  maxQueued?: number;
  /** Longest wait after a commit for the clients it acknowledged to send again (0: none). */
  maxGatherMs?: number;
};

export class QueueFullError extends Error {
  readonly retryAfterSeconds = 1;
  constructor(queued: number, max: number) {
    super(`ingestion queue is full (${queued} of ${max} queued); retry shortly`);
  }
}

export class WriterClosedError extends Error {
  constructor() {
    super('ingestion is shutting down');
  }
}

type Entry = {
  events: StoredEvent[];
  profiles: ProfileUpdate[];
  resolve: () => void;
  reject: (e: unknown) => void;
};

export type WriterStats = { batches: number; inserted: number; duplicates: number; profileUpdates: number; aliases: number; queued: number };

export class IngestWriter {
  private readonly batchEvents: number;
  private readonly flushMs: number;
  private readonly maxQueued: number;
  private readonly maxGatherMs: number;
  private queue: Entry[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private closed = false;
  readonly stats: WriterStats = { batches: 0, inserted: 0, duplicates: 0, profileUpdates: 0, aliases: 0, queued: 0 };

  private constructor(private readonly store: Store, readonly aliases: AliasIndex, options: WriterOptions) {
    this.batchEvents = options.batchEvents ?? 5000;
    this.flushMs = options.flushMs ?? 4;
    this.maxQueued = options.maxQueued ?? 200_000;
    this.maxGatherMs = options.maxGatherMs ?? 25;
  }

  /** Create the side tables if needed and load the aliases (so they survive restarts). */
  static async open(store: Store, options: WriterOptions = {}): Promise<IngestWriter> {
    await ensureSideTables(store);
    const aliases = await AliasIndex.load(store);
    return new IngestWriter(store, aliases, options);
  }

  /** Resolves once every event is committed (stored, or found already stored). */
  submit(events: StoredEvent[], profiles: ProfileUpdate[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new WriterClosedError());
    const size = events.length + profiles.length;
    if (size === 0) return Promise.resolve();
    // An oversized single submit is still taken when the queue is empty, so it cannot starve.
    if (this.queued > 0 && this.queued + size > this.maxQueued) return Promise.reject(new QueueFullError(this.queued, this.maxQueued));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, profiles, resolve, reject });
      this.queued += size;
      this.stats.queued = this.queued;
      if (this.gathered && (this.queue.length >= this.gathered.requests || this.queued >= this.batchEvents)) this.gathered.done();
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing) return; // the running loop picks new entries up when its batch is done
    if (this.queued >= this.batchEvents) {
      this.start();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.start(), this.flushMs);
    }
  }

  private start(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  /** Resolves once `requests` submits are queued (or `ms` have passed). */
  private gather(requests: number, ms: number): Promise<void> {
    if (this.queue.length >= requests || ms <= 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.gathered = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.gathered = { requests, done };
    });
  }

  private gathered: { requests: number; done: () => void } | null = null;

  private async drain(): Promise<void> {
    let lastCommitMs = 0;
    let lastRequests = 0;
    for (let first = true; this.queue.length > 0; first = false) {
      // After a commit, the clients it acknowledged send their next requests. Waiting for them
      // (until as many requests as that commit held are queued, at most half a commit and at most
      // maxGatherMs) lets them join the next batch instead of forming a small batch after it: a
      // commit costs about the same for 200 events as for 400.
      if (!first && this.queued < this.batchEvents) {
        await this.gather(lastRequests, Math.min(this.maxGatherMs, Math.max(this.flushMs, lastCommitMs / 2)));
      }
      const started = performance.now();
      let taken = 0;
      let n = 0;
      while (n < this.queue.length && (n === 0 || taken < this.batchEvents)) {
        taken += this.queue[n].events.length + this.queue[n].profiles.length;
        n++;
      }
      const batch = this.queue.splice(0, n);
      lastRequests = n;
      this.queued -= taken;
      this.stats.queued = this.queued;
      try {
        await this.commit(batch);
        for (const e of batch) e.resolve();
        lastCommitMs = performance.now() - started;
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        // One request's bad data must not fail the others it was batched with: commit each alone.
        for (const e of batch) {
          try {
            await this.commit([e]);
            e.resolve();
          } catch (single) {
            e.reject(single);
          }
        }
      }
    }
  }

  private async commit(batch: Entry[]): Promise<void> {
    const now = Date.now();
    const events: StoredEvent[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    const profileUpdates: ProfileUpdate[] = [];
    try {
      for (const entry of batch) {
        for (const ev of entry.events) {
          // Several copies of one event in the same batch (a fast retry) are stored once.
          if (seen.has(ev.insert_id)) {
            duplicates++;
            continue;
          }
          seen.add(ev.insert_id);
          this.resolveIdentity(ev);
          events.push(ev);
        }
        for (const update of entry.profiles) profileUpdates.push(update);
      }
      const learnt = await this.commitAliases(now);
      const result = events.length > 0 ? await this.store.insertEvents(events) : { inserted: 0, duplicates: 0 };
      await this.commitProfiles(profileUpdates, now);
      this.stats.batches++;
      this.stats.inserted += result.inserted;
      this.stats.duplicates += result.duplicates + duplicates;
      this.stats.aliases += learnt;
      this.stats.profileUpdates += profileUpdates.length;
    } finally {
      this.aliases.discardStaged();
      this.staged = 0;
    }
  }

  private staged = 0;

  /** Store the event under its person's canonical id; learn aliases in arrival order. */
  private resolveIdentity(ev: StoredEvent): void {
    // `$create_alias` (alias → distinct_id) and the SDKs' `$identify` (the anonymous device id
    // → the identified user) both say two ids are one person.
    const other = ev.event === '$create_alias' ? ev.properties.alias
      : ev.event === '$identify' ? ev.properties.$anon_distinct_id : undefined;
    if ((typeof other === 'string' || typeof other === 'number') && ev.distinct_id !== '' && this.aliases.learn(String(other), ev.distinct_id)) this.staged++;
    const canonical = this.aliases.resolve(ev.distinct_id);
    if (canonical !== ev.distinct_id) {
      ev.properties.$distinct_id_before_identity = ev.distinct_id;
      ev.properties.distinct_id = canonical;
      ev.distinct_id = canonical;
    }
  }

  private async commitAliases(now: number): Promise<number> {
    const n = this.staged;
    this.staged = 0;
    if (n > 0) await this.aliases.commitStaged(this.store, now);
    return n;
  }

  private async commitProfiles(updates: ProfileUpdate[], now: number): Promise<void> {
    if (updates.length === 0) return;
    for (const u of updates) u.distinct_id = this.aliases.resolve(u.distinct_id);
    const ids = [...new Set(updates.map((u) => u.distinct_id))];
    const current = await loadProfiles(this.store, ids);
    const next = new Map<string, Record<string, unknown> | null>();
    for (const u of updates) {
      const before = next.has(u.distinct_id) ? next.get(u.distinct_id)! : (current.get(u.distinct_id) ?? null);
      next.set(u.distinct_id, applyProfileUpdate(before, u));
    }
    await saveProfiles(this.store, next, now);
  }

  /** Commit everything queued, then refuse new submits. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.start();
    while (this.writing) await this.writing;
  }
}
