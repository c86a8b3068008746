// `npm run bench:ingest`: ingestion throughput, printed (never asserted).
//   1. baseline: the store's own insertEvents rate on ready-made events (no parsing, no HTTP);
//   2. `segscope import` of a generated JSON-lines file (default 5M events), as a child process;
//   3. HTTP /track: 8 concurrent clients sending batches of 50 to `segscope serve` (a child process),
//      events/s and acknowledgement latency (p50/p99); median of several runs.
// Sizes: BENCH_EVENTS (default 5,000,000), BENCH_HTTP_SECONDS (default 10), BENCH_RUNS (default 3).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDuckDbStore } from '../src/server/store/duckdb.ts';
import type { StoredEvent } from '../src/server/store/types.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = 8;
const BATCH = 50;
const BIN = path.resolve('bin/segscope.js');
const dir = mkdtempSync(path.join(tmpdir(), 'segscope-bench-ingest-'));
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const NAMES = ['Page View', 'Signup', 'Purchase', 'Search', 'Share', 'Add to Cart', 'Checkout'];
const BROWSERS = ['Chrome', 'Firefox', 'Safari', 'Edge'];
const T0 = 1_700_000_000;

function properties(i: number): Record<string, unknown> {
  return {
    time: T0 + Math.floor(i / 10),
    distinct_id: `user-${(i * 7919) % 100_000}`,
    $insert_id: `ev-${i}`,
    $browser: BROWSERS[i % 4],
    $city: `City ${i % 97}`,
    price: (i % 1000) / 10,
    plan: i % 3 === 0 ? 'pro' : 'free',
    items: i % 5 === 0 ? ['a', 'b'] : [],
    first: i % 11 === 0,
  };
}

async function generate(file: string, n: number): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${JSON.stringify({ event: NAMES[i % NAMES.length], properties: properties(i) })}\n`;
    if (buf.length > 1 << 22) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(() => r()));
}

function stored(i: number, prefix: string): StoredEvent {
  const p = properties(i);
  p.$insert_id = `${prefix}-${i}`;
  return { event: NAMES[i % NAMES.length], time: (p.time as number) * 1000, distinct_id: p.distinct_id as string, insert_id: p.$insert_id as string, properties: p };
}

/** The store alone: pre-built events, inserted in batches of `batch`. */
async function baseline(n: number, batch: number, label: string): Promise<number> {
  const db = path.join(dir, `baseline-${label}.duckdb`);
  const store = await openDuckDbStore({ path: db });
  try {
    const batches: StoredEvent[][] = [];
    for (let s = 0; s < n; s += batch) batches.push(Array.from({ length: Math.min(batch, n - s) }, (_, k) => stored(s + k, label)));
    const start = performance.now();
    for (const b of batches) await store.insertEvents(b);
    return n / ((performance.now() - start) / 1000);
  } finally {
    await store.close();
  }
}

/** CPU seconds (user + system) of a live process, or of this process's waited-for children. */
function cpuSeconds(pid: number | 'children'): number {
  const fields = readFileSync(`/proc/${pid === 'children' ? 'self' : pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After the command name: utime, stime are fields 14, 15 of stat; cutime, cstime 16, 17.
  const [a, b] = pid === 'children' ? [13, 14] : [11, 12];
  return (Number(fields[a]) + Number(fields[b])) / 100;
}

/** On a shared machine wall time depends on the neighbours; CPU per event less so. */
function importOnce(file: string, db: string): { seconds: number; cpu: number; out: string } {
  const start = performance.now();
  const cpu0 = cpuSeconds('children');
  const r = spawnSync(process.execPath, [BIN, 'import', file, '--db', db, '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`segscope import failed (${r.status}): ${r.stderr}`);
  return { seconds, cpu: cpuSeconds('children') - cpu0, out: r.stdout.trim() };
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');

function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--sample-events', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1].replace(/\/$/, '') });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function httpRun(url: string, run: number, seconds: number, serverPid: number): Promise<{ rate: number; p50: number; p99: number; refused: number; cpuUs: number }> {
  const cpu0 = cpuSeconds(serverPid);
  const latencies: number[] = [];
  let events = 0;
  let refused = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let r = 0; performance.now() < until; r++) {
      const base = ((run * CLIENTS + c) * 1_000_000 + r) * BATCH;
      const body = JSON.stringify(Array.from({ length: BATCH }, (_, k) => ({ event: NAMES[k % NAMES.length], properties: { ...properties(base + k), $insert_id: `http-${base + k}`, time: Math.floor(Date.now() / 1000) } })));
      const start = performance.now();
      const res = await fetch(`${url}/track`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      if (res.status === 200 && text === '1') {
        latencies.push(performance.now() - start);
        events += BATCH;
      } else refused++;
    }
  }));
  latencies.sort((a, b) => a - b);
  const cpuUs = ((cpuSeconds(serverPid) - cpu0) / Math.max(events, 1)) * 1e6;
  return { cpuUs, rate: events / seconds, p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, refused };
}

try {
  console.log(`ingestion benchmark: ${cpus().length} cores, load average ${load()}, ${fmt(EVENTS)} events to import`);

  const baseBig = await baseline(Math.min(EVENTS, 500_000), 50_000, 'big');
  const baseSmall = await baseline(20_000, CLIENTS * BATCH, 'small');
  console.log(`baseline  store.insertEvents, batches of 50,000 (500k events): ${fmt(baseBig)} events/s`);
  console.log(`baseline  store.insertEvents, batches of ${CLIENTS * BATCH} (20k events): ${fmt(baseSmall)} events/s`);

  const file = path.join(dir, 'events.jsonl');
  let t = performance.now();
  await generate(file, EVENTS);
  console.log(`generated ${file}: ${fmt(statSync(file).size / 1e6)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // The full file once (it takes minutes); smaller slices several times for a median.
  const full = importOnce(file, path.join(dir, 'import-full.duckdb'));
  const fullRate = EVENTS / full.seconds;
  console.log(`import    ${fmt(EVENTS)} events: ${full.seconds.toFixed(1)} s wall, ${full.cpu.toFixed(1)} s CPU (${((full.cpu / EVENTS) * 1e6).toFixed(1)} µs/event), ${fmt(fullRate)} events/s (${(fullRate / baseBig).toFixed(2)}× the store baseline), load ${load()}`);
  console.log(`          ${full.out.split('\n')[0]}`);
  const sliceN = Math.min(EVENTS, 500_000);
  const slice = path.join(dir, 'slice.jsonl');
  await generate(slice, sliceN);
  const sliceRates: number[] = [];
  const sliceCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = importOnce(slice, path.join(dir, `slice-${r}.duckdb`));
    sliceRates.push(sliceN / s.seconds);
    sliceCpu.push((s.cpu / sliceN) * 1e6);
  }
  const again = importOnce(slice, path.join(dir, 'slice-0.duckdb'));
  console.log(`re-import ${fmt(sliceN)} events already stored (dedupe, adds nothing): ${fmt(sliceN / again.seconds)} events/s — ${again.out.split('\n')[0].replace(/^.*: /, '')}`);
  console.log(`import    ${fmt(sliceN)} events into a fresh store, median of ${RUNS}: ${fmt(median(sliceRates))} events/s (runs: ${sliceRates.map(fmt).join(', ')}; ${(median(sliceRates) / baseBig).toFixed(2)}× baseline), CPU ${median(sliceCpu).toFixed(1)} µs/event, load ${load()}`);

  const server = await serve(path.join(dir, 'http.duckdb'));
  try {
    await httpRun(server.url, 99, 2, server.child.pid!); // warm-up
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await httpRun(server.url, r, HTTP_SECONDS, server.child.pid!));
    for (const [i, r] of runs.entries()) console.log(`http run ${i + 1}: ${fmt(r.rate)} events/s, ack p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, server CPU ${r.cpuUs.toFixed(0)} µs/event${r.refused ? `, ${r.refused} refused` : ''}`);
    const rate = median(runs.map((r) => r.rate));
    console.log(`http      /track, ${CLIENTS} clients × batches of ${BATCH}, ${HTTP_SECONDS} s × ${RUNS} runs: median ${fmt(rate)} events/s, p99 ack ${median(runs.map((r) => r.p99)).toFixed(1)} ms (${(rate / baseSmall).toFixed(2)}× the store baseline at ${CLIENTS * BATCH}-event batches), load ${load()}`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
