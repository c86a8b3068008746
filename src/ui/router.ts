// The router keeps the whole report in the URL. Decision: edits of the `where` attribute (typing a
// filter value or an expression) replace the current history entry, so Back does not step through
// keystrokes; every other change (event, breakdown, range, unit, measure, chart) pushes an entry,
// so Back undoes it. Reload and back/forward decode the URL into ReportQuery.
import { Backbone, _ } from './lib/backbone.ts';
import type { ReportQuery, ReportQueryAttrs } from './state/report-query.ts';
import { defaultQueryAttrs } from './state/report-query.ts';
import { decodeReport, encodeReport } from '../report/url.ts';

export type Router = { destroy(): void; problems: string[] };

/** ReportQuery attributes for a query string: defaults, then what the URL states. */
export function attrsFromSearch(search: string): { attrs: ReportQueryAttrs; problems: string[] } {
  const { state, problems } = decodeReport(search);
  return { attrs: { ...defaultQueryAttrs(), ...state } as ReportQueryAttrs, problems };
}

export function searchFromQuery(query: ReportQuery): string {
  return encodeReport(query.toJSON() as ReportQueryAttrs);
}

export function startRouter(query: ReportQuery, win: Window = window): Router {
  const listener = _.extend({}, Backbone.Events);
  const current = () => win.location.search.replace(/^\?/, '');
  const { attrs, problems } = attrsFromSearch(current());
  query.set(attrs);

  const write = () => {
    const next = searchFromQuery(query);
    if (next === current()) return;
    const url = `${win.location.pathname}${next ? `?${next}` : ''}${win.location.hash}`;
    const changed = Object.keys(query.changedAttributes() || {});
    const typing = changed.length > 0 && changed.every((k) => k === 'where');
    // The first event picked for an empty report is not a step Back should return to.
    const initial = query.previous('event') === null;
    if (typing || initial) win.history.replaceState(null, '', url);
    else win.history.pushState(null, '', url);
  };
  listener.listenTo(query, 'change', write);

  const onPop = () => {
    // Setting the decoded state fires 'change'; write() then finds the URL already equal.
    query.set(attrsFromSearch(current()).attrs);
  };
  win.addEventListener('popstate', onPop);
  // Normalise the address once (drop bad or default parameters) without adding history.
  const normal = searchFromQuery(query);
  if (normal !== current()) win.history.replaceState(null, '', `${win.location.pathname}${normal ? `?${normal}` : ''}${win.location.hash}`);

  return {
    problems,
    destroy() {
      listener.stopListening();
      win.removeEventListener('popstate', onPop);
    },
  };
}
