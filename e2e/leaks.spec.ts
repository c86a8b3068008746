// No leaks: after 100 query edits (filter rows added and removed, values typed, units switched),
// the page's event-listener and DOM-node counts return to their baseline. Measured with the
// Chrome DevTools Protocol after a forced garbage collection; the figures are printed.
import { expect, test } from '@playwright/test';
import type { CDPSession, Page } from '@playwright/test';
import { filterRow, openReport, pick, settledOn } from './support/report.ts';

type Metrics = Record<string, number>;

async function metrics(cdp: CDPSession): Promise<Metrics> {
  // Detached nodes and dead closures only leave the counts once collected.
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

const PRICE = 'properties["price"]';

async function setPrice(page: Page, value: number): Promise<void> {
  const input = filterRow(page, 0).getByLabel('Value', { exact: true });
  await settledOn(page, () => input.fill(String(value)), (r) => JSON.stringify(r.where).includes(`{"lit":${value}}`));
}

/** Five edits that end where they started, except the price, which the caller sets. */
async function cycle(page: Page, price: number): Promise<void> {
  await settledOn(page, () => page.getByLabel('Unit').selectOption('week'), (r) => r.unit === 'week');
  await settledOn(page, () => page.getByLabel('Unit').selectOption('day'), (r) => r.unit === 'day');
  await page.getByRole('button', { name: 'Add filter' }).click();
  const row = filterRow(page, 1);
  await pick(row, 'Property', '$browser', '$browser');
  await settledOn(page, async () => {
    const value = row.getByRole('combobox', { name: 'Value' });
    await value.fill('Chrome');
    await value.press('Enter');
  }, (r) => JSON.stringify(r.where).includes('Chrome'));
  await settledOn(page, () => row.getByRole('button', { name: 'Remove filter' }).click(), (r) => !JSON.stringify(r.where).includes('Chrome'));
  await setPrice(page, price);
}

test('after 100 query edits, listeners and DOM nodes return to baseline', async ({ page }) => {
  test.setTimeout(600_000);
  await openReport(page, `event=Purchase&range=30d&where=${encodeURIComponent(`${PRICE} > 20`)}&on=${encodeURIComponent('properties["$browser"]')}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  // One warm-up cycle: caches (schema answers, Chart.js internals) fill once, by design.
  const t0 = Date.now();
  await cycle(page, 19);
  console.log(`one cycle of 5 edits: ${Date.now() - t0} ms`);
  const before = await metrics(cdp);
  let edits = 0;
  for (let i = 1; i <= 20; i++) {
    await cycle(page, i === 20 ? 19 : 20 + i); // ends on the baseline's report
    edits += 5;
  }
  const after = await metrics(cdp);
  const row = (name: string) => `${name.padEnd(18)} ${String(Math.round(before[name])).padStart(10)} ${String(Math.round(after[name])).padStart(10)} ${(after[name] - before[name] >= 0 ? '+' : '') + Math.round(after[name] - before[name])}`;
  console.log(`\nleak check after ${edits} query edits (forced GC before each reading)\n${'metric'.padEnd(18)} ${'baseline'.padStart(10)} ${'after'.padStart(10)} delta`);
  for (const name of ['JSEventListeners', 'Nodes', 'Documents', 'JSHeapUsedSize']) console.log(row(name));
  expect(edits).toBe(100);
  expect(after.JSEventListeners).toBeLessThanOrEqual(before.JSEventListeners + 5);
  expect(after.Nodes).toBeLessThanOrEqual(before.Nodes * 1.02 + 20);
  expect(after.Documents).toBeLessThanOrEqual(before.Documents);
});
