// Runtime values of the expression language (spec sections 2 and 4): plain JS values for speed,
// plus a tiny DateTime class. Equality, ordering, the casts and the typed-value form live here so
// the evaluator, the compiled evaluator, the checker and the CLI share one definition.
import type { TypedValue } from './ast.ts';

/** An instant with whole-millisecond precision, within years 0000..9999 (UTC). */
export class DateTime {
  constructor(readonly ms: number) {}
  /** ISO form with `Z`, as typed values and nested values print it. */
  toJSON(): string {
    return formatIso(this.ms);
  }
}

export type Value =
  | undefined
  | null
  | string
  | number
  | boolean
  | DateTime
  | Value[]
  | { [key: string]: Value };

export type TypeName = 'undefined' | 'null' | 'string' | 'number' | 'boolean' | 'datetime' | 'list' | 'object';

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the span an ISO string with a
// four-digit year can write, and every SQL engine we target can hold.
export const MIN_MS = -62167219200000;
export const MAX_MS = 253402300799999;
const MAX_SECONDS = MAX_MS / 1000 + 1;

export function typeOf(v: unknown): TypeName {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(v) ? 'number' : 'undefined';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'list';
      if (v instanceof DateTime) return 'datetime';
      return 'object';
    default:
      return 'undefined';
  }
}

/** Values read from an event: anything that JSON cannot hold (functions, NaN, ...) is undefined. */
export function fromEventValue(v: unknown): Value {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : undefined;
    case 'object':
      return v as Value;
    default:
      return undefined;
  }
}

export function makeDateTime(ms: number): DateTime | undefined {
  if (!(ms >= MIN_MS && ms <= MAX_MS)) return undefined;
  return new DateTime(ms === 0 ? 0 : ms);
}

// ---------------------------------------------------------------------------------------------
// Equality and ordering

function isPlainObject(v: unknown): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof DateTime);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `==` of spec section 4: different types are false; lists and objects deeply; datetimes by instant. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || Number.isFinite(a);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return deepEqualObjects(a, b);
}

// Iterative, so values nested thousands deep in an event cannot overflow the stack.
function deepEqualObjects(a0: object, b0: object): boolean {
  const stack: unknown[] = [a0, b0];
  while (stack.length > 0) {
    const b = stack.pop();
    const a = stack.pop();
    if (a === b) {
      if (typeof a === 'number' && !Number.isFinite(a)) return false;
      continue;
    }
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
      // undefined and non-finite numbers inside collections (possible only in hand-built values)
      // compare like the values they are read as.
      if (typeOf(a) === 'undefined' && typeOf(b) === 'undefined') continue;
      return false;
    }
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) stack.push(a[i], b[i]);
    } else if (a instanceof DateTime) {
      if (!(b instanceof DateTime) || a.ms !== b.ms) return false;
    } else {
      if (Array.isArray(b) || b instanceof DateTime) return false;
      const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
      const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
      if (ak.length !== bk.length) return false;
      for (const k of ak) {
        if (!hasOwn.call(b, k)) return false;
        stack.push((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      }
    }
  }
  return true;
}

/** Code-point order (what UTF-8 byte order in SQL engines gives), not UTF-16 code-unit order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (D800-DFFF) encode code points above FFFF, so they sort after E000-FFFF.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Ordering for `< <= > >=`: a negative, zero or positive number, or undefined when the operands
 * cannot be ordered. A string beside a datetime is read with datetime() first.
 */
export function compareValues(a: Value, b: Value): number | undefined {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'number') {
    const x = a as number;
    const y = b as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'string' && tb === 'string') return compareStrings(a as string, b as string);
  let da: DateTime | undefined;
  let db: DateTime | undefined;
  if (a instanceof DateTime) da = a;
  else if (ta === 'string' && b instanceof DateTime) da = parseIsoDateTime(a as string);
  if (b instanceof DateTime) db = b;
  else if (tb === 'string' && a instanceof DateTime) db = parseIsoDateTime(b as string);
  if (da === undefined || db === undefined) return undefined;
  return da.ms < db.ms ? -1 : da.ms > db.ms ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Numbers

// The spec's number grammar; `\s` here is RE2's and SQL's `[\t\n\f\r ]`, so trimming agrees with
// the SQL compilers (JavaScript's trim() would also strip NBSP and other Unicode spaces).
const NUMBER_TEXT = /^[\t\n\f\r ]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)[\t\n\f\r ]*$/;

export function parseNumber(s: string): number | undefined {
  const m = NUMBER_TEXT.exec(s);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : undefined;
}

/** string(number): JavaScript's shortest round-trip form; -0 prints as "0". */
export function formatNumber(n: number): string {
  return String(n);
}

/** A finite result, or undefined (spec: non-finite arithmetic results are undefined). */
export function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/** round() of the spec: half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Seconds (a double) to whole milliseconds, truncated toward zero *as the number is written*:
 * the decimal string(x) cut after its third fractional digit. So datetime(1.001) is 1.001 s even
 * though the double 1.001 is a hair below it, and datetime(1.0005) is 1 s. Undefined outside the
 * datetime range.
 */
export function secondsToMs(x: number): number | undefined {
  if (!Number.isFinite(x) || x > MAX_SECONDS || x < -MAX_SECONDS) return undefined;
  // Fast path: x is the double nearest to k/1000 for an integer k, i.e. it is written with at
  // most three decimals. Within the datetime range that k is unique.
  const k = Math.round(x * 1000);
  if (k / 1000 === x) return k === 0 ? 0 : k;
  const s = String(x);
  if (s.includes('e')) return 0; // |x| < 1e-6 here, since |x| < MAX_SECONDS
  const neg = s.charCodeAt(0) === 45;
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : (body.slice(dot + 1) + '000').slice(0, 3);
  const ms = Number(whole) * 1000 + (frac === '' ? 0 : Number(frac));
  return neg && ms !== 0 ? -ms : ms;
}

// ---------------------------------------------------------------------------------------------
// Datetimes

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The number written by `n` ASCII digits at s[i..], or -1. */
function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * datetime(string): `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]`, then optional `Z` or
 * `±HH:MM` (no offset means UTC). Strict: upper-case T and Z, no surrounding spaces, every field
 * in range (no leap seconds, Feb 29 only in leap years), fraction digits past the third dropped.
 * Hand-written rather than a regular expression: `on`/`where` may parse a string per event.
 */
export function parseIsoDateTime(s: string): DateTime | undefined {
  const n = s.length;
  if (n < 10 || n > 35 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let i = 10;
  if (i < n && s.charCodeAt(i) === 84 /* T */) {
    if (n < 16 || s.charCodeAt(13) !== 58) return undefined;
    hour = digitsAt(s, 11, 2);
    minute = digitsAt(s, 14, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    i = 16;
    if (i < n && s.charCodeAt(i) === 58 /* : */) {
      second = digitsAt(s, 17, 2);
      if (n < 19 || second < 0 || second > 59) return undefined;
      i = 19;
      if (i < n && s.charCodeAt(i) === 46 /* . */) {
        let k = i + 1;
        while (k < n && k - i <= 10) {
          const c = s.charCodeAt(k) - 48;
          if (!(c >= 0 && c <= 9)) break;
          if (k - i <= 3) ms += c * (k - i === 1 ? 100 : k - i === 2 ? 10 : 1);
          k++;
        }
        const count = k - i - 1;
        if (count < 1 || count > 9) return undefined;
        i = k;
      }
    }
  }
  let offsetMinutes = 0;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 /* Z */) i++;
    else if (c === 43 || c === 45) {
      if (n - i !== 6 || s.charCodeAt(i + 3) !== 58) return undefined;
      const oh = digitsAt(s, i + 1, 2);
      const om = digitsAt(s, i + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
      i += 6;
    }
    if (i !== n) return undefined;
  }
  const t =
    daysFromCivil(year, month, day) * 86400000 + hour * 3600000 + minute * 60000 + second * 1000 + ms - offsetMinutes * 60000;
  return makeDateTime(t);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `YYYY-MM-DDTHH:MM:SS` of an instant (H. Hinnant's civil_from_days; no Date objects). */
function isoParts(ms: number): string {
  const days = Math.floor(ms / 86400000);
  const rest = ms - days * 86400000;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const secs = Math.floor(rest / 1000);
  const yy = y < 10 ? `000${y}` : y < 100 ? `00${y}` : y < 1000 ? `0${y}` : `${y}`;
  return `${yy}-${pad2(m)}-${pad2(d)}T${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
}

function msPart(ms: number): number {
  return ((ms % 1000) + 1000) % 1000;
}

/** string(datetime): `YYYY-MM-DDTHH:MM:SS`, UTC, `.fff` only when the milliseconds are non-zero. */
export function formatDateTime(ms: number): string {
  const frac = msPart(ms);
  return frac === 0 ? isoParts(ms) : `${isoParts(ms)}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** The typed-value form: like string(datetime) plus `Z`. */
export function formatIso(ms: number): string {
  return `${formatDateTime(ms)}Z`;
}

// ---------------------------------------------------------------------------------------------
// Casts (the table of spec section 4)

export function castString(v: Value): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? formatNumber(v) : undefined;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return v instanceof DateTime ? formatDateTime(v.ms) : undefined;
    default:
      return undefined;
  }
}

export function castNumber(v: Value): number | undefined {
  switch (typeof v) {
    case 'string':
      return parseNumber(v);
    case 'number':
      return Number.isFinite(v) ? v : undefined;
    case 'boolean':
      return v ? 1 : 0;
    case 'object':
      return v instanceof DateTime ? v.ms / 1000 : undefined;
    default:
      return undefined;
  }
}

export function castBoolean(v: Value): boolean {
  switch (typeof v) {
    case 'string':
      return v !== '' && v !== 'false';
    case 'number':
      return v !== 0 && !Number.isNaN(v);
    case 'boolean':
      return v;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof DateTime) return true;
      for (const k in v) if (hasOwn.call(v, k)) return true;
      return false;
    default:
      return false;
  }
}

export function castDateTime(v: Value): DateTime | undefined {
  switch (typeof v) {
    case 'string':
      return parseIsoDateTime(v);
    case 'number': {
      const ms = secondsToMs(v);
      return ms === undefined ? undefined : makeDateTime(ms);
    }
    case 'object':
      return v instanceof DateTime ? v : undefined;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Typed values (spec section 7)

/** Plain JSON of a value inside a list or object: datetimes as ISO strings, undefined as null. */
export function toPlainJson(v: unknown): unknown {
  if (typeof v === 'object' && v !== null) {
    if (v instanceof DateTime) return formatIso(v.ms);
    if (Array.isArray(v)) return v.map((x) => (typeOf(x) === 'undefined' ? null : toPlainJson(x)));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (typeOf(x) !== 'undefined') out[k] = toPlainJson(x);
    }
    return out;
  }
  if (typeof v === 'number') return v === 0 ? 0 : v;
  return v;
}

export function toTyped(v: Value): TypedValue {
  switch (typeOf(v)) {
    case 'undefined':
      return { type: 'undefined' };
    case 'null':
      return { type: 'null', value: null };
    case 'string':
      return { type: 'string', value: v as string };
    case 'number':
      return { type: 'number', value: (v as number) === 0 ? 0 : (v as number) };
    case 'boolean':
      return { type: 'boolean', value: v as boolean };
    case 'datetime':
      return { type: 'datetime', value: formatIso((v as DateTime).ms) };
    case 'list':
      return { type: 'list', value: toPlainJson(v) as unknown[] };
    case 'object':
      return { type: 'object', value: toPlainJson(v) as Record<string, unknown> };
  }
}

/** The inverse of toTyped (lists and objects come back as plain JSON: their datetimes stay strings). */
export function fromTyped(t: TypedValue): Value {
  switch (t.type) {
    case 'undefined':
      return undefined;
    case 'datetime':
      return parseIsoDateTime(t.value);
    default:
      return t.value as Value;
  }
}
