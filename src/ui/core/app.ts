// What every app exports: start(el, models) -> { destroy() }. Apps only know the shared models.
import type { ReportQuery } from '../state/report-query.ts';
import type { ReportResult } from '../state/report-result.ts';
import type { SeriesSelection } from '../state/series-selection.ts';

export type ReportModels = {
  query: ReportQuery;
  result: ReportResult;
  selection: SeriesSelection;
};

export type AppHandle = { destroy(): void };

export type StartApp<Models = ReportModels> = (el: HTMLElement, models: Models) => AppHandle;
