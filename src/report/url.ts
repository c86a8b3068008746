// The whole report as URL parameters, so every report is a link (the router and embed.html share
// this). Expressions travel as canonical text (readable in the address bar; parse(print(ast))
// gives the AST back); defaults are left out to keep links short.
import { ExprError, check, print, stripSpans, tryParse } from '../expr/index.ts';
import type { Expr } from '../expr/index.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_NUMERIC_BUCKETS, MEASURES, UNITS } from './types.ts';
import type { Measure, Unit } from './types.ts';

export const URL_RANGES = ['7d', '30d', '90d', 'custom'] as const;
export type UrlRange = (typeof URL_RANGES)[number];
export const URL_CHARTS = ['line', 'bar', 'stacked'] as const;
export type UrlChart = (typeof URL_CHARTS)[number];

export type ReportUrlState = {
  event: string | null;
  where: Expr | null;
  on: Expr | null;
  range: UrlRange;
  from: string;
  to: string;
  unit: Unit;
  type: Measure;
  limit: number;
  buckets: number | null;
  chart: UrlChart;
};

const DEFAULTS = { range: '30d', unit: 'day', type: 'general', limit: DEFAULT_LIMIT, chart: 'line' } as const;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Query string (without '?') for a report. Preset ranges roll: only custom ranges carry dates. */
export function encodeReport(s: ReportUrlState): string {
  const p = new URLSearchParams();
  if (s.event !== null) p.set('event', s.event);
  if (s.where) p.set('where', print(stripSpans(s.where)));
  if (s.on) p.set('on', print(stripSpans(s.on)));
  if (s.range === 'custom') {
    p.set('from', s.from);
    p.set('to', s.to);
  } else if (s.range !== DEFAULTS.range) p.set('range', s.range);
  if (s.unit !== DEFAULTS.unit) p.set('unit', s.unit);
  if (s.type !== DEFAULTS.type) p.set('type', s.type);
  if (s.limit !== DEFAULTS.limit) p.set('limit', String(s.limit));
  if (s.on && s.buckets !== null) p.set('buckets', String(s.buckets));
  if (s.chart !== DEFAULTS.chart) p.set('chart', s.chart);
  return p.toString();
}

export type DecodedReport = {
  /** Only the attributes the URL states; the caller fills the rest with defaults. */
  state: Partial<ReportUrlState>;
  /** Parameters that were present but unusable, in words ("where: 1:5: expected ..."). */
  problems: string[];
};

function intIn(text: string, min: number, max: number): number | null {
  if (!/^\d{1,6}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** Reads what it can; a bad parameter is reported and skipped, never fatal. */
export function decodeReport(search: string): DecodedReport {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const state: Partial<ReportUrlState> = {};
  const problems: string[] = [];
  const event = p.get('event');
  if (event !== null && event !== '') state.event = event;
  for (const key of ['where', 'on'] as const) {
    const text = p.get(key);
    if (text === null || text.trim() === '') continue;
    const r = tryParse(text);
    if (!r.ok) {
      problems.push(`${key}: ${r.error.message}`);
      continue;
    }
    try {
      check(r.ast, { text, fold: false }); // e.g. a name no any/all binds
      state[key] = stripSpans(r.ast);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      problems.push(`${key}: ${e.message}`);
    }
  }
  const from = p.get('from');
  const to = p.get('to');
  if (from !== null || to !== null) {
    if (from && to && DATE_RE.test(from) && DATE_RE.test(to) && from <= to) Object.assign(state, { range: 'custom', from, to });
    else problems.push(`from/to: expected two dates YYYY-MM-DD, from not after to (got ${from ?? '–'} and ${to ?? '–'})`);
  } else {
    const range = p.get('range');
    if (range !== null) {
      if ((URL_RANGES as readonly string[]).includes(range) && range !== 'custom') state.range = range as UrlRange;
      else problems.push(`range: expected 7d, 30d or 90d, got ${range}`);
    }
  }
  const unit = p.get('unit');
  if (unit !== null) {
    if ((UNITS as readonly string[]).includes(unit)) state.unit = unit as Unit;
    else problems.push(`unit: expected one of ${UNITS.join(', ')}, got ${unit}`);
  }
  const type = p.get('type');
  if (type !== null) {
    if ((MEASURES as readonly string[]).includes(type)) state.type = type as Measure;
    else problems.push(`type: expected one of ${MEASURES.join(', ')}, got ${type}`);
  }
  const limit = p.get('limit');
  if (limit !== null) {
    const n = intIn(limit, 1, MAX_LIMIT);
    if (n !== null) state.limit = n;
    else problems.push(`limit: expected a whole number from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  const buckets = p.get('buckets');
  if (buckets !== null) {
    const n = intIn(buckets, 1, MAX_NUMERIC_BUCKETS);
    if (n !== null) state.buckets = n;
    else problems.push(`buckets: expected a whole number from 1 to ${MAX_NUMERIC_BUCKETS}, got ${buckets}`);
  }
  const chart = p.get('chart');
  if (chart !== null) {
    if ((URL_CHARTS as readonly string[]).includes(chart)) state.chart = chart as UrlChart;
    else problems.push(`chart: expected line, bar or stacked, got ${chart}`);
  }
  return { state, problems };
}
