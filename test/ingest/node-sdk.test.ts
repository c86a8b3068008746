// The official Node SDK (`mixpanel` on npm), changed only in its host, against a loopback server.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';
import type { Store } from '../../src/server/store/types.ts';
import { storedEvents } from './harness.ts';

const require = createRequire(import.meta.url);
type Callback = (err?: Error | Error[] | null) => void;
type Client = {
  track(event: string, props: Record<string, unknown>, cb: Callback): void;
  track_batch(events: unknown[], cb: Callback): void;
  import(event: string, time: Date | number, props: Record<string, unknown>, cb: Callback): void;
  import_batch(events: unknown[], cb: Callback): void;
  alias(distinctId: string, alias: string, cb: Callback): void;
  people: { set(id: string, props: Record<string, unknown>, cb: Callback): void; increment(id: string, prop: string, by: number, cb: Callback): void };
};
const Mixpanel = require('mixpanel') as { init(token: string, config: Record<string, unknown>): Client };

function done(fn: (cb: Callback) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => {
    const errors = Array.isArray(err) ? err.filter(Boolean) : err ? [err] : [];
    if (errors.length > 0) reject(errors[0]);
    else resolve();
  }));
}

let h: { app: FastifyInstance; store: Store };
let client: Client;
const T = Date.UTC(2024, 4, 1);

beforeAll(async () => {
  // The whole app, as `segscope serve` builds it; the token comes the way the server passes it on.
  process.env.SEGSCOPE_TOKEN = 'node-sdk-token';
  const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
  h = { store, app: await buildApp({ store }) };
  delete process.env.SEGSCOPE_TOKEN;
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = h.app.server.address() as AddressInfo;
  // `key` makes the SDK send /import at all over plain HTTP (it refuses the secret without HTTPS).
  client = Mixpanel.init('node-sdk-token', { host: `127.0.0.1:${port}`, protocol: 'http', key: 'legacy-key', verbose: true, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
});
afterAll(async () => {
  await h?.app.close();
  await h?.store.close();
});

/** Counts per event per day from the Mixpanel-shaped segmentation API. */
async function segmentation(event: string, from: string, to: string): Promise<Record<string, number>> {
  const res = await h.app.inject({ url: `/api/2.0/segmentation?event=${encodeURIComponent(event)}&from_date=${from}&to_date=${to}&type=general&unit=day` });
  expect(res.statusCode).toBe(200);
  return Object.fromEntries(Object.entries((res.json() as { data: { values: Record<string, Record<string, number>> } }).data.values[event] ?? {}).filter(([, n]) => n > 0));
}

describe('the official Node SDK', () => {
  it('sends track, track_batch, import, import_batch, alias and people.set; exactly those arrive', async () => {
    await done((cb) => client.track('Signup', { distinct_id: 'u1', time: T, plan: 'pro', $insert_id: 't1' }, cb));
    const batch = Array.from({ length: 120 }, (_, i) => ({ event: 'Page', properties: { distinct_id: `u${i % 7}`, time: T + i, $insert_id: `b${i}` } }));
    await done((cb) => client.track_batch(batch, cb));
    await done((cb) => client.import('Old', new Date(T - 86_400_000), { distinct_id: 'u2', $insert_id: 'imp1' }, cb));
    const imports = Array.from({ length: 75 }, (_, i) => ({ event: 'Backfill', properties: { distinct_id: 'u3', time: new Date(T - i * 1000), n: i } }));
    await done((cb) => client.import_batch(imports, cb));
    await done((cb) => client.alias('u1', 'anon-9', cb));
    await done((cb) => client.track('Page', { distinct_id: 'anon-9', time: T + 500, $insert_id: 'after-alias' }, cb));
    await done((cb) => client.people.set('u1', { $name: 'Ann', plan: 'pro' }, cb));
    await done((cb) => client.people.increment('u1', 'logins', 2, cb));

    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(await segmentation('Signup', day(T - 86_400_000), day(T))).toEqual({ [day(T)]: 1 });
    expect(await segmentation('Page', day(T), day(T))).toEqual({ [day(T)]: 121 });
    expect(await segmentation('Old', day(T - 86_400_000), day(T))).toEqual({ [day(T - 86_400_000)]: 1 });
    expect(await segmentation('Backfill', day(T - 86_400_000), day(T))).toEqual({ [day(T - 75_000)]: 74, [day(T)]: 1 });
    const stored = await storedEvents(h.store);
    const byEvent: Record<string, number> = {};
    for (const s of stored) byEvent[s.event] = (byEvent[s.event] ?? 0) + 1;
    expect(byEvent).toEqual({ Signup: 1, Page: 121, Old: 1, Backfill: 75, $create_alias: 1 });
    const signup = stored.find((s) => s.event === 'Signup')!;
    expect(signup).toMatchObject({ distinct_id: 'u1', time_ms: T, properties: { plan: 'pro', mp_lib: 'node', time: T / 1000 } });
    expect(signup.properties.token).toBeUndefined();
    expect(stored.find((s) => s.insert_id === 'after-alias')!.distinct_id).toBe('u1');
    expect(stored.filter((s) => s.event === 'Backfill').map((s) => s.properties.n).sort((a, b) => Number(a) - Number(b))).toEqual(imports.map((_, i) => i));

    const [profile] = await h.store.query<{ properties: string }>("SELECT properties FROM segscope_profiles WHERE distinct_id = 'u1'", []);
    expect(JSON.parse(profile.properties)).toEqual({ $name: 'Ann', plan: 'pro', logins: 2 });
  });

  it('re-sending the same batches adds nothing', async () => {
    const before = (await storedEvents(h.store)).length;
    const imports = Array.from({ length: 75 }, (_, i) => ({ event: 'Backfill', properties: { distinct_id: 'u3', time: new Date(T - i * 1000), n: i } }));
    await done((cb) => client.import_batch(imports, cb));
    expect((await storedEvents(h.store)).length).toBe(before);
  });

  it('sees the server refuse events with another token', async () => {
    const other = Mixpanel.init('wrong-token', { host: (client as unknown as { config: { host: string; port: number } }).config.host + ':' + (client as unknown as { config: { port: number } }).config.port, protocol: 'http', verbose: true, logger: console });
    await expect(done((cb) => other.track('Nope', { distinct_id: 'x' }, cb))).rejects.toThrow(/token does not match/);
  });
});
