// Above the chart: Range presets (7/30/90 days, Custom), From/To, Unit, Chart type.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import type { ChartType, ReportQuery } from '../../state/report-query.ts';
import type { Range } from '../../state/dates.ts';
import { isIsoDate } from '../../state/dates.ts';
import type { Unit } from '../../../report/types.ts';

export type ToolbarOptions = { query: ReportQuery };

export class ToolbarView extends BaseView {
  declare private o: ToolbarOptions;

  constructor(options: ToolbarOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as ToolbarOptions;
    this.className = 'toolbar';
    this.events = {
      'change input[name=qb-range]': 'onRange',
      'change #qb-from, #qb-to': 'onDates',
      'change #qb-unit': 'onUnit',
      'change #qb-chart': 'onChart',
    };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="toolbar__group">
        <span class="toolbar__label" id="qb-range-label">Range</span>
        <div class="segmented" role="radiogroup" aria-labelledby="qb-range-label">
          <label><input type="radio" name="qb-range" value="7d" /><span>7 days</span></label>
          <label><input type="radio" name="qb-range" value="30d" /><span>30 days</span></label>
          <label><input type="radio" name="qb-range" value="90d" /><span>90 days</span></label>
          <label><input type="radio" name="qb-range" value="custom" /><span>Custom</span></label>
        </div>
      </div>
      <div class="toolbar__group toolbar__dates">
        <label class="toolbar__label" for="qb-from">From</label>
        <input id="qb-from" type="date" required />
        <label class="toolbar__label" for="qb-to">To</label>
        <input id="qb-to" type="date" required />
      </div>
      <div class="toolbar__group">
        <label class="toolbar__label" for="qb-unit">Unit</label>
        <select id="qb-unit">
          <option value="minute" hidden>Minute</option>
          <option value="hour">Hour</option>
          <option value="day">Day</option>
          <option value="week">Week</option>
          <option value="month">Month</option>
        </select>
      </div>
      <div class="toolbar__group toolbar__group--end">
        <label class="toolbar__label" for="qb-chart">Chart type</label>
        <select id="qb-chart">
          <option value="line">Line</option>
          <option value="bar">Bar</option>
          <option value="stacked">Stacked bar</option>
        </select>
      </div>
      <p class="toolbar__error" role="alert" hidden></p>`;
    this.listenTo(this.o.query, 'change:range change:from change:to change:unit change:chart', this.scheduleRender);
  }

  private onRange(e: Event): void {
    const range = (e.target as HTMLInputElement).value as Range;
    if (range === 'custom') {
      this.o.query.set({ range: 'custom' });
      (this.el.querySelector('#qb-from') as HTMLInputElement).focus();
    } else this.o.query.set(this.o.query.rangeAttrs(range));
  }

  private onDates(): void {
    const from = (this.el.querySelector('#qb-from') as HTMLInputElement).value;
    const to = (this.el.querySelector('#qb-to') as HTMLInputElement).value;
    const err = this.el.querySelector('.toolbar__error') as HTMLElement;
    if (!isIsoDate(from) || !isIsoDate(to)) {
      err.textContent = 'Enter both dates, From and To.';
      err.hidden = false;
      return;
    }
    if (from > to) {
      err.textContent = 'From must not be after To.';
      err.hidden = false;
      return;
    }
    err.hidden = true;
    this.o.query.set({ range: 'custom', from, to });
  }

  private onUnit(e: Event): void {
    this.o.query.set({ unit: (e.target as HTMLSelectElement).value as Unit });
  }

  private onChart(e: Event): void {
    this.o.query.set({ chart: (e.target as HTMLSelectElement).value as ChartType });
  }

  override render(): this {
    const q = this.o.query;
    for (const r of this.el.querySelectorAll<HTMLInputElement>('input[name=qb-range]')) r.checked = r.value === q.get('range');
    const { from, to } = q.dates();
    const fromEl = this.el.querySelector('#qb-from') as HTMLInputElement;
    const toEl = this.el.querySelector('#qb-to') as HTMLInputElement;
    if (document.activeElement !== fromEl) fromEl.value = from;
    if (document.activeElement !== toEl) toEl.value = to;
    // Presets say their dates in the header; From/To are for choosing a custom range.
    (this.el.querySelector('.toolbar__dates') as HTMLElement).hidden = q.get('range') !== 'custom';
    const unit = this.el.querySelector('#qb-unit') as HTMLSelectElement;
    (unit.querySelector('option[value=minute]') as HTMLOptionElement).hidden = q.get('unit') !== 'minute';
    unit.value = q.get('unit');
    (this.el.querySelector('#qb-chart') as HTMLSelectElement).value = q.get('chart');
    return this;
  }
}
