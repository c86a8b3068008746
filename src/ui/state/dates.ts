// UTC calendar dates as 'YYYY-MM-DD' strings: the only date form the API speaks.
export type RangePreset = '7d' | '30d' | '90d';
export type Range = RangePreset | 'custom';
export const RANGES: readonly Range[] = ['7d', '30d', '90d', 'custom'];
export const PRESET_DAYS: Record<RangePreset, number> = { '7d': 7, '30d': 30, '90d': 90 };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function todayUtc(now: Date = new Date()): string {
  return isoDate(now);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return isoDate(new Date(Date.UTC(y, m - 1, d + days)));
}

/** A preset covers its last N days, today included. */
export function presetDates(range: RangePreset, today: string): { from: string; to: string } {
  return { from: addDays(today, -(PRESET_DAYS[range] - 1)), to: today };
}
