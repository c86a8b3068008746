// Numbers and dates formatted for people, shared by every app so the chart, the table and the
// status line never disagree. Everything is UTC: the API's buckets are UTC.
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 12408 -> "12,408"; 1.5 -> "1.5"; averages keep two decimals at most. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Number.isInteger(n) ? intFmt.format(n) : decFmt.format(n);
}

/** "1,234 events" / "1 event". */
export function plural(n: number, one: string, many: string = one + 's'): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** The segment key the API uses for undefined/null, shown to people as "(not set)". */
export const NOT_SET_SEGMENT = 'undefined';
export function segmentLabel(segment: string): string {
  return segment === NOT_SET_SEGMENT ? '(not set)' : segment;
}

/** Parts of a bucket label: "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:00". */
function parts(label: string): { y: number; m: number; d: number; hh: string | null } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(label);
  if (!m) return null;
  return { y: +m[1], m: +m[2], d: +m[3], hh: m[4] !== undefined ? `${m[4]}:${m[5]}` : null };
}

/** Axis label for a bucket: day/week "Nov 3", month "Nov 2026", hour/minute "Nov 3 14:00". */
export function formatBucket(label: string, unit: string): string {
  const p = parts(label);
  if (!p) return label;
  const mon = MONTHS[p.m - 1] ?? '';
  if (unit === 'month') return `${mon} ${p.y}`;
  if ((unit === 'hour' || unit === 'minute') && p.hh) return `${mon} ${p.d} ${p.hh}`;
  return `${mon} ${p.d}`;
}

/** A date for sentences: "Nov 3, 2026". */
export function formatDate(iso: string): string {
  const p = parts(iso);
  if (!p) return iso;
  return `${MONTHS[p.m - 1] ?? ''} ${p.d}, ${p.y}`;
}

/** "84 ms", "1.2 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
