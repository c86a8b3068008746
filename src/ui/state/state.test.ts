import { describe, expect, it } from 'vitest';
import { ReportQuery } from './report-query.ts';
import { ReportResult } from './report-result.ts';
import { SeriesSelection } from './series-selection.ts';
import { addDays, isIsoDate, presetDates } from './dates.ts';
import type { SegmentationResult } from '../../report/types.ts';

describe('dates', () => {
  it('presets include today and count N days', () => {
    expect(presetDates('7d', '2026-11-26')).toEqual({ from: '2026-11-20', to: '2026-11-26' });
    expect(presetDates('30d', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
  it('validates calendar dates', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2024-2-01')).toBe(false);
  });
});

describe('ReportQuery', () => {
  it('has every default as an own attribute (defaults() method, not a class field)', () => {
    const q = new ReportQuery();
    expect(q.get('range')).toBe('30d');
    expect(q.get('limit')).toBe(60);
    expect(q.get('chart')).toBe('line');
    expect(q.get('event')).toBeNull();
    expect(q.isRunnable()).toBe(false);
  });

  it('builds the API body with rolling preset dates and span-free ASTs', () => {
    const q = new ReportQuery({ event: 'Purchase', range: '7d' });
    q.set({ where: { op: '==', args: [{ lit: 1, span: [0, 1] }, { lit: 1 }], span: [0, 6] } as never });
    const req = q.toRequest('2026-11-26');
    expect(req).toEqual({
      event: 'Purchase', from: '2026-11-20', to: '2026-11-26', unit: 'day', type: 'general', limit: 60,
      where: { op: '==', args: [{ lit: 1 }, { lit: 1 }] }, on: null,
    });
  });

  it('keeps custom dates and sends buckets only with a breakdown', () => {
    const q = new ReportQuery({ event: 'E', range: 'custom', from: '2026-01-01', to: '2026-01-31', buckets: 5 });
    expect(q.toRequest('2026-11-26')).not.toHaveProperty('buckets');
    q.set({ on: { lit: 'x' } });
    const r = q.toRequest('2026-11-26');
    expect([r.from, r.to, r.buckets]).toEqual(['2026-01-01', '2026-01-31', 5]);
  });

  it('switches range in one set with dates attached', () => {
    const q = new ReportQuery({ event: 'E' });
    let changes = 0;
    q.on('change', () => changes++);
    q.set(q.rangeAttrs('90d', '2026-11-26'));
    expect(changes).toBe(1);
    expect([q.get('from'), q.get('to')]).toEqual(['2026-08-29', '2026-11-26']);
  });
});

const result = (totals: Record<string, number>): SegmentationResult => ({
  series: ['2026-11-01'],
  values: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, { '2026-11-01': v }])),
  totals,
  meta: {} as SegmentationResult['meta'],
});

describe('ReportResult', () => {
  it('ranks segments by total, ties by key', () => {
    const r = new ReportResult({ data: result({ b: 5, a: 5, c: 9, d: 1 }) });
    expect(r.rankedSegments()).toEqual(['c', 'a', 'b', 'd']);
    expect(new ReportResult().rankedSegments()).toEqual([]);
    expect(new ReportResult().get('status')).toBe('idle');
  });
});

describe('SeriesSelection', () => {
  it('draws the first maxDrawn non-hidden segments in rank order', () => {
    const s = new SeriesSelection({ maxDrawn: 2 });
    const ranked = ['a', 'b', 'c', 'd'];
    expect(s.drawn(ranked)).toEqual(['a', 'b']);
    s.setShown('a', false);
    expect(s.drawn(ranked)).toEqual(['b', 'c']);
    expect(s.isDrawn('a', ranked)).toBe(false);
    expect(s.isDrawn('c', ranked)).toBe(true);
    expect(s.isDrawn('d', ranked)).toBe(false);
    s.setShown('a', true);
    expect(s.get('hidden')).toEqual([]);
    expect(new SeriesSelection().get('maxDrawn')).toBe(10);
  });
});
