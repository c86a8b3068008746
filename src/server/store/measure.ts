// Figures for the store (printed, never asserted): bulk insert rate (and the staged-file route
// measured against it), sample load time, schema query times, and what a (event, time) sort
// order would buy.
//   node bin/run-ts.js src/server/store/measure.ts [--events N] [--db PATH] [--runs R]
// With --db a file is used (and kept, so a second run measures queries on it); default :memory:.

import { parseArgs } from 'node:util';
import { seedSampleData } from '../sample/index.ts';
import { sampleBatches } from '../sample/generate.ts';
import { listEvents, listProperties, listValues, openDuckDbStore, quoteIdentifier } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';
import { stagedLoad } from './measure-staged.ts';
import type { StoredEvent } from './types.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, db: { type: 'string', default: ':memory:' }, runs: { type: 'string', default: '5' } },
});
const total = Number(values.events);
const runs = Number(values.runs);
const END = '2026-11-26';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const u = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (u.user + u.system) / 1000 };
}

async function medianOf(fn: () => Promise<unknown>): Promise<string> {
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) walls.push((await time(fn)).wall);
  return `${median(walls).toFixed(1)} ms`;
}

// 1. Insert rate for 100k-event batches (generation excluded): the bulk path (insertEvents) and
// the staged-file alternative it beat (measure-staged.ts), each into a fresh :memory: store that
// first loaded another 100k batch (so the catalog is known and the table is not empty). CPU is
// process.cpuUsage (all threads): on this shared machine it is the steadier figure.
{
  const [warm, batch] = [...sampleBatches({ seed: 2, events: 200_000, endDate: END }, 100_000)] as [StoredEvent[], StoredEvent[]];
  const figures = { bulk: { wall: [] as number[], cpu: [] as number[] }, staged: { wall: [] as number[], cpu: [] as number[] } };
  for (let run = 0; run < Math.min(runs, 3); run++) {
    for (const path of ['bulk', 'staged'] as const) {
      const store = await openDuckDbStore({ path: ':memory:' });
      await store.insertEvents(warm);
      const { wall, cpu } = await time(() => (path === 'bulk' ? store.insertEvents(batch) : stagedLoad(store, batch)));
      const [{ n }] = (await store.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM events', [])) as [{ n: number }];
      if (n !== warm.length + batch.length) throw new Error(`${path}: ${n} rows stored`);
      figures[path].wall.push(wall);
      figures[path].cpu.push(cpu);
      await store.close();
    }
  }
  const rate = (ms: number) => Math.round((batch.length / ms) * 1000).toLocaleString('en-US');
  for (const path of ['bulk', 'staged'] as const) {
    const wall = median(figures[path].wall);
    const cpu = median(figures[path].cpu);
    console.log(`${path === 'bulk' ? 'insertEvents (bulk chunks)' : 'staged TSV + read_csv'}, 100k batch, median of ${figures[path].wall.length}: ` +
      `${wall.toFixed(0)} ms wall (${rate(wall)} ev/s), ${cpu.toFixed(0)} ms cpu (${rate(cpu)} ev/cpu-s)`);
  }
  console.log(`staged / bulk: wall ${(median(figures.staged.wall) / median(figures.bulk.wall)).toFixed(2)}x, cpu ${(median(figures.staged.cpu) / median(figures.bulk.cpu)).toFixed(2)}x`);
  // Re-sending a batch: all duplicates, nothing written.
  const store = await openDuckDbStore({ path: ':memory:' });
  await store.insertEvents(batch);
  const { wall, cpu } = await time(() => store.insertEvents(batch));
  console.log(`insertEvents, 100k duplicates of stored events: ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms cpu`);
  await store.close();
}

// 2. The sample load (what the first start does), then the schema queries on it.
const store = await openDuckDbStore({ path: values.db! });
const [existing] = await store.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM events', []);
if (existing!.n === 0) {
  const { wall, cpu } = await time(() => seedSampleData(store, { seed: 1, events: total, endDate: END }));
  console.log(
    `seedSampleData ${total.toLocaleString('en-US')} events into ${values.db}: ${(wall / 1000).toFixed(1)} s ` +
      `(${Math.round((total / wall) * 1000).toLocaleString('en-US')} ev/s, process cpu ${(cpu / 1000).toFixed(1)} s)`,
  );
} else {
  console.log(`reusing ${existing!.n.toLocaleString('en-US')} events in ${values.db}`);
}
await schemaQueries(store);
await sortOrder(store);
await store.close();

async function schemaQueries(s: DuckDbStore): Promise<void> {
  // Uncached runs: a trivial execute() first bumps the data version, which drops the cache.
  const bump = () => s.execute('CREATE TABLE IF NOT EXISTS measure_bump (x INTEGER)', []);
  const cold = async (fn: () => Promise<unknown>) => medianOf(async () => {
    await bump();
    await fn();
  });
  console.log(`listEvents: ${await cold(() => listEvents(s))} uncached; ${await medianOf(() => listEvents(s))} cached`);
  console.log(`listProperties(all): ${await cold(() => listProperties(s))}; listProperties('Purchase'): ${await cold(() => listProperties(s, 'Purchase'))}`);
  console.log(
    `listValues($city): ${await cold(() => listValues(s, { property: '$city', limit: 50 }))}; ` +
      `listValues(Purchase, coupon, prefix 'é'): ${await cold(() => listValues(s, { event: 'Purchase', property: 'coupon', prefix: 'é', limit: 50 }))}; ` +
      `listValues(search_term): ${await cold(() => listValues(s, { property: 'search_term', limit: 50 }))}`,
  );
  console.log('(uncached: one trivial execute() per run drops the cache and the maintained stats, so each run scans)');
  // The usual case: the stats exist and inserts keep them exact; only the answer cache is dropped.
  let n = 0;
  const insertOne = () => s.insertEvents([{ event: 'Measure', time: Date.parse(END), distinct_id: 'm', insert_id: `measure-${Date.now()}-${n++}`, properties: { plan: 'free' } }]);
  const afterInsert = async (fn: () => Promise<unknown>) => medianOf(async () => {
    await insertOne();
    await fn();
  });
  await listProperties(s);
  console.log(
    `after an insert (stats maintained): listEvents ${await afterInsert(() => listEvents(s))}; listProperties(all) ${await afterInsert(() => listProperties(s))}; ` +
      `listProperties('Purchase') ${await afterInsert(() => listProperties(s, 'Purchase'))} (each includes a 1-event insertEvents)`,
  );
}

async function sortOrder(s: DuckDbStore): Promise<void> {
  const catalog = s.catalog();
  const city = quoteIdentifier(catalog.column('$city', 'string')!);
  const price = quoteIdentifier(catalog.column('price', 'number')!);
  await s.execute('CREATE OR REPLACE TABLE measure_by_event_time AS SELECT * FROM events ORDER BY event, time', []);
  const [{ last }] = (await s.query<{ last: string }>('SELECT max(time)::VARCHAR AS last FROM events', [])) as [{ last: string }];
  const queries: [string, string][] = [
    ['Purchase per day, last 30 days', `SELECT date_trunc('day', time) AS d, count(*) AS n FROM T WHERE event = 'Purchase' AND time >= $1::TIMESTAMP - INTERVAL 30 DAY GROUP BY d`],
    ['Page View by city per day, 90 days', `SELECT date_trunc('day', time) AS d, ${city} AS c, count(*) AS n FROM T WHERE event = 'Page View' GROUP BY d, c HAVING $1::TIMESTAMP IS NOT NULL`],
    ['unique buyers per week with price > 20', `SELECT date_trunc('week', time) AS w, count(DISTINCT distinct_id) AS u FROM T WHERE event = 'Purchase' AND ${price} > 20 AND $1::TIMESTAMP IS NOT NULL GROUP BY w`],
    ['all events per hour, last 7 days', `SELECT date_trunc('hour', time) AS h, count(*) AS n FROM T WHERE time >= $1::TIMESTAMP - INTERVAL 7 DAY GROUP BY h`],
  ];
  for (const [name, sql] of queries) {
    const inserted = await medianOf(() => s.query(sql.replace('FROM T', 'FROM events'), [last]));
    const sorted = await medianOf(() => s.query(sql.replace('FROM T', 'FROM measure_by_event_time'), [last]));
    console.log(`${name}: time order (as loaded) ${inserted}; sorted by (event, time) ${sorted}`);
  }
  await s.execute('DROP TABLE measure_by_event_time', []);
}
