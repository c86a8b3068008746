// Per event name: how many events, and how many have a value in each typed column. The query
// builder's event and property lists are read from this instead of scanning the table each time:
// it is computed with one GROUP BY scan when first asked, then kept exact by adding each inserted
// batch's counts (the insert path already walks every property). Any execute() may have changed
// `events` (e.g. a DELETE), so it drops the stats and the next request scans again.

import type { DuckDbCatalog } from './catalog.ts';
import { quoteIdentifier } from './quote.ts';
import type { StoredEvent } from './types.ts';
import { jsonValue, propertyTypeOf } from './property-type.ts';

export type EventStats = { count: number; columns: Map<string, number> };
/** event name → its stats. */
export type DataStats = Map<string, EventStats>;

/** The SQL for a full recount (one column `cN` per catalog entry, in order). */
export function statsQuery(catalog: DuckDbCatalog): string {
  const counts = catalog.entries().map((entry, i) => `, count(${quoteIdentifier(entry.column)})::DOUBLE AS ${quoteIdentifier(`c${i}`)}`);
  return `SELECT event, count(*)::DOUBLE AS n${counts.join('')} FROM events GROUP BY event`;
}

export function statsFromRows(catalog: DuckDbCatalog, rows: readonly Record<string, unknown>[]): DataStats {
  const entries = catalog.entries();
  const stats: DataStats = new Map();
  for (const row of rows) {
    const columns = new Map<string, number>();
    entries.forEach((entry, i) => {
      const count = Number(row[`c${i}`] ?? 0);
      if (count > 0) columns.set(entry.column, count);
    });
    stats.set(String(row.event), { count: Number(row.n), columns });
  }
  return stats;
}

/** Adds stored events to the stats (the catalog must already have their columns). */
export function addToStats(stats: DataStats, catalog: DuckDbCatalog, events: readonly StoredEvent[]): void {
  for (const event of events) {
    let entry = stats.get(event.event);
    if (!entry) stats.set(event.event, (entry = { count: 0, columns: new Map() }));
    entry.count++;
    const properties = event.properties;
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
      const type = propertyTypeOf(jsonValue(properties[key]));
      if (type === undefined) continue;
      const column = catalog.column(key, type);
      if (column !== null) entry.columns.set(column, (entry.columns.get(column) ?? 0) + 1);
    }
  }
}
