import { describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../report/types.ts';
import { SegmentColors } from '../../palette.ts';
import { bucketTitle, rangeText } from './axis-format.ts';
import { buildSeries } from './datasets.ts';
import { chartSummary, drawingNotice, emptyMessage, errorMessage, isEmpty } from './describe.ts';

const NOW = new Date('2026-11-26T04:00:00Z');

function result(totals: Record<string, number>, meta: Partial<SegmentationResult['meta']> = {}): SegmentationResult {
  const day = '2026-11-01';
  return {
    series: [day],
    values: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, { [day]: v }])),
    totals,
    meta: {
      event: 'Purchase', from: '2026-11-01', to: '2026-11-30', unit: 'day', type: 'general', time_zone: 'UTC',
      where: null, on: 'properties["$browser"]', segments_found: 0, segments_returned: 0,
      events_matched: Object.values(totals).reduce((a, b) => a + b, 0), rows_scanned: 0, elapsed_ms: 0, sql: '', warnings: [],
      ...meta,
    },
  };
}

describe('chartSummary', () => {
  it('names chart, event, measure, unit, range, segment count and the largest segment', () => {
    const data = result({ Chrome: 6201, Safari: 3100, Firefox: 900, Edge: 120, undefined: 87 });
    const series = buildSeries(data, ['Chrome', 'Safari', 'Firefox', 'Edge', 'undefined'], new SegmentColors());
    expect(chartSummary('line', data, series, NOW)).toBe(
      'Line chart of Purchase, total events per day, Nov 1 – Nov 30, by properties["$browser"], 5 segments; highest Chrome 6,201',
    );
  });

  it('says how many of how many are drawn when the cap or hidden segments leave some out', () => {
    const data = result({ a: 5, b: 4, c: 3 }, { type: 'unique', unit: 'week' });
    const series = buildSeries(data, ['b', 'c'], new SegmentColors());
    expect(chartSummary('stacked', data, series, NOW)).toBe(
      'Stacked bar chart of Purchase, unique users per week, Nov 1 – Nov 30, by properties["$browser"], 2 of 3 segments drawn; highest b 4',
    );
    expect(drawingNotice(series, true)).toBe('Drawing 2 of 3 segments; tick more in the table');
    expect(drawingNotice(series, false)).toBe('Drawing 2 of 3 segments');
    expect(drawingNotice(buildSeries(data, ['a', 'b', 'c'], new SegmentColors()), true)).toBeNull();
    // Past the legend's limit the notice says where the colours are.
    expect(drawingNotice(buildSeries(data, ['a', 'b', 'c'], new SegmentColors()), true, 2)).toBe('Drawing all 3 segments; colours are listed in the table');
    expect(drawingNotice(series, true, 1)).toBe('Drawing 2 of 3 segments; colours are listed in the table, tick more there');
    expect(drawingNotice(series, false, 1)).toBe('Drawing 2 of 3 segments; too many for a legend');
  });

  it('gives the total without a breakdown', () => {
    const data = result({ Purchase: 12408 }, { on: null });
    const series = buildSeries(data, ['Purchase'], new SegmentColors());
    expect(chartSummary('bar', data, series, NOW)).toBe('Bar chart of Purchase, total events per day, Nov 1 – Nov 30; total 12,408');
  });
});

describe('empty and error words', () => {
  it('explains an empty answer with the range the analyst picked', () => {
    const none = result({}, { where: 'properties["country"] == "US"' });
    expect(isEmpty(none)).toBe(true);
    expect(emptyMessage(none, '30d', NOW)).toBe('No Purchase events match these filters in the last 30 days.');
    expect(emptyMessage(result({}, {}), 'custom', NOW)).toBe('No Purchase events were recorded between Nov 1 and Nov 30.');
    expect(isEmpty(result({ Purchase: 0 }, { on: null, events_matched: 0 }))).toBe(true);
    expect(isEmpty(result({ Purchase: 1 }, { on: null }))).toBe(false);
  });

  it('points expression errors at their position and network errors at the server', () => {
    const e = errorMessage({ code: 'invalid_expression', message: "expected ')' after arguments, found ','", line: 1, column: 14, path: 'where' });
    expect(e.title).toBe('This query cannot be run');
    expect(e.detail).toBe("expected ')' after arguments, found ',' at line 1, column 14 (where)");
    expect(e.advice).toMatch(/Edit as expression/);
    const n = errorMessage({ code: 'network', message: 'Failed to fetch', line: null, column: null, path: null });
    expect(n.title).toBe('The Segscope server did not answer');
    expect(n.advice).toMatch(/server is running/);
    expect(errorMessage({ code: 'query_timeout', message: 'query timed out after 30 s', line: null, column: null, path: null }).advice).toMatch(/shorter date range/);
    expect(errorMessage({ code: 'http_502', message: 'Bad gateway', line: null, column: null, path: null }).title).toBe('The server failed to compute this report');
    expect(errorMessage({ code: 'too_many_buckets', message: 'x', line: null, column: null, path: 'unit' }).detail).toBe('x (unit)');
  });
});

describe('dates in words', () => {
  it('titles a bucket in full, in UTC', () => {
    expect(bucketTitle('2026-11-03', 'day')).toBe('Tue, Nov 3, 2026');
    expect(bucketTitle('2026-11-02', 'week')).toBe('Week of Nov 2, 2026');
    expect(bucketTitle('2026-11-01', 'month')).toBe('Nov 2026');
    expect(bucketTitle('2026-11-03 14:00:00', 'hour')).toBe('Tue, Nov 3, 2026 14:00 UTC');
  });
  it('adds years to a range only when needed', () => {
    expect(rangeText('2026-11-01', '2026-11-30', NOW)).toBe('Nov 1 – Nov 30');
    expect(rangeText('2025-12-15', '2026-01-14', NOW)).toBe('Dec 15, 2025 – Jan 14, 2026');
    expect(rangeText('2026-11-05', '2026-11-05', NOW)).toBe('Nov 5');
  });
});
