// "Edit as expression": the `where` and `on` attributes as text. Typing parses on the fly; a valid
// text becomes the AST (the same one the visual builder makes), an invalid one shows its error at
// line:column with a caret and leaves the model alone. Both editors write the same attributes.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import type { ReportQuery } from '../../state/report-query.ts';
import { ExprError, check, parse, print, stripSpans } from '../../../expr/index.ts';
import type { Expr } from '../../../expr/index.ts';
import { sameAst } from './filter-draft.ts';

export type ExpressionOptions = { query: ReportQuery; ui: Backbone.Model };

type Field = 'where' | 'on';
export type TextResult = { ok: true; ast: Expr | null; warnings: string[] } | { ok: false; error: ExprError };

/** Text to AST as the text mode reads it: blank is "no expression". */
export function readExpression(text: string): TextResult {
  if (text.trim() === '') return { ok: true, ast: null, warnings: [] };
  try {
    const ast = parse(text);
    const { warnings } = check(ast, { text, fold: false });
    return { ok: true, ast: stripSpans(ast), warnings: warnings.map((w) => w.message) };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e };
    throw e;
  }
}

/** The offending line with a caret under the column, for a monospace block. */
export function caretSnippet(text: string, line: number, column: number): string {
  const src = text.split('\n')[line - 1] ?? '';
  return `${src}\n${' '.repeat(Math.max(0, column - 1))}^`;
}

export class ExpressionView extends BaseView {
  declare private o: ExpressionOptions;

  constructor(options: ExpressionOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as ExpressionOptions;
    this.tagName = 'section';
    this.className = 'qb-section qb-expr';
    this.events = {
      'click .qb-expr__toggle': 'onToggle',
      'input textarea': 'onInput',
    };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <button type="button" class="qb-expr__toggle" aria-expanded="false" aria-controls="qb-expr-body">
        <span class="qb-expr__chevron" aria-hidden="true">›</span> Edit as expression
      </button>
      <div class="qb-expr__body" id="qb-expr-body" hidden>
        ${this.fieldHtml('where', 'Where expression', 'properties["country"] == "US"')}
        ${this.fieldHtml('on', 'Breakdown expression', 'properties["$browser"]')}
        <p class="qb-hint">Both editors change the same report: edits here show up as filter rows when rows can say the same thing.</p>
      </div>`;
    this.listenTo(this.o.query, 'change:where change:on', this.scheduleRender);
    this.listenTo(this.o.ui, 'change:textMode', this.scheduleRender);
  }

  private fieldHtml(field: Field, label: string, example: string): string {
    return `
      <div class="qb-field qb-expr__field" data-field="${field}">
        <label class="qb-label" for="qb-${field}-text">${label}</label>
        <textarea id="qb-${field}-text" data-field="${field}" rows="3" spellcheck="false" autocapitalize="off" autocomplete="off"
          placeholder='${example}' aria-describedby="qb-${field}-error"></textarea>
        <div class="qb-expr__error" id="qb-${field}-error" role="alert" hidden>
          <p class="qb-expr__message"></p>
          <pre class="qb-expr__caret" aria-hidden="true"></pre>
        </div>
        <ul class="qb-expr__warnings"></ul>
      </div>`;
  }

  private onToggle(): void {
    this.o.ui.set({ textMode: !this.o.ui.get('textMode') });
  }

  private onInput(e: Event): void {
    const ta = e.target as HTMLTextAreaElement;
    const field = ta.dataset.field as Field;
    const r = readExpression(ta.value);
    this.showResult(field, ta.value, r);
    if (r.ok && !sameAst(r.ast, this.o.query.get(field))) {
      this.o.query.set(field === 'on' ? { on: r.ast, ...(r.ast === null ? { buckets: null } : {}) } : { where: r.ast });
    }
  }

  private showResult(field: Field, text: string, r: TextResult): void {
    const box = this.el.querySelector(`.qb-expr__field[data-field=${field}]`) as HTMLElement;
    const ta = box.querySelector('textarea') as HTMLTextAreaElement;
    const err = box.querySelector('.qb-expr__error') as HTMLElement;
    const warnings = box.querySelector('.qb-expr__warnings') as HTMLElement;
    if (r.ok) {
      err.hidden = true;
      ta.removeAttribute('aria-invalid');
      warnings.replaceChildren(...r.warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
      return;
    }
    const e = r.error;
    ta.setAttribute('aria-invalid', 'true');
    (err.querySelector('.qb-expr__message') as HTMLElement).textContent = e.line !== null ? e.message : `${e.message}`;
    (err.querySelector('.qb-expr__caret') as HTMLElement).textContent = e.line !== null && e.column !== null ? caretSnippet(text, e.line, e.column) : '';
    err.hidden = false;
    warnings.replaceChildren();
  }

  override render(): this {
    const open = !!this.o.ui.get('textMode');
    (this.el.querySelector('.qb-expr__toggle') as HTMLElement).setAttribute('aria-expanded', String(open));
    (this.el.querySelector('.qb-expr__body') as HTMLElement).hidden = !open;
    for (const field of ['where', 'on'] as const) {
      const ta = this.el.querySelector(`#qb-${field}-text`) as HTMLTextAreaElement;
      const model = this.o.query.get(field);
      const current = readExpression(ta.value);
      // Leave the analyst's own text alone when it already means what the model holds.
      if (current.ok && sameAst(current.ast, model)) continue;
      // Mid-typing with an error: the model did not change from here, keep the text.
      if (!current.ok && document.activeElement === ta) continue;
      ta.value = model ? print(model) : '';
      this.showResult(field, ta.value, readExpression(ta.value));
    }
    return this;
  }
}
