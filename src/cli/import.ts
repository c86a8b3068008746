// `segscope import FILE... [--db PATH] [--report PATH] [--batch N] [--quiet]`: Mixpanel export
// files (JSON lines or a JSON array, plain or gzipped) into the DuckDB store. Exits 1 when any record
// was rejected (they are listed in the report), 2 on bad usage.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeStoreSpec, openStoreSpec, resolveStoreSpec, type StoreSpec } from '../server/store/open.ts';
import { importFiles, type ImportProgress } from '../server/ingest/file-import.ts';
import { intFlag, UsageError } from './args.ts';

/** Same default as `segscope serve` (src/server/server.ts). */
const DEFAULT_DB = 'data/segscope.duckdb';

const HELP = `usage: segscope import FILE... [options]

Imports events in Mixpanel's export format: JSON lines of {"event", "properties"}, or one JSON
array of them; plain or gzipped. Each event needs properties.time (seconds or milliseconds).
Re-importing a file adds nothing ($insert_id, or an id derived from the event).

  --db PATH       DuckDB file to import into (default ${DEFAULT_DB}); stop \`segscope serve\` on it first,
                  or send to a running server's /import instead
  --store SPEC    the store instead: a DuckDB path, clickhouse://user:pass@host:8123/db or chdb:PATH
                  (default: $SEGSCOPE_STORE, else --db)
  --report PATH   where rejected records go, one JSON line each with its line number and reason
                  (default: <first file name>.rejected.jsonl in the current directory)
  --batch N       events per commit (default 50,000)
  --quiet         no progress line
`;

const OPTIONS = {
  db: { type: 'string' },
  store: { type: 'string' },
  report: { type: 'string' },
  batch: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function progressLine(p: ImportProgress): string {
  const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
  const rate = p.records / Math.max(p.elapsedMs / 1000, 1e-3);
  const eta = fraction > 0 ? (p.elapsedMs / 1000) * (1 / fraction - 1) : Infinity;
  return `${path.basename(p.file)}: ${(fraction * 100).toFixed(1).padStart(5)}%  ${fmt(p.records)} events  ${fmt(rate)} events/s  ETA ${clock(eta)}`;
}

export async function run(argv: string[]): Promise<number> {
  let files: string[];
  let db: string;
  let spec: StoreSpec;
  let reportPath: string;
  let batchEvents: number;
  let quiet: boolean;
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no FILE given');
    for (const f of positionals) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
    files = positionals;
    spec = resolveStoreSpec({ store: values.store, db: values.db, defaultDb: DEFAULT_DB });
    db = spec.kind === 'duckdb' ? spec.path : describeStoreSpec(spec);
    reportPath = values.report ?? `${path.basename(files[0])}.rejected.jsonl`;
    batchEvents = intFlag('batch', values.batch, 50_000, 1, 1_000_000);
    quiet = values.quiet ?? false;
  } catch (e) {
    process.stderr.write(`segscope import: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }

  const tty = process.stderr.isTTY && !quiet;
  let store;
  try {
    store = await openStoreSpec(spec);
  } catch (e) {
    const message = (e as Error).message;
    const hint = /lock/i.test(message) ? ' (is `segscope serve` running on it? stop it, or send the file to its /import)' : '';
    process.stderr.write(`segscope import: cannot open ${db}: ${message}${hint}\n`);
    return 1;
  }
  try {
    const summary = await importFiles(store, files, {
      batchEvents,
      reportPath,
      onProgress: tty ? (p) => process.stderr.write(`\r\x1b[K${progressLine(p)}`) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const seconds = summary.elapsedMs / 1000;
    process.stdout.write(
      `imported ${files.length === 1 ? files[0] : `${files.length} files`} into ${db}: ${fmt(summary.records)} records read, ` +
      `${fmt(summary.stored)} stored, ${fmt(summary.duplicates)} already present, ${fmt(summary.rejected)} rejected ` +
      `in ${seconds.toFixed(1)} s (${fmt(summary.records / Math.max(seconds, 1e-3))} events/s)\n`,
    );
    if (summary.reportPath) process.stdout.write(`rejected records with line numbers and reasons: ${summary.reportPath}\n`);
    return summary.rejected > 0 ? 1 : 0;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    process.stderr.write(`segscope import: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
