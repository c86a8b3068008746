// The operators and functions of spec section 4 as plain functions over runtime values. Both the
// tree-walking evaluator and the closure compiler call these, so they cannot disagree.
import type { EventRecord, FunctionName, BinaryOp, Op, UnaryOp } from './ast.ts';
import {
  DateTime,
  castBoolean,
  castDateTime,
  castNumber,
  castString,
  compareValues,
  finite,
  fromEventValue,
  makeDateTime,
  roundHalfAway,
  secondsToMs,
  valuesEqual,
  type Value,
} from './value.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/** `c[k]`: an object by string key (own keys only), a list by integer index; else undefined. */
export function index(c: Value, k: Value): Value {
  if (typeof c !== 'object' || c === null) return undefined;
  if (Array.isArray(c)) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= c.length) return undefined;
    return fromEventValue(c[k]);
  }
  if (typeof k !== 'string' || c instanceof DateTime || !hasOwn.call(c, k)) return undefined;
  return fromEventValue(c[k]);
}

export function propertiesOf(e: EventRecord): Value {
  const p = e.properties;
  return typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Value) : {};
}

/** event["name"]. */
export function eventName(e: EventRecord): Value {
  return typeof e.event === 'string' ? e.event : undefined;
}

/** event["time"]: properties.time read as unix seconds; undefined unless it is a number. */
export function eventTime(e: EventRecord): Value {
  const p = e.properties;
  if (typeof p !== 'object' || p === null) return undefined;
  const t = (p as Record<string, unknown>).time;
  if (typeof t !== 'number' || !hasOwn.call(p, 'time')) return undefined;
  const ms = secondsToMs(t);
  return ms === undefined ? undefined : makeDateTime(ms);
}

/** event["distinct_id"]: a string as is, a number as string(n), anything else undefined. */
export function eventDistinctId(e: EventRecord): Value {
  const p = e.properties;
  if (typeof p !== 'object' || p === null || !hasOwn.call(p, 'distinct_id')) return undefined;
  const d = (p as Record<string, unknown>).distinct_id;
  if (typeof d === 'string') return d;
  if (typeof d === 'number' && Number.isFinite(d)) return castString(d);
  return undefined;
}

/** The bare `event` root: {name, time, distinct_id}, without the keys that are undefined. */
export function eventObject(e: EventRecord): Value {
  const out: Record<string, Value> = {};
  const name = eventName(e);
  if (name !== undefined) out.name = name;
  const time = eventTime(e);
  if (time !== undefined) out.time = time;
  const id = eventDistinctId(e);
  if (id !== undefined) out.distinct_id = id;
  return out;
}

export function eventField(e: EventRecord, k: Value): Value {
  switch (k) {
    case 'name':
      return eventName(e);
    case 'time':
      return eventTime(e);
    case 'distinct_id':
      return eventDistinctId(e);
    default:
      return undefined;
  }
}

export function add(a: Value, b: Value): Value {
  if (typeof a === 'number') {
    if (typeof b === 'number') return finite(a + b);
    return undefined;
  }
  if (typeof a === 'string') return typeof b === 'string' ? a + b : undefined;
  if (a instanceof DateTime && typeof b === 'number') return shift(a, b, 1);
  return undefined;
}

export function sub(a: Value, b: Value): Value {
  if (typeof a === 'number') return typeof b === 'number' ? finite(a - b) : undefined;
  if (a instanceof DateTime) {
    if (typeof b === 'number') return shift(a, b, -1);
    if (b instanceof DateTime) return (a.ms - b.ms) / 1000;
  }
  return undefined;
}

function shift(d: DateTime, seconds: number, sign: 1 | -1): Value {
  const ms = secondsToMs(seconds);
  return ms === undefined ? undefined : makeDateTime(d.ms + sign * ms);
}

export function mul(a: Value, b: Value): Value {
  return typeof a === 'number' && typeof b === 'number' ? finite(a * b) : undefined;
}

export function div(a: Value, b: Value): Value {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? finite(a / b) : undefined;
}

export function mod(a: Value, b: Value): Value {
  return typeof a === 'number' && typeof b === 'number' && b !== 0 ? finite(a % b) : undefined;
}

export function neg(a: Value): Value {
  return typeof a === 'number' ? finite(-a) : undefined;
}

export function lt(a: Value, b: Value): Value {
  const c = compareValues(a, b);
  return c === undefined ? undefined : c < 0;
}
export function le(a: Value, b: Value): Value {
  const c = compareValues(a, b);
  return c === undefined ? undefined : c <= 0;
}
export function gt(a: Value, b: Value): Value {
  const c = compareValues(a, b);
  return c === undefined ? undefined : c > 0;
}
export function ge(a: Value, b: Value): Value {
  const c = compareValues(a, b);
  return c === undefined ? undefined : c >= 0;
}

export function eq(a: Value, b: Value): Value {
  return valuesEqual(a, b);
}
export function ne(a: Value, b: Value): Value {
  return !valuesEqual(a, b);
}

export function inOp(a: Value, b: Value): Value {
  if (typeof b === 'string') return typeof a === 'string' ? b.includes(a) : undefined;
  if (Array.isArray(b)) {
    for (let i = 0; i < b.length; i++) if (valuesEqual(a, fromEventValue(b[i]))) return true;
    return false;
  }
  return undefined;
}

export function and(a: Value, b: Value): Value {
  return a === true && b === true;
}
export function or(a: Value, b: Value): Value {
  return a === true || b === true;
}

export function not(a: Value): Value {
  if (typeof a === 'boolean') return !a;
  return a === undefined || a === null ? true : undefined;
}

export function defined(a: Value): Value {
  return a !== undefined && a !== null;
}

export function floor(a: Value): Value {
  return typeof a === 'number' ? Math.floor(a) : undefined;
}
export function ceil(a: Value): Value {
  return typeof a === 'number' ? Math.ceil(a) : undefined;
}
export function round(a: Value): Value {
  return typeof a === 'number' ? roundHalfAway(a) : undefined;
}

// Simple (one code point to one code point) Unicode case mapping, which is what SQL engines'
// lower()/upper() do; JavaScript's full mapping would turn "ß" into "SS" and "İ" into "i̇".
// Where the full mapping has several code points, the simple one is the code point itself,
// except for the few characters below that have both.
const ASCII = /^[\x00-\x7f]*$/;
function simpleUpperOfSpecial(cp: number): number {
  // Greek letters with ypogegrammeni: U+1F80..87 → U+1F88..8F (likewise 1F9x, 1FAx), and three singles.
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return cp;
}
function mapCase(s: string, upper: boolean): string {
  if (ASCII.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if (m === ch || [...m].length === 1) out += m;
    else if (upper) out += String.fromCodePoint(simpleUpperOfSpecial(ch.codePointAt(0)!));
    else out += ch === '\u0130' ? 'i' : ch;
  }
  return out;
}

export function lower(a: Value): Value {
  return typeof a === 'string' ? mapCase(a, false) : undefined;
}
export function upper(a: Value): Value {
  return typeof a === 'string' ? mapCase(a, true) : undefined;
}

/** Number of code points (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function len(a: Value): Value {
  if (typeof a === 'string') return codePointLength(a);
  return Array.isArray(a) ? a.length : undefined;
}

export function hasPrefix(a: Value, b: Value): Value {
  return typeof a === 'string' && typeof b === 'string' ? a.startsWith(b) : undefined;
}
export function hasSuffix(a: Value, b: Value): Value {
  return typeof a === 'string' && typeof b === 'string' ? a.endsWith(b) : undefined;
}

export function toList(a: Value): Value {
  return Array.isArray(a) ? a : undefined;
}

export function stringWithDefault(a: Value, d: Value): Value {
  const s = castString(a);
  return s === undefined ? d : s;
}

/** Operators and functions of two evaluated arguments (index is special: `event[...]` reads fields). */
export const BINARY: Record<Exclude<BinaryOp, '[]'> | 'has_prefix' | 'has_suffix', (a: Value, b: Value) => Value> = {
  '+': add,
  '-': sub,
  '*': mul,
  '/': div,
  '%': mod,
  '==': eq,
  '!=': ne,
  '<': lt,
  '<=': le,
  '>': gt,
  '>=': ge,
  in: inOp,
  and,
  or,
  has_prefix: hasPrefix,
  has_suffix: hasSuffix,
};

/** Operators and functions of one evaluated argument. */
export const UNARY: Record<UnaryOp | Exclude<FunctionName, 'string' | 'has_prefix' | 'has_suffix' | 'now'>, (a: Value) => Value> = {
  neg,
  not,
  defined,
  boolean: castBoolean,
  number: castNumber,
  datetime: castDateTime,
  list: toList,
  floor,
  ceil,
  round,
  lower,
  upper,
  len,
};

/** Ops the evaluators handle themselves: index, string(x[, d]), now(), and the binders. */
export const SPECIAL = ['[]', 'string', 'now', 'any', 'all'] as const;

// Adding an op to ast.ts fails the build here until it has an implementation.
type Missing = Exclude<Op, keyof typeof BINARY | keyof typeof UNARY | (typeof SPECIAL)[number]>;
export const EVERY_OP_IMPLEMENTED: [Missing] extends [never] ? true : Missing = true;
