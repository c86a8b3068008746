// The segmentation query executor: a checked SegmentationQuery → SQL → SegmentationResult.
//
// The main statement (DuckDB shown; engine-specific pieces go through dialect hooks):
//   m  matched events: bucket start, distinct_id, the segment key(s) of `on` (one VARCHAR, or a
//      VARCHAR list for a list-valued `on`: spec section 5); without `on` no key at all
//   x  one row per (event, segment); the 1-based position `i` lets each event count once in
//      events_matched; an event with no segment (an object, []) keeps one row with s = NULL
//   y  (unique/average) one row per (segment, bucket, user), so per-bucket users are a row count
//      and a segment's users over the whole range a distinct count over this small set
//   g  per (segment, bucket) events/users, plus per-segment rows (gs = 1) for distinct measures
//   w1, w2  window functions over g (read once): each segment's total, its dense_rank (which keeps
//      every segment tied at the cut; JS breaks ties by key, in code-point order as the reference
//      does, and applies the limit) and the counters (segments found, events matched) on every row
//   the result: the top segments' rows, plus one row for the counters when none of those exists.
// Without `on` there is one segment, so no ranking: JS sums the rows.
// rows_scanned is its own small count (event + range only), skipped when there is no `where`
// (then it equals events matched) and cached per store data version; numeric `buckets` need one
// more statement first, for the range of the numbers.
import type { Expr } from '../expr/ast.ts';
import { ExprError } from '../expr/errors.ts';
import { print } from '../expr/print.ts';
import { whereForm, type TV } from './sql/typed.ts';
import { makeDateTime } from '../expr/value.ts';
import { NumericBuckets } from '../expr/segments.ts';
import { compareStrings } from '../expr/value.ts';
import { bucketLabel, bucketLabels, rangeBounds } from '../report/dates.ts';
import type { SegmentationQuery, SegmentationResult } from '../report/types.ts';
import { ExprCompiler, truthy } from './sql/compile.ts';
import type { Dialect } from './sql/dialect.ts';
import { duckdbDialect } from './sql/duckdb.ts';
import { SqlWriter, type Compiled } from './sql/writer.ts';
import type { Catalog, Store } from './store/types.ts';

export type SegmentationOptions = { now?: Date; timeoutMs?: number; signal?: AbortSignal };

const DIALECTS: Partial<Record<Store['dialect'], Dialect>> = { duckdb: duckdbDialect };

/** The dialect of a store; a ClickHouse dialect registers itself here. */
export function dialectFor(store: Pick<Store, 'dialect'>): Dialect {
  const d = DIALECTS[store.dialect];
  if (!d) throw new Error(`no SQL dialect for store ${store.dialect}`);
  return d;
}

export function registerDialect(name: Store['dialect'], dialect: Dialect): void {
  DIALECTS[name] = dialect;
}

/** Compile `where` or `on`; an expression error names the field it came from. */
function compileField(c: ExprCompiler, field: 'where' | 'on', e: Expr): TV {
  try {
    return c.compile(e);
  } catch (err) {
    if (err instanceof ExprError && err.path === null && err.line === null) throw new ExprError(err.detail, { path: field });
    throw err;
  }
}

/** The `where` predicate as a WHERE clause (TRUE when there is none). */
function whereClause(c: ExprCompiler, q: SegmentationQuery): string {
  return q.where ? whereForm(truthy(compileField(c, 'where', q.where))) : 'TRUE';
}

type BuildOptions = { now: number; timeoutMs?: number; numeric?: NumericBuckets | null };

/** The range filter every statement shares: the event name and [from 00:00, to+1 00:00) UTC. */
function scope(w: SqlWriter, q: SegmentationQuery): string {
  const d = w.dialect;
  const { start, end } = rangeBounds(q.from, q.to);
  const time = w.ident('time');
  return `${w.ident('event')} = ${w.param(q.event, 'string')} AND ${time} >= ${d.timestamp(w.param(start, 'timestamp'))} AND ${time} < ${d.timestamp(w.param(end, 'timestamp'))}`;
}

/** The smallest and largest number of the matched events' `on` values (numeric buckets). */
export function buildNumericRangeSql(q: SegmentationQuery, catalog: Catalog, dialect: Dialect, opts: BuildOptions): Compiled {
  const w = new SqlWriter(dialect);
  const c = new ExprCompiler(w, { catalog, now: opts.now });
  const where = whereClause(c, q);
  const on = compileField(c, 'on', q.on!);
  const parts: string[] = [];
  let lo = 'NULL';
  let hi = 'NULL';
  if (on.elems) {
    const nums = dialect.doubleList(on.elems.map((e) => e.slots.n ?? 'NULL'));
    lo = dialect.listMin(nums);
    hi = dialect.listMax(nums);
  } else {
    if (on.slots.n !== undefined) parts.push(on.slots.n);
    if (on.slots.l !== undefined) {
      const name = c.fresh();
      const nums = dialect.listNumbers(on.slots.l, name, c.json(name).slots.n ?? 'NULL');
      lo = `coalesce(${[...parts, dialect.listMin(nums)].join(', ')})`;
      hi = `coalesce(${[...parts, dialect.listMax(nums)].join(', ')})`;
    } else if (parts.length > 0) {
      lo = hi = parts[0]!;
    }
  }
  const sql = `SELECT min(${lo}) AS lo, max(${hi}) AS hi FROM ${w.ident('events')} WHERE ${scope(w, q)} AND ${where}${dialect.suffix({ timeoutMs: opts.timeoutMs })}`;
  return w.finish(sql);
}

/** Events of the name in the range (meta.rows_scanned): independent of `where` and `on`. */
export function buildScannedSql(q: SegmentationQuery, dialect: Dialect, opts: { timeoutMs?: number } = {}): Compiled {
  const w = new SqlWriter(dialect);
  return w.finish(`SELECT count(*) AS n FROM ${w.ident('events')} WHERE ${scope(w, q)}${dialect.suffix({ timeoutMs: opts.timeoutMs })}`);
}

/** The main statement (see the header comment). */
export function buildSegmentationSql(q: SegmentationQuery, catalog: Catalog, dialect: Dialect, opts: BuildOptions): Compiled {
  const w = new SqlWriter(dialect);
  const d = dialect;
  const c = new ExprCompiler(w, { catalog, now: opts.now });
  const where = whereClause(c, q);
  const nb = opts.numeric ?? null;
  let numberKey: ((n: string) => string) | undefined;
  if (nb) {
    const labels = w.param(nb.labels(), 'strings');
    numberKey = (n) => {
      if (nb.width === 0) return `CASE WHEN ${n} IS NOT NULL THEN ${d.listAt(labels, '0')} END`;
      const idx = `CAST(least(${nb.count - 1}, greatest(0, floor((${n} - ${w.param(nb.min, 'number')}) / ${w.param(nb.width, 'number')}))) AS INTEGER)`;
      return d.listAt(labels, idx);
    };
  }
  const events = w.ident('events');
  const bucket = d.bucket(q.unit, w.ident('time'));
  const distinct = q.type !== 'general';
  const has = `s IS NOT NULL`;
  let m: string;
  let g: string;
  // Distinct users: first one row per (segment, bucket, user), then per (segment, bucket) users
  // are its rows and per segment a distinct count over that much smaller set. (Mixing count(*)
  // with count(DISTINCT) in one GROUPING SETS aggregate was several times slower.) Rows with no
  // segment (s NULL) form their own groups, which ranking ignores.
  let yCte = '';
  const distinctCounts = (y: string): string => {
    yCte = `y AS (${y}), `;
    if (d.distinctByGroupingSets) {
      // Over (s, b) the rows of y are one per user, so the distinct count there is their count too.
      return `SELECT s, b, CAST(sum(c) AS BIGINT) AS n, count(DISTINCT u) AS d, CAST(sum(e) AS BIGINT) AS e, grouping(b) AS gs FROM y GROUP BY GROUPING SETS ((s, b), (s))`;
    }
    return (
      `SELECT s, b, CAST(sum(c) AS BIGINT) AS n, count(*) AS d, CAST(sum(e) AS BIGINT) AS e, 0 AS gs FROM y GROUP BY s, b ` +
      `UNION ALL SELECT s, NULL, CAST(sum(c) AS BIGINT), count(DISTINCT u), 0, 1 FROM y GROUP BY s`
    );
  };
  if (!q.on) {
    // One segment, the event name: group by bucket alone.
    const name = w.param(q.event, 'string');
    m = `SELECT ${bucket} AS b, ${w.ident('distinct_id')} AS u FROM ${events} WHERE ${scope(w, q)} AND ${where}`;
    g = distinct
      ? `${distinctCounts(`SELECT ${name} AS s, b, u, count(*) AS c, count(*) AS e FROM m GROUP BY b, u`)}`
      : `SELECT ${name} AS s, b, count(*) AS n, 0 AS d, count(*) AS e, 0 AS gs FROM m GROUP BY b`;
  } else {
    const keys = c.segmentKeys(compileField(c, 'on', q.on), numberKey);
    m = `SELECT ${bucket} AS b, ${w.ident('distinct_id')} AS u, ${'single' in keys ? keys.single : keys.list} AS k FROM ${events} WHERE ${scope(w, q)} AND ${where}`;
    const listValued = !('single' in keys);
    // Some matched event may have no segment (an object, []): then counts skip s = NULL.
    const maybeNone = listValued || c.lastKeyMayBeNull;
    const x = listValued
      ? `SELECT b, u, ${d.explode('k', 's', 'i')} FROM (SELECT b, u, ${d.nonEmptyKeys('k')} AS k FROM m)`
      : `SELECT b, u, k AS s FROM m`;
    const e = listValued ? d.countIf('i = 1') : 'count(*)';
    g = distinct
      ? distinctCounts(`SELECT s, b, u, count(*) AS c, ${e} AS e FROM (${x}) GROUP BY s, b, u`)
      : `SELECT s, b, ${maybeNone ? d.countIf(has) : 'count(*)'} AS n, 0 AS d, ${e} AS e, 0 AS gs FROM (${x}) GROUP BY s, b`;
  }
  // gs: 0 = (segment, bucket) rows; 1 = the segment over the whole range.
  if (!q.on) {
    // One segment: nothing to rank; totals and counters are summed from these rows in JS.
    return w.finish(
      `WITH m AS (${m}), ${yCte}g AS (${g}) SELECT 0 AS kind, ${d.concat(`'k'`, 's')} AS s, ${d.timeMs('b')} AS b, CAST(gs AS BIGINT) AS gs, CAST(n AS BIGINT) AS n, CAST(d AS BIGINT) AS d, NULL AS total FROM g` +
        d.suffix({ timeoutMs: opts.timeoutMs }),
    );
  }
  // Ranking and counters read `g` once, through window functions (ClickHouse re-runs a CTE at
  // every reference, so the join + scalar subqueries this replaced scanned the events four times).
  // w1 puts each segment's total and the counters on every row; w2 ranks segments by total
  // (dense_rank ≥ rank, so the cut keeps every segment rank() would; JS applies the limit exactly).
  // Rows come back for the top segments, plus one row (kind 1) that carries only the counters
  // when none of those does, e.g. when no matched event has a segment.
  const total =
    q.type === 'general'
      ? `sum(CASE WHEN ${has} THEN n END) OVER (PARTITION BY s)`
      : `max(CASE WHEN gs = 1 AND ${has} THEN ${q.type === 'unique' ? 'CAST(d AS DOUBLE)' : 'CAST(n AS DOUBLE) / d'} END) OVER (PARTITION BY s)`;
  const w1 =
    `SELECT s, b, gs, n, d, ${total} AS total, ` +
    `sum(CASE WHEN gs = 0 THEN e ELSE 0 END) OVER () AS matched, ` +
    `CASE WHEN ${has} AND row_number() OVER (PARTITION BY s ORDER BY gs, b) = 1 THEN 1 ELSE 0 END AS isfirst, ` +
    `row_number() OVER (ORDER BY gs, b) AS carrier FROM g`;
  const w2 = `SELECT *, dense_rank() OVER (ORDER BY total DESC NULLS LAST) AS rk, sum(isfirst) OVER () AS found FROM (${w1}) w1`;
  const keep = `${has} AND rk <= ${w.param(q.limit, 'number')}`;
  const sql =
    `WITH m AS (${m}), ${yCte}g AS (${g}) ` +
    `SELECT CASE WHEN ${keep} THEN 0 ELSE 1 END AS kind, ${d.concat(`'k'`, 's')} AS s, ${d.timeMs('b')} AS b, CAST(gs AS BIGINT) AS gs, ` +
    `CAST(n AS BIGINT) AS n, CAST(d AS BIGINT) AS d, total, CAST(found AS BIGINT) AS found, CAST(matched AS BIGINT) AS matched ` +
    `FROM (${w2}) w2 WHERE (${keep}) OR carrier = 1` +
    d.suffix({ timeoutMs: opts.timeoutMs });
  return w.finish(sql);
}

type Row = {
  kind: number | string;
  s: string | null;
  b: number | string | null;
  gs: number | string | null;
  n: number | string;
  d: number | string;
  total: number | string | null;
  /** With `on`: segments found and events matched, on every row. */
  found?: number | string;
  matched?: number | string;
};

const num = (x: unknown): number => (typeof x === 'number' ? x : Number(x));

/** Turn the statement's rows into the answer (labels, zero-fill, ranking by total then key). */
export function assembleResult(q: SegmentationQuery, rows: Row[]): Omit<SegmentationResult, 'meta'> & { found: number; matched: number } {
  const series = bucketLabels(q.from, q.to, q.unit);
  // Labels by bucket start, made once per bucket rather than once per row (50 segments × 90 days).
  const labels = new Map<number, string>();
  const labelOf = (start: number): string => {
    let label = labels.get(start);
    if (label === undefined) labels.set(start, (label = bucketLabel(start, q.unit)));
    return label;
  };
  const perBucket = new Map<string, Map<string, { n: number; d: number }>>();
  const totals = new Map<string, number>();
  let found = 0;
  let matched = 0;
  // Without `on` the statement returns no totals or counters (see buildSegmentationSql).
  const sums = new Map<string, { n: number; d: number; whole: { n: number; d: number } | null }>();
  const oneSegment = (s: string, r: Row): void => {
    let e = sums.get(s);
    if (!e) sums.set(s, (e = { n: 0, d: 0, whole: null }));
    if (num(r.gs) === 0) e.n += num(r.n);
    else e.whole = { n: num(r.n), d: num(r.d) };
  };
  for (const r of rows) {
    if (r.found !== undefined && r.found !== null) {
      found = num(r.found);
      matched = num(r.matched);
    }
    if (num(r.kind) === 1) continue;
    // Keys travel with a one-letter prefix: the driver's UTF-8 decoding drops a leading U+FEFF.
    const s = (r.s as string).slice(1);
    if (r.total !== null) totals.set(s, num(r.total));
    else oneSegment(s, r);
    if (num(r.gs) !== 0) continue;
    const label = labelOf(num(r.b));
    let m = perBucket.get(s);
    if (!m) perBucket.set(s, (m = new Map()));
    m.set(label, { n: num(r.n), d: num(r.d) });
  }
  for (const [s, e] of sums) {
    if (e.n === 0) continue;
    matched += e.n;
    found++;
    const w = e.whole ?? { n: e.n, d: 0 };
    totals.set(s, q.type === 'general' ? e.n : q.type === 'unique' ? w.d : w.n / w.d);
  }
  const ranked = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || compareStrings(a, b)).slice(0, q.limit);
  const values: Record<string, Record<string, number>> = {};
  const outTotals: Record<string, number> = {};
  for (const s of ranked) {
    const buckets = perBucket.get(s);
    const row: Record<string, number> = {};
    for (const label of series) {
      const c = buckets?.get(label);
      row[label] = c === undefined ? 0 : q.type === 'general' ? c.n : q.type === 'unique' ? c.d : c.d === 0 ? 0 : c.n / c.d;
    }
    values[s] = row;
    outTotals[s] = totals.get(s)!;
  }
  return { series, values, totals: outTotals, found, matched };
}

/** Recent rows_scanned counts per store, valid while the store's data version is unchanged. */
const scannedCache = new WeakMap<Store, { version: number; counts: Map<string, number> }>();

async function scannedEvents(store: Store, q: SegmentationQuery, c: Compiled, qopts: { timeoutMs?: number; signal?: AbortSignal }): Promise<number> {
  const version = (store as { dataVersion?: unknown }).dataVersion;
  const key = JSON.stringify([q.event, q.from, q.to]);
  let cache = typeof version === 'number' ? scannedCache.get(store) : undefined;
  if (cache && cache.version !== version) cache = undefined;
  const hit = cache?.counts.get(key);
  if (hit !== undefined) return hit;
  const [row] = await store.query<{ n: unknown }>(c.sql, c.params, qopts);
  const n = num(row?.n ?? 0);
  if (typeof version === 'number') {
    if (!cache) scannedCache.set(store, (cache = { version, counts: new Map() }));
    if (cache.counts.size >= 256) cache.counts.clear();
    cache.counts.set(key, n);
  }
  return n;
}

export async function runSegmentation(store: Store, query: SegmentationQuery, opts: SegmentationOptions = {}): Promise<SegmentationResult> {
  const started = performance.now();
  const dialect = dialectFor(store);
  const catalog = store.catalog();
  const now = (makeDateTime((opts.now ?? new Date()).getTime()) ?? makeDateTime(Date.now())!).ms;
  const qopts = { timeoutMs: opts.timeoutMs, signal: opts.signal };
  const statements: string[] = [];
  let numeric: NumericBuckets | null = null;
  if (query.on && query.buckets !== null && query.buckets !== undefined) {
    const range = buildNumericRangeSql(query, catalog, dialect, { now, timeoutMs: opts.timeoutMs });
    statements.push(range.sql);
    const [r] = await store.query<{ lo: unknown; hi: unknown }>(range.sql, range.params, qopts);
    if (r && r.lo !== null && r.hi !== null && r.lo !== undefined) numeric = new NumericBuckets(num(r.lo), num(r.hi), query.buckets);
  }
  const main = buildSegmentationSql(query, catalog, dialect, { now, timeoutMs: opts.timeoutMs, numeric });
  statements.push(main.sql);
  // rows_scanned: without `where` every scanned event matched; otherwise a count that depends
  // only on (event, range, data), run beside the main statement and cached per data version.
  const scannedSql = query.where ? buildScannedSql(query, dialect, { timeoutMs: opts.timeoutMs }) : null;
  const [rows, scannedCount] = await Promise.all([
    store.query<Row>(main.sql, main.params, qopts),
    scannedSql ? scannedEvents(store, query, scannedSql, qopts) : Promise.resolve(null),
  ]);
  const a = assembleResult(query, rows);
  const scanned = scannedCount ?? a.matched;
  if (scannedSql) statements.push(scannedSql.sql);
  return {
    series: a.series,
    values: a.values,
    totals: a.totals,
    meta: {
      event: query.event,
      from: query.from,
      to: query.to,
      unit: query.unit,
      type: query.type,
      time_zone: 'UTC',
      where: query.where ? print(query.where) : null,
      on: query.on ? print(query.on) : null,
      segments_found: a.found,
      segments_returned: Object.keys(a.values).length,
      events_matched: a.matched,
      rows_scanned: scanned,
      elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
      sql: statements.join(';\n'),
      warnings: [],
    },
  };
}
