import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENTS, fixtureApp, fixtureStore } from './fixture.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('says the store answers and how many events it holds', async () => {
    const app = await fixtureApp();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', store: 'duckdb', events: EVENTS.length });
    await app.close();
  });

  it('answers 503 when the store is gone, without a stack', async () => {
    const store = await fixtureStore();
    const app = await fixtureApp({}, store);
    await store.close();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'error', store: 'duckdb', message: 'the store did not answer' });
    const q = await app.inject({ method: 'POST', url: '/api/segmentation', payload: { event: 'A', from: '2024-03-01', to: '2024-03-02' } });
    expect(q.statusCode).toBe(500);
    expect(q.json()).toEqual({ error: { code: 'internal', message: 'internal error; the server log has the details', line: null, column: null, path: null } });
    await app.close();
  });
});

describe('the UI', () => {
  it('says to run `npm run build` when there is no dist/', async () => {
    const app = await fixtureApp({ staticDir: path.join(tmpdir(), 'segscope-no-such-dist') });
    for (const url of ['/', '/embed.html']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('npm run build');
    }
    await app.close();
  });

  it('serves index.html, embed.html and hashed assets from dist/', async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'segscope-dist-'));
    dirs.push(dist);
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>report</title>');
    writeFileSync(path.join(dist, 'embed.html'), '<!doctype html><title>embed</title>');
    writeFileSync(path.join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    const app = await fixtureApp({ staticDir: dist });
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>report</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    const embed = await app.inject({ method: 'GET', url: '/embed.html?chart=1' });
    expect(embed.body).toContain('<title>embed</title>');
    const asset = await app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const missing = await app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const escape = await app.inject({ method: 'GET', url: '/../../etc/passwd' });
    expect(escape.statusCode).toBe(404);
    // The API still answers beside the static files.
    const api = await app.inject({ method: 'GET', url: '/healthz' });
    expect(api.json().status).toBe('ok');
    await app.close();
  });
});

describe('segscope dev: a UI middleware instead of dist/', () => {
  it('hands every non-API request no route matched to the middleware, and keeps API 404s as JSON', async () => {
    const seen: string[] = [];
    const app = await fixtureApp({
      uiMiddleware: (req, res, next) => {
        seen.push(req.url ?? '');
        if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/@vite/client"></script>');
        else next();
      },
    });
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/@vite/client');
    const missing = await app.inject({ method: 'GET', url: '/src/missing.ts' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(await app.inject({ method: 'GET', url: '/healthz' }).then((r) => r.json().status)).toBe('ok');
    expect(seen).toEqual(['/', '/src/missing.ts']);
    await app.close();
  });
});
