// The ClickHouse store embedded in the process through chDB (ClickHouse 26.7 as a library): the
// same ClickHouseStore as over HTTP, for the tests and the benchmark. chDB is not a dependency of
// Segscope (its native package is ~550 MB): scripts/ensure-chdb.sh installs it where needed, and
// it is loaded lazily here so nothing else requires it.
//
// chDB allows one data directory per process: opening a second path in the same process fails
// with a clear error; the same path (or two temporary stores) may be opened once at a time.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseStore, MAX_QUERY_SIZE, type Runner } from './clickhouse.ts';

type ChdbResult = { text(): string };
type ChdbSession = {
  queryBindAsync(sql: string, params: object, opts?: { format?: string; signal?: AbortSignal; timeout?: number }): Promise<ChdbResult>;
  insert(opts: { table: string; values: string; format: string; settings?: Record<string, unknown> }): Promise<unknown>;
  query(sql: string, format?: string): string;
  close(): void;
  cleanup?(): void;
};

let loaded: { Session: new (path?: string) => ChdbSession } | undefined;
function chdb(): { Session: new (path?: string) => ChdbSession } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    loaded = require('chdb') as { Session: new (path?: string) => ChdbSession };
  } catch (error) {
    throw new Error(`chDB is not installed (run: bash scripts/ensure-chdb.sh): ${(error as Error).message}`);
  }
  return loaded;
}

/** True when the chdb package can be loaded (tests skip with a message otherwise). */
export function chdbAvailable(): boolean {
  try {
    chdb();
    return true;
  } catch {
    return false;
  }
}

function parseRows(text: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as Record<string, unknown>);
  return rows;
}

class ChdbRunner implements Runner {
  constructor(
    private readonly session: ChdbSession,
    private readonly temporary: string | null,
  ) {}

  async select(sql: string, params: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Record<string, unknown>[]> {
    const result = await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow', signal: opts.signal });
    return parseRows(result.text());
  }

  async command(sql: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' });
  }

  async insertRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
    // chDB's row-array insert builds VALUES text, which does not take JSON objects; JSON lines do.
    await this.session.insert({ table, values: rows.map((r) => JSON.stringify(r)).join('\n'), format: 'JSONEachRow' });
  }

  async close(): Promise<void> {
    this.session.close();
    if (this.temporary) rmSync(this.temporary, { recursive: true, force: true });
  }
}

export type ChdbStoreOptions = { path?: string; queryTimeoutMs?: number };

// One chDB session per process (chDB keeps one data directory per process). Temporary stores
// share a temporary directory; each new one starts from empty tables, one open at a time.
let current: { session: ChdbSession; path: string; temporary: boolean; open: boolean } | undefined;

class SharedRunner extends ChdbRunner {
  override async close(): Promise<void> {
    if (current) current.open = false;
  }
}

/** Open a chDB database directory (a fresh temporary database when `path` is omitted). */
export async function openChdbStore(options: ChdbStoreOptions = {}): Promise<ClickHouseStore> {
  const { Session } = chdb();
  const temporary = options.path === undefined || options.path === ':memory:';
  if (current?.open) throw new Error(`a chDB store is already open in this process (${current.path}); close it first`);
  if (current && (temporary ? !current.temporary : current.path !== options.path)) {
    throw new Error(`chDB holds one data directory per process: ${current.path} is in use, cannot open ${options.path ?? 'a temporary store'}`);
  }
  if (!current) {
    const path = temporary ? mkdtempSync(join(tmpdir(), 'segscope-chdb-')) : options.path!;
    mkdirSync(path, { recursive: true });
    current = { session: new Session(path), path, temporary, open: false };
    if (temporary) process.once('exit', () => rmSync(path, { recursive: true, force: true }));
  }
  // Session-wide, before any statement is parsed (see MAX_QUERY_SIZE).
  await current.session.queryBindAsync(`SET max_query_size = ${MAX_QUERY_SIZE}`, {}, { format: 'JSONEachRow' });
  const runner = new SharedRunner(current.session, null);
  if (temporary) {
    for (const table of ['events', 'property_columns']) await runner.command(`DROP TABLE IF EXISTS ${table} SYNC`);
  }
  current.open = true;
  try {
    return await ClickHouseStore.open(runner, { queryTimeoutMs: options.queryTimeoutMs });
  } catch (error) {
    current.open = false;
    throw error;
  }
}
