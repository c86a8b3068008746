// Importing export files into a store: each record is parsed and validated like an /import event,
// valid ones go through the same batch writer (aliases, dedupe), rejected ones are reported with
// their line numbers. Re-importing a file adds nothing: ids are kept or derived from the content.
import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import type { Store, StoredEvent } from '../store/types.ts';
import { openRecordSource, MAX_LINE_CHARS, type FileRecord } from './file-records.ts';
import { normalizeEvent } from './validate.ts';
import { IngestWriter } from './writer.ts';
import { mayHoldLoneSurrogates, wellFormed } from './unicode.ts';

export type ImportProgress = { file: string; bytesRead: number; bytesTotal: number; records: number; elapsedMs: number };

export type ImportOptions = {
  /** Events per commit. */
  batchEvents?: number;
  /** Where rejected records go (JSON lines); created only when something is rejected. */
  reportPath: string;
  onProgress?: (p: ImportProgress) => void;
  progressEveryMs?: number;
  now?: () => number;
};

export type ImportSummary = {
  files: number;
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
  elapsedMs: number;
  reportPath: string | null;
};

export type Rejected = { file: string; line: number; field: string; reason: string; text: string };

export async function importFiles(store: Store, files: string[], options: ImportOptions): Promise<ImportSummary> {
  const start = performance.now();
  const batchEvents = options.batchEvents ?? 50_000;
  const writer = await IngestWriter.open(store, { batchEvents, flushMs: 0, maxQueued: Number.MAX_SAFE_INTEGER });
  const now = options.now ?? Date.now;
  let report: WriteStream | null = null;
  let rejected = 0;
  let records = 0;
  const reject = (r: Rejected): void => {
    rejected++;
    report ??= createWriteStream(options.reportPath);
    report.write(`${JSON.stringify(r)}\n`);
  };

  // One commit in flight while the next batch is parsed.
  let inflight: Promise<void> | null = null;
  const send = async (events: StoredEvent[]): Promise<void> => {
    if (inflight) await inflight;
    inflight = events.length > 0 ? writer.submit(events) : null;
  };

  try {
    for (const file of files) {
      const bytesTotal = statSync(file).size;
      const source = await openRecordSource(file);
      let pending: StoredEvent[] = [];
      let lastProgress = 0;
      let lastLine = 0;
      const chunks = source.chunks();
      for (;;) {
        let next: IteratorResult<FileRecord[]>;
        try {
          next = await chunks.next();
        } catch (e) {
          throw new Error(`${file}: cannot read ${source.gzipped ? 'gzip ' : ''}data after line ${lastLine}: ${(e as Error).message}`);
        }
        if (next.done) break;
        const chunk = next.value;
        if (chunk.length > 0) lastLine = chunk[chunk.length - 1].line;
        const nowMs = now();
        for (const rec of chunk) {
          records++;
          if (rec.tooLong) {
            reject({ file, line: rec.line, field: '', reason: `line is longer than ${MAX_LINE_CHARS} characters`, text: rec.text });
            continue;
          }
          let raw: unknown;
          try {
            raw = JSON.parse(rec.text);
            if (mayHoldLoneSurrogates(rec.text)) raw = wellFormed(raw);
          } catch (e) {
            reject({ file, line: rec.line, field: '', reason: `invalid JSON: ${(e as Error).message}`, text: rec.text.slice(0, 1000) });
            continue;
          }
          const r = normalizeEvent(raw, rec.line, { endpoint: 'import', nowMs }, rec.text);
          if (r.ok) pending.push(r.event);
          else reject({ file, line: rec.line, field: r.rejection.field, reason: r.rejection.message, text: rec.text.slice(0, 1000) });
        }
        if (pending.length >= batchEvents) {
          await send(pending);
          pending = [];
        }
        const t = performance.now();
        if (options.onProgress && t - lastProgress >= (options.progressEveryMs ?? 250)) {
          lastProgress = t;
          options.onProgress({ file, bytesRead: source.bytesRead(), bytesTotal, records, elapsedMs: t - start });
        }
      }
      await send(pending);
    }
    if (inflight) await inflight;
    await writer.close();
  } finally {
    if (report) await new Promise<void>((resolve) => (report as WriteStream).end(resolve));
  }
  return {
    files: files.length,
    records,
    stored: writer.stats.inserted,
    duplicates: writer.stats.duplicates,
    rejected,
    elapsedMs: performance.now() - start,
    reportPath: rejected > 0 ? options.reportPath : null,
  };
}
