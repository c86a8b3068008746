// A small, hand-checked event set in an in-memory DuckDB store, and an app over it. Every number the
// API tests assert is counted by hand from this list.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';
import type { Store, StoredEvent } from '../../src/server/store/types.ts';

export const HOSTILE_BROWSER = '<script>alert(1)</script>';

function ev(event: string, iso: string, distinctId: string, properties: Record<string, unknown>, n: number): StoredEvent {
  const time = Date.parse(iso);
  return { event, time, distinct_id: distinctId, insert_id: `fixture-${n}`, properties: { time: time / 1000, distinct_id: distinctId, ...properties } };
}

/** Purchase: 2 events on each of 2024-03-01..03, plus one just before and one just after the range. */
export const EVENTS: StoredEvent[] = [
  ev('Purchase', '2024-03-01T10:00:00Z', 'u1', { $browser: 'Chrome', price: 25, items: ['Jacket', 'Helmet'], country: 'US' }, 1),
  ev('Purchase', '2024-03-01T11:30:00Z', 'u2', { $browser: 'Safari', price: 10, items: ['Helmet'], country: 'FR' }, 2),
  ev('Purchase', '2024-03-02T09:00:00Z', 'u1', { $browser: 'Chrome', price: '7', items: [], country: 'US' }, 3),
  ev('Purchase', '2024-03-02T15:00:00Z', 'u6', { $browser: HOSTILE_BROWSER, price: 1 }, 4),
  ev('Purchase', '2024-03-03T00:00:00Z', 'u1', { $browser: 'Chrome', price: 5, items: ['Jacket'], country: 'US' }, 5),
  ev('Purchase', '2024-03-03T23:59:00Z', 'u3', { $browser: 'Firefox', price: 100, country: null }, 6),
  ev('Purchase', '2024-02-29T23:59:59Z', 'u5', { $browser: 'Chrome', price: 1 }, 7),
  ev('Purchase', '2024-03-04T00:00:00Z', 'u5', { $browser: 'Chrome', price: 1 }, 8),
  ev('Signup', '2024-03-01T08:00:00Z', 'u4', { $browser: 'Chrome', plan: 'pro' }, 9),
];

export const RANGE = { event: 'Purchase', from: '2024-03-01', to: '2024-03-03' } as const;
export const DAYS = ['2024-03-01', '2024-03-02', '2024-03-03'];
export const NOW = new Date('2024-03-10T12:00:00Z');

export async function fixtureStore(events: StoredEvent[] = EVENTS): Promise<Store> {
  const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
  await store.insertEvents(events);
  return store;
}

/** An app over its own fixture store; closing the app closes the store. */
export async function fixtureApp(options: Partial<AppOptions> = {}, store?: Store): Promise<FastifyInstance> {
  const s = store ?? (await fixtureStore());
  const app = await buildApp({ store: s, now: () => NOW, ...options });
  if (!store) app.addHook('onClose', async () => s.close());
  await app.ready();
  return app;
}

export async function post(app: FastifyInstance, body: unknown): Promise<{ status: number; json: any }> {
  const res = await app.inject({ method: 'POST', url: '/api/segmentation', payload: body as object });
  return { status: res.statusCode, json: res.json() };
}
