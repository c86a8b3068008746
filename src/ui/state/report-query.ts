// The question on screen: the one model every editor writes and the runner and router read.
// Apps set it with one set({...}) per user intent.
import { TypedModel } from '../core/typed-model.ts';
import { stripSpans } from '../../expr/ast.ts';
import type { Expr } from '../../expr/ast.ts';
import { DEFAULT_LIMIT } from '../../report/types.ts';
import type { Measure, SegmentationRequest, Unit } from '../../report/types.ts';
import { presetDates, todayUtc } from './dates.ts';
import type { Range } from './dates.ts';

export type ChartType = 'line' | 'bar' | 'stacked';
export const CHART_TYPES: readonly ChartType[] = ['line', 'bar', 'stacked'];

export type ReportQueryAttrs = {
  event: string | null;
  where: Expr | null;
  on: Expr | null;
  range: Range;
  from: string; // YYYY-MM-DD, UTC; kept in step with `range` for presets
  to: string;
  unit: Unit;
  type: Measure;
  limit: number;
  buckets: number | null;
  chart: ChartType;
};

/** The attributes that change what the API is asked (not how the answer is drawn). */
export const REQUEST_ATTRS = ['event', 'where', 'on', 'range', 'from', 'to', 'unit', 'type', 'limit', 'buckets'] as const;

export function defaultQueryAttrs(today: string = todayUtc()): ReportQueryAttrs {
  return {
    event: null,
    where: null,
    on: null,
    range: '30d',
    ...presetDates('30d', today),
    unit: 'day',
    type: 'general',
    limit: DEFAULT_LIMIT,
    buckets: null,
    chart: 'line',
  };
}

export class ReportQuery extends TypedModel<ReportQueryAttrs> {
  override defaults(): ReportQueryAttrs {
    return defaultQueryAttrs();
  }

  /** True once there is something to ask: an event. */
  isRunnable(): boolean {
    return typeof this.get('event') === 'string' && this.get('event') !== '';
  }

  /** The dates the query covers; presets roll with `today`, custom ranges are fixed. */
  dates(today: string = todayUtc()): { from: string; to: string } {
    const range = this.get('range');
    if (range === 'custom') return { from: this.get('from'), to: this.get('to') };
    return presetDates(range, today);
  }

  /** Attributes for switching to a range, for a single set({...}). */
  rangeAttrs(range: Range, today: string = todayUtc()): Partial<ReportQueryAttrs> {
    if (range === 'custom') return { range, from: this.get('from'), to: this.get('to') };
    return { range, ...presetDates(range, today) };
  }

  /** The POST /api/segmentation body. Expressions go as span-free ASTs, never as text. */
  toRequest(today: string = todayUtc()): SegmentationRequest {
    const where = this.get('where');
    const on = this.get('on');
    const buckets = this.get('buckets');
    const req: SegmentationRequest = {
      event: this.get('event') ?? '',
      ...this.dates(today),
      unit: this.get('unit'),
      type: this.get('type'),
      limit: this.get('limit'),
      where: where ? stripSpans(where) : null,
      on: on ? stripSpans(on) : null,
    };
    if (on && typeof buckets === 'number' && buckets > 0) req.buckets = buckets;
    return req;
  }
}
