// The bulk path measured against the alternative it beat (figures only; measure.ts prints them):
// stage the batch as a tab-separated file and let DuckDB's multi-threaded CSV reader load it,
// with every scalar typed column computed in SQL from the properties JSON (one json_extract of
// all the catalog's JSON-pointer paths per row, then json_type/casts on the small values). Lists
// and objects come from JS (JSON.stringify, as the bulk path stores them: DuckDB would
// re-serialise them, e.g. 1e+21 as 1e21). It skips the insert_id dedupe, so it is flattered.
// Not exact either (a -0 or a lone surrogate would differ): kept as a measurement, not a path.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDbStore } from './duckdb.ts';
import type { CatalogEntry } from './catalog.ts';
import { jsonValue, propertyTypeOf } from './property-type.ts';
import { quoteIdentifier } from './quote.ts';
import type { StoredEvent } from './types.ts';

/** The path as a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`; anything else is literal. */
export function jsonPointer(property: string): string {
  return '/' + property.replace(/~/g, '~0').replace(/\//g, '~1');
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function scalarSql(entry: CatalogEntry, value: string): string {
  switch (entry.type) {
    case 'string':
      return `CASE WHEN json_type(${value}) = 'VARCHAR' THEN json_extract_string(${value}, '$') END`;
    case 'number':
      return `CASE WHEN json_type(${value}) IN ('DOUBLE', 'BIGINT', 'UBIGINT') THEN ${value}::DOUBLE END`;
    case 'boolean':
      return `CASE WHEN json_type(${value}) = 'BOOLEAN' THEN ${value}::BOOLEAN END`;
    default:
      return `CASE WHEN json_type(${value}) = 'NULL' THEN true END`;
  }
}

/**
 * Loads `events` (whose (property, type) pairs must all be in the store's catalog already) by the
 * staged-file route; returns the CPU ms spent building the file and in total.
 */
export async function stagedLoad(store: DuckDbStore, events: readonly StoredEvent[]): Promise<{ buildCpuMs: number }> {
  const c0 = process.cpuUsage();
  const catalog = store.catalog();
  const entries = catalog.entries();
  const scalars = entries.filter((e) => e.type !== 'list' && e.type !== 'object');
  const nested = entries.filter((e) => e.type === 'list' || e.type === 'object');
  const nestedIndex = new Map(nested.map((e, i) => [e.column, i]));
  const lines: string[] = [];
  const extra: string[] = new Array(nested.length);
  for (const event of events) {
    extra.fill('');
    const properties = event.properties;
    for (const key in properties) {
      const value = jsonValue(properties[key]);
      const type = propertyTypeOf(value);
      if (type !== 'list' && type !== 'object') continue;
      const column = catalog.column(key, type);
      if (column === null) throw new Error(`no column for ${JSON.stringify(key)} (${type})`);
      extra[nestedIndex.get(column)!] = JSON.stringify(value);
    }
    const tail = nested.length > 0 ? `\t${extra.join('\t')}` : '';
    lines.push(`${Math.floor(event.time * 1000)}\t${JSON.stringify(event.event)}\t${JSON.stringify(event.distinct_id)}\t${JSON.stringify(event.insert_id)}\t${JSON.stringify(properties)}${tail}\n`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'segscope-staged-'));
  try {
    const file = join(dir, 'batch.tsv');
    writeFileSync(file, lines.join(''));
    const u = process.cpuUsage(c0);
    const columns = `{'t': 'BIGINT', 'e': 'VARCHAR', 'd': 'VARCHAR', 'i': 'VARCHAR', 'p': 'VARCHAR'${nested.map((_, i) => `, 'x${i}': 'VARCHAR'`).join('')}}`;
    const typed = entries.map((e) =>
      e.type === 'list' || e.type === 'object' ? `x${nestedIndex.get(e.column)}` : scalarSql(e, `v[${scalars.indexOf(e) + 1}]`),
    );
    const paths = scalars.map((e) => sqlString(jsonPointer(e.property))).join(', ');
    await store.execute(
      `INSERT INTO events (time, event, distinct_id, insert_id, properties${entries.map((e) => `, ${quoteIdentifier(e.column)}`).join('')})
       SELECT make_timestamp(t), json_extract_string(e, '$'), json_extract_string(d, '$'), json_extract_string(i, '$'), p${typed.map((t) => `, ${t}`).join('')}
       FROM (SELECT *, json_extract(p, [${paths}]::VARCHAR[]) AS v
             FROM read_csv(${sqlString(file)}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false,
                           nullstr = '', new_line = '\\n', columns = ${columns}))`,
      [],
    );
    return { buildCpuMs: (u.user + u.system) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
