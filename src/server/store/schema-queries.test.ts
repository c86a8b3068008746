import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents, listProperties, listValues, openDuckDbStore } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import type { StoredEvent } from './types.ts';

let n = 0;
function ev(event: string, properties: Record<string, unknown>): StoredEvent {
  n++;
  return { event, time: Date.UTC(2024, 0, 1) + n, distinct_id: `u${n % 3}`, insert_id: `i${n}`, properties };
}

describe('schema queries', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    await store.insertEvents([
      ev('Page View', { city: 'Zürich', plan: 'pro', n: 1 }),
      ev('Page View', { city: 'zürich', plan: 2, n: 1 }),
      ev('Page View', { city: 'São Paulo', plan: null, n: 2 }),
      ev('Page View', { city: '100%_off\\x', flag: true }),
      ev('Purchase', { city: 'Zürich', price: 9.5, items: ['a'], flag: false }),
      ev('Purchase', { city: 'Zürich', price: 9.5, address: { zip: '8001' } }),
      ev('Search', { term: '🎉 party', flag: true }),
    ]);
  });
  afterAll(async () => {
    await store.close();
  });

  it('lists events most frequent first', async () => {
    expect(await listEvents(store)).toEqual([
      { name: 'Page View', count: 4 },
      { name: 'Purchase', count: 2 },
      { name: 'Search', count: 1 },
    ]);
    expect(await listEvents(store, { limit: 1 })).toEqual([{ name: 'Page View', count: 4 }]);
  });

  it('lists properties with their types and counts, per event or overall', async () => {
    expect(await listProperties(store, 'Page View')).toEqual([
      { name: 'city', count: 4, types: [{ type: 'string', count: 4 }] },
      { name: 'n', count: 3, types: [{ type: 'number', count: 3 }] },
      {
        name: 'plan',
        count: 3,
        types: [
          { type: 'null', count: 1 },
          { type: 'number', count: 1 },
          { type: 'string', count: 1 },
        ],
      },
      { name: 'flag', count: 1, types: [{ type: 'boolean', count: 1 }] },
    ]);
    const all = await listProperties(store, null);
    expect(all.map((p) => [p.name, p.count])).toEqual([
      ['city', 6],
      ['flag', 3],
      ['n', 3],
      ['plan', 3],
      ['price', 2],
      ['address', 1],
      ['items', 1],
      ['term', 1],
    ]);
    expect(all.find((p) => p.name === 'items')?.types).toEqual([{ type: 'list', count: 1 }]);
    expect(await listProperties(store, 'No Such Event')).toEqual([]);
    expect(await listProperties(store, "'; DROP TABLE events; --")).toEqual([]);
  });

  it('lists top values of every scalar type, optionally per event', async () => {
    expect(await listValues(store, { property: 'city' })).toEqual([
      { value: 'Zürich', type: 'string', count: 3 },
      { value: '100%_off\\x', type: 'string', count: 1 },
      { value: 'São Paulo', type: 'string', count: 1 },
      { value: 'zürich', type: 'string', count: 1 },
    ]);
    expect(await listValues(store, { property: 'plan', event: 'Page View' })).toEqual([
      { value: 'pro', type: 'string', count: 1 },
      { value: 2, type: 'number', count: 1 },
    ]);
    expect(await listValues(store, { property: 'flag' })).toEqual([
      { value: true, type: 'boolean', count: 2 },
      { value: false, type: 'boolean', count: 1 },
    ]);
    expect(await listValues(store, { property: 'city', event: 'Purchase', limit: 1 })).toEqual([{ value: 'Zürich', type: 'string', count: 2 }]);
    expect(await listValues(store, { property: 'nope' })).toEqual([]);
    expect(await listValues(store, { property: 'items' })).toEqual([]);
  });

  it('filters by prefix ignoring case, with LIKE wildcards taken literally', async () => {
    expect(await listValues(store, { property: 'city', prefix: 'ZÜ' })).toEqual([
      { value: 'Zürich', type: 'string', count: 3 },
      { value: 'zürich', type: 'string', count: 1 },
    ]);
    expect(await listValues(store, { property: 'city', prefix: '100%_' })).toEqual([{ value: '100%_off\\x', type: 'string', count: 1 }]);
    expect(await listValues(store, { property: 'city', prefix: '%' })).toEqual([]);
    expect(await listValues(store, { property: 'city', prefix: '_' })).toEqual([]);
    expect(await listValues(store, { property: 'flag', prefix: 'TR' })).toEqual([{ value: true, type: 'boolean', count: 2 }]);
    expect(await listValues(store, { property: 'term', prefix: '🎉' })).toEqual([{ value: '🎉 party', type: 'string', count: 1 }]);
    expect(await listValues(store, { property: 'city', prefix: "' OR 1=1 --" })).toEqual([]);
  });

  it('sees new data after an insert (the cache follows the data version)', async () => {
    const before = await listEvents(store);
    expect(before.find((e) => e.name === 'Signup')).toBeUndefined();
    await store.insertEvents([ev('Signup', { city: 'Kraków' }), ev('Signup', { city: 'Kraków' }), ev('Signup', {})]);
    expect((await listEvents(store)).find((e) => e.name === 'Signup')).toEqual({ name: 'Signup', count: 3 });
    expect((await listValues(store, { property: 'city', prefix: 'kr' }))[0]).toEqual({ value: 'Kraków', type: 'string', count: 2 });
  });
});

describe('schema queries from maintained stats', () => {
  it('stay exact through inserts, new columns and an execute() that deletes', async () => {
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    try {
      await store.insertEvents([ev('A', { x: 1 }), ev('A', { x: 'one' }), ev('B', { y: true })]);
      expect(await listEvents(store)).toEqual([
        { name: 'A', count: 2 },
        { name: 'B', count: 1 },
      ]);
      // Stats now exist; later inserts are added to them, including new columns and duplicates skipped.
      const later = ev('B', { y: false, z: [1] });
      await store.insertEvents([later, later, ev('C', { x: 2 })]);
      expect(await listEvents(store)).toEqual([
        { name: 'A', count: 2 },
        { name: 'B', count: 2 },
        { name: 'C', count: 1 },
      ]);
      expect(await listProperties(store, 'B')).toEqual([
        { name: 'y', count: 2, types: [{ type: 'boolean', count: 2 }] },
        { name: 'z', count: 1, types: [{ type: 'list', count: 1 }] },
      ]);
      expect((await listProperties(store)).find((p) => p.name === 'x')).toEqual({
        name: 'x',
        count: 3,
        types: [
          { type: 'number', count: 2 },
          { type: 'string', count: 1 },
        ],
      });
      await store.execute('DELETE FROM events WHERE event = $1', ['A']);
      expect(await listEvents(store)).toEqual([
        { name: 'B', count: 2 },
        { name: 'C', count: 1 },
      ]);
      expect((await listProperties(store)).find((p) => p.name === 'x')).toEqual({ name: 'x', count: 1, types: [{ type: 'number', count: 1 }] });
    } finally {
      await store.close();
    }
  });
});
