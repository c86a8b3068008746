// The report page end to end against the real server: build a report with the labelled controls,
// check the chart and the table against the API, the URL round trip, the status line, the words
// shown for empty results, and hostile property values shown as text.
import { expect, test } from '@playwright/test';
import {
  askApi, drawnSeries, filterRow, num, openReport, pick, prop, ranked, recordRequests, settledOn, tableCells,
} from './support/report.ts';

test.describe('report page', () => {
  test('an analyst builds a report with the labelled controls; chart and table equal the API', async ({ page }) => {
    const sent = recordRequests(page);
    await openReport(page);
    // The most frequent event is picked for an empty report.
    await expect(page.getByRole('combobox', { name: 'Event' })).not.toHaveValue('');

    await settledOn(page, () => pick(page, 'Event', 'Purch', 'Purchase'), (r) => r.event === 'Purchase');
    await page.getByRole('button', { name: 'Add filter' }).click();
    const row = filterRow(page, 0);
    await pick(row, 'Property', 'brow', '$browser');
    await expect(row.getByRole('combobox', { name: 'Operator' }).or(row.getByLabel('Operator'))).toHaveValue('equals');
    const chrome = { op: '==', args: [prop('$browser'), { lit: 'Chrome' }] };
    await settledOn(page, async () => {
      const value = row.getByRole('combobox', { name: 'Value' });
      await value.fill('Chrome');
      await value.press('Enter');
    }, (r) => JSON.stringify(r.where) === JSON.stringify(chrome));
    await settledOn(page, () => pick(page, 'Breakdown', 'city', '$city'), (r) => JSON.stringify(r.on) === JSON.stringify(prop('$city')));
    await settledOn(page, () => page.getByRole('radio', { name: '7 days' }).check(), (r) => r.on !== null && r.from !== r.to);
    await page.getByLabel('Chart type').selectOption('bar');
    const { req, api } = await settledOn(page, () => page.getByLabel('Measure', { exact: true }).selectOption('unique'), (r) => r.type === 'unique');

    // The builder sent ASTs, never text.
    expect(req.where).toEqual(chrome);
    expect(req.on).toEqual(prop('$city'));
    expect(sent.every((r) => typeof r.where !== 'string' && typeof r.on !== 'string')).toBe(true);
    expect(req).toMatchObject({ event: 'Purchase', unit: 'day', type: 'unique', limit: 60 });

    // The chart and the table show exactly what the API answers for that body.
    const fresh = await askApi(page, req);
    expect(fresh.values).toEqual(api.values);
    const series = await drawnSeries(page);
    expect(series.labels).toEqual(fresh.series);
    const order = ranked(fresh);
    expect(series.datasets.map((d) => d.segment)).toEqual(order.slice(0, 10));
    for (const d of series.datasets) expect(d.data).toEqual(fresh.series.map((b) => fresh.values[d.segment][b]));
    const rows = await tableCells(page);
    expect(rows.length).toBe(order.length);
    for (const [i, s] of order.entries()) {
      expect(rows[i][0]).toBe(s === 'undefined' ? '(not set)' : s);
      expect(num(rows[i][1])).toBe(fresh.totals[s]);
    }

    // The header and the page title say what is on screen.
    const title = 'Purchase · unique users · where $browser equals Chrome · last 7 days · by $city';
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page).toHaveTitle(`${title} — Segscope`);
    await page.screenshot({ path: 'test-results/report-built.png', fullPage: true });
  });

  test('the URL holds the whole report: reload and back/forward restore it', async ({ page }) => {
    const sent = recordRequests(page);
    const search = new URLSearchParams({ event: 'Purchase', where: 'properties["price"] > 20', on: 'properties["$browser"]', range: '90d', unit: 'week', chart: 'stacked' });
    const first = await openReport(page, search.toString());
    expect(first.req.where).toEqual({ op: '>', args: [prop('price'), { lit: 20 }] });
    expect(first.req.unit).toBe('week');
    const row = filterRow(page, 0);
    await expect(row.getByRole('combobox', { name: 'Property' })).toHaveValue('price');
    await expect(row.getByLabel('Operator')).toHaveValue('gt');
    await expect(row.getByLabel('Value', { exact: true })).toHaveValue('20');
    await expect(page.getByLabel('Unit')).toHaveValue('week');
    await expect(page.getByLabel('Chart type')).toHaveValue('stacked');
    await expect(page.getByRole('radio', { name: '90 days' })).toBeChecked();

    // A discrete change pushes history; Back restores the previous report.
    await settledOn(page, () => page.getByLabel('Unit').selectOption('month'), (r) => r.unit === 'month');
    expect(new URL(page.url()).searchParams.get('unit')).toBe('month');
    await settledOn(page, () => page.goBack(), (r) => r.unit === 'week');
    await expect(page.getByLabel('Unit')).toHaveValue('week');
    await settledOn(page, () => page.goForward(), (r) => r.unit === 'month');

    // Reload shows the same report and sends the same question.
    const before = sent.at(-1)!;
    const again = await settledOn(page, () => page.reload());
    expect(again.req).toEqual(before);
    await expect(page.getByLabel('Unit')).toHaveValue('month');
  });

  test('a link with a broken part says so and keeps the rest', async ({ page }) => {
    const { req } = await openReport(page, 'event=Purchase&where=properties%5B%22price%22%5D%20%3E&unit=fortnight');
    expect(req.event).toBe('Purchase');
    expect(req.where).toBeNull();
    await expect(page.locator('#notices')).toContainText('where: 1:');
    await expect(page.locator('#notices')).toContainText('unit: expected one of');
  });

  test('the status line says what is on screen and shows the expressions and SQL that ran', async ({ page }) => {
    const { api } = await openReport(page, 'event=Purchase&on=properties%5B%22%24browser%22%5D');
    const status = page.getByRole('status').filter({ hasText: 'UTC' });
    await expect(status).toContainText(`${api.meta.events_matched.toLocaleString('en-US')} event`);
    await expect(status).toContainText(`showing ${api.meta.segments_returned} of ${api.meta.segments_found.toLocaleString('en-US')} segment`);
    await expect(status).toContainText('UTC');
    await page.getByText('View expression & SQL').click();
    await expect(page.locator('.status [data-meta=on]')).toHaveText('properties["$browser"]');
    await expect(page.locator('.status [data-meta=sql]')).toHaveText(api.meta.sql);
  });

  test('an empty result is explained in words where the chart would be', async ({ page }) => {
    await openReport(page, `event=Purchase&where=${encodeURIComponent('properties["$browser"] == "NoSuchBrowser"')}`);
    await expect(page.locator('.chart-app')).toContainText(/No Purchase events/i);
    await expect(page.getByRole('status').filter({ hasText: 'UTC' })).toContainText('0 events');
  });

  test('hostile property values are shown as text, never as HTML', async ({ page }) => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const now = Math.floor(Date.now() / 1000);
    const track = await page.request.post('/track', {
      data: [{ event: 'Purchase', properties: { time: now - 3600, distinct_id: 'e2e-hostile', $insert_id: 'e2e-hostile-1', note: hostile, price: 1 } }],
    });
    expect(track.ok()).toBe(true);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await openReport(page, `event=Purchase&range=7d&on=${encodeURIComponent('properties["note"]')}`);
    // The value is a segment: table and legend show it literally.
    await expect(page.getByRole('table', { name: 'Segments' })).toContainText(hostile);
    // Value suggestions show it literally too.
    await page.getByRole('button', { name: 'Add filter' }).click();
    const row = filterRow(page, 0);
    await pick(row, 'Property', 'note', 'note');
    await row.getByRole('combobox', { name: 'Value' }).click();
    await expect(page.getByRole('option', { name: new RegExp(hostile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeVisible();
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
  });

  test('Copy embed code gives an embed.html link for this report', async ({ page }) => {
    await openReport(page, 'event=Purchase&range=7d');
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    const code = await page.getByRole('textbox', { name: 'Embed code' }).inputValue();
    expect(code).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html\?view=chart&amp;event=Purchase&amp;range=7d"/);
    await page.getByRole('radio', { name: 'Table' }).check();
    await expect(page.getByRole('textbox', { name: 'Embed code' })).toHaveValue(/view=table/);
  });
});
