// Which rows and columns of the table are worth having in the DOM: those in the scroll viewport
// plus a small overscan. Pure arithmetic, so the edges (empty lists, a viewport past the end, a
// table below the fold) are tested without a browser; the view only measures and renders.

/** Half-open range of item indices [first, end). */
export type Span = { first: number; end: number };

export type SpanInput = {
  /** Items in the list. */
  count: number;
  /** Size of every item in px (rows and bucket columns are uniform). */
  size: number;
  /** Visible part of the list, in px from the list's start (may be negative or past its end). */
  from: number;
  to: number;
  /** Extra items kept on each side so a small scroll shows built cells at once. */
  overscan: number;
};

/** The items overlapping [from, to), widened by the overscan and clamped to the list. */
export function visibleSpan({ count, size, from, to, overscan }: SpanInput): Span {
  if (count <= 0) return { first: 0, end: 0 };
  // Unmeasured or degenerate sizes: everything (correct, only slower), never nothing.
  if (!(size > 0) || !Number.isFinite(from) || !Number.isFinite(to)) return { first: 0, end: count };
  if (to <= from) {
    // Nothing visible (e.g. scrolled out of the window): keep only the overscan near that edge.
    const at = clamp(Math.floor(from / size), 0, count);
    return { first: clamp(at - overscan, 0, count), end: clamp(at + overscan, 0, count) };
  }
  const first = clamp(Math.floor(from / size) - overscan, 0, count);
  const end = clamp(Math.ceil(to / size) + overscan, 0, count);
  return first < end ? { first, end } : { first: clamp(end - 1, 0, count), end };
}

export function sameSpan(a: Span, b: Span): boolean {
  return a.first === b.first && a.end === b.end;
}

/**
 * The visible stretch of a scrolled list along one axis, in px from the list's start.
 * `listStart` is where the list begins inside the scroller's content (e.g. below a header);
 * `covered` is how much of the scroller's start is hidden under sticky cells; the window's own
 * viewport clips too (a table taller than the screen, or an embed in a short frame).
 */
export function visibleStretch(input: {
  scroll: number; // scrollTop or scrollLeft
  client: number; // clientHeight or clientWidth
  listStart: number;
  covered: number;
  /** Where the scroller's content box starts in the window's viewport, and the viewport's size. */
  scrollerAt: number;
  viewport: number;
}): { from: number; to: number } {
  const { scroll, client, listStart, covered, scrollerAt, viewport } = input;
  const hiddenBefore = Math.max(0, -scrollerAt); // scroller starts above/left of the viewport
  const shownUntil = Math.min(client, viewport - scrollerAt); // scroller ends below/right of it
  return {
    from: scroll + Math.max(covered, hiddenBefore) - listStart,
    to: scroll + shownUntil - listStart,
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
