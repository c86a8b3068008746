// Which store a command opens, from `--store` / SEGSCOPE_STORE (or the older `--db PATH`):
//   duckdb:PATH or a plain PATH (or :memory:)       the embedded DuckDB file (default)
//   clickhouse://user:pass@host:8123/db             a ClickHouse server over HTTP (clickhouses:// for TLS;
//                                                   ?cluster=NAME for a sharded cluster, see deploy/clickhouse)
//   chdb:PATH                                       ClickHouse embedded through chDB (tests, benchmarks)
// Stores are loaded lazily, so a DuckDB user never loads the ClickHouse client and vice versa.
import type { Store } from './types.ts';

export type StoreSpec =
  | { kind: 'duckdb'; path: string }
  | { kind: 'clickhouse'; url: string }
  | { kind: 'chdb'; path: string | undefined };

export class StoreSpecError extends Error {
  override readonly name = 'StoreSpecError';
}

/** Parse a store description; throws StoreSpecError naming what is wrong. */
export function parseStoreSpec(text: string): StoreSpec {
  const spec = text.trim();
  if (spec === '') throw new StoreSpecError('the store is empty: give a DuckDB path, clickhouse://user:pass@host:8123/db or chdb:PATH');
  if (/^(clickhouses?|https?):\/\//i.test(spec)) {
    try {
      new URL(spec);
    } catch {
      throw new StoreSpecError(`not a valid ClickHouse URL: ${JSON.stringify(spec)} (expected clickhouse://user:pass@host:8123/db)`);
    }
    return { kind: 'clickhouse', url: spec };
  }
  if (/^chdb:/i.test(spec)) {
    const path = spec.slice(5);
    return { kind: 'chdb', path: path === '' || path === ':memory:' ? undefined : path };
  }
  if (/^duckdb:/i.test(spec)) {
    const path = spec.slice(7);
    if (path === '') throw new StoreSpecError('duckdb: needs a path (or :memory:)');
    return { kind: 'duckdb', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new StoreSpecError(`unknown store scheme in ${JSON.stringify(spec)} (use clickhouse://, chdb: or a DuckDB path)`);
  return { kind: 'duckdb', path: spec };
}

/** The store to open: `--store` first, then SEGSCOPE_STORE, then the DuckDB path (`--db` or the default). */
export function resolveStoreSpec(options: { store?: string | undefined; db?: string | undefined; defaultDb: string; env?: NodeJS.ProcessEnv }): StoreSpec {
  const env = options.env ?? process.env;
  if (options.store !== undefined) return parseStoreSpec(options.store);
  if (options.db !== undefined) return { kind: 'duckdb', path: options.db };
  if (env.SEGSCOPE_STORE !== undefined && env.SEGSCOPE_STORE !== '') return parseStoreSpec(env.SEGSCOPE_STORE);
  return { kind: 'duckdb', path: options.defaultDb };
}

/** A short name for messages, without the password. */
export function describeStoreSpec(spec: StoreSpec): string {
  if (spec.kind === 'duckdb') return spec.path;
  if (spec.kind === 'chdb') return `chdb:${spec.path ?? '(temporary)'}`;
  const u = new URL(spec.url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** `notice`: one-off messages worth showing a person waiting (e.g. a one-time rebuild of an older file). */
export async function openStoreSpec(spec: StoreSpec, options: { queryTimeoutMs?: number; notice?: (message: string) => void } = {}): Promise<Store> {
  switch (spec.kind) {
    case 'duckdb': {
      const { mkdirSync } = await import('node:fs');
      const { dirname, resolve } = await import('node:path');
      if (spec.path !== ':memory:') mkdirSync(dirname(resolve(spec.path)), { recursive: true });
      const { openDuckDbStore } = await import('./duckdb.ts');
      return openDuckDbStore({ path: spec.path, ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}), ...(options.notice ? { notice: options.notice } : {}) });
    }
    case 'clickhouse': {
      const { openClickHouseStore } = await import('./clickhouse.ts');
      return openClickHouseStore({ url: spec.url, queryTimeoutMs: options.queryTimeoutMs });
    }
    case 'chdb': {
      const { openChdbStore } = await import('./chdb.ts');
      return openChdbStore({ path: spec.path, queryTimeoutMs: options.queryTimeoutMs });
    }
  }
}

/** Parse and open in one step (`--store` text or SEGSCOPE_STORE). */
export async function openStore(text: string, options: { queryTimeoutMs?: number } = {}): Promise<Store> {
  return openStoreSpec(parseStoreSpec(text), options);
}

/** The schema queries (events, properties, values) in the store's own SQL, same signatures for both. */
export async function schemaQueriesFor(store: Pick<Store, 'dialect'>): Promise<{
  listEvents: typeof import('./schema-queries.ts').listEvents;
  listProperties: typeof import('./schema-queries.ts').listProperties;
  listValues: typeof import('./schema-queries.ts').listValues;
}> {
  if (store.dialect === 'clickhouse') {
    const ch = await import('./clickhouse.ts');
    return { listEvents: ch.listEventsClickHouse, listProperties: ch.listPropertiesClickHouse, listValues: ch.listValuesClickHouse };
  }
  const duck = await import('./schema-queries.ts');
  return { listEvents: duck.listEvents, listProperties: duck.listProperties, listValues: duck.listValues };
}
