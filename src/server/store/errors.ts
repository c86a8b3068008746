// Errors the DuckDB store raises, as classes so the server can map them to answers
// (a timeout is the user's query running too long, not a server fault).

/** The query ran past its time budget and was interrupted; other queries were not affected. */
export class QueryTimeoutError extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`query interrupted after exceeding its time budget of ${timeoutMs} ms`);
    this.name = 'QueryTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired (e.g. the client went away); the query was interrupted. */
export class QueryAbortedError extends Error {
  constructor() {
    super('query aborted by the caller');
    this.name = 'QueryAbortedError';
  }
}

/** `query()` accepts read statements only; writes go through `execute()` or `insertEvents()`. */
export class NotReadOnlyError extends Error {
  constructor(kind: string) {
    super(`query() runs read-only statements only (got a ${kind} statement); use execute() for writes`);
    this.name = 'NotReadOnlyError';
  }
}

/** The store was closed; no new work is accepted. */
export class StoreClosedError extends Error {
  constructor() {
    super('the store is closed');
    this.name = 'StoreClosedError';
  }
}

/** An event handed to insertEvents() does not have the StoredEvent shape. */
export class InvalidEventError extends Error {
  readonly index: number;
  constructor(index: number, message: string) {
    super(`events[${index}]: ${message}`);
    this.name = 'InvalidEventError';
    this.index = index;
  }
}
