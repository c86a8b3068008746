// Importing export files into a store: each record is parsed and validated like an /import event,
// valid ones are committed in batches with the same rules as the batch writer (aliases, dedupe),
// rejected ones are reported with their line numbers. Re-importing a file adds nothing: ids are
// kept or derived from the content.
//
// Two threads: a worker (import-worker.ts) reads, parses, validates and takes the events apart;
// this thread writes. On one thread the reading side was about half the JS time and ran before
// each write instead of beside it. Measured (bench/ingest.ts's events, shared 2-core box at load
// ~2, back to back): 500k events 69-71k → 80k events/s, 1M events 89-96k events/s; total CPU per
// event about the same (~20 µs), so on a busy machine the gain shrinks to what its neighbours
// leave of the second core.
import { createWriteStream, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Store } from '../store/types.ts';
import type { EventColumns } from '../store/chunk-writer.ts';
import { ColumnCommitter } from './column-commit.ts';
import { transferables } from './event-columns.ts';
import type { ImportWorkerData, Rejected, WorkerMessage, WriterMessage } from './import-worker.ts';

export type { Rejected } from './import-worker.ts';

export type ImportProgress = { file: string; bytesRead: number; bytesTotal: number; records: number; elapsedMs: number };

export type ImportOptions = {
  /** Events per commit. */
  batchEvents?: number;
  /** Where rejected records go (JSON lines); created only when something is rejected. */
  reportPath: string;
  onProgress?: (p: ImportProgress) => void;
  progressEveryMs?: number;
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

/** tsx's loader API: the worker registers it first, so it runs TypeScript like this thread. */
function tsxLoader(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve === 'function') return resolve('tsx/esm/api');
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
}

function startWorker(data: ImportWorkerData): Worker {
  const script = new URL('./import-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxLoader())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** The worker's messages in order, as an async iterator; its crash ends it with an error. */
async function* messagesOf(worker: Worker): AsyncGenerator<WorkerMessage> {
  const queue: WorkerMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the import's reading thread stopped (exit code ${code})`);
    wake?.();
  });
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (failure) throw failure;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

export async function importFiles(store: Store, files: string[], options: ImportOptions): Promise<ImportSummary> {
  const start = performance.now();
  const committer = await ColumnCommitter.open(store);
  let report: WriteStream | null = null;
  let rejected = 0;
  let records = 0;
  const worker = startWorker({ files, batchEvents: options.batchEvents ?? 50_000, progressEveryMs: options.progressEveryMs ?? 250 });
  const ack = (batch: EventColumns): void => worker.postMessage({ type: 'ack', batch } satisfies WriterMessage, transferables(batch));
  const progress = (p: Omit<ImportProgress, 'elapsedMs'>): void => {
    records = p.records;
    options.onProgress?.({ ...p, elapsedMs: performance.now() - start });
  };
  try {
    for await (const m of messagesOf(worker)) {
      if (m.type === 'done') break;
      if (m.type === 'error') throw new Error(m.message);
      if (m.type === 'progress') {
        progress(m.progress);
        continue;
      }
      for (const r of m.rejected) {
        rejected++;
        report ??= createWriteStream(options.reportPath);
        report.write(`${JSON.stringify(r satisfies Rejected)}\n`);
      }
      if (m.batch.rows > 0) await committer.commit(m.batch);
      ack(m.batch);
      progress(m.progress);
    }
  } finally {
    await worker.terminate();
    if (report) await new Promise<void>((resolve) => (report as WriteStream).end(resolve));
  }
  return {
    files: files.length,
    records,
    stored: committer.stats.inserted,
    duplicates: committer.stats.duplicates,
    rejected,
    elapsedMs: performance.now() - start,
    reportPath: rejected > 0 ? options.reportPath : null,
  };
}
