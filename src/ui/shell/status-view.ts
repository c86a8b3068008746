// The status line (role=status): always says what is on screen — loading, events counted,
// segments shown of found, elapsed time, UTC — and opens onto the exact expressions and SQL.
import { BaseView } from '../core/base-view.ts';
import type { Backbone } from '../lib/backbone.ts';
import type { ReportResult } from '../state/report-result.ts';
import type { ReportQuery } from '../state/report-query.ts';
import { formatMs, formatNumber, plural } from '../format.ts';

export type StatusOptions = { query: ReportQuery; result: ReportResult };

export class StatusView extends BaseView {
  declare private query: ReportQuery;
  declare private result: ReportResult;

  constructor(options: StatusOptions) {
    super(options as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    const o = opts as unknown as StatusOptions;
    this.query = o.query;
    this.result = o.result;
    this.className = 'status';
  }

  override initialize(): void {
    this.el.innerHTML = `
      <p class="status__line" role="status" aria-live="polite"></p>
      <details class="status__details">
        <summary>View expression &amp; SQL</summary>
        <dl class="status__exprs">
          <dt>where</dt><dd><code data-meta="where"></code></dd>
          <dt>on</dt><dd><code data-meta="on"></code></dd>
          <dt>SQL</dt><dd><pre data-meta="sql"></pre></dd>
        </dl>
        <ul class="status__warnings"></ul>
      </details>`;
    this.listenTo(this.result, 'change', this.scheduleRender);
  }

  override render(): this {
    const line = this.el.querySelector('.status__line') as HTMLElement;
    const details = this.el.querySelector('.status__details') as HTMLDetailsElement;
    const status = this.result.get('status');
    const data = this.result.get('data');
    this.el.dataset.status = status;
    let text: string;
    if (status === 'idle') text = 'Pick an event to see its numbers.';
    else if (status === 'loading') text = data ? 'Updating… (showing the previous answer)' : 'Loading…';
    else if (status === 'error') {
      // The chart area explains the error in full; the status line says what that means here.
      const code = this.result.get('error')?.code ?? '';
      text = code === 'network' ? '✕ Not updated: the server could not be reached.' : '✕ Not updated: the server refused this query (see above).';
    }
    else if (data) {
      const m = data.meta;
      const measure = m.type === 'unique' ? 'unique users' : m.type === 'average' ? 'average per user' : '';
      text = [
        `✓ ${plural(m.events_matched, 'event')}${measure ? ` counted as ${measure}` : ''}`,
        `showing ${formatNumber(m.segments_returned)} of ${plural(m.segments_found, 'segment')}`,
        formatMs(m.elapsed_ms),
        'UTC',
      ].join(' · ');
    } else text = '';
    line.textContent = text;
    line.title = status === 'error' ? this.result.get('error')?.message ?? '' : '';
    details.hidden = !data;
    if (data) {
      const set = (f: string, v: string) => ((this.el.querySelector(`[data-meta=${f}]`) as HTMLElement).textContent = v);
      set('where', data.meta.where ?? '(none: every event counts)');
      set('on', data.meta.on ?? '(none: one segment, the event)');
      set('sql', data.meta.sql ?? '');
      const ul = this.el.querySelector('.status__warnings') as HTMLElement;
      ul.replaceChildren(
        ...(data.meta.warnings ?? []).map((w) => {
          const li = document.createElement('li');
          li.textContent = w;
          return li;
        }),
      );
    }
    return this;
  }
}
