// Chart.js options and datasets for our three chart types. Kept apart from the view so the view
// only decides when to create, update and destroy the one chart instance.
import type { ChartDataset, ChartOptions, LegendItem, TooltipItem } from 'chart.js';
import type { Measure, Unit } from '../../../report/types.ts';
import { formatBucket, formatNumber } from '../../format.ts';
import type { ChartType } from '../../state/report-query.ts';
import { bucketTitle } from './axis-format.ts';
import type { DrawnSeries, Point } from './datasets.ts';

export type JsType = 'line' | 'bar';

export function jsType(chart: ChartType): JsType {
  return chart === 'line' ? 'line' : 'bar';
}

const INK = '#3c4043';
/** Most segments the legend lists; past it the table's swatches are the legend. */
export const LEGEND_MAX = 12;
/** Tooltip lines before "+N more segments". */
const TOOLTIP_ROWS = 12;
const MUTED = '#6b7280';
const GRID = '#eceef1';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** What the options need to know at the moment they are (re)applied. */
export type OptionInputs = {
  chart: ChartType;
  /** Counts get whole-number ticks; averages may need decimals. */
  measure: Measure;
  /** Segments drawn (the legend hides past LEGEND_MAX). */
  segments: number;
  unit: () => Unit; // read at draw time: the unit of the data on screen
  onLegendClick: ((datasetIndex: number) => void) | null;
};

export function chartOptions(inputs: OptionInputs): ChartOptions<JsType> {
  const stacked = inputs.chart === 'stacked';
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // Data comes as {x: bucket index, y} points, sorted and alike in every dataset (datasets.ts).
    parsing: false,
    normalized: true,
    interaction: { mode: 'index', intersect: false },
    layout: { padding: { top: 4, right: 8 } },
    scales: {
      x: {
        type: 'category',
        stacked,
        grid: { display: false },
        border: { color: '#d0d4d9' },
        ticks: {
          color: MUTED,
          font: { family: FONT, size: 11 },
          maxRotation: 0,
          autoSkip: true,
          autoSkipPadding: 16,
          // Labels of one unit are alike in length ("Nov 3", "Nov 30"): measuring a dozen says how
          // many fit as well as measuring all 90 (which was a part of every update's layout).
          sampleSize: 12,
          callback(value) {
            return formatBucket(this.getLabelForValue(Number(value)), inputs.unit());
          },
        },
      },
      y: {
        type: 'linear',
        stacked,
        beginAtZero: true,
        grid: { color: GRID },
        border: { display: false },
        ticks: {
          color: MUTED,
          font: { family: FONT, size: 11 },
          maxTicksLimit: 6,
          precision: inputs.measure === 'average' ? 2 : 0,
          callback: (value) => formatNumber(Number(value)),
        },
      },
    },
    plugins: {
      legend: {
        // Past a dozen segments the legend would crowd out the plot; the table's swatches remain.
        display: inputs.segments <= LEGEND_MAX,
        position: 'bottom',
        align: 'start',
        labels: {
          color: INK,
          font: { family: FONT, size: 12 },
          boxWidth: 12,
          boxHeight: 12,
          padding: 12,
          // Chart.js builds the legend's items on every update even when the legend is hidden;
          // with 50 segments that alone resolves every dataset's style again for nothing.
          ...(inputs.segments <= LEGEND_MAX ? {} : { generateLabels: () => [] }),
        },
        onClick: (_event, item: LegendItem) => {
          if (inputs.onLegendClick && item.datasetIndex !== undefined) inputs.onLegendClick(item.datasetIndex);
        },
      },
      tooltip: {
        backgroundColor: 'rgba(32, 33, 36, 0.94)',
        titleFont: { family: FONT, size: 12, weight: 'bold' },
        bodyFont: { family: FONT, size: 12 },
        footerFont: { family: FONT, size: 12, weight: 'normal' },
        padding: 10,
        boxPadding: 4,
        usePointStyle: false,
        itemSort: (a: TooltipItem<JsType>, b: TooltipItem<JsType>) => valueOf(b) - valueOf(a),
        // With many segments drawn, list only the largest at that bucket; the table has the rest.
        filter: (item, _index, items) => {
          if (items.length <= TOOLTIP_ROWS) return true;
          const top = [...items]
            .sort((a, b) => valueOf(b) - valueOf(a) || a.datasetIndex - b.datasetIndex)
            .slice(0, TOOLTIP_ROWS);
          return top.some((i) => i.datasetIndex === item.datasetIndex);
        },
        callbacks: {
          title: (items) => (items[0] ? bucketTitle(items[0].label, inputs.unit()) : ''),
          label: (item) => ` ${item.dataset.label}: ${formatNumber(valueOf(item))}`,
          footer(items) {
            const first = items[0];
            if (!first) return '';
            const datasets = this.chart.data.datasets;
            const lines: string[] = [];
            if (datasets.length > items.length) lines.push(`+${datasets.length - items.length} more segments`);
            if (stacked && datasets.length > 1) {
              const total = datasets.reduce((sum, d) => sum + ((d.data[first.dataIndex] as Point | undefined)?.y ?? 0), 0);
              lines.push(`Total: ${formatNumber(total)}`);
            }
            return lines;
          },
        },
      },
    },
  };
}

/** The exact number of a tooltip item: its own value, not a stacked sum. */
export function valueOf(item: Pick<TooltipItem<JsType>, 'raw'>): number {
  return (item.raw as Point).y;
}

/**
 * Past this many lines they are drawn 1 px wide: a canvas strokes 1 px lines on a fast path, and
 * 50 lines 2 px wide took ~10× longer to rasterize (over 60 ms, most of a long task) while
 * crowding each other out anyway.
 */
export const THIN_LINES_PAST = LEGEND_MAX;

/** Chart.js datasets for what we draw; `segment` rides along so a legend click can name it. */
export function chartDatasets(series: DrawnSeries, chart: ChartType, unit: Unit): ChartDataset<JsType, Point[]>[] {
  const dense = series.labels.length > 20 || unit === 'minute';
  const thin = series.datasets.length > THIN_LINES_PAST;
  return series.datasets.map((d) => {
    if (chart === 'line') {
      return {
        type: 'line',
        label: d.label,
        data: d.points,
        borderColor: d.color,
        backgroundColor: d.color,
        borderDash: d.dash,
        borderWidth: thin ? 1 : 2,
        pointRadius: dense ? 0 : 2.5,
        pointHoverRadius: 4,
        tension: 0,
        spanGaps: true,
      } satisfies ChartDataset<'line', Point[]>;
    }
    return {
      type: 'bar',
      label: d.label,
      data: d.points,
      backgroundColor: d.color,
      borderColor: d.color,
      borderWidth: 0,
      borderRadius: chart === 'stacked' ? 0 : 2,
      maxBarThickness: 36,
      categoryPercentage: 0.8,
      barPercentage: 0.9,
    } satisfies ChartDataset<'bar', Point[]>;
  });
}
