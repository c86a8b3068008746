// `npm run bench [-- --events N --runs R --seed S]`: segmentation speed on sample data (printed,
// never asserted). For six representative questions it measures, median of R runs each:
//   (a) the HTTP API end to end (a real server on loopback: JSON in, validation, SQL, JSON out),
//   (b) the SQL Segscope generates, run alone on the store,
//   (c) the same question written by hand in SQL over `plain`, a table of ordinary typed columns
//       built from the same events,
// and a/c: what the expression language, the typed-column layout and the API cost over plain SQL.
// The data is generated once per (events, seed) into data/bench/ and reused by later runs.
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { validateSegmentationRequest } from '../src/report/validate.ts';
import type { SegmentationRequest, SegmentationResult } from '../src/report/types.ts';
import { buildApp } from '../src/server/app.ts';
import { seedSampleData } from '../src/server/sample/index.ts';
import { buildSegmentationSql, dialectFor } from '../src/server/segmentation.ts';
import { openDuckDbStore } from '../src/server/store/duckdb.ts';
import type { Store } from '../src/server/store/types.ts';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string' },
    // Generate events/K with the sample generator and copy them K times in SQL (each copy its own
    // users and insert ids): the same texture at scale, without waiting for K× generation.
    replicate: { type: 'string', default: '1' },
    // The ClickHouse column (bench/clickhouse.ts, through chDB) runs after this table unless set.
    'no-clickhouse': { type: 'boolean', default: false },
  },
});
const REPLICATE = Number(flags.replicate);
const EVENTS = Number(String(flags.events).replace(/[_,]/g, ''));
const RUNS = Number(flags.runs);
const SEED = Number(flags.seed);
if (!Number.isSafeInteger(REPLICATE) || REPLICATE < 1 || EVENTS % REPLICATE !== 0) {
  console.error('--replicate K must be a whole number that divides --events');
  process.exit(2);
}
if (!Number.isSafeInteger(EVENTS) || EVENTS < 1 || !Number.isSafeInteger(RUNS) || RUNS < 1 || !Number.isSafeInteger(SEED)) {
  console.error('usage: npm run bench -- [--events N] [--runs R] [--seed S] [--threads T] [--replicate K]');
  process.exit(2);
}
// A fixed window, so a cached file answers the same questions whatever day the bench runs.
const END_DATE = '2025-12-31';
const DAYS = 90;
const FROM = '2025-10-03';
const TO = END_DATE;

const file = path.resolve('data/bench', `segmentation-${EVENTS}-seed${SEED}-${END_DATE}${REPLICATE > 1 ? `-x${REPLICATE}` : ''}.duckdb`);
const log = (s: string): void => void process.stderr.write(s);

async function openBenchStore(): Promise<Store> {
  if (existsSync(file)) {
    const store = await openDuckDbStore({ path: file, ...(flags.threads ? { threads: Number(flags.threads) } : {}) });
    const done = await store.query<{ n: number }>("SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE table_name = 'bench_complete'", []);
    if ((done[0]?.n ?? 0) > 0) {
      log(`bench: reusing ${path.relative(process.cwd(), file)}\n`);
      return store;
    }
    await store.close();
    log('bench: the cached file is incomplete; generating it again\n');
    rmSync(file, { force: true });
    rmSync(`${file}.wal`, { force: true });
  }
  const store = await openDuckDbStore({ path: file, ...(flags.threads ? { threads: Number(flags.threads) } : {}) });
  const generated = EVENTS / REPLICATE;
  log(`bench: generating ${generated.toLocaleString('en-US')} events (seed ${SEED}, ${DAYS} days to ${END_DATE}) into ${path.relative(process.cwd(), file)}\n`);
  let last = 0;
  await seedSampleData(store, {
    events: generated,
    seed: SEED,
    days: DAYS,
    endDate: END_DATE,
    onProgress: (p) => {
      if (performance.now() - last < 5_000 && p.done < p.total) return;
      last = performance.now();
      log(`  ${Math.floor((p.done / Math.max(1, p.total)) * 100)}%  ${p.done.toLocaleString('en-US')} events  ${p.eventsPerSecond.toLocaleString('en-US')} events/s\n`);
    },
  });
  if (REPLICATE > 1) await replicate(store, REPLICATE);
  await buildPlainTable(store);
  await store.execute('CREATE TABLE bench_complete AS SELECT 1 AS ok', []);
  return store;
}

/** Copies 1..k-1 of every event, each with its own users and insert ids (JSON and typed columns alike). */
async function replicate(store: Store, k: number): Promise<void> {
  log(`bench: copying the events ${k} times\n`);
  const catalog = store.catalog();
  const suffix = (c: string): string => `${c} || '~' || t.k`;
  const replace = [`${suffix('events.distinct_id')} AS distinct_id`, `${suffix('events.insert_id')} AS insert_id`];
  const patch = [`'distinct_id', ${suffix('events.distinct_id')}`, `'$insert_id', ${suffix('events.insert_id')}`];
  replace.push(`json_merge_patch(events.properties, json_object(${patch.join(', ')})) AS properties`);
  const idColumn = catalog.column('distinct_id', 'string');
  if (idColumn) replace.push(`${suffix('events.distinct_id')} AS "${idColumn}"`);
  const insertIdColumn = catalog.column('$insert_id', 'string');
  if (insertIdColumn) replace.push(`${suffix('events.insert_id')} AS "${insertIdColumn}"`);
  await store.execute(`INSERT INTO events SELECT events.* REPLACE (${replace.join(', ')}) FROM events, range(1, ${k}) AS t(k)`, []);
}

/** `plain`: the same events as ordinary typed columns, the table a person would design by hand. */
async function buildPlainTable(store: Store): Promise<void> {
  const catalog = store.catalog();
  const col = (property: string, type: 'string' | 'number' | 'list'): string => {
    const c = catalog.column(property, type);
    return c === null ? 'NULL' : `"${c}"`;
  };
  log('bench: building the plain typed-columns table\n');
  await store.execute(
    `CREATE TABLE plain AS SELECT
       time, event, distinct_id,
       ${col('$browser', 'string')} AS browser,
       ${col('$os', 'string')} AS os,
       ${col('mp_country_code', 'string')} AS country,
       ${col('page', 'string')} AS page,
       ${col('load_time_ms', 'number')} AS load_time_ms,
       ${col('plan_level', 'number')} AS plan_level_num,
       ${col('plan_level', 'string')} AS plan_level_str,
       CAST(${col('tags', 'list')} AS VARCHAR[]) AS tags
     FROM events ORDER BY time`,
    [],
  );
}

type Case = {
  name: string;
  request: SegmentationRequest;
  /** The same question by hand over `plain`: rows of (segment, bucket, value). */
  hand: string;
};

const range = `time >= TIMESTAMP '${FROM}' AND time < TIMESTAMP '${TO}' + INTERVAL 1 DAY`;
const CASES: Case[] = [
  {
    name: 'filter only',
    request: { event: 'Page View', from: FROM, to: TO, where: 'properties["$browser"] == "Chrome"' },
    hand: `SELECT 'Page View' AS s, date_trunc('day', time) AS b, count(*) AS v FROM plain
           WHERE event = 'Page View' AND ${range} AND browser = 'Chrome' GROUP BY b`,
  },
  {
    name: 'filter + breakdown',
    request: { event: 'Page View', from: FROM, to: TO, where: 'properties["$os"] == "Windows"', on: 'properties["mp_country_code"]' },
    hand: `SELECT coalesce(country, 'undefined') AS s, date_trunc('day', time) AS b, count(*) AS v FROM plain
           WHERE event = 'Page View' AND ${range} AND os = 'Windows' GROUP BY s, b`,
  },
  {
    name: 'any over a list',
    request: { event: 'Add to Cart', from: FROM, to: TO, where: 'any(X, properties["tags"], X == "sale")' },
    hand: `SELECT 'Add to Cart' AS s, date_trunc('day', time) AS b, count(*) AS v FROM plain
           WHERE event = 'Add to Cart' AND ${range} AND list_contains(tags, 'sale') GROUP BY b`,
  },
  {
    name: 'numeric cast compare',
    request: { event: 'Page View', from: FROM, to: TO, where: 'number(properties["plan_level"]) >= 2' },
    hand: `SELECT 'Page View' AS s, date_trunc('day', time) AS b, count(*) AS v FROM plain
           WHERE event = 'Page View' AND ${range} AND coalesce(plan_level_num, TRY_CAST(trim(plan_level_str) AS DOUBLE)) >= 2 GROUP BY b`,
  },
  {
    name: 'unique users by browser',
    request: { event: 'Page View', from: FROM, to: TO, on: 'properties["$browser"]', type: 'unique' },
    // Per-bucket distinct users and, separately, distinct users over the whole range.
    hand: `SELECT coalesce(browser, 'undefined') AS s, date_trunc('day', time) AS b, count(DISTINCT distinct_id) AS v FROM plain
           WHERE event = 'Page View' AND ${range} GROUP BY GROUPING SETS ((s, b), (s))`,
  },
  {
    name: '90 days by hour',
    request: { event: 'Page View', from: FROM, to: TO, unit: 'hour' },
    hand: `SELECT 'Page View' AS s, date_trunc('hour', time) AS b, count(*) AS v FROM plain
           WHERE event = 'Page View' AND ${range} GROUP BY b`,
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function main(): Promise<void> {
  const store = await openBenchStore();
  const [{ n: stored }] = await store.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM events', []);
  const app = await buildApp({ store, queryTimeoutMs: 600_000, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/segmentation`;
  const now = new Date();

  const rows: string[][] = [];
  for (const c of CASES) {
    const validated = validateSegmentationRequest(c.request);
    const compiled = buildSegmentationSql(validated.query, store.catalog(), dialectFor(store), { now: now.getTime() });
    const api = async (): Promise<SegmentationResult> => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.request) });
      if (!res.ok) throw new Error(`${c.name}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as SegmentationResult;
    };
    const generated = () => store.query(compiled.sql, compiled.params);
    const hand = () => store.query<{ s: string; b: unknown; v: number | string }>(c.hand, []);
    // One warm-up of each, then interleaved runs so load drifts hit all three alike.
    const first = await api();
    await generated();
    const handRows = await hand();
    const a: number[] = [];
    const b: number[] = [];
    const h: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push((await time(api)).ms);
      b.push((await time(generated)).ms);
      h.push((await time(hand)).ms);
    }
    // The two answers must agree, or the ratio compares different questions.
    const apiTotal = Object.values(first.values).reduce((sum, byBucket) => sum + Object.values(byBucket).reduce((x, y) => x + y, 0), 0);
    const handTotal = handRows.filter((r) => r.b !== null).reduce((sum, r) => sum + Number(r.v), 0);
    const agree = first.meta.segments_found > first.meta.segments_returned ? 'cut' : apiTotal === handTotal ? 'yes' : `NO (${apiTotal} vs ${handTotal})`;
    const [ma, mb, mh] = [median(a), median(b), median(h)];
    rows.push([c.name, ma.toFixed(1), mb.toFixed(1), mh.toFixed(1), (ma / mh).toFixed(2), agree]);
  }
  await app.close();
  await store.close();

  const header = ['query', '(a) API ms', '(b) SQL ms', '(c) hand ms', 'a/c', 'same answer'];
  const widths = header.map((hd, i) => Math.max(hd.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: string[]): string => r.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ');
  const size = existsSync(file) ? `${(statSync(file).size / 1e9).toFixed(2)} GB` : '';
  const copies = REPLICATE > 1 ? ` = ${(EVENTS / REPLICATE).toLocaleString('en-US')} generated × ${REPLICATE} copies` : '';
  console.log(`\nSegscope segmentation benchmark: ${Number(stored).toLocaleString('en-US')} events${copies} (seed ${SEED}, ${DAYS} days), DuckDB file ${size}, median of ${RUNS} runs, Node ${process.version}`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(fmt(r));
}

await main();

if (!flags['no-clickhouse']) {
  process.env.SEGSCOPE_BENCH_EMBEDDED = '1';
  const { chdbAvailable } = await import('../src/server/store/chdb.ts');
  if (!chdbAvailable()) console.log('\nClickHouse column skipped: chdb is not installed (bash scripts/ensure-chdb.sh)');
  else await (await import('./clickhouse.ts')).runClickHouseBench({ duckFile: file, runs: RUNS, expectedEvents: EVENTS });
}
