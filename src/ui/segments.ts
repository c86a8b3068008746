// What the chart and the table must agree on beyond the shared models: how a segment is named on
// screen and how ticking or unticking one changes SeriesSelection. Both apps import this file
// (they never import each other). Rank order is ReportResult.rankedSegments() and the drawn set
// SeriesSelection.drawn(ranked); callers pass both in.
import type { SegmentationResult } from '../report/types.ts';

/** The API's name for the segment of events whose `on` value is undefined or null. */
export const NOT_SET_SEGMENT = 'undefined';
export const NOT_SET_LABEL = '(not set)';

/** The SeriesSelection attributes (hidden: segments the analyst unticked). */
export type SelectionState = { hidden: readonly string[]; maxDrawn: number };

/** Without `on`, the one segment is the event name, which may itself be "undefined". */
export function isNotSet(result: SegmentationResult, segment: string): boolean {
  return result.meta.on !== null && segment === NOT_SET_SEGMENT;
}

export function segmentLabel(result: SegmentationResult, segment: string): string {
  return isNotSet(result, segment) ? NOT_SET_LABEL : segment;
}

/**
 * The selection after the analyst ticks `segment`: exactly the segments drawn before plus this one.
 * Segments ranked before it that were only left out by the `maxDrawn` cap become hidden, otherwise
 * raising the cap would draw them too.
 */
export function showSegment(
  ranked: readonly string[],
  drawnNow: readonly string[],
  selection: SelectionState,
  segment: string,
): SelectionState {
  const drawn = new Set(drawnNow);
  if (drawn.has(segment) || !ranked.includes(segment)) return selection;
  const hidden = new Set(selection.hidden);
  hidden.delete(segment);
  for (const s of ranked) {
    if (s === segment) break;
    if (!drawn.has(s)) hidden.add(s);
  }
  return { hidden: orderLike(ranked, selection.hidden, hidden), maxDrawn: Math.max(selection.maxDrawn, drawn.size + 1) };
}

/**
 * The selection after the analyst unticks `segment`: exactly the segments drawn before minus this
 * one. When more segments wait behind the cap, the cap shrinks so none of them pops in unasked.
 */
export function hideSegment(
  ranked: readonly string[],
  drawn: readonly string[],
  selection: SelectionState,
  segment: string,
): SelectionState {
  if (!drawn.includes(segment)) return selection;
  const hidden = new Set(selection.hidden);
  hidden.add(segment);
  const waiting = ranked.some((s) => !hidden.has(s) && !drawn.includes(s));
  return {
    hidden: orderLike(ranked, selection.hidden, hidden),
    maxDrawn: waiting ? drawn.length - 1 : selection.maxDrawn,
  };
}

/** Keep hidden segments that are not in this result (they may come back after another edit). */
function orderLike(ranked: readonly string[], before: readonly string[], now: Set<string>): string[] {
  const inResult = new Set(ranked);
  return [...before.filter((s) => !inResult.has(s) && now.has(s)), ...ranked.filter((s) => now.has(s))];
}
