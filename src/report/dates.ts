// Calendar arithmetic for report ranges and bucket labels, all in UTC. Pure (no Node or DOM APIs)
// so the UI and the server label buckets the same way.
import type { Unit } from './types.ts';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

/** Unix ms of 00:00 UTC on a `YYYY-MM-DD` date, or null when the text is not a calendar date in range. */
export function parseDay(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return Date.UTC(year, month - 1, day);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a unix ms instant (UTC). */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Start (unix ms) of the bucket holding `ms`. Weeks start on Monday. */
export function bucketStart(ms: number, unit: Unit): number {
  switch (unit) {
    case 'minute':
      return Math.floor(ms / 60_000) * 60_000;
    case 'hour':
      return Math.floor(ms / 3_600_000) * 3_600_000;
    case 'day':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'week': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - weekday * DAY_MS;
    }
    case 'month': {
      const d = new Date(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
  }
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, unit: Unit): number {
  switch (unit) {
    case 'minute':
      return start + 60_000;
    case 'hour':
      return start + 3_600_000;
    case 'day':
      return start + DAY_MS;
    case 'week':
      return start + 7 * DAY_MS;
    case 'month': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

/**
 * The label of the bucket starting at `start`: minute "YYYY-MM-DD HH:MM:00", hour "YYYY-MM-DD HH:00:00",
 * day and week (its Monday) "YYYY-MM-DD", month "YYYY-MM-01".
 */
export function bucketLabel(start: number, unit: Unit): string {
  const day = formatDay(start);
  if (unit === 'minute' || unit === 'hour') {
    const d = new Date(start);
    const minutes = unit === 'minute' ? pad2(d.getUTCMinutes()) : '00';
    return `${day} ${pad2(d.getUTCHours())}:${minutes}:00`;
  }
  return day;
}

/** The instant a bucket label stands for (inverse of bucketLabel), or null for a malformed label. */
export function parseBucketLabel(label: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}):(\d{2}):00)?$/.exec(label);
  if (!m) return null;
  const day = parseDay(m[1] as string);
  if (day === null) return null;
  if (m[2] === undefined) return day;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return null;
  return day + h * 3_600_000 + min * 60_000;
}

/** [start, end) in unix ms of the inclusive date range `from`..`to`. Both must be valid dates. */
export function rangeBounds(from: string, to: string): { start: number; end: number } {
  const start = parseDay(from);
  const last = parseDay(to);
  if (start === null || last === null) throw new RangeError(`not a date range: ${from}..${to}`);
  return { start, end: last + DAY_MS };
}

/** How many buckets the inclusive range `from`..`to` has by `unit`, computed without listing them. */
export function countBuckets(from: string, to: string, unit: Unit): number {
  const { start, end } = rangeBounds(from, to);
  if (end <= start) return 0;
  const days = (end - start) / DAY_MS;
  switch (unit) {
    case 'minute':
      return days * 1440;
    case 'hour':
      return days * 24;
    case 'day':
      return days;
    case 'week':
      return (bucketStart(end - 1, 'week') - bucketStart(start, 'week')) / (7 * DAY_MS) + 1;
    case 'month': {
      const a = new Date(start);
      const b = new Date(end - 1);
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
    }
  }
}

/** Every bucket label of the inclusive range, in order. The first week label may precede `from`. */
export function bucketLabels(from: string, to: string, unit: Unit): string[] {
  const { start, end } = rangeBounds(from, to);
  const labels: string[] = [];
  for (let t = bucketStart(start, unit); t < end; t = nextBucketStart(t, unit)) labels.push(bucketLabel(t, unit));
  return labels;
}

/** Today's date (UTC) as `YYYY-MM-DD`, and the date `days` before it; for default ranges. */
export function today(now: Date = new Date()): string {
  return formatDay(now.getTime());
}
export function addDays(date: string, days: number): string {
  const t = parseDay(date);
  if (t === null) throw new RangeError(`not a date: ${date}`);
  return formatDay(t + days * DAY_MS);
}
