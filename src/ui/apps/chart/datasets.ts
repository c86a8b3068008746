// The series the chart draws, as plain data: which segments, in which order, in which colour.
// Pure, so the rules (hidden segments, the maxDrawn cap, stable colours) are tested without a canvas.
import type { SegmentationResult } from '../../../report/types.ts';
import type { SegmentColors } from '../../palette.ts';
import { isNotSet, segmentLabel } from '../../segments.ts';

/** A value in Chart.js's internal form for a category x axis: x is the bucket's index. */
export type Point = { x: number; y: number };

export type DrawnDataset = {
  segment: string; // the API's key ("undefined" for not set)
  label: string; // what the legend says ("(not set)")
  data: number[]; // one number per bucket, in `labels` order
  points: Point[]; // the same numbers as Chart.js takes them unparsed (see segmentPoints)
  color: string;
  dash: number[];
};

export type DrawnSeries = {
  labels: string[]; // bucket labels exactly as the API sent them
  datasets: DrawnDataset[];
  found: number; // segments in the answer (the table lists them all)
};

/** `drawn` is SeriesSelection.drawn(ranked): the segments to draw, in rank order. */
export function buildSeries(data: SegmentationResult, drawn: readonly string[], colors: SegmentColors): DrawnSeries {
  const present = drawn.filter((s) => Object.prototype.hasOwnProperty.call(data.values, s));
  const styles = colors.assign(present, (s) => isNotSet(data, s));
  return {
    labels: [...data.series],
    datasets: present.map((segment) => {
      const values = data.values[segment];
      const style = styles.get(segment)!;
      const numbers = data.series.map((bucket) => values[bucket] ?? 0);
      return {
        segment,
        label: segmentLabel(data, segment),
        data: numbers,
        points: segmentPoints(data, segment, numbers),
        color: style.color,
        dash: style.dash,
      };
    }),
    found: Object.keys(data.values).length,
  };
}

/** The `data-series` attribute: what was drawn, for tests and for anyone who cannot see a canvas. */
export function seriesAttribute(series: Pick<DrawnSeries, 'labels' | 'datasets'>): string {
  return JSON.stringify({
    labels: series.labels,
    datasets: series.datasets.map((d) => ({ segment: d.segment, data: d.data })),
  });
}

const pointCache = new WeakMap<SegmentationResult, Map<string, Point[]>>();

/**
 * The chart takes its data unparsed (`parsing: false`): Chart.js's own parsing of plain numbers
 * asks the category scale for each label through its option proxies, 4,500 times for 50 × 90,
 * which was a third of the first 50-segment update. The points of a segment are built once per
 * answer, so ticking more segments or switching the chart type builds none again.
 */
export function segmentPoints(data: SegmentationResult, segment: string, numbers: readonly number[]): Point[] {
  let bySegment = pointCache.get(data);
  if (!bySegment) pointCache.set(data, (bySegment = new Map()));
  let points = bySegment.get(segment);
  if (!points || points.length !== numbers.length) {
    points = numbers.map((y, x) => ({ x, y }));
    bySegment.set(segment, points);
  }
  return points;
}
