// Every answer the API gives to bad input has one shape: {"error": {code, message, line, column, path}}.
// User errors carry their HTTP status here; anything else becomes a 500 with a generic message and a
// log line, so no stack or internal detail ever reaches a client.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ExprError } from '../expr/errors.ts';
import type { ApiError } from '../report/types.ts';
import { RequestError } from '../report/validate.ts';

export const ERROR_CODES = [
  'invalid_json', // body is not JSON (line/column of the syntax error)
  'json_too_deep', // body nests deeper than the parser allows
  'unsupported_media_type', // body sent with a content type other than JSON
  'body_too_large', // 413
  'invalid_request', // body is not an object / a field has the wrong type
  'missing_field',
  'unknown_field',
  'invalid_date', // not YYYY-MM-DD or not a calendar date
  'invalid_range', // from after to
  'invalid_unit',
  'invalid_type',
  'invalid_limit',
  'invalid_buckets',
  'too_many_buckets', // range × unit gives more than MAX_BUCKETS
  'invalid_expression', // parse or check error in `where`/`on` (line/column for text, path for ASTs)
  'expression_too_large', // AST or text nests too deep or has too many nodes
  'query_timeout', // 504: the query ran past its time budget and was interrupted
  'not_found', // 404
  'method_not_allowed',
  'internal', // 500
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error whose message is meant for the user; thrown by validation and routes. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  readonly code: ErrorCode;
  readonly line: number | null;
  readonly column: number | null;
  readonly path: string | null;

  constructor(
    statusCode: number,
    code: ErrorCode,
    message: string,
    where: { line?: number | null; column?: number | null; path?: string | null } = {},
  ) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
    this.path = where.path ?? null;
  }

  toBody(): ApiError {
    return { error: { code: this.code, message: this.message, line: this.line, column: this.column, path: this.path } };
  }
}

/** A 400 for the user's input. */
export function badRequest(code: ErrorCode, message: string, where: { line?: number | null; column?: number | null; path?: string | null } = {}): HttpError {
  return new HttpError(400, code, message, where);
}

export function queryTimeout(timeoutMs: number): HttpError {
  return new HttpError(
    504,
    'query_timeout',
    `the query ran longer than its time budget of ${formatMs(timeoutMs)} and was stopped; narrow the date range, use a larger unit or a simpler expression`,
  );
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Fastify's own 4xx errors (body parsing, limits, routing) in our shape. */
function fromFastifyError(err: FastifyError, bodyLimit: number): HttpError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'body_too_large', `the request body is larger than the limit of ${bodyLimit.toLocaleString('en-US')} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('invalid_json', 'the request body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('invalid_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('invalid_request', 'the Content-Length header does not match the body');
    default:
      break;
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) return new HttpError(status, status === 404 ? 'not_found' : 'invalid_request', err.message);
  return null;
}

/** The user-facing form of an error, or null when it is the server's fault. */
export function toHttpError(err: unknown, bodyLimit = 0): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof RequestError) return new HttpError(400, err.code, err.message, err);
  // The engine checks expressions again; anything it rejects is still the user's expression.
  if (err instanceof ExprError) return badRequest('invalid_expression', err.message, err);
  // Fastify's and plugins' errors with a 4xx status carry a message meant for the client.
  if (err instanceof Error) return fromFastifyError(err as FastifyError, bodyLimit);
  return null;
}

/** Install the error handler on an app. */
export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const known = toHttpError(err, bodyLimit);
    if (known) {
      if (known.statusCode >= 500) request.log.warn({ code: known.code }, known.message);
      return reply.code(known.statusCode).type('application/json; charset=utf-8').send(known.toBody());
    }
    request.log.error({ err }, 'request failed');
    const body: ApiError = { error: { code: 'internal', message: 'internal error; the server log has the details', line: null, column: null, path: null } };
    return reply.code(500).type('application/json; charset=utf-8').send(body);
  });
}

/** 404 in the error shape, for every route nobody registered. */
export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).type('application/json; charset=utf-8').send(notFoundBody(request.method, request.url));
}

export function notFoundBody(method: string, url: string): ApiError {
  return { error: { code: 'not_found', message: `no route for ${method} ${truncate(url.split('?')[0] ?? '', 200)}`, line: null, column: null, path: null } };
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
