// The top bar: the report in words (also the page title), "Copy link" and "Copy embed code".
import { BaseView } from '../core/base-view.ts';
import type { Backbone } from '../lib/backbone.ts';
import type { ReportQuery, ReportQueryAttrs } from '../state/report-query.ts';
import { encodeReport } from '../../report/url.ts';
import { describeReport } from './describe.ts';
import { copyText } from './clipboard.ts';

export type HeaderOptions = { query: ReportQuery };

export class HeaderView extends BaseView {
  declare private query: ReportQuery;
  declare private embedView: 'chart' | 'table';
  declare private flashTimer: ReturnType<typeof setTimeout> | null;

  constructor(options: HeaderOptions) {
    super(options as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.query = (opts as unknown as HeaderOptions).query;
    this.embedView = 'chart';
    this.flashTimer = null;
    this.className = 'topbar__bar';
    this.events = {
      'click [data-action=copy-link]': 'copyLink',
      'click [data-action=embed]': 'toggleEmbed',
      'click [data-action=copy-embed]': 'copyEmbed',
      'change [name=embed-view]': 'chooseEmbedView',
      'keydown .embed-pop': 'onPopKey',
    };
  }

  override initialize(): void {
    // Static markup; the title is set with textContent (event names are user data).
    this.el.innerHTML = `
      <div class="topbar__brand" aria-hidden="true"><span class="topbar__logo"></span>Segscope</div>
      <h1 class="topbar__title"></h1>
      <div class="topbar__actions">
        <span class="topbar__flash" aria-live="polite"></span>
        <button type="button" class="btn btn--ghost" data-action="copy-link">Copy link</button>
        <div class="embed">
          <button type="button" class="btn btn--ghost" data-action="embed" aria-expanded="false" aria-controls="embed-pop">Copy embed code</button>
          <div class="embed-pop" id="embed-pop" role="dialog" aria-label="Embed code" hidden>
            <fieldset class="embed-pop__views">
              <legend>Show</legend>
              <label><input type="radio" name="embed-view" value="chart" checked /> Chart</label>
              <label><input type="radio" name="embed-view" value="table" /> Table</label>
            </fieldset>
            <label class="embed-pop__label" for="embed-code">Embed code</label>
            <textarea id="embed-code" class="embed-pop__code" readonly rows="4" spellcheck="false"></textarea>
            <button type="button" class="btn btn--primary" data-action="copy-embed">Copy</button>
          </div>
        </div>
      </div>`;
    this.listenTo(this.query, 'change', this.scheduleRender);
  }

  override render(): this {
    const text = describeReport(this.query.toJSON() as ReportQueryAttrs);
    (this.el.querySelector('.topbar__title') as HTMLElement).textContent = text;
    document.title = `${text} — Segscope`;
    (this.el.querySelector('.embed-pop__code') as HTMLTextAreaElement).value = this.embedCode();
    return this;
  }

  private search(): string {
    return encodeReport(this.query.toJSON() as ReportQueryAttrs);
  }

  embedCode(): string {
    const src = `${location.origin}/embed.html?view=${this.embedView}${this.search() ? `&${this.search()}` : ''}`;
    const title = describeReport(this.query.toJSON() as ReportQueryAttrs);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    return `<iframe src="${esc(src)}" title="${esc(title)}" style="width:100%;border:0" height="${this.embedView === 'chart' ? 360 : 420}" loading="lazy"></iframe>`;
  }

  private async copyLink(): Promise<void> {
    const ok = await copyText(location.href);
    this.flash(ok ? 'Link copied' : 'Copy the address from the address bar');
  }

  private toggleEmbed(): void {
    const pop = this.el.querySelector('.embed-pop') as HTMLElement;
    const btn = this.el.querySelector('[data-action=embed]') as HTMLElement;
    const open = pop.hidden;
    pop.hidden = !open;
    btn.setAttribute('aria-expanded', String(open));
    if (open) {
      this.render();
      (pop.querySelector('textarea') as HTMLTextAreaElement).select();
      (pop.querySelector('textarea') as HTMLTextAreaElement).focus();
    }
  }

  private onPopKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      this.toggleEmbed();
      (this.el.querySelector('[data-action=embed]') as HTMLElement).focus();
    }
  }

  private chooseEmbedView(e: Event): void {
    this.embedView = (e.target as HTMLInputElement).value === 'table' ? 'table' : 'chart';
    this.render();
  }

  private async copyEmbed(): Promise<void> {
    const ok = await copyText(this.embedCode());
    this.flash(ok ? 'Embed code copied' : 'Select the code and copy it');
  }

  private flash(text: string): void {
    const el = this.el.querySelector('.topbar__flash') as HTMLElement;
    el.textContent = text;
    if (this.flashTimer) clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      el.textContent = '';
    }, 2000);
  }

  protected override onDestroy(): void {
    if (this.flashTimer) clearTimeout(this.flashTimer);
  }
}
