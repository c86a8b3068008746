import { describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../report/types.ts';
import { NOT_SET_COLOR, PALETTE, SegmentColors } from '../../palette.ts';
import { ReportResult } from '../../state/report-result.ts';
import { SeriesSelection } from '../../state/series-selection.ts';
import { buildSeries, seriesAttribute } from './datasets.ts';

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

/** A result whose segment `name` has per-day values `v`; totals are their sums. */
function result(segments: Record<string, number[]>, on: string | null = 'properties["$browser"]'): SegmentationResult {
  const values: SegmentationResult['values'] = {};
  const totals: SegmentationResult['totals'] = {};
  for (const [name, v] of Object.entries(segments)) {
    values[name] = Object.fromEntries(DAYS.map((d, i) => [d, v[i] ?? 0]));
    totals[name] = v.reduce((a, b) => a + b, 0);
  }
  return {
    series: DAYS,
    values,
    totals,
    meta: {
      event: 'Purchase', from: DAYS[0], to: DAYS[2], unit: 'day', type: 'general', time_zone: 'UTC',
      where: null, on, segments_found: Object.keys(values).length, segments_returned: Object.keys(values).length,
      events_matched: Object.values(totals).reduce((a, b) => a + b, 0), rows_scanned: 0, elapsed_ms: 1, sql: '', warnings: [],
    },
  };
}

function draw(data: SegmentationResult, selection: SeriesSelection, colors = new SegmentColors()) {
  const ranked = new ReportResult({ data }).rankedSegments();
  return buildSeries(data, selection.drawn(ranked), colors);
}

describe('buildSeries', () => {
  it('draws segments in rank order with one number per bucket', () => {
    const data = result({ Safari: [1, 2, 3], Chrome: [10, 0, 5], Firefox: [0, 0, 1] });
    const s = draw(data, new SeriesSelection());
    expect(s.labels).toEqual(DAYS);
    expect(s.datasets.map((d) => [d.segment, d.data])).toEqual([
      ['Chrome', [10, 0, 5]],
      ['Safari', [1, 2, 3]],
      ['Firefox', [0, 0, 1]],
    ]);
    expect(s.found).toBe(3);
  });

  it('leaves out hidden segments and draws at most maxDrawn', () => {
    const segments: Record<string, number[]> = {};
    for (let i = 0; i < 50; i++) segments[`s${String(i).padStart(2, '0')}`] = [100 - i, 0, 0];
    const data = result(segments);
    const s = draw(data, new SeriesSelection({ hidden: ['s00', 's03'], maxDrawn: 10 }));
    expect(s.datasets.map((d) => d.segment)).toEqual(['s01', 's02', 's04', 's05', 's06', 's07', 's08', 's09', 's10', 's11']);
    expect(s.found).toBe(50);
  });

  it('labels the undefined segment "(not set)" and draws it grey, outside the palette', () => {
    const data = result({ undefined: [9, 9, 9], Chrome: [1, 1, 1] });
    const s = draw(data, new SeriesSelection());
    expect(s.datasets[0]).toMatchObject({ segment: 'undefined', label: '(not set)', color: NOT_SET_COLOR });
    expect(s.datasets[1].color).toBe(PALETTE[0]);
  });

  it('keeps an event named "undefined" as it is when there is no breakdown', () => {
    const data = result({ undefined: [1, 2, 3] }, null);
    const s = draw(data, new SeriesSelection());
    expect(s.datasets[0].label).toBe('undefined');
    expect(s.datasets[0].color).toBe(PALETTE[0]);
  });

  it('keeps each segment in its colour across edits that reorder, drop and add segments', () => {
    const colors = new SegmentColors();
    const sel = new SeriesSelection();
    const first = draw(result({ Chrome: [5, 5, 5], Safari: [3, 3, 3], Edge: [1, 1, 1] }), sel, colors);
    const before = Object.fromEntries(first.datasets.map((d) => [d.segment, d.color]));
    expect(new Set(Object.values(before)).size).toBe(3);
    // Safari overtakes Chrome, Edge is gone, Opera is new.
    const second = draw(result({ Safari: [9, 9, 9], Chrome: [5, 5, 5], Opera: [2, 2, 2] }), sel, colors);
    const after = Object.fromEntries(second.datasets.map((d) => [d.segment, d.color]));
    expect(after.Chrome).toBe(before.Chrome);
    expect(after.Safari).toBe(before.Safari);
    // Opera takes the lowest colour nobody on screen uses: Edge's, now free.
    expect(after.Opera).toBe(before.Edge);
    // Edge comes back next to Opera: it cannot share Opera's colour, so it takes a free one.
    const third = draw(result({ Safari: [9, 9, 9], Chrome: [5, 5, 5], Opera: [2, 2, 2], Edge: [1, 1, 1] }), sel, colors);
    const colours = third.datasets.map((d) => d.color);
    expect(new Set(colours).size).toBe(4);
    expect(third.datasets.find((d) => d.segment === 'Opera')!.color).toBe(before.Edge);
  });

  it('dashes the lines once more segments are drawn than there are colours', () => {
    const segments: Record<string, number[]> = {};
    for (let i = 0; i < 12; i++) segments[`s${String(i).padStart(2, '0')}`] = [100 - i, 0, 0];
    const s = draw(result(segments), new SeriesSelection({ maxDrawn: 12 }));
    expect(s.datasets.slice(0, 10).every((d) => d.dash.length === 0)).toBe(true);
    expect(s.datasets[10].color).toBe(PALETTE[0]);
    expect(s.datasets[10].dash.length).toBeGreaterThan(0);
  });

  it('writes the data-series attribute as {labels, datasets:[{segment, data}]}', () => {
    const data = result({ Chrome: [1, 2, 3], undefined: [0, 1, 0] });
    const attr = JSON.parse(seriesAttribute(draw(data, new SeriesSelection())));
    expect(attr).toEqual({
      labels: DAYS,
      datasets: [
        { segment: 'Chrome', data: [1, 2, 3] },
        { segment: 'undefined', data: [0, 1, 0] },
      ],
    });
  });
});
