// The DuckDB dialect (1.5): how each primitive of dialect.ts is written. Datetimes travel as epoch
// milliseconds in DOUBLE; JSON values are DuckDB JSON (yyjson), lists iterate with lambdas.
import { MAX_MS, MIN_MS } from '../../expr/value.ts';
import type { Unit } from '../../report/types.ts';
import type { Dialect, JsonSlots, ParamType } from './dialect.ts';
import { LOWER_OVERRIDES, UPPER_OVERRIDES } from './duckdb-case.ts';

const SQL_TYPE: Record<ParamType, string> = {
  string: 'VARCHAR',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  json: 'JSON',
  strings: 'VARCHAR[]',
  timestamp: 'TIMESTAMP',
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A fragment that is cheap to repeat (a column, a parameter, a bound name). */
function simple(x: string): boolean {
  return /^"[A-Za-z0-9_]+"$/.test(x) || /^\u0001\d+\u0002(::[A-Z]+)?$/.test(x) || /^_[xb]\d*$/.test(x);
}

/** Evaluate x once when it is not simple (a lambda over a one-element list is DuckDB's `let`). */
function withValue(x: string, body: (v: string) => string): string {
  if (simple(x)) return body(x);
  // One name for every binding is safe: a body only ever refers to its own value, and lexical
  // scoping resolves nested uses to the innermost lambda.
  return `list_transform([${x}], _b -> ${body('_b')})[1]`;
}

/**
 * lower()/upper() with the reference's mapping for the few code points where DuckDB's Unicode
 * tables differ (duckdb-case.ts). Strings without any of them (almost all) take the plain function;
 * the others are mapped one code point at a time.
 */
function caseMapping(fn: 'lower' | 'upper', table: readonly (readonly [number, number])[]): (s: string) => string {
  const cls = `'[${table.map(([f]) => `\\x{${f.toString(16)}}`).join('')}]'`;
  const cases = table.map(([f, t]) => `WHEN chr(${f}) THEN chr(${t})`).join(' ');
  return (s) =>
    withValue(s, (x) => `CASE WHEN regexp_matches(${x}, ${cls}) THEN array_to_string(list_transform(range(length(${x})), _i -> CASE substring(${x}, _i + 1, 1) ${cases} ELSE ${fn}(substring(${x}, _i + 1, 1)) END), '') ELSE ${fn}(${x}) END`);
}

/**
 * Levels of nesting at which object keys are sorted for `==` (the language compares objects
 * without regard to key order; DuckDB compares JSON as text). Deeper than this, values compare by
 * their minified text, i.e. key order matters there. The SQL grows linearly with the depth.
 */
export const CANONICAL_DEPTH = 4;

/** JSON text with object keys sorted, recursively: objects and arrays share one recursion. */
function canonicalJson(j: string, depth: number): string {
  const flat = `CAST(json(${j}) AS VARCHAR)`;
  if (depth === 0) return flat;
  const k = `_k${depth}`;
  const e = `_e${depth}`;
  const p = `_p${depth}`;
  const member = `json_extract(${j}, '/' || replace(replace(${k}, '~', '~0'), '/', '~1'))`;
  const entries =
    `CASE WHEN json_type(${j}) = 'OBJECT' ` +
    `THEN list_transform(list_sort(json_keys(${j})), ${k} -> {'k': CAST(to_json(${k}) AS VARCHAR) || ':', 'v': ${member}}) ` +
    `ELSE list_transform(${elements(j)}, ${e} -> {'k': '', 'v': ${e}}) END`;
  const inner = `array_to_string(list_transform(${entries}, ${p} -> ${p}.k || ${canonicalJson(`${p}.v`, depth - 1)}), ',')`;
  return (
    `CASE WHEN json_type(${j}) IN ('OBJECT', 'ARRAY') ` +
    `THEN CASE json_type(${j}) WHEN 'OBJECT' THEN '{' ELSE '[' END || ${inner} || CASE json_type(${j}) WHEN 'OBJECT' THEN '}' ELSE ']' END ` +
    `ELSE ${flat} END`
  );
}

const MAX_SECONDS = MAX_MS / 1000 + 1;
const WS = `chr(9) || chr(10) || chr(12) || chr(13) || ' '`;
const NUMBER_RE = `'[\\t\\n\\f\\r ]*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?[\\t\\n\\f\\r ]*'`;
const ISO_RE = `'^(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?(?:(Z)|([+-])(\\d{2}):(\\d{2}))?$'`;

/**
 * A JSON array's elements as JSON[]. The cast keeps the type when DuckDB folds a constant list
 * argument to NULL at bind time (a lambda over an untyped NULL fails to bind: "Invalid LIST
 * argument during lambda function binding"); found by the differential tests.
 */
function elements(list: string): string {
  return `CAST(json_extract(${list}, '$[*]') AS JSON[])`;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',

  placeholder: (n, type) => `$${n}::${SQL_TYPE[type]}`,
  bindValue: (value, type) => {
    if (type === 'json' && typeof value !== 'string') return JSON.stringify(value);
    if (type === 'timestamp') return new Date(value as number);
    return value;
  },
  paramsShape: (values) => values,
  quoteIdent(name) {
    if (!IDENT.test(name)) throw new Error(`refusing to quote identifier ${JSON.stringify(name)}`);
    return `"${name}"`;
  },
  boundName: (i) => `_x${i}`,

  nullOf: (slot) => ({ s: 'NULL::VARCHAR', n: 'NULL::DOUBLE', b: 'NULL::BOOLEAN', t: 'NULL::DOUBLE', z: 'NULL::BOOLEAN', l: 'NULL::JSON', o: 'NULL::JSON' })[slot],
  finite: (x) => `nullif(nullif(${x}, 'Infinity'::DOUBLE), '-Infinity'::DOUBLE)`,
  mod: (a, b) => `(${a} % ${b})`,
  roundHalfAway: (x) => `round(${x})`,
  concat: (a, b) => `(${a} || ${b})`,
  contains: (h, n) => `contains(${h}, ${n})`,
  startsWith: (s, p) => `starts_with(${s}, ${p})`,
  endsWith: (s, p) => `suffix(${s}, ${p})`,
  length: (s) => `length(${s})`,
  lower: caseMapping('lower', LOWER_OVERRIDES),
  upper: caseMapping('upper', UPPER_OVERRIDES),

  // DuckDB prints doubles shortest-round-trip like JavaScript but switches to exponents at other
  // magnitudes and writes `3.0`, `1e-07`. Integers below 1e16 go through BIGINT (the common case,
  // and exact); otherwise DuckDB's digits are re-laid out with JavaScript's rules (exponent form
  // only at >= 1e21 or < 1e-6, exponent without zero padding).
  numberToString: (n) =>
    withValue(n, (x) => {
      const r = `CAST(${x} AS VARCHAR)`;
      const m = `split_part(${r}, 'e', 1)`;
      const e = `CAST(split_part(${r}, 'e', 2) AS INTEGER)`;
      const sign = `CASE WHEN ${x} < 0 THEN '-' ELSE '' END`;
      const digits = `replace(ltrim(${m}, '-'), '.', '')`;
      return (
        `CASE WHEN ${x} = trunc(${x}) AND abs(${x}) < 1e16 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ` +
        `WHEN NOT contains(${r}, 'e') THEN ${r} ` +
        `WHEN ${e} >= 21 OR ${e} <= -7 THEN ${m} || 'e' || CASE WHEN ${e} > 0 THEN '+' ELSE '-' END || CAST(abs(${e}) AS VARCHAR) ` +
        `WHEN ${e} >= 0 THEN ${sign} || ${digits} || repeat('0', ${e} + 1 - length(${digits})) ` +
        `ELSE ${sign} || '0.' || repeat('0', -${e} - 1) || ${digits} END`
      );
    }),

  datetimeToString: (ms) =>
    withValue(ms, (x) => {
      const frac = `CAST(((${x} % 1000) + 1000) % 1000 AS BIGINT)`;
      return `strftime(epoch_ms(CAST(${x} AS BIGINT)), '%Y-%m-%dT%H:%M:%S') || CASE WHEN ${frac} <> 0 THEN '.' || lpad(CAST(${frac} AS VARCHAR), 3, '0') ELSE '' END`;
    }),

  parseNumber: (s) =>
    withValue(s, (x) => `CASE WHEN regexp_full_match(${x}, ${NUMBER_RE}) THEN nullif(nullif(TRY_CAST(trim(${x}, ${WS}) AS DOUBLE), 'Infinity'::DOUBLE), '-Infinity'::DOUBLE) END`),

  parseDatetime: (s) =>
    withValue(`regexp_extract(${s}, ${ISO_RE}, ['y','mo','d','h','mi','sec','f','z','sg','oh','om'])`, (g) => {
      const int = (f: string, dflt = '0') => `CAST(coalesce(nullif(${g}.${f}, ''), '${dflt}') AS INTEGER)`;
      const y = int('y');
      const mo = int('mo');
      const d = int('d');
      const valid = [
        `${g}.y <> ''`,
        `${mo} BETWEEN 1 AND 12`,
        `${d} >= 1`,
        `${d} <= day(last_day(make_date(${y}, ${mo}, 1)))`,
        `${int('h')} <= 23`,
        `${int('mi')} <= 59`,
        `${int('sec')} <= 59`,
        `${int('oh')} <= 23`,
        `${int('om')} <= 59`,
      ];
      const frac = `CAST(left(${g}.f || '000', 3) AS DOUBLE)`;
      const offset = `CASE ${g}.sg WHEN '-' THEN -1 WHEN '+' THEN 1 ELSE 0 END * (${int('oh')} * 60 + ${int('om')}) * 60000`;
      const ms =
        `CAST(epoch_ms(CAST(make_date(${y}, 1, 1) AS TIMESTAMP)) AS DOUBLE) + ` +
        `(CAST(make_date(${y}, ${mo}, 1) - make_date(${y}, 1, 1) AS DOUBLE) + ${d} - 1) * 86400000 + ` +
        `${int('h')} * 3600000 + ${int('mi')} * 60000 + ${int('sec')} * 1000 + ${frac} - ${offset}`;
      return `CASE WHEN ${valid.join(' AND ')} THEN CASE WHEN (${ms}) BETWEEN ${MIN_MS} AND ${MAX_MS} THEN (${ms}) END END`;
    }),

  secondsToMs: (n) =>
    withValue(n, (x) => {
      const text = `CAST(abs(${x}) AS VARCHAR)`;
      const asWritten = `(CAST(split_part(${text}, '.', 1) AS DOUBLE) * 1000 + CAST(left(split_part(${text}, '.', 2) || '000', 3) AS DOUBLE))`;
      return (
        `CASE WHEN abs(${x}) <= ${MAX_SECONDS} THEN ` +
        `CASE WHEN round(${x} * 1000) / 1000 = ${x} THEN round(${x} * 1000) + 0 WHEN abs(${x}) < 0.001 THEN 0 ELSE sign(${x}) * ${asWritten} END END`
      );
    }),
  checkMs: (ms) => withValue(ms, (x) => `CASE WHEN ${x} BETWEEN ${MIN_MS} AND ${MAX_MS} THEN ${x} + 0 END`),

  jsonSlots(j): JsonSlots {
    const t = `json_type(${j})`;
    return {
      s: `CASE WHEN ${t} = 'VARCHAR' THEN ${j} ->> '$' END`,
      n: `CASE WHEN ${t} IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(${j} AS DOUBLE) END`,
      b: `CASE WHEN ${t} = 'BOOLEAN' THEN CAST(${j} AS BOOLEAN) END`,
      z: `CASE WHEN ${t} = 'NULL' THEN TRUE END`,
      l: `CASE WHEN ${t} = 'ARRAY' THEN ${j} END`,
      o: `CASE WHEN ${t} = 'OBJECT' THEN ${j} END`,
    };
  },
  // A JSON Pointer (RFC 6901) built from the key: any text is a valid key, nothing is parsed.
  jsonMember: (obj, key, pointer) => `json_extract(${obj}, ${pointer ?? `'/' || replace(replace(${key}, '~', '~0'), '/', '~1')`})`,
  jsonElement: (list, index) => `(${list} -> CAST(least(${index}, 2147483647) AS BIGINT))`,
  jsonLength: (list) => `json_array_length(${list})`,
  jsonObjectSize: (obj) => `len(json_keys(${obj}))`,
  toJson: (slot, x) => (slot === 'z' ? `CASE WHEN ${x} THEN 'null'::JSON END` : `to_json(${x})`),
  jsonArray: (items) => `json_array(${items.join(', ')})`,
  jsonObject: (entries) => `json_object(${entries.map(([k, v]) => `${k}, ${v}`).join(', ')})`,
  jsonCanonical: (j) => withValue(j, (x) => canonicalJson(x, CANONICAL_DEPTH)),

  listAny: (list, name, body) => `(len(list_filter(${elements(list)}, ${name} -> ${body})) > 0)`,
  listAll: (list, name, body) => `(len(list_filter(${elements(list)}, ${name} -> NOT (${body}))) = 0)`,
  // json_contains is a cheap recursive prefilter (it also looks inside nested values); the exact
  // test compares element texts, both written by DuckDB's JSON writer.
  listHasString: (list, s) => {
    const t = `CAST(to_json(${s}) AS VARCHAR)`;
    return `(json_contains(${list}, ${t}) AND list_contains(CAST(${elements(list)} AS VARCHAR[]), ${t}))`;
  },
  listContains: (strings, s) => `list_contains(${strings}, ${s})`,
  listKeys: (list, name, body) => `list_distinct(list_transform(${elements(list)}, ${name} -> ${body}))`,
  keyList: (items) => `list_distinct([${items.map((i) => `CAST(${i} AS VARCHAR)`).join(', ')}]::VARCHAR[])`,
  bind: (value, name, body) => `list_transform([${value}], ${name} -> ${body})[1]`,

  timeMs: (col) => `CAST(epoch_ms(${col}) AS DOUBLE)`,
  bucket: (unit: Unit, col) => `date_trunc('${unit}', ${col})`,
  timestamp: (p) => p,
  explode: (keys, k, i) => `UNNEST(${keys}) AS ${k}, generate_subscripts(${keys}, 1) AS ${i}`,
  nonEmptyKeys: (k) => `CASE WHEN len(${k}) = 0 THEN [NULL]::VARCHAR[] ELSE ${k} END`,
  countIf: (cond) => `count(*) FILTER (WHERE ${cond})`,
  countDistinctIf: (col, cond) => `count(DISTINCT ${col}) FILTER (WHERE ${cond})`,
  listMin: (l) => `list_min(${l})`,
  doubleList: (items) => `[${items.map((i) => `CAST(${i} AS DOUBLE)`).join(', ')}]::DOUBLE[]`,
  listMax: (l) => `list_max(${l})`,
  listNumbers: (list, name, body) => `list_filter(list_transform(${elements(list)}, ${name} -> ${body}), _v -> _v IS NOT NULL)`,
  listAt: (list, i) => `(${list})[${i} + 1]`,
  suffix: () => '',
  // Measured: count(*) beside count(DISTINCT) in one GROUPING SETS aggregate was several times slower.
  distinctByGroupingSets: false,
};
