// The query-builder app: start(el, models, {toolbar}) -> { destroy() }. It writes ReportQuery
// (ASTs only, never text) and knows nothing of the other apps.
import type { AppHandle, ReportModels } from '../../core/app.ts';
import { BuilderView } from './builder-view.ts';
import { SchemaClient } from './schema.ts';
import { ToolbarView } from './toolbar-view.ts';

export type QueryBuilderOptions = {
  /** Where Range / From / To / Unit / Chart type go (above the chart); omitted: in the panel. */
  toolbar?: HTMLElement;
  schema?: SchemaClient;
};

export function start(el: HTMLElement, models: ReportModels, options: QueryBuilderOptions = {}): AppHandle {
  const schema = options.schema ?? new SchemaClient();
  const builder = new BuilderView({ models, schema });
  const toolbar = new ToolbarView({ query: models.query });
  (options.toolbar ?? el).appendChild(toolbar.el);
  el.appendChild(builder.el);
  builder.render();
  toolbar.render();
  return {
    destroy() {
      toolbar.destroy();
      builder.destroy();
    },
  };
}
