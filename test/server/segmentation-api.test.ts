import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAYS, fixtureApp, HOSTILE_BROWSER, post, RANGE } from './fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

describe('POST /api/segmentation', () => {
  it('counts events per day without `on`, the event name being the one segment', async () => {
    const { status, json } = await post(app, RANGE);
    expect(status).toBe(200);
    expect(json.series).toEqual(DAYS);
    expect(json.values).toEqual({ Purchase: { '2024-03-01': 2, '2024-03-02': 2, '2024-03-03': 2 } });
    expect(json.totals).toEqual({ Purchase: 6 });
    expect(json.meta).toMatchObject({
      event: 'Purchase', from: '2024-03-01', to: '2024-03-03', unit: 'day', type: 'general', time_zone: 'UTC',
      where: null, on: null, segments_found: 1, segments_returned: 1, events_matched: 6, warnings: [],
    });
    expect(typeof json.meta.sql).toBe('string');
    expect(json.meta.sql.length).toBeGreaterThan(20);
    expect(json.meta.elapsed_ms).toBeGreaterThan(0);
  });

  it('segments `on` a property, zero-filled, ranked by total then key, HTML kept as data', async () => {
    const { json } = await post(app, { ...RANGE, on: 'properties["$browser"]' });
    expect(json.values).toEqual({
      Chrome: { '2024-03-01': 1, '2024-03-02': 1, '2024-03-03': 1 },
      [HOSTILE_BROWSER]: { '2024-03-01': 0, '2024-03-02': 1, '2024-03-03': 0 },
      Firefox: { '2024-03-01': 0, '2024-03-02': 0, '2024-03-03': 1 },
      Safari: { '2024-03-01': 1, '2024-03-02': 0, '2024-03-03': 0 },
    });
    expect(Object.keys(json.values)).toEqual(['Chrome', HOSTILE_BROWSER, 'Firefox', 'Safari']);
    expect(json.totals).toEqual({ Chrome: 3, [HOSTILE_BROWSER]: 1, Firefox: 1, Safari: 1 });
    expect(json.meta.on).toBe('properties["$browser"]');
  });

  it('cuts to the top `limit` segments and says how many there were', async () => {
    const { json } = await post(app, { ...RANGE, on: 'properties["$browser"]', limit: 2 });
    expect(Object.keys(json.values)).toEqual(['Chrome', HOSTILE_BROWSER]);
    expect(json.meta.segments_found).toBe(4);
    expect(json.meta.segments_returned).toBe(2);
  });

  it('filters with `where` given as text or as an AST, with the same answer and canonical text', async () => {
    const text = await post(app, { ...RANGE, where: 'properties["price"] > 20' });
    const ast = await post(app, {
      ...RANGE,
      where: { op: '>', args: [{ op: '[]', args: [{ root: 'properties' }, { lit: 'price' }] }, { lit: 20 }] },
    });
    expect(text.json.values).toEqual({ Purchase: { '2024-03-01': 1, '2024-03-02': 0, '2024-03-03': 1 } });
    expect(ast.json.values).toEqual(text.json.values);
    expect(ast.json.meta.where).toBe('properties["price"] > 20');
    expect(text.json.meta.events_matched).toBe(2);
  });

  it('casts with number() so the string "7" counts, and the number 5 does not', async () => {
    const { json } = await post(app, { ...RANGE, where: 'number(properties["price"]) >= 7' });
    expect(json.values.Purchase).toEqual({ '2024-03-01': 2, '2024-03-02': 1, '2024-03-03': 1 });
  });

  it('scopes any() over a list property', async () => {
    const { json } = await post(app, { ...RANGE, where: 'any(X, properties["items"], X == "Helmet")' });
    expect(json.values.Purchase).toEqual({ '2024-03-01': 2, '2024-03-02': 0, '2024-03-03': 0 });
  });

  it('counts a list-valued `on` once per distinct element; missing is "undefined"', async () => {
    const { json } = await post(app, { ...RANGE, on: 'properties["items"]' });
    expect(json.totals).toEqual({ Helmet: 2, Jacket: 2, undefined: 2 });
    expect(json.values.Jacket).toEqual({ '2024-03-01': 1, '2024-03-02': 0, '2024-03-03': 1 });
  });

  it('counts distinct users with type unique, per bucket and over the range', async () => {
    const { json } = await post(app, { ...RANGE, on: 'properties["$browser"]', type: 'unique' });
    expect(json.values.Chrome).toEqual({ '2024-03-01': 1, '2024-03-02': 1, '2024-03-03': 1 });
    expect(json.totals.Chrome).toBe(1);
    const all = await post(app, { ...RANGE, type: 'unique' });
    expect(all.json.totals).toEqual({ Purchase: 4 });
  });

  it('averages events per user with type average', async () => {
    const { json } = await post(app, { ...RANGE, type: 'average', where: 'properties["$browser"] == "Chrome"' });
    expect(json.values.Purchase).toEqual({ '2024-03-01': 1, '2024-03-02': 1, '2024-03-03': 1 });
    expect(json.totals.Purchase).toBe(3);
  });

  it('buckets by hour and by week with the contract labels', async () => {
    const hours = await post(app, { ...RANGE, unit: 'hour' });
    expect(hours.json.series).toHaveLength(72);
    expect(hours.json.series[10]).toBe('2024-03-01 10:00:00');
    expect(hours.json.values.Purchase['2024-03-01 10:00:00']).toBe(1);
    expect(hours.json.values.Purchase['2024-03-03 23:00:00']).toBe(1);
    const weeks = await post(app, { ...RANGE, unit: 'week' });
    expect(weeks.json.series).toEqual(['2024-02-26']);
    expect(weeks.json.values.Purchase['2024-02-26']).toBe(6);
  });

  it('answers an unknown event with an empty result, not an error', async () => {
    const { status, json } = await post(app, { ...RANGE, event: 'No such event' });
    expect(status).toBe(200);
    expect(json.series).toEqual(DAYS);
    expect(json.meta.events_matched).toBe(0);
    const total = Object.values(json.totals as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(0);
  });

  it('reports checker warnings in meta', async () => {
    const { status, json } = await post(app, { ...RANGE, where: 'properties["price"] > 1 and 5' });
    expect(status).toBe(200);
    expect(json.meta.warnings.length).toBeGreaterThan(0);
    expect(json.meta.warnings[0]).toMatch(/^where: /);
  });

  it('accepts a charset in the content type', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: JSON.stringify(RANGE),
    });
    expect(res.statusCode).toBe(200);
  });
});
