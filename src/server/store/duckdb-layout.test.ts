import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore, quoteIdentifier } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import type { PropertyType, StoredEvent } from './types.ts';

const T0 = Date.UTC(2024, 0, 1, 12);
let n = 0;
function ev(properties: Record<string, unknown>, extra: Partial<StoredEvent> = {}): StoredEvent {
  n++;
  return { event: 'E', time: T0 + n, distinct_id: 'u', insert_id: `id-${n}`, properties, ...extra };
}

/** The row's typed values for `property`, keyed by type, read back through the catalog. */
async function typedValues(store: DuckDbStore, insertId: string, property: string): Promise<Partial<Record<PropertyType, unknown>>> {
  const columns = [...store.catalog().columnsOf(property)];
  if (columns.length === 0) return {};
  const select = columns.map(([type, column]) => `${quoteIdentifier(column)} AS ${quoteIdentifier(`v_${type}`)}`).join(', ');
  const [row] = await store.query<Record<string, unknown>>(`SELECT ${select} FROM events WHERE insert_id = $1`, [insertId]);
  const out: Partial<Record<PropertyType, unknown>> = {};
  for (const [type] of columns) if (row![`v_${type}`] !== null) out[type] = row![`v_${type}`];
  return out;
}

describe('DuckDB store layout', () => {
  let store: DuckDbStore;
  beforeEach(async () => {
    store = await openDuckDbStore({ path: ':memory:', threads: 1 });
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps one typed column per (property, JSON type), exactly one non-null per present key', async () => {
    const e = ev({ s: 'text', n: 2.5, b: false, z: null, l: ['a', 1, null], o: { city: 'Zürich', zip: '8001' } });
    await store.insertEvents([e]);
    const catalog = store.catalog();
    expect([
      catalog.column('s', 'string'),
      catalog.column('n', 'number'),
      catalog.column('b', 'boolean'),
      catalog.column('z', 'null'),
      catalog.column('l', 'list'),
      catalog.column('o', 'object'),
    ]).toEqual(['p0_s', 'p1_n', 'p2_b', 'p3_z', 'p4_l', 'p5_o']);
    expect(catalog.column('s', 'number')).toBeNull();
    expect(await typedValues(store, e.insert_id, 's')).toEqual({ string: 'text' });
    expect(await typedValues(store, e.insert_id, 'n')).toEqual({ number: 2.5 });
    expect(await typedValues(store, e.insert_id, 'b')).toEqual({ boolean: false });
    expect(await typedValues(store, e.insert_id, 'z')).toEqual({ null: true });
    expect(await typedValues(store, e.insert_id, 'l')).toEqual({ list: '["a",1,null]' });
    expect(await typedValues(store, e.insert_id, 'o')).toEqual({ object: '{"city":"Zürich","zip":"8001"}' });
    const [row] = await store.query<{ properties: string; time: string; event: string; distinct_id: string }>(
      'SELECT properties, time, event, distinct_id FROM events',
      [],
    );
    expect(JSON.parse(row!.properties)).toEqual(e.properties);
    expect(row!.time).toBe('2024-01-01 12:00:00.001');
  });

  it('gives mixed types their own columns and leaves all of them NULL for a missing key', async () => {
    const a = ev({ plan: 'pro' });
    const b = ev({ plan: 3 });
    const c = ev({ plan: null });
    const d = ev({ other: 1 });
    await store.insertEvents([a, b, c, d]);
    expect(await typedValues(store, a.insert_id, 'plan')).toEqual({ string: 'pro' });
    expect(await typedValues(store, b.insert_id, 'plan')).toEqual({ number: 3 });
    expect(await typedValues(store, c.insert_id, 'plan')).toEqual({ null: true });
    expect(await typedValues(store, d.insert_id, 'plan')).toEqual({});
    expect(store.catalog().column('plan', 'boolean')).toBeNull();
    expect(store.catalog().column('nope', 'string')).toBeNull();
  });

  it('adds columns for keys and types first seen in a later batch, keeping old snapshots valid', async () => {
    await store.insertEvents([ev({ a: 1 })]);
    const before = store.catalog();
    const later = ev({ a: 'now a string', fresh: true });
    await store.insertEvents([later]);
    expect(before.column('a', 'string')).toBeNull();
    expect(store.catalog().column('a', 'string')).toBe('p0_s');
    expect(store.catalog().column('fresh', 'boolean')).toBe('p1_b');
    expect(await typedValues(store, later.insert_id, 'a')).toEqual({ string: 'now a string' });
    const rows = await store.query<{ n: number }>(`SELECT count(${quoteIdentifier(before.column('a', 'number')!)})::INTEGER AS n FROM events`, []);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('keeps property names that differ only in case apart', async () => {
    const e = ev({ price: 1, Price: 2, PRICE: 'three' });
    await store.insertEvents([e]);
    const catalog = store.catalog();
    const columns = [catalog.column('price', 'number'), catalog.column('Price', 'number'), catalog.column('PRICE', 'string')];
    expect(new Set(columns.map((c) => c!.toLowerCase())).size).toBe(3);
    expect(await typedValues(store, e.insert_id, 'price')).toEqual({ number: 1 });
    expect(await typedValues(store, e.insert_id, 'Price')).toEqual({ number: 2 });
    expect(await typedValues(store, e.insert_id, 'PRICE')).toEqual({ string: 'three' });
  });

  it('stores hostile property names and values verbatim without touching the SQL', async () => {
    const hostile = [
      `"; DROP TABLE events; --`,
      `'); DELETE FROM events; --`,
      'a"b',
      "it's",
      '',
      ' ',
      '東京 🎉',
      'x'.repeat(5000),
      '__proto__',
      'constructor',
      '$insert_id',
      'p0_s',
      'time',
      'properties',
    ];
    const properties = Object.fromEntries(hostile.map((name, i) => [name, `${name}#${i}`]));
    const e = ev(JSON.parse(JSON.stringify(properties)));
    expect((await store.insertEvents([e])).inserted).toBe(1);
    for (const [i, name] of hostile.entries()) {
      expect(await typedValues(store, e.insert_id, name)).toEqual({ string: `${name}#${i}` });
    }
    const [row] = await store.query<{ n: number; properties: string }>('SELECT count(*)::INTEGER AS n, any_value(properties) AS properties FROM events', []);
    expect(row!.n).toBe(1);
    expect(JSON.parse(row!.properties)).toEqual(e.properties);
    for (const entry of store.catalog().entries()) expect(entry.column).toMatch(/^p\d+_[snbzlo]$/);
  });

  it('round-trips strings around the 12-byte inline limit, unicode and NUL exactly', async () => {
    const values = [
      '',
      'a',
      'x'.repeat(11),
      'x'.repeat(12),
      'x'.repeat(13),
      'ééé',
      '東京東京',
      '東京東京東',
      '🎉🎉🎉',
      '🎉🎉🎉🎉',
      'a\u0000b',
      `long with NUL \u0000 in the middle ${'y'.repeat(20)}`,
      '\ud800',
      'São Paulo',
      'Zürich',
      'x'.repeat(100_000),
    ];
    const batch = values.map((value) => ev({ v: value, [value]: 1 }, { event: value, distinct_id: value }));
    await store.insertEvents(batch);
    const column = store.catalog().column('v', 'string')!;
    const rows = await store.query<{ v: string; event: string; distinct_id: string; insert_id: string }>(
      `SELECT ${quoteIdentifier(column)} AS v, event, distinct_id, insert_id FROM events ORDER BY time`,
      [],
    );
    const expected = values.map((value) => (value === '\ud800' ? '\ufffd' : value));
    expect(rows.map((row) => row.v)).toEqual(expected);
    expect(rows.map((row) => row.event)).toEqual(expected);
    expect(rows.map((row) => row.distinct_id)).toEqual(expected);
    // Equality and length work on the stored form (inline and heap strings compare alike).
    const [hits] = await store.query<{ n: number; l: number }>(
      `SELECT count(*)::INTEGER AS n, max(length(${quoteIdentifier(column)}))::INTEGER AS l FROM events WHERE ${quoteIdentifier(column)} IN ($1, $2, $3)`,
      ['x'.repeat(12), '東京東京', '🎉🎉🎉'],
    );
    expect(hits).toEqual({ n: 3, l: 12 });
    for (const value of values.filter((v) => v !== '\ud800')) {
      expect(store.catalog().column(value, 'number')).not.toBeNull();
    }
  });

  it('checkpoints at a 256MB WAL by default (commits do not stop for one every 16MB), or as told', async () => {
    const setting = async (s: DuckDbStore) => (await s.query<{ v: string }>("SELECT current_setting('checkpoint_threshold') AS v", []))[0]!.v;
    expect(await setting(store)).toBe('244.1 MiB'); // 256MB = 256e6 bytes
    const other = await openDuckDbStore({ path: ':memory:', threads: 1, checkpointThreshold: '32MB' });
    try {
      expect(await setting(other)).toBe('30.5 MiB');
    } finally {
      await other.close();
    }
  });

  it('reloads the catalog from the database file', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'segscope-store-'));
    const path = join(dir, 'nested', 'db.duckdb');
    try {
      const first = await openDuckDbStore({ path, threads: 1 });
      await first.insertEvents([ev({ a: 1, B: 'x' }), ev({ a: 'y' })]);
      await first.close();
      const second = await openDuckDbStore({ path, threads: 1 });
      expect(second.catalog().entries()).toEqual([
        { property: 'a', type: 'number', column: 'p0_n' },
        { property: 'B', type: 'string', column: 'p1_s' },
        { property: 'a', type: 'string', column: 'p0_s' },
      ]);
      await second.insertEvents([ev({ a: true, c: 1 })]);
      expect(second.catalog().column('a', 'boolean')).toBe('p0_b');
      expect(second.catalog().column('c', 'number')).toBe('p2_n');
      const rows = await second.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events', []);
      expect(rows).toEqual([{ n: 3 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats undefined as missing and non-finite numbers as null, as JSON does', async () => {
    const e = ev({ gone: undefined, inf: Number.POSITIVE_INFINITY, when: new Date(Date.UTC(2024, 1, 2)) });
    await store.insertEvents([e]);
    expect(store.catalog().columnsOf('gone').size).toBe(0);
    expect(await typedValues(store, e.insert_id, 'inf')).toEqual({ null: true });
    expect(await typedValues(store, e.insert_id, 'when')).toEqual({ string: '2024-02-02T00:00:00.000Z' });
    const [row] = await store.query<{ properties: string }>('SELECT properties FROM events', []);
    expect(JSON.parse(row!.properties)).toEqual({ inf: null, when: '2024-02-02T00:00:00.000Z' });
  });

  it('refuses malformed events with their index and writes nothing of the batch', async () => {
    const bad = [ev({}), { ...ev({}), time: Number.NaN }];
    await expect(store.insertEvents(bad)).rejects.toThrow(/events\[1\]: \.time/);
    await expect(store.insertEvents([{ ...ev({}), properties: [] as unknown as Record<string, unknown> }])).rejects.toThrow(/events\[0\]: \.properties/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.insertEvents([ev({ ok: 1 }), ev({ nested: { big: 1n } })])).rejects.toThrow(/events\[1\]: \.properties cannot be serialised to JSON/);
    await expect(store.insertEvents([ev(cyclic)])).rejects.toThrow(/events\[0\]: \.properties cannot be serialised/);
    expect(await store.query('SELECT * FROM events', [])).toEqual([]);
    expect(store.catalog().entries()).toEqual([]);
    // The columns the failed batch added were rolled back with it: the table still matches.
    await store.insertEvents([ev({ ok: 2, nested: { fine: true } })]);
    expect(store.catalog().entries()).toEqual([
      { property: 'ok', type: 'number', column: 'p0_n' },
      { property: 'nested', type: 'object', column: 'p1_o' },
    ]);
    const columns = await store.query<{ name: string }>(
      "SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'events' ORDER BY column_index",
      [],
    );
    expect(columns.map((c) => c.name)).toEqual(['time', 'event', 'distinct_id', 'insert_id', 'properties', 'p0_n', 'p1_o']);
  });
});
