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
import { buildRows, DEFAULT_SORT, effectiveSort, nextSort, sortRows } from './rows.ts';
import type { Row, Sort, TableData } from './rows.ts';
import { PAGE_ROWS, TableState } from './table-state.ts';
import { sameSpan, visibleSpan, visibleStretch } from './window.ts';
import type { Span } from './window.ts';

/** Rows and bucket columns built beyond each edge of the viewport (see renderBody). */
const ROW_OVERSCAN = 4;
const COL_OVERSCAN = 2;
/** Until a row is measured (about what Chrome gives 13 px text, 5 px padding each side, a 1 px rule). */
const ROW_HEIGHT_GUESS = 30;
/**
 * New rows laid out in one frame at most (rows filled again in place do not count): a new answer
 * under other columns builds every row in view, and those 22 rows × 11 cells took a frame of over
 * 50 ms on a slow machine. The rows at the top of the view come first, the rest in the next frames.
 */
const NEW_ROWS_PER_FRAME = 12;

export type TableViewOptions = {
  models: ReportModels;
  /** False in the embed: no checkboxes (there is no chart to show or hide segments in). */
  interactive: boolean;
};

/**
 * A row element and the cells it is filled through. Rows are filled again in place for a new
 * answer, sort or horizontal scroll: changing the text of cells Chrome has laid out costs far less
 * than laying out new ones (and re-inserting a row lays it out anew, like a new one).
 */
type FocusedControl = { attr: 'segment' | 'sort'; value: string };

type RowParts = {
  tr: HTMLTableRowElement;
  input: HTMLInputElement | null;
  swatch: HTMLElement;
  name: HTMLElement;
  total: HTMLTableCellElement;
  /** Span the bucket columns left and right of those in view; in the row only when needed. */
  before: HTMLTableCellElement;
  after: HTMLTableCellElement;
  /** Cells of the bucket columns in view, in order. */
  cells: HTMLTableCellElement[];
  segment: string | null;
};

export class TableView extends BaseView {
  declare private models: ReportModels;
  declare private interactive: boolean;
  declare private state: TableState;
  declare private parts: {
    count: HTMLElement;
    csv: HTMLButtonElement;
    scroll: HTMLElement;
    table: HTMLTableElement;
    colgroup: HTMLTableColElement;
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
  declare private shown: number; // rows reachable by scrolling ("Show more" adds pages)
  declare private rowsInDom: RowParts[]; // between the spacers, in order: sorted rows rowSpan.first…
  declare private spareRows: RowParts[]; // out of the DOM, to be filled again (saves building them)
  declare private spacers: { top: HTMLTableRowElement; bottom: HTMLTableRowElement };
  declare private rowSpan: Span;
  declare private colSpan: Span;
  declare private rowHeight: number;
  declare private rowHeightKnown: boolean; // measured on a real row since the last resize
  declare private stale: boolean; // the rows in the DOM are not those of the answer and sort
  declare private partial: boolean; // the rows in the DOM are the first part of the window; the rest follow
  declare private focusWanted: FocusedControl | null; // had the focus; its row comes in a later frame
  declare private bodyJob: number;
  declare private columnsKey: string;
  declare private headKey: string;
  declare private sort: Sort;
  declare private onWindowScroll: () => void;
  declare private onWindowResize: () => void;
  declare private resizes: ResizeObserver | null;

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
    this.shown = 0;
    this.rowsInDom = [];
    this.spareRows = [];
    this.spacers = { top: spacerRow(), bottom: spacerRow() };
    this.rowSpan = { first: 0, end: 0 };
    this.colSpan = { first: 0, end: 0 };
    this.rowHeight = ROW_HEIGHT_GUESS;
    this.rowHeightKnown = false;
    this.stale = false;
    this.partial = false;
    this.focusWanted = null;
    this.bodyJob = 0;
    this.columnsKey = '';
    this.headKey = '';
    this.sort = DEFAULT_SORT;
    this.onWindowScroll = () => this.onScroll();
    this.onWindowResize = () => this.onResize();
    this.resizes = null;
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
          <colgroup></colgroup>
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
      colgroup: q('colgroup'),
      thead: q('thead'),
      tbody: q('tbody'),
      more: q('.table-app__more'),
      moreText: q('.table-app__more-text'),
      moreButton: q('.table-app__more-button'),
      placeholder: q('.table-app__placeholder'),
    };
    this.parts.tbody.append(this.spacers.top, this.spacers.bottom);
    this.el.classList.toggle('is-readonly', !this.interactive);
    const { result, selection } = this.models;
    this.listenTo(result, 'change', this.onResult);
    this.listenTo(selection, 'change', this.scheduleRender);
    this.listenTo(this.state, 'change', this.scheduleRender);
    // Scrolls of the table, of the page (an embed in a short frame) and resizes change which
    // cells are in view. Passive: they never delay the scroll itself.
    this.parts.scroll.addEventListener('scroll', this.onWindowScroll, { passive: true });
    window.addEventListener('scroll', this.onWindowScroll, { passive: true });
    window.addEventListener('resize', this.onWindowResize, { passive: true });
    // The scroller also changes size without any event: shown after a placeholder, a narrower
    // panel, a scrollbar appearing. Then other cells are in view.
    if (typeof ResizeObserver === 'function') {
      this.resizes = new ResizeObserver(this.onWindowScroll);
      this.resizes.observe(this.parts.scroll);
    }
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
      // Nothing to show: the next answer renders from scratch.
      this.renderedFor = null;
      this.stale = false;
      this.partial = false;
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
      this.sort = sort;
      this.renderedSort = sortKey;
      this.renderedFor = data;
      this.shown = shown;
      this.parts.table.setAttribute('aria-rowcount', String(shown + 1));
      this.bodyForAnswer();
    } else if (shown !== this.shown) {
      this.shown = shown;
      this.parts.table.setAttribute('aria-rowcount', String(shown + 1));
      this.bodyForAnswer();
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

  /**
   * Column widths come from a <colgroup> (fixed layout), so the header, like the rows, holds only
   * the bucket columns in view: 90 sticky header cells cost layout and paint on every answer.
   */
  private renderColumns(data: SegmentationResult): boolean {
    const key = `${data.meta.unit}\u0000${data.series.join('\u0001')}`;
    if (key === this.columnsKey) return false;
    this.columnsKey = key;
    this.headKey = '';
    // Bucket <col>s are all alike: only their number changes (new ones would each need a style).
    const { colgroup } = this.parts;
    if (!colgroup.children.length) {
      for (const cls of ['table-app__segment-col', 'table-app__total-col']) {
        const c = document.createElement('col');
        c.className = cls;
        colgroup.appendChild(c);
      }
    }
    const want = data.series.length + 2;
    while (colgroup.children.length > want) colgroup.lastElementChild?.remove();
    while (colgroup.children.length < want) {
      const c = document.createElement('col');
      c.className = 'table-app__bucket-col';
      colgroup.appendChild(c);
    }
    const { table } = this.parts;
    table.classList.toggle('is-fine-unit', data.meta.unit === 'hour' || data.meta.unit === 'minute');
    table.style.setProperty('--buckets', String(data.series.length));
    table.setAttribute('aria-colcount', String(data.series.length + 2));
    return true;
  }

  /** Rebuilt only when the columns in view or the sort marks change. */
  private renderHead(data: SegmentationResult, cols: Span): void {
    const sort = this.sort;
    const headKey = `${this.columnsKey}\u0000${cols.first}-${cols.end}\u0000${sort.column}\u0000${sort.dir}`;
    if (headKey === this.headKey) return;
    this.headKey = headKey;
    const tr = document.createElement('tr');
    tr.setAttribute('aria-rowindex', '1');
    tr.appendChild(this.headerCell('segment', 'Segment', null, sort, 'table-app__segment-col', 1));
    tr.appendChild(this.headerCell('total', 'Total', null, sort, 'table-app__total-col', 2));
    if (cols.first > 0) tr.appendChild(spanning(gapCell('th'), cols.first));
    for (let j = cols.first; j < cols.end; j++) {
      const bucket = data.series[j];
      tr.appendChild(this.headerCell(bucket, formatBucket(bucket, data.meta.unit), bucket, sort, 'table-app__bucket-col', j + 3));
    }
    if (cols.end < data.series.length) tr.appendChild(spanning(gapCell('th'), data.series.length - cols.end));
    this.parts.thead.replaceChildren(tr);
  }

  private headerCell(column: string, text: string, bucket: string | null, sort: Sort, cls: string, index: number): HTMLTableCellElement {
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = cls;
    th.setAttribute('aria-colindex', String(index));
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
   * Only the rows and bucket columns in view (plus an overscan) are in the DOM; spacer rows above
   * and below and spanning cells left and right keep the scroll size. A table of 50 segments × 90
   * days then costs about 25 rows × 16 cells of layout instead of 4,600 cells, which Chrome laid
   * out again for every chunk of rows. A new answer or sort with more than a dozen rows is rendered
   * the frame after the chart draws, so the two never add up to one long task; a scroll re-renders
   * once per frame.
   */
  /** A table of a dozen rows costs a few ms: rendered in this frame, with the chart. Larger ones wait. */
  private bodyForAnswer(): void {
    if (this.shown > NEW_ROWS_PER_FRAME) {
      this.scheduleBody(true);
      return;
    }
    if (this.bodyJob) cancelAnimationFrame(this.bodyJob);
    this.bodyJob = 0;
    this.stale = true;
    this.renderBody();
  }

  private scheduleBody(stale: boolean): void {
    if (stale) this.stale = true;
    if (this.bodyJob || this.isDestroyed) return;
    this.bodyJob = requestAnimationFrame(() => {
      this.bodyJob = 0;
      this.renderBody();
    });
  }

  private renderBody(): void {
    const data = this.renderedFor;
    if (!data || this.parts.scroll.hidden) return;
    // A control whose row was still to come gets the focus back only if nothing else took it since.
    const lost = !document.activeElement || document.activeElement === document.body;
    const focused = this.focusedControl() ?? (lost ? this.focusWanted : null);
    const stale = this.stale;
    this.stale = false;
    const buckets = data.series.length;
    if (stale) {
      // Under other columns every cell is laid out anew anyway, so the rows leave the DOM before
      // the body is measured (which would lay them out once more for nothing); with the same
      // columns (a new filter, a new sort) they stay, to be filled again in place.
      if (this.renderColumns(data)) this.dropRows(this.rowsInDom.length);
      // The header is measured below: it must exist (the columns first in view at worst).
      if (!this.parts.thead.rows.length) this.renderHead(data, { first: 0, end: Math.min(buckets, 8) });
      // The body takes the new answer's height at once, so what is measured next is the viewport
      // the rows will have.
      this.dropRows(this.rowsInDom.length - this.shown);
      this.sizeSpacers(0, this.shown - this.rowsInDom.length, buckets);
    }
    const { rows, cols } = this.measureWindow(buckets);
    const sameCols = sameSpan(cols, this.colSpan);
    if (!stale && sameCols && sameSpan(rows, this.rowSpan)) {
      this.partial = false; // the window shrank to what was built
      this.restoreFocus(focused);
      this.markBusy();
      return;
    }
    this.renderHead(data, cols);
    const built = stale || !sameCols ? this.refillRows(data, rows, cols) : this.slideRows(data, rows, cols);
    this.sizeSpacers(built.first, this.shown - built.end, buckets);
    this.rowSpan = built;
    this.colSpan = cols;
    // The rest of the window: the next frame measures it again and adds the rows still missing.
    this.partial = !sameSpan(built, rows);
    if (this.partial) this.scheduleBody(false);
    this.renderDrawn(data);
    this.restoreFocus(focused);
    this.markBusy();
    // Spacers are sized with the row height measured so far: if a real row differs, size again.
    // Measured once (and after a resize): it forces a layout, and every row has the same height.
    const first = this.rowsInDom[0];
    if (first && !this.rowHeightKnown) {
      const height = first.tr.getBoundingClientRect().height;
      this.rowHeightKnown = height > 0;
      if (height > 0 && Math.abs(height - this.rowHeight) > 0.5) {
        this.rowHeight = height;
        this.scheduleBody(true);
      }
    }
  }

  /**
   * Every row element in the DOM is filled again, in place, for sorted rows from `rows.first`; the
   * count is adjusted at the end, with at most NEW_ROWS_PER_FRAME new rows. Returns the rows built.
   */
  private refillRows(data: SegmentationResult, want: Span, cols: Span): Span {
    const rows = { first: want.first, end: Math.min(want.end, want.first + this.rowsInDom.length + NEW_ROWS_PER_FRAME) };
    this.dropRows(this.rowsInDom.length - (rows.end - rows.first));
    this.rowsInDom.forEach((parts, k) => this.fillRow(parts, data, rows.first + k, cols));
    for (let i = rows.first + this.rowsInDom.length; i < rows.end; i++) {
      const parts = this.takeRow(data, i, cols);
      this.spacers.bottom.before(parts.tr);
      this.rowsInDom.push(parts);
    }
    return rows;
  }

  /**
   * A vertical scroll with the same columns: rows still in view stay untouched; those scrolled out
   * are removed and filled again as the rows scrolled in, at most NEW_ROWS_PER_FRAME of them (the
   * nearest to those kept). Returns the rows built.
   */
  private slideRows(data: SegmentationResult, want: Span, cols: Span): Span {
    const old = this.rowSpan;
    const keepFirst = Math.max(old.first, want.first);
    const keepEnd = Math.min(old.end, want.end);
    if (keepFirst >= keepEnd) return this.refillRows(data, want, cols);
    const up = Math.min(keepFirst - want.first, NEW_ROWS_PER_FRAME);
    const rows = { first: keepFirst - up, end: Math.min(want.end, keepEnd + NEW_ROWS_PER_FRAME - up) };
    const kept = this.rowsInDom.slice(keepFirst - old.first, keepEnd - old.first);
    for (const parts of [...this.rowsInDom.slice(0, keepFirst - old.first), ...this.rowsInDom.slice(keepEnd - old.first)]) this.retire(parts);
    const above: RowParts[] = [];
    for (let i = rows.first; i < keepFirst; i++) above.push(this.takeRow(data, i, cols));
    const below: RowParts[] = [];
    for (let i = keepEnd; i < rows.end; i++) below.push(this.takeRow(data, i, cols));
    this.spacers.top.after(...above.map((p) => p.tr));
    this.spacers.bottom.before(...below.map((p) => p.tr));
    this.rowsInDom = [...above, ...kept, ...below];
    return rows;
  }

  /** Takes `count` row elements from the end out of the DOM (none when count ≤ 0); they are spare. */
  private dropRows(count: number): void {
    for (let k = 0; k < count; k++) {
      const parts = this.rowsInDom.pop();
      if (!parts) return;
      this.retire(parts);
    }
  }

  /** A row out of the DOM, kept to be filled again. */
  private retire(parts: RowParts): void {
    parts.tr.remove();
    this.spareRows.push(parts);
  }

  /** A spare row (or a new one) filled for sorted row `index`; the caller puts it in the DOM. */
  private takeRow(data: SegmentationResult, index: number, cols: Span): RowParts {
    return this.fillRow(this.spareRows.pop() ?? this.newRow(), data, index, cols);
  }

  /** The spacers stand in for `above` rows before those in the DOM and `below` after them. */
  private sizeSpacers(above: number, below: number, buckets: number): void {
    const size = (tr: HTMLTableRowElement, count: number) => {
      tr.hidden = count <= 0;
      const td = tr.cells[0];
      if (td.colSpan !== buckets + 2) td.colSpan = buckets + 2;
      const height = `${Math.max(0, count) * this.rowHeight}px`;
      if (td.style.height !== height) td.style.height = height;
    };
    size(this.spacers.top, above);
    size(this.spacers.bottom, below);
  }

  /**
   * Rebuilding (or even moving) a row or the header drops the keyboard focus; a segment's checkbox
   * or a column's sort button that had it gets it back when it is still in the DOM.
   */
  private focusedControl(): FocusedControl | null {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.parts.table.contains(active)) return null;
    if (active instanceof HTMLInputElement && active.dataset.segment !== undefined) return { attr: 'segment', value: active.dataset.segment };
    if (active.dataset.sort !== undefined) return { attr: 'sort', value: active.dataset.sort };
    return null;
  }

  private restoreFocus(control: FocusedControl | null): void {
    this.focusWanted = null;
    if (!control) return;
    const selector = control.attr === 'segment' ? 'input[data-segment]' : 'button[data-sort]';
    for (const el of this.parts.table.querySelectorAll<HTMLElement>(selector)) {
      if (el.dataset[control.attr] !== control.value) continue;
      if (document.activeElement !== el) el.focus({ preventScroll: true });
      return;
    }
    // Its row may come in the next frame of a partial build: it gets the focus then.
    if (this.partial) {
      this.focusWanted = control;
      return;
    }
    // Its row is out of view now, and the element that had the focus may show another segment.
    const active = document.activeElement;
    if (active instanceof HTMLElement && this.parts.table.contains(active)) active.blur();
  }

  /** The rows and bucket columns to have in the DOM for the current scroll positions. */
  private measureWindow(buckets: number): { rows: Span; cols: Span } {
    const { scroll, thead, tbody, table } = this.parts;
    const box = scroll.getBoundingClientRect();
    // Past the window's edges the table is not seen either; a margin of one viewport keeps rows
    // ready for page scrolls and for a table just below the fold.
    const marginY = window.innerHeight;
    const marginX = window.innerWidth;
    const headerHeight = thead.getBoundingClientRect().height;
    const listTop = tbody.getBoundingClientRect().top - (box.top + scroll.clientTop) + scroll.scrollTop;
    const y = visibleStretch({
      scroll: scroll.scrollTop,
      client: scroll.clientHeight,
      listStart: listTop,
      covered: headerHeight,
      scrollerAt: box.top + scroll.clientTop + marginY,
      viewport: window.innerHeight + 2 * marginY,
    });
    const rows = visibleSpan({ count: this.shown, size: this.rowHeight, from: y.from, to: y.to, overscan: ROW_OVERSCAN });
    const heads = thead.rows[0]?.cells;
    if (!heads || heads.length < 2 || buckets === 0) return { rows, cols: { first: 0, end: buckets } };
    // Bucket columns share one width (fixed layout), stretched alike when the table is wider;
    // before them, the segment and Total columns.
    const tableBox = table.getBoundingClientRect();
    const bucketsLeft = heads[0].getBoundingClientRect().width + heads[1].getBoundingClientRect().width;
    const x = visibleStretch({
      scroll: scroll.scrollLeft,
      client: scroll.clientWidth,
      listStart: bucketsLeft,
      covered: bucketsLeft,
      scrollerAt: box.left + scroll.clientLeft + marginX,
      viewport: window.innerWidth + 2 * marginX,
    });
    const width = (tableBox.width - bucketsLeft) / buckets;
    const cols = visibleSpan({ count: buckets, size: width, from: x.from, to: x.to, overscan: COL_OVERSCAN });
    return { rows, cols };
  }

  private onScroll(): void {
    if (this.renderedFor) this.scheduleBody(false);
  }

  /** A resize may also be a zoom: the row height is measured again. */
  private onResize(): void {
    this.rowHeightKnown = false;
    this.onScroll();
  }

  /** Busy while an answer loads or its rows are not in the DOM yet (assistive tech and tests wait on it). */
  private markBusy(): void {
    const busy = this.models.result.get('status') === 'loading' || this.stale || this.partial;
    if (this.el.getAttribute('aria-busy') !== String(busy)) this.el.setAttribute('aria-busy', String(busy));
  }

  /** An empty row element with its fixed cells; fillRow gives it a segment and columns. */
  private newRow(): RowParts {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'table-app__segment-col';
    th.setAttribute('aria-colindex', '1');
    const label = document.createElement('label');
    let input: HTMLInputElement | null = null;
    if (this.interactive) {
      input = document.createElement('input');
      input.type = 'checkbox';
      label.appendChild(input);
    }
    const swatch = document.createElement('span');
    swatch.className = 'table-app__swatch';
    swatch.setAttribute('aria-hidden', 'true');
    label.appendChild(swatch);
    const name = document.createElement('span');
    label.appendChild(name);
    th.appendChild(label);
    tr.appendChild(th);
    const total = document.createElement('td');
    total.className = 'table-app__total-col';
    total.setAttribute('aria-colindex', '2');
    tr.appendChild(total);
    return { tr, input, swatch, name, total, before: gapCell(), after: gapCell(), cells: [], segment: null };
  }

  /** Makes `parts` show sorted row `index` with the bucket columns in `cols`, changing only what differs. */
  private fillRow(parts: RowParts, data: SegmentationResult, index: number, cols: Span): RowParts {
    const row = this.sorted[index];
    const { tr, input, name, cells, before, after } = parts;
    if (parts.segment !== row.segment) {
      parts.segment = row.segment;
      tr.dataset.segment = row.segment;
      if (input) {
        input.dataset.segment = row.segment;
        input.setAttribute('aria-label', `Show ${row.label}`);
      }
      setText(name, row.label);
      name.title = row.label;
    }
    const nameClass = isNotSet(data, row.segment) ? 'table-app__name is-not-set' : 'table-app__name';
    if (name.className !== nameClass) name.className = nameClass;
    // Not every row and column is in the DOM: the indices tell assistive tech where a cell is.
    setAttr(tr, 'aria-rowindex', String(index + 2));
    setText(parts.total, formatNumber(row.total));
    const count = cols.end - cols.first;
    while (cells.length > count) cells.pop()?.remove();
    while (cells.length < count) {
      const td = document.createElement('td');
      tr.insertBefore(td, after.parentNode === tr ? after : null);
      cells.push(td);
    }
    for (let k = 0; k < count; k++) {
      const j = cols.first + k;
      const v = row.values[j];
      const td = cells[k];
      setAttr(td, 'aria-colindex', String(j + 3));
      setText(td, formatNumber(v));
      const cls = v === 0 ? 'is-zero' : '';
      if (td.className !== cls) td.className = cls;
    }
    placeGap(before, cols.first, () => parts.total.after(before));
    placeGap(after, row.values.length - cols.end, () => tr.appendChild(after));
    return parts;
  }

  /** Ticks and swatches follow SeriesSelection; cheap, so it runs on every render. */
  private renderDrawn(data: SegmentationResult): void {
    const { result, selection } = this.models;
    const ranked = result.rankedSegments();
    const drawn = selection.drawn(ranked);
    const styles = sessionColors.assign(drawn, (s) => isNotSet(data, s));
    for (const parts of this.rowsInDom) {
      const style = styles.get(parts.segment ?? '');
      if (parts.input) parts.input.checked = style !== undefined;
      parts.tr.classList.toggle('is-drawn', style !== undefined);
      const shown = style && this.interactive ? style : null;
      // Segments past the tenth reuse colours with dashed lines; the swatch shows stripes for those.
      parts.swatch.style.color = shown ? shown.color : '';
      parts.swatch.classList.toggle('is-solid', shown !== null && shown.dash.length === 0);
      parts.swatch.classList.toggle('is-dashed', shown !== null && shown.dash.length > 0);
    }
    const n = ranked.length;
    setText(this.parts.count, this.interactive
      ? `${formatNumber(n)} segment${n === 1 ? '' : 's'} · ${formatNumber(drawn.length)} drawn`
      : `${formatNumber(n)} segment${n === 1 ? '' : 's'}`);
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
    this.parts.scroll.removeEventListener('scroll', this.onWindowScroll);
    window.removeEventListener('scroll', this.onWindowScroll);
    window.removeEventListener('resize', this.onWindowResize);
    this.resizes?.disconnect();
    this.resizes = null;
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

/** Stands in for bucket columns out of view, keeping the row as wide as the header. */
function gapCell(tag: 'td' | 'th' = 'td'): HTMLTableCellElement {
  const td = document.createElement(tag);
  td.className = 'table-app__gap';
  td.setAttribute('aria-hidden', 'true');
  return td;
}

/** A gap cell spanning `span` columns, put in its row by `insert` when absent; out of the row when nothing is out of view. */
function placeGap(td: HTMLTableCellElement, span: number, insert: () => void): void {
  if (span <= 0) {
    td.remove();
    return;
  }
  if (td.colSpan !== span) td.colSpan = span;
  if (!td.parentNode) insert();
}

function spanning(td: HTMLTableCellElement, span: number): HTMLTableCellElement {
  td.colSpan = span;
  return td;
}

function spacerRow(): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = 'table-app__spacer';
  tr.setAttribute('aria-hidden', 'true');
  tr.hidden = true;
  tr.appendChild(document.createElement('td'));
  return tr;
}

/** Text set only when it differs (setting the same text still replaces the node, and lays it out again). */
function setText(el: HTMLElement, text: string): void {
  const node = el.firstChild;
  if (node && node === el.lastChild && node.nodeType === Node.TEXT_NODE) {
    if ((node as Text).data !== text) (node as Text).data = text;
  } else el.textContent = text;
}

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
