// The table app: start(el, models) -> { destroy() }. Knows only the shared models.
import type { AppHandle, ReportModels } from '../../core/app.ts';
import { TableView } from './table-view.ts';

export type TableAppOptions = {
  /** False for the read-only embed: no checkboxes, since there is no chart beside it. */
  interactive?: boolean;
};

export function start(el: HTMLElement, models: ReportModels, options: TableAppOptions = {}): AppHandle {
  const view = new TableView({ models, interactive: options.interactive ?? true });
  el.appendChild(view.el);
  view.render();
  return { destroy: () => view.destroy() };
}
