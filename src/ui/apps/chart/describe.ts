// The chart in words: the aria-label summary, the "drawing N of M" notice, and the sentences shown
// where the chart would be when there is nothing to draw or the API refused. Pure.
import type { Measure, SegmentationResult } from '../../../report/types.ts';
import type { ChartType } from '../../state/report-query.ts';
import type { ResultError } from '../../state/report-result.ts';
import { formatNumber } from '../../format.ts';
import type { DrawnSeries } from './datasets.ts';
import { rangeText } from './axis-format.ts';

const CHART_NOUN: Record<ChartType, string> = {
  line: 'Line chart',
  bar: 'Bar chart',
  stacked: 'Stacked bar chart',
};

const MEASURE_NOUN: Record<Measure, string> = {
  general: 'total events',
  unique: 'unique users',
  average: 'average events per user',
};

/** "Line chart of Purchase, total events per day, Nov 1 – Nov 30, 5 segments; highest Chrome 6,201". */
export function chartSummary(chart: ChartType, data: SegmentationResult, series: DrawnSeries, now?: Date): string {
  const m = data.meta;
  const head = `${CHART_NOUN[chart]} of ${m.event}, ${MEASURE_NOUN[m.type]} per ${m.unit}, ${rangeText(m.from, m.to, now)}`;
  if (m.on === null) {
    const only = series.datasets[0];
    return only ? `${head}; total ${formatNumber(data.totals[only.segment])}` : head;
  }
  const n = series.datasets.length;
  const count = n === series.found ? `${series.found} segment${series.found === 1 ? '' : 's'}` : `${n} of ${series.found} segments drawn`;
  const top = series.datasets[0];
  const highest = top ? `; highest ${top.label} ${formatNumber(data.totals[top.segment])}` : '';
  return `${head}, by ${m.on}, ${count}${highest}`;
}

/** Said above the chart when the table holds more segments than the chart draws; null when all are drawn. */
export function drawingNotice(series: DrawnSeries, interactive: boolean, legendMax = Infinity): string | null {
  const n = series.datasets.length;
  const noLegend = n > legendMax ? (interactive ? 'colours are listed in the table' : 'too many for a legend') : null;
  if (n >= series.found) return noLegend && `Drawing all ${n} segments; ${noLegend}`;
  const base = `Drawing ${n} of ${formatNumber(series.found)} segments`;
  if (!interactive) return noLegend ? `${base}; ${noLegend}` : base;
  return noLegend ? `${base}; ${noLegend}, tick more there` : `${base}; tick more in the table`;
}

/** Only an empty answer needs words: no segments, or no events passed the filters. */
export function isEmpty(data: SegmentationResult): boolean {
  return data.meta.events_matched === 0 || Object.keys(data.values).length === 0;
}

const PRESET_WORDS: Record<string, string> = {
  '7d': 'in the last 7 days',
  '30d': 'in the last 30 days',
  '90d': 'in the last 90 days',
};

/** "No Purchase events match these filters in the last 30 days." */
export function emptyMessage(data: SegmentationResult, range: string | null, now?: Date): string {
  const m = data.meta;
  const when = (range !== null && PRESET_WORDS[range]) || `between ${rangeText(m.from, m.to, now).replace(' – ', ' and ')}`;
  const what = m.where === null ? `No ${m.event} events were recorded` : `No ${m.event} events match these filters`;
  return `${what} ${when}.`;
}

export type ErrorWords = { title: string; detail: string; advice: string };

/** An API or network error as a title, the server's own message, and what to do next. */
export function errorMessage(error: ResultError): ErrorWords {
  const at = error.line !== null && error.column !== null ? ` at line ${error.line}, column ${error.column}` : '';
  const inWhat = error.path ? ` (${error.path})` : '';
  const detail = `${error.message}${at}${inWhat}`;
  const code = error.code;
  if (code === 'invalid_expression' || code === 'expression_too_large' || error.line !== null) {
    return {
      title: 'This query cannot be run',
      detail,
      advice: 'Fix the expression in the query panel ("Edit as expression" marks the exact position); the report runs again by itself.',
    };
  }
  if (code === 'too_many_buckets') {
    return { title: 'Too many time buckets', detail, advice: 'Pick a coarser unit (day, week or month) or a shorter date range.' };
  }
  if (code === 'query_timeout' || code === 'timeout') {
    return { title: 'The query took too long', detail, advice: 'Try a shorter date range, a coarser unit, or a lower segment limit.' };
  }
  if (code === 'network') {
    return { title: 'The Segscope server did not answer', detail, advice: 'Check that the server is running and reachable, then reload the page.' };
  }
  if (code === 'internal' || /^http_5\d\d$/.test(code)) {
    return { title: 'The server failed to compute this report', detail, advice: 'Try again in a moment; if it keeps failing, the server log says why.' };
  }
  return {
    title: 'This query cannot be run',
    detail,
    advice: 'Change the setting named above in the query panel; the report runs again by itself.',
  };
}
