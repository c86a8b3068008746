// The chart: renders ReportResult through SeriesSelection into one Chart.js instance that is created
// once, updated in place and destroyed with the view. Everything a canvas hides is also in the DOM:
// an aria-label summary, a data-series attribute, and words where the chart would be.
import type { Chart, Plugin } from 'chart.js';
import type { Measure, SegmentationResult, Unit } from '../../../report/types.ts';
import type { ReportModels } from '../../core/app.ts';
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import { sessionColors } from '../../palette.ts';
import type { SegmentColors } from '../../palette.ts';
import { hideSegment } from '../../segments.ts';
import type { ChartType } from '../../state/report-query.ts';
import { chartDatasets, chartOptions, jsType, LEGEND_MAX } from './chart-config.ts';
import type { JsType } from './chart-config.ts';
import { buildSeries, seriesAttribute } from './datasets.ts';
import type { DrawnSeries, Point } from './datasets.ts';
import { chartSummary, drawingNotice, emptyMessage, errorMessage, isEmpty } from './describe.ts';
import { loadChartJs } from './register.ts';

export type ChartViewOptions = {
  models: ReportModels;
  /** False in the embed: no legend clicks, no "tick more in the table". */
  interactive: boolean;
};

type Parts = {
  progress: HTMLElement;
  notice: HTMLElement;
  stage: HTMLElement;
  frame: HTMLElement;
  canvas: HTMLCanvasElement;
  message: HTMLElement;
};

const EMPTY_SERIES = JSON.stringify({ labels: [], datasets: [] });
/** Past this many datasets an update is split over two tasks (see draw). */
const SPLIT_UPDATE_PAST = 16;

export class ChartView extends BaseView {
  declare private models: ReportModels;
  declare private interactive: boolean;
  declare private colors: SegmentColors;
  declare private chart: Chart<JsType, Point[], string> | null;
  declare private ChartJs: typeof Chart | null;
  declare private chartJsFailed: boolean;
  declare private optionsKey: string;
  declare private unit: Unit;
  declare private drawn: DrawnSeries | null;
  declare private drawnFrom: { data: SegmentationResult; kind: ChartType; segments: string } | null;
  declare private parts: Parts;
  declare private holdDraw: boolean; // set from an update until drawTask: Chart.js draws only then
  declare private drawTask: ReturnType<typeof setTimeout> | null;
  declare private restTask: ReturnType<typeof setTimeout> | null; // updates the second half of the datasets
  declare private skip: { from: number; to: number } | null; // datasets the running update leaves as they are
  declare private updateTask: ReturnType<typeof setTimeout> | null;
  declare private pending: { data: SegmentationResult; kind: ChartType; ChartJs: typeof Chart } | null;
  declare private deferDraw: Plugin<JsType>;

  constructor(options: ChartViewOptions) {
    super(options as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize();
    const options = opts as unknown as ChartViewOptions;
    this.className = 'chart-app';
    this.models = options.models;
    this.interactive = options.interactive;
    this.colors = sessionColors;
    this.chart = null;
    this.ChartJs = null;
    this.chartJsFailed = false;
    this.optionsKey = '';
    this.unit = 'day';
    this.drawn = null;
    this.drawnFrom = null;
    this.holdDraw = false;
    this.drawTask = null;
    this.restTask = null;
    this.skip = null;
    this.updateTask = null;
    this.pending = null;
    this.deferDraw = {
      id: 'segscopeDeferDraw',
      beforeRender: () => !this.holdDraw,
      // Nor do pointer events (nor the one Chart.js replays after an update) reach elements that
      // may not be placed yet: hover hit-tests them.
      beforeEvent: () => !this.holdDraw,
      // Documented: false cancels the update of that one dataset.
      beforeDatasetUpdate: (_chart, args) => !(this.skip && args.index >= this.skip.from && args.index < this.skip.to),
    };
  }

  override initialize(): void {
    // Static markup only: every text that comes from data is set with textContent below.
    this.el.innerHTML = `
      <div class="chart-app__progress" role="progressbar" aria-label="Loading the report" hidden></div>
      <p class="chart-app__notice" hidden></p>
      <div class="chart-app__stage">
        <div class="chart-app__frame"><canvas role="img"></canvas></div>
        <div class="chart-app__message" hidden>
          <p class="chart-app__message-title"></p>
          <p class="chart-app__message-detail"></p>
          <p class="chart-app__message-advice"></p>
        </div>
      </div>`;
    const q = <T extends HTMLElement>(sel: string) => this.el.querySelector(sel) as T;
    this.parts = {
      progress: q('.chart-app__progress'),
      notice: q('.chart-app__notice'),
      stage: q('.chart-app__stage'),
      frame: q('.chart-app__frame'),
      canvas: q('canvas'),
      message: q('.chart-app__message'),
    };
    const { result, selection, query } = this.models;
    this.listenTo(result, 'change', this.scheduleRender);
    this.listenTo(selection, 'change', this.scheduleRender);
    this.listenTo(query, 'change:chart', this.scheduleRender);
    this.requestChartJs();
  }

  /** Starts the Chart.js download at once, in parallel with the first API request. */
  private requestChartJs(): void {
    loadChartJs().then(
      (ChartJs) => {
        this.ChartJs = ChartJs;
        this.chartJsFailed = false;
        this.scheduleRender();
      },
      () => {
        this.chartJsFailed = true;
        this.scheduleRender();
      },
    );
  }

  override render(): this {
    const { result, query } = this.models;
    const status = result.get('status');
    const data = result.get('data');
    const error = result.get('error');
    const loading = status === 'loading';
    this.parts.progress.hidden = !loading;
    this.el.classList.toggle('is-loading', loading);

    if (status === 'error' && error) {
      const words = errorMessage(error);
      this.showMessage(words.title, words.detail, words.advice, 'error');
    } else if (!data) {
      if (loading) this.showMessage('Loading the report…', '', '', 'loading');
      else if (!query.isRunnable()) this.showMessage('Pick an event to see its chart.', '', '', 'idle');
      else this.showMessage('No answer yet.', '', '', 'idle');
    } else if (isEmpty(data)) {
      const advice = data.meta.where === null ? 'Widen the date range or pick another event.' : 'Widen the date range or remove a filter.';
      this.showMessage(emptyMessage(data, query.get('range')), '', advice, 'empty');
    } else if (!this.ChartJs) {
      if (this.chartJsFailed) {
        this.showMessage('The chart could not be loaded', '', 'Check the connection to the Segscope server, then reload the page.', 'error');
      } else this.showMessage('Loading the chart…', '', '', 'loading');
    } else if (this.models.selection.drawn(this.models.result.rankedSegments()).length <= SPLIT_UPDATE_PAST) {
      // A few lines cost a few ms: updated and drawn in this frame, with the other views.
      this.draw(data, query.get('chart'), this.ChartJs, true);
    } else {
      this.queueDraw(data, query.get('chart'), this.ChartJs);
    }
    this.markBusy();
    return this;
  }

  /** Busy while an answer loads or its picture is not drawn yet (assistive tech and tests wait on it). */
  private markBusy(): void {
    const busy = this.models.result.get('status') === 'loading' || this.updateTask !== null || this.restTask !== null || this.drawTask !== null;
    this.el.setAttribute('aria-busy', String(busy));
  }

  /**
   * Past SPLIT_UPDATE_PAST lines the render frame only queues the chart: Chart.js updates it (data,
   * scales, elements) in tasks of its own and draws it in the next, so with 50 segments neither the
   * frame (where the other views render) nor any task is a long one. Until all ran the old picture
   * stays whole and the chart is aria-busy; words shown meanwhile (an error, an empty answer)
   * cancel the queued update.
   */
  private queueDraw(data: SegmentationResult, kind: ChartType, ChartJs: typeof Chart): void {
    this.pending = { data, kind, ChartJs };
    if (this.updateTask !== null) return;
    this.updateTask = setTimeout(() => {
      this.updateTask = null;
      const next = this.pending;
      this.pending = null;
      if (this.isDestroyed || !next) return;
      this.draw(next.data, next.kind, next.ChartJs, false);
      this.markBusy();
    }, 0);
  }

  /**
   * Drops every update and draw still to come (words are shown instead of the chart). Drawing stays
   * held: datasets whose update was dropped must not be drawn before the next full update.
   */
  private cancelQueuedDraw(): void {
    for (const task of [this.updateTask, this.restTask, this.drawTask]) if (task !== null) clearTimeout(task);
    this.updateTask = null;
    this.restTask = null;
    this.drawTask = null;
    this.pending = null;
  }

  private scheduleDraw(): void {
    if (this.drawTask !== null) return;
    this.drawTask = setTimeout(() => {
      this.drawTask = null;
      // A newer answer's update is still in parts: it schedules its own draw.
      if (this.updateTask !== null || this.restTask !== null) return;
      this.holdDraw = false;
      try {
        if (!this.isDestroyed && this.chart) this.chart.render();
      } finally {
        if (!this.isDestroyed) this.markBusy();
      }
    }, 0);
  }

  /**
   * Chart.js updates with `skip` left alone; its drawing waits (holdDraw) until drawTask. The
   * scales are fitted to every dataset's data either way: only the elements of `skip` keep their
   * old places, and they are updated before anything is drawn.
   */
  private updateChart(update: () => void, skip: { from: number; to: number } | null): void {
    this.holdDraw = true;
    this.skip = skip;
    try {
      update();
    } finally {
      this.skip = null;
    }
  }

  /** `now`: update and draw at once; otherwise in parts, in tasks of their own (see queueDraw). */
  private draw(data: SegmentationResult, kind: ChartType, ChartJs: typeof Chart, now: boolean): void {
    const { result, selection } = this.models;
    const drawnSegments = selection.drawn(result.rankedSegments());
    // A new request sets status 'loading' while the previous answer stays on screen: redrawing
    // that same answer (50 datasets) would cost a long task for a picture that does not change.
    const segments = drawnSegments.join('\u0000');
    const last = this.drawnFrom;
    if (this.chart && last && last.data === data && last.kind === kind && last.segments === segments) {
      // Its drawing may have waited for this update, which turned out the same: draw it now.
      if (this.holdDraw && this.restTask === null && this.drawTask === null) this.scheduleDraw();
      return;
    }
    const series = buildSeries(data, drawnSegments, this.colors);
    this.drawn = series;
    this.unit = data.meta.unit;

    const labels = series.labels;
    const measure = data.meta.type;
    const legend = series.datasets.length <= LEGEND_MAX;
    const optionsKey = `${kind}/${measure}/${legend}`;
    const datasets = chartDatasets(series, kind, data.meta.unit);
    const apply = () => {
      if (!this.chart) {
        this.chart = new ChartJs(this.parts.canvas, {
          type: jsType(kind),
          data: { labels, datasets },
          options: chartOptions(this.optionInputs(kind, measure, series.datasets.length)),
          plugins: [this.deferDraw],
        });
        // For the browser tests, which check every element Chart.js placed (see chart-table.spec).
        Object.defineProperty(this.parts.canvas, 'segscopeChart', { value: this.chart, configurable: true });
      } else {
        if (optionsKey !== this.optionsKey) {
          // Chart.js re-resolves per-type defaults (bar offsets, stacking) from config.type on update.
          (this.chart.config as { type: JsType }).type = jsType(kind);
          this.chart.options = chartOptions(this.optionInputs(kind, measure, series.datasets.length));
        }
        this.chart.data.labels = labels;
        reuseDatasets(this.chart.data.datasets, datasets);
        this.chart.update('none');
      }
    };
    // Whatever was still to come for an earlier answer is superseded: drawing it now could show
    // this answer's first half against the other's places.
    this.cancelQueuedDraw();
    if (now) {
      // Chart.js draws at the end of its update.
      this.holdDraw = false;
      apply();
    } else {
      // Many datasets are updated half in this task and half in the next: with 50 segments the
      // whole update was one task of up to 60 ms on a slow machine.
      const n = datasets.length;
      const cut = n > SPLIT_UPDATE_PAST ? Math.ceil(n / 2) : n;
      this.updateChart(apply, cut < n ? { from: cut, to: n } : null);
      if (cut < n) {
        this.restTask = setTimeout(() => {
          this.restTask = null;
          if (this.isDestroyed || !this.chart) return;
          const chart = this.chart;
          try {
            this.updateChart(() => chart.update('none'), { from: 0, to: cut });
          } finally {
            this.scheduleDraw();
            this.markBusy();
          }
        }, 0);
      } else this.scheduleDraw();
    }
    this.optionsKey = optionsKey;
    this.drawnFrom = { data, kind, segments };

    const { canvas, frame, message, notice } = this.parts;
    canvas.setAttribute('aria-label', chartSummary(kind, data, series));
    canvas.setAttribute('data-series', seriesAttribute(series));
    frame.classList.remove('is-hidden');
    message.hidden = true;
    this.el.dataset.state = series.datasets.length ? 'chart' : 'none-drawn';
    const text = series.datasets.length
      ? drawingNotice(series, this.interactive, LEGEND_MAX)
      : `No segments are drawn${this.interactive ? '; tick segments in the table to draw them' : ''}`;
    notice.hidden = text === null;
    notice.textContent = text ?? '';
  }

  private showMessage(title: string, detail: string, advice: string, state: string): void {
    const { canvas, frame, message, notice } = this.parts;
    this.cancelQueuedDraw();
    this.drawnFrom = null;
    frame.classList.add('is-hidden');
    message.hidden = false;
    message.setAttribute('role', state === 'error' ? 'alert' : 'status');
    (message.children[0] as HTMLElement).textContent = title;
    (message.children[1] as HTMLElement).textContent = detail;
    (message.children[2] as HTMLElement).textContent = advice;
    notice.hidden = true;
    canvas.setAttribute('aria-label', [title, detail].filter(Boolean).join(' '));
    canvas.setAttribute('data-series', EMPTY_SERIES);
    this.el.dataset.state = state;
  }

  private optionInputs(kind: ChartType, measure: Measure, segments: number) {
    return {
      chart: kind,
      measure,
      segments,
      unit: () => this.unit,
      onLegendClick: this.interactive ? (i: number) => this.hideFromLegend(i) : null,
    };
  }

  /** A legend click hides that segment, the same as unticking it in the table. */
  private hideFromLegend(datasetIndex: number): void {
    const segment = this.drawn?.datasets[datasetIndex]?.segment;
    if (segment === undefined) return;
    const { result, selection } = this.models;
    const ranked = result.rankedSegments();
    const state = { hidden: selection.get('hidden'), maxDrawn: selection.get('maxDrawn') };
    const next = hideSegment(ranked, selection.drawn(ranked), state, segment);
    selection.set({ hidden: [...next.hidden], maxDrawn: next.maxDrawn });
  }

  protected override onDestroy(): void {
    this.cancelQueuedDraw();
    this.chart?.destroy();
    this.chart = null;
    this.drawnFrom = null;
  }
}

/**
 * Chart.js keys its per-dataset state (controller, elements) on the dataset object: a new object
 * per update would rebuild all of it. So existing objects are rewritten in place and only the
 * surplus is added or dropped.
 */
function reuseDatasets(current: object[], next: object[]): void {
  for (let i = 0; i < next.length; i++) {
    const target = current[i] as Record<string, unknown> | undefined;
    if (!target) {
      current.push(next[i]);
      continue;
    }
    for (const key of Object.keys(target)) if (!(key in next[i])) delete target[key];
    Object.assign(target, next[i]);
  }
  current.length = next.length;
}
