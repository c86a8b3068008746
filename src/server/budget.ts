// Runs one segmentation within its time budget. The store interrupts its query when the signal
// aborts; we also answer at the deadline even if the engine is slow to notice, so a runaway query
// never holds a request (or the server) past its budget. Other queries are unaffected: each runs on
// its own connection in the store.
import type { SegmentationQuery, SegmentationResult } from '../report/types.ts';
import { queryTimeout } from './errors.ts';
import { runSegmentation } from './segmentation.ts';
import type { Store } from './store/types.ts';

export type BudgetOptions = {
  timeoutMs: number;
  now: Date;
  /** Aborted when the client goes away; the query is interrupted then too. */
  clientSignal?: AbortSignal;
};

export async function runWithinBudget(store: Store, query: SegmentationQuery, options: BudgetOptions): Promise<SegmentationResult> {
  const budget = new AbortController();
  const signal = options.clientSignal ? AbortSignal.any([budget.signal, options.clientSignal]) : budget.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      budget.abort(queryTimeout(options.timeoutMs));
      reject(queryTimeout(options.timeoutMs));
    }, options.timeoutMs);
  });
  const running = runSegmentation(store, query, { now: options.now, timeoutMs: options.timeoutMs, signal });
  running.catch(() => {}); // after the deadline its rejection (the interrupt) has nobody left to tell
  try {
    return await Promise.race([running, deadline]);
  } catch (e) {
    if (budget.signal.aborted || looksLikeInterrupt(e)) throw queryTimeout(options.timeoutMs);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** The store's own timeout may fire a hair before ours; its error says so by name or message. */
function looksLikeInterrupt(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return /timeout|abort|interrupt/i.test(e.name) || code === 'query_timeout' || /\binterrupt/i.test(e.message);
}

/** An AbortSignal that fires when the client closes the connection before the answer was written. */
export function clientGone(raw: { once(event: 'close', fn: () => void): unknown; writableFinished: boolean }): AbortSignal {
  const controller = new AbortController();
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
