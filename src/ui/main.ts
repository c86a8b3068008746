// The composition root: creates the shared models once, starts every app on its region, the
// runner and the router. Apps never see each other; they only share these models.
import { ReportQuery } from './state/report-query.ts';
import { ReportResult } from './state/report-result.ts';
import { SeriesSelection } from './state/series-selection.ts';
import type { ReportModels, AppHandle } from './core/app.ts';
import { startRunner } from './runner.ts';
import { startRouter } from './router.ts';
import { HeaderView } from './shell/header-view.ts';
import { StatusView } from './shell/status-view.ts';
import { showNotices } from './shell/notices.ts';
import { start as startQueryBuilder } from './apps/query-builder/index.ts';
import { start as startChart } from './apps/chart/index.ts';
import { start as startTable } from './apps/table/index.ts';
import { Backbone, _ } from './lib/backbone.ts';

function region(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id} region`);
  return el;
}

export function startReportPage(): { models: ReportModels; destroy(): void } {
  const models: ReportModels = { query: new ReportQuery(), result: new ReportResult(), selection: new SeriesSelection() };
  const router = startRouter(models.query);
  const header = new HeaderView({ query: models.query });
  region('header').appendChild(header.el);
  header.render();
  const status = new StatusView({ query: models.query, result: models.result });
  region('status').replaceWith(status.el);
  status.render();
  const notices = showNotices(region('notices'), router.problems.map((p) => `Part of the link was ignored — ${p}`));
  const apps: AppHandle[] = [
    startQueryBuilder(region('query-builder'), models, { toolbar: region('toolbar') }),
    startChart(region('chart'), models),
    startTable(region('table'), models),
  ];
  // A new question has new segments: what was unticked for the old one no longer applies.
  const glue = _.extend({}, Backbone.Events);
  glue.listenTo(models.query, 'change:event change:on change:buckets', () => models.selection.set({ hidden: [] }));
  const runner = startRunner(models);
  return {
    models,
    destroy() {
      runner.destroy();
      glue.stopListening();
      for (const a of apps) a.destroy();
      notices.destroy();
      status.destroy();
      header.destroy();
      router.destroy();
    },
  };
}

const page = startReportPage();
// For the browser console and the browser tests' timing probes; nothing in the app reads it.
(window as unknown as { segscope: unknown }).segscope = page.models;
