import { afterEach, describe, expect, it } from 'vitest';
import { startRunner } from './runner.ts';
import type { FetchLike, Runner } from './runner.ts';
import { ReportQuery } from './state/report-query.ts';
import { ReportResult } from './state/report-result.ts';
import type { SegmentationResult } from '../report/types.ts';

// A fetch whose answers the test releases by hand, in any order. It ignores the abort signal on
// purpose (records it), like a server answer already on the wire.
function controlledFetch() {
  const calls: { body: { event: string }; signal: AbortSignal; resolve: (r: Response) => void }[] = [];
  const fetch: FetchLike = (_url, init) =>
    new Promise<Response>((resolve) => calls.push({ body: JSON.parse(String(init.body)), signal: init.signal!, resolve }));
  return { fetch, calls };
}
const answer = (event: string): Response =>
  new Response(JSON.stringify({ series: ['2026-11-01'], values: { [event]: { '2026-11-01': 1 } }, totals: { [event]: 1 }, meta: { event } }), { status: 200 });
const settle = () => new Promise((r) => setTimeout(r, 5));
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await settle();
  expect(cond()).toBe(true);
}

let runner: Runner | null = null;
afterEach(() => runner?.destroy());

describe('runner', () => {
  it('drops a stale answer that arrives after a newer one, and aborts the old request', async () => {
    const { fetch, calls } = controlledFetch();
    const query = new ReportQuery({ event: 'A' });
    const result = new ReportResult();
    runner = startRunner({ query, result }, { fetch, debounceMs: 0 });
    await until(() => calls.length === 1);
    expect(result.get('status')).toBe('loading');
    query.set({ event: 'B' });
    await until(() => calls.length === 2);
    expect(calls[0].signal.aborted).toBe(true);
    expect(calls[1].signal.aborted).toBe(false);
    calls[1].resolve(answer('B'));
    await until(() => result.get('status') === 'ok');
    calls[0].resolve(answer('A')); // late, stale
    await settle();
    await settle();
    expect(result.get('data')!.meta.event).toBe('B');
    expect(result.get('query')!.event).toBe('B');
  });

  it('keeps the previous data while loading, then replaces it', async () => {
    const { fetch, calls } = controlledFetch();
    const query = new ReportQuery({ event: 'A' });
    const result = new ReportResult();
    runner = startRunner({ query, result }, { fetch, debounceMs: 0 });
    await until(() => calls.length === 1);
    calls[0].resolve(answer('A'));
    await until(() => result.get('status') === 'ok');
    query.set({ unit: 'week' });
    await until(() => calls.length === 2);
    expect(result.get('status')).toBe('loading');
    expect((result.get('data') as SegmentationResult).meta.event).toBe('A');
  });

  it('sends a burst of edits once, and does not refetch for chart-only changes', async () => {
    const { fetch, calls } = controlledFetch();
    const query = new ReportQuery({ event: 'A' });
    const result = new ReportResult();
    runner = startRunner({ query, result }, { fetch, debounceMs: 20 });
    await until(() => calls.length === 1);
    for (const limit of [10, 11, 12, 13]) query.set({ limit });
    query.set({ chart: 'bar' });
    await settle();
    await until(() => calls.length === 2);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls.length).toBe(2);
    expect((calls[1].body as unknown as { limit: number }).limit).toBe(13);
  });

  it('turns API errors into words with their position, and clears data', async () => {
    const { fetch, calls } = controlledFetch();
    const query = new ReportQuery({ event: 'A' });
    const result = new ReportResult();
    runner = startRunner({ query, result }, { fetch, debounceMs: 0 });
    await until(() => calls.length === 1);
    calls[0].resolve(new Response(JSON.stringify({ error: { code: 'bad_where', message: '1:5: expected a value', line: 1, column: 5, path: null } }), { status: 400 }));
    await until(() => result.get('status') === 'error');
    expect(result.get('error')).toEqual({ code: 'bad_where', message: '1:5: expected a value', line: 1, column: 5, path: null });
    expect(result.get('data')).toBeNull();
  });

  it('says the server is unreachable in words on a network failure; idle without an event', async () => {
    const query = new ReportQuery({ event: 'A' });
    const result = new ReportResult();
    runner = startRunner({ query, result }, { fetch: () => Promise.reject(new TypeError('Failed to fetch')), debounceMs: 0 });
    await until(() => result.get('status') === 'error');
    expect(result.get('error')!.message).toMatch(/Could not reach the server/);
    query.set({ event: null });
    await until(() => result.get('status') === 'idle');
  });
});
