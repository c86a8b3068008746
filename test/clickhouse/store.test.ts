// The ClickHouse store on real ClickHouse (chDB): schema, typed columns, exact insert_id dedupe,
// acknowledgement, read-only and one-statement query(), the time budget, positional parameters
// (ingestion's side tables), and the schema queries giving DuckDB's answers on the same events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSideTables, loadAliases, loadProfiles, saveAliases, saveProfiles } from '../../src/server/ingest/side-tables.ts';
import { parse } from '../../src/expr/parse.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import { clickhouseSettings } from '../../src/server/sql/clickhouse.ts';
import { bindStatement, listEventsClickHouse, listPropertiesClickHouse, listValuesClickHouse, type ClickHouseStore } from '../../src/server/store/clickhouse.ts';
import { NotReadOnlyError, QueryTimeoutError } from '../../src/server/store/errors.ts';
import { listEvents, listProperties, listValues } from '../../src/server/store/schema-queries.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { memoryStore } from '../engine/harness.ts';
import { HAVE_CHDB, chdbStore } from './harness.ts';

const T = Date.UTC(2024, 1, 1, 12);
const ev = (id: string, event: string, user: string, properties: Record<string, unknown>, dt = 0): StoredEvent => ({
  event,
  time: T + dt,
  distinct_id: user,
  insert_id: id,
  properties,
});

const EVENTS: StoredEvent[] = [
  ev('a1', 'Purchase', 'u1', { price: 25, plan: 'pro', tags: ['x', 'y'], coupon: null, vip: true }),
  ev('a2', 'Purchase', 'u2', { price: '30', plan: 'Pro', address: { city: 'Oslo' } }, 60_000),
  ev('a3', 'View', 'u1', { plan: 'free', price: 12.5, 'é 😀': 'ü' }, 120_000),
  ev('a4', 'View', 'u3', { plan: 'pro', vip: false }, 180_000),
];

describe.skipIf(!HAVE_CHDB)('ClickHouse store (chDB)', () => {
  let store: ClickHouseStore;
  beforeAll(async () => {
    store = await chdbStore();
  }, 60_000);
  afterAll(async () => store?.close());

  it('stores events once per insert_id, within a batch and across batches, and acknowledges after commit', async () => {
    const first = await store.insertEvents([...EVENTS, { ...EVENTS[0]!, properties: { price: 999 } }]);
    expect(first).toEqual({ inserted: 4, duplicates: 1 });
    // Visible as soon as insertEvents resolved.
    const [row] = await store.query<{ n: string }>('SELECT count() AS n FROM events', []);
    expect(Number(row!.n)).toBe(4);
    const again = await store.insertEvents([EVENTS[1]!, ev('a5', 'View', 'u4', { plan: 'free' }, 240_000)]);
    expect(again).toEqual({ inserted: 1, duplicates: 1 });
    const rows = await store.query<{ insert_id: string; price: number | null }>(`SELECT insert_id, ${'"' + store.catalog().column('price', 'number') + '"'} AS price FROM events ORDER BY insert_id`, []);
    expect(rows.map((r) => r.insert_id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    // The first of the duplicates was kept, not the later price 999.
    expect(rows[0]!.price).toBe(25);
  });

  it('dedupes by (insert_id, time) as the DuckDB store does: the same id at another time is another event', async () => {
    const same = await store.insertEvents([{ ...EVENTS[2]! }, { ...EVENTS[2]!, time: EVENTS[2]!.time + 1 }]);
    expect(same).toEqual({ inserted: 1, duplicates: 1 });
    const rows = await store.query<{ n: string }>("SELECT count() AS n FROM events WHERE insert_id = 'a3'", []);
    expect(Number(rows[0]!.n)).toBe(2);
    await store.execute("DELETE FROM events WHERE insert_id = 'a3' AND time > toDateTime64('2024-02-01 12:02:00', 3, 'UTC')", {});
  });

  it('keeps one typed column per (property, JSON type) and the JSON as sent', async () => {
    const c = store.catalog();
    expect(c.column('price', 'number')).not.toBeNull();
    expect(c.column('price', 'string')).not.toBeNull();
    expect(c.column('price', 'boolean')).toBeNull();
    expect(c.column('coupon', 'null')).not.toBeNull();
    expect(c.column('tags', 'list')).not.toBeNull();
    expect(c.column('address', 'object')).not.toBeNull();
    const [row] = await store.query<{ p: string; t: string }>(`SELECT properties AS p, "${c.column('tags', 'list')}" AS t FROM events WHERE insert_id = 'a1'`, []);
    expect(JSON.parse(row!.p)).toEqual(EVENTS[0]!.properties);
    expect(JSON.parse(row!.t)).toEqual(['x', 'y']);
    const before = c.entries().map((e) => e.column);
    await store.refreshCatalog();
    expect(store.catalog().entries().map((e) => e.column)).toEqual(before);
  });

  it('refuses writes and several statements in query()', async () => {
    await expect(store.query('INSERT INTO events (event) VALUES (1)', [])).rejects.toBeInstanceOf(NotReadOnlyError);
    await expect(store.query('SELECT 1; DROP TABLE events', [])).rejects.toBeInstanceOf(NotReadOnlyError);
    await expect(store.query("SELECT ';' AS x; ", [])).resolves.toEqual([{ x: ';' }]);
    const [row] = await store.query<{ n: string }>('SELECT count() AS n FROM events', []);
    expect(Number(row!.n)).toBe(5);
  });

  it('ends every compiled statement with readonly=2 and the time budget', async () => {
    const { buildSegmentationSql } = await import('../../src/server/segmentation.ts');
    const { clickhouseDialect } = await import('../../src/server/sql/clickhouse.ts');
    const q = { event: 'View', from: '2024-02-01', to: '2024-02-02', unit: 'day', where: null, on: null, type: 'general', limit: 60, buckets: null } as const;
    const { sql } = buildSegmentationSql(q, store.catalog(), clickhouseDialect, { now: T, timeoutMs: 2_500 });
    expect(sql).toMatch(/ SETTINGS readonly=2, max_execution_time=3, /);
    const rows = await store.query<{ kind: number }>(sql, buildSegmentationSql(q, store.catalog(), clickhouseDialect, { now: T, timeoutMs: 2_500 }).params);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('interrupts a query past its time budget with QueryTimeoutError', async () => {
    const started = performance.now();
    await expect(store.query(`SELECT count() AS n FROM numbers(1e12) WHERE sipHash64(number) = 0 ${clickhouseSettings(1_000)}`, [], { timeoutMs: 1_000 })).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('binds positional $N parameters with types from the values, outside quotes only', () => {
    expect(bindStatement("SELECT $1, '$2', $2 -- $3\n", ['a', 5])).toEqual({ sql: "SELECT {p1:String}, '$2', {p2:Int64} -- $3\n", params: { p1: 'a', p2: '5' } });
    expect(() => bindStatement('SELECT $3', ['a'])).toThrow(/\$3/);
    expect(bindStatement('SELECT {p1:String}', ['x'])).toEqual({ sql: 'SELECT {p1:String}', params: { p1: 'x' } });
  });

  it("runs ingestion's side tables (aliases, profiles) through positional parameters", async () => {
    await ensureSideTables(store);
    await saveAliases(store, [{ alias: "a'; DROP TABLE events; --", distinct_id: 'u1' }], 1000);
    expect(await loadAliases(store)).toEqual([{ alias: "a'; DROP TABLE events; --", distinct_id: 'u1' }]);
    await saveProfiles(store, new Map([['u1', { name: 'Ann' }], ['u2', null]]), 2000);
    const profiles = await loadProfiles(store, ['u1', 'u2']);
    expect([...profiles]).toEqual([['u1', { name: 'Ann' }]]);
  });

  it('runs a statement far past ClickHouse\'s default max_query_size (256 KiB), as DuckDB does', async () => {
    // lower() over a JSON value expands to the dialect's case mapping: ~1.3k characters a term.
    const group = (from: number) => Array.from({ length: 120 }, (_, i) => `lower(properties["address"]["city"]) == "v${from + i}"`).join(' or ');
    const where = parse(`(${group(0)}) or (${group(120)}) or properties["plan"] == "pro"`);
    const q = { event: 'View', from: '2024-02-01', to: '2024-02-01', unit: 'day' as const, type: 'general' as const, limit: 60, buckets: null, where, on: null };
    const got = await runSegmentation(store, q, { now: new Date(T) });
    expect(got.meta.sql.length).toBeGreaterThan(262_144);
    expect(got.meta.events_matched).toBe(1);
  }, 60_000);

  it('answers the schema queries exactly as DuckDB does on the same events', async () => {
    const duck = await memoryStore();
    try {
      await duck.insertEvents([...EVENTS, ev('a5', 'View', 'u4', { plan: 'free' }, 240_000)]);
      expect(await listEventsClickHouse(store)).toEqual(await listEvents(duck));
      for (const event of [null, 'Purchase', 'View', 'nope']) expect(await listPropertiesClickHouse(store, event)).toEqual(await listProperties(duck, event));
      for (const o of [
        { property: 'plan' },
        { property: 'plan', event: 'View' },
        { property: 'plan', prefix: 'P' },
        { property: 'price' },
        { property: 'vip' },
        { property: 'price', prefix: '2' },
        { property: 'missing' },
        { property: 'plan', prefix: "%'_\\" },
      ]) {
        expect(await listValuesClickHouse(store, o), JSON.stringify(o)).toEqual(await listValues(duck, o));
      }
    } finally {
      await duck.close();
    }
  });
});
