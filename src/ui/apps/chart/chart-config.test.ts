import { describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../report/types.ts';
import { SegmentColors } from '../../palette.ts';
import { chartDatasets, chartOptions, THIN_LINES_PAST, valueOf } from './chart-config.ts';
import { buildSeries, segmentPoints } from './datasets.ts';
import type { Point } from './datasets.ts';

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

function result(n: number): SegmentationResult {
  const values: SegmentationResult['values'] = {};
  const totals: SegmentationResult['totals'] = {};
  for (let i = 0; i < n; i++) {
    values[`s${i}`] = { [DAYS[0]]: i, [DAYS[1]]: 2 * i, [DAYS[2]]: 1000 + i };
    totals[`s${i}`] = 1000 + 4 * i;
  }
  return {
    series: DAYS,
    values,
    totals,
    meta: {
      event: 'Purchase', from: DAYS[0], to: DAYS[2], unit: 'day', type: 'general', time_zone: 'UTC',
      where: null, on: 'properties["x"]', segments_found: n, segments_returned: n,
      events_matched: 1, rows_scanned: 0, elapsed_ms: 1, sql: '', warnings: [],
    },
  };
}

const inputs = { chart: 'line' as const, measure: 'general' as const, segments: 3, unit: () => 'day' as const, onLegendClick: null };

describe('chartDatasets', () => {
  it('hands Chart.js unparsed {x: bucket index, y} points with the exact numbers', () => {
    const data = result(2);
    const series = buildSeries(data, ['s1', 's0'], new SegmentColors());
    const [first] = chartDatasets(series, 'line', 'day');
    expect(first.data).toEqual([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 1001 }]);
    expect(chartOptions(inputs).parsing).toBe(false);
    for (const kind of ['bar', 'stacked'] as const) {
      expect(chartDatasets(series, kind, 'day').map((d) => d.data)).toEqual(series.datasets.map((d) => d.points));
    }
  });

  it('draws lines 1 px wide once more than a dozen are drawn, 2 px up to then', () => {
    const data = result(THIN_LINES_PAST + 1);
    const segments = Object.keys(data.values);
    const few = chartDatasets(buildSeries(data, segments.slice(0, THIN_LINES_PAST), new SegmentColors()), 'line', 'day');
    const many = chartDatasets(buildSeries(data, segments, new SegmentColors()), 'line', 'day');
    expect(few.map((d) => d.borderWidth)).toEqual(new Array(THIN_LINES_PAST).fill(2));
    expect(many.map((d) => d.borderWidth)).toEqual(new Array(THIN_LINES_PAST + 1).fill(1));
  });
});

describe('segmentPoints', () => {
  it('builds a segment\'s points once per answer', () => {
    const data = result(3);
    const a = segmentPoints(data, 's2', [2, 4, 1002]);
    expect(segmentPoints(data, 's2', [2, 4, 1002])).toBe(a);
    expect(segmentPoints(data, 's1', [1, 2, 1001])).not.toBe(a);
    // Another answer (even with equal numbers) gets its own points.
    expect(segmentPoints(result(3), 's2', [2, 4, 1002])).not.toBe(a);
    expect(a).toEqual([{ x: 0, y: 2 }, { x: 1, y: 4 }, { x: 2, y: 1002 }]);
  });

  it('is what buildSeries draws, so ticking more segments reuses the points already built', () => {
    const data = result(3);
    const colors = new SegmentColors();
    const before = buildSeries(data, ['s2'], colors).datasets[0].points;
    const after = buildSeries(data, ['s2', 's1', 's0'], colors).datasets.find((d) => d.segment === 's2')!.points;
    expect(after).toBe(before);
  });
});

describe('tooltips read the exact number of the point', () => {
  const item = (y: number, datasetIndex = 0) => ({ raw: { x: 1, y } as Point, datasetIndex, dataset: { label: '<b>x</b>' } });
  const tooltip = chartOptions(inputs).plugins!.tooltip!;

  it('labels a line with its own value, formatted', () => {
    const label = tooltip.callbacks!.label as unknown as (i: ReturnType<typeof item>) => string;
    expect(label(item(12408))).toBe(' <b>x</b>: 12,408');
    expect(valueOf(item(0.5))).toBe(0.5);
  });

  it('sorts and keeps the largest values first', () => {
    const sort = tooltip.itemSort as unknown as (a: ReturnType<typeof item>, b: ReturnType<typeof item>) => number;
    const items = [item(3, 0), item(10, 1), item(7, 2)];
    expect([...items].sort(sort).map((i) => i.datasetIndex)).toEqual([1, 2, 0]);
    const filter = tooltip.filter as unknown as (i: ReturnType<typeof item>, n: number, all: ReturnType<typeof item>[]) => boolean;
    const many = Array.from({ length: 20 }, (_, i) => item(i, i));
    const kept = many.filter((i, n) => filter(i, n, many)).map((i) => i.datasetIndex);
    expect(kept).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

describe('the stacked tooltip footer', () => {
  it('adds the segments at that bucket from their points', () => {
    const footer = chartOptions({ ...inputs, chart: 'stacked' }).plugins!.tooltip!.callbacks!.footer as unknown as (
      this: unknown,
      items: { dataIndex: number }[],
    ) => string[];
    const datasets = [{ data: [{ x: 0, y: 5 }, { x: 1, y: 1200 }] }, { data: [{ x: 0, y: 7 }, { x: 1, y: 34 }] }, { data: [{ x: 0, y: 1 }, { x: 1, y: 0 }] }];
    const self = { chart: { data: { datasets } } };
    expect(footer.call(self, [{ dataIndex: 1 }, { dataIndex: 1 }])).toEqual(['+1 more segments', 'Total: 1,234']);
    expect(footer.call(self, [{ dataIndex: 0 }, { dataIndex: 0 }, { dataIndex: 0 }])).toEqual(['Total: 13']);
  });
});
