// Filters: "Match all/any", the rows, "Add filter", and a plain notice when the current `where`
// is more than rows can show.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import type { FilterDraft } from './filter-draft.ts';
import { FilterRowView } from './filter-row-view.ts';
import type { SchemaClient } from './schema.ts';

export type FiltersOptions = { draft: FilterDraft; schema: SchemaClient; event: () => string | null; onClear: () => void; onEditText: () => void };

export class FiltersView extends BaseView {
  declare private o: FiltersOptions;
  declare private rowViews: Map<number, FilterRowView>;

  constructor(options: FiltersOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as FiltersOptions;
    this.rowViews = new Map();
    this.tagName = 'section';
    this.className = 'qb-section qb-filters';
    this.attributes = { 'aria-labelledby': 'qb-filters-title' };
    this.events = {
      'click [data-action=add-filter]': 'onAdd',
      'change #qb-match': 'onMatch',
      'click [data-action=clear-filters]': 'onClear',
      'click [data-action=edit-text]': 'onEditText',
    };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="qb-section__head">
        <h2 class="qb-section__title" id="qb-filters-title">Filters</h2>
        <span class="qb-match">
          <label for="qb-match">Match</label>
          <select id="qb-match"><option value="all">all</option><option value="any">any</option></select>
        </span>
      </div>
      <div class="qb-filters__grid">
        <div class="qb-filters__captions" aria-hidden="true"><span>Property</span><span>Operator</span><span>Value</span><span></span></div>
        <div class="qb-filters__rows"></div>
      </div>
      <div class="qb-filters__unsupported notice" hidden>
        <p class="qb-filters__reason"></p>
        <p class="notice__actions">
          <button type="button" class="btn btn--small" data-action="edit-text">Show the expression</button>
          <button type="button" class="btn btn--small btn--ghost" data-action="clear-filters">Clear filters</button>
        </p>
      </div>
      <button type="button" class="btn btn--add" data-action="add-filter"><span aria-hidden="true">+</span> Add filter</button>`;
    this.listenTo(this.o.draft, 'change', this.scheduleRender);
  }

  private onAdd(): void {
    this.o.draft.addRow();
    // Focus the new row's property picker once it is drawn.
    requestAnimationFrame(() => {
      this.flushRender();
      const inputs = this.el.querySelectorAll<HTMLInputElement>('.filter-row .combo--property input');
      inputs[inputs.length - 1]?.focus();
    });
  }

  private onMatch(e: Event): void {
    this.o.draft.set({ match: (e.target as HTMLSelectElement).value === 'any' ? 'any' : 'all' });
  }

  private onClear(): void {
    this.o.onClear();
  }

  private onEditText(): void {
    this.o.onEditText();
  }

  override render(): this {
    const d = this.o.draft;
    const rows = d.get('rows');
    const unsupported = d.get('unsupported');
    const container = this.el.querySelector('.qb-filters__rows') as HTMLElement;
    const seen = new Set<number>();
    rows.forEach((row, i) => {
      seen.add(row.id);
      let v = this.rowViews.get(row.id);
      if (!v) {
        v = this.addChild(new FilterRowView({ draft: d, row, schema: this.o.schema, event: this.o.event }));
        this.rowViews.set(row.id, v);
        v.render();
      } else v.update(row);
      if (container.children[i] !== v.el) container.insertBefore(v.el, container.children[i] ?? null);
    });
    for (const [id, v] of this.rowViews) {
      if (!seen.has(id)) {
        this.rowViews.delete(id);
        this.removeChild(v);
      }
    }
    const match = this.el.querySelector('#qb-match') as HTMLSelectElement;
    match.value = d.get('match');
    (this.el.querySelector('.qb-match') as HTMLElement).hidden = rows.length < 2;
    (this.el.querySelector('.qb-filters__captions') as HTMLElement).hidden = rows.length === 0;
    const notice = this.el.querySelector('.qb-filters__unsupported') as HTMLElement;
    notice.hidden = unsupported === null;
    (this.el.querySelector('.qb-filters__reason') as HTMLElement).textContent = unsupported ?? '';
    (this.el.querySelector('[data-action=add-filter]') as HTMLElement).hidden = unsupported !== null;
    return this;
  }
}
