// The chart and the table against the real server and its deterministic sample data: what they
// show must be exactly what the API answers. No mocked API: the numbers come from POST
// /api/segmentation, asked again by the test with the very body the page sent.
import { expect, test } from '@playwright/test';
import type { Page, Response } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { SegmentationRequest, SegmentationResult } from '../src/report/types.ts';
import { readHeader, readTable } from './support/table.ts';

type Series = { labels: string[]; datasets: { segment: string; data: number[] }[] };

const BROWSER_ON = 'properties["$browser"]';
const CITY_ON = 'properties["$city"]';

/** Opens a report and waits for its chart; returns the answer the page received. */
async function openReport(page: Page, params: Record<string, string>): Promise<{ req: SegmentationRequest; api: SegmentationResult }> {
  const answers: Response[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/segmentation') && r.request().method() === 'POST' && r.ok()) answers.push(r);
  });
  await page.goto(`/?${new URLSearchParams(params)}`);
  await expect(page.locator('.chart-app')).toHaveAttribute('data-state', 'chart');
  await expect(page.locator('.chart-app')).toHaveAttribute('aria-busy', 'false');
  const last = answers.at(-1)!;
  return { req: last.request().postDataJSON() as SegmentationRequest, api: (await last.json()) as SegmentationResult };
}

/** The API asked directly, for the same body: the page must agree with this. */
async function askApi(page: Page, req: SegmentationRequest): Promise<SegmentationResult> {
  const res = await page.request.post('/api/segmentation', { data: req });
  expect(res.status()).toBe(200);
  return (await res.json()) as SegmentationResult;
}

function ranked(api: SegmentationResult): string[] {
  return Object.keys(api.totals).sort((a, b) => api.totals[b] - api.totals[a] || (a < b ? -1 : a > b ? 1 : 0));
}

async function drawnSeries(page: Page): Promise<Series> {
  return JSON.parse((await page.locator('.chart-app canvas').getAttribute('data-series'))!) as Series;
}

/** Every cell of the table (scrolled through: only the cells in view are in the DOM). */
async function tableCells(page: Page): Promise<string[][]> {
  await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
  return readTable(page.getByRole('table', { name: 'Segments' }));
}

const num = (text: string) => Number(text.replace(/,/g, ''));
const label = (api: SegmentationResult, s: string) => (api.meta.on !== null && s === 'undefined' ? '(not set)' : s);

test.describe('chart and table', () => {
  test('the chart draws the top segments exactly as the API answers them', async ({ page }) => {
    const { req, api } = await openReport(page, { event: 'Purchase', on: BROWSER_ON });
    const fresh = await askApi(page, req);
    expect(fresh.values).toEqual(api.values);
    const top = ranked(fresh).slice(0, 10);
    const series = await drawnSeries(page);
    expect(series.labels).toEqual(fresh.series);
    expect(series.datasets.map((d) => d.segment)).toEqual(top);
    for (const d of series.datasets) expect(d.data).toEqual(fresh.series.map((b) => fresh.values[d.segment][b]));
    const summary = await page.locator('.chart-app canvas').getAttribute('aria-label');
    expect(summary).toMatch(/^Line chart of Purchase, total events per day, /);
    expect(summary).toContain(`highest ${label(fresh, top[0])} ${fresh.totals[top[0]].toLocaleString('en-US')}`);
  });

  test('the table holds every segment with the API numbers, Total first, largest first', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Purchase', on: BROWSER_ON });
    const api = await askApi(page, req);
    const table = page.getByRole('table', { name: 'Segments' });
    const rows = await tableCells(page);
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    const head = await readHeader(table);
    expect(head[0]).toMatch(/^Segment/);
    expect(head[1]).toMatch(/^Total/);
    expect(head.length).toBe(api.series.length + 2);
    expect(rows.map((r) => r[0])).toEqual(ranked(api).map((s) => label(api, s)));
    for (const [i, s] of ranked(api).entries()) {
      const [, total, ...cells] = rows[i];
      expect(num(total)).toBe(api.totals[s]);
      expect(cells.map(num)).toEqual(api.series.map((b) => api.values[s][b]));
    }
    await expect(table.locator('th[aria-sort="descending"]')).toHaveText(/Total/);
  });

  test('50 segments × 90 days: only the cells in view are in the DOM, and scrolling shows every one exactly', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '50', range: '90d' });
    const api = await askApi(page, req);
    expect(api.series.length).toBe(90);
    const table = page.getByRole('table', { name: 'Segments' });
    await expect(table).toHaveAttribute('aria-rowcount', '51');
    await expect(table).toHaveAttribute('aria-colcount', '92');
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    const inDom = await table.evaluate((t: HTMLTableElement) => ({
      rows: t.tBodies[0].querySelectorAll('tr[data-segment]').length,
      cells: t.tBodies[0].querySelectorAll('[aria-colindex]').length,
    }));
    expect(inDom.rows).toBeGreaterThan(10); // the rows in view...
    expect(inDom.rows).toBeLessThan(40); // ...not all 50
    expect(inDom.cells).toBeLessThan(inDom.rows * 20); // and of each, the columns in view, not all 92
    const rows = await tableCells(page);
    expect(rows.length).toBe(50);
    for (const [i, s] of ranked(api).entries()) {
      expect(rows[i][0]).toBe(s);
      expect(rows[i].slice(1).map(num)).toEqual([api.totals[s], ...api.series.map((b) => api.values[s][b])]);
    }
    // Sorting re-renders the rows in view; every row is still there to scroll to.
    await table.getByRole('button', { name: 'Segment' }).click();
    const sorted = await tableCells(page);
    expect(sorted.length).toBe(50);
    expect(sorted.map((r) => r[0])).toEqual(ranked(api).sort((a, b) => new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare(a, b)));
  });

  test('a new answer under the same columns fills the rows in place; under other columns the rows fill the view', async ({ page }) => {
    await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '50', range: '90d' });
    const table = page.getByRole('table', { name: 'Segments' });
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    // Mark the row elements: a new filter must reuse them, with the new answer's numbers.
    const marked = await table.evaluate((t: HTMLTableElement) => {
      const rows = [...t.tBodies[0].querySelectorAll('tr[data-segment]')];
      rows.forEach((tr, i) => ((tr as unknown as { mark: number }).mark = i + 1));
      return rows.length;
    });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/segmentation') && r.request().postDataJSON().where !== null);
    await page.evaluate(() => {
      const prop = { op: '[]', args: [{ root: 'properties' }, { lit: '$browser' }] };
      (window as unknown as { segscope: { query: { set(k: string, v: unknown): void } } }).segscope.query.set('where', { op: '==', args: [prop, { lit: 'Chrome' }] });
    });
    const req = (await answer).request().postDataJSON() as SegmentationRequest;
    await expect(page.locator('.status')).toHaveAttribute('data-status', 'ok');
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    const api = await askApi(page, req);
    expect(api.series.length).toBe(90);
    const reused = await table.evaluate((t: HTMLTableElement) => [...t.tBodies[0].querySelectorAll('tr[data-segment]')].map((tr) => (tr as unknown as { mark?: number }).mark ?? 0));
    expect(reused.length).toBe(marked);
    expect(reused.every((m, i) => m === i + 1)).toBe(true);
    const rows = await tableCells(page);
    expect(rows.map((r) => r[0])).toEqual(ranked(api));
    for (const [i, s] of ranked(api).entries()) expect(rows[i].slice(1).map(num)).toEqual([api.totals[s], ...api.series.map((b) => api.values[s][b])]);

    // Other columns: the rows are built anew, a part per frame; once the table is not busy they
    // fill the scroller down to its bottom edge.
    await page.getByLabel('Unit').selectOption('week');
    await expect(table).toHaveAttribute('aria-colcount', String(2 + 14));
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    await page.locator('.table-app__scroll').evaluate((e) => e.scrollTo(0, 0));
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    const gap = await page.locator('.table-app__scroll').evaluate((scroll) => {
      const rows = scroll.querySelectorAll('tbody tr[data-segment]');
      return scroll.getBoundingClientRect().bottom - rows[rows.length - 1].getBoundingClientRect().bottom;
    });
    expect(gap).toBeLessThanOrEqual(0);
  });

  test('with 50 segments drawn, every point of every line is where its value is (the update runs in parts)', async ({ page }) => {
    await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '50', range: '90d' });
    // Every element Chart.js placed, against the scales it fitted: none may keep an old place.
    const misplaced = () => page.locator('.chart-app canvas').evaluate((canvas) => {
      type Point = { x: number; y: number };
      type Chart = {
        data: { datasets: { data: Point[] }[] };
        scales: { x: { getPixelForValue(v: number): number }; y: { getPixelForValue(v: number): number } };
        getDatasetMeta(i: number): { data: Point[] };
      };
      const chart = (canvas as unknown as { segscopeChart: Chart }).segscopeChart;
      let bad = 0;
      let points = 0;
      chart.data.datasets.forEach((d, i) => {
        const elements = chart.getDatasetMeta(i).data;
        d.data.forEach((p, j) => {
          points++;
          const e = elements[j];
          if (!e || Math.abs(e.x - chart.scales.x.getPixelForValue(p.x)) > 0.01 || Math.abs(e.y - chart.scales.y.getPixelForValue(p.y)) > 0.01) bad++;
        });
      });
      return { datasets: chart.data.datasets.length, points, bad };
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const drawMax = (n: number) => page.evaluate((max) => (window as unknown as { segscope: { selection: { set(a: object): void } } }).segscope.selection.set({ maxDrawn: max }), n);
    // 20 lines, then 50 with the pointer resting on the plot: Chart.js replays the last pointer
    // event after an update, and hover must not hit-test lines whose points are not placed yet.
    await drawMax(20);
    await expect.poll(async () => (await drawnSeries(page)).datasets.length).toBe(20);
    await page.locator('.chart-app canvas').hover();
    await drawMax(50);
    await expect.poll(async () => (await drawnSeries(page)).datasets.length).toBe(50);
    await expect(page.locator('.chart-app')).toHaveAttribute('aria-busy', 'false');
    expect(await misplaced()).toEqual({ datasets: 50, points: 50 * 90, bad: 0 });
    expect(errors).toEqual([]);
    // Another answer into the same chart (weeks: other scales, other places).
    await page.getByLabel('Unit').selectOption('week');
    await expect.poll(async () => (await drawnSeries(page)).labels.length).toBe(14);
    await expect(page.locator('.chart-app')).toHaveAttribute('aria-busy', 'false');
    expect(await misplaced()).toEqual({ datasets: 50, points: 50 * 14, bad: 0 });
    expect(errors).toEqual([]);
  });

  test('keyboard focus comes back to its checkbox when its row is built in a later frame', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '50', range: '90d' });
    const api = await askApi(page, req);
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    // The 15th row: after a change of columns the first 12 rows come in one frame, it in the next.
    const segment = ranked(api)[14];
    const box = page.getByRole('checkbox', { name: `Show ${segment}` });
    await box.focus();
    // Another unit without the focus moving (as back/forward in the browser does).
    await page.evaluate(() => (window as unknown as { segscope: { query: { set(k: string, v: unknown): void } } }).segscope.query.set('unit', 'week'));
    await expect(page.getByRole('table', { name: 'Segments' })).toHaveAttribute('aria-colcount', String(2 + 14));
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    await expect(box).toBeFocused();
  });

  test('keyboard focus stays on a checkbox or sort button while the table re-renders what is in view', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '50', range: '90d' });
    const api = await askApi(page, req);
    const top = ranked(api)[0];
    const table = page.getByRole('table', { name: 'Segments' });
    await expect(page.locator('.table-app')).toHaveAttribute('aria-busy', 'false');
    const box = page.getByRole('checkbox', { name: `Show ${top}` });
    await box.focus();
    // Scrolled sideways, every row is rebuilt with other columns.
    await page.locator('.table-app__scroll').evaluate((e) => e.scrollTo(2500, 0));
    await expect(table.locator('td[aria-colindex="3"]')).toHaveCount(0);
    await expect(table.locator('td[aria-colindex="30"]').first()).toBeAttached();
    await expect(box).toBeFocused();
    await page.keyboard.press('Space');
    await expect(box).not.toBeChecked();
    await expect.poll(async () => (await drawnSeries(page)).datasets.map((d) => d.segment)).not.toContain(top);
    await expect(box).toBeFocused();
    // Sorting from the keyboard rebuilds the header; the focus stays on the column's button.
    const total = table.getByRole('button', { name: /^Total/ });
    await total.focus();
    await page.keyboard.press('Enter');
    await expect(table.locator('th[aria-colindex="2"]')).toHaveAttribute('aria-sort', 'ascending');
    await expect(total).toBeFocused();
  });

  test('unticking a segment hides it from the chart; ticking one past the cap draws it', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Page View', on: CITY_ON });
    const api = await askApi(page, req);
    const order = ranked(api);
    expect(order.length).toBeGreaterThan(10); // the sample has 15 cities
    await expect(page.locator('.chart-app__notice')).toHaveText(`Drawing 10 of ${order.length} segments; tick more in the table`);

    const first = page.getByRole('checkbox', { name: `Show ${label(api, order[0])}` });
    await expect(first).toBeChecked();
    await first.uncheck();
    await expect.poll(async () => (await drawnSeries(page)).datasets.map((d) => d.segment)).toEqual(order.slice(1, 10));
    await expect(page.locator('.chart-app canvas')).not.toHaveAttribute('aria-label', new RegExp(`highest ${label(api, order[0])} `));

    const late = order[order.length - 1];
    const box = page.getByRole('checkbox', { name: `Show ${label(api, late)}` });
    await expect(box).not.toBeChecked();
    await box.check();
    await expect.poll(async () => (await drawnSeries(page)).datasets.map((d) => d.segment)).toEqual([...order.slice(1, 10), late]);
    const drawn = (await drawnSeries(page)).datasets.find((d) => d.segment === late)!;
    expect(drawn.data).toEqual(api.series.map((b) => api.values[late][b]));

    await first.check();
    await expect.poll(async () => (await drawnSeries(page)).datasets.length).toBe(11);
    await expect(page.locator('.chart-app__notice')).toHaveText(`Drawing 11 of ${order.length} segments; tick more in the table`);
  });

  test('clicking a legend item hides that segment, the same as unticking it', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Purchase', on: BROWSER_ON });
    const api = await askApi(page, req);
    const order = ranked(api);
    // Find the first legend box by its colour (the top segment's, Okabe–Ito blue) in the legend strip.
    const point = await page.locator('.chart-app canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      const scale = c.width / c.getBoundingClientRect().width;
      const strip = Math.round(60 * scale);
      const img = ctx.getImageData(0, c.height - strip, c.width, strip);
      for (let y = 0; y < strip; y++)
        for (let x = 0; x < c.width; x++) {
          const i = (y * c.width + x) * 4;
          if (img.data[i] === 0x00 && img.data[i + 1] === 0x72 && img.data[i + 2] === 0xb2) {
            return { x: (x + 4) / scale, y: (c.height - strip + y + 4) / scale };
          }
        }
      return null;
    });
    expect(point).not.toBeNull();
    await page.locator('.chart-app canvas').click({ position: point! });
    await expect.poll(async () => (await drawnSeries(page)).datasets.map((d) => d.segment)).toEqual(order.slice(1, 10));
    await expect(page.getByRole('checkbox', { name: `Show ${label(api, order[0])}` })).not.toBeChecked();
  });

  test('chart types draw the same series; the canvas is updated, not replaced', async ({ page }) => {
    await openReport(page, { event: 'Purchase', on: BROWSER_ON });
    const before = await drawnSeries(page);
    const canvas = await page.locator('.chart-app canvas').elementHandle();
    await page.evaluate(() => (window as unknown as { segscope: { query: { set(a: object): void } } }).segscope.query.set({ chart: 'stacked' }));
    await expect(page.locator('.chart-app canvas')).toHaveAttribute('aria-label', /^Stacked bar chart of Purchase/);
    expect(await drawnSeries(page)).toEqual(before);
    expect(await canvas!.evaluate((c) => c.isConnected)).toBe(true);
  });

  test('sorting by a column sets aria-sort and orders the rows', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Purchase', on: CITY_ON });
    const api = await askApi(page, req);
    const table = page.getByRole('table', { name: 'Segments' });
    const names = () => tableCells(page).then((rows) => rows.map((r) => r[0]));
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const byName = ranked(api).map((s) => label(api, s)).sort((a, b) => collator.compare(a, b));

    await table.getByRole('button', { name: 'Segment' }).click();
    await expect(table.locator('thead th').first()).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(names).toEqual(byName);
    await table.getByRole('button', { name: 'Segment' }).click();
    await expect(table.locator('thead th').first()).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(names).toEqual([...byName].reverse());
    await expect(table.locator('thead th').nth(1)).toHaveAttribute('aria-sort', 'none');

    // A late bucket's column is in the DOM once the table is scrolled to it, as a user would.
    const bucket = api.series[api.series.length - 2];
    await page.locator('.table-app__scroll').evaluate((e) => e.scrollTo(e.scrollWidth, 0));
    await table.locator(`button[data-sort="${bucket}"]`).click();
    await expect(table.locator(`th:has(button[data-sort="${bucket}"])`)).toHaveAttribute('aria-sort', 'descending');
    const col = api.series.indexOf(bucket) + 2;
    const values = (await tableCells(page)).map((r) => num(r[col]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[0]).toBe(Math.max(...Object.values(api.values).map((v) => v[bucket])));
  });

  test('Download CSV gives exactly the table: every row, raw numbers, ISO dates', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Purchase', on: BROWSER_ON });
    const api = await askApi(page, req);
    await page.getByRole('table', { name: 'Segments' }).getByRole('button', { name: 'Segment' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`segscope-Purchase-${api.meta.from}-to-${api.meta.to}.csv`);
    const text = await readFile((await download.path())!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(['segment', 'total', ...api.series].join(','));
    const rows = await tableCells(page);
    expect(lines.length - 1).toBe(rows.length);
    for (const [i, line] of lines.slice(1).entries()) {
      const [name, total, ...cells] = line.split(',');
      expect(name).toBe(rows[i][0]);
      const segment = name === '(not set)' ? 'undefined' : name;
      expect(Number(total)).toBe(api.totals[segment]);
      expect(total).not.toContain(' ');
      expect(cells.map(Number)).toEqual(api.series.map((b) => api.values[segment][b]));
    }
  });

  test('hostile property values are shown as text, in the table, the legend data and the CSV', async ({ page }) => {
    const hostile = ['<img src=x onerror="window.__xss=1">', '=HYPERLINK("http://evil.example","x")', '"><script>window.__xss=2</script>'];
    const event = `E2E hostile ${Date.now()}`;
    const now = Math.floor(Date.now() / 1000);
    const body = hostile.map((value, i) => ({
      event,
      properties: { distinct_id: `u${i}`, time: now - i, $insert_id: `hostile-${now}-${i}`, label: value },
    }));
    const res = await page.request.post('/track?verbose=1', { data: body });
    expect(res.status()).toBe(200);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openReport(page, { event, on: 'properties["label"]', range: '7d' });
    const rows = await tableCells(page);
    expect(rows.map((r) => r[0]).sort()).toEqual([...hostile].sort());
    const table = page.getByRole('table', { name: 'Segments' });
    await expect(table.locator('img, script')).toHaveCount(0);
    await expect(page.getByRole('checkbox', { name: `Show ${hostile[0]}` })).toBeChecked();
    expect((await drawnSeries(page)).datasets.map((d) => d.segment).sort()).toEqual([...hostile].sort());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain('"<img src=x onerror=""window.__xss=1"">"');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  test('many segments: 200 rows at a time, "Show more" for the rest, the CSV holds them all', async ({ page }) => {
    const { req } = await openReport(page, { event: 'Page View', on: 'properties["distinct_id"]', limit: '450' });
    const api = await askApi(page, req);
    const count = Object.keys(api.values).length;
    expect(count).toBe(450);
    // The rows reachable by scrolling (aria-rowcount counts the header row too); only those in
    // view are in the DOM.
    const table = page.getByRole('table', { name: 'Segments' });
    const rows = table.locator('tbody tr[data-segment]');
    await expect(table).toHaveAttribute('aria-rowcount', '201');
    await expect(page.locator('.table-app__more')).toContainText('Showing 200 of 450 segments');
    await page.getByRole('button', { name: 'Show 200 more' }).click();
    await expect(table).toHaveAttribute('aria-rowcount', '401');
    await page.getByRole('button', { name: 'Show 50 more' }).click();
    await expect(table).toHaveAttribute('aria-rowcount', '451');
    await expect(page.locator('.table-app__more')).toBeHidden();
    expect(await rows.count()).toBeLessThan(60);
    const last = ranked(api).at(-1)!;
    await page.locator('.table-app__scroll').evaluate((e) => e.scrollTo(0, e.scrollHeight));
    await expect(table.locator('tbody tr[aria-rowindex="451"] th')).toHaveText(last);
    await expect(rows.last().locator('th')).toHaveText(last);
    // A new answer starts again from the first page.
    await page.evaluate(() => (window as unknown as { segscope: { query: { set(a: object): void } } }).segscope.query.set({ limit: 400 }));
    await expect(table).toHaveAttribute('aria-rowcount', '201');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const lines = (await readFile((await download.path())!, 'utf8')).split('\r\n').filter(Boolean);
    expect(lines.length).toBe(401);
  });

  test('while a new answer loads, the previous chart stays, dimmed, under a progress bar', async ({ page }) => {
    await openReport(page, { event: 'Purchase', on: BROWSER_ON, range: '7d' });
    const before = await drawnSeries(page);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    await page.route('**/api/segmentation', async (route) => {
      await gate;
      await route.continue();
    });
    await page.evaluate(() => (window as unknown as { segscope: { query: { set(a: object): void } } }).segscope.query.set({ unit: 'hour' }));
    const chart = page.locator('.chart-app');
    await expect(chart).toHaveClass(/is-loading/);
    await expect(chart).toHaveAttribute('aria-busy', 'true');
    await expect(page.getByRole('progressbar', { name: 'Loading the report' })).toBeVisible();
    expect(await drawnSeries(page)).toEqual(before);
    expect(await chart.locator('.chart-app__stage').evaluate((el) => Number(getComputedStyle(el).opacity))).toBeLessThan(1);
    release();
    await expect(chart).toHaveAttribute('aria-busy', 'false');
    await expect(page.getByRole('progressbar', { name: 'Loading the report' })).toBeHidden();
    await expect.poll(async () => (await drawnSeries(page)).labels.length).toBe(before.labels.length * 24);
    await expect(chart.locator('canvas')).toHaveAttribute('aria-label', /per hour/);
  });

  test('an API error is explained in words with what to do', async ({ page }) => {
    await page.goto(`/?${new URLSearchParams({ event: 'Purchase', unit: 'minute', range: '90d' })}`);
    const message = page.locator('.chart-app__message');
    await expect(message).toHaveAttribute('role', 'alert');
    await expect(message.locator('.chart-app__message-title')).toHaveText('Too many time buckets');
    await expect(message.locator('.chart-app__message-advice')).toHaveText('Pick a coarser unit (day, week or month) or a shorter date range.');
    await expect(page.locator('.table-app__placeholder')).toHaveText('No segments: the query did not run.');
  });

  test('an empty answer is explained where the chart would be', async ({ page }) => {
    await page.goto(`/?${new URLSearchParams({ event: 'Purchase', where: 'properties["$browser"] == "No Such Browser"' })}`);
    const message = page.locator('.chart-app__message');
    await expect(message).toContainText('No Purchase events match these filters in the last 30 days.');
    await expect(message.locator('.chart-app__message-advice')).toHaveText('Widen the date range or remove a filter.');
    await expect(page.locator('.chart-app canvas')).toHaveAttribute('data-series', JSON.stringify({ labels: [], datasets: [] }));
  });
});
