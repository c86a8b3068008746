// A bare Fastify instance with only the ingestion plugin, over a real DuckDB store: the routes are
// tested on their own, independent of the rest of the app.
import Fastify, { type FastifyInstance } from 'fastify';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';
import type { Store } from '../../src/server/store/types.ts';
import { ingestRoutes, type IngestRouteOptions } from '../../src/server/routes/ingest.ts';
import type { IngestWriter } from '../../src/server/ingest/writer.ts';

export type Harness = { app: FastifyInstance; store: Store; writer: IngestWriter; close(): Promise<void> };

export async function startIngest(options: Partial<IngestRouteOptions> & { path?: string } = {}): Promise<Harness> {
  const store = options.store ?? (await openDuckDbStore({ path: options.path ?? ':memory:', threads: 1 }));
  const app = Fastify({ logger: false });
  let writer: IngestWriter | undefined;
  await app.register(ingestRoutes, {
    token: null,
    apiSecret: null,
    ...options,
    store,
    onWriter: (w) => {
      writer = w;
    },
  });
  await app.ready();
  return {
    app,
    store,
    writer: writer!,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Events stored, in time then insert_id order. */
export async function storedEvents(store: Store): Promise<Array<{ event: string; distinct_id: string; insert_id: string; time_ms: number; properties: Record<string, unknown> }>> {
  const rows = await store.query<{ event: string; distinct_id: string; insert_id: string; time_ms: string | number; properties: string }>(
    'SELECT event, distinct_id, insert_id, epoch_ms(time) AS time_ms, properties::VARCHAR AS properties FROM events ORDER BY time, insert_id', []);
  return rows.map((r) => ({ ...r, time_ms: Number(r.time_ms), properties: JSON.parse(r.properties) as Record<string, unknown> }));
}

export async function countEvents(store: Store): Promise<number> {
  const [row] = await store.query<{ n: string | number }>('SELECT count(*) AS n FROM events', []);
  return Number(row.n);
}

export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}
