// The report in words: the header line and the page title ("Purchase · last 30 days · by $browser").
import type { Expr } from '../../expr/ast.ts';
import { print } from '../../expr/index.ts';
import { astToFilters, onToProperty, operandCount, operatorLabel } from '../../report/filters.ts';
import type { FilterRow } from '../../report/filters.ts';
import type { ReportQueryAttrs } from '../state/report-query.ts';
import { formatDate, formatNumber } from '../format.ts';

const MEASURE_WORDS = { general: '', unique: 'unique users', average: 'average per user' } as const;

function clip(s: string, n = 48): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function rowWords(r: FilterRow): string {
  const op = operatorLabel(r.type, r.operator);
  const v = (x: unknown) => (typeof x === 'number' ? formatNumber(x) : String(x));
  const n = operandCount(r.operator);
  if (n === 0) return `${r.property} ${op}`;
  if (r.operator === 'last_days') return `${r.property} in the last ${v(r.value)} days`;
  if (n === 2) return `${r.property} ${op} ${v(r.value)} and ${v(r.value2)}`;
  return `${r.property} ${op} ${v(r.value)}`;
}

export function describeWhere(where: Expr | null): string | null {
  if (!where) return null;
  const d = astToFilters(where);
  if (!d.ok) return `where ${clip(print(where), 40)}`;
  const rows = d.filters.rows;
  if (rows.length === 1) return `where ${clip(rowWords(rows[0]))}`;
  return `${rows.length} filters (${d.filters.match === 'all' ? 'all' : 'any'})`;
}

export function describeRange(a: Pick<ReportQueryAttrs, 'range' | 'from' | 'to'>): string {
  if (a.range === '7d') return 'last 7 days';
  if (a.range === '30d') return 'last 30 days';
  if (a.range === '90d') return 'last 90 days';
  return a.from === a.to ? formatDate(a.from) : `${formatDate(a.from)} – ${formatDate(a.to)}`;
}

export function describeOn(on: Expr | null): string | null {
  if (!on) return null;
  const p = onToProperty(on);
  return `by ${p ?? clip(print(on), 40)}`;
}

export function describeReport(a: ReportQueryAttrs): string {
  if (!a.event) return 'New report';
  const parts = [a.event];
  const measure = MEASURE_WORDS[a.type];
  if (measure) parts.push(measure);
  const where = describeWhere(a.where);
  if (where) parts.push(where);
  parts.push(describeRange(a));
  const on = describeOn(a.on);
  if (on) parts.push(on);
  return parts.join(' · ');
}
