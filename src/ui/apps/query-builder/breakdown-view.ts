// Breakdown: by a property (picker with types), by an expression (text mode), and numeric
// bucketing for number properties.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import type { ReportQuery } from '../../state/report-query.ts';
import { onToProperty, propertyToOn } from '../../../report/filters.ts';
import { MAX_NUMERIC_BUCKETS } from '../../../report/types.ts';
import { formatNumber } from '../../format.ts';
import { Combobox } from './combobox.ts';
import type { ComboOption } from './combobox.ts';
import { TYPE_GLYPH, TYPE_NAME } from './glyphs.ts';
import type { SchemaClient } from './schema.ts';
import { isPickable } from './schema.ts';

export type BreakdownOptions = { query: ReportQuery; schema: SchemaClient };

const NONE = '';
const CUSTOM = '\u0000custom';

export class BreakdownView extends BaseView {
  declare private o: BreakdownOptions;
  declare private picker: Combobox;

  constructor(options: BreakdownOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as BreakdownOptions;
    this.tagName = 'section';
    this.className = 'qb-section qb-breakdown';
    this.attributes = { 'aria-label': 'Breakdown' };
    this.events = { 'input #qb-buckets': 'onBuckets' };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="qb-field">
        <label class="qb-label" for="qb-breakdown">Breakdown</label>
        <div class="qb-breakdown__picker"></div>
      </div>
      <p class="qb-hint qb-breakdown__custom" hidden>Broken down by an expression. Change it under “Edit as expression”, or pick a property to replace it.</p>
      <div class="qb-field qb-breakdown__buckets" hidden>
        <label class="qb-label" for="qb-buckets">Buckets</label>
        <input id="qb-buckets" type="number" min="1" max="${MAX_NUMERIC_BUCKETS}" step="1" placeholder="each value" inputmode="numeric" />
      </div>`;
    this.picker = this.addChild(
      new Combobox({
        label: 'Breakdown',
        inputId: 'qb-breakdown',
        placeholder: 'None',
        extraClass: 'combo--breakdown',
        display: (v) => (v === CUSTOM ? 'Custom expression' : v),
        source: (text) => this.options(text),
        onCommit: (name) => {
          if (name === CUSTOM) return;
          this.o.query.set({ on: propertyToOn(name || null), buckets: null });
        },
      }),
    );
    (this.el.querySelector('.qb-breakdown__picker') as HTMLElement).appendChild(this.picker.el);
    this.listenTo(this.o.query, 'change:on change:buckets change:event', this.scheduleRender);
  }

  private async options(text: string): Promise<ComboOption[]> {
    const props = await this.o.schema.listProperties(this.o.query.get('event'));
    const t = text.toLowerCase();
    const none: ComboOption[] = 'none'.includes(t) ? [{ value: NONE, label: 'None', detail: 'one line' }] : [];
    return none.concat(
      props
        .filter((p) => isPickable(p) && p.name.toLowerCase().includes(t))
        .map((p) => ({ value: p.name, glyph: TYPE_GLYPH[p.type], detail: p.count ? formatNumber(p.count) : undefined, title: `${p.name}: ${TYPE_NAME[p.type]}` })),
    );
  }

  private onBuckets(e: Event): void {
    const text = (e.target as HTMLInputElement).value;
    const n = /^\d+$/.test(text) ? Number(text) : null;
    this.o.query.set({ buckets: n !== null && n >= 1 && n <= MAX_NUMERIC_BUCKETS ? n : null });
  }

  override render(): this {
    const on = this.o.query.get('on');
    const name = onToProperty(on);
    const custom = on !== null && name === null;
    this.picker.setValue(custom ? CUSTOM : name ?? NONE);
    (this.el.querySelector('.qb-breakdown__custom') as HTMLElement).hidden = !custom;
    const bucketsBox = this.el.querySelector('.qb-breakdown__buckets') as HTMLElement;
    const input = this.el.querySelector('#qb-buckets') as HTMLInputElement;
    const buckets = this.o.query.get('buckets');
    if (document.activeElement !== input) input.value = buckets === null ? '' : String(buckets);
    bucketsBox.hidden = true;
    if (custom) bucketsBox.hidden = false;
    else if (name !== null) {
      void this.o.schema.listProperties(this.o.query.get('event')).then((props) => {
        if (this.isDestroyed) return;
        const p = props.find((x) => x.name === onToProperty(this.o.query.get('on')));
        bucketsBox.hidden = p?.type !== 'number';
      }).catch(() => undefined);
    }
    return this;
  }
}
