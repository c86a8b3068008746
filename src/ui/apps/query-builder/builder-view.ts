// The query panel: Event & Measure, Filters, Breakdown, Edit as expression. It also keeps the
// filter rows and ReportQuery.where in step (the rows are one editor of `where`, the text mode
// the other).
import { BaseView } from '../../core/base-view.ts';
import { Backbone } from '../../lib/backbone.ts';
import type { ReportModels } from '../../core/app.ts';
import { BreakdownView } from './breakdown-view.ts';
import { EventView } from './event-view.ts';
import { ExpressionView } from './expression-view.ts';
import { FilterDraft, sameAst } from './filter-draft.ts';
import { FiltersView } from './filters-view.ts';
import type { SchemaClient } from './schema.ts';
import { onToProperty } from '../../../report/filters.ts';

export type BuilderOptions = { models: ReportModels; schema: SchemaClient };

export class BuilderView extends BaseView {
  declare private o: BuilderOptions;
  declare private draft: FilterDraft;
  declare private ui: Backbone.Model;

  constructor(options: BuilderOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as BuilderOptions;
    this.className = 'qb';
    this.draft = new FilterDraft();
    this.ui = new Backbone.Model({ textMode: false });
  }

  override initialize(): void {
    const { query } = this.o.models;
    const schema = this.o.schema;
    const types = (p: string) => schema.knownTypes.get(p);
    this.draft.syncFrom(query.get('where'), types);
    // An unsupported `where` opens the text mode, where it can be read and changed.
    if (this.draft.get('unsupported') || (query.get('on') !== null && onToProperty(query.get('on')) === null)) this.ui.set({ textMode: true });

    const children = [
      new EventView({ query, schema }),
      new FiltersView({
        draft: this.draft,
        schema,
        event: () => query.get('event'),
        onClear: () => query.set({ where: null }),
        onEditText: () => this.ui.set({ textMode: true }),
      }),
      new BreakdownView({ query, schema }),
      new ExpressionView({ query, ui: this.ui }),
    ];
    for (const c of children) {
      this.addChild(c);
      this.el.appendChild(c.el);
      c.render();
    }

    // rows → where (only when the rows mean something else than what is there)
    this.listenTo(this.draft, 'change:rows change:match', () => {
      if (this.draft.get('unsupported') !== null) return;
      const ast = this.draft.toAst();
      if (!sameAst(ast, query.get('where'))) query.set({ where: ast });
    });
    // where → rows (text mode, URL, back/forward)
    this.listenTo(query, 'change:where', () => this.draft.syncFrom(query.get('where'), types));
    // Types load after the rows were decoded (e.g. `is set` rows): decode again once known.
    this.listenTo(query, 'change:event', () => void this.refreshTypes());
    void this.refreshTypes();
  }

  private async refreshTypes(): Promise<void> {
    const { query } = this.o.models;
    try {
      await this.o.schema.listProperties(query.get('event'));
    } catch {
      return;
    }
    if (this.isDestroyed) return;
    const types = (p: string) => this.o.schema.knownTypes.get(p);
    const rows = this.draft.get('rows');
    if (rows.some((r) => r.property && types(r.property) && types(r.property) !== r.type && (r.operator === 'is_set' || r.operator === 'is_not_set'))) {
      this.draft.set({ rows: rows.map((r) => (r.operator === 'is_set' || r.operator === 'is_not_set' ? { ...r, type: types(r.property) ?? r.type } : r)) });
    }
  }

  override render(): this {
    return this;
  }

  protected override onDestroy(): void {
    this.draft.stopListening();
    this.draft.off();
    this.ui.off();
  }
}
