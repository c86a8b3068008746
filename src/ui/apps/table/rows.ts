// The table as data: one row per segment (label, total, a number per bucket) in the order the
// analyst sorted it. Pure; the view renders a page of these and the CSV writes all of them.
import type { SegmentationResult } from '../../../report/types.ts';
import { segmentLabel } from '../../segments.ts';

/** A sort column: the segment name, the total, or a bucket label exactly as the API sent it. */
export type SortColumn = 'segment' | 'total' | string;
export type SortDir = 'asc' | 'desc';
export type Sort = { column: SortColumn; dir: SortDir };

export const DEFAULT_SORT: Sort = { column: 'total', dir: 'desc' };

export type Row = {
  segment: string; // the API's key
  label: string; // what people see ("(not set)")
  total: number;
  values: number[]; // in `series` order
  rank: number; // position in the API's rank order (largest total first)
};

export type TableData = { series: string[]; rows: Row[] };

/** Rows in rank order (`ranked` is ReportResult.rankedSegments()). */
export function buildRows(data: SegmentationResult, ranked: readonly string[]): TableData {
  const rows = ranked
    .filter((segment) => Object.prototype.hasOwnProperty.call(data.values, segment))
    .map((segment, rank) => {
      const byBucket = data.values[segment];
      return {
        segment,
        label: segmentLabel(data, segment),
        total: data.totals[segment] ?? 0,
        values: data.series.map((b) => byBucket[b] ?? 0),
        rank,
      };
    });
  return { series: [...data.series], rows };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * A new array sorted by `sort`; ties keep rank order, so equal rows never shuffle between renders.
 * A column that is not in the table (a bucket of a previous query) falls back to the default.
 */
export function sortRows(table: TableData, requested: Sort): Row[] {
  const sort = effectiveSort(table, requested);
  const sign = sort.dir === 'asc' ? 1 : -1;
  let key: (a: Row, b: Row) => number;
  if (sort.column === 'segment') {
    key = (a, b) => collator.compare(a.label, b.label);
  } else if (sort.column === 'total') {
    key = (a, b) => a.total - b.total;
  } else {
    const i = table.series.indexOf(sort.column);
    key = (a, b) => a.values[i] - b.values[i];
  }
  return [...table.rows].sort((a, b) => sign * key(a, b) || a.rank - b.rank);
}

/** What a click on a column header asks for: flip the same column, else a sensible first direction. */
export function nextSort(current: Sort, column: SortColumn): Sort {
  if (current.column === column) return { column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { column, dir: column === 'segment' ? 'asc' : 'desc' };
}

/** Whether `sort` is in effect for `column` given the table's buckets (a stale column means total). */
export function effectiveSort(table: TableData, sort: Sort): Sort {
  if (sort.column === 'segment' || sort.column === 'total' || table.series.includes(sort.column)) return sort;
  return DEFAULT_SORT;
}
