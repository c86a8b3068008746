// Read connections. @duckdb/node-api runs one statement at a time per connection, and
// `connection.interrupt()` stops whatever that connection is running, so each read query borrows
// a connection for its whole run: a timeout interrupts exactly that query and nothing else.

import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryAbortedError, QueryTimeoutError, StoreClosedError } from './errors.ts';

type Waiter = { resolve: (connection: DuckDBConnection) => void; reject: (error: Error) => void };

export class ConnectionPool {
  readonly #idle: DuckDBConnection[];
  readonly #waiters: Waiter[] = [];
  readonly #all: readonly DuckDBConnection[];
  /** Work in progress: how to stop it, and when it has settled. */
  readonly #inFlight = new Map<symbol, { cancel: (error: Error) => void; settled: Promise<unknown> }>();
  #closed = false;

  constructor(connections: DuckDBConnection[]) {
    this.#all = connections;
    this.#idle = [...connections];
  }

  get size(): number {
    return this.#all.length;
  }

  /**
   * Run `work` on a borrowed connection. The budget (timeoutMs) counts from the call, waiting
   * included; when it runs out, or `signal` aborts, a running statement is interrupted and the
   * promise rejects with QueryTimeoutError / QueryAbortedError.
   */
  async use<T>(work: (connection: DuckDBConnection) => Promise<T>, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const { timeoutMs, signal } = options;
    if (signal?.aborted) throw new QueryAbortedError();
    let connection: DuckDBConnection | undefined;
    let running = false;
    let stop: Error | undefined;
    let rejectEarly: ((error: Error) => void) | undefined;
    const cancel = (error: Error) => {
      if (stop) return;
      stop = error;
      if (running && connection) connection.interrupt();
      rejectEarly?.(error);
    };
    const timer = timeoutMs !== undefined && timeoutMs > 0 ? setTimeout(() => cancel(new QueryTimeoutError(timeoutMs)), timeoutMs) : undefined;
    const onAbort = () => cancel(new QueryAbortedError());
    signal?.addEventListener('abort', onAbort, { once: true });
    const stopped = new Promise<never>((_, reject) => (rejectEarly = reject));
    stopped.catch(() => {});
    const key = Symbol('query');
    let settle!: () => void;
    this.#inFlight.set(key, {
      // An interrupt that lands before the statement starts is lost, so close() repeats it.
      cancel: (error) => (stop ? running && connection?.interrupt() : cancel(error)),
      settled: new Promise<void>((resolve) => (settle = resolve)),
    });
    try {
      const acquiring = this.#acquire();
      connection = await Promise.race([acquiring, stopped]).catch((error: unknown) => {
        // Gave up waiting: hand the connection back as soon as it arrives.
        acquiring.then((late) => this.#release(late), () => {});
        throw error;
      });
      if (stop) throw stop;
      running = true;
      try {
        return await work(connection);
      } catch (error) {
        // An interrupted statement fails with DuckDB's INTERRUPT error; report why we stopped it.
        throw stop ?? error;
      } finally {
        running = false;
      }
    } finally {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (connection) this.#release(connection);
      this.#inFlight.delete(key);
      settle();
    }
  }

  #acquire(): Promise<DuckDBConnection> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    const connection = this.#idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #release(connection: DuckDBConnection): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.#idle.push(connection);
  }

  /** Refuse new work, interrupt what runs (it rejects with StoreClosedError), then close. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new StoreClosedError());
    const work = [...this.#inFlight.values()];
    const interruptAll = () => work.forEach((item) => item.cancel(new StoreClosedError()));
    interruptAll();
    const again = setInterval(interruptAll, 50);
    try {
      await Promise.all(work.map((item) => item.settled));
    } finally {
      clearInterval(again);
    }
    for (const connection of this.#all) connection.closeSync();
  }
}
