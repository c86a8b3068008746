// Printing a segmentation result for a terminal (a table with buckets as rows and segments as
// columns, totals last) or for tools (CSV with the same layout).
import type { SegmentationResult } from '../report/types.ts';

const number = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 3 }));

function grid(result: SegmentationResult): { header: string[]; rows: string[][]; totals: string[] } {
  const segments = Object.keys(result.values);
  return {
    header: ['bucket', ...segments],
    rows: result.series.map((bucket) => [bucket, ...segments.map((s) => number(result.values[s]?.[bucket] ?? 0))]),
    totals: ['total', ...segments.map((s) => number(result.totals[s] ?? 0))],
  };
}

export function formatTable(result: SegmentationResult): string {
  const { header, rows, totals } = grid(result);
  const all = [header, ...rows, totals];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const m = result.meta;
  const cut = m.segments_found > m.segments_returned ? ` (top ${m.segments_returned} of ${m.segments_found} segments)` : '';
  const summary = `${m.events_matched.toLocaleString('en-US')} events matched · ${m.segments_returned} segment${m.segments_returned === 1 ? '' : 's'}${cut} · ${m.type} · ${m.elapsed_ms} ms · UTC`;
  return `${[fmt(header), rule, ...rows.map(fmt), rule, fmt(totals)].join('\n')}\n\n${summary}\n`;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(result: SegmentationResult): string {
  const segments = Object.keys(result.values);
  const lines = [['bucket', ...segments].map(csvCell).join(',')];
  for (const bucket of result.series) lines.push([bucket, ...segments.map((s) => String(result.values[s]?.[bucket] ?? 0))].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
