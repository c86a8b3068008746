// Helpers for driving the report page the way an analyst does: by the visible labels.
import { expect } from '@playwright/test';
import type { Locator, Page, Request } from '@playwright/test';
import type { SegmentationRequest, SegmentationResult } from '../../src/report/types.ts';
import { readTable } from './table.ts';

export type Series = { labels: string[]; datasets: { segment: string; data: number[] }[] };

/** Every segmentation request the page sends, in order. */
export function recordRequests(page: Page): SegmentationRequest[] {
  const sent: SegmentationRequest[] = [];
  page.on('request', (r: Request) => {
    if (r.url().endsWith('/api/segmentation') && r.method() === 'POST') sent.push(r.postDataJSON() as SegmentationRequest);
  });
  return sent;
}

/** Waits until the page shows the answer to a request that satisfies `match`; returns both. */
export async function settledOn(
  page: Page,
  action: () => Promise<unknown>,
  match: (req: SegmentationRequest) => boolean = () => true,
): Promise<{ req: SegmentationRequest; api: SegmentationResult }> {
  const response = page.waitForResponse((r) => {
    if (!r.url().endsWith('/api/segmentation') || r.request().method() !== 'POST') return false;
    return match(r.request().postDataJSON() as SegmentationRequest);
  });
  await action();
  const res = await response;
  const api = (await res.json()) as SegmentationResult;
  await expect(page.locator('.status')).toHaveAttribute('data-status', res.ok() ? 'ok' : 'error');
  if (res.ok()) await expect(page.locator('.chart-app')).toHaveAttribute('aria-busy', 'false');
  return { req: res.request().postDataJSON() as SegmentationRequest, api };
}

export async function openReport(page: Page, search = ''): Promise<{ req: SegmentationRequest; api: SegmentationResult }> {
  return settledOn(page, () => page.goto(`/${search ? `?${search}` : ''}`));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Type into a labelled picker and choose the option that starts with `option`. */
export async function pick(scope: Page | Locator, label: string, text: string, option = text): Promise<void> {
  const input = scope.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(text);
  const page = 'page' in scope ? scope.page() : scope;
  await page.getByRole('option', { name: new RegExp(`^${escapeRe(option)}(\\s|$)`) }).first().click();
}

/** The i-th filter row (0-based). */
export function filterRow(page: Page, i: number): Locator {
  return page.getByRole('group', { name: /^(Filter on |New filter)/ }).nth(i);
}

export async function drawnSeries(page: Page): Promise<Series> {
  return JSON.parse((await page.locator('.chart-app canvas').getAttribute('data-series'))!) as Series;
}

/** Every cell of the table, trimmed (scrolled through: only the cells in view are in the DOM). */
export async function tableCells(page: Page): Promise<string[][]> {
  return readTable(page.getByRole('table', { name: 'Segments' }), { trim: true });
}

export const num = (text: string): number => Number(text.replace(/,/g, ''));

export function ranked(api: SegmentationResult): string[] {
  return Object.keys(api.totals).sort((a, b) => api.totals[b] - api.totals[a] || (a < b ? -1 : a > b ? 1 : 0));
}

export async function askApi(page: Page, req: SegmentationRequest): Promise<SegmentationResult> {
  const res = await page.request.post('/api/segmentation', { data: req });
  expect(res.status()).toBe(200);
  return (await res.json()) as SegmentationResult;
}

export const prop = (name: string) => ({ op: '[]', args: [{ root: 'properties' }, { lit: name }] });
