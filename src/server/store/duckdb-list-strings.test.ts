// The derived string-elements column of list properties (catalog.ts): written by the bulk writer
// in JS, and computed in SQL when an older file is migrated. Both must equal the list's string
// elements, in order, for every row, across data chunk boundaries (2,048 rows).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDbStore, quoteIdentifier } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import type { StoredEvent } from './types.ts';

const T0 = Date.UTC(2024, 0, 1);
const SHAPES: unknown[] = [
  [],
  ['a', 1, null, 'b'],
  ['x'.repeat(12), 'x'.repeat(13), '東京', '🎉🎉🎉🎉', 'é'],
  [['a'], { a: 'b' }, 'z', true],
  ['dup', 'dup'],
  ["'; DROP TABLE events; --", '<img src=x onerror=alert(1)>', ''],
  'not a list',
  5,
];

function events(count: number): StoredEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const properties: Record<string, unknown> = { n: i };
    if (i % 9 !== 8) properties.tags = SHAPES[i % SHAPES.length];
    return { event: 'E', time: T0 + i, distinct_id: `u${i % 7}`, insert_id: `id-${i}`, properties };
  });
}

const expected = (e: StoredEvent): string[] | null => {
  const v = e.properties.tags;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
};

async function stringsByRow(store: DuckDbStore): Promise<Map<string, unknown>> {
  const column = store.catalog().listStrings('tags');
  expect(column).toBe('p1_ls');
  const rows = await store.query<{ id: string; s: unknown }>(`SELECT insert_id AS id, ${quoteIdentifier(column!)} AS s FROM events`, []);
  return new Map(rows.map((r) => [r.id, r.s]));
}

describe('string elements of list properties (DuckDB)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  it('are written for every row by the bulk writer, across chunk boundaries', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    cleanup.push(() => store.close());
    const all = events(5000);
    await store.insertEvents(all.slice(0, 4500));
    await store.insertEvents(all.slice(4500));
    const got = await stringsByRow(store);
    expect(got.size).toBe(5000);
    for (const e of all) expect(got.get(e.insert_id), e.insert_id).toEqual(expected(e));
    const [{ n }] = await store.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE list_contains("p1_ls", 'dup')`, []);
    expect(n).toBe(all.filter((e) => expected(e)?.includes('dup')).length);
  });

  it('are added to a file written before they existed, then kept up by later inserts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segscope-migrate-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'old.duckdb');
    const all = events(3000);
    // The layout of earlier versions: fixed columns, then the catalog's columns, no `_ls`.
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`CREATE TABLE events (time TIMESTAMP NOT NULL, event VARCHAR NOT NULL, distinct_id VARCHAR NOT NULL,
      insert_id VARCHAR NOT NULL, properties JSON NOT NULL, p0_n DOUBLE, p1_l JSON, p1_s VARCHAR, p1_n DOUBLE)`);
    await c.run('CREATE TABLE property_columns (seq INTEGER NOT NULL, property VARCHAR NOT NULL, type VARCHAR NOT NULL, column_name VARCHAR NOT NULL)');
    await c.run(`INSERT INTO property_columns VALUES (0, 'n', 'number', 'p0_n'), (1, 'tags', 'list', 'p1_l'), (2, 'tags', 'string', 'p1_s'), (3, 'tags', 'number', 'p1_n')`);
    const rows = all.slice(0, 2500).map((e) => {
      const t = e.properties.tags;
      return [new Date(e.time).toISOString(), e.event, e.distinct_id, e.insert_id, JSON.stringify(e.properties), e.properties.n,
        Array.isArray(t) ? JSON.stringify(t) : null, typeof t === 'string' ? t : null, typeof t === 'number' ? t : null];
    });
    await c.run(`INSERT INTO events SELECT CAST(r[1] AS TIMESTAMP), r[2], r[3], r[4], r[5], CAST(r[6] AS DOUBLE), r[7], r[8], CAST(r[9] AS DOUBLE)
      FROM (SELECT unnest(CAST($1 AS JSON)::VARCHAR[][]) AS r)`, [JSON.stringify(rows)]);
    c.closeSync();
    instance.closeSync();

    const notices: string[] = [];
    const store = await openDuckDbStore({ path, threads: 1, notice: (m) => notices.push(m) });
    cleanup.push(() => store.close());
    expect(notices).toEqual([expect.stringContaining('adding the string-elements column')]);
    await store.insertEvents(all.slice(2500));
    const got = await stringsByRow(store);
    expect(got.size).toBe(3000);
    for (const e of all) expect(got.get(e.insert_id), e.insert_id).toEqual(expected(e));
    await store.close();
    // Once: the next open finds the new layout.
    const again = await openDuckDbStore({ path, threads: 1, notice: (m) => notices.push(m) });
    await again.close();
    expect(notices).toHaveLength(1);
  });
});
