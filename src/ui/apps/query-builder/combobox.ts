// A searchable picker (ARIA combobox + listbox): type to filter, arrows to move, Enter to pick,
// Escape to close. Used for Event, Property, Value and Breakdown. `freeText` accepts what was
// typed (values); otherwise only listed options can be committed and Escape/blur restores.
// The widget owns only its own DOM; picking calls onCommit, and the parent writes the model.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';

export type ComboOption = { value: string; label?: string; detail?: string; glyph?: string; title?: string };

export type ComboboxOptions = {
  label: string; // accessible name (visible label is the caller's <label for>)
  /** Id of the input, for a visible <label for>. (Not `id`: Backbone would give it to the root.) */
  inputId?: string;
  placeholder?: string;
  freeText?: boolean;
  /** Extra class on the root. (Not `className`: Backbone would take it over the base class.) */
  extraClass?: string;
  /** Options for what was typed ('' = all). May be async (value suggestions). */
  source: (text: string, signal: AbortSignal) => ComboOption[] | Promise<ComboOption[]>;
  onCommit: (value: string) => void;
  /** Shown in the input when closed. */
  display?: (value: string) => string;
};

let nextId = 0;
const MAX_SHOWN = 200;

export class Combobox extends BaseView {
  declare private opts: ComboboxOptions;
  declare private input: HTMLInputElement;
  declare private list: HTMLUListElement;
  declare private options: ComboOption[];
  declare private active: number;
  declare private committed: string;
  declare private loading: AbortController | null;
  declare private listId: string;

  constructor(opts: ComboboxOptions) {
    super(opts as unknown as Backbone.ViewOptions);
  }

  override preinitialize(o?: Backbone.ViewOptions): void {
    super.preinitialize(o);
    this.opts = o as unknown as ComboboxOptions;
    this.className = `combo ${this.opts.extraClass ?? ''}`.trim();
    this.options = [];
    this.active = -1;
    this.committed = '';
    this.loading = null;
    this.listId = `combo-list-${++nextId}`;
    this.events = {
      'focus input': 'onFocus',
      'click input': 'onFocus',
      'input input': 'onInput',
      'keydown input': 'onKey',
      'blur input': 'onBlur',
      'mousedown [role=option]': 'onOptionDown',
      'click [role=option]': 'onOptionClick',
    };
  }

  override initialize(): void {
    this.input = document.createElement('input');
    this.input.type = 'text';
    this.input.className = 'combo__input';
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-autocomplete', 'list');
    this.input.setAttribute('aria-expanded', 'false');
    this.input.setAttribute('aria-controls', this.listId);
    this.input.autocomplete = 'off';
    this.input.spellcheck = false;
    if (this.opts.inputId) this.input.id = this.opts.inputId;
    else this.input.setAttribute('aria-label', this.opts.label);
    if (this.opts.placeholder) this.input.placeholder = this.opts.placeholder;
    this.list = document.createElement('ul');
    this.list.className = 'combo__list';
    this.list.id = this.listId;
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', this.opts.label);
    this.list.hidden = true;
    this.el.append(this.input, this.list);
  }

  /** Set the committed value from the model (does not fire onCommit). */
  setValue(value: string): void {
    this.committed = value;
    // Never overwrite what the analyst is typing right now.
    if (document.activeElement !== this.input) this.input.value = this.shown(value);
  }

  get inputEl(): HTMLInputElement {
    return this.input;
  }

  private shown(value: string): string {
    return this.opts.display ? this.opts.display(value) : value;
  }

  private isOpen(): boolean {
    return !this.list.hidden;
  }

  private onFocus(): void {
    if (this.isOpen()) return;
    this.input.select();
    void this.load('');
  }

  private onInput(): void {
    void this.load(this.input.value);
  }

  private async load(text: string): Promise<void> {
    this.loading?.abort();
    const ctl = new AbortController();
    this.loading = ctl;
    let opts: ComboOption[];
    try {
      opts = await this.opts.source(text, ctl.signal);
    } catch {
      opts = [];
    }
    if (ctl.signal.aborted || this.isDestroyed || document.activeElement !== this.input) return;
    this.loading = null;
    this.options = opts.slice(0, MAX_SHOWN);
    const exact = this.options.findIndex((o) => o.value === this.committed);
    this.active = text === '' ? exact : this.options.length > 0 && !this.opts.freeText ? 0 : -1;
    this.open();
  }

  private open(): void {
    const frag = document.createDocumentFragment();
    this.options.forEach((o, i) => {
      const li = document.createElement('li');
      li.id = `${this.listId}-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.index = String(i);
      li.className = 'combo__option';
      if (o.title) li.title = o.title;
      if (o.glyph) {
        const g = document.createElement('span');
        g.className = 'combo__glyph';
        g.setAttribute('aria-hidden', 'true');
        g.textContent = o.glyph;
        li.appendChild(g);
      }
      const label = document.createElement('span');
      label.className = 'combo__label';
      label.textContent = o.label ?? o.value;
      li.appendChild(label);
      if (o.detail) {
        const d = document.createElement('span');
        d.className = 'combo__detail';
        d.textContent = o.detail;
        li.appendChild(d);
      }
      frag.appendChild(li);
    });
    if (this.options.length === 0) {
      const li = document.createElement('li');
      li.className = 'combo__empty';
      li.textContent = this.opts.freeText ? 'No suggestions — press Enter to use what you typed' : 'Nothing matches';
      frag.appendChild(li);
    }
    this.list.replaceChildren(frag);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  private close(): void {
    this.loading?.abort();
    this.loading = null;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private highlight(): void {
    for (const li of this.list.querySelectorAll('[aria-selected=true]')) li.setAttribute('aria-selected', 'false');
    if (this.active < 0) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    const li = this.list.querySelector(`#${this.listId}-${this.active}`);
    if (!li) return;
    li.setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', li.id);
    (li as HTMLElement).scrollIntoView?.({ block: 'nearest' });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.isOpen()) {
        void this.load('');
        return;
      }
      const n = this.options.length;
      if (n === 0) return;
      this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
      this.highlight();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const o = this.active >= 0 ? this.options[this.active] : undefined;
      if (o) this.commit(o.value);
      else if (this.opts.freeText) this.commit(this.input.value);
    } else if (e.key === 'Escape') {
      if (this.isOpen()) {
        e.preventDefault();
        e.stopPropagation();
        this.close();
        this.input.value = this.shown(this.committed);
      }
    } else if (e.key === 'Tab' && this.isOpen()) {
      if (this.opts.freeText) this.commit(this.input.value, false);
      else this.close();
    }
  }

  private onBlur(): void {
    if (!this.isOpen() && !this.opts.freeText) return;
    if (this.opts.freeText && this.input.value !== this.shown(this.committed)) this.commit(this.input.value, false);
    else {
      this.close();
      this.input.value = this.shown(this.committed);
    }
  }

  private onOptionDown(e: MouseEvent): void {
    e.preventDefault(); // keep focus in the input so blur does not close first
  }

  private onOptionClick(e: MouseEvent): void {
    const i = Number((e.currentTarget as HTMLElement).dataset.index);
    const o = this.options[i];
    if (o) this.commit(o.value);
  }

  private commit(value: string, keepFocus = true): void {
    this.close();
    this.committed = value;
    this.input.value = this.shown(value);
    if (keepFocus) this.input.select();
    this.opts.onCommit(value);
  }

  protected override onDestroy(): void {
    this.loading?.abort();
  }
}
