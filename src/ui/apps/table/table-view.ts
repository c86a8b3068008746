// The segment × bucket table. Renders ReportResult sorted by TableState; its checkboxes write
// SeriesSelection. Every value from the data goes into the DOM as text (textContent, setAttribute),
// never as HTML, so a property value like <img src=x onerror=...> is shown, not run.
import type { SegmentationResult } from '../../../report/types.ts';
import type { ReportModels } from '../../core/app.ts';
import { BaseView } from '../../core/base-view.ts';
import { formatBucket, formatNumber } from '../../format.ts';
import type { Backbone } from '../../lib/backbone.ts';
import { sessionColors } from '../../palette.ts';
import { hideSegment, isNotSet, showSegment } from '../../segments.ts';
import { csvFileName, tableCsv } from './csv.ts';
import { buildRows, effectiveSort, nextSort, sortRows } from './rows.ts';
import type { Row, Sort, TableData } from './rows.ts';
import { PAGE_ROWS, TableState } from './table-state.ts';

/** Cells built per animation frame (see startBody). */
const CHUNK_CELLS = 1_000;

export type TableViewOptions = {
  models: ReportModels;
  /** False in the embed: no checkboxes (there is no chart to show or hide segments in). */
  interactive: boolean;
};

type RowParts = { tr: HTMLTableRowElement; input: HTMLInputElement | null; swatch: HTMLElement };

export class TableView extends BaseView {
  declare private models: ReportModels;
  declare private interactive: boolean;
  declare private state: TableState;
  declare private parts: {
    count: HTMLElement;
    csv: HTMLButtonElement;
    scroll: HTMLElement;
    table: HTMLTableElement;
    thead: HTMLTableSectionElement;
    tbody: HTMLTableSectionElement;
    more: HTMLElement;
    moreText: HTMLElement;
    moreButton: HTMLButtonElement;
    placeholder: HTMLElement;
  };
  // Caches keyed by identity: a new answer or a new sort rebuilds, a checkbox click does not.
  declare private tableFor: SegmentationResult | null;
  declare private table: TableData | null;
  declare private sorted: Row[];
  declare private renderedSort: string;
  declare private renderedFor: SegmentationResult | null;
  declare private builtRows: number; // rows of the current answer and sort in the DOM
  declare private targetRows: number;
  declare private bodyJob: number;
  declare private headKey: string;
  declare private columnsKey: string;
  declare private pendingHead: (() => boolean) | null;
  declare private rowParts: Map<string, RowParts>;

  constructor(options: TableViewOptions) {
    super(options as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize();
    const options = opts as unknown as TableViewOptions;
    this.className = 'table-app';
    this.events = {
      'change input[data-segment]': 'onToggle',
      'click button[data-sort]': 'onSort',
      'click .table-app__more-button': 'onMore',
      'click .table-app__csv': 'onDownload',
    };
    this.models = options.models;
    this.interactive = options.interactive;
    this.state = new TableState();
    this.tableFor = null;
    this.table = null;
    this.sorted = [];
    this.renderedSort = '';
    this.renderedFor = null;
    this.builtRows = 0;
    this.targetRows = 0;
    this.bodyJob = 0;
    this.headKey = '';
    this.columnsKey = '';
    this.pendingHead = null;
    this.rowParts = new Map();
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="table-app__toolbar">
        <span class="table-app__title" aria-hidden="true">Segments</span>
        <span class="table-app__count"></span>
        <button type="button" class="table-app__csv" disabled>Download CSV</button>
      </div>
      <p class="table-app__placeholder" hidden></p>
      <div class="table-app__scroll" role="region" aria-label="Segments table" tabindex="0">
        <table class="table-app__table">
          <caption>Segments</caption>
          <thead></thead>
          <tbody></tbody>
        </table>
      </div>
      <div class="table-app__more" hidden>
        <span class="table-app__more-text"></span>
        <button type="button" class="table-app__more-button"></button>
      </div>`;
    const q = <T extends HTMLElement>(sel: string) => this.el.querySelector(sel) as T;
    this.parts = {
      count: q('.table-app__count'),
      csv: q('.table-app__csv'),
      scroll: q('.table-app__scroll'),
      table: q('table'),
      thead: q('thead'),
      tbody: q('tbody'),
      more: q('.table-app__more'),
      moreText: q('.table-app__more-text'),
      moreButton: q('.table-app__more-button'),
      placeholder: q('.table-app__placeholder'),
    };
    this.el.classList.toggle('is-readonly', !this.interactive);
    const { result, selection } = this.models;
    this.listenTo(result, 'change', this.onResult);
    this.listenTo(selection, 'change', this.scheduleRender);
    this.listenTo(this.state, 'change', this.scheduleRender);
  }

  /** A new answer starts again from the first page of rows (the sort is kept). */
  private onResult(): void {
    if (this.models.result.hasChanged('data') && this.state.get('shownRows') !== PAGE_ROWS) {
      this.state.set({ shownRows: PAGE_ROWS });
    }
    this.scheduleRender();
  }

  override render(): this {
    const { result } = this.models;
    const status = result.get('status');
    const data = result.get('data');
    this.el.classList.toggle('is-loading', status === 'loading');
    const usable = data !== null && status !== 'error' && Object.keys(data.values).length > 0;
    this.parts.scroll.hidden = !usable;
    this.parts.csv.disabled = !usable;
    this.parts.placeholder.hidden = usable;
    if (!usable) {
      this.markBusy();
      this.parts.more.hidden = true;
      this.parts.count.textContent = '';
      this.parts.placeholder.textContent =
        status === 'loading' ? 'Loading segments…' : status === 'error' ? 'No segments: the query did not run.' : data ? 'No segments in this answer.' : 'Segments appear here once the report runs.';
      return this;
    }

    const table = this.tableOf(data);
    const sort = effectiveSort(table, this.state.get('sort'));
    const shown = Math.min(this.state.get('shownRows'), table.rows.length);
    const sortKey = `${sort.column}\u0000${sort.dir}`;
    if (this.renderedSort !== sortKey || this.renderedFor !== data) {
      this.sorted = sortRows(table, sort);
      this.pendingHead = () => this.renderHead(data, table, sort);
      this.startBody(data, shown, 0);
      this.renderedSort = sortKey;
      this.renderedFor = data;
    } else if (shown !== this.targetRows) {
      this.startBody(data, shown, Math.min(this.builtRows, shown));
    }
    this.renderDrawn(data);
    this.markBusy();

    const total = table.rows.length;
    this.parts.more.hidden = shown >= total;
    this.parts.moreText.textContent = `Showing ${formatNumber(shown)} of ${formatNumber(total)} segments`;
    this.parts.moreButton.textContent = `Show ${formatNumber(Math.min(PAGE_ROWS, total - shown))} more`;
    return this;
  }

  private tableOf(data: SegmentationResult): TableData {
    if (this.tableFor !== data || !this.table) {
      this.table = buildRows(data, this.models.result.rankedSegments());
      this.tableFor = data;
    }
    return this.table;
  }

  /** Returns whether the columns changed (not only the sort marks). */
  private renderHead(data: SegmentationResult, table: TableData, sort: Sort): boolean {
    const columnsKey = `${data.meta.unit}\u0000${table.series.join('\u0001')}`;
    const headKey = `${columnsKey}\u0000${sort.column}\u0000${sort.dir}`;
    const columnsChanged = columnsKey !== this.columnsKey;
    if (headKey === this.headKey) return false;
    this.headKey = headKey;
    this.columnsKey = columnsKey;
    const tr = document.createElement('tr');
    tr.appendChild(this.headerCell('segment', 'Segment', null, sort, 'table-app__segment-col'));
    tr.appendChild(this.headerCell('total', 'Total', null, sort, 'table-app__total-col'));
    for (const bucket of table.series) {
      tr.appendChild(this.headerCell(bucket, formatBucket(bucket, data.meta.unit), bucket, sort, 'table-app__bucket-col'));
    }
    this.parts.thead.replaceChildren(tr);
    this.parts.table.classList.toggle('is-fine-unit', data.meta.unit === 'hour' || data.meta.unit === 'minute');
    this.parts.table.style.setProperty('--buckets', String(table.series.length));
    return columnsChanged;
  }

  private headerCell(column: string, text: string, bucket: string | null, sort: Sort, cls: string): HTMLTableCellElement {
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = cls;
    const sorted = sort.column === column;
    th.setAttribute('aria-sort', sorted ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.sort = column;
    if (bucket !== null) {
      const time = document.createElement('time');
      time.dateTime = bucket.replace(' ', 'T');
      time.textContent = text;
      button.appendChild(time);
      button.title = bucket;
    } else {
      button.appendChild(document.createTextNode(text));
    }
    const icon = document.createElement('span');
    icon.className = 'table-app__sort-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = sorted ? (sort.dir === 'asc' ? '▲' : '▼') : '';
    button.appendChild(icon);
    th.appendChild(button);
    return th;
  }

  /**
   * Rows are built in chunks of about CHUNK_CELLS cells, one chunk per animation frame, so 50
   * segments × 90 days never block the page in one long task (layout costs per new cell, so the
   * chunks split it too). Each chunk replaces the stale rows
   * at its place, so the table keeps its height while it fills; "Show more" appends.
   */
  private startBody(data: SegmentationResult, target: number, from: number): void {
    if (this.bodyJob) cancelAnimationFrame(this.bodyJob);
    this.bodyJob = 0;
    this.targetRows = target;
    this.builtRows = from;
    if (from === 0) {
      // A new answer or sort: the chart draws in this frame; the table (header included) starts
      // in the next, so the two never add up to one long task.
      this.rowParts = new Map();
      this.bodyJob = requestAnimationFrame(() => this.bodyStep(data));
    } else {
      this.bodyStep(data);
    }
  }

  private bodyStep(data: SegmentationResult): void {
    this.bodyJob = 0;
    const tbody = this.parts.tbody;
    if (this.pendingHead) {
      // Rows shaped for other columns would only be laid out again for nothing: drop them at once.
      if (this.pendingHead()) tbody.replaceChildren();
      this.pendingHead = null;
    }
    const perChunk = Math.max(10, Math.floor(CHUNK_CELLS / (data.series.length + 2)));
    const start = this.builtRows;
    const end = Math.min(this.targetRows, start + perChunk);
    const fragment = document.createDocumentFragment();
    for (let i = start; i < end; i++) fragment.appendChild(this.buildRow(data, this.sorted[i]));
    for (let i = start; i < end && tbody.rows.length > start; i++) tbody.rows[start].remove();
    tbody.insertBefore(fragment, tbody.rows[start] ?? null);
    this.builtRows = end;
    if (end < this.targetRows) {
      this.bodyJob = requestAnimationFrame(() => this.bodyStep(data));
    } else {
      while (tbody.rows.length > end) tbody.rows[end].remove();
    }
    this.renderDrawn(data);
    this.markBusy();
  }

  /** Busy while an answer loads or rows are still being built (assistive tech and tests wait on it). */
  private markBusy(): void {
    const busy = this.models.result.get('status') === 'loading' || this.bodyJob !== 0;
    this.el.setAttribute('aria-busy', String(busy));
  }

  private buildRow(data: SegmentationResult, row: Row): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset.segment = row.segment;
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'table-app__segment-col';
    const label = document.createElement('label');
    let input: HTMLInputElement | null = null;
    if (this.interactive) {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.dataset.segment = row.segment;
      input.setAttribute('aria-label', `Show ${row.label}`);
      label.appendChild(input);
    }
    const swatch = document.createElement('span');
    swatch.className = 'table-app__swatch';
    swatch.setAttribute('aria-hidden', 'true');
    label.appendChild(swatch);
    const name = document.createElement('span');
    name.className = isNotSet(data, row.segment) ? 'table-app__name is-not-set' : 'table-app__name';
    name.textContent = row.label;
    name.title = row.label;
    label.appendChild(name);
    th.appendChild(label);
    tr.appendChild(th);
    const total = document.createElement('td');
    total.className = 'table-app__total-col';
    total.textContent = formatNumber(row.total);
    tr.appendChild(total);
    for (const v of row.values) {
      const td = document.createElement('td');
      td.textContent = formatNumber(v);
      if (v === 0) td.className = 'is-zero';
      tr.appendChild(td);
    }
    this.rowParts.set(row.segment, { tr, input, swatch });
    return tr;
  }

  /** Ticks and swatches follow SeriesSelection; cheap, so it runs on every render. */
  private renderDrawn(data: SegmentationResult): void {
    const { result, selection } = this.models;
    const ranked = result.rankedSegments();
    const drawn = selection.drawn(ranked);
    const styles = sessionColors.assign(drawn, (s) => isNotSet(data, s));
    for (const [segment, parts] of this.rowParts) {
      const style = styles.get(segment);
      if (parts.input) parts.input.checked = style !== undefined;
      parts.tr.classList.toggle('is-drawn', style !== undefined);
      const shown = style && this.interactive ? style : null;
      // Segments past the tenth reuse colours with dashed lines; the swatch shows stripes for those.
      parts.swatch.style.color = shown ? shown.color : '';
      parts.swatch.classList.toggle('is-solid', shown !== null && shown.dash.length === 0);
      parts.swatch.classList.toggle('is-dashed', shown !== null && shown.dash.length > 0);
    }
    const n = ranked.length;
    this.parts.count.textContent = this.interactive
      ? `${formatNumber(n)} segment${n === 1 ? '' : 's'} · ${formatNumber(drawn.length)} drawn`
      : `${formatNumber(n)} segment${n === 1 ? '' : 's'}`;
  }

  private onToggle(e: JQuery.TriggeredEvent): void {
    const input = e.currentTarget as HTMLInputElement;
    const segment = input.dataset.segment;
    if (segment === undefined) return;
    const { result, selection } = this.models;
    const ranked = result.rankedSegments();
    const state = { hidden: selection.get('hidden'), maxDrawn: selection.get('maxDrawn') };
    const next = (input.checked ? showSegment : hideSegment)(ranked, selection.drawn(ranked), state, segment);
    selection.set({ hidden: [...next.hidden], maxDrawn: next.maxDrawn });
    // An action that changes nothing (e.g. a segment no longer in the answer) must not leave the
    // box out of step with the chart.
    this.scheduleRender();
  }

  private onSort(e: JQuery.TriggeredEvent): void {
    const column = (e.currentTarget as HTMLElement).dataset.sort;
    if (column === undefined || !this.table) return;
    this.state.set({ sort: nextSort(effectiveSort(this.table, this.state.get('sort')), column) });
  }

  private onMore(): void {
    this.state.set({ shownRows: this.state.get('shownRows') + PAGE_ROWS });
  }

  protected override onDestroy(): void {
    if (this.bodyJob) cancelAnimationFrame(this.bodyJob);
    this.bodyJob = 0;
  }

  /** Not a model write: the download is the whole intent. */
  private onDownload(): void {
    const data = this.models.result.get('data');
    if (!data) return;
    const table = this.tableOf(data);
    const rows = sortRows(table, this.state.get('sort'));
    const blob = new Blob([tableCsv(table.series, data.meta.unit, rows)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = csvFileName(data.meta.event, data.meta.from, data.meta.to);
    a.hidden = true;
    this.el.appendChild(a);
    a.click();
    a.remove();
    // Revoke after the browser has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
