import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, HOSTILE_BROWSER } from './fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

async function get(url: string): Promise<{ status: number; json: any }> {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, json: res.json() };
}

describe('schema endpoints', () => {
  it('GET /api/events lists names with counts, most frequent first', async () => {
    const { status, json } = await get('/api/events');
    expect(status).toBe(200);
    expect(json).toEqual({ events: [{ name: 'Purchase', count: 8 }, { name: 'Signup', count: 1 }] });
  });

  it('GET /api/properties?event= lists properties with the types seen and their counts', async () => {
    const { json } = await get('/api/properties?event=Purchase');
    expect(json.event).toBe('Purchase');
    expect(json.properties.map((p: { name: string }) => p.name)).toEqual(['$browser', 'distinct_id', 'price', 'time', 'country', 'items']);
    const price = json.properties.find((p: { name: string }) => p.name === 'price');
    expect(price).toEqual({ name: 'price', count: 8, types: [{ type: 'number', count: 7 }, { type: 'string', count: 1 }] });
    const country = json.properties.find((p: { name: string }) => p.name === 'country');
    expect(country.types).toEqual([{ type: 'string', count: 4 }, { type: 'null', count: 1 }]);
    const all = await get('/api/properties');
    expect(all.json.properties.map((p: { name: string }) => p.name)).toContain('plan');
    const none = await get('/api/properties?event=Nope');
    expect(none.json.properties).toEqual([]);
  });

  it('GET /api/values lists top values with counts, filtered by a case-insensitive prefix', async () => {
    const { json } = await get('/api/values?event=Purchase&property=%24browser');
    expect(json.values).toEqual([
      { value: 'Chrome', type: 'string', count: 5 },
      { value: HOSTILE_BROWSER, type: 'string', count: 1 },
      { value: 'Firefox', type: 'string', count: 1 },
      { value: 'Safari', type: 'string', count: 1 },
    ]);
    const prefixed = await get('/api/values?event=Purchase&property=%24browser&prefix=cH');
    expect(prefixed.json.values).toEqual([{ value: 'Chrome', type: 'string', count: 5 }]);
    const limited = await get('/api/values?property=%24browser&limit=2');
    expect(limited.json.values).toHaveLength(2);
    const prices = await get('/api/values?event=Purchase&property=price');
    expect(prices.json.values[0]).toEqual({ value: 1, type: 'number', count: 3 });
    expect(prices.json.values).toContainEqual({ value: '7', type: 'string', count: 1 });
    const unknown = await get('/api/values?property=nope');
    expect(unknown.json.values).toEqual([]);
  });

  it.each([
    ['/api/values', 'missing_field', 'query.property'],
    ['/api/values?property=a&limit=0', 'invalid_limit', 'query.limit'],
    ['/api/values?property=a&limit=1001', 'invalid_limit', 'query.limit'],
    ['/api/values?property=a&limit=ten', 'invalid_limit', 'query.limit'],
    ['/api/values?property=a&property=b', 'invalid_request', 'query.property'],
    ['/api/values?property=a&colour=red', 'unknown_field', 'query.colour'],
    ['/api/properties?evnt=Purchase', 'unknown_field', 'query.evnt'],
    ['/api/events?x=1', 'unknown_field', 'query.x'],
  ])('%s → 400 %s at %s', async (url, code, path) => {
    const { status, json } = await get(url);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code, path, line: null, column: null });
  });
});
