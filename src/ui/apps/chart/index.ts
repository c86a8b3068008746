// The chart app: start(el, models) -> { destroy() }. Knows only the shared models.
import type { AppHandle, ReportModels } from '../../core/app.ts';
import { ChartView } from './chart-view.ts';

export type ChartAppOptions = {
  /** False for the read-only embed: legend clicks do nothing, no "tick more in the table". */
  interactive?: boolean;
};

export function start(el: HTMLElement, models: ReportModels, options: ChartAppOptions = {}): AppHandle {
  const view = new ChartView({ models, interactive: options.interactive ?? true });
  el.appendChild(view.el);
  view.render();
  return { destroy: () => view.destroy() };
}
