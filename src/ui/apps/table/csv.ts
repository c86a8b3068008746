// "Download CSV": exactly what the table holds — every row (not only the rows rendered so far), in
// the table's current order, with the same columns: segment, total, then one column per bucket.
//
// - Numbers are raw (no thousands separators, full precision as the API sent them).
// - Headers are ISO 8601: day/week/month buckets as YYYY-MM-DD, hour/minute buckets as
//   YYYY-MM-DDTHH:MM:00Z (the API's "YYYY-MM-DD HH:MM:00" is UTC; the Z says so).
// - RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled, lines end CRLF.
// - Formula injection (CSV injection): a spreadsheet runs a text cell that starts with = + - @ or a
//   tab/CR as a formula. Such segment names get a leading apostrophe, which spreadsheets show as
//   text and hide; plain numbers ("-5", "+1.5") are left alone since they cannot be formulas.
//   Decision: we change the text rather than refuse it, because a segment called "=cmd" is real
//   data the analyst should still see; the apostrophe is the OWASP-recommended neutraliser.
import type { Unit } from '../../../report/types.ts';
import type { Row } from './rows.ts';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A text cell made safe for spreadsheets, then quoted per RFC 4180 when needed. */
export function textCell(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function numberCell(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/** A bucket label as an ISO 8601 header. */
export function isoBucket(label: string, unit: Unit): string {
  if (unit !== 'hour' && unit !== 'minute') return label;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(label);
  return m ? `${m[1]}T${m[2]}Z` : label;
}

export function tableCsv(series: readonly string[], unit: Unit, rows: readonly Row[]): string {
  const lines = [['segment', 'total', ...series.map((b) => textCell(isoBucket(b, unit)))].join(',')];
  for (const row of rows) {
    lines.push([textCell(row.label), numberCell(row.total), ...row.values.map(numberCell)].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** "segscope-Purchase-2026-11-01-to-2026-11-30.csv", with nothing a file system could trip on. */
export function csvFileName(event: string, from: string, to: string): string {
  const name = event.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'report';
  return `segscope-${name}-${from}-to-${to}.csv`;
}
