// Validation of a segmentation request (the POST body, the Mixpanel-style query string, the CLI's
// flags) into a SegmentationQuery with defaults filled in. The first problem found is thrown as a
// RequestError naming the field by its path (`body.limit`, `body.where.args[0]`) and, for
// expression text, the line and column.
import type { Expr } from '../expr/ast.ts';
import { ExprError } from '../expr/errors.ts';
import { prepare } from '../expr/index.ts';
import { countBuckets, parseDay } from './dates.ts';
import {
  DEFAULT_LIMIT,
  MAX_BUCKETS,
  MAX_LIMIT,
  MAX_NUMERIC_BUCKETS,
  MEASURES,
  UNITS,
  type Measure,
  type SegmentationQuery,
  type SegmentationRequest,
  type Unit,
} from './types.ts';

export type RequestErrorCode =
  | 'invalid_request'
  | 'missing_field'
  | 'unknown_field'
  | 'invalid_date'
  | 'invalid_range'
  | 'invalid_unit'
  | 'invalid_type'
  | 'invalid_limit'
  | 'invalid_buckets'
  | 'too_many_buckets'
  | 'invalid_expression'
  | 'expression_too_large';

/** A problem with what the user sent. Always the user's to fix; never a server fault. */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  readonly code: RequestErrorCode;
  readonly line: number | null;
  readonly column: number | null;
  readonly path: string | null;
  /** For expression errors: which field (`where`/`on`), its text and the 0-based offset, so a CLI can draw a caret. */
  readonly source: { field: 'where' | 'on'; text: string; offset: number } | null;

  constructor(
    code: RequestErrorCode,
    message: string,
    where: { line?: number | null; column?: number | null; path?: string | null; source?: RequestError['source'] } = {},
  ) {
    super(message);
    this.code = code;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
    this.path = where.path ?? null;
    this.source = where.source ?? null;
  }
}

/**
 * The most cells (segments × buckets) one answer may hold: limit 10,000 over 90 days fits, 10,000
 * segments by hour over 90 days (21.6M numbers, about half a gigabyte of JSON) does not.
 */
export const MAX_CELLS = 1_000_000;

type Field = keyof SegmentationRequest;
const FIELDS: readonly Field[] = ['event', 'from', 'to', 'unit', 'where', 'on', 'type', 'limit', 'buckets'];

export type ValidateOptions = {
  /** Prefix of every path: 'body' for JSON bodies, 'query' for query strings, '' for CLI flags. */
  root?: string;
  /** What the caller calls each field (`from_date` for the Mixpanel API, `--from` for the CLI). */
  names?: Partial<Record<Field, string>>;
};

export type ValidatedSegmentation = {
  query: SegmentationQuery;
  /** Canonical text of the checked expressions. */
  whereText: string | null;
  onText: string | null;
  /** Checker warnings (where first, then on), each prefixed with its field. */
  warnings: string[];
};

/** Validate a request; throws RequestError on the first problem. */
export function validateSegmentationRequest(input: unknown, options: ValidateOptions = {}): ValidatedSegmentation {
  const root = options.root ?? 'body';
  const nameOf = (f: Field): string => options.names?.[f] ?? f;
  const pathOf = (f: Field): string => (root ? `${root}.${nameOf(f)}` : nameOf(f));

  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new RequestError('invalid_request', `the ${root || 'request'} must be a JSON object with "event", "from" and "to"`, { path: root || null });
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new RequestError('unknown_field', `unknown field ${quote(key)}; the fields are ${FIELDS.map(nameOf).join(', ')}`, {
        path: root ? `${root}.${key}` : key,
      });
    }
  }

  const event = requiredString(body, 'event', nameOf, pathOf);
  if (event.length === 0) throw new RequestError('invalid_request', `${nameOf('event')} must not be empty`, { path: pathOf('event') });
  const from = date(body, 'from', nameOf, pathOf);
  const to = date(body, 'to', nameOf, pathOf);
  if (parseDay(from)! > parseDay(to)!) {
    throw new RequestError('invalid_range', `${nameOf('from')} (${from}) is after ${nameOf('to')} (${to})`, { path: pathOf('from') });
  }

  const unit = oneOf<Unit>(body, 'unit', UNITS, 'day', 'invalid_unit', nameOf, pathOf);
  const type = oneOf<Measure>(body, 'type', MEASURES, 'general', 'invalid_type', nameOf, pathOf);
  const limit = integerIn(body, 'limit', 1, MAX_LIMIT, 'invalid_limit', nameOf, pathOf) ?? DEFAULT_LIMIT;
  const buckets = integerIn(body, 'buckets', 1, MAX_NUMERIC_BUCKETS, 'invalid_buckets', nameOf, pathOf);

  const count = countBuckets(from, to, unit);
  if (count > MAX_BUCKETS) {
    throw new RequestError(
      'too_many_buckets',
      `${from} to ${to} by ${unit} gives ${count.toLocaleString('en-US')} buckets, more than the limit of ${MAX_BUCKETS.toLocaleString('en-US')}; choose a larger unit or a shorter range`,
      { path: pathOf('unit') },
    );
  }

  if (limit * count > MAX_CELLS) {
    throw new RequestError(
      'invalid_limit',
      `${nameOf('limit')} ${limit.toLocaleString('en-US')} × ${count.toLocaleString('en-US')} buckets could give ${(limit * count).toLocaleString('en-US')} numbers, more than the ${MAX_CELLS.toLocaleString('en-US')} one answer may hold; lower ${nameOf('limit')} to ${Math.floor(MAX_CELLS / count).toLocaleString('en-US')} or use a larger unit`,
      { path: pathOf('limit') },
    );
  }

  const warnings: string[] = [];
  const where = expression(body, 'where', nameOf, pathOf, warnings);
  const on = expression(body, 'on', nameOf, pathOf, warnings);

  if (buckets !== null) {
    if (on === null) {
      throw new RequestError('invalid_buckets', `${nameOf('buckets')} needs a numeric ${nameOf('on')} expression to group into ranges`, { path: pathOf('buckets') });
    }
    const kind = staticKind(on.ast);
    if (kind !== 'number' && kind !== 'unknown') {
      throw new RequestError(
        'invalid_buckets',
        `${nameOf('buckets')} groups a numeric ${nameOf('on')} into ranges, but ${quote(on.text)} is always a ${kind}`,
        { path: pathOf('buckets') },
      );
    }
  }

  return {
    query: { event, from, to, unit, where: where?.ast ?? null, on: on?.ast ?? null, type, limit, buckets },
    whereText: where?.text ?? null,
    onText: on?.text ?? null,
    warnings,
  };
}

type NameOf = (f: Field) => string;

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function requiredString(body: Record<string, unknown>, f: Field, nameOf: NameOf, pathOf: NameOf): string {
  const v = body[f];
  if (v === undefined || v === null) throw new RequestError('missing_field', `${nameOf(f)} is required`, { path: pathOf(f) });
  if (typeof v !== 'string') throw new RequestError('invalid_request', `${nameOf(f)} must be a string, not ${typeName(v)}`, { path: pathOf(f) });
  return v;
}

function date(body: Record<string, unknown>, f: Field, nameOf: NameOf, pathOf: NameOf): string {
  const v = body[f];
  if (v === undefined || v === null) throw new RequestError('missing_field', `${nameOf(f)} is required (a date, YYYY-MM-DD)`, { path: pathOf(f) });
  if (typeof v !== 'string' || parseDay(v) === null) {
    const shown = typeof v === 'string' ? quote(v) : typeName(v);
    throw new RequestError('invalid_date', `${nameOf(f)} must be a calendar date written YYYY-MM-DD, not ${shown}`, { path: pathOf(f) });
  }
  return v;
}

function oneOf<T extends string>(
  body: Record<string, unknown>,
  f: Field,
  allowed: readonly T[],
  fallback: T,
  code: RequestErrorCode,
  nameOf: NameOf,
  pathOf: NameOf,
): T {
  const v = body[f];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  const shown = typeof v === 'string' ? quote(v) : typeName(v);
  throw new RequestError(code, `${nameOf(f)} must be one of ${allowed.join(', ')}, not ${shown}`, { path: pathOf(f) });
}

function integerIn(
  body: Record<string, unknown>,
  f: Field,
  min: number,
  max: number,
  code: RequestErrorCode,
  nameOf: NameOf,
  pathOf: NameOf,
): number | null {
  const v = body[f];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const shown = typeof v === 'number' ? String(v) : typeof v === 'string' ? quote(v) : typeName(v);
    throw new RequestError(code, `${nameOf(f)} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, not ${shown}`, { path: pathOf(f) });
  }
  return v;
}

const TOO_LARGE = /(deep|depth|nest|nodes|too large|too long|too many)/i;

function expression(
  body: Record<string, unknown>,
  f: 'where' | 'on',
  nameOf: NameOf,
  pathOf: NameOf,
  warnings: string[],
): { ast: Expr; text: string } | null {
  const v = body[f];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' && v.trim() === '') return null; // an emptied text editor means "no expression"
  if (typeof v !== 'string' && (typeof v !== 'object' || Array.isArray(v))) {
    throw new RequestError('invalid_request', `${nameOf(f)} must be expression text, an expression tree (object) or null, not ${typeName(v)}`, {
      path: pathOf(f),
    });
  }
  try {
    const prepared = prepare(v);
    for (const w of prepared.warnings) warnings.push(`${nameOf(f)}: ${w.message}`);
    return { ast: prepared.ast, text: prepared.text };
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    const code: RequestErrorCode = TOO_LARGE.test(e.detail) ? 'expression_too_large' : 'invalid_expression';
    if (typeof v === 'string') {
      return reject(
        new RequestError(code, `${nameOf(f)} ${e.message}`, {
          line: e.line,
          column: e.column,
          path: pathOf(f),
          source: e.offset !== null ? { field: f, text: v, offset: e.offset } : null,
        }),
      );
    }
    const path = e.path ? `${pathOf(f)}${e.path.startsWith('[') ? '' : '.'}${e.path}` : pathOf(f);
    const shown = e.path && e.path.length > 120 ? `…${e.path.slice(-120)}` : e.path;
    return reject(new RequestError(code, `${nameOf(f)}${shown ? ` at ${shown}` : ''}: ${e.detail}`, { path }));
  }
}

function reject(e: RequestError): never {
  throw e;
}

/** What an expression's value always is, judged from its outermost node; 'unknown' when it depends on data. */
export function staticKind(e: Expr): 'number' | 'string' | 'boolean' | 'null' | 'list' | 'datetime' | 'undefined' | 'unknown' {
  if ('lit' in e) {
    const l = e.lit;
    if (l === null) return 'null';
    if (typeof l === 'object') return 'undefined';
    return typeof l as 'number' | 'string' | 'boolean';
  }
  if ('list' in e) return 'list';
  if (!('op' in e)) return 'unknown';
  switch (e.op) {
    case '==': case '!=': case '<': case '<=': case '>': case '>=': case 'in': case 'and': case 'or': case 'not':
    case 'defined': case 'boolean': case 'has_prefix': case 'has_suffix': case 'any': case 'all':
      return 'boolean';
    case 'lower': case 'upper':
      return 'string';
    case 'datetime': case 'now':
      return 'datetime';
    case 'string':
      return e.args.length === 2 ? 'unknown' : 'string';
    default:
      return 'unknown';
  }
}
