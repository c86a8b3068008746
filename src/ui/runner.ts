// The runner: not a view. It watches ReportQuery, waits a moment for a burst of edits to settle,
// aborts the request in flight, sends the new one and sets ReportResult. Every request carries a
// sequence number; an answer that is not for the latest request is dropped, so a slow old answer
// can never overwrite a newer one even when the server ignores the abort.
import { Backbone, _ } from './lib/backbone.ts';
import type { ReportQuery } from './state/report-query.ts';
import { REQUEST_ATTRS } from './state/report-query.ts';
import type { ReportResult, ResultError } from './state/report-result.ts';
import type { SegmentationRequest, SegmentationResult } from '../report/types.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type RunnerOptions = {
  fetch?: FetchLike;
  endpoint?: string;
  /** Quiet time before sending, so typing a value sends once. */
  debounceMs?: number;
  now?: () => number;
};

export type Runner = { destroy(): void; runNow(): void };

export function startRunner(models: { query: ReportQuery; result: ReportResult }, opts: RunnerOptions = {}): Runner {
  const { query, result } = models;
  const doFetch: FetchLike = opts.fetch ?? ((u, i) => fetch(u, i));
  const endpoint = opts.endpoint ?? '/api/segmentation';
  // Long enough to fold the sets of one user intent (rows, then where) into one request; typing
  // is slower than this, and a newer keystroke aborts the request of the previous one anyway.
  const debounceMs = opts.debounceMs ?? 10;
  const now = opts.now ?? (() => performance.now());
  const listener = _.extend({}, Backbone.Events);
  let seq = 0;
  let inFlight: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSent: string | null = null;
  let destroyed = false;

  async function run(): Promise<void> {
    timer = null;
    if (destroyed) return;
    if (!query.isRunnable()) {
      inFlight?.abort();
      inFlight = null;
      lastSent = null;
      result.set({ status: 'idle', data: null, error: null, query: null });
      return;
    }
    const req: SegmentationRequest = query.toRequest();
    const body = JSON.stringify(req);
    // Same question as the one answered or being answered (e.g. preset → custom with equal dates).
    if (body === lastSent && result.get('status') !== 'error') return;
    lastSent = body;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const mine = ++seq;
    const started = now();
    result.set({ status: 'loading', error: null });
    let status: 'ok' | 'error';
    let data: SegmentationResult | null = null;
    let error: ResultError | null = null;
    try {
      const res = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: controller.signal,
      });
      const json: unknown = await res.json().catch(() => null);
      if (res.ok && json && typeof json === 'object' && 'series' in json) {
        status = 'ok';
        data = json as SegmentationResult;
      } else {
        status = 'error';
        error = errorFrom(json, res.status);
      }
    } catch (e) {
      if (mine !== seq || destroyed) return; // aborted for a newer request
      status = 'error';
      error = { code: 'network', message: `Could not reach the server (${(e as Error).message}). Check that Segscope is running, then try again.`, line: null, column: null, path: null };
    }
    if (mine !== seq || destroyed) return;
    inFlight = null;
    if (status === 'error') lastSent = null; // let the same question be asked again
    result.set({ status, data, error, query: req, roundTripMs: now() - started });
  }

  function schedule(): void {
    if (destroyed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  }

  listener.listenTo(query, REQUEST_ATTRS.map((a) => `change:${a}`).join(' '), schedule);
  void run();

  return {
    runNow() {
      if (timer) clearTimeout(timer);
      lastSent = null;
      void run();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      listener.stopListening();
    },
  };
}

function errorFrom(json: unknown, httpStatus: number): ResultError {
  const e = (json as { error?: Partial<ResultError> } | null)?.error;
  if (e && typeof e.message === 'string') {
    return { code: e.code ?? `http_${httpStatus}`, message: e.message, line: e.line ?? null, column: e.column ?? null, path: e.path ?? null };
  }
  return {
    code: `http_${httpStatus}`,
    message: httpStatus >= 500 ? `The server failed to answer (HTTP ${httpStatus}). Try again; if it keeps failing, check the server log.` : `The server refused the query (HTTP ${httpStatus}).`,
    line: null, column: null, path: null,
  };
}
