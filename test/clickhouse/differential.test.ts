// The three-way judge: for generated events and expressions (test/engine/generators.ts), ClickHouse
// (chDB), DuckDB and the reference evaluator must give the same answer:
//  (a) every expression's typed value on every event (folded and unfolded runs alternate);
//  (b) full segmentation answers with generated where/on, measures, units, limits and buckets.
// SEGSCOPE_CH_DIFF_RUNS sets the number of runs (default 10 runs × 30 expressions × 3 queries:
// ClickHouse plans each statement in ~10-50 ms, so this file is the slow one of the suite).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr, TypedValue } from '../../src/expr/ast.ts';
import { evaluate } from '../../src/expr/evaluate.ts';
import { print } from '../../src/expr/print.ts';
import { toTyped } from '../../src/expr/value.ts';
import { MEASURES, UNITS, type SegmentationQuery } from '../../src/report/types.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { eventsArb, exprArb, RANGE } from '../engine/generators.ts';
import { memoryStore, sqlTypedValues, toRecord } from '../engine/harness.ts';
import { HAVE_CHDB, chTypedValues, chdbStore } from './harness.ts';

const NOW = Date.UTC(2024, 1, 5, 12, 30, 15, 250);
const RUNS = Number(process.env.SEGSCOPE_CH_DIFF_RUNS ?? 10);
const EXPRS_PER_RUN = 30;
/** Local triage only: judge ClickHouse against the reference alone. */
const WITH_DUCKDB = process.env.SEGSCOPE_CH_DIFF_DUCKDB !== '0';

function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

let exprCases = 0;
let segmentationCases = 0;

async function checkRun(events: StoredEvent[], exprs: Expr[], fold: boolean, queries: SegmentationQuery[]): Promise<void> {
  const ch = await chdbStore();
  const duck = await memoryStore();
  try {
    await ch.insertEvents(events);
    await duck.insertEvents(events);
    const stored = [...events].sort((a, b) => (a.insert_id < b.insert_id ? -1 : 1));
    const records = stored.map(toRecord);
    const fromCh = await chTypedValues(ch, exprs, NOW, fold);
    const fromDuck = await sqlTypedValues(duck, exprs, NOW, fold);
    exprs.forEach((e, i) => {
      records.forEach((r, j) => {
        const want: TypedValue = toTyped(evaluate(e, r, { now: NOW }));
        const have = fromCh[i]![j]!;
        if (canon(have) !== canon(want)) {
          throw new Error(`expression ${print(e)} (fold=${fold}) on ${JSON.stringify(r)}:\n  clickhouse: ${canon(have)}\n  reference:  ${canon(want)}\n  duckdb:     ${canon(fromDuck[i]![j])}`);
        }
        if (WITH_DUCKDB && canon(fromDuck[i]![j]) !== canon(want)) {
          throw new Error(`expression ${print(e)} (fold=${fold}) on ${JSON.stringify(r)}:\n  duckdb:    ${canon(fromDuck[i]![j])}\n  reference: ${canon(want)}`);
        }
      });
    });
    exprCases += exprs.length;
    for (const q of queries) {
      const want = referenceSegmentation(records, q, { now: NOW });
      for (const [name, store] of WITH_DUCKDB ? ([['clickhouse', ch], ['duckdb', duck]] as const) : ([['clickhouse', ch]] as const)) {
        const have = await runSegmentation(store, q, { now: new Date(NOW) });
        const { sql: _sql, elapsed_ms: _ms, ...meta } = have.meta;
        if (canon({ ...have, meta }) !== canon(want)) {
          expect({ ...have, meta }, `${name} segmentation ${JSON.stringify({ ...q, where: q.where && print(q.where), on: q.on && print(q.on) })}`).toEqual(want);
        }
      }
      segmentationCases++;
    }
  } finally {
    await ch.close();
    await duck.close();
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

describe.skipIf(!HAVE_CHDB)('differential: ClickHouse (chDB) vs DuckDB vs the reference evaluator', () => {
  it(`agrees on ${RUNS} generated runs of ${EXPRS_PER_RUN} expressions each, and 3 segmentations per run`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        eventsArb,
        fc.array(exprArb, { minLength: EXPRS_PER_RUN, maxLength: EXPRS_PER_RUN }),
        fc.boolean(),
        fc.array(queryArb(exprArb), { minLength: 3, maxLength: 3 }),
        async (events, exprs, fold, queries) => checkRun(events, exprs, fold, queries),
      ),
      { numRuns: RUNS, seed: process.env.SEGSCOPE_DIFF_SEED ? Number(process.env.SEGSCOPE_DIFF_SEED) : undefined, endOnFailure: true },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`clickhouse differential: ${exprCases} expression cases (× events each), ${segmentationCases} segmentations, three engines, in ${seconds}s`);
    expect(exprCases).toBeGreaterThanOrEqual(RUNS * EXPRS_PER_RUN);
  }, 900_000);
});
