// The ClickHouse column of the segmentation benchmark: the same six questions over the same events
// as bench/segmentation.ts, on ClickHouse embedded through chDB (printed, never asserted).
//
//   node bin/run-ts.js bench/clickhouse.ts [--events N --seed S --replicate K --runs R]
//   (npm run bench calls it after the DuckDB table; --no-clickhouse skips it there)
//
// The events come from the DuckDB bench file (made by `npm run bench`): exported once to Parquet
// and loaded into a chDB directory under data/bench/ with the same catalog (same typed columns),
// which later runs reuse. Per question, median of R runs of:
//   (a) the HTTP API end to end on a server over the chDB store,
//   (b) the SQL Segscope generates for ClickHouse, run alone,
//   (c) the same question written by hand in ClickHouse SQL over `plain` (ordinary typed columns),
// the ratios a/c and b/c, and DuckDB's (b) from the same run for comparison; the answer must
// equal DuckDB's.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { validateSegmentationRequest } from '../src/report/validate.ts';
import type { SegmentationRequest, SegmentationResult } from '../src/report/types.ts';
import { buildApp } from '../src/server/app.ts';
import { buildSegmentationSql, dialectFor, runSegmentation } from '../src/server/segmentation.ts';
import { clickhouseSettings } from '../src/server/sql/clickhouse.ts';
import { openChdbStore } from '../src/server/store/chdb.ts';
import type { ClickHouseStore } from '../src/server/store/clickhouse.ts';
import { openDuckDbStore } from '../src/server/store/duckdb.ts';
import type { Store } from '../src/server/store/types.ts';

const log = (s: string): void => void process.stderr.write(s);

const FROM = '2025-10-03';
const TO = '2025-12-31';
const RANGE = `time >= toDateTime64('${FROM} 00:00:00', 3, 'UTC') AND time < toDateTime64('2026-01-01 00:00:00', 3, 'UTC')`;
const SETTINGS = clickhouseSettings(600_000);

type Case = { name: string; request: SegmentationRequest; hand: string };

export const CLICKHOUSE_CASES: Case[] = [
  {
    name: 'filter only',
    request: { event: 'Page View', from: FROM, to: TO, where: 'properties["$browser"] == "Chrome"' },
    hand: `SELECT 'Page View' AS s, toStartOfDay(time) AS b, count() AS v FROM plain WHERE event = 'Page View' AND ${RANGE} AND browser = 'Chrome' GROUP BY b`,
  },
  {
    name: 'filter + breakdown',
    request: { event: 'Page View', from: FROM, to: TO, where: 'properties["$os"] == "Windows"', on: 'properties["mp_country_code"]' },
    hand: `SELECT coalesce(country, 'undefined') AS s, toStartOfDay(time) AS b, count() AS v FROM plain WHERE event = 'Page View' AND ${RANGE} AND os = 'Windows' GROUP BY s, b`,
  },
  {
    name: 'any over a list',
    request: { event: 'Add to Cart', from: FROM, to: TO, where: 'any(X, properties["tags"], X == "sale")' },
    hand: `SELECT 'Add to Cart' AS s, toStartOfDay(time) AS b, count() AS v FROM plain WHERE event = 'Add to Cart' AND ${RANGE} AND has(tags, 'sale') GROUP BY b`,
  },
  {
    name: 'numeric cast compare',
    request: { event: 'Page View', from: FROM, to: TO, where: 'number(properties["plan_level"]) >= 2' },
    hand: `SELECT 'Page View' AS s, toStartOfDay(time) AS b, count() AS v FROM plain WHERE event = 'Page View' AND ${RANGE} AND coalesce(plan_level_num, toFloat64OrNull(trimBoth(plan_level_str))) >= 2 GROUP BY b`,
  },
  {
    name: 'unique users by browser',
    request: { event: 'Page View', from: FROM, to: TO, on: 'properties["$browser"]', type: 'unique' },
    hand: `SELECT coalesce(browser, 'undefined') AS s, toStartOfDay(time) AS b, uniqExact(distinct_id) AS v FROM plain WHERE event = 'Page View' AND ${RANGE} GROUP BY GROUPING SETS ((s, b), (s))`,
  },
  {
    name: '90 days by hour',
    request: { event: 'Page View', from: FROM, to: TO, unit: 'hour' },
    hand: `SELECT 'Page View' AS s, toStartOfHour(time) AS b, count() AS v FROM plain WHERE event = 'Page View' AND ${RANGE} GROUP BY b`,
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const CH_TYPE: Record<string, string> = {
  string: 'Nullable(String)',
  number: 'Nullable(Float64)',
  boolean: 'Nullable(Bool)',
  null: 'Nullable(Bool)',
  list: 'Nullable(String)',
  object: 'Nullable(String)',
};

/** Export the DuckDB bench file's events to Parquet (read-only) and return its catalog rows. */
async function exportFromDuckDb(duckFile: string, parquet: string): Promise<{ property: string; type: string; column_name: string }[]> {
  const instance = await DuckDBInstance.create(duckFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const catalog = (await (await connection.run('SELECT seq, property, type, column_name FROM property_columns ORDER BY seq')).getRowObjectsJson()) as {
      property: string;
      type: string;
      column_name: string;
    }[];
    if (!existsSync(parquet)) {
      log(`bench/clickhouse: exporting the events of ${path.relative(process.cwd(), duckFile)} to Parquet\n`);
      const typed = catalog.map((c) => (c.type === 'list' || c.type === 'object' ? `CAST("${c.column_name}" AS VARCHAR) AS "${c.column_name}"` : `"${c.column_name}"`));
      const tmp = `${parquet}.tmp`;
      await connection.run(
        `COPY (SELECT epoch_ms(time) AS time_ms, event, distinct_id, insert_id, CAST(properties AS VARCHAR) AS properties${typed.length ? ', ' + typed.join(', ') : ''} FROM events) TO '${tmp.replace(/'/g, "''")}' (FORMAT parquet)`,
      );
      rmSync(parquet, { force: true });
      const { renameSync } = await import('node:fs');
      renameSync(tmp, parquet);
    }
    return catalog;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Waits for background mutations (the store materializes columns added to older tables, e.g.
 * string elements of lists) so that timings measure the finished layout.
 */
async function settled(store: ClickHouseStore): Promise<void> {
  for (let logged = false; ; ) {
    const [row] = await store.query<{ n: string }>("SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = 'events' AND NOT is_done", []);
    if (Number(row?.n ?? 0) === 0) return;
    if (!logged) log('bench/clickhouse: waiting for column mutations to finish\n');
    logged = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The chDB copy of the bench events (same catalog), built once and reused. */
async function openClickHouseCopy(duckFile: string, expected: number): Promise<ClickHouseStore> {
  const base = duckFile.replace(/\.duckdb$/, '');
  const dir = `${base}.chdb`;
  const parquet = `${base}.parquet`;
  mkdirSync(dir, { recursive: true });
  let store = await openChdbStore({ path: dir, queryTimeoutMs: 600_000 });
  const done = await store.query<{ n: string }>("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'bench_complete'", []);
  if (Number(done[0]?.n ?? 0) > 0) {
    log(`bench/clickhouse: reusing ${path.relative(process.cwd(), dir)}\n`);
    await settled(store);
    return store;
  }
  const catalog = await exportFromDuckDb(duckFile, parquet);
  log(`bench/clickhouse: loading ${expected.toLocaleString('en-US')} events into chDB (${path.relative(process.cwd(), dir)})\n`);
  for (const sql of ['DROP TABLE IF EXISTS events SYNC', 'DROP TABLE IF EXISTS property_columns SYNC', 'DROP TABLE IF EXISTS plain SYNC']) await store.execute(sql, {});
  await store.close();
  store = await openChdbStore({ path: dir, queryTimeoutMs: 600_000 });
  // The same typed columns as the DuckDB file, so both engines answer over the same layout.
  for (const [seq, c] of catalog.entries()) {
    await store.execute(`ALTER TABLE events ADD COLUMN IF NOT EXISTS "${c.column_name}" ${CH_TYPE[c.type]}`, {});
    await store.execute('INSERT INTO property_columns (seq, property, type, column_name) VALUES ({seq:UInt32}, {property:String}, {type:String}, {column:String})', {
      seq,
      property: c.property,
      type: c.type,
      column: c.column_name,
    });
  }
  const cols = catalog.map((c) => `"${c.column_name}"`);
  const started = performance.now();
  await store.execute(
    `INSERT INTO events (time, event, distinct_id, insert_id, properties${cols.length ? ', ' + cols.join(', ') : ''})
     SELECT fromUnixTimestamp64Milli(toInt64(time_ms), 'UTC'), event, distinct_id, insert_id, properties${cols.length ? ', ' + cols.join(', ') : ''}
     FROM file('${parquet.replace(/'/g, "\\'")}', Parquet)`,
    {},
  );
  log(`bench/clickhouse: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  await store.close();
  store = await openChdbStore({ path: dir, queryTimeoutMs: 600_000 });
  const c = store.catalog();
  const col = (property: string, type: 'string' | 'number' | 'list'): string => {
    const name = c.column(property, type);
    return name === null ? 'NULL' : `"${name}"`;
  };
  log('bench/clickhouse: building the plain typed-columns table\n');
  await store.execute(
    `CREATE TABLE plain ENGINE = MergeTree ORDER BY (event, time) AS SELECT
       time, event, distinct_id,
       ${col('$browser', 'string')} AS browser, ${col('$os', 'string')} AS os, ${col('mp_country_code', 'string')} AS country,
       ${col('page', 'string')} AS page, ${col('load_time_ms', 'number')} AS load_time_ms,
       ${col('plan_level', 'number')} AS plan_level_num, ${col('plan_level', 'string')} AS plan_level_str,
       JSONExtract(ifNull(${col('tags', 'list')}, '[]'), 'Array(String)') AS tags
     FROM events`,
    {},
  );
  await store.execute('CREATE TABLE bench_complete (ok UInt8) ENGINE = MergeTree ORDER BY ok', {});
  rmSync(parquet, { force: true });
  await settled(store);
  return store;
}

/** Same answer: every segment's values and totals. */
function sameAnswer(a: SegmentationResult, b: SegmentationResult): boolean {
  return JSON.stringify([a.series, a.values, a.totals]) === JSON.stringify([b.series, b.values, b.totals]);
}

export type ClickHouseBenchOptions = { duckFile: string; runs: number; expectedEvents: number; duckStore?: Store };

/** Runs the six questions on chDB and prints the ClickHouse table. */
export async function runClickHouseBench(options: ClickHouseBenchOptions): Promise<void> {
  const { duckFile, runs } = options;
  const store = await openClickHouseCopy(duckFile, options.expectedEvents);
  const [{ n: stored }] = (await store.query<{ n: string }>('SELECT count() AS n FROM events', [])) as [{ n: string }];
  const ownDuck = options.duckStore ? null : await openDuckDbStore({ path: duckFile });
  const duck = options.duckStore ?? ownDuck!;
  const app = await buildApp({ store, queryTimeoutMs: 600_000, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/segmentation`;
  const now = new Date();
  const rows: string[][] = [];
  try {
    for (const c of CLICKHOUSE_CASES) {
      const q = validateSegmentationRequest(c.request).query;
      const compiled = buildSegmentationSql(q, store.catalog(), dialectFor(store), { now: now.getTime(), timeoutMs: 600_000 });
      const duckCompiled = buildSegmentationSql(q, duck.catalog(), dialectFor(duck), { now: now.getTime() });
      const api = async (): Promise<SegmentationResult> => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.request) });
        if (!res.ok) throw new Error(`${c.name}: HTTP ${res.status} ${await res.text()}`);
        return (await res.json()) as SegmentationResult;
      };
      const generated = () => store.query(compiled.sql, compiled.params);
      const hand = () => store.query(`${c.hand} ${SETTINGS}`, []);
      const duckGenerated = () => duck.query(duckCompiled.sql, duckCompiled.params);
      const fromCh = await runSegmentation(store, q, { now, timeoutMs: 600_000 });
      const fromDuck = await runSegmentation(duck, q, { now, timeoutMs: 600_000 });
      await api();
      await generated();
      await hand();
      await duckGenerated();
      const a: number[] = [];
      const b: number[] = [];
      const h: number[] = [];
      const d: number[] = [];
      for (let i = 0; i < runs; i++) {
        a.push(await time(api));
        b.push(await time(generated));
        h.push(await time(hand));
        d.push(await time(duckGenerated));
      }
      const [ma, mb, mh, md] = [median(a), median(b), median(h), median(d)];
      rows.push([c.name, ma.toFixed(1), mb.toFixed(1), mh.toFixed(1), (ma / mh).toFixed(2), (mb / mh).toFixed(2), md.toFixed(1), (mb / md).toFixed(2), sameAnswer(fromCh, fromDuck) ? 'yes' : 'NO']);
    }
  } finally {
    await app.close();
    await store.close();
    if (ownDuck) await ownDuck.close();
  }
  const header = ['query', '(a) API ms', '(b) SQL ms', '(c) hand ms', 'a/c', 'b/c', 'DuckDB (b) ms', 'CH b / DuckDB b', 'same as DuckDB'];
  const widths = header.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((cell, i) => (i === 0 || i === 8 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\nClickHouse (chDB 3.4.0, ClickHouse 26.7, embedded): ${Number(stored).toLocaleString('en-US')} events, median of ${runs} runs`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
}

// Standalone: the same flags as bench/segmentation.ts to find its DuckDB file.
// (bench/segmentation.ts imports this module with SEGSCOPE_BENCH_EMBEDDED=1 and calls runClickHouseBench.)
if (process.env.SEGSCOPE_BENCH_EMBEDDED !== '1') {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000000' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      replicate: { type: 'string', default: '1' },
    },
  });
  const events = Number(String(values.events).replace(/[_,]/g, ''));
  const replicate = Number(values.replicate);
  const file = path.resolve('data/bench', `segmentation-${events}-seed${values.seed}-2025-12-31${replicate > 1 ? `-x${replicate}` : ''}.duckdb`);
  if (!existsSync(file)) {
    console.error(`bench/clickhouse: no ${path.relative(process.cwd(), file)}; run \`npm run bench\` with the same flags first (it generates the events)`);
    process.exit(2);
  }
  await runClickHouseBench({ duckFile: file, runs: Number(values.runs), expectedEvents: events });
}
