// The embedded store: one DuckDB file (or `:memory:`) holding the events.
//
// Layout
// ------
//   events(
//     time        TIMESTAMP  -- UTC, from StoredEvent.time (unix ms)
//     event       VARCHAR
//     distinct_id VARCHAR
//     insert_id   VARCHAR
//     properties  JSON       -- the properties exactly as ingested: the source of truth
//     p0_s, p0_n, p1_b, ...  -- one typed column per (top-level property, JSON type) seen
//   )
//   property_columns(seq INTEGER, property VARCHAR, type VARCHAR, column_name VARCHAR)
//     -- the catalog: which column holds which (property, type); seq = column order in `events`
//   temp.batch_insert_ids(insert_id VARCHAR)
//     -- the writer connection's scratch table for the dedupe join (never stored)
//
// Typed columns: string → VARCHAR, number → DOUBLE, boolean → BOOLEAN, null → BOOLEAN (true
// where the value is JSON null), list → JSON (the list's JSON text), object → JSON. For a present
// key exactly one of its typed columns is non-NULL; for a missing key all are NULL, so the spec's
// type-mismatch rules are plain SQL NULLs. Names are `p<N>_<s|n|b|z|l|o>` (catalog.ts), never
// derived from property names: DuckDB identifiers are case-insensitive and property names are user
// text. They reach SQL only through quoteIdentifier() (quote.ts). New (property, type) pairs add
// columns (ALTER TABLE ADD COLUMN) in the same transaction as the insert that needs them.
//
// Why typed columns: a filter + group-by reading properties from a JSON column took ~460 ms on 5M
// events, the same on typed columns ~31 ms (issue 3). The JSON stays for export and re-typing.
//
// Decisions measured (scratch runs on the shared 2-core CI box, load average 12-20, so wall times
// are several times an idle machine's; see measure.ts to repeat them):
// - Bulk path: DuckDB data chunks filled column-wise (chunk-writer.ts). The row appender, one
//   native call per value including NULLs, did ~60k rows/s for 30 columns on an idle-ish box;
//   passing each column as one JSON array parameter and unnesting in SQL cost ~4x more CPU.
//   JSON vs VARCHAR column types and NOT NULL made no measurable difference to append cost.
//   A staged file loaded by DuckDB's multi-threaded reader (measure-staged.ts: the batch as TSV,
//   read_csv, every scalar typed column computed in SQL from one json_extract of the catalog's
//   JSON-pointer paths) lost: 100k sample events, median of 3, 3.7 s vs 2.25 s CPU and 11.1 s vs
//   7.9 s wall, without even the dedupe; building the file (stringify, join, write) alone costs
//   about as much CPU as the chunk path. Nor is it exact: DuckDB's JSON parser rejects the
//   \udc00 escapes JSON.stringify writes for lone surrogates, reads JSON 0 where JS had -0 (the
//   chunk path keeps -0.0), and re-serialises nested values (1e+21 → 1e21, \u00e9 → é).
//   Where the chunk path's CPU goes per 100k sample events (process CPU, instrumented run):
//   validation + in-batch dedupe ~0.2 s, stored-id probe ~0.2 s, new (property, type) scan ~0.1 s,
//   serialising + filling + appending chunks 0.8-1.2 s, appender flush 0.3-0.5 s, COMMIT ~0.4 s.
// - Dedupe by (insert_id, time to the ms), as Mixpanel does (its rule is event, distinct_id, time
//   to the second and $insert_id): a retrying client resends the same payload, so it is stored
//   once. The time bounds let the probe skip row groups outside the batch's range: a 50-event
//   batch on 1M stored rows committed in 16-18 ms instead of 28 ms (median of 60, idle machine).
//   Batches newer than every row the table had skip the probe: the keys of the newest rows are
//   kept in memory (recent-keys.ts; a 400-event /track commit spent about a third of its time
//   probing). Batches of up to LIST_PROBE_IDS ids bind them as one list parameter instead of
//   filling and emptying the temp table (3.4-3.8 vs 4.7-5.5 ms per 400-id probe, loaded box).
//   Ingestion gives events sent to /track without a time a random insert_id, so nothing relied
//   on matching ids across different times. Earlier design notes (by insert_id alone): the batch's ids
//   go to a temp table and are semi-joined against events.insert_id. At 10M rows that costs
//   ~0.5-0.8 s CPU per 100k-id batch (a full probe of the column: it grows with the table).
//   Alternatives measured at 10M rows: a UNIQUE (ART) index took 72 s CPU to build, grew the file
//   from 171 MB to 720 MB, and INSERT ... ON CONFLICT DO NOTHING was no cheaper per batch; a hashed
//   id column (UBIGINT) made the probe < 2x cheaper; restricting the probe to the batch's time
//   range was 4-8x cheaper for recent batches but changes the meaning: ingestion derives
//   insert_ids for events sent without one and stamps them with the arrival time, so a retried
//   event would not be recognised. Exact semantics kept.
// - Physical order: rows stay in arrival order (≈ time order: live ingestion and the sample
//   generator both append in time), so zone maps on `time` prune date ranges. On 1M sample events
//   a copy sorted by (event, time) was 4-7x faster for an event-selective query over 90 days
//   (unique buyers with price > 20: 23 vs 158 ms; 69 vs 312 ms in a second, busier run) and
//   mixed elsewhere (a 30-day single-event count: 12 vs 12 ms, then 7 vs 85 ms; all events of the
//   last 7 days: 17 vs 10 ms, then 36 vs 44 ms). Keeping it sorted needs rewrites after appends;
//   not done yet: a one-off `ORDER BY event, time` rewrite after a bulk load is the next step.
// - Schema queries read per-event column counts the store keeps exact on insert (event-stats.ts)
//   instead of counting every typed column per request (~0.7-0.9 s per request on 1M under load).
//
// Connections: DuckDB runs one statement at a time per connection. Reads borrow one of a small
// pool (pool.ts) so a timeout interrupts exactly its own query; all writes go through one writer
// connection, one transaction at a time (mutex.ts).
//
// Parameters: positional `$1, $2, ...` (array) or named `$name` (object); see params.ts for the
// JS → SQL type mapping.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, LIST, StatementType, VARCHAR } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbCatalog, listStringsColumn, TYPE_SQL } from './catalog.ts';
import type { CatalogEntry } from './catalog.ts';
import { EventChunkWriter, appendStrings, batchString } from './chunk-writer.ts';
import type { EventColumns } from './chunk-writer.ts';
import { addToStats, statsFromRows, statsQuery } from './event-stats.ts';
import type { DataStats } from './event-stats.ts';
import { InvalidEventError, NotReadOnlyError, StoreClosedError } from './errors.ts';
import { Mutex } from './mutex.ts';
import { bindParams } from './params.ts';
import type { QueryParams } from './params.ts';
import { ConnectionPool } from './pool.ts';
import { jsonValue, propertyTypeOf } from './property-type.ts';
import { quoteIdentifier } from './quote.ts';
import { RecentKeys } from './recent-keys.ts';
import type { Catalog, PropertyType, QueryOptions, Store, StoredEvent } from './types.ts';

export { QueryAbortedError, QueryTimeoutError, NotReadOnlyError, StoreClosedError, InvalidEventError } from './errors.ts';
export { quoteIdentifier } from './quote.ts';
export type { CatalogEntry } from './catalog.ts';
export { DuckDbCatalog } from './catalog.ts';

export type DuckDbStoreOptions = {
  /** A file path (its directory is created if missing) or ':memory:'. */
  path: string;
  /** DuckDB worker threads (default: DuckDB's choice, the number of cores). */
  threads?: number;
  /** Default time budget of query() in ms (default 30 000); a per-call timeoutMs overrides it. */
  queryTimeoutMs?: number;
  /** Read connections, i.e. read queries that can run at once (default 3). */
  readConnections?: number;
  /** WAL size that triggers a checkpoint (DuckDB syntax, e.g. '256MB'); see DEFAULT_CHECKPOINT_THRESHOLD. */
  checkpointThreshold?: string;
  /** Told about slow one-off work at open (rebuilding an older file's layout). */
  notice?: (message: string) => void;
};

const FIXED_COLUMNS = ['time', 'event', 'distinct_id', 'insert_id', 'properties'] as const;
/**
 * DuckDB checkpoints (writes the WAL into the file) inside the COMMIT that crosses this WAL size;
 * its default, 16MB, made every few hundred /track commits wait for one. Measured with
 * `BENCH_EVENTS=200000 npm run bench:ingest` (8 clients × 50-event batches, median of 3, load ~1.8):
 * 16MB 15,495 / 19,585 events/s, p99 62-66 ms; 256MB 22,045 / 22,490 events/s, p99 43 ms.
 * Durability is the WAL's either way; a restart replays at most this much.
 */
const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';
const READ_STATEMENTS = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);
/** Largest |time| a JS Date (and so the ingest path) can represent. */
const MAX_TIME_MS = 8.64e15;
/** Up to this many ids the dedupe probe binds them as a list; more go through the temp table. */
const LIST_PROBE_IDS = 4096;

export async function openDuckDbStore(options: DuckDbStoreOptions): Promise<DuckDbStore> {
  const { path } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  config.checkpoint_threshold = options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD;
  const instance = await DuckDBInstance.create(path, config);
  const connections: DuckDBConnection[] = [];
  try {
    const writer = await instance.connect();
    connections.push(writer);
    await writer.run(`CREATE TABLE IF NOT EXISTS events (
      time TIMESTAMP NOT NULL, event VARCHAR NOT NULL, distinct_id VARCHAR NOT NULL,
      insert_id VARCHAR NOT NULL, properties JSON NOT NULL)`);
    await writer.run(`CREATE TABLE IF NOT EXISTS property_columns (
      seq INTEGER NOT NULL, property VARCHAR NOT NULL, type VARCHAR NOT NULL, column_name VARCHAR NOT NULL)`);
    // The writer's scratch table for the dedupe join (a temp table: per connection, never stored).
    await writer.run('CREATE TEMP TABLE batch_insert_ids (insert_id VARCHAR NOT NULL)');
    const rows = await (await writer.run('SELECT seq, property, type, column_name FROM property_columns ORDER BY seq')).getRowObjectsJson();
    const catalog = DuckDbCatalog.fromRows(rows, { listStrings: true });
    await checkColumns(writer, catalog, () => options.notice?.(`${path}: adding the string-elements column of list properties (once; a minute or two per 10M events)…`));
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < (options.readConnections ?? 3); i++) {
      const reader = await instance.connect();
      connections.push(reader);
      readers.push(reader);
    }
    return new DuckDbStore(instance, writer, new ConnectionPool(readers), catalog, options.queryTimeoutMs ?? 30_000);
  } catch (error) {
    for (const connection of connections) connection.closeSync();
    instance.closeSync();
    throw error;
  }
}

/** The table's columns in order: the fixed ones, then each catalog column (a list one followed by its string elements). */
function tableColumns(catalog: DuckDbCatalog): string[] {
  return [...FIXED_COLUMNS, ...catalog.entries().flatMap((entry) => (entry.type === 'list' ? [entry.column, listStringsColumn(entry.column)] : [entry.column]))];
}

/**
 * The table must have tableColumns() in order: the bulk writer relies on it. A file written
 * before the string-elements columns existed is rebuilt once with them (see migrateListStrings).
 */
async function checkColumns(connection: DuckDBConnection, catalog: DuckDbCatalog, migrating: () => void): Promise<void> {
  const read = async (): Promise<unknown[]> => {
    const result = await connection.run(
      `SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'events' AND database_name = current_database() ORDER BY column_index`,
    );
    return (await result.getRowObjectsJson()).map((row) => row.column_name);
  };
  const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((name, i) => name === b[i]);
  let actual = await read();
  const expected = tableColumns(catalog);
  const before = [...FIXED_COLUMNS, ...catalog.entries().map((entry) => entry.column)];
  if (!same(actual, expected) && same(actual, before)) {
    migrating();
    await migrateListStrings(connection, catalog);
    actual = await read();
  }
  if (!same(actual, expected)) {
    throw new Error(`events table columns (${actual.join(', ')}) do not match the catalog (${expected.join(', ')})`);
  }
}

/** The string elements of a JSON list column, in SQL (what the bulk writer computes in JS). */
function listStringsSql(listColumn: string): string {
  const l = quoteIdentifier(listColumn);
  return `CASE WHEN ${l} IS NOT NULL THEN list_transform(list_filter(json_extract(${l}, '$[*]'), x -> json_type(x) = 'VARCHAR'), x -> json_extract_string(x, '$')) END`;
}

/** Rebuilds `events` with the string-elements columns in place, in one transaction. */
async function migrateListStrings(connection: DuckDBConnection, catalog: DuckDbCatalog): Promise<void> {
  const q = quoteIdentifier;
  const definitions = [
    'time TIMESTAMP NOT NULL, event VARCHAR NOT NULL, distinct_id VARCHAR NOT NULL, insert_id VARCHAR NOT NULL, properties JSON NOT NULL',
    ...catalog.entries().flatMap((entry) => {
      const column = `${q(entry.column)} ${TYPE_SQL[entry.type]}`;
      return entry.type === 'list' ? [column, `${q(listStringsColumn(entry.column))} VARCHAR[]`] : [column];
    }),
  ];
  const selected = [
    ...FIXED_COLUMNS.map(q),
    ...catalog.entries().flatMap((entry) => (entry.type === 'list' ? [q(entry.column), listStringsSql(entry.column)] : [q(entry.column)])),
  ];
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`CREATE TABLE events_migrating (${definitions.join(', ')})`);
    await connection.run(`INSERT INTO events_migrating SELECT ${selected.join(', ')} FROM events`);
    await connection.run('DROP TABLE events');
    await connection.run('ALTER TABLE events_migrating RENAME TO events');
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
}

export class DuckDbStore implements Store {
  readonly dialect = 'duckdb' as const;
  readonly #instance: DuckDBInstance;
  readonly #writer: DuckDBConnection;
  readonly #readers: ConnectionPool;
  readonly #writes = new Mutex();
  readonly #queryTimeoutMs: number;
  #catalog: DuckDbCatalog;
  #closed = false;
  #version = 0;
  #stats: DataStats | null = null;
  readonly #recent = new RecentKeys();

  constructor(instance: DuckDBInstance, writer: DuckDBConnection, readers: ConnectionPool, catalog: DuckDbCatalog, queryTimeoutMs: number) {
    this.#instance = instance;
    this.#writer = writer;
    this.#readers = readers;
    this.#catalog = catalog;
    this.#queryTimeoutMs = queryTimeoutMs;
  }

  /** Grows by one with every committed write; caches of derived answers compare it. */
  get dataVersion(): number {
    return this.#version;
  }

  catalog(): DuckDbCatalog {
    return this.#catalog;
  }

  async insertEvents(events: StoredEvent[]): Promise<{ inserted: number; duplicates: number }> {
    this.#assertOpen();
    const unique = uniqueByInsertId(events);
    return this.#writeBatch({
      received: events.length,
      rows: unique,
      ids: unique.map((row) => row.event.insert_id),
      times: unique.map((row) => row.event.time),
      newColumns: (fresh, catalog) => newPropertyTypes(fresh, catalog),
      // Serialised here, row by row, so the strings die young (GC) and duplicates cost nothing.
      write: (chunks, fresh) => {
        for (const row of fresh) chunks.write(row.event, serialise(row));
      },
      addStats: (stats, catalog, fresh) => addToStats(stats, catalog, fresh.map((row) => row.event)),
    });
  }

  /**
   * insertEvents for a batch already taken apart (bulk import: the taking apart runs on another
   * thread, see ingest/event-columns.ts): the rows `rows` of `batch`, with the same dedupe, new
   * columns and stats as insertEvents.
   */
  async insertColumns(batch: EventColumns, rows: ArrayLike<number>, options: InsertColumnsOptions = {}): Promise<{ inserted: number; duplicates: number }> {
    this.#assertOpen();
    const { unique, ids } = uniqueRows(batch, rows, options);
    return this.#writeBatch({
      received: rows.length,
      rows: unique,
      ids,
      times: unique.map((row) => batch.time[row]!),
      newColumns: (fresh, catalog) => newColumnKeys(batch, fresh, catalog),
      write: (chunks, fresh) => {
        const { columns, lists } = chunks.columnsFor(batch.keys);
        for (const row of fresh) chunks.writeColumns(batch, row, columns, lists);
      },
      addStats: (stats, catalog, fresh) => addColumnsToStats(stats, catalog, batch, fresh),
    });
  }

  /**
   * Both insert paths: in one transaction, drop the rows already stored, add the columns the
   * fresh ones need, append them; after the commit, the catalog, recent keys, stats and version.
   * `ids` and `times` belong to `rows`, index for index.
   */
  async #writeBatch<R>(batch: {
    received: number;
    rows: readonly R[];
    ids: readonly string[];
    times: readonly number[];
    newColumns(fresh: readonly R[], catalog: DuckDbCatalog): [string, PropertyType][];
    write(chunks: EventChunkWriter, fresh: readonly R[]): void;
    addStats(stats: DataStats, catalog: DuckDbCatalog, fresh: readonly R[]): void;
  }): Promise<{ inserted: number; duplicates: number }> {
    return this.#writes.run(async () => {
      this.#assertOpen();
      const writer = this.#writer;
      await writer.run('BEGIN TRANSACTION');
      try {
        const stored = await this.#storedKeys(batch.ids, batch.times);
        // Keys are only made when needed: to drop stored rows, or for the recent set to list.
        const keyed = stored.size > 0 || this.#recent.lists(batch.rows.length);
        const fresh: R[] = [];
        const freshTimes: number[] = [];
        const freshKeys: string[] = [];
        batch.rows.forEach((row, i) => {
          if (keyed) {
            const key = dedupeKey(batch.ids[i]!, batch.times[i]!);
            if (stored.has(key)) return;
            freshKeys.push(key);
          }
          fresh.push(row);
          freshTimes.push(batch.times[i]!);
        });
        // Only events that will be stored may add columns: a batch of duplicates changes nothing.
        const { added, catalog } = this.#catalog.extend(batch.newColumns(fresh, this.#catalog));
        await addColumns(writer, added, catalog.entries().length - added.length);
        if (fresh.length > 0) {
          const appender = await writer.createAppender('events');
          try {
            const chunks = new EventChunkWriter(appender, catalog.entries(), { listStrings: catalog.keepsListStrings });
            batch.write(chunks, fresh);
            chunks.finish();
            appender.flushSync();
          } finally {
            appender.closeSync();
          }
        }
        await writer.run('COMMIT');
        this.#catalog = catalog;
        this.#recent.add(keyed ? freshKeys : null, freshTimes);
        if (this.#stats && fresh.length > 0) batch.addStats(this.#stats, catalog, fresh);
        if (fresh.length > 0 || added.length > 0) this.#version++;
        return { inserted: fresh.length, duplicates: batch.received - fresh.length };
      } catch (error) {
        await writer.run('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  /**
   * Which of the batch's (insert_id, time) keys are stored already: from memory when the batch
   * is newer than the rows the table had (see
   * recent-keys.ts), else probed in the table. Runs in the write transaction.
   */
  async #storedKeys(ids: readonly string[], times: ArrayLike<number>): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < times.length; i++) {
      const time = times[i]!;
      if (time < min) min = time;
      if (time > max) max = time;
    }
    const recent = this.#recent;
    if (!recent.known) {
      const rows = await (await this.#writer.run('SELECT epoch_ms(max(time)) FROM events')).getRows();
      const newest = rows[0]?.[0];
      recent.start(newest === null || newest === undefined ? null : Number(newest));
    }
    if (!recent.covers(min)) return storedInsertIds(this.#writer, ids, min, max);
    if (recent.newerThanAll(min)) return new Set();
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const key = dedupeKey(ids[i]!, times[i]!);
      if (recent.has(key)) found.add(key);
    }
    return found;
  }

  /**
   * Event counts and per-column value counts by event name (see event-stats.ts). The returned
   * object is updated in place by later inserts; read it synchronously.
   */
  async stats(): Promise<DataStats> {
    for (let attempt = 1; ; attempt++) {
      if (this.#stats) return this.#stats;
      const version = this.#version;
      const catalog = this.#catalog;
      const rows = await this.query(statsQuery(catalog), []);
      const stats = statsFromRows(catalog, rows);
      if (version === this.#version) return (this.#stats = stats);
      // A write committed during the scan (it may or may not be counted): scan again, but under
      // a steady stream of writes answer from this scan rather than loop, without keeping it.
      if (attempt === 3) return stats;
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: QueryParams = [], options: QueryOptions = {}): Promise<T[]> {
    this.#assertOpen();
    const timeoutMs = options.timeoutMs ?? this.#queryTimeoutMs;
    return this.#readers.use(
      async (connection) => {
        // prepare() refuses several statements at once, so nothing rides along after a ';'.
        const statement = await connection.prepare(sql);
        try {
          if (!READ_STATEMENTS.has(statement.statementType)) throw new NotReadOnlyError(StatementType[statement.statementType] ?? 'non-SELECT');
          bindParams(statement, params);
          const result = await statement.run();
          return (await result.getRowObjectsJson()) as T[];
        } finally {
          statement.destroySync();
        }
      },
      { timeoutMs, signal: options.signal },
    );
  }

  async execute(sql: string, params: QueryParams = []): Promise<void> {
    this.#assertOpen();
    await this.#writes.run(async () => {
      this.#assertOpen();
      const statement = await this.#writer.prepare(sql);
      try {
        bindParams(statement, params);
        // Only SQL naming the events table can change its rows (the side tables' cannot).
        if (/events/i.test(sql)) this.#recent.forget();
        await statement.run();
        this.#version++;
        this.#stats = null;
      } finally {
        statement.destroySync();
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#readers.close();
    // Let a write in progress commit before the writer goes away.
    await this.#writes.run(async () => {
      this.#writer.closeSync();
      this.#instance.closeSync();
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}

type PreparedEvent = { event: StoredEvent; index: number };

/** Validates the batch and keeps the first event of each (insert_id, time). */
function uniqueByInsertId(events: readonly StoredEvent[]): PreparedEvent[] {
  if (!Array.isArray(events)) throw new TypeError('insertEvents expects an array of events');
  const seen = new Set<string>();
  const unique: PreparedEvent[] = [];
  events.forEach((event, index) => {
    checkEvent(event, index);
    const key = dedupeKey(event.insert_id, event.time);
    if (seen.has(key)) return;
    seen.add(key);
    unique.push({ event, index });
  });
  return unique;
}

/** The properties as stored in the JSON column; an error names the event (the batch rolls back). */
function serialise(row: PreparedEvent): string {
  try {
    return JSON.stringify(row.event.properties);
  } catch (error) {
    throw new InvalidEventError(row.index, `.properties cannot be serialised to JSON (${(error as Error).message})`);
  }
}

function checkEvent(event: StoredEvent, index: number): void {
  if (event === null || typeof event !== 'object') throw new InvalidEventError(index, 'not an object');
  if (typeof event.event !== 'string') throw new InvalidEventError(index, '.event must be a string');
  if (typeof event.distinct_id !== 'string') throw new InvalidEventError(index, '.distinct_id must be a string');
  if (typeof event.insert_id !== 'string') throw new InvalidEventError(index, '.insert_id must be a string');
  if (typeof event.time !== 'number' || !Number.isFinite(event.time) || Math.abs(event.time) > MAX_TIME_MS) {
    throw new InvalidEventError(index, '.time must be unix milliseconds within the Date range');
  }
  const properties = event.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw new InvalidEventError(index, '.properties must be an object');
  }
}

/** The (property, type) pairs of the batch that have no column yet, in order of first sight. */
function newPropertyTypes(rows: readonly PreparedEvent[], catalog: Catalog): [string, PropertyType][] {
  const pairs: [string, PropertyType][] = [];
  const seen = new Set<string>();
  for (const { event } of rows) {
    const properties = event.properties;
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
      const type = propertyTypeOf(jsonValue(properties[key]));
      if (type === undefined || catalog.column(key, type) !== null) continue;
      const id = `${type}\u0000${key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push([key, type]);
    }
  }
  return pairs;
}

export type InsertColumnsOptions = {
  /** The rows' insert_ids, decoded already by the caller (one per entry of `rows`). */
  insertIds?: readonly string[];
  /** The caller has kept one row per insert_id already, so no two rows share (insert_id, time). */
  uniqueInsertIds?: boolean;
};

/** Like uniqueByInsertId for rows of a taken-apart batch (its strings are strings by construction); with their insert_ids. */
function uniqueRows(batch: EventColumns, rows: ArrayLike<number>, options: InsertColumnsOptions): { unique: number[]; ids: string[] } {
  if (options.insertIds && options.insertIds.length !== rows.length) throw new RangeError(`${options.insertIds.length} insert_ids for ${rows.length} rows`);
  const seen = options.uniqueInsertIds ? null : new Set<string>();
  const unique: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!(row >= 0 && row < batch.rows)) throw new RangeError(`row ${row} is not in the batch of ${batch.rows}`);
    const time = batch.time[row]!;
    if (!Number.isFinite(time) || Math.abs(time) > MAX_TIME_MS) throw new InvalidEventError(i, '.time must be unix milliseconds within the Date range');
    const id = options.insertIds ? options.insertIds[i]! : batchString(batch, batch.rowStrings[row]! + 2);
    if (seen) {
      const key = dedupeKey(id, time);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    unique.push(row);
    ids.push(id);
  }
  return { unique, ids };
}

/** newPropertyTypes for rows of a taken-apart batch. */
function newColumnKeys(batch: EventColumns, rows: readonly number[], catalog: Catalog): [string, PropertyType][] {
  const pairs: [string, PropertyType][] = [];
  const checked = new Uint8Array(batch.keys.length);
  for (const row of rows) {
    for (let c = batch.cellStart[row]!, end = batch.cellStart[row + 1]!; c < end; c++) {
      const key = batch.cellKey[c]!;
      if (checked[key]) continue;
      checked[key] = 1;
      const [property, type] = batch.keys[key]!;
      if (catalog.column(property, type) === null) pairs.push([property, type]);
    }
  }
  return pairs;
}

/** addToStats (event-stats.ts) for rows of a taken-apart batch. */
function addColumnsToStats(stats: DataStats, catalog: DuckDbCatalog, batch: EventColumns, rows: readonly number[]): void {
  const columns = batch.keys.map(([property, type]) => catalog.column(property, type));
  for (const row of rows) {
    const name = batchString(batch, batch.rowStrings[row]!);
    let entry = stats.get(name);
    if (!entry) stats.set(name, (entry = { count: 0, columns: new Map() }));
    entry.count++;
    for (let c = batch.cellStart[row]!, end = batch.cellStart[row + 1]!; c < end; c++) {
      const column = columns[batch.cellKey[c]!];
      if (column) entry.columns.set(column, (entry.columns.get(column) ?? 0) + 1);
    }
  }
}

async function addColumns(writer: DuckDBConnection, added: readonly CatalogEntry[], firstSeq: number): Promise<void> {
  for (const [i, entry] of added.entries()) {
    await writer.run(`ALTER TABLE events ADD COLUMN ${quoteIdentifier(entry.column)} ${TYPE_SQL[entry.type]}`);
    if (entry.type === 'list') await writer.run(`ALTER TABLE events ADD COLUMN ${quoteIdentifier(listStringsColumn(entry.column))} VARCHAR[]`);
    await writer.run('INSERT INTO property_columns VALUES ($1, $2, $3, $4)', [firstSeq + i, entry.property, entry.type, entry.column]);
  }
}

/** A stored event and a new one are the same when both their insert_id and their time (to the ms) are. */
function dedupeKey(insertId: string, timeMs: number): string {
  return `${Math.floor(timeMs)}\u0000${insertId}`;
}

/**
 * Which of the batch's (insert_id, time) pairs are already stored: the ids go into a temp table through the
 * bulk path, then one semi-join. (Measured: binding 100k ids as one JSON text parameter spent more
 * time converting the parameter than joining.) Only row groups within the batch's time range are
 * probed; see the layout notes at the top for the alternatives measured.
 */
async function storedInsertIds(writer: DuckDBConnection, ids: readonly string[], min: number, max: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const range = [BigInt(Math.floor(min)), BigInt(Math.ceil(max))];
  if (ids.length <= LIST_PROBE_IDS) {
    // A small batch's ids as one list parameter: one statement instead of fill, probe and empty.
    const statement = await writer.prepare(
      'SELECT insert_id, epoch_ms(time) FROM events WHERE time BETWEEN epoch_ms($1::BIGINT) AND epoch_ms($2::BIGINT) AND insert_id IN (SELECT unnest($3::VARCHAR[]))',
    );
    try {
      statement.bindBigInt(1, range[0]!);
      statement.bindBigInt(2, range[1]!);
      statement.bindList(3, ids as string[], LIST(VARCHAR));
      const found = await (await statement.run()).getRows();
      return new Set(found.map((row) => dedupeKey(row[0] as string, Number(row[1]))));
    } finally {
      statement.destroySync();
    }
  }
  const appender = await writer.createAppender('batch_insert_ids', 'main', 'temp');
  try {
    appendStrings(appender, ids);
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  try {
    // The time bounds let DuckDB's zone maps skip every row group outside the batch's range
    // (rows are kept in about time order), so a small batch no longer probes the whole column.
    const result = await writer.run(
      'SELECT insert_id, epoch_ms(time) FROM events WHERE time BETWEEN epoch_ms($1::BIGINT) AND epoch_ms($2::BIGINT) AND insert_id IN (SELECT insert_id FROM temp.main.batch_insert_ids)',
      range,
    );
    const found = await result.getRows();
    return new Set(found.map((row) => dedupeKey(row[0] as string, Number(row[1]))));
  } finally {
    await writer.run('DELETE FROM temp.main.batch_insert_ids');
  }
}

export { listEvents, listProperties, listValues } from './schema-queries.ts';
export type { EventSummary, PropertySummary, ValueSummary, ListValuesOptions } from './schema-queries.ts';
