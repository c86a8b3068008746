// The series the chart draws, as plain data: which segments, in which order, in which colour.
// Pure, so the rules (hidden segments, the maxDrawn cap, stable colours) are tested without a canvas.
import type { SegmentationResult } from '../../../report/types.ts';
import type { SegmentColors } from '../../palette.ts';
import { isNotSet, segmentLabel } from '../../segments.ts';

export type DrawnDataset = {
  segment: string; // the API's key ("undefined" for not set)
  label: string; // what the legend says ("(not set)")
  data: number[]; // one number per bucket, in `labels` order
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
      return {
        segment,
        label: segmentLabel(data, segment),
        data: data.series.map((bucket) => values[bucket] ?? 0),
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
