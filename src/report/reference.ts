// The reference segmentation: spec section 5 computed directly over in-memory events with the
// reference evaluator. It is slow and obvious on purpose; the differential tests hold every SQL
// engine to its answers.
import type { EventRecord } from '../expr/ast.ts';
import { compile } from '../expr/compile.ts';
import { eventDistinctId, eventTime } from '../expr/ops.ts';
import { NumericBuckets, numericBucketsFor, segmentKeys } from '../expr/segments.ts';
import { compareStrings, DateTime, type Value } from '../expr/value.ts';
import { print } from '../expr/print.ts';
import { bucketLabel, bucketLabels, bucketStart, rangeBounds } from './dates.ts';
import type { SegmentationQuery, SegmentationResult } from './types.ts';

export type ReferenceResult = Omit<SegmentationResult, 'meta'> & {
  meta: Omit<SegmentationResult['meta'], 'sql' | 'elapsed_ms'>;
};

type Cell = { events: number; users: Set<string> };

export function referenceSegmentation(events: readonly EventRecord[], q: SegmentationQuery, opts: { now: Date | number }): ReferenceResult {
  const now = typeof opts.now === 'number' ? opts.now : opts.now.getTime();
  const where = q.where ? compile(q.where, { now }) : null;
  const on = q.on ? compile(q.on, { now }) : null;
  const { start, end } = rangeBounds(q.from, q.to);
  const series = bucketLabels(q.from, q.to, q.unit);

  // Scan: events of the name in range; those whose `where` is exactly true are matched.
  let scanned = 0;
  const matched: { e: EventRecord; label: string; user: string; on: Value }[] = [];
  for (const e of events) {
    if (e.event !== q.event) continue;
    const t = eventTime(e);
    if (!(t instanceof DateTime) || t.ms < start || t.ms >= end) continue;
    scanned++;
    if (where && where(e) !== true) continue;
    const user = eventDistinctId(e);
    matched.push({ e, label: bucketLabel(bucketStart(t.ms, q.unit), q.unit), user: typeof user === 'string' ? user : '', on: on ? on(e) : undefined });
  }

  const numeric: NumericBuckets | null = on && q.buckets !== null && q.buckets !== undefined ? numericBucketsFor(matched.map((m) => m.on), q.buckets) : null;
  const cells = new Map<string, Map<string, Cell>>();
  const whole = new Map<string, Cell>();
  for (const m of matched) {
    const keys = !on ? [q.event] : numeric ? numeric.segmentKeys(m.on) : segmentKeys(m.on);
    for (const k of keys) {
      let row = cells.get(k);
      if (!row) cells.set(k, (row = new Map()));
      let cell = row.get(m.label);
      if (!cell) row.set(m.label, (cell = { events: 0, users: new Set() }));
      cell.events++;
      cell.users.add(m.user);
      let w = whole.get(k);
      if (!w) whole.set(k, (w = { events: 0, users: new Set() }));
      w.events++;
      w.users.add(m.user);
    }
  }

  const measure = (c: Cell | undefined): number => {
    if (!c) return 0;
    if (q.type === 'general') return c.events;
    if (q.type === 'unique') return c.users.size;
    return c.users.size === 0 ? 0 : c.events / c.users.size;
  };
  const totalOf = new Map([...whole].map(([k, c]) => [k, measure(c)]));
  const ranked = [...totalOf.keys()].sort((a, b) => totalOf.get(b)! - totalOf.get(a)! || compareStrings(a, b)).slice(0, q.limit);
  const values: Record<string, Record<string, number>> = {};
  const totals: Record<string, number> = {};
  for (const k of ranked) {
    const row: Record<string, number> = {};
    for (const label of series) row[label] = measure(cells.get(k)?.get(label));
    values[k] = row;
    totals[k] = totalOf.get(k)!;
  }
  return {
    series,
    values,
    totals,
    meta: {
      event: q.event,
      from: q.from,
      to: q.to,
      unit: q.unit,
      type: q.type,
      time_zone: 'UTC',
      where: q.where ? print(q.where) : null,
      on: q.on ? print(q.on) : null,
      segments_found: whole.size,
      segments_returned: ranked.length,
      events_matched: matched.length,
      rows_scanned: scanned,
      warnings: [],
    },
  };
}
