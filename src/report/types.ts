// The segmentation query and its answer: the contract between the UI, the API and the engine.
import type { Expr } from '../expr/ast.ts';

export const UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type Unit = (typeof UNITS)[number];
export const MEASURES = ['general', 'unique', 'average'] as const;
export type Measure = (typeof MEASURES)[number];

export const DEFAULT_LIMIT = 60;
export const MAX_LIMIT = 10_000;
/** The most buckets one range × unit may produce. */
export const MAX_BUCKETS = 10_000;
/** The most numeric `buckets` (equal-width ranges) a numeric `on` may ask for. */
export const MAX_NUMERIC_BUCKETS = 1_000;

/** POST /api/segmentation body. `where`/`on` are ASTs (the UI) or expression text (scripts). */
export type SegmentationRequest = {
  event: string;
  from: string; // YYYY-MM-DD, inclusive, UTC
  to: string; // YYYY-MM-DD, inclusive, UTC
  unit?: Unit; // default 'day'
  where?: Expr | string | null;
  on?: Expr | string | null;
  type?: Measure; // default 'general'
  limit?: number; // default 60, at most 10,000
  buckets?: number; // numeric `on` only: N equal-width ranges
};

/** A validated request: expressions are checked ASTs, defaults filled in. */
export type SegmentationQuery = {
  event: string;
  from: string;
  to: string;
  unit: Unit;
  where: Expr | null;
  on: Expr | null;
  type: Measure;
  limit: number;
  buckets: number | null;
};

/**
 * Bucket labels: minute "YYYY-MM-DD HH:MM:00", hour "YYYY-MM-DD HH:00:00", day "YYYY-MM-DD",
 * week "YYYY-MM-DD" (the Monday), month "YYYY-MM-01". All UTC.
 * Without `on`, the one segment is the event name. With `on`, undefined/null is the segment "undefined".
 */
export type SegmentationResult = {
  series: string[]; // every bucket label in order
  values: Record<string, Record<string, number>>; // segment -> bucket -> number (zero-filled)
  totals: Record<string, number>; // segment -> total over the range (unique: distinct over the range)
  meta: {
    event: string;
    from: string;
    to: string;
    unit: Unit;
    type: Measure;
    time_zone: 'UTC';
    where: string | null; // canonical text of the checked `where`
    on: string | null; // canonical text of the checked `on`
    segments_found: number;
    segments_returned: number;
    events_matched: number; // events (or event × segment rows are not counted twice) that passed `where`
    rows_scanned: number;
    elapsed_ms: number;
    sql: string;
    warnings: string[];
  };
};

/** Every user error the API answers with (HTTP 400). */
export type ApiError = {
  error: { code: string; message: string; line: number | null; column: number | null; path: string | null };
};
