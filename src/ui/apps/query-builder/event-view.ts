// Event (searchable, with counts) and Measure.
import { BaseView } from '../../core/base-view.ts';
import type { Backbone } from '../../lib/backbone.ts';
import type { ReportQuery } from '../../state/report-query.ts';
import type { Measure } from '../../../report/types.ts';
import { formatNumber } from '../../format.ts';
import { Combobox } from './combobox.ts';
import type { SchemaClient } from './schema.ts';

export type EventViewOptions = { query: ReportQuery; schema: SchemaClient };

export class EventView extends BaseView {
  declare private o: EventViewOptions;
  declare private picker: Combobox;

  constructor(options: EventViewOptions) {
    super(options as unknown as Backbone.ViewOptions);
  }

  override preinitialize(opts?: Backbone.ViewOptions): void {
    super.preinitialize(opts);
    this.o = opts as unknown as EventViewOptions;
    this.tagName = 'section';
    this.className = 'qb-section qb-event';
    this.attributes = { 'aria-label': 'Event and measure' };
    this.events = { 'change #qb-measure': 'onMeasure' };
  }

  override initialize(): void {
    this.el.innerHTML = `
      <div class="qb-field">
        <label class="qb-label" for="qb-event">Event</label>
        <div class="qb-event__picker"></div>
      </div>
      <div class="qb-field">
        <label class="qb-label" for="qb-measure">Measure</label>
        <select id="qb-measure">
          <option value="general">Total events</option>
          <option value="unique">Unique users</option>
          <option value="average">Average per user</option>
        </select>
      </div>
      <p class="qb-event__error" role="alert" hidden></p>`;
    this.picker = this.addChild(
      new Combobox({
        label: 'Event',
        inputId: 'qb-event',
        placeholder: 'Choose an event',
        extraClass: 'combo--event',
        source: (text) => this.eventOptions(text),
        onCommit: (name) => this.o.query.set({ event: name }),
      }),
    );
    (this.el.querySelector('.qb-event__picker') as HTMLElement).appendChild(this.picker.el);
    this.listenTo(this.o.query, 'change:event change:type', this.scheduleRender);
    void this.pickDefault();
  }

  private async eventOptions(text: string) {
    const events = await this.o.schema.listEvents();
    const t = text.toLowerCase();
    return events.filter((e) => e.name.toLowerCase().includes(t)).map((e) => ({ value: e.name, detail: formatNumber(e.count) }));
  }

  /** An empty report starts on the most frequent event. */
  private async pickDefault(): Promise<void> {
    try {
      const events = await this.o.schema.listEvents();
      if (this.isDestroyed) return;
      const err = this.el.querySelector('.qb-event__error') as HTMLElement;
      if (events.length === 0) {
        err.textContent = 'No events yet. Send some with the /track API or `segscope import`, then reload.';
        err.hidden = false;
      } else if (!this.o.query.get('event')) this.o.query.set({ event: events[0].name });
    } catch (e) {
      if (this.isDestroyed) return;
      const err = this.el.querySelector('.qb-event__error') as HTMLElement;
      err.textContent = `Could not load the event list (${(e as Error).message}). Is the server running?`;
      err.hidden = false;
    }
  }

  private onMeasure(e: Event): void {
    this.o.query.set({ type: (e.target as HTMLSelectElement).value as Measure });
  }

  override render(): this {
    this.picker.setValue(this.o.query.get('event') ?? '');
    (this.el.querySelector('#qb-measure') as HTMLSelectElement).value = this.o.query.get('type');
    return this;
  }
}
