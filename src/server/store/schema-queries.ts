// What the query builder asks about the data: event names, the properties of an event with the
// types seen, and the top values of a property. All of it is read from the typed columns (never
// by parsing JSON), through catalog names and bound values only.
//
// Answers are cached per store until the data changes (DuckDbStore.dataVersion); a store without
// a version (e.g. a remote one others write to) is asked every time.

import type { Catalog, CatalogEntry, PropertyType, Store } from './types.ts';
import { quoteIdentifier } from './quote.ts';
import type { DataStats } from './event-stats.ts';

export type EventSummary = { name: string; count: number };
export type PropertySummary = { name: string; count: number; types: { type: PropertyType; count: number }[] };
export type ValueSummary = { value: string | number | boolean; type: 'string' | 'number' | 'boolean'; count: number };
export type ListValuesOptions = { event?: string | null; property: string; prefix?: string | null; limit?: number };

const DEFAULT_EVENTS_LIMIT = 10_000;
const DEFAULT_VALUES_LIMIT = 50;
const CACHE_ENTRIES = 256;

/** Event names with their counts, most frequent first (ties by name). */
export async function listEvents(store: Store, options: { limit?: number } = {}): Promise<EventSummary[]> {
  const limit = clampLimit(options.limit ?? DEFAULT_EVENTS_LIMIT, 100_000);
  return cached(store, `events\u0000${limit}`, async () => {
    const stats = await statsOf(store);
    if (stats) {
      const all = [...stats].map(([name, entry]) => ({ name, count: entry.count }));
      return all.sort((a, b) => b.count - a.count || compareText(a.name, b.name)).slice(0, limit);
    }
    const rows = await store.query<{ name: string; count: number }>(
      'SELECT event AS name, count(*)::DOUBLE AS count FROM events GROUP BY event ORDER BY count DESC, name LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ name: row.name, count: row.count }));
  });
}

/**
 * The properties present on `event` (all events when null), each with the number of events that
 * have it and a count per JSON type seen; most common first (ties by name).
 */
export async function listProperties(store: Store, event?: string | null): Promise<PropertySummary[]> {
  const entries = catalogEntries(store.catalog());
  if (entries.length === 0) return [];
  return cached(store, `properties\u0000${event ?? '\u0001all'}`, async () => {
    const stats = await statsOf(store);
    if (stats) {
      const row: Record<string, number> = {};
      const wanted = event == null ? [...stats.values()] : stats.has(event) ? [stats.get(event)!] : [];
      entries.forEach((entry, i) => {
        row[`c${i}`] = wanted.reduce((sum, s) => sum + (s.columns.get(entry.column) ?? 0), 0);
      });
      return summarise(entries, row);
    }
    // One scan: a non-NULL count per typed column. (A null column is TRUE or NULL, so count() works.)
    const counts = entries.map((entry, i) => `count(${quoteIdentifier(entry.column)})::DOUBLE AS ${quoteIdentifier(`c${i}`)}`);
    const where = event == null ? '' : ' WHERE event = $1';
    const [row] = await store.query<Record<string, number>>(`SELECT ${counts.join(', ')} FROM events${where}`, event == null ? [] : [event]);
    return summarise(entries, row);
  });
}

function summarise(entries: readonly CatalogEntry[], row: Record<string, number> | undefined): PropertySummary[] {
  const byName = new Map<string, PropertySummary>();
  entries.forEach((entry, i) => {
    const count = row?.[`c${i}`] ?? 0;
    if (count === 0) return;
    let summary = byName.get(entry.property);
    if (!summary) byName.set(entry.property, (summary = { name: entry.property, count: 0, types: [] }));
    // Typed columns of one property are exclusive per event, so their counts add up.
    summary.count += count;
    summary.types.push({ type: entry.type, count });
  });
  const out = [...byName.values()];
  for (const summary of out) summary.types.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return out.sort((a, b) => b.count - a.count || compareText(a.name, b.name));
}

/**
 * The most frequent values of `property` (strings, numbers and booleans) on `event` (all events
 * when null). `prefix` keeps values whose text starts with it, ignoring case; it is bound as a
 * value and compared with starts_with, so `%`, `_` and `\` in it are plain characters.
 */
export async function listValues(store: Store, options: ListValuesOptions): Promise<ValueSummary[]> {
  const { property } = options;
  const event = options.event ?? null;
  const prefix = options.prefix ?? null;
  const limit = clampLimit(options.limit ?? DEFAULT_VALUES_LIMIT, 10_000);
  const catalog = store.catalog();
  const parts: { type: ValueSummary['type']; column: string; text: (c: string) => string }[] = [];
  const stringColumn = catalog.column(property, 'string');
  const numberColumn = catalog.column(property, 'number');
  const booleanColumn = catalog.column(property, 'boolean');
  if (stringColumn) parts.push({ type: 'string', column: stringColumn, text: (c) => c });
  if (numberColumn) parts.push({ type: 'number', column: numberColumn, text: (c) => `CAST(${c} AS VARCHAR)` });
  if (booleanColumn) parts.push({ type: 'boolean', column: booleanColumn, text: (c) => `CAST(${c} AS VARCHAR)` });
  if (parts.length === 0) return [];
  const key = `values\u0000${event ?? '\u0001all'}\u0000${property}\u0000${prefix ?? '\u0001none'}\u0000${limit}`;
  return cached(store, key, async () => {
  const params: unknown[] = [limit];
  const eventParam = event === null ? null : `$${params.push(event)}`;
  const prefixParam = prefix === null || prefix === '' ? null : `$${params.push(prefix)}`;
  const selects = parts.map(({ type, column, text }) => {
    const c = quoteIdentifier(column);
    const conditions = [`${c} IS NOT NULL`];
    if (eventParam) conditions.push(`event = ${eventParam}`);
    if (prefixParam) conditions.push(`starts_with(lower(${text(c)}), lower(${prefixParam}))`);
    const s = type === 'string' ? c : 'NULL::VARCHAR';
    const n = type === 'number' ? c : 'NULL::DOUBLE';
    const b = type === 'boolean' ? c : 'NULL::BOOLEAN';
    return `(SELECT ${s} AS s, ${n} AS n, ${b} AS b, count(*)::DOUBLE AS count FROM events WHERE ${conditions.join(' AND ')} GROUP BY ${c} ORDER BY count DESC LIMIT $1)`;
  });
  const sql = `SELECT s, n, b, count FROM (${selects.join(' UNION ALL ')}) ORDER BY count DESC, s NULLS LAST, n NULLS LAST, b NULLS LAST LIMIT $1`;
  const rows = await store.query<{ s: string | null; n: number | null; b: boolean | null; count: number }>(sql, params);
  return rows.map((row): ValueSummary => {
    if (row.s !== null) return { value: row.s, type: 'string', count: row.count };
    if (row.n !== null) return { value: row.n, type: 'number', count: row.count };
    return { value: row.b as boolean, type: 'boolean', count: row.count };
  });
  });
}

/** The store's maintained stats when it keeps them (DuckDbStore), else null (ask SQL). */
async function statsOf(store: Store): Promise<DataStats | null> {
  const withStats = store as Store & { stats?: () => Promise<DataStats> };
  return typeof withStats.stats === 'function' ? withStats.stats() : null;
}

function catalogEntries(catalog: Catalog): readonly CatalogEntry[] {
  if (typeof catalog.entries !== 'function') throw new Error('this store\'s catalog cannot list its columns');
  return catalog.entries();
}

function clampLimit(limit: number, max: number): number {
  if (!Number.isFinite(limit)) return max;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Code-point order, so the answer does not depend on the server's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- cache -----------------------------------------------------------------------------------

type Cache = { version: number; answers: Map<string, Promise<unknown>> };
const caches = new WeakMap<Store, Cache>();

function cached<T>(store: Store, key: string, compute: () => Promise<T>): Promise<T> {
  const version = (store as { dataVersion?: unknown }).dataVersion;
  if (typeof version !== 'number') return compute();
  let cache = caches.get(store);
  if (!cache || cache.version !== version) caches.set(store, (cache = { version, answers: new Map() }));
  const hit = cache.answers.get(key);
  if (hit) {
    // Refresh recency (Map keeps insertion order; the oldest key is evicted first).
    cache.answers.delete(key);
    cache.answers.set(key, hit);
    return hit as Promise<T>;
  }
  const answer = compute();
  cache.answers.set(key, answer);
  // A failed answer (timeout, closed store) is not kept.
  answer.catch(() => cache.answers.get(key) === answer && cache.answers.delete(key));
  if (cache.answers.size > CACHE_ENTRIES) cache.answers.delete(cache.answers.keys().next().value!);
  return answer;
}
