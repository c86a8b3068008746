import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAYS, fixtureApp, HOSTILE_BROWSER } from './fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp();
});
afterAll(async () => {
  await app.close();
});

async function get(params: Record<string, string>, path = '/api/2.0/segmentation'): Promise<{ status: number; json: any }> {
  const res = await app.inject({ method: 'GET', url: `${path}?${new URLSearchParams(params)}` });
  return { status: res.statusCode, json: res.json() };
}

const RANGE = { event: 'Purchase', from_date: '2024-03-01', to_date: '2024-03-03' };

describe('GET /api/2.0/segmentation (Mixpanel shape)', () => {
  it('answers {data: {series, values}, legend_size} and nothing else', async () => {
    const { status, json } = await get(RANGE);
    expect(status).toBe(200);
    expect(json).toEqual({
      data: { series: DAYS, values: { Purchase: { '2024-03-01': 2, '2024-03-02': 2, '2024-03-03': 2 } } },
      legend_size: 1,
    });
  });

  it('segments on an expression, filters with where, and counts segments in legend_size', async () => {
    const { json } = await get({ ...RANGE, on: 'properties["$browser"]', where: 'properties["price"] >= 5' });
    expect(json.data.values).toEqual({
      Chrome: { '2024-03-01': 1, '2024-03-02': 0, '2024-03-03': 1 },
      Firefox: { '2024-03-01': 0, '2024-03-02': 0, '2024-03-03': 1 },
      Safari: { '2024-03-01': 1, '2024-03-02': 0, '2024-03-03': 0 },
    });
    expect(json.legend_size).toBe(3);
  });

  it('takes unit, type and limit as Mixpanel names them', async () => {
    const { json } = await get({ ...RANGE, on: 'properties["$browser"]', unit: 'month', type: 'unique', limit: '2' });
    expect(json.data.series).toEqual(['2024-03-01']);
    expect(json.data.values).toEqual({ Chrome: { '2024-03-01': 1 }, [HOSTILE_BROWSER]: { '2024-03-01': 1 } });
    expect(json.legend_size).toBe(2);
  });

  it('labels hours as "YYYY-MM-DD HH:00:00"', async () => {
    const { json } = await get({ ...RANGE, unit: 'hour' });
    expect(json.data.series[0]).toBe('2024-03-01 00:00:00');
    expect(json.data.values.Purchase['2024-03-01 11:00:00']).toBe(1);
  });

  it('accepts the trailing slash of Mixpanel’s examples, the newer /api/query path and empty parameters', async () => {
    const a = await get(RANGE, '/api/2.0/segmentation/');
    const b = await get({ ...RANGE, where: '', on: '' }, '/api/query/segmentation');
    expect(a.json.data.values.Purchase['2024-03-02']).toBe(2);
    expect(b.json).toEqual(a.json);
  });

  it('ignores the authentication and project parameters Mixpanel clients send', async () => {
    const { status, json } = await get({ ...RANGE, project_id: '123', api_key: 'k', sig: 's', expire: '99', format: 'json' });
    expect(status).toBe(200);
    expect(json.legend_size).toBe(1);
  });

  it.each([
    [{ ...RANGE, from_date: '2024-02-30' }, 'invalid_date', 'query.from_date'],
    [{ ...RANGE, to_date: '03/03/2024' }, 'invalid_date', 'query.to_date'],
    [{ event: 'Purchase', to_date: '2024-03-03' }, 'missing_field', 'query.from_date'],
    [{ ...RANGE, limit: 'ten' }, 'invalid_limit', 'query.limit'],
    [{ ...RANGE, limit: '0' }, 'invalid_limit', 'query.limit'],
    [{ ...RANGE, unit: 'year' }, 'invalid_unit', 'query.unit'],
    [{ ...RANGE, type: 'sum' }, 'invalid_type', 'query.type'],
    [{ ...RANGE, from: '2024-03-01' }, 'unknown_field', 'query.from'],
    [{ ...RANGE, format: 'csv' }, 'invalid_request', 'query.format'],
    [{ ...RANGE, constructor: 'x' }, 'unknown_field', 'query.constructor'],
    [{ ...RANGE, ['__proto__']: 'x' }, 'unknown_field', 'query.__proto__'],
  ])('%j → 400 %s at %s', async (params, code, path) => {
    const { status, json } = await get(params as Record<string, string>);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code, path });
  });

  it('gives line and column for an expression error', async () => {
    const { status, json } = await get({ ...RANGE, where: 'properties["a"] == ' });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code: 'invalid_expression', path: 'query.where', line: 1, column: 20 });
  });

  it('rejects a parameter given twice', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/2.0/segmentation?event=A&event=B&from_date=2024-03-01&to_date=2024-03-02' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_request', path: 'query.event' });
  });
});
