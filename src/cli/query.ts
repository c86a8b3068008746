// `segscope query`: one segmentation against the store file directly (no server), with the same
// validation and errors as the API; expression errors point at their column with a caret.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SegmentationResult } from '../report/types.ts';
import { RequestError, validateSegmentationRequest } from '../report/validate.ts';
import { toHttpError } from '../server/errors.ts';
import { DEFAULT_DB, DEFAULT_QUERY_TIMEOUT_MS } from '../server/defaults.ts';
import { intFlag, UsageError } from './args.ts';
import { formatCsv, formatTable } from './format.ts';

const OPTIONS = {
  event: { type: 'string', short: 'e' },
  from: { type: 'string' },
  to: { type: 'string' },
  where: { type: 'string', short: 'w' },
  on: { type: 'string' },
  unit: { type: 'string', short: 'u' },
  type: { type: 'string', short: 't' },
  limit: { type: 'string' },
  buckets: { type: 'string' },
  format: { type: 'string', short: 'f' },
  db: { type: 'string' },
  store: { type: 'string' },
  'query-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: segscope query --event E --from YYYY-MM-DD --to YYYY-MM-DD [options]

  --where TEXT        keep events where this expression is true
  --on TEXT           segment by this expression
  --unit U            minute, hour, day (default), week, month
  --type T            general (default), unique, average
  --limit N           top N segments (default 60, at most 10,000)
  --buckets N         group a numeric --on into N equal-width ranges
  --format F          table (default), json, csv
  --db PATH           DuckDB file (default ${DEFAULT_DB})
  --store SPEC        the store instead: a DuckDB path, clickhouse://user:pass@host:8123/db or chdb:PATH
                      (default: $SEGSCOPE_STORE, else --db)
  --query-timeout MS  time budget (default ${DEFAULT_QUERY_TIMEOUT_MS})
`;

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export async function run(argv: string[], io: { out?: (t: string) => void; err?: (t: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((t: string) => process.stdout.write(t));
  const err = io.err ?? ((t: string) => process.stderr.write(t));
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  let format: Format;
  let timeoutMs: number;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
    if (values.help) {
      out(HELP);
      return 0;
    }
    format = (values.format ?? 'table') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(values.format)}`);
    timeoutMs = intFlag('query-timeout', values['query-timeout'], DEFAULT_QUERY_TIMEOUT_MS, 1, 24 * 3_600_000);
  } catch (e) {
    err(`segscope query: ${(e as Error).message}\n${HELP}`);
    return 2;
  }

  // Flags arrive as text; numbers that are all digits are meant as numbers, anything else is
  // left as text so validation names it.
  const num = (v: string | undefined): unknown => (v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : v);
  const request: Record<string, unknown> = {
    event: values.event,
    from: values.from,
    to: values.to,
    unit: values.unit,
    type: values.type,
    where: values.where,
    on: values.on,
    limit: num(values.limit),
    buckets: num(values.buckets),
  };
  for (const k of Object.keys(request)) if (request[k] === undefined) delete request[k];

  let validated;
  try {
    validated = validateSegmentationRequest(request, {
      root: '',
      names: Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, `--${k}`])),
    });
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    err(`segscope query: ${e.message}\n${caret(e)}`);
    return 2;
  }

  // --store / SEGSCOPE_STORE: a DuckDB path, clickhouse://… or chdb:PATH (docs/clickhouse.md).
  const { describeStoreSpec, openStoreSpec, resolveStoreSpec } = await import('../server/store/open.ts');
  let spec;
  try {
    spec = resolveStoreSpec({ store: values.store, db: values.db, defaultDb: DEFAULT_DB });
  } catch (e) {
    err(`segscope query: ${(e as Error).message}\n`);
    return 2;
  }
  const db = spec.kind === 'duckdb' ? spec.path : describeStoreSpec(spec);
  if (spec.kind === 'duckdb' && db !== ':memory:' && !existsSync(db)) {
    err(`segscope query: no database at ${db}; run \`segscope serve\` once to create one with sample data, or pass --db PATH\n`);
    return 1;
  }
  // Loaded only now, so usage and validation errors answer without starting DuckDB.
  const { runWithinBudget } = await import('../server/budget.ts');
  const { finishMeta } = await import('../server/routes/segmentation.ts');
  let store;
  try {
    store = await openStoreSpec(spec);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    err(`segscope query: cannot open ${db}${/lock/i.test(message) ? ' (is segscope serve using it? stop it or query over HTTP)' : ''}: ${message}\n`);
    return 1;
  }
  try {
    const started = performance.now();
    const result: SegmentationResult = finishMeta(await runWithinBudget(store, validated.query, { timeoutMs, now: new Date() }), validated, started);
    for (const w of result.meta.warnings) err(`warning: ${w}\n`);
    if (format === 'json') out(`${JSON.stringify(result, null, 2)}\n`);
    else if (format === 'csv') out(formatCsv(result));
    else out(formatTable(result));
    return 0;
  } catch (e) {
    const known = toHttpError(e);
    err(`segscope query: ${known ? known.message : `internal error: ${e instanceof Error ? e.message : String(e)}`}\n`);
    return known && known.statusCode < 500 ? 2 : 1;
  } finally {
    await store.close();
  }
}

/** The offending line of an expression with a caret under the column, or '' when there is no position. */
export function caret(e: RequestError): string {
  if (!e.source || e.line === null || e.column === null) return '';
  const line = e.source.text.split('\n')[e.line - 1] ?? '';
  return `  ${line}\n  ${' '.repeat(Math.max(0, e.column - 1))}^\n`;
}
