// The ClickHouse store: the same layout and rules as the DuckDB store (duckdb.ts), on a ClickHouse
// server through the official client (HTTP), or embedded through chDB (chdb.ts) for tests and the
// benchmark. Both share everything here except how a statement reaches ClickHouse (`Runner`).
//
// Layout
// ------
//   events(
//     time DateTime64(3, 'UTC'), event String, distinct_id String, insert_id String,
//     properties String,                       -- the properties JSON exactly as ingested
//     p0_s Nullable(String), p1_n Nullable(Float64), p2_b Nullable(Bool), p3_z Nullable(Bool),
//     p4_l Nullable(String), p5_o Nullable(String), ...   -- one per (property, JSON type) seen
//   ) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (event, time, distinct_id)
//   property_columns(seq, property, type, column_name)    -- the catalog, as on DuckDB
//
// Why typed columns rather than ClickHouse's `JSON` type: see docs/clickhouse.md (measured on
// chDB). In short: the compiler and the catalog are shared with DuckDB unchanged, a typed column
// per (property, type) is exactly the language's type-mismatch rule, and the JSON type drops
// nulls and empty objects and turns lists of objects into its own types, so values would not come
// back as sent.
//
// ORDER BY (event, time, distinct_id): every segmentation filters one event over a time range,
// so the primary index reads only that event's granules of the range; distinct_id last keeps one
// person's events close for uniqExact. Monthly partitions drop whole months outside the range.
//
// Dedupe is exact and by (insert_id, time to the ms), as on DuckDB (Mixpanel's rule): a batch is
// deduplicated in itself, then the pairs already stored are looked up within the batch's time
// range (partitions and the bloom-filter skip index on insert_id keep that cheap) and skipped,
// under one writer lock per store. This assumes one Segscope process ingests into a database (the server or `segscope
// import`); several writers could race between the lookup and the insert.
//
// Acknowledgement: insertEvents resolves after ClickHouse has committed the INSERT (synchronous
// insert; on a cluster `distributed_foreground_insert=1`, so the rows are on their shards).
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { CatalogEntry } from './catalog.ts';
import { DuckDbCatalog, listStringsColumn } from './catalog.ts';
import { InvalidEventError, NotReadOnlyError, QueryAbortedError, QueryTimeoutError, StoreClosedError } from './errors.ts';
import { Mutex } from './mutex.ts';
import { jsonValue, propertyTypeOf } from './property-type.ts';
import type { PropertyType, QueryOptions, Store, StoredEvent } from './types.ts';
import type { EventSummary, ListValuesOptions, PropertySummary, ValueSummary } from './schema-queries.ts';
import { clickhouseDialect, clickhouseSettings, jsonForClickHouse } from '../sql/clickhouse.ts';
import { registerDialect } from '../segmentation.ts';

// Whoever opens a ClickHouse store gets its dialect for runSegmentation.
registerDialect('clickhouse', clickhouseDialect);

export type Params = unknown[] | Record<string, unknown>;

/** How statements reach ClickHouse (HTTP client or chDB). */
export interface Runner {
  /** A read statement; rows as objects (JSONEachRow). */
  select(sql: string, params: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
  /** DDL or a small write. */
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** INSERT rows (JSONEachRow objects); resolves once committed. */
  insertRows(table: string, rows: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

/** ClickHouse's type for each typed column. A null column is a flag: true where the value is JSON null. */
export const CLICKHOUSE_TYPE = {
  string: 'Nullable(String)',
  number: 'Nullable(Float64)',
  boolean: 'Nullable(Bool)',
  null: 'Nullable(Bool)',
  list: 'Nullable(String)',
  object: 'Nullable(String)',
} as const satisfies Record<PropertyType, string>;

/** DateTime64's range (ClickHouse): 1900-01-01 to 2299-12-31 23:59:59.999 UTC. */
export const MIN_TIME_MS = Date.UTC(1900, 0, 1);
export const MAX_TIME_MS = Date.UTC(2300, 0, 1) - 1;

export type ClickHouseLayoutOptions = {
  /** The table queries read: `events`, or the Distributed table on a cluster. */
  table?: string;
  /** Cluster name: create local tables ON CLUSTER plus a Distributed `events` over them. */
  cluster?: string;
};

const FIXED = ['time', 'event', 'distinct_id', 'insert_id', 'properties'] as const;
const SAFE = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!SAFE.test(name)) throw new Error(`refusing to quote identifier ${JSON.stringify(name)}: not a store-made name`);
  return `"${name}"`;
}

/** The DDL of the schema (single server, or a cluster with a Distributed table). */
export function schemaStatements(cluster?: string): string[] {
  const on = cluster ? ` ON CLUSTER ${ident(cluster)}` : '';
  const local = cluster ? 'events_local' : 'events';
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${local}${on} (
      time DateTime64(3, 'UTC'), event String, distinct_id String, insert_id String, properties String,
      INDEX insert_id_bf insert_id TYPE bloom_filter GRANULARITY 1
    ) ENGINE = ${cluster ? `ReplicatedMergeTree('/clickhouse/tables/{shard}/segscope_events', '{replica}')` : 'MergeTree'}
    PARTITION BY toYYYYMM(time) ORDER BY (event, time, distinct_id)`,
    // On a cluster the catalog is one replicated table with a full copy on every node (all replicas
    // share one Keeper path), so any node reads and writes it locally.
    `CREATE TABLE IF NOT EXISTS property_columns${on} (
      seq UInt32, property String, type String, column_name String
    ) ENGINE = ${cluster ? `ReplicatedMergeTree('/clickhouse/tables/segscope_property_columns', '{replica}')` : 'MergeTree'} ORDER BY seq`,
  ];
  if (cluster) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS events${on} AS events_local ENGINE = Distributed(${ident(cluster)}, currentDatabase(), events_local, cityHash64(distinct_id))`,
    );
  }
  return statements;
}

export class ClickHouseStore implements Store {
  readonly dialect = 'clickhouse' as const;
  readonly #runner: Runner;
  readonly #writes = new Mutex();
  readonly #timeoutMs: number;
  readonly #cluster: string | undefined;
  #catalog: DuckDbCatalog;
  #closed = false;
  #version = 0;

  private constructor(runner: Runner, catalog: DuckDbCatalog, timeoutMs: number, cluster?: string) {
    this.#runner = runner;
    this.#catalog = catalog;
    this.#timeoutMs = timeoutMs;
    this.#cluster = cluster;
  }

  /** Creates the schema if missing and loads the catalog. */
  static async open(runner: Runner, options: { queryTimeoutMs?: number; cluster?: string } = {}): Promise<ClickHouseStore> {
    try {
      for (const sql of schemaStatements(options.cluster)) await runner.command(sql);
      const store = new ClickHouseStore(runner, DuckDbCatalog.empty({ listStrings: true }), options.queryTimeoutMs ?? 30_000, options.cluster);
      await store.refreshCatalog();
      await store.#addMissingListStrings();
      return store;
    } catch (error) {
      await runner.close().catch(() => {});
      throw error;
    }
  }

  /** Grows with every committed write (schema-query caches compare it). */
  get dataVersion(): number {
    return this.#version;
  }

  catalog(): DuckDbCatalog {
    return this.#catalog;
  }

  /** Re-read the catalog (another process may have added columns). */
  async refreshCatalog(): Promise<void> {
    const rows = await this.#runner.select(`SELECT seq, property, type, column_name FROM property_columns ORDER BY seq ${clickhouseSettings(this.#timeoutMs)}`, {}, { timeoutMs: this.#timeoutMs });
    const byColumn = new Map<string, Record<string, unknown>>();
    for (const row of rows) if (!byColumn.has(String(row.column_name))) byColumn.set(String(row.column_name), row);
    this.#catalog = DuckDbCatalog.fromRows([...byColumn.values()], { listStrings: true });
  }

  async insertEvents(events: StoredEvent[]): Promise<{ inserted: number; duplicates: number }> {
    this.#assertOpen();
    const unique = uniqueByInsertId(events);
    return this.#writes.run(async () => {
      this.#assertOpen();
      const stored = await this.#storedKeys(unique);
      const fresh = stored.size === 0 ? unique : unique.filter((u) => !stored.has(dedupeKey(u.event.insert_id, u.event.time)));
      const pairs = newPropertyTypes(fresh, this.#catalog);
      if (pairs.length > 0) {
        await this.refreshCatalog();
        const { added, catalog } = this.#catalog.extend(pairs);
        await this.#addColumns(added, catalog.entries().length - added.length);
        this.#catalog = catalog;
      }
      if (fresh.length > 0) {
        await this.#runner.insertRows('events', fresh.map((u) => rowObject(u, this.#catalog)));
      }
      if (fresh.length > 0 || pairs.length > 0) this.#version++;
      return { inserted: fresh.length, duplicates: events.length - fresh.length };
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params: Params = [], options: QueryOptions = {}): Promise<T[]> {
    this.#assertOpen();
    assertOneReadStatement(sql);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (options.signal?.aborted) throw new QueryAbortedError();
    try {
      const bound = bindStatement(sql, params);
      return (await this.#runner.select(bound.sql, bound.params, { timeoutMs, signal: options.signal })) as T[];
    } catch (error) {
      throw mapError(error, timeoutMs, options.signal);
    }
  }

  async execute(sql: string, params: Params = []): Promise<void> {
    this.#assertOpen();
    await this.#writes.run(async () => {
      const bound = bindStatement(sql, params);
      await this.#runner.command(bound.sql, bound.params);
      this.#version++;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writes.run(() => this.#runner.close());
  }

  /** The batch's (insert_id, time) pairs already stored, as dedupeKey()s. */
  async #storedKeys(batch: readonly PreparedEvent[]): Promise<Set<string>> {
    const found = new Set<string>();
    // Chunks keep each statement's parameter modest.
    for (let i = 0; i < batch.length; i += 10_000) {
      const chunk = batch.slice(i, i + 10_000);
      let lo = Infinity;
      let hi = -Infinity;
      for (const u of chunk) {
        lo = Math.min(lo, u.event.time);
        hi = Math.max(hi, u.event.time);
      }
      const rows = await this.#runner.select(
        `SELECT DISTINCT insert_id, toString(toUnixTimestamp64Milli(time)) AS t FROM events
         WHERE time BETWEEN {lo:DateTime64(3, 'UTC')} AND {hi:DateTime64(3, 'UTC')} AND insert_id IN {ids:Array(String)}
         SETTINGS max_execution_time=${Math.ceil(this.#timeoutMs / 1000)}`,
        { ids: chunk.map((u) => u.event.insert_id), lo: timeText(lo), hi: timeText(hi) },
        { timeoutMs: this.#timeoutMs },
      );
      for (const r of rows) found.add(`${String(r.t)}\u0000${String(r.insert_id)}`);
    }
    return found;
  }

  async #alterEvents(add: string): Promise<void> {
    const cluster = this.#cluster;
    const on = cluster ? ` ON CLUSTER ${ident(cluster)}` : '';
    if (cluster) {
      await this.#runner.command(`ALTER TABLE events_local${on} ${add}`);
      await this.#runner.command(`ALTER TABLE events${on} ${add}`);
    } else {
      await this.#runner.command(`ALTER TABLE events ${add}`);
    }
  }

  /**
   * The string elements of a list column (catalog.ts), as a column whose DEFAULT ClickHouse
   * computes from the JSON: at insert for new rows (inserts omit it), on read for older parts.
   */
  async #addListStrings(listColumn: string): Promise<void> {
    const l = ident(listColumn);
    const strings = `arrayMap(x -> JSONExtractString(x), arrayFilter(x -> JSONType(x) = 'String', JSONExtractArrayRaw(ifNull(${l}, '[]'))))`;
    await this.#alterEvents(`ADD COLUMN IF NOT EXISTS ${ident(listStringsColumn(listColumn))} Array(String) DEFAULT ${strings}`);
  }

  /**
   * A table made before the string-elements columns existed gets them. Until a background
   * mutation has written them into the old parts, reads compute them from the JSON (correct,
   * only slower).
   */
  async #addMissingListStrings(): Promise<void> {
    const rows = await this.#runner.select(
      `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events' ${clickhouseSettings(this.#timeoutMs)}`,
      {},
      { timeoutMs: this.#timeoutMs },
    );
    const have = new Set(rows.map((r) => String(r.name)));
    for (const entry of this.#catalog.entries()) {
      if (entry.type !== 'list' || have.has(listStringsColumn(entry.column))) continue;
      await this.#addListStrings(entry.column);
      const on = this.#cluster ? ` ON CLUSTER ${ident(this.#cluster)}` : '';
      await this.#runner.command(`ALTER TABLE ${this.#cluster ? 'events_local' : 'events'}${on} MATERIALIZE COLUMN ${ident(listStringsColumn(entry.column))}`);
    }
  }

  async #addColumns(added: readonly CatalogEntry[], firstSeq: number): Promise<void> {
    for (const [i, entry] of added.entries()) {
      await this.#alterEvents(`ADD COLUMN IF NOT EXISTS ${ident(entry.column)} ${CLICKHOUSE_TYPE[entry.type]}`);
      if (entry.type === 'list') await this.#addListStrings(entry.column);
      await this.#runner.command(`INSERT INTO property_columns (seq, property, type, column_name) VALUES ({seq:UInt32}, {property:String}, {type:String}, {column:String})`, {
        seq: firstSeq + i,
        property: entry.property,
        type: entry.type,
        column: entry.column,
      });
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError();
  }
}

type PreparedEvent = { event: StoredEvent; json: string };

/** Stored and new events are the same when their insert_id and their stored time (ms) are. */
function dedupeKey(insertId: string, timeMs: number): string {
  return `${new Date(timeMs).getTime()}\u0000${insertId}`;
}

function uniqueByInsertId(events: readonly StoredEvent[]): PreparedEvent[] {
  if (!Array.isArray(events)) throw new TypeError('insertEvents expects an array of events');
  const seen = new Set<string>();
  const unique: PreparedEvent[] = [];
  events.forEach((event, index) => {
    checkEvent(event, index);
    const key = dedupeKey(event.insert_id, event.time);
    if (seen.has(key)) return;
    seen.add(key);
    let json: string;
    try {
      json = JSON.stringify(event.properties);
    } catch (error) {
      throw new InvalidEventError(index, `.properties cannot be serialised to JSON (${(error as Error).message})`);
    }
    unique.push({ event, json });
  });
  return unique;
}

function checkEvent(event: StoredEvent, index: number): void {
  if (event === null || typeof event !== 'object') throw new InvalidEventError(index, 'not an object');
  if (typeof event.event !== 'string') throw new InvalidEventError(index, '.event must be a string');
  if (typeof event.distinct_id !== 'string') throw new InvalidEventError(index, '.distinct_id must be a string');
  if (typeof event.insert_id !== 'string') throw new InvalidEventError(index, '.insert_id must be a string');
  if (typeof event.time !== 'number' || !Number.isFinite(event.time) || event.time < MIN_TIME_MS || event.time > MAX_TIME_MS) {
    throw new InvalidEventError(index, '.time must be unix milliseconds between 1900-01-01 and 2299-12-31 (ClickHouse DateTime64)');
  }
  const p = event.properties;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new InvalidEventError(index, '.properties must be an object');
}

function newPropertyTypes(rows: readonly PreparedEvent[], catalog: DuckDbCatalog): [string, PropertyType][] {
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

/** 'YYYY-MM-DD hh:mm:ss.mmm', the text DateTime64 reads in every time zone setting. */
function timeText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** One JSONEachRow row: fixed fields, the JSON as sent, and each property in its typed column. */
function rowObject(u: PreparedEvent, catalog: DuckDbCatalog): Record<string, unknown> {
  const e = u.event;
  const row: Record<string, unknown> = { time: timeText(e.time), event: e.event, distinct_id: e.distinct_id, insert_id: e.insert_id, properties: u.json };
  for (const key in e.properties) {
    if (!Object.prototype.hasOwnProperty.call(e.properties, key)) continue;
    const value = jsonValue(e.properties[key]);
    const type = propertyTypeOf(value);
    if (type === undefined) continue;
    const column = catalog.column(key, type);
    if (column === null) throw new Error(`no column for property ${JSON.stringify(key)} of type ${type}`);
    row[column] = type === 'null' ? true : type === 'list' || type === 'object' ? jsonForClickHouse(JSON.stringify(value)) : value;
  }
  return row;
}

/** Calls each text span outside quotes and comments (where placeholders and `;` count). */
function scanCode(sql: string, onCode: (from: number, to: number) => void): void {
  const n = sql.length;
  let i = 0;
  let start = 0;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      onCode(start, i);
      i++;
      while (i < n && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1;
      start = ++i;
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) {
      onCode(start, i);
      const end = c === '-' ? sql.indexOf('\n', i) : sql.indexOf('*/', i + 2);
      i = end < 0 ? n : c === '-' ? end : end + 2;
      start = i;
    } else i++;
  }
  onCode(start, n);
}

/** ClickHouse's type for a positional parameter, from its JS value. */
function positionalType(value: unknown, where: string): string {
  if (value === null || value === undefined) return 'Nullable(String)';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Bool';
    case 'bigint':
      return 'Int64';
    case 'number':
      return Number.isSafeInteger(value) ? 'Int64' : 'Float64';
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return 'Array(String)';
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return 'Array(Float64)';
  throw new TypeError(`parameter ${where}: cannot bind a value of type ${typeof value}`);
}

/**
 * The statement with named parameters. A record binds ClickHouse's own `{name:Type}`; an array
 * binds either the dialect's `{p1:Type}` placeholders or, as on DuckDB, positional `$1, $2, …`
 * (rewritten to typed placeholders, the type taken from the value).
 */
export function bindStatement(sql: string, params: Params): { sql: string; params: Record<string, unknown> } {
  if (!Array.isArray(params)) return { sql, params };
  const named: Record<string, unknown> = {};
  params.forEach((v, i) => (named[`p${i + 1}`] = typeof v === 'number' ? String(v) : v));
  let out = '';
  let dollar = false;
  let last = 0;
  scanCode(sql, (from, to) => {
    const code = sql.slice(from, to);
    if (!/\$\d/.test(code)) return;
    dollar = true;
    out += sql.slice(last, from);
    out += code.replace(/\$(\d+)/g, (_m, d: string) => {
      const i = Number(d);
      if (i < 1 || i > params.length) throw new RangeError(`the statement uses $${d} but ${params.length} values were given`);
      return `{p${i}:${positionalType(params[i - 1], `$${d}`)}}`;
    });
    last = to;
  });
  if (!dollar) return { sql, params: named };
  return { sql: out + sql.slice(last), params: named };
}

/**
 * One statement, and a read: ClickHouse's own parser refuses several statements over HTTP, but
 * chDB runs them, so text after a `;` (outside quotes and comments) is refused here for both.
 */
export function assertOneReadStatement(sql: string): void {
  let first = '';
  let code = '';
  scanCode(sql, (from, to) => {
    const text = sql.slice(from, to);
    if (first === '') first = /[A-Za-z]+/.exec(text)?.[0].toUpperCase() ?? '';
    code += ` ${text}`;
  });
  const semi = code.indexOf(';');
  if (semi >= 0 && code.slice(semi + 1).replace(/;/g, '').trim() !== '') throw new NotReadOnlyError('multi-statement');
  if (!['SELECT', 'WITH', 'EXPLAIN', 'DESCRIBE', 'SHOW'].includes(first)) throw new NotReadOnlyError(first || 'empty');
}

function mapError(error: unknown, timeoutMs: number, signal?: AbortSignal): unknown {
  if (signal?.aborted) return new QueryAbortedError();
  const message = error instanceof Error ? error.message : String(error);
  if (/TIMEOUT_EXCEEDED|Timeout exceeded|timed out|Code: 159\b/i.test(message)) return new QueryTimeoutError(timeoutMs);
  return error;
}

// ---- the HTTP store (official client)

export type ClickHouseUrlOptions = { url: string; queryTimeoutMs?: number; cluster?: string };

/** `clickhouse://user:pass@host:8123/db` (or http(s)://…): the client's URL and database. */
export function parseClickHouseUrl(url: string): { url: string; username: string; password: string; database: string; cluster?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a ClickHouse URL: ${JSON.stringify(url)} (expected clickhouse://user:pass@host:8123/db)`);
  }
  const secure = u.protocol === 'clickhouses:' || u.protocol === 'https:';
  if (!['clickhouse:', 'clickhouses:', 'http:', 'https:'].includes(u.protocol)) throw new Error(`not a ClickHouse URL: ${JSON.stringify(url)}`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'default';
  const cluster = u.searchParams.get('cluster') ?? undefined;
  const http = `${secure ? 'https' : 'http'}://${u.hostname}:${u.port || (secure ? '8443' : '8123')}`;
  return { url: http, username: decodeURIComponent(u.username) || 'default', password: decodeURIComponent(u.password), database, cluster };
}

/**
 * max_query_size for every statement: `where` and `on` may each compile to up to 1M characters
 * (compile.ts MAX_SQL_CHARS), far past ClickHouse's default of 256 KiB. It must be set outside the
 * statement (the parser reads it before the statement's own SETTINGS).
 */
export const MAX_QUERY_SIZE = 4 * 1024 * 1024;

class HttpRunner implements Runner {
  constructor(private readonly client: ClickHouseClient) {}

  async select(sql: string, params: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Record<string, unknown>[]> {
    const result = await this.client.query({
      query: sql,
      query_params: params,
      format: 'JSONEachRow',
      abort_signal: opts.signal,
      // Sent with every read whatever the SQL says: the server enforces them.
      clickhouse_settings: { readonly: '2', max_execution_time: Math.max(1, Math.ceil(opts.timeoutMs / 1000)), max_query_size: String(MAX_QUERY_SIZE) },
    });
    return result.json<Record<string, unknown>>();
  }

  async command(sql: string, params?: Record<string, unknown>): Promise<void> {
    await this.client.command({ query: sql, query_params: params, clickhouse_settings: { wait_end_of_query: 1 } });
  }

  async insertRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
    await this.client.insert({
      table,
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: { async_insert: 0, wait_end_of_query: 1, distributed_foreground_insert: 1, input_format_skip_unknown_fields: 0 },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Open (creating the schema if missing) a ClickHouse database over HTTP. */
export async function openClickHouseStore(options: ClickHouseUrlOptions): Promise<ClickHouseStore> {
  const parsed = parseClickHouseUrl(options.url);
  const client = createClient({
    url: parsed.url,
    username: parsed.username,
    password: parsed.password,
    database: parsed.database,
    request_timeout: Math.max(30_000, (options.queryTimeoutMs ?? 30_000) + 10_000),
  });
  return ClickHouseStore.open(new HttpRunner(client), { queryTimeoutMs: options.queryTimeoutMs, cluster: options.cluster ?? parsed.cluster });
}

export { FIXED as FIXED_COLUMNS };

// ---- schema queries for the query builder (the signatures of schema-queries.ts, in ClickHouse SQL)


const SCHEMA_SETTINGS = clickhouseSettings(30_000);

function clamp(limit: number, max: number): number {
  if (!Number.isFinite(limit)) return max;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Event names with their counts, most frequent first (ties by name). */
export async function listEventsClickHouse(store: Store, options: { limit?: number } = {}): Promise<EventSummary[]> {
  const limit = clamp(options.limit ?? 10_000, 100_000);
  const rows = await store.query<{ name: string; count: number }>(
    `SELECT event AS name, toFloat64(count()) AS count FROM events GROUP BY event ORDER BY count DESC, name LIMIT {limit:UInt32} ${SCHEMA_SETTINGS}`,
    { limit },
  );
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}

/** The properties present on `event` (all events when null), with a count per JSON type seen. */
export async function listPropertiesClickHouse(store: Store, event?: string | null): Promise<PropertySummary[]> {
  const entries = store.catalog().entries?.() ?? [];
  if (entries.length === 0) return [];
  const counts = entries.map((e, i) => `toFloat64(count(${ident(e.column)})) AS ${ident(`c${i}`)}`);
  const where = event == null ? '' : ' WHERE event = {event:String}';
  const [row] = await store.query<Record<string, number>>(`SELECT ${counts.join(', ')} FROM events${where} ${SCHEMA_SETTINGS}`, event == null ? {} : { event });
  const byName = new Map<string, PropertySummary>();
  entries.forEach((entry, i) => {
    const count = Number(row?.[`c${i}`] ?? 0);
    if (count === 0) return;
    let summary = byName.get(entry.property);
    if (!summary) byName.set(entry.property, (summary = { name: entry.property, count: 0, types: [] }));
    summary.count += count;
    summary.types.push({ type: entry.type, count });
  });
  const out = [...byName.values()];
  for (const s of out) s.types.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return out.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The most frequent string/number/boolean values of a property; `prefix` matches ignoring case. */
export async function listValuesClickHouse(store: Store, options: ListValuesOptions): Promise<ValueSummary[]> {
  const catalog = store.catalog();
  const limit = clamp(options.limit ?? 50, 10_000);
  const event = options.event ?? null;
  const prefix = options.prefix ?? null;
  const parts: { type: ValueSummary['type']; column: string; text: (c: string) => string }[] = [];
  const s = catalog.column(options.property, 'string');
  const n = catalog.column(options.property, 'number');
  const b = catalog.column(options.property, 'boolean');
  if (s) parts.push({ type: 'string', column: s, text: (c) => c });
  if (n) parts.push({ type: 'number', column: n, text: (c) => `toString(${c})` });
  if (b) parts.push({ type: 'boolean', column: b, text: (c) => `if(${c}, 'true', 'false')` });
  if (parts.length === 0) return [];
  const params: Record<string, unknown> = { limit };
  if (event !== null) params.event = event;
  if (prefix !== null && prefix !== '') params.prefix = prefix;
  const selects = parts.map(({ type, column, text }) => {
    const c = ident(column);
    const conditions = [`${c} IS NOT NULL`];
    if (event !== null) conditions.push('event = {event:String}');
    if (params.prefix !== undefined) conditions.push(`startsWith(lowerUTF8(${text(`assumeNotNull(${c})`)}), lowerUTF8({prefix:String}))`);
    const sv = type === 'string' ? c : 'CAST(NULL AS Nullable(String))';
    const nv = type === 'number' ? c : 'CAST(NULL AS Nullable(Float64))';
    const bv = type === 'boolean' ? c : 'CAST(NULL AS Nullable(Bool))';
    return `SELECT * FROM (SELECT ${sv} AS s, ${nv} AS n, ${bv} AS b, toFloat64(count()) AS count FROM events WHERE ${conditions.join(' AND ')} GROUP BY ${c} ORDER BY count DESC LIMIT {limit:UInt32})`;
  });
  const sql = `SELECT s, n, b, count FROM (${selects.join(' UNION ALL ')}) ORDER BY count DESC, s ASC NULLS LAST, n ASC NULLS LAST, b ASC NULLS LAST LIMIT {limit:UInt32} ${SCHEMA_SETTINGS}`;
  const rows = await store.query<{ s: string | null; n: number | null; b: boolean | null; count: number }>(sql, params);
  return rows.map((r): ValueSummary => {
    if (r.s !== null) return { value: r.s, type: 'string', count: Number(r.count) };
    if (r.n !== null) return { value: Number(r.n), type: 'number', count: Number(r.count) };
    return { value: r.b === true || (r.b as unknown) === 1, type: 'boolean', count: Number(r.count) };
  });
}
