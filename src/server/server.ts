// `segscope serve`: opens the store, fills an empty one with sample data once, serves the app on
// one port and shuts down cleanly on SIGINT/SIGTERM (in-flight requests finish, the store closes).
import type { FastifyInstance } from 'fastify';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type ConnectMiddleware } from './app.ts';
import { DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_SAMPLE_EVENTS, DEFAULT_SEED } from './defaults.ts';
import { seedSampleData, type SeedProgress } from './sample/index.ts';
import { openStoreSpec, resolveStoreSpec } from './store/open.ts';
import type { Store } from './store/types.ts';

export { DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SAMPLE_EVENTS, DEFAULT_SEED };

/** dist/ at the repository root, where `vite build` writes the UI. */
export const DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

export type ServeOptions = {
  port?: number;
  host?: string;
  db?: string;
  /** `--store` / SEGSCOPE_STORE: a DuckDB path, clickhouse://… or chdb:PATH (store/open.ts). */
  store?: string;
  sampleEvents?: number;
  seed?: number;
  queryTimeoutMs?: number;
  staticDir?: string | null;
  /** For `segscope dev`: Vite's middleware instead of dist/, and a hook to attach it before listening. */
  uiMiddleware?: ConnectMiddleware;
  beforeListen?: (app: FastifyInstance) => Promise<void>;
  /** Where progress and notices go (stderr); the URL goes to `out` (stdout). */
  err?: (text: string) => void;
  out?: (text: string) => void;
};

export type RunningServer = { app: FastifyInstance; store: Store; url: string; close(): Promise<void> };

/** Open the store at `db` (creating its directory), seeding it when it holds no events yet. */
export async function openStore(options: Pick<ServeOptions, 'db' | 'store' | 'sampleEvents' | 'seed' | 'err'>): Promise<Store> {
  const spec = resolveStoreSpec({ store: options.store, db: options.db, defaultDb: DEFAULT_DB });
  const db = spec.kind === 'duckdb' ? spec.path : spec.kind;
  const err = options.err ?? ((t: string) => process.stderr.write(t));
  if (spec.kind === 'duckdb' && db !== ':memory:') mkdirSync(path.dirname(path.resolve(db)), { recursive: true });
  const store = await openStoreSpec(spec, { notice: (message) => err(`${message}\n`) });
  try {
    const sampleEvents = options.sampleEvents ?? DEFAULT_SAMPLE_EVENTS;
    // ClickHouse: sample data only into an empty events table (the seed bookkeeping below is DuckDB SQL).
    if (sampleEvents > 0 && store.dialect === 'clickhouse') {
      if ((await countEvents(store)) === 0) await seedWithProgress(store, sampleEvents, options.seed ?? DEFAULT_SEED, db, err);
    } else if (sampleEvents > 0) {
      const interrupted = await sampleSeedInterrupted(store);
      if (interrupted) {
        err('segscope: the last sample generation was interrupted; starting it again.\n');
        await store.execute('DELETE FROM events', []);
      }
      if (interrupted || (await countEvents(store)) === 0) {
        await store.execute(`INSERT INTO ${SEED_TABLE} VALUES ($1, $2, false)`, [options.seed ?? DEFAULT_SEED, sampleEvents]);
        await seedWithProgress(store, sampleEvents, options.seed ?? DEFAULT_SEED, db, err);
        await store.execute(`UPDATE ${SEED_TABLE} SET completed = true`, []);
      }
    }
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

/** Records that sample generation started and whether it finished, so a Ctrl-C mid-way is redone, not kept. */
const SEED_TABLE = 'segscope_sample_seed';

async function sampleSeedInterrupted(store: Store): Promise<boolean> {
  await store.execute(`CREATE TABLE IF NOT EXISTS ${SEED_TABLE} (seed DOUBLE, events BIGINT, completed BOOLEAN)`, []);
  const rows = await store.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${SEED_TABLE} WHERE NOT completed`, []);
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function countEvents(store: Store): Promise<number> {
  const rows = await store.query<{ n: string | number }>('SELECT count(*) AS n FROM events', []);
  return Number(rows[0]?.n ?? 0);
}

async function seedWithProgress(store: Store, events: number, seed: number, db: string, err: (t: string) => void): Promise<void> {
  const where = db === ':memory:' ? 'memory' : db;
  err(`segscope: the store is empty; generating ${events.toLocaleString('en-US')} sample events (seed ${seed}) into ${where}. This happens once.\n`);
  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const line = (p: SeedProgress): string => {
    const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
    return `  ${String(pct).padStart(3)}%  ${p.done.toLocaleString('en-US')} events  ${p.eventsPerSecond.toLocaleString('en-US')} events/s`;
  };
  const result = await seedSampleData(store, {
    events,
    seed,
    onProgress: (p) => {
      if (p.done === 0) return;
      const now = performance.now();
      // A terminal gets a live line; a log file gets a line every few seconds and the last one.
      if (now - lastPrinted < (tty ? 200 : 3_000) && p.done < p.total) return;
      lastPrinted = now;
      err(tty ? `\r${line(p)}` : `${line(p)}\n`);
    },
  });
  err(`${tty ? '\n' : ''}segscope: sample data ready (${result.inserted.toLocaleString('en-US')} events in ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.eventsPerSecond.toLocaleString('en-US')} events/s); later starts reuse it.\n`);
}

export function formatUrl(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return `http://${h}:${port}/`;
}

/** Start serving; resolves once listening. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const err = options.err ?? ((t: string) => process.stderr.write(t));
  const store = await openStore({ ...options, err });
  let app: FastifyInstance;
  try {
    app = await buildApp({
      store,
      queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      staticDir: options.staticDir === undefined ? DIST_DIR : options.staticDir,
      logger: { level: 'warn' },
      ...(options.uiMiddleware ? { uiMiddleware: options.uiMiddleware } : {}),
    });
    if (options.beforeListen) await options.beforeListen(app);
    app.addHook('onClose', async () => {
      await store.close();
    });
    await app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? DEFAULT_HOST });
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT);
  const url = formatUrl(options.host ?? DEFAULT_HOST, port);
  if (!options.uiMiddleware && options.staticDir !== null && !existsSync(path.join(options.staticDir ?? DIST_DIR, 'index.html'))) {
    err('segscope: the UI is not built (no dist/index.html); run `npm run build` for the report page.\n');
  }
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= app.close().then(() => undefined));
  return { app, store, url, close };
}

/** Close on SIGINT/SIGTERM: stop accepting, let requests in flight finish, close the store, exit. */
export function closeOnSignals(server: RunningServer, err: (t: string) => void = (t) => process.stderr.write(t)): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    err(`segscope: ${signal} received, shutting down\n`);
    // A second signal, or a request that never ends, must not keep the process alive forever.
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        err(`segscope: error while shutting down: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
