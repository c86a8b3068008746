// Answers in Mixpanel's shapes: `1` / `0`; `{"status", "error"}` with verbose=1; the /import
// strict=1 report `{"code", "status", "num_records_imported", "failed_records"}`; a 1×1 GIF with
// img=1; JSONP with callback=NAME.
import type { FastifyReply } from 'fastify';
import type { Rejection } from './validate.ts';

export type Outcome = {
  /** HTTP status when the request as a whole failed (bad payload, auth, queue full). */
  status?: number;
  /** Why the request as a whole failed. */
  error?: string;
  accepted: number;
  rejected: Rejection[];
  retryAfterSeconds?: number;
};

const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
const CALLBACK_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 503: 'Service Unavailable' };

function summarize(rejected: Rejection[]): string {
  const first = rejected.slice(0, 3).map((r) => `event ${r.index}${r.field ? ` ${r.field}` : ''}: ${r.message}`);
  const more = rejected.length > 3 ? `; and ${rejected.length - 3} more` : '';
  return `${rejected.length} record(s) rejected: ${first.join('; ')}${more}`;
}

/** The HTTP status for an outcome: whole-request failures as given; all records rejected is 400. */
export function statusOf(o: Outcome): number {
  if (o.status) return o.status;
  if (o.accepted === 0 && o.rejected.length > 0) return 400;
  return 200;
}

export function sendOutcome(reply: FastifyReply, params: Record<string, string>, o: Outcome, strictReport: boolean): FastifyReply {
  const status = statusOf(o);
  if (o.retryAfterSeconds) reply.header('Retry-After', String(o.retryAfterSeconds));
  const ok = status === 200 && (o.accepted > 0 || o.rejected.length === 0);
  const error = o.error ?? (o.rejected.length > 0 ? summarize(o.rejected) : null);

  if (strictReport) {
    const body: Record<string, unknown> = { code: status === 200 && o.rejected.length > 0 ? 400 : status, status: '', num_records_imported: o.accepted };
    body.status = REASONS[body.code as number] ?? 'Error';
    if (error) body.error = error;
    if (o.rejected.length > 0) body.failed_records = o.rejected;
    return reply.code(body.code as number).type('application/json').send(JSON.stringify(body));
  }

  const value: unknown = params.verbose === '1'
    ? { status: ok ? 1 : 0, error, ...(o.rejected.length > 0 ? { failed_records: o.rejected } : {}) }
    : ok ? 1 : 0;

  if (params.callback !== undefined) {
    if (!CALLBACK_NAME.test(params.callback) || params.callback.length > 128) {
      return reply.code(400).type('text/plain').send('callback must be a JavaScript function name');
    }
    // JSONP cannot read HTTP statuses, so the answer is always 200 and the value carries the result.
    return reply.code(200).type('application/javascript').send(`${params.callback}(${JSON.stringify(value)});`);
  }
  if (params.img === '1') return reply.code(status).type('image/gif').send(GIF);
  if (typeof value === 'object') return reply.code(status).type('application/json').send(JSON.stringify(value));
  return reply.code(status).type('text/plain').send(String(value));
}
