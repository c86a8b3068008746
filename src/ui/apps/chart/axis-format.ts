// Bucket labels ("2026-11-03", "2026-11-03 14:00:00", all UTC) as people read them in a tooltip
// title and in the chart's summary; axis ticks use format.ts's formatBucket. Written by hand, not
// with Intl, so the text is the same everywhere and never shifts into the viewer's time zone.
import type { Unit } from '../../../report/types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

type Parts = { y: number; m: number; d: number; hh: string; mm: string };

function parse(label: string): Parts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(label);
  if (!m) return null;
  return { y: +m[1], m: +m[2], d: +m[3], hh: m[4] ?? '00', mm: m[5] ?? '00' };
}

/** Tooltip title: the whole bucket, with the year ("Mon, Nov 3, 2026", "Week of Nov 3, 2026"). */
export function bucketTitle(label: string, unit: Unit): string {
  const p = parse(label);
  if (!p) return label;
  const weekday = WEEKDAYS[new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()];
  const date = `${MONTHS[p.m - 1]} ${p.d}, ${p.y}`;
  switch (unit) {
    case 'month':
      return `${MONTHS[p.m - 1]} ${p.y}`;
    case 'week':
      return `Week of ${date}`;
    case 'day':
      return `${weekday}, ${date}`;
    case 'hour':
    case 'minute':
      return `${weekday}, ${date} ${p.hh}:${p.mm} UTC`;
  }
}

/** A range for sentences: "Nov 1 – Nov 30", with years only when they are not both this one. */
export function rangeText(from: string, to: string, now = new Date()): string {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return `${from} – ${to}`;
  const thisYear = now.getUTCFullYear();
  const withYear = a.y !== b.y || a.y !== thisYear;
  const fmt = (p: Parts) => `${MONTHS[p.m - 1]} ${p.d}${withYear ? `, ${p.y}` : ''}`;
  return from === to ? fmt(a) : `${fmt(a)} – ${fmt(b)}`;
}
