// embed.html inside an iframe of another page, as a dashboard would use it: it must draw the
// report its URL names, stay read-only, and tell its parent its height whenever that changes.
import { expect, test } from '@playwright/test';
import type { FrameLocator, Page } from '@playwright/test';
import type { SegmentationResult } from '../src/report/types.ts';
import { readTable } from './support/table.ts';

type Series = { labels: string[]; datasets: { segment: string; data: number[] }[] };
type Resize = { type: string; height: number };

const REPORT = { event: 'Purchase', on: 'properties["$browser"]' };

/** A host page (another origin: about:blank) with the embed in an iframe; it records every message. */
async function host(page: Page, baseURL: string, params: Record<string, string>, width = 900): Promise<FrameLocator> {
  const src = `${baseURL}/embed.html?${new URLSearchParams(params)}`;
  await page.setContent(`<!doctype html><body style="margin:0;background:#eef1f4">
    <iframe id="embed" title="Segscope embed" style="border:0;width:${width}px;height:200px" src="${src.replace(/"/g, '&quot;')}"></iframe>
    <script>
      window.messages = [];
      addEventListener('message', (e) => {
        window.messages.push(e.data);
        if (e.data && e.data.type === 'segscope:resize') document.getElementById('embed').style.height = e.data.height + 'px';
      });
    </script></body>`);
  return page.frameLocator('#embed');
}

const resizes = (page: Page) =>
  page.evaluate(() => (window as unknown as { messages: Resize[] }).messages.filter((m) => m && m.type === 'segscope:resize'));

async function apiAnswer(page: Page, baseURL: string, frame: FrameLocator): Promise<SegmentationResult> {
  // The embed's request is in its own URL: ask the API the same question for the same dates.
  const embedUrl = await frame.locator('.embed-page__open').getAttribute('href');
  expect(embedUrl).toContain('event=Purchase');
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const res = await page.request.post(`${baseURL}/api/segmentation`, { data: { event: 'Purchase', from, to: today, on: REPORT.on } });
  expect(res.status()).toBe(200);
  return (await res.json()) as SegmentationResult;
}

test.describe('embed page', () => {
  test('shows one chart for a report URL, read-only, and posts its height to the parent', async ({ page, baseURL }) => {
    const frame = await host(page, baseURL!, { ...REPORT, view: 'chart' });
    await expect(frame.locator('.chart-app')).toHaveAttribute('data-state', 'chart');
    await expect(frame.locator('.embed-page__title')).toHaveText('Purchase · last 30 days · by $browser');
    const api = await apiAnswer(page, baseURL!, frame);
    const series = JSON.parse((await frame.locator('canvas').getAttribute('data-series'))!) as Series;
    expect(series.labels).toEqual(api.series);
    const top = Object.keys(api.totals).sort((a, b) => api.totals[b] - api.totals[a] || (a < b ? -1 : 1)).slice(0, 10);
    expect(series.datasets.map((d) => d.segment)).toEqual(top);
    for (const d of series.datasets) expect(d.data).toEqual(api.series.map((b) => api.values[d.segment][b]));
    // Read-only: no query panel, no checkboxes, no "tick more".
    await expect(frame.locator('input, select, textarea')).toHaveCount(0);

    // The parent was told the embed's height, and sized the iframe to it.
    await expect.poll(async () => (await resizes(page)).length).toBeGreaterThan(0);
    const height = await frame.locator('.embed-page').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
    await expect.poll(async () => (await resizes(page)).at(-1)!.height).toBe(height);
    expect(height).toBeGreaterThan(300);
    await expect(page.locator('#embed')).toHaveCSS('height', `${height}px`);

    // Content grows: a new message follows with the new height.
    await frame.locator('.embed-page').evaluate((el) => {
      const extra = document.createElement('div');
      extra.style.height = '120px';
      el.appendChild(extra);
    });
    await expect.poll(async () => (await resizes(page)).at(-1)!.height).toBe(height + 120 + 8); // + the flex gap
  });

  test('follows the width of its container', async ({ page, baseURL }) => {
    const frame = await host(page, baseURL!, { ...REPORT, view: 'chart' }, 900);
    await expect(frame.locator('.chart-app')).toHaveAttribute('data-state', 'chart');
    const wide = await frame.locator('canvas').evaluate((c) => c.getBoundingClientRect().width);
    await page.locator('#embed').evaluate((f) => ((f as HTMLIFrameElement).style.width = '520px'));
    await expect.poll(() => frame.locator('canvas').evaluate((c) => c.getBoundingClientRect().width)).toBeLessThan(wide - 300);
  });

  test('shows one table with the API numbers, transparent when asked', async ({ page, baseURL }) => {
    const frame = await host(page, baseURL!, { ...REPORT, view: 'table', bg: 'transparent' });
    const table = frame.getByRole('table', { name: 'Segments' });
    await expect(table.locator('tbody tr[data-segment]').first()).toBeVisible();
    const api = await apiAnswer(page, baseURL!, frame);
    await expect(frame.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    // Every cell, scrolled through: only the bucket columns in view are in the DOM.
    const rows = await readTable(table);
    const order = Object.keys(api.totals).sort((a, b) => api.totals[b] - api.totals[a] || (a < b ? -1 : 1));
    expect(rows.map((r) => r[0])).toEqual(order.map((s) => (s === 'undefined' ? '(not set)' : s)));
    for (const [i, s] of order.entries()) {
      expect(rows[i].slice(1).map((t) => Number(t.replace(/,/g, '')))).toEqual([api.totals[s], ...api.series.map((b) => api.values[s][b])]);
    }
    await expect(table.locator('input[type="checkbox"]')).toHaveCount(0);
    await expect(frame.locator('canvas')).toHaveCount(0);
    expect(await frame.locator('html').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    expect(await frame.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    await expect.poll(async () => (await resizes(page)).at(-1)?.height ?? 0).toBeGreaterThan(100);
  });

  test('says what is wrong with a bad embed URL instead of showing nothing', async ({ page, baseURL }) => {
    await page.goto(`${baseURL}/embed.html?view=chart&unit=fortnight`);
    await expect(page.locator('.embed-page__problems')).toContainText('event: this embed names no event');
    await expect(page.locator('.embed-page__problems')).toContainText('unit: expected one of');
    await expect(page.locator('.chart-app__message')).toContainText('Pick an event');
  });
});
