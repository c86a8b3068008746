// Integers of 20+ digits nested in lists and objects: ClickHouse's JSON reader needs them rewritten
// (bigIntFix in src/server/sql/clickhouse.ts), by a pattern that must compile. The differential
// tests reach this only by chance; here every shape is pinned, against the reference evaluator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/expr/evaluate.ts';
import { parse } from '../../src/expr/parse.ts';
import { toTyped } from '../../src/expr/value.ts';
import type { ClickHouseStore } from '../../src/server/store/clickhouse.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { toRecord } from '../engine/harness.ts';
import { HAVE_CHDB, chTypedValues, chdbStore } from './harness.ts';

const EVENTS: StoredEvent[] = [
  { event: 'E', time: Date.UTC(2024, 1, 1), distinct_id: 'u', insert_id: 'i1', properties: { l: [[18446744073709551616, 'a"\\b'], { x: 123456789012345678901 }], o: { a: [99999999999999999999] } } },
];
const TEXTS = [
  'properties["l"]',
  'properties["l"][0]',
  'properties["l"][0][0]',
  'properties["l"][1]',
  'properties["o"]["a"]',
  'any(X, properties["l"], X == [18446744073709551616, "a\\"\\\\b"])',
  'string(properties["l"])',
];

describe.skipIf(!HAVE_CHDB)('20+-digit integers inside lists and objects (ClickHouse through chDB)', () => {
  let store: ClickHouseStore;
  beforeAll(async () => {
    store = await chdbStore();
    await store.insertEvents(EVENTS);
  }, 60_000);
  afterAll(async () => store?.close());

  for (const fold of [true, false]) {
    it(`read back as the reference evaluator reads them (fold=${fold})`, async () => {
      const got = await chTypedValues(store, TEXTS.map((t) => parse(t)), 0, fold);
      const want = TEXTS.map((t) => [toTyped(evaluate(parse(t), toRecord(EVENTS[0]!), { now: 0 }))]);
      expect(got).toEqual(want);
    }, 60_000);
  }
});
