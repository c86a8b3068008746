import { describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../report/types.ts';
import { ReportResult } from '../../state/report-result.ts';
import { buildRows, DEFAULT_SORT, effectiveSort, nextSort, sortRows } from './rows.ts';

const SERIES = ['2026-11-01', '2026-11-02'];

function result(segments: Record<string, [number, number]>): SegmentationResult {
  const values: SegmentationResult['values'] = {};
  const totals: SegmentationResult['totals'] = {};
  for (const [k, [a, b]] of Object.entries(segments)) {
    values[k] = { [SERIES[0]]: a, [SERIES[1]]: b };
    totals[k] = a + b;
  }
  return {
    series: SERIES, values, totals,
    meta: {
      event: 'E', from: SERIES[0], to: SERIES[1], unit: 'day', type: 'general', time_zone: 'UTC', where: null,
      on: 'properties["p"]', segments_found: 0, segments_returned: 0, events_matched: 1, rows_scanned: 0, elapsed_ms: 0, sql: '', warnings: [],
    },
  };
}

const data = result({ b10: [1, 9], b9: [5, 5], A: [7, 0], undefined: [0, 2], a2: [5, 5] });
const table = buildRows(data, new ReportResult({ data }).rankedSegments());
const order = (column: string, dir: 'asc' | 'desc') => sortRows(table, { column, dir }).map((r) => r.label);

describe('table rows', () => {
  it('start largest first, ties by key, "(not set)" labelled', () => {
    expect(order('total', 'desc')).toEqual(['a2', 'b10', 'b9', 'A', '(not set)']);
    expect(table.rows.find((r) => r.segment === 'undefined')!.label).toBe('(not set)');
    expect(table.rows[0].values).toEqual([5, 5]);
  });

  it('sort by total ascending, keeping rank order among ties', () => {
    expect(order('total', 'asc')).toEqual(['(not set)', 'A', 'a2', 'b10', 'b9']);
  });

  it('sort by a bucket column', () => {
    expect(order('2026-11-02', 'desc')).toEqual(['b10', 'a2', 'b9', '(not set)', 'A']);
    expect(order('2026-11-01', 'asc')).toEqual(['(not set)', 'b10', 'a2', 'b9', 'A']);
  });

  it('sort by name the way people read it (case-insensitive, numbers numerically)', () => {
    expect(order('segment', 'asc')).toEqual(['(not set)', 'A', 'a2', 'b9', 'b10']);
    expect(order('segment', 'desc')).toEqual(['b10', 'b9', 'a2', 'A', '(not set)']);
  });

  it('fall back to the default when the sorted bucket is no longer in the table', () => {
    expect(effectiveSort(table, { column: '2025-01-01', dir: 'asc' })).toEqual(DEFAULT_SORT);
    expect(order('2025-01-01', 'asc')).toEqual(order('total', 'desc'));
  });

  it('a header click flips the sorted column, and starts names ascending and numbers descending', () => {
    expect(nextSort({ column: 'total', dir: 'desc' }, 'total')).toEqual({ column: 'total', dir: 'asc' });
    expect(nextSort({ column: 'total', dir: 'desc' }, 'segment')).toEqual({ column: 'segment', dir: 'asc' });
    expect(nextSort({ column: 'segment', dir: 'asc' }, '2026-11-01')).toEqual({ column: '2026-11-01', dir: 'desc' });
  });
});
