// Hostile input: nothing a client sends may produce a 500, stop the server or change stored data.
// Trust model: every byte of a request is attacker-controlled; the store is ours.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, fixtureApp, post, RANGE } from './fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp({ bodyLimit: 256 * 1024 });
});
afterAll(async () => {
  await app.close();
});

const INJECTIONS = [
  "'; DROP TABLE events; --",
  '"; DROP TABLE events; --',
  "Purchase' OR '1'='1",
  '1); DELETE FROM events; --',
  "x' UNION SELECT * FROM duckdb_settings() --",
  '$1',
  '?',
  '\\',
  "properties'); COPY events TO '/tmp/pwned.csv'; --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\ud800',
  '😀 مرحبا עברית \u202e',
  'a'.repeat(10_000),
];

async function storeIntact(): Promise<void> {
  const res = await app.inject({ method: 'GET', url: '/healthz' });
  expect(res.json()).toEqual({ status: 'ok', store: 'duckdb', events: EVENTS.length });
  const { json } = await post(app, RANGE);
  expect(json.totals).toEqual({ Purchase: 6 });
}

const USER_STATUSES = [200, 400, 404, 413, 415];

describe('hostile input', () => {
  it('binds injection strings in every field of the body as data', async () => {
    for (const s of INJECTIONS) {
      const literal = JSON.stringify(s);
      const bodies = [
        { ...RANGE, event: s },
        { ...RANGE, from: s },
        { ...RANGE, to: s },
        { ...RANGE, unit: s },
        { ...RANGE, type: s },
        { ...RANGE, limit: s },
        { ...RANGE, buckets: s },
        { ...RANGE, where: s },
        { ...RANGE, on: s },
        { ...RANGE, where: `properties[${literal}] == ${literal}` },
        { ...RANGE, on: `properties[${literal}]` },
        { ...RANGE, where: `${literal} in properties["$browser"] or has_prefix(properties[${literal}], ${literal})` },
        { ...RANGE, where: { op: '==', args: [{ op: '[]', args: [{ root: 'properties' }, { lit: s }] }, { lit: s }] } },
        { ...RANGE, on: { op: 'any', var: 'X', args: [{ op: '[]', args: [{ root: 'properties' }, { lit: s }] }, { op: '==', args: [{ var: 'X' }, { lit: s }] }] } },
        { ...RANGE, [s]: 1 },
      ];
      for (const body of bodies) {
        const { status, json } = await post(app, body);
        expect(USER_STATUSES, `${status} for ${JSON.stringify(body).slice(0, 200)}: ${JSON.stringify(json).slice(0, 300)}`).toContain(status);
        if (status === 200 && body.event === s) expect(json.meta.events_matched).toBe(0);
      }
    }
    await storeIntact();
  });

  it('binds injection strings in every query parameter as data', async () => {
    for (const s of INJECTIONS.filter((x) => !x.includes('\ud800'))) {
      const urls = [
        `/api/2.0/segmentation?${new URLSearchParams({ event: s, from_date: '2024-03-01', to_date: '2024-03-03', on: `properties[${JSON.stringify(s)}]`, where: `properties["a"] == ${JSON.stringify(s)}` })}`,
        `/api/2.0/segmentation?${new URLSearchParams({ event: 'Purchase', from_date: s, to_date: s, unit: s, type: s, limit: s })}`,
        `/api/properties?${new URLSearchParams({ event: s })}`,
        `/api/values?${new URLSearchParams({ event: s, property: s, prefix: s, limit: '5' })}`,
        `/api/values?${new URLSearchParams({ property: '$browser', prefix: s })}`,
        `/api/values?${new URLSearchParams({ property: '$browser', limit: s })}`,
        `/api/events?${new URLSearchParams({ [s]: s })}`,
      ];
      for (const url of urls) {
        const res = await app.inject({ method: 'GET', url });
        expect(USER_STATUSES, `${res.statusCode} for ${url.slice(0, 200)}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      }
    }
    await storeIntact();
  });

  it('returns HTML found in the data as JSON text, never as markup', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/segmentation', payload: { ...RANGE, on: 'properties["$browser"]' } });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.json().totals['<script>alert(1)</script>']).toBe(1);
  });

  it('rejects prototype keys as unknown fields', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' },
      payload: '{"__proto__": {"limit": 0}, "event": "Purchase", "from": "2024-03-01", "to": "2024-03-03"}',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'unknown_field', path: 'body.__proto__' });
    const ast = await post(app, { ...RANGE, where: { op: '==', args: [{ lit: 1 }, { lit: 1 }], constructor: { prototype: { polluted: true } } } });
    expect(ast.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives random JSON bodies: every answer is a user status with the error shape', async () => {
    const fieldValue = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom(...INJECTIONS, '2024-03-01', '2024-03-03', 'day', 'hour', 'unique', 'properties["$browser"]', 'Purchase'),
      fc.integer(),
      fc.double(),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      fc.record(
        { event: fieldValue, from: fieldValue, to: fieldValue, unit: fieldValue, type: fieldValue, where: fieldValue, on: fieldValue, limit: fieldValue, buckets: fieldValue },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(b) ?? 'null' });
        if (!USER_STATUSES.includes(res.statusCode)) throw new Error(`${res.statusCode}: ${res.body.slice(0, 300)}`);
        if (res.statusCode !== 200) expect(Object.keys(res.json().error).sort()).toEqual(['code', 'column', 'line', 'message', 'path']);
      }),
      { numRuns: 300 },
    );
    await storeIntact();
  });

  it('survives random bytes as a JSON body and random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 200 }), async (payload, qs) => {
        const a = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload });
        if (!USER_STATUSES.includes(a.statusCode)) throw new Error(`${a.statusCode}: ${a.body.slice(0, 300)}`);
        const b = await app.inject({ method: 'GET', url: `/api/2.0/segmentation?${encodeURIComponent(qs)}=${encodeURIComponent(qs)}&event=Purchase&from_date=2024-03-01&to_date=2024-03-03` });
        if (!USER_STATUSES.includes(b.statusCode)) throw new Error(`${b.statusCode}: ${b.body.slice(0, 300)}`);
      }),
      { numRuns: 100 },
    );
    await storeIntact();
  });

  it('survives a megabyte of brackets, a huge expression string and deep text nesting', async () => {
    const big = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: '{"a":'.repeat(200_000) });
    expect(big.statusCode).toBe(413);
    const deepText = await post(app, { ...RANGE, where: '-'.repeat(100_000) + '1' });
    expect(deepText.status).toBe(400);
    expect(deepText.json.error.code).toBe('expression_too_large');
    const longList = await post(app, { ...RANGE, where: `properties["$browser"] in [${Array.from({ length: 9000 }, (_, i) => `"v${i}"`).join(',')}]` });
    expect([200, 400]).toContain(longList.status);
    await storeIntact();
  });
});
