// embed.html: one chart or one table for a report URL, read-only, for dashboards.
//   embed.html?view=chart|table&bg=transparent&height=300&<the report's own URL parameters>
// It has its own composition root (no query panel, no router): the URL is read once, the shared
// runner fetches the answer, and the parent page is told our height whenever it changes.
import { start as startChart } from './apps/chart/index.ts';
import { start as startTable } from './apps/table/index.ts';
import type { AppHandle } from './core/app.ts';
import { startRunner } from './runner.ts';
import { attrsFromSearch, searchFromQuery } from './router.ts';
import { ReportQuery } from './state/report-query.ts';
import type { ReportQueryAttrs } from './state/report-query.ts';
import { ReportResult } from './state/report-result.ts';
import { SeriesSelection } from './state/series-selection.ts';
import { describeReport } from './shell/describe.ts';

export type EmbedOptions = { view: 'chart' | 'table'; transparent: boolean; height: number | null };

/** The embed's own parameters; everything else in the URL is the report. */
export function embedOptions(search: string): EmbedOptions {
  const p = new URLSearchParams(search);
  const height = Number(p.get('height'));
  return {
    view: p.get('view') === 'table' ? 'table' : 'chart',
    transparent: p.get('bg') === 'transparent',
    height: Number.isInteger(height) && height >= 120 && height <= 2000 ? height : null,
  };
}

/** Posts {type: "segscope:resize", height} to the parent each time the content's height changes. */
export function reportHeight(root: HTMLElement, win: Window = window): () => void {
  let last = -1;
  const post = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    if (win.parent !== win) win.parent.postMessage({ type: 'segscope:resize', height }, '*');
  };
  const observer = new ResizeObserver(post);
  observer.observe(root);
  post();
  return () => observer.disconnect();
}

function main(): void {
  const root = document.querySelector<HTMLElement>('.embed-page')!;
  const options = embedOptions(location.search);
  document.documentElement.classList.toggle('is-transparent', options.transparent);
  if (options.height !== null) root.style.setProperty('--chart-height', `${options.height}px`);
  root.dataset.view = options.view;

  const { attrs, problems } = attrsFromSearch(location.search);
  const query = new ReportQuery(attrs);
  const result = new ReportResult();
  const selection = new SeriesSelection();
  const models = { query, result, selection };

  const title = describeReport(query.toJSON() as ReportQueryAttrs);
  document.title = `${title} — Segscope`;
  root.querySelector('.embed-page__title')!.textContent = title;
  const open = root.querySelector<HTMLAnchorElement>('.embed-page__open')!;
  const report = searchFromQuery(query);
  open.href = new URL(`./${report ? `?${report}` : ''}`, location.href).href;

  const list = root.querySelector<HTMLElement>('.embed-page__problems')!;
  if (!query.isRunnable()) problems.unshift('event: this embed names no event (add event=... to its URL)');
  for (const text of problems) {
    const li = document.createElement('li');
    li.textContent = text;
    list.appendChild(li);
  }
  list.hidden = problems.length === 0;

  const el = root.querySelector<HTMLElement>('.embed-page__app')!;
  const app: AppHandle =
    options.view === 'table' ? startTable(el, models, { interactive: false }) : startChart(el, models, { interactive: false });
  const runner = startRunner(models);
  const stopResize = reportHeight(root);
  addEventListener('pagehide', () => {
    stopResize();
    runner.destroy();
    app.destroy();
  });
}

if (typeof document !== 'undefined' && document.querySelector('.embed-page')) main();
