// One filter row: "Property  Operator  Value  ✕". Reads like a sentence ("country equals US").
// Handlers write the FilterDraft; the row updates its controls in place so typing never loses
// focus.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import { OPERATORS, operandCount } from '../../../report/filters.ts';
import type { FilterOperator, FilterType } from '../../../report/filters.ts';
import { formatNumber } from '../../format.ts';
import { Combobox } from './combobox.ts';
import type { DraftRow, FilterDraft } from './filter-draft.ts';
import { operatorFor } from './filter-draft.ts';
import { TYPE_GLYPH, TYPE_NAME } from './glyphs.ts';
import type { SchemaClient } from './schema.ts';
import { isPickable } from './schema.ts';

export type FilterRowOptions = {
  draft: FilterDraft;
  row: DraftRow;
  schema: SchemaClient;
  event: () => string | null;
};

type Shape = 'none' | 'text' | 'number' | 'number2' | 'date' | 'date2' | 'days';

function shapeOf(type: FilterType, op: FilterOperator): Shape {
  const n = operandCount(op);
  if (n === 0) return 'none';
  if (op === 'last_days') return 'days';
  if (type === 'number') return n === 2 ? 'number2' : 'number';
  if (type === 'datetime') return n === 2 ? 'date2' : 'date';
  return 'text';
}

const NUMBER_RE = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
function readNumber(text: string): number | undefined {
  return NUMBER_RE.test(text) ? Number(text) : undefined;
}

export class FilterRowView extends BaseView {
  declare private o: FilterRowOptions;
  declare row: DraftRow;
  declare private property: Combobox;
  declare private valueCombo: Combobox | null;
  declare private shape: Shape | null;

  constructor(options: FilterRowOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as FilterRowOptions;
    this.row = this.o.row;
    this.valueCombo = null;
    this.shape = null;
    this.className = 'filter-row';
    this.attributes = { role: 'group' };
    this.events = {
      'change .filter-row__operator': 'onOperator',
      'input .filter-row__input': 'onValueInput',
      'click .filter-row__remove': 'onRemove',
    };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="filter-row__property"></div>
      <select class="filter-row__operator" aria-label="Operator"></select>
      <div class="filter-row__value"></div>
      <button type="button" class="filter-row__remove icon-btn" aria-label="Remove filter" title="Remove filter">✕</button>`;
    this.property = this.addChild(
      new Combobox({
        label: 'Property',
        placeholder: 'Property',
        extraClass: 'combo--property',
        source: (text) => this.propertyOptions(text),
        onCommit: (name) => void this.pickProperty(name),
      }),
    );
    (this.el.querySelector('.filter-row__property') as HTMLElement).appendChild(this.property.el);
  }

  private async propertyOptions(text: string) {
    const props = await this.o.schema.listProperties(this.o.event());
    const t = text.toLowerCase();
    return props
      .filter((p) => isPickable(p) && p.name.toLowerCase().includes(t))
      .map((p) => ({
        value: p.name,
        glyph: TYPE_GLYPH[p.type],
        detail: p.count ? formatNumber(p.count) : undefined,
        title: `${p.name}: ${p.types.map((x) => TYPE_NAME[x as FilterType] ?? x).join(', ')}`,
      }));
  }

  private async pickProperty(name: string): Promise<void> {
    // The row takes the property at once (value suggestions need it); whether a text property
    // holds dates is known a moment later, and then only the type is refined.
    this.setProperty(name, this.o.schema.knownTypes.get(name) ?? 'string');
    const type = await this.o.schema.rowType(this.o.event(), name);
    if (this.isDestroyed || this.row.property !== name || this.row.type === type) return;
    this.setProperty(name, type);
  }

  private setProperty(name: string, type: FilterType): void {
    const row = this.row;
    const sameType = row.type === type;
    this.o.draft.updateRow(row.id, {
      property: name,
      type,
      operator: operatorFor(type, row.operator),
      value: sameType ? row.value : undefined,
      value2: sameType ? row.value2 : undefined,
    });
    this.row = this.o.draft.get('rows').find((r) => r.id === row.id) ?? this.row;
  }

  private onOperator(e: Event): void {
    const op = (e.target as HTMLSelectElement).value as FilterOperator;
    const before = shapeOf(this.row.type, this.row.operator);
    const after = shapeOf(this.row.type, op);
    const keep = before === after || (before === 'number' && after === 'number2') || (before === 'date' && after === 'date2');
    this.o.draft.updateRow(this.row.id, { operator: op, value: keep ? this.row.value : undefined, value2: keep ? this.row.value2 : undefined });
  }

  private onValueInput(e: Event): void {
    const input = e.target as HTMLInputElement;
    const which = input.dataset.operand === '2' ? 'value2' : 'value';
    const shape = this.shape;
    const text = input.value;
    let v: string | number | undefined;
    if (shape === 'number' || shape === 'number2' || shape === 'days') v = readNumber(text);
    else v = text === '' ? undefined : text;
    input.setAttribute('aria-invalid', String(text !== '' && v === undefined));
    this.o.draft.updateRow(this.row.id, { [which]: v });
  }

  private onRemove(): void {
    this.o.draft.removeRow(this.row.id);
  }

  /** New data for this row (same id). */
  update(row: DraftRow): void {
    if (this.isDestroyed) return;
    const reshaped = shapeOf(row.type, row.operator) !== this.shape;
    this.row = row;
    // A new kind of value field (another operator or type) is built at once: what is typed right
    // after choosing the operator must land in the new field, not in the one about to go.
    if (reshaped) this.render();
    else this.scheduleRender();
  }

  override render(): this {
    const r = this.row;
    this.el.setAttribute('aria-label', r.property ? `Filter on ${r.property}` : 'New filter');
    this.el.dataset.type = r.type;
    this.property.setValue(r.property);
    const glyph = this.el.querySelector('.filter-row__property') as HTMLElement;
    glyph.dataset.glyph = r.property ? TYPE_GLYPH[r.type] : '';
    glyph.title = r.property ? `${r.property} (${TYPE_NAME[r.type]})` : '';
    const sel = this.el.querySelector('.filter-row__operator') as HTMLSelectElement;
    const key = `${r.type}`;
    if (sel.dataset.type !== key) {
      sel.replaceChildren(...OPERATORS[r.type].map(({ op, label }) => new Option(label, op)));
      sel.dataset.type = key;
    }
    sel.value = r.operator;
    sel.disabled = !r.property;
    this.renderValue();
    return this;
  }

  private renderValue(): void {
    const r = this.row;
    const shape = shapeOf(r.type, r.operator);
    const box = this.el.querySelector('.filter-row__value') as HTMLElement;
    if (shape !== this.shape) {
      this.shape = shape;
      if (this.valueCombo) this.removeChild(this.valueCombo);
      this.valueCombo = null;
      box.replaceChildren();
      box.dataset.shape = shape;
      const input = (operand: '1' | '2', type: string, label: string) => {
        const i = document.createElement('input');
        i.className = 'filter-row__input';
        i.type = type;
        i.dataset.operand = operand;
        i.setAttribute('aria-label', label);
        if (type === 'number') i.step = 'any';
        return i;
      };
      const joiner = (text: string) => {
        const s = document.createElement('span');
        s.className = 'filter-row__joiner';
        s.textContent = text;
        return s;
      };
      if (shape === 'text') {
        this.valueCombo = this.addChild(
          new Combobox({
            label: 'Value',
            placeholder: 'Value',
            freeText: true,
            extraClass: 'combo--value',
            source: (text, signal) => this.valueOptions(text, signal),
            onCommit: (v) => this.o.draft.updateRow(this.row.id, { value: v }),
          }),
        );
        box.appendChild(this.valueCombo.el);
      } else if (shape === 'number' || shape === 'date') {
        box.append(input('1', shape, 'Value'));
      } else if (shape === 'number2' || shape === 'date2') {
        box.append(input('1', shape === 'number2' ? 'number' : 'date', 'Value'), joiner('and'), input('2', shape === 'number2' ? 'number' : 'date', 'Upper value'));
      } else if (shape === 'days') {
        const i = input('1', 'number', 'Value');
        i.min = '1';
        box.append(i, joiner('days'));
      }
    }
    if (this.valueCombo) this.valueCombo.setValue(typeof r.value === 'string' ? r.value : '');
    for (const i of box.querySelectorAll<HTMLInputElement>('input.filter-row__input')) {
      const v = i.dataset.operand === '2' ? r.value2 : r.value;
      if (document.activeElement === i) continue; // the user is typing here
      i.value = v === undefined ? '' : String(v);
    }
  }

  private async valueOptions(text: string, signal: AbortSignal) {
    if (!this.row.property) return [];
    const values = await this.o.schema.listValues(this.o.event(), this.row.property, text, signal);
    return values.map((v) => ({ value: v.value, detail: v.count ? formatNumber(v.count) : undefined }));
  }
}
