// The judge of the SQL compiler: for generated events and expressions, DuckDB must give exactly
// the reference evaluator's answer.
//  (a) every expression's typed value on every event (one SELECT per run, all expressions batched);
//  (b) full segmentation answers (series, values, totals, counters) with generated where/on,
//      measures, units, limits and numeric buckets, against referenceSegmentation.
// Runs alternate between folding closed subtrees and compiling them in SQL. A failing run is
// shrunk by fast-check to a small counterexample.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Expr, TypedValue } from '../../src/expr/ast.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { print } from '../../src/expr/print.ts';
import { toTyped } from '../../src/expr/value.ts';
import { MEASURES, UNITS, type SegmentationQuery } from '../../src/report/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import type { DuckDbStore } from '../../src/server/store/duckdb.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { eventsArb, exprArb, RANGE } from './generators.ts';
import { memoryStore, sqlTypedValues, toRecord } from './harness.ts';

const NOW = Date.UTC(2024, 1, 5, 12, 30, 15, 250);
const RUNS = Number(process.env.SEGSCOPE_DIFF_RUNS ?? 40);
const EXPRS_PER_RUN = 30;

/** JSON with object keys sorted: deep equality that ignores key order, as the language does. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

let exprCases = 0;
let segmentationCases = 0;

// One store serves many runs (emptied between them): opening DuckDB costs more than a run. It is
// replaced once its catalog has grown wide, so typed columns stay specific to recent data.
let shared: DuckDbStore | null = null;
async function storeFor(): Promise<DuckDbStore> {
  if (shared && shared.catalog().entries().length > 60) {
    await shared.close();
    shared = null;
  }
  shared ??= await memoryStore();
  await shared.execute('DELETE FROM events', []);
  return shared;
}
afterAll(async () => {
  await shared?.close();
});

async function checkRun(events: StoredEvent[], exprs: Expr[], fold: boolean, queries: SegmentationQuery[]): Promise<void> {
  const store = await storeFor();
  {
    await store.insertEvents(events);
    const stored = [...events].sort((a, b) => (a.insert_id < b.insert_id ? -1 : 1));
    const records = stored.map(toRecord);
    const got = await sqlTypedValues(store, exprs, NOW, fold);
    exprs.forEach((e, i) => {
      records.forEach((r, j) => {
        const want: TypedValue = toTyped(evaluate(e, r, { now: NOW }));
        const have = got[i]![j]!;
        if (canon(have) !== canon(want)) {
          throw new Error(`expression ${print(e)} (fold=${fold}) on ${JSON.stringify(r)}:\n  sql:       ${canon(have)}\n  reference: ${canon(want)}`);
        }
      });
    });
    exprCases += exprs.length;
    for (const q of queries) {
      const have = await runSegmentation(store, q, { now: new Date(NOW) });
      const want = referenceSegmentation(records, q, { now: NOW });
      const { sql: _sql, elapsed_ms: _ms, ...meta } = have.meta;
      if (canon({ ...have, meta }) !== canon(want)) {
        expect({ ...have, meta }, `segmentation ${JSON.stringify({ ...q, where: q.where && print(q.where), on: q.on && print(q.on) })}`).toEqual(want);
      }
      segmentationCases++;
    }
  }
}

const queryArb = (exprs: fc.Arbitrary<Expr>) =>
  fc.record({
    event: fc.constantFrom('A', 'B'),
    unit: fc.constantFrom(...UNITS.filter((u) => u !== 'minute')),
    where: fc.option(exprs, { nil: null, freq: 3 }),
    on: fc.option(exprs, { nil: null, freq: 4 }),
    type: fc.constantFrom(...MEASURES),
    limit: fc.oneof(fc.constant(60), fc.integer({ min: 1, max: 3 })),
    buckets: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 2 }),
  }).map((q): SegmentationQuery => ({ ...q, ...RANGE }));

describe('differential: DuckDB SQL vs the reference evaluator', () => {
  it(`agrees on ${RUNS} generated runs of ${EXPRS_PER_RUN} expressions each, and their segmentations`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        eventsArb,
        fc.array(exprArb, { minLength: EXPRS_PER_RUN, maxLength: EXPRS_PER_RUN }),
        fc.boolean(),
        fc.array(queryArb(exprArb), { minLength: 3, maxLength: 3 }),
        async (events, exprs, fold, queries) => checkRun(events, exprs, fold, queries),
      ),
      { numRuns: RUNS, seed: process.env.SEGSCOPE_DIFF_SEED ? Number(process.env.SEGSCOPE_DIFF_SEED) : undefined, endOnFailure: false },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`differential: ${exprCases} expression cases (× events each), ${segmentationCases} segmentations in ${seconds}s`);
    expect(exprCases).toBeGreaterThanOrEqual(RUNS * EXPRS_PER_RUN);
  }, 600_000);
});
