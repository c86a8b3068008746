// The segmentation query executor: a checked SegmentationQuery → one SQL statement (two when
// numeric `buckets` need the range of the values first) → SegmentationResult.
//
// The statement (DuckDB shown; every engine-specific piece goes through a dialect hook):
//   m  matched events: bucket start (epoch ms), distinct_id, the segment key(s) of `on`
//      (one VARCHAR, or a VARCHAR list for list-valued `on`: spec section 5)
//   x  one row per (event, segment); the 1-based position `i` lets each event count once in
//      events_matched; an event with no segment (an object, []) keeps one row with s = NULL
//   g  per (segment, bucket) counts, plus per segment totals over the range when the measure
//      needs distinct users (unique/average: a total is not the sum of its buckets)
//   r  segment totals ranked; rank() keeps every segment tied at the cut, JS breaks ties by key
//   final rows: top segments' buckets and totals, and one row of counters (found, matched,
//   scanned)
import { print } from '../expr/print.ts';
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
  const where = q.where ? truthy(c.compile(q.where)) : 'TRUE';
  const on = c.compile(q.on!);
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

/** The main statement (see the header comment). */
export function buildSegmentationSql(q: SegmentationQuery, catalog: Catalog, dialect: Dialect, opts: BuildOptions): Compiled {
  const w = new SqlWriter(dialect);
  const d = dialect;
  const c = new ExprCompiler(w, { catalog, now: opts.now });
  const where = q.where ? truthy(c.compile(q.where)) : 'TRUE';
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
  let key: string;
  let listValued = false;
  /** Some matched event may have no segment (an object, []); else plain count(*) suffices. */
  let maybeNoSegment = true;
  if (q.on) {
    const keys = c.segmentKeys(c.compile(q.on), numberKey);
    if ('single' in keys) {
      key = keys.single;
      maybeNoSegment = c.lastKeyMayBeNull;
    }
    else {
      listValued = true;
      key = keys.list;
    }
  } else {
    key = w.param(q.event, 'string');
    maybeNoSegment = false;
  }
  const bucket = d.timeMs(d.bucket(q.unit, w.ident('time')));
  const distinct = q.type !== 'general';
  const has = `s IS NOT NULL`;
  const x = listValued
    ? `SELECT b, u, ${d.explode('k', 's', 'i')} FROM (SELECT b, u, ${d.nonEmptyKeys('k')} AS k FROM m)`
    : `SELECT b, u, k AS s, 1 AS i FROM m`;
  const count = maybeNoSegment ? d.countIf(has) : 'count(*)';
  const g =
    `SELECT s, b, ${count} AS n, ${distinct ? (maybeNoSegment ? d.countDistinctIf('u', has) : 'count(DISTINCT u)') : '0'} AS d, ${listValued ? d.countIf('i = 1') : 'count(*)'} AS e, ` +
    (distinct ? `GROUPING(s, b) AS gs FROM x GROUP BY GROUPING SETS ((s, b), (s))` : `0 AS gs FROM x GROUP BY s, b`);
  const total =
    q.type === 'general'
      ? `SELECT s, CAST(sum(n) AS DOUBLE) AS total FROM g WHERE ${has} GROUP BY s`
      : `SELECT s, ${q.type === 'unique' ? 'CAST(d AS DOUBLE)' : 'CAST(n AS DOUBLE) / d'} AS total FROM g WHERE gs = 1 AND ${has}`;
  const scanned = `(SELECT count(*) FROM ${w.ident('events')} WHERE ${scope(w, q)})`;
  const sql =
    `WITH m AS (SELECT ${bucket} AS b, ${w.ident('distinct_id')} AS u, ${key} AS k FROM ${w.ident('events')} WHERE ${scope(w, q)} AND ${where}), ` +
    `x AS (${x}), g AS (${g}), t AS (${total}), ` +
    `r AS (SELECT s, total, rank() OVER (ORDER BY total DESC) AS rk FROM t) ` +
    `SELECT 0 AS kind, ${d.concat(`'k'`, 'g.s')} AS s, CAST(g.b AS DOUBLE) AS b, CAST(g.gs AS BIGINT) AS gs, CAST(g.n AS BIGINT) AS n, CAST(g.d AS BIGINT) AS d, r.total AS total ` +
    `FROM g JOIN r ON g.s = r.s WHERE r.rk <= ${w.param(q.limit, 'number')} ` +
    `UNION ALL SELECT 1, NULL, NULL, NULL, (SELECT count(*) FROM t), (SELECT coalesce(sum(e), 0) FROM g WHERE gs = 0), CAST(${scanned} AS DOUBLE)` +
    d.suffix({ timeoutMs: opts.timeoutMs });
  return w.finish(sql);
}

type Row = { kind: number | string; s: string | null; b: number | string | null; gs: number | string | null; n: number | string; d: number | string; total: number | string | null };

const num = (x: unknown): number => (typeof x === 'number' ? x : Number(x));

/** Turn the statement's rows into the answer (labels, zero-fill, ranking by total then key). */
export function assembleResult(q: SegmentationQuery, rows: Row[]): Omit<SegmentationResult, 'meta'> & { found: number; matched: number; scanned: number } {
  const series = bucketLabels(q.from, q.to, q.unit);
  const perBucket = new Map<string, Map<string, { n: number; d: number }>>();
  const totals = new Map<string, number>();
  let found = 0;
  let matched = 0;
  let scanned = 0;
  for (const r of rows) {
    if (num(r.kind) === 1) {
      found = num(r.n);
      matched = num(r.d);
      scanned = num(r.total);
      continue;
    }
    // Keys travel with a one-letter prefix: the driver's UTF-8 decoding drops a leading U+FEFF.
    const s = (r.s as string).slice(1);
    totals.set(s, num(r.total));
    if (num(r.gs) !== 0) continue;
    const label = bucketLabel(num(r.b), q.unit);
    let m = perBucket.get(s);
    if (!m) perBucket.set(s, (m = new Map()));
    m.set(label, { n: num(r.n), d: num(r.d) });
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
  return { series, values, totals: outTotals, found, matched, scanned };
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
  const rows = await store.query<Row>(main.sql, main.params, qopts);
  const a = assembleResult(query, rows);
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
      rows_scanned: a.scanned,
      elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
      sql: statements.join(';\n'),
      warnings: [],
    },
  };
}
