import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureApp, post, RANGE } from './fixture.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await fixtureApp({ bodyLimit: 64 * 1024 });
});
afterAll(async () => {
  await app.close();
});

const errorKeys = ['code', 'message', 'line', 'column', 'path'];

describe('user errors answer 4xx with {"error": {code, message, line, column, path}}', () => {
  it.each([
    [{ ...RANGE, from: '2024-02-30' }, 'invalid_date', 'body.from'],
    [{ ...RANGE, from: '2024-03-04' }, 'invalid_range', 'body.from'],
    [{ ...RANGE, unit: 'fortnight' }, 'invalid_unit', 'body.unit'],
    [{ ...RANGE, type: 'sum' }, 'invalid_type', 'body.type'],
    [{ ...RANGE, limit: 10_001 }, 'invalid_limit', 'body.limit'],
    [{ ...RANGE, limit: 0 }, 'invalid_limit', 'body.limit'],
    [{ ...RANGE, buckets: 5 }, 'invalid_buckets', 'body.buckets'],
    [{ ...RANGE, buckets: 5, on: 'properties["a"] == "b"' }, 'invalid_buckets', 'body.buckets'],
    [{ ...RANGE, from: '2023-01-01', unit: 'minute' }, 'too_many_buckets', 'body.unit'],
    [{ ...RANGE, colour: 'red' }, 'unknown_field', 'body.colour'],
    [{ from: RANGE.from, to: RANGE.to }, 'missing_field', 'body.event'],
    [{ ...RANGE, event: ['Purchase'] }, 'invalid_request', 'body.event'],
    [[RANGE], 'invalid_request', 'body'],
    [{ ...RANGE, where: { op: '==', args: [{ lit: 1 }] } }, 'invalid_expression', 'body.where'],
    [{ ...RANGE, on: { op: 'lower', args: [{ op: '[]', args: [{ root: 'propertiez' }, { lit: 'a' }] }] } }, 'invalid_expression', 'body.on.args[0].args[0]'],
  ])('%j → 400 %s at %s', async (body, code, path) => {
    const { status, json } = await post(app, body);
    expect(status).toBe(400);
    expect(Object.keys(json.error).sort()).toEqual([...errorKeys].sort());
    expect(json.error.code).toBe(code);
    expect(json.error.path).toBe(path);
    expect(json.error.line).toBeNull();
  });

  it('gives line and column of an expression error in text', async () => {
    const { status, json } = await post(app, { ...RANGE, where: 'properties["price"] >\n  and true' });
    expect(status).toBe(400);
    expect(json.error).toEqual({
      code: 'invalid_expression',
      message: expect.stringMatching(/^where 2:3: /),
      line: 2,
      column: 3,
      path: 'body.where',
    });
  });

  it('rejects an AST nested deeper than the limit, with a path', async () => {
    let ast: unknown = { lit: 1 };
    for (let i = 0; i < 400; i++) ast = { op: 'not', args: [ast] };
    const { status, json } = await post(app, { ...RANGE, where: ast });
    expect(status).toBe(400);
    expect(json.error.code).toBe('expression_too_large');
    expect(json.error.path).toMatch(/^body\.where(\.args\[0\])+$/);
  });

  it('rejects an AST with too many nodes', async () => {
    // 10,001+ nodes need more than the 64 KiB this suite's app accepts; the default limit (1 MiB) takes them.
    const roomy = await fixtureApp();
    const ast = { list: Array.from({ length: 12_000 }, () => ({ lit: 1 })) };
    const { status, json } = await post(roomy, { ...RANGE, where: { op: 'in', args: [{ lit: 1 }, ast] } });
    await roomy.close();
    expect(status).toBe(400);
    expect(json.error.code).toBe('expression_too_large');
  });

  it('reports invalid JSON with line and column', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: '{"event": "A",\n "from": 2024-01-01}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_json', line: 2, column: 14, path: null });
  });

  it('reports an empty body', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('rejects JSON nested too deep before parsing it', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: '['.repeat(20_000) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'json_too_deep', line: 1, column: 1001 });
  });

  it('answers a body over the limit with 413 in the same shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...RANGE, where: `"${'x'.repeat(70_000)}" == "x"` }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'body_too_large', line: null, column: null, path: null });
    expect(res.json().error.message).toContain('65,536 bytes');
  });

  it('answers a body that is not JSON with 415 in the same shape', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await app.inject({ method: 'POST', url: '/api/segmentation', headers: { 'content-type': type }, payload: 'event=Purchase' });
      expect(res.statusCode, type).toBe(415);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
  });

  it('answers unknown routes and methods with 404 in the same shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here?x=<b>' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', message: 'no route for GET /api/nothing-here' });
    const get = await app.inject({ method: 'GET', url: '/api/segmentation' });
    expect(get.statusCode).toBe(404);
    expect(get.json().error.code).toBe('not_found');
  });

  it('never puts a stack or internals in an error', async () => {
    const { json } = await post(app, { ...RANGE, where: 'properties["a"] ==' });
    expect(JSON.stringify(json)).not.toMatch(/at .*\.ts:\d+|node_modules|Error:/);
  });
});
