// The import's reading thread: reads, decompresses, splits, parses and validates the files, takes
// the valid events apart (event-columns.ts) and posts batches to the writing thread, which only
// resolves identities and writes. On 2 cores the two halves run side by side; before, one thread
// did both in turn. It runs at most MAX_AHEAD batches ahead of the writer, so memory stays
// bounded on files larger than memory.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { EventColumns } from '../store/chunk-writer.ts';
import { EventColumnsBuilder, transferables } from './event-columns.ts';
import { openRecordSource, MAX_LINE_CHARS, type FileRecord } from './file-records.ts';
import { normalizeEvent } from './validate.ts';
import { mayHoldLoneSurrogates, wellFormed } from './unicode.ts';

export type Rejected = { file: string; line: number; field: string; reason: string; text: string };

export type ImportWorkerData = { files: string[]; batchEvents: number; progressEveryMs: number };

export type Progress = { file: string; bytesRead: number; bytesTotal: number; records: number };

/** worker → writer. `records`: lines read so far in all files (valid or not). */
export type WorkerMessage =
  | { type: 'batch'; batch: EventColumns; rejected: Rejected[]; progress: Progress }
  | { type: 'progress'; progress: Progress }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** writer → worker: one batch written; its buffers come back for reuse. */
export type WriterMessage = { type: 'ack'; batch: EventColumns };

const MAX_AHEAD = 2;
/** A batch is sent early when its strings reach this many bytes (events may be up to 1 MB each). */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;

async function main(port: NonNullable<typeof parentPort>, data: ImportWorkerData): Promise<void> {
  let unacked = 0;
  let wake: (() => void) | null = null;
  const builder = new EventColumnsBuilder();
  port.on('message', (m: WriterMessage) => {
    if (m.type !== 'ack') return;
    builder.recycle(m.batch);
    unacked--;
    wake?.();
  });
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

  let records = 0;
  let lastProgress = performance.now();
  for (const file of data.files) {
    const bytesTotal = statSync(file).size;
    const source = await openRecordSource(file);
    const progress = (): Progress => ({ file, bytesRead: source.bytesRead(), bytesTotal, records });
    let rejected: Rejected[] = [];
    const send = async (): Promise<void> => {
      while (unacked >= MAX_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const batch = builder.take();
      unacked++;
      post({ type: 'batch', batch, rejected, progress: progress() }, transferables(batch));
      rejected = [];
    };
    const reject = (r: Rejected): void => {
      rejected.push(r);
    };
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
      if (chunk.length > 0) lastLine = chunk[chunk.length - 1]!.line;
      const nowMs = Date.now();
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
        if (r.ok) builder.add(r.event);
        else reject({ file, line: rec.line, field: r.rejection.field, reason: r.rejection.message, text: rec.text.slice(0, 1000) });
        if (builder.rows >= data.batchEvents || builder.bytes >= MAX_BATCH_BYTES) await send();
      }
      const t = performance.now();
      if (t - lastProgress >= data.progressEveryMs) {
        lastProgress = t;
        post({ type: 'progress', progress: progress() });
      }
    }
    if (builder.rows > 0 || rejected.length > 0) await send();
  }
  while (unacked > 0) await new Promise<void>((resolve) => (wake = resolve));
  post({ type: 'done' });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as ImportWorkerData).catch((e: unknown) => {
    port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerMessage);
  });
}
