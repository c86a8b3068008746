// The hooks a SQL dialect supplies to the compiler. compile.ts owns the semantics (one rule per
// operator and type combination, written once); segmentation.ts owns the statement shape; a
// dialect only says how to write each primitive. Everything here takes and returns SQL fragments;
// values reach a fragment only through SqlWriter.param, identifiers only through quoteIdent.
//
// | hook                    | DuckDB                                        | ClickHouse (suggested)                     |
// |-------------------------|-----------------------------------------------|--------------------------------------------|
// | placeholder, bindValue  | `$1::DOUBLE`; ms → Date for 'timestamp'       | `{p1:Float64}`, params as a record         |
// | jsonSlots               | json_type(j) = 'VARCHAR' … → typed slots      | JSONType / JSONExtract* over a String      |
// | jsonMember/jsonElement  | json_extract(j, pointer), j -> i              | JSONExtractRaw(j, key) / (j, i+1)          |
// | listAny/listAll/listKeys| list_filter/list_transform over '$[*]'        | arrayExists/arrayAll/arrayMap              |
// | listHasString           | json_contains prefilter + exact element text  | has(JSONExtractArrayRaw(l), toJSONString)  |
// | listContains (optional) | list_contains over a string-elements column   | has() over one; NULL from the list column  |
// | jsonCanonical           | keys sorted to depth 4 (objects == by value)  | the same recursion                         |
// | numberToString          | BIGINT cast or DuckDB's digits re-laid out    | the same reformatting                      |
// | parseNumber/Datetime    | RE2 grammar + TRY_CAST / civil arithmetic     | match() + toFloat64OrNull / arithmetic     |
// | lower/upper             | + per-code-point overrides (duckdb-case.ts)   | its own override table                     |
// | bucket, timeMs          | date_trunc(unit, time), epoch_ms             | toStartOfInterval / toMonday               |
// | explode, countIf, …     | UNNEST + generate_subscripts, FILTER          | arrayJoin, countIf, uniqExactIf            |
// | suffix                  | ''                                            | SETTINGS readonly=2, max_execution_time=…  |
// | distinctByGroupingSets  | false (a UNION of two GROUP BYs was faster)   | true (a CTE read twice is computed twice)  |
//
// Contracts every dialect must keep: a slot is SQL NULL unless the value has that type; hooks
// documented as boolean return non-NULL booleans for non-NULL inputs; nothing may raise an error
// for any input (casts use TRY_/OrNull forms), because engines evaluate discarded CASE branches.
// Every lambda body a hook receives is already a complete fragment in which the bound element is
// referred to by the name the hook was given. test/engine holds the differential tests a dialect
// must pass (see harness.ts; they take the dialect's store).

import type { Unit } from '../../report/types.ts';

/** What a bound parameter holds; dialects with typed placeholders need it ('timestamp': epoch ms). */
export type ParamType = 'string' | 'number' | 'boolean' | 'json' | 'strings' | 'timestamp';

/** Per-type SQL of one value read from JSON (each NULL unless the JSON value has that type). */
export type JsonSlots = { s: string; n: string; b: string; z: string; l: string; o: string };

export interface Dialect {
  readonly name: 'duckdb' | 'clickhouse';

  // ---- parameters and names
  placeholder(n: number, type: ParamType): string;
  /** The value as the driver wants it bound (e.g. a JSON text for 'json'). */
  bindValue(value: unknown, type: ParamType): unknown;
  /** Positional array (DuckDB) or named record (ClickHouse `{p1:…}`). */
  paramsShape(values: unknown[], types: ParamType[]): unknown[] | Record<string, unknown>;
  quoteIdent(name: string): string;
  /** A fresh lambda parameter / alias name: `i` makes it unique within one statement. */
  boundName(i: number): string;

  // ---- literals and small pieces
  /** SQL NULL of the type a slot holds (so CASE branches type-check). */
  nullOf(slot: 's' | 'n' | 'b' | 't' | 'z' | 'l' | 'o'): string;
  /** x when finite, NULL for ±inf/NaN (spec: non-finite results are undefined). */
  finite(x: string): string;
  /** Remainder with the sign of the dividend. */
  mod(a: string, b: string): string;
  roundHalfAway(x: string): string;
  concat(a: string, b: string): string;
  contains(haystack: string, needle: string): string;
  startsWith(s: string, prefix: string): string;
  endsWith(s: string, suffix: string): string;
  /** Code points. */
  length(s: string): string;
  lower(s: string): string;
  upper(s: string): string;

  // ---- casts (spec section 4 table)
  /** string(number): JavaScript's shortest round-trip text. */
  numberToString(n: string): string;
  /** string(datetime) from epoch milliseconds (DOUBLE): `YYYY-MM-DDTHH:MM:SS[.fff]`. */
  datetimeToString(ms: string): string;
  /** number(string): the spec grammar, else NULL. */
  parseNumber(s: string): string;
  /** datetime(string) to epoch ms, else NULL. */
  parseDatetime(s: string): string;
  /** datetime(number): seconds to whole ms as written (value.ts secondsToMs), range-checked. */
  secondsToMs(n: string): string;
  /** Epoch ms within the datetime range, else NULL. */
  checkMs(ms: string): string;

  // ---- JSON
  jsonSlots(j: string): JsonSlots;
  /**
   * Member `key` (a VARCHAR fragment) of a JSON object; NULL when missing. `pointer`, when given,
   * is a parameter holding the key's RFC 6901 pointer (`/a~1b`), precomputed for constant keys.
   */
  jsonMember(obj: string, key: string, pointer?: string): string;
  /** Element `index` (a DOUBLE fragment, known integral and >= 0) of a JSON array; NULL when out of range. */
  jsonElement(list: string, index: string): string;
  jsonLength(list: string): string;
  jsonObjectSize(obj: string): string;
  /** A JSON value from a typed slot (string, number, boolean); `'null'` JSON for TRUE null flags. */
  toJson(slot: 's' | 'n' | 'b' | 'z', x: string): string;
  jsonArray(items: string[]): string;
  jsonObject(entries: [key: string, value: string][]): string;
  /** Text that is equal for equal JSON values (same shape and scalars). */
  jsonCanonical(j: string): string;

  // ---- lambdas over JSON arrays
  /** TRUE when `body` (non-NULL boolean over `name`) holds for some element. Empty: FALSE. */
  listAny(list: string, name: string, body: string): string;
  /** TRUE when it holds for every element. Empty: TRUE. */
  listAll(list: string, name: string, body: string): string;
  /**
   * TRUE when the JSON array has a string element equal to the VARCHAR `s` (NULL when either is
   * NULL): the fast form of `s in L` and `any(X, L, X == s)`.
   */
  listHasString(list: string, s: string): string;
  /**
   * TRUE when the string-elements column `strings` of the JSON list column `list` holds the
   * VARCHAR `s`; NULL when the list or `s` is NULL. For stores that keep such columns (TV.strings).
   */
  listContains?(strings: string, s: string, list: string): string;
  /** Distinct non-NULL values of `body` (VARCHAR over `name`) over the elements: a VARCHAR list. */
  listKeys(list: string, name: string, body: string): string;
  /** A VARCHAR list literal of the given VARCHAR fragments, distinct and without NULLs. */
  keyList(items: string[]): string;
  /** Evaluate `value` once and use it as `name` in `body`. */
  bind(value: string, name: string, body: string): string;

  // ---- segmentation
  /** Epoch ms (DOUBLE) of the events table's time column. */
  timeMs(timeColumn: string): string;
  /** The start of the bucket of `unit` that `timeColumn` falls in, as a TIMESTAMP. */
  bucket(unit: Unit, timeColumn: string): string;
  /** A TIMESTAMP from a 'timestamp' parameter fragment (epoch ms bound as the engine's timestamp). */
  timestamp(param: string): string;
  /**
   * Select-list items that turn one row with a VARCHAR list `keys` into one row per element:
   * the element as `keyAlias`, its 1-based position as `ordinalAlias`.
   */
  explode(keys: string, keyAlias: string, ordinalAlias: string): string;
  /** The VARCHAR list column, or a list of one NULL when it is empty (an event with no segment still counts as matched). */
  nonEmptyKeys(column: string): string;
  countIf(cond: string): string;
  countDistinctIf(column: string, cond: string): string;
  /** Smallest / largest number in a DOUBLE list fragment (NULLs ignored). */
  listMin(list: string): string;
  /** A DOUBLE list literal of the given DOUBLE fragments. */
  doubleList(items: string[]): string;
  listMax(list: string): string;
  /** DOUBLE list of the non-NULL values of `body` (DOUBLE over `name`) over a JSON array. */
  listNumbers(list: string, name: string, body: string): string;
  /** Element `index` (0-based INTEGER fragment) of a VARCHAR list parameter. */
  listAt(list: string, index: string): string;
  /** Text appended to every statement (ClickHouse: SETTINGS readonly=2, max_execution_time=…). */
  suffix(opts: { timeoutMs?: number }): string;
  /**
   * Distinct measures: per (segment, bucket) and per segment users in one GROUPING SETS
   * aggregate, instead of two aggregates over the same per-user rows (segmentation.ts).
   */
  readonly distinctByGroupingSets: boolean;
}
