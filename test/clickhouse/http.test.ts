// The HTTP store (official @clickhouse/client) against a real ClickHouse server named by
// SEGSCOPE_TEST_CLICKHOUSE_URL, e.g. clickhouse://default:@127.0.0.1:8123/segscope_test (the
// database is created if missing and its Segscope tables are dropped first). Without it these
// tests are skipped, and say so.
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/expr/parse.ts';
import { referenceSegmentation } from '../../src/report/reference.ts';
import { runSegmentation } from '../../src/server/segmentation.ts';
import { openClickHouseStore, parseClickHouseUrl, type ClickHouseStore } from '../../src/server/store/clickhouse.ts';
import { NotReadOnlyError, QueryTimeoutError } from '../../src/server/store/errors.ts';
import { describeStoreSpec, parseStoreSpec } from '../../src/server/store/open.ts';
import { stored, toRecord } from '../engine/harness.ts';

const URL_ = process.env.SEGSCOPE_TEST_CLICKHOUSE_URL ?? '';
if (URL_ === '') console.log('ClickHouse HTTP store tests SKIPPED: set SEGSCOPE_TEST_CLICKHOUSE_URL=clickhouse://user:pass@host:8123/db to run them');

const T = Date.UTC(2024, 2, 1, 10);
const EVENTS = [
  stored('Purchase', T, 'u1', 'i1', { price: 25, tags: ['a', 'b'], plan: 'pro' }),
  stored('Purchase', T + 3_600_000, 'u2', 'i2', { price: '30', tags: ['b'], plan: null }),
  stored('Purchase', T + 86_400_000, 'u1', 'i3', { price: 5, plan: 'free' }),
];

describe('store URLs (no server needed)', () => {
  it('parses clickhouse:// URLs into the client URL, credentials, database and cluster', () => {
    expect(parseClickHouseUrl('clickhouse://me:p%40ss@db.example:8123/analytics?cluster=segscope')).toEqual({
      url: 'http://db.example:8123',
      username: 'me',
      password: 'p@ss',
      database: 'analytics',
      cluster: 'segscope',
    });
    expect(parseClickHouseUrl('clickhouses://db.example/x')).toMatchObject({ url: 'https://db.example:8443', username: 'default', database: 'x' });
    expect(() => parseClickHouseUrl('ftp://x')).toThrow(/not a ClickHouse URL/);
    expect(describeStoreSpec(parseStoreSpec('clickhouse://me:secret@h:8123/db'))).not.toContain('secret');
  });
});

describe.skipIf(URL_ === '')(`HTTP store against ${URL_ === '' ? '(SEGSCOPE_TEST_CLICKHOUSE_URL not set: skipped)' : describeStoreSpec(parseStoreSpec(URL_))}`, () => {
  let store: ClickHouseStore;
  beforeAll(async () => {
    const p = parseClickHouseUrl(URL_);
    const admin = createClient({ url: p.url, username: p.username, password: p.password });
    await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${JSON.stringify(p.database).replace(/"/g, '`')}` });
    for (const t of ['events', 'property_columns']) await admin.command({ query: `DROP TABLE IF EXISTS \`${p.database}\`.${t} SYNC` });
    await admin.close();
    store = await openClickHouseStore({ url: URL_ });
  }, 60_000);
  afterAll(async () => store?.close());

  it('creates the schema, inserts with dedupe and answers as the reference does', async () => {
    expect(await store.insertEvents(EVENTS)).toEqual({ inserted: 3, duplicates: 0 });
    expect(await store.insertEvents([EVENTS[0]!])).toEqual({ inserted: 0, duplicates: 1 });
    const q = { event: 'Purchase', from: '2024-03-01', to: '2024-03-02', unit: 'day', where: parse('number(properties["price"]) > 6'), on: parse('properties["tags"]'), type: 'general', limit: 60, buckets: null } as const;
    const got = await runSegmentation(store, q, { now: new Date(T) });
    const want = referenceSegmentation(EVENTS.map(toRecord), q, { now: T });
    const { sql: _s, elapsed_ms: _e, ...meta } = got.meta;
    expect({ ...got, meta }).toEqual(want);
  });

  it('sends readonly with every read: query() refuses writes, the server refuses them too', async () => {
    await expect(store.query('DROP TABLE events', [])).rejects.toBeInstanceOf(NotReadOnlyError);
    await expect(store.query('SELECT count() AS n FROM events', [])).resolves.toEqual([{ n: '3' }]);
  });

  it('interrupts a query past its budget', async () => {
    await expect(store.query('SELECT count() FROM numbers(1e13) WHERE sipHash64(number) = 0', [], { timeoutMs: 1_000 })).rejects.toBeInstanceOf(QueryTimeoutError);
  }, 30_000);
});
