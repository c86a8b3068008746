// Defaults shared by `serve`, `dev`, `query` and the app, in a module that loads nothing else.
export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = 'data/segscope.duckdb';
export const DEFAULT_SAMPLE_EVENTS = 1_000_000;
export const DEFAULT_SEED = 1;
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/** 1 MiB: a query body is a few KB even with a large AST; ingestion routes set their own limits. */
export const DEFAULT_BODY_LIMIT = 1_048_576;
