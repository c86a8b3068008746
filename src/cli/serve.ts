// `segscope serve` (= `npm start`): the report UI and API on one port, over an embedded DuckDB file
// that is filled with sample data on first start.
import { parseArgs } from 'node:util';
import { DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_SAMPLE_EVENTS, DEFAULT_SEED } from '../server/defaults.ts';
import { intFlag, UsageError } from './args.ts';

export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  store: { type: 'string' },
  'sample-events': { type: 'string' },
  seed: { type: 'string' },
  'query-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const SERVE_HELP = `usage: segscope serve [options]

  --port N              port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H              address to listen on (default ${DEFAULT_HOST})
  --db PATH             DuckDB file (default ${DEFAULT_DB}; ":memory:" keeps nothing)
  --store SPEC          the store instead: a DuckDB path, clickhouse://user:pass@host:8123/db or chdb:PATH
                        (default: $SEGSCOPE_STORE, else --db); see docs/clickhouse.md
  --sample-events N     sample events to generate into an empty store (default ${DEFAULT_SAMPLE_EVENTS.toLocaleString('en-US')}; 0 = none)
  --seed N              seed of the sample data (default ${DEFAULT_SEED})
  --query-timeout MS    time budget of one query (default ${DEFAULT_QUERY_TIMEOUT_MS})
`;

export type ServeFlags = {
  port: number;
  host: string;
  db: string;
  store?: string;
  sampleEvents: number;
  seed: number;
  queryTimeoutMs: number;
};

export function parseServeFlags(values: { [K in keyof typeof SERVE_OPTIONS]?: string | boolean }): ServeFlags {
  const str = (k: keyof typeof SERVE_OPTIONS): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  return {
    port: intFlag('port', str('port'), DEFAULT_PORT, 0, 65_535),
    host: str('host') ?? DEFAULT_HOST,
    db: str('db') ?? DEFAULT_DB,
    ...(str('store') !== undefined ? { store: str('store') } : str('db') === undefined && process.env.SEGSCOPE_STORE ? { store: process.env.SEGSCOPE_STORE } : {}),
    sampleEvents: intFlag('sample-events', str('sample-events'), DEFAULT_SAMPLE_EVENTS, 0, 1_000_000_000),
    seed: intFlag('seed', str('seed'), DEFAULT_SEED, 0, 2 ** 31 - 1),
    queryTimeoutMs: intFlag('query-timeout', str('query-timeout'), DEFAULT_QUERY_TIMEOUT_MS, 1, 24 * 3_600_000),
  };
}

export async function run(argv: string[]): Promise<number> {
  let flags: ServeFlags;
  const { closeOnSignals, startServer } = await import('../server/server.ts');
  try {
    const { values } = parseArgs({ args: argv, options: SERVE_OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    flags = parseServeFlags(values);
  } catch (e) {
    process.stderr.write(`segscope serve: ${(e as Error).message}\n${SERVE_HELP}`);
    return 2;
  }
  try {
    const server = await startServer(flags);
    closeOnSignals(server);
    process.stdout.write(`Segscope is ready at ${server.url}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`segscope serve: ${describeStartError(e, flags)}\n`);
    return 1;
  }
}

export function describeStartError(e: unknown, flags: { port: number; host: string; db: string }): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') return `port ${flags.port} on ${flags.host} is in use; pick another with --port`;
  if (err?.code === 'EACCES') return `not allowed to listen on ${flags.host}:${flags.port}`;
  const message = err instanceof Error ? err.message : String(e);
  if (/lock/i.test(message)) return `the database ${flags.db} is in use by another process (is segscope already running?): ${message}`;
  if (e instanceof UsageError) return message;
  return message;
}
