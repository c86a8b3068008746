// The ingestion side tables (identity aliases, user profiles) and the only SQL text ingestion runs.
// Table and column names are fixed here; every value travels as a bound parameter.
import type { Store } from '../store/types.ts';

/** `$1, $2, ...` placeholders (the stores' positional style) for `count` values from `first`. */
function marks(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}

/** Rows of `width` values each: `($1, $2), ($3, $4)`. */
function rowMarks(rows: number, width: number): string {
  return Array.from({ length: rows }, (_, r) => `(${marks(width, r * width + 1)})`).join(', ');
}

export const ALIASES_TABLE = 'segscope_aliases';
export const PROFILES_TABLE = 'segscope_profiles';

export async function ensureSideTables(store: Store): Promise<void> {
  if (store.dialect === 'clickhouse') {
    await store.execute(
      `CREATE TABLE IF NOT EXISTS ${ALIASES_TABLE} (alias String, distinct_id String, created_at Int64) ENGINE = ReplacingMergeTree ORDER BY alias`, []);
    await store.execute(
      `CREATE TABLE IF NOT EXISTS ${PROFILES_TABLE} (distinct_id String, properties String, updated_at Int64, deleted UInt8) ENGINE = ReplacingMergeTree(updated_at) ORDER BY distinct_id`, []);
    return;
  }
  await store.execute(
    `CREATE TABLE IF NOT EXISTS ${ALIASES_TABLE} (alias VARCHAR PRIMARY KEY, distinct_id VARCHAR NOT NULL, created_at BIGINT NOT NULL)`, []);
  await store.execute(
    `CREATE TABLE IF NOT EXISTS ${PROFILES_TABLE} (distinct_id VARCHAR PRIMARY KEY, properties VARCHAR NOT NULL, updated_at BIGINT NOT NULL)`, []);
}

export async function loadAliases(store: Store): Promise<Array<{ alias: string; distinct_id: string }>> {
  const final = store.dialect === 'clickhouse' ? ' FINAL' : '';
  return store.query<{ alias: string; distinct_id: string }>(
    `SELECT alias, distinct_id FROM ${ALIASES_TABLE}${final} ORDER BY created_at, alias`, []);
}

export async function saveAliases(store: Store, rows: Array<{ alias: string; distinct_id: string }>, nowMs: number): Promise<void> {
  if (rows.length === 0) return;
  if (store.dialect === 'clickhouse') {
    await store.execute(`INSERT INTO ${ALIASES_TABLE} (alias, distinct_id, created_at) VALUES ${rowMarks(rows.length, 3)}`, rows.flatMap((r) => [r.alias, r.distinct_id, nowMs]));
    return;
  }
  // Two list parameters unnested side by side: one statement however many rows (a VALUES list
  // with 100k rows takes DuckDB a minute to bind).
  await store.execute(
    `INSERT OR IGNORE INTO ${ALIASES_TABLE} (alias, distinct_id, created_at) SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), $3`,
    [rows.map((r) => r.alias), rows.map((r) => r.distinct_id), nowMs]);
}

export async function loadProfiles(store: Store, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  if (ids.length === 0) return found;
  const rows = store.dialect === 'clickhouse'
    ? await store.query<{ distinct_id: string; properties: string }>(`SELECT distinct_id, properties FROM ${PROFILES_TABLE} FINAL WHERE deleted = 0 AND distinct_id IN (${marks(ids.length)})`, ids)
    : await store.query<{ distinct_id: string; properties: string }>(`SELECT distinct_id, properties FROM ${PROFILES_TABLE} WHERE distinct_id IN (SELECT unnest($1::VARCHAR[]))`, [ids]);
  for (const row of rows) found.set(row.distinct_id, JSON.parse(row.properties) as Record<string, unknown>);
  return found;
}

/** Write the final state of each touched profile: an object to store, or null when deleted. */
export async function saveProfiles(store: Store, profiles: Map<string, Record<string, unknown> | null>, nowMs: number): Promise<void> {
  if (profiles.size === 0) return;
  const kept = [...profiles].filter(([, p]) => p !== null) as Array<[string, Record<string, unknown>]>;
  const deleted = [...profiles].filter(([, p]) => p === null).map(([id]) => id);
  if (store.dialect === 'clickhouse') {
    const rows = [...kept.map(([id, p]) => [id, JSON.stringify(p), nowMs, 0]), ...deleted.map((id) => [id, '{}', nowMs, 1])];
    await store.execute(`INSERT INTO ${PROFILES_TABLE} (distinct_id, properties, updated_at, deleted) VALUES ${rowMarks(rows.length, 4)}`, rows.flat());
    return;
  }
  if (deleted.length > 0) {
    await store.execute(`DELETE FROM ${PROFILES_TABLE} WHERE distinct_id IN (SELECT unnest($1::VARCHAR[]))`, [deleted]);
  }
  if (kept.length > 0) {
    await store.execute(
      `INSERT OR REPLACE INTO ${PROFILES_TABLE} (distinct_id, properties, updated_at) SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]), $3`,
      [kept.map(([id]) => id), kept.map(([, p]) => JSON.stringify(p)), nowMs]);
  }
}
