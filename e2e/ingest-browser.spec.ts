// The official browser SDK (mixpanel-browser), changed only in its api_host, on a page of another
// origin (so its credentialed cross-origin requests meet our CORS answers), sends single and
// batched events and a profile update; the segmentation API then counts exactly those events.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { expect, test } from '@playwright/test';

const require = createRequire(import.meta.url);
const SDK = readFileSync(require.resolve('mixpanel-browser/dist/mixpanel.umd.js'), 'utf8');

// The customer's site: a page and the SDK from a server of its own (another origin than the API,
// both on loopback so Chromium's local-network rules allow the requests).
let site: Server;
let siteOrigin = '';
test.beforeAll(async () => {
  site = createServer((req, res) => {
    if (req.url === '/mixpanel.umd.js') res.writeHead(200, { 'content-type': 'application/javascript' }).end(SDK);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><script src="/mixpanel.umd.js"></script></head><body>sdk test</body></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => site.close(resolve));
});

test('mixpanel-browser sends its (batched) events to Segscope and they arrive', async ({ page, baseURL }) => {
  const api = new URL(baseURL!);

  const failures: string[] = [];
  page.on('requestfailed', (r) => failures.push(`${r.url()}: ${r.failure()?.errorText}`));
  const answers: number[] = [];
  page.on('response', (r) => {
    if (r.url().startsWith(`${api.origin}/track`) || r.url().startsWith(`${api.origin}/engage`)) answers.push(r.status());
  });

  const name = `Browser SDK ${Date.now()}`;
  await page.goto(`${siteOrigin}/sdk-page.html`);
  await page.evaluate(({ apiHost, eventName }) => {
    const mp = (window as unknown as { mixpanel: any }).mixpanel;
    mp.init('browser-token', { api_host: apiHost, batch_flush_interval_ms: 100, track_pageview: false, persistence: 'localStorage' });
    mp.identify('browser-user-1');
    for (let i = 0; i < 30; i++) mp.track(eventName, { n: i, 'unicode ✓': 'é' });
    mp.people.set({ $name: 'Browser User', plan: 'trial' });
  }, { apiHost: api.origin, eventName: name });

  const today = new Date().toISOString().slice(0, 10);
  const query = `/api/2.0/segmentation?event=${encodeURIComponent(name)}&from_date=${today}&to_date=${today}&type=general&unit=day`;
  await expect.poll(async () => {
    const res = await page.request.get(`${api.origin}${query}`);
    const body = await res.json();
    return body?.data?.values?.[name]?.[today] ?? 0;
  }, { timeout: 20_000 }).toBe(30);

  // Every send was answered 200 (batched: fewer requests than events); none failed in the browser.
  expect(failures).toEqual([]);
  expect(answers.length).toBeGreaterThan(0);
  expect(answers.every((s) => s === 200)).toBe(true);
  const trackRequests = answers.length;
  expect(trackRequests).toBeLessThan(30);

  // Unique users: the events carry the identified user.
  const uniques = await (await page.request.get(`${api.origin}${query.replace('type=general', 'type=unique')}`)).json();
  expect(uniques.data.values[name][today]).toBe(1);
});
