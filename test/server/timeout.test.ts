import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, StoredEvent } from '../../src/server/store/types.ts';
import { fixtureApp, fixtureStore } from './fixture.ts';

const EVENTS = 30_000;
let store: Store;

beforeAll(async () => {
  const events: StoredEvent[] = [];
  const start = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < EVENTS; i++) {
    const time = start + (i % 30) * 86_400_000 + (i % 3600) * 1000;
    events.push({
      event: 'View',
      time,
      distinct_id: `u${i % 997}`,
      insert_id: `t${i}`,
      properties: { time: time / 1000, tags: [`a${i % 13}`, `b${i % 7}`, `c${i % 101}`], n: i % 1000, s: `value ${i % 500}` },
    });
  }
  store = await fixtureStore(events);
});
afterAll(async () => {
  await store.close();
});

const heavy = {
  event: 'View',
  from: '2024-03-01',
  to: '2024-03-30',
  unit: 'hour',
  where: 'any(X, properties["tags"], has_suffix(upper(string(X)), "7") or len(string(X)) > 3) and string(properties["n"]) + properties["s"] != "x"',
  on: 'properties["tags"]',
  type: 'unique',
};

describe('the query time budget', () => {
  it('interrupts a query past its budget with 504 query_timeout while other queries keep running', async () => {
    const tight = await fixtureApp({ queryTimeoutMs: 1 }, store);
    const normal = await fixtureApp({}, store);
    const [slow, fine] = await Promise.all([
      tight.inject({ method: 'POST', url: '/api/segmentation', payload: heavy }),
      normal.inject({ method: 'POST', url: '/api/segmentation', payload: { event: 'View', from: '2024-03-01', to: '2024-03-02' } }),
    ]);
    expect(slow.statusCode).toBe(504);
    expect(slow.json().error).toEqual({
      code: 'query_timeout',
      message: expect.stringContaining('time budget of 1 ms'),
      line: null,
      column: null,
      path: null,
    });
    expect(fine.statusCode).toBe(200);
    expect(fine.json().values.View['2024-03-01']).toBe(EVENTS / 30);

    // The interrupted query left nothing stuck: the same heavy query completes with a normal budget.
    const again = await normal.inject({ method: 'POST', url: '/api/segmentation', payload: heavy });
    expect(again.statusCode).toBe(200);
    expect(again.json().meta.events_matched).toBeGreaterThan(0);
    await tight.close();
    await normal.close();
  });

  it('the Mixpanel endpoint keeps the same budget', async () => {
    const tight = await fixtureApp({ queryTimeoutMs: 1 }, store);
    const params = new URLSearchParams({ event: 'View', from_date: heavy.from, to_date: heavy.to, where: heavy.where, on: heavy.on, unit: 'hour', type: 'unique' });
    const res = await tight.inject({ method: 'GET', url: `/api/2.0/segmentation?${params}` });
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe('query_timeout');
    await tight.close();
  });
});
