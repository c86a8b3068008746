// The ClickHouse dialect (26.x): how each primitive of dialect.ts is written for ClickHouse.
//
// - Values are typed query parameters `{p1:Float64}`; numbers travel as their shortest decimal
//   text so no driver rounds or refuses them (chDB refuses integers beyond 2^53).
// - JSON values are JSON text in String columns, read with the JSON* functions (simdjson, exact for
//   doubles; RapidJSON, the alternative, rounds some). simdjson refuses a whole document holding an
//   integer literal beyond 64 bits, and JavaScript and ClickHouse both print doubles in
//   [2^64, 1e21) as plain digits, so such literals get a `.0` wherever JSON text is made: by the
//   store and for parameters (jsonForClickHouse) and in SQL (bigIntFix, toJson).
// - Missing values are SQL NULLs as in every dialect; functions that would turn a NULL into a
//   value (toJSONString(NULL) = 'null', arrayExists over an empty array) are guarded so NULL
//   stays NULL, and `not` never sees one (compile.ts).
// - Datetimes are epoch milliseconds in Float64; conversions to and from text are arithmetic
//   (H. Hinnant's civil calendar algorithms), because DateTime64 only spans 1900-2299 and the
//   language spans years 0000-9999.
// - ClickHouse evaluates both branches of if/CASE, so nothing here may throw on any input:
//   only *OrZero/*OrNull conversions, and division guarded by nullif.
// - Every statement ends with `SETTINGS readonly=2, max_execution_time=…` plus the settings the
//   semantics rely on (cast_keep_nullable, extended date results).
import { MAX_MS, MIN_MS } from '../../expr/value.ts';
import type { Unit } from '../../report/types.ts';
import type { Dialect, JsonSlots, ParamType } from './dialect.ts';

const CH_TYPE = {
  string: 'String',
  number: 'Float64',
  boolean: 'Bool',
  json: 'String',
  strings: 'Array(String)',
  timestamp: "DateTime64(3, 'UTC')",
} as const satisfies Record<ParamType, string>;

// DateTime64's range; a range bound outside it is clamped (no stored event lies outside).
const MIN_TIMESTAMP = Date.UTC(1900, 0, 1);
const MAX_TIMESTAMP = Date.UTC(2300, 0, 1) - 1;

/** 'YYYY-MM-DD hh:mm:ss.mmm' (UTC), the text a DateTime64(3) parameter reads. */
function timestampText(ms: number): string {
  return new Date(Math.min(MAX_TIMESTAMP, Math.max(MIN_TIMESTAMP, ms))).toISOString().slice(0, 23).replace('T', ' ');
}

/**
 * Levels of nesting at which object keys are sorted for `==` (as the DuckDB dialect does: the
 * language compares objects without regard to key order). Deeper, values compare by their
 * re-serialised text. The SQL grows linearly with the depth.
 */
const CANONICAL_DEPTH = 4;

/** JSON text (non-NULL String) with object keys sorted, recursively; numbers re-serialised. */
function canonicalJson(j: string, depth: number): string {
  const flat = `JSONExtractRaw(${j})`;
  if (depth === 0) return flat;
  const p = freshName('p');
  const e = freshName('e');
  const members = `arrayMap(${p} -> concat(toJSONString(tupleElement(${p}, 1)), ':', ${canonicalJson(bigIntFix(`tupleElement(${p}, 2)`), depth - 1)}), arraySort(JSONExtractKeysAndValuesRaw(${j})))`;
  const items = `arrayMap(${e} -> ${canonicalJson(e, depth - 1)}, ${elements(j)})`;
  return (
    `multiIf(JSONType(${j}) = 'Object', concat('{', arrayStringConcat(${members}, ','), '}'), ` +
    `JSONType(${j}) = 'Array', concat('[', arrayStringConcat(${items}, ','), ']'), ${flat})`
  );
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A fragment that is cheap to repeat (a column, a parameter, a bound name, a literal). */
function simple(x: string): boolean {
  return /^"[A-Za-z0-9_]+"$/.test(x) || /^\u0001\d+\u0002$/.test(x) || /^_[a-z]\d*$/.test(x) || /^(TRUE|FALSE|NULL|-?\d+(\.\d+)?)$/.test(x);
}

let bindings = 0;
/** A lambda parameter name no user text and no other binding uses. */
function freshName(prefix: string): string {
  bindings = (bindings + 1) % 1_000_000;
  return `_${prefix}${bindings}`;
}

/** Evaluate x once when it is not simple (a lambda over a one-element array is ClickHouse's `let`). */
function withValue(x: string, body: (v: string) => string): string {
  if (simple(x)) return body(x);
  const name = freshName('b');
  return `arrayMap(${name} -> ${body(name)}, [${x}])[1]`;
}

/**
 * x once, and NULL when x is NULL: functions over arrays (extractAll, splitByChar, ...) cannot
 * return Nullable, so without this guard a missing value would come back as '' or [].
 */
function nullSafe(x: string, body: (v: string) => string): string {
  return withValue(x, (v) => `if(${v} IS NULL, NULL, ${body(v)})`);
}

/**
 * JSON text in which integer literals of 20+ digits (outside strings) carry `.0`, so simdjson
 * reads them as the same doubles instead of refusing the document.
 */
export function jsonForClickHouse(text: string): string {
  if (!/\d{20}/.test(text)) return text;
  return text.replace(/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{20,}(?![\d.eE])/g, (m) => (m.startsWith('"') ? m : `${m}.0`));
}

// The first 20+-digit integer literal outside strings (any prefix of whole strings and other
// characters, then a literal between delimiters) gets `.0`; applied three times per value.
// A backslash in the pattern is four in the SQL literal (two once ClickHouse reads the literal:
// one escaped backslash for RE2), so eight here.
const BIG_INT_RE = `'^((?:"(?:[^"\\\\\\\\]|\\\\\\\\.)*"|[^"])*?(?:[\\[:,]|^))(-?[0-9]{20,21})([\\],}]|$)'`;

/** Raw JSON text from ClickHouse, made readable again by simdjson (see the header). */
function bigIntFix(raw: string): string {
  return withValue(raw, (x) => {
    const once = (t: string) => `replaceRegexpOne(${t}, ${BIG_INT_RE}, '\\1\\2.0\\3')`;
    return `if(match(${x}, '[0-9]{20}'), ${once(once(once(x)))}, ${x})`;
  });
}

/** The raw elements of a JSON array (text; [] for NULL), each readable again. */
function elements(list: string): string {
  const f = freshName('f');
  return withValue(`ifNull(${list}, '')`, (l) => {
    const raw = `JSONExtractArrayRaw(${l})`;
    return `if(match(${l}, '[0-9]{20}'), arrayMap(${f} -> ${bigIntFix(f)}, ${raw}), ${raw})`;
  });
}

/** Several values at once (each evaluated once). */
function withValues(xs: string[], body: (vs: string[]) => string): string {
  const bound = xs.map((x) => (simple(x) ? null : { x, name: freshName('b') }));
  const names = xs.map((x, i) => bound[i]?.name ?? x);
  const lets = bound.filter((b): b is { x: string; name: string } => b !== null);
  if (lets.length === 0) return body(names);
  return `arrayMap((${lets.map((b) => b.name).join(', ')}) -> ${body(names)}, ${lets.map((b) => `[${b.x}]`).join(', ')})[1]`;
}

const MAX_SECONDS = MAX_MS / 1000 + 1;
const WS_CLASS = '[\\\\t\\\\n\\\\f\\\\r ]';
const NUMBER_RE = `'^${WS_CLASS}*[+-]?(\\\\d+(\\\\.\\\\d*)?|\\\\.\\\\d+)([eE][+-]?\\\\d+)?${WS_CLASS}*$'`;
const TRIM_RE = `'^${WS_CLASS}+|${WS_CLASS}+$'`;
const ISO_RE =
  `'^(\\\\d{4})-(\\\\d{2})-(\\\\d{2})(?:T(\\\\d{2}):(\\\\d{2})(?::(\\\\d{2})(?:\\\\.(\\\\d{1,9}))?)?)?(?:(Z)|([+-])(\\\\d{2}):(\\\\d{2}))?$'`;

/** Text that any JSON writer here copies unescaped into a JSON string. */
const VERBATIM_RE = `'^[ !#-.0-\\\\[\\\\]-~]*$'`;

/** One code point per element (RE2 in UTF-8 mode; `(?s)` so newlines count too). */
const chars = (s: string) => `extractAll(ifNull(${s}, ''), '(?s).')`;
const ASCII_ONLY = (s: string) => `match(${s}, '^[\\\\x00-\\\\x7f]*$')`;

// Simple case mapping (spec/ops.ts): where the full mapping has several code points, keep the code
// point, except İ → i (lower) and the Greek letters with ypogegrammeni (upper), as ops.ts does.
const UPPER_SPECIAL: [string, string][] = [];
for (const base of [0x1f80, 0x1f90, 0x1fa0]) for (let i = 0; i < 8; i++) UPPER_SPECIAL.push([String.fromCodePoint(base + i), String.fromCodePoint(base + i + 8)]);
for (const cp of [0x1fb3, 0x1fc3, 0x1ff3]) UPPER_SPECIAL.push([String.fromCodePoint(cp), String.fromCodePoint(cp + 9)]);
const sqlText = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const UPPER_FROM = `[${UPPER_SPECIAL.map(([a]) => sqlText(a)).join(', ')}]`;
const UPPER_TO = `[${UPPER_SPECIAL.map(([, b]) => sqlText(b)).join(', ')}]`;

function mapCase(s: string, upper: boolean): string {
  return nullSafe(s, (x) => {
    const c = freshName('c');
    const f = upper ? 'upperUTF8' : 'lowerUTF8';
    const special = upper ? `transform(${c}, ${UPPER_FROM}, ${UPPER_TO}, ${c})` : `if(${c} = 'İ', 'i', ${c})`;
    const perChar = `arrayStringConcat(arrayMap(${c} -> if(lengthUTF8(${f}(${c})) = 1, ${f}(${c}), ${special}), ${chars(x)}))`;
    return `if(${ASCII_ONLY(x)}, ${upper ? 'upper' : 'lower'}(${x}), ${perChar})`;
  });
}

/**
 * JavaScript's Number#toString from ClickHouse's shortest round-trip digits: ClickHouse prints
 * the same digits but lays them out differently (`1e21`, `10000000000000000`, `1e-7`), so the
 * digits and decimal exponent are taken from its text and laid out with JavaScript's rules.
 */
function jsNumberText(x: string): string {
  const r = `ifNull(toString(abs(${x})), '')`;
  return withValues([`splitByChar('e', ${r})`], ([parts]) => {
    const m = `${parts}[1]`;
    const e = `toInt32OrZero(${parts}[2])`;
    const dot = `position(${m}, '.')`;
    const intLen = `if(${dot} > 0, ${dot} - 1, length(${m}))`;
    const raw = `replaceOne(${m}, '.', '')`;
    const lz = `(length(${raw}) - length(trimLeft(${raw}, '0')))`;
    return withValues([`trimRight(trimLeft(${raw}, '0'), '0')`, `(${intLen} + ${e} - ${lz})`], ([d, n]) => {
      const k = `length(${d})`;
      const exp = `(${n} - 1)`;
      const body =
        `multiIf(${k} <= ${n} AND ${n} <= 21, concat(${d}, repeat('0', toUInt32(greatest(${n} - ${k}, 0)))), ` +
        `0 < ${n} AND ${n} <= 21, concat(substring(${d}, 1, ${n}), '.', substring(${d}, ${n} + 1)), ` +
        `-6 < ${n} AND ${n} <= 0, concat('0.', repeat('0', toUInt32(greatest(-${n}, 0))), ${d}), ` +
        `concat(if(${k} = 1, ${d}, concat(substring(${d}, 1, 1), '.', substring(${d}, 2))), 'e', if(${exp} > 0, '+', '-'), toString(abs(${exp}))))`;
      return `concat(if(${x} < 0, '-', ''), ${body})`;
    });
  });
}

/** Exact IEEE remainder with the sign of the dividend (C's fmod, JavaScript's %), from the bits. */
function fmod(a: string, b: string): string {
  return withValues([a, b], ([x, y]) => `if(${x} IS NULL OR ${y} IS NULL, NULL, ${fmodOf(x, y)})`);
}

function fmodOf(x: string, y: string): string {
  {
    const parts = (v: string) => {
      const bits = `reinterpretAsUInt64(abs(${v}))`;
      const be = `toInt32(bitShiftRight(${bits}, 52))`;
      const mant = `toUInt64(bitAnd(${bits}, 4503599627370495) + if(${be} > 0, 4503599627370496, 0))`;
      const exp = `(greatest(${be}, 1) - 1075)`;
      return [mant, exp] as const;
    };
    const [ma, ea] = parts(x);
    const [mb, eb] = parts(y);
    // B is at least 1 for a real divisor; greatest() keeps ClickHouse (which computes every branch,
    // and NULL rows on their default 0) from dividing by zero where the value is discarded anyway.
    return withValues([ma, ea, `greatest(${mb}, 1)`, eb], ([A, EA, B, EB]) => {
      // 2^k mod B by square-and-multiply over the 12 bits of k (k < 2^12 for doubles), in UInt128.
      const acc = freshName('a');
      const bit = freshName('i');
      const sq = `toUInt128((${acc} * ${acc}) % ${B})`;
      const pow = `arrayFold((${acc}, ${bit}) -> if(bitTest(toUInt32(${EA} - ${EB}), ${bit}), toUInt128((${sq} * 2) % ${B}), ${sq}), range(11, -1, -1), toUInt128(1 % ${B}))`;
      const high = `toFloat64(toUInt128((toUInt128(${A} % ${B}) * ${pow}) % ${B})) * exp2(${EB})`;
      const low = `toFloat64(${A} % greatest(bitShiftLeft(${B}, toUInt32(least(greatest(${EB} - ${EA}, 0), 63))), 1)) * exp2(${EA})`;
      const r = `multiIf(abs(${x}) < abs(${y}), abs(${x}), ${EA} >= ${EB}, ${high}, ${low})`;
      return `if(${x} < 0, -${r}, ${r})`;
    });
  }
}

/** Days since 1970-01-01 of y-m-d (H. Hinnant's days_from_civil), over Int64 fragments. */
function daysFromCivil(y: string, m: string, d: string): string {
  return withValues([`(${y} - if(${m} <= 2, 1, 0))`], ([yy]) =>
    // yy is -1 for January/February of year 0: floor, not intDiv (which truncates toward zero).
    withValues([`toInt64(floor(${yy} / 400))`], ([e]) => {
      const yoe = `(${yy} - ${e} * 400)`;
      const doy = `(intDiv(153 * (${m} + if(${m} > 2, -3, 9)) + 2, 5) + ${d} - 1)`;
      const doe = `(${yoe} * 365 + intDiv(${yoe}, 4) - intDiv(${yoe}, 100) + ${doy})`;
      return `(${e} * 146097 + ${doe} - 719468)`;
    }),
  );
}

const lastDay = (y: string, m: string) =>
  `multiIf(${m} = 2, if((${y} % 4 = 0 AND ${y} % 100 != 0) OR ${y} % 400 = 0, 29, 28), ${m} IN (4, 6, 9, 11), 30, 31)`;

export const clickhouseDialect: Dialect = {
  name: 'clickhouse',

  placeholder: (n, type) => `{p${n}:${CH_TYPE[type]}}`,
  bindValue(value, type) {
    if (type === 'json') return jsonForClickHouse(typeof value === 'string' ? value : JSON.stringify(value));
    // The shortest round-trip text: exact, and accepted by every client for a Float64.
    if (type === 'number' && typeof value === 'number') return String(value);
    if (type === 'timestamp') return timestampText(value as number);
    return value;
  },
  paramsShape: (values) => Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v])),
  quoteIdent(name) {
    if (!IDENT.test(name)) throw new Error(`refusing to quote identifier ${JSON.stringify(name)}`);
    return `"${name}"`;
  },
  boundName: (i) => `_x${i}`,

  nullOf: (slot) =>
    ({
      s: 'CAST(NULL AS Nullable(String))',
      n: 'CAST(NULL AS Nullable(Float64))',
      b: 'CAST(NULL AS Nullable(Bool))',
      t: 'CAST(NULL AS Nullable(Float64))',
      z: 'CAST(NULL AS Nullable(Bool))',
      l: 'CAST(NULL AS Nullable(String))',
      o: 'CAST(NULL AS Nullable(String))',
    })[slot],
  // Inputs are finite, so a result is finite, ±inf or (inf - inf) never: dropping ±inf suffices.
  finite: (x) => `nullIf(nullIf(${x}, inf), -inf)`,
  mod: (a, b) => fmod(a, b),
  roundHalfAway: (x) => withValue(x, (v) => `(sign(${v}) * if(abs(${v}) - floor(abs(${v})) >= 0.5, ceil(abs(${v})), floor(abs(${v}))))`),
  concat: (a, b) => `concat(${a}, ${b})`,
  contains: (h, n) => `(position(${h}, ${n}) > 0)`,
  startsWith: (s, p) => `startsWith(${s}, ${p})`,
  endsWith: (s, p) => `endsWith(${s}, ${p})`,
  length: (s) => `lengthUTF8(${s})`,
  lower: (s) => mapCase(s, false),
  upper: (s) => mapCase(s, true),

  numberToString: (n) =>
    nullSafe(n, (x) => `if(${x} = trunc(${x}) AND abs(${x}) < 1e16, toString(toInt64(${x})), ${jsNumberText(x)})`),

  datetimeToString: (ms) =>
    nullSafe(ms, (x) =>
      withValues([`toInt64(floor(${x} / 86400000))`, `toInt64(${x} - floor(${x} / 1000) * 1000)`], ([days, frac]) =>
        withValues([`(${days} + 719468)`, `toInt64(floor((${x} - ${days} * 86400000) / 1000))`], ([z, secs]) =>
          withValues([`intDiv(${z}, 146097)`, `(${z} % 146097)`], ([, doe]) =>
            withValues([`intDiv(${doe} - intDiv(${doe}, 1460) + intDiv(${doe}, 36524) - intDiv(${doe}, 146096), 365)`], ([yoe]) =>
              withValues([`(${doe} - (365 * ${yoe} + intDiv(${yoe}, 4) - intDiv(${yoe}, 100)))`], ([doy]) =>
                withValues([`intDiv(5 * ${doy} + 2, 153)`], ([mp]) => {
                  const d = `(${doy} - intDiv(153 * ${mp} + 2, 5) + 1)`;
                  const m = `if(${mp} < 10, ${mp} + 3, ${mp} - 9)`;
                  const y = `(${yoe} + intDiv(${z}, 146097) * 400 + if(${m} <= 2, 1, 0))`;
                  const pad = (v: string, w: number) => `leftPad(toString(${v}), ${w}, '0')`;
                  return (
                    `concat(${pad(y, 4)}, '-', ${pad(m, 2)}, '-', ${pad(d, 2)}, 'T', ${pad(`intDiv(${secs}, 3600)`, 2)}, ':', ` +
                    `${pad(`intDiv(${secs}, 60) % 60`, 2)}, ':', ${pad(`${secs} % 60`, 2)}, if(${frac} != 0, concat('.', ${pad(frac, 3)}), ''))`
                  );
                }),
              ),
            ),
          ),
        ),
      ),
    ),

  parseNumber: (s) =>
    withValue(s, (x) => `if(match(${x}, ${NUMBER_RE}), nullIf(nullIf(toFloat64OrNull(replaceRegexpAll(${x}, ${TRIM_RE}, '')), inf), -inf), NULL)`),

  parseDatetime: (s) =>
    withValue(`extractGroups(ifNull(${s}, ''), ${ISO_RE})`, (g) => {
      const int = (i: number) => `toInt64OrZero(${g}[${i}])`;
      return withValues([int(1), int(2), int(3), int(4), int(5), int(6), int(10), int(11)], ([y, mo, d, h, mi, sec, oh, om]) => {
        const valid = [
          `length(${g}) = 11`,
          `${g}[1] != ''`,
          `${mo} BETWEEN 1 AND 12`,
          `${d} >= 1`,
          `${d} <= ${lastDay(y, mo)}`,
          `${h} <= 23`,
          `${mi} <= 59`,
          `${sec} <= 59`,
          `${oh} <= 23`,
          `${om} <= 59`,
        ];
        const frac = `toFloat64(toInt64OrZero(substring(concat(${g}[7], '000'), 1, 3)))`;
        const offset = `multiIf(${g}[9] = '-', -1, ${g}[9] = '+', 1, 0) * (${oh} * 60 + ${om}) * 60000`;
        const ms = `(toFloat64(${daysFromCivil(y, mo, d)}) * 86400000 + ${h} * 3600000 + ${mi} * 60000 + ${sec} * 1000 + ${frac} - ${offset})`;
        return withValue(ms, (t) => `if(${valid.join(' AND ')} AND ${t} BETWEEN ${MIN_MS} AND ${MAX_MS}, ${t}, NULL)`);
      });
    }),

  secondsToMs: (n) =>
    withValue(n, (x) => {
      const k = clickhouseDialect.roundHalfAway(`(${x} * 1000)`);
      const asWritten = withValue(clickhouseDialect.numberToString(`abs(${x})`), (text) => {
        const whole = `toFloat64OrZero(splitByChar('.', ${text})[1])`;
        const frac = `toFloat64OrZero(substring(concat(if(length(splitByChar('.', ${text})) > 1, splitByChar('.', ${text})[2], ''), '000'), 1, 3))`;
        return `(${whole} * 1000 + ${frac})`;
      });
      return withValue(k, (kk) =>
        `if(abs(${x}) <= ${MAX_SECONDS}, multiIf(${kk} / 1000 = ${x}, ${kk} + 0, abs(${x}) < 0.001, 0, sign(${x}) * ${asWritten}), NULL)`,
      );
    }),
  checkMs: (ms) => withValue(ms, (x) => `if(${x} BETWEEN ${MIN_MS} AND ${MAX_MS}, ${x} + 0, NULL)`),

  jsonSlots(j): JsonSlots {
    const t = `JSONType(${j})`;
    return {
      s: `if(${t} = 'String', JSONExtractString(${j}), NULL)`,
      n: `if(${t} IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(${j}), NULL)`,
      b: `if(${t} = 'Bool', JSONExtractBool(${j}) = 1, NULL)`,
      z: `if(${t} = 'Null', TRUE, NULL)`,
      l: `if(${t} = 'Array', ${j}, NULL)`,
      o: `if(${t} = 'Object', ${j}, NULL)`,
    };
  },
  // '' is what JSONExtractRaw gives for a missing member; a present one is never empty text.
  // The compiler may hand over JSON of any type (the raw value of a property): JSONExtractRaw
  // with an index also finds an object's i-th member, so the type is checked first.
  jsonMember: (obj, key) => withValue(obj, (o) => `if(JSONType(${o}) = 'Object', ${bigIntFix(`nullIf(JSONExtractRaw(${o}, ${key}), '')`)}, NULL)`),
  jsonElement: (list, index) =>
    withValue(list, (l) => `if(JSONType(${l}) = 'Array', ${bigIntFix(`nullIf(JSONExtractRaw(${l}, toInt64(least(${index}, 2147483647)) + 1), '')`)}, NULL)`),
  jsonLength: (list) => `JSONLength(${list})`,
  jsonObjectSize: (obj) => `JSONLength(${obj})`,
  toJson(slot, x) {
    switch (slot) {
      case 's':
        return withValue(x, (v) => `if(${v} IS NULL, NULL, toJSONString(assumeNotNull(${v})))`);
      case 'n':
        return withValue(x, (v) => `if(abs(${v}) >= 1e19 AND abs(${v}) < 1e21, concat(${clickhouseDialect.numberToString(v)}, '.0'), ${clickhouseDialect.numberToString(v)})`);
      case 'b':
        return `multiIf(${x}, 'true', NOT ${x}, 'false', NULL)`;
      case 'z':
        return `if(${x}, 'null', NULL)`;
    }
  },
  jsonArray: (items) => (items.length === 0 ? `'[]'` : `concat('[', arrayStringConcat([${items.map((i) => `ifNull(${i}, 'null')`).join(', ')}], ','), ']')`),
  jsonObject(entries) {
    if (entries.length === 0) return `'{}'`;
    const e = freshName('e');
    const members = entries.map(([k, v]) => `concat(toJSONString(${k}), ':', ${v})`);
    return `concat('{', arrayStringConcat(arrayFilter(${e} -> ${e} IS NOT NULL, [${members.join(', ')}]), ','), '}')`;
  },
  jsonCanonical: (j) => nullSafe(j, (v) => withValue(`ifNull(${v}, '')`, (x) => canonicalJson(x, CANONICAL_DEPTH))),

  listAny: (list, name, body) => `if(${list} IS NULL, NULL, arrayExists(${name} -> ${body}, ${elements(list)}))`,
  listAll: (list, name, body) => `if(${list} IS NULL, NULL, arrayAll(${name} -> ${body}, ${elements(list)}))`,
  // position() on the JSON text is a cheap prefilter when `s` would appear in it verbatim
  // (printable ASCII other than the characters JSON writers escape). The exact test compares raw
  // element texts with the JSON text of `s`: both are written by ClickHouse's one JSON string
  // writer (JSONExtractArrayRaw re-serialises each element), so equal strings give equal texts.
  listHasString: (list, s) =>
    withValues([list, s], ([l, v]) =>
      `if(${l} IS NULL OR ${v} IS NULL, NULL, (NOT match(${v}, ${VERBATIM_RE}) OR position(${l}, ${v}) > 0) AND has(JSONExtractArrayRaw(ifNull(${l}, '')), toJSONString(assumeNotNull(${v}))))`,
    ),
  // Array columns cannot be NULL: a missing list is read off the list column.
  listContains: (strings, s, list) => `if(${list} IS NULL OR ${s} IS NULL, NULL, has(${strings}, assumeNotNull(${s})))`,
  listKeys(list, name, body) {
    const k = freshName('k');
    return `arrayDistinct(arrayFilter(${k} -> ${k} IS NOT NULL, arrayMap(${name} -> CAST(${body} AS Nullable(String)), ${elements(list)})))`;
  },
  keyList(items) {
    if (items.length === 0) return `CAST([] AS Array(Nullable(String)))`;
    const k = freshName('k');
    return `arrayDistinct(arrayFilter(${k} -> ${k} IS NOT NULL, [${items.map((i) => `CAST(${i} AS Nullable(String))`).join(', ')}]))`;
  },
  bind: (value, name, body) => `arrayMap(${name} -> ${body}, [${value}])[1]`,

  timeMs: (col) => `toFloat64(toUnixTimestamp64Milli(toDateTime64(${col}, 3, 'UTC')))`,
  bucket(unit: Unit, col) {
    switch (unit) {
      case 'minute':
        return `toStartOfMinute(${col})`;
      case 'hour':
        return `toStartOfHour(${col})`;
      case 'day':
        return `toStartOfDay(${col})`;
      case 'week':
        return `toStartOfWeek(${col}, 1)`;
      case 'month':
        return `toStartOfMonth(${col})`;
    }
  },
  timestamp: (p) => p,
  explode: (keys, k, i) => `arrayJoin(arrayEnumerate(${keys})) AS ${i}, arrayElement(${keys}, ${i}) AS ${k}`,
  nonEmptyKeys: (k) => `if(empty(${k}), CAST([NULL] AS Array(Nullable(String))), ${k})`,
  countIf: (cond) => `countIf(${cond})`,
  countDistinctIf: (col, cond) => `uniqExactIf(${col}, ${cond})`,
  listMin: (l) => `arrayReduce('min', ${l})`,
  doubleList: (items) => (items.length === 0 ? `CAST([] AS Array(Nullable(Float64)))` : `[${items.map((i) => `CAST(${i} AS Nullable(Float64))`).join(', ')}]`),
  listMax: (l) => `arrayReduce('max', ${l})`,
  listNumbers: (list, name, body) => `arrayMap(${name} -> CAST(${body} AS Nullable(Float64)), ${elements(list)})`,
  listAt: (list, i) => `arrayElement(${list}, ${i} + 1)`,
  suffix: (opts) => ` ${clickhouseSettings(opts.timeoutMs)}`,
  // Every reference to a CTE re-runs it: the per-user rows y would be computed twice.
  distinctByGroupingSets: true,
};

/**
 * output_format_json_escape_forward_slashes=0: toJSONString then writes `/` as JSONExtractRaw
 * does, so JSON texts of equal strings are equal (listHasString).
 *
 * empty_result_for_aggregation_by_empty_set: the grouping set `()` over no rows gives no row, as
 * on DuckDB (ClickHouse otherwise answers one row of zero counts: a phantom segment).
 *
 * The SETTINGS clause of every statement: read-only (2: settings may still be changed by the
 * query itself), the time budget, and what the dialect's semantics rely on.
 */
export function clickhouseSettings(timeoutMs?: number): string {
  const seconds = Math.max(1, Math.ceil((timeoutMs ?? 30_000) / 1000));
  return (
    `SETTINGS readonly=2, max_execution_time=${seconds}, cast_keep_nullable=1, ` +
    `enable_extended_results_for_datetime_functions=1, join_use_nulls=0, empty_result_for_aggregation_by_empty_set=1, ` +
    `output_format_json_escape_forward_slashes=0`
  );
}
