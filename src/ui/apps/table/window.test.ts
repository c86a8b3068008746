import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameSpan, visibleSpan, visibleStretch } from './window.ts';

describe('visibleSpan', () => {
  it('covers the rows in view plus the overscan', () => {
    // 28 px rows, 560 px viewport scrolled by 10 rows: rows 10..29 visible, 3 more each side.
    expect(visibleSpan({ count: 50, size: 28, from: 280, to: 840, overscan: 3 })).toEqual({ first: 7, end: 33 });
  });

  it('counts a partly visible item as visible at both ends', () => {
    expect(visibleSpan({ count: 50, size: 28, from: 290, to: 300, overscan: 0 })).toEqual({ first: 10, end: 11 });
    expect(visibleSpan({ count: 50, size: 28, from: 279, to: 281, overscan: 0 })).toEqual({ first: 9, end: 11 });
  });

  it('clamps to the list at its start and end', () => {
    expect(visibleSpan({ count: 50, size: 28, from: 0, to: 560, overscan: 5 })).toEqual({ first: 0, end: 25 });
    expect(visibleSpan({ count: 50, size: 28, from: 1200, to: 1760, overscan: 5 })).toEqual({ first: 37, end: 50 });
    expect(visibleSpan({ count: 5, size: 28, from: -100, to: 5000, overscan: 2 })).toEqual({ first: 0, end: 5 });
  });

  it('is empty for an empty list', () => {
    expect(visibleSpan({ count: 0, size: 28, from: 0, to: 560, overscan: 5 })).toEqual({ first: 0, end: 0 });
  });

  it('renders everything when the item size is not known yet', () => {
    expect(visibleSpan({ count: 12, size: 0, from: 0, to: 560, overscan: 1 })).toEqual({ first: 0, end: 12 });
    expect(visibleSpan({ count: 12, size: Number.NaN, from: 0, to: 560, overscan: 1 })).toEqual({ first: 0, end: 12 });
  });

  it('keeps only the overscan near the edge when nothing is visible', () => {
    // The table is below the fold: the first rows are ready for the first scroll.
    expect(visibleSpan({ count: 50, size: 28, from: 0, to: -200, overscan: 4 })).toEqual({ first: 0, end: 4 });
    // Scrolled far past it.
    expect(visibleSpan({ count: 50, size: 28, from: 5000, to: 4000, overscan: 4 })).toEqual({ first: 46, end: 50 });
  });

  it('always holds every visible item and stays inside the list (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: -3000, max: 20000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 10 }),
        (count, size, from, length, overscan) => {
          const to = from + length;
          const span = visibleSpan({ count, size, from, to, overscan });
          expect(span.first).toBeGreaterThanOrEqual(0);
          expect(span.end).toBeLessThanOrEqual(count);
          expect(span.first).toBeLessThanOrEqual(span.end);
          for (let i = 0; i < count; i++) {
            // An empty stretch (to <= from) shows nothing, whatever item it sits on.
            const visible = to > from && i * size < to && (i + 1) * size > from;
            if (visible) {
              expect(i).toBeGreaterThanOrEqual(span.first);
              expect(i).toBeLessThan(span.end);
            }
          }
          // Never more than the viewport's worth plus the overscan (and the partial items).
          expect(span.end - span.first).toBeLessThanOrEqual(Math.ceil(length / size) + 1 + 2 * overscan);
        },
      ),
    );
  });
});

describe('sameSpan', () => {
  it('compares both ends', () => {
    expect(sameSpan({ first: 1, end: 5 }, { first: 1, end: 5 })).toBe(true);
    expect(sameSpan({ first: 1, end: 5 }, { first: 1, end: 6 })).toBe(false);
    expect(sameSpan({ first: 0, end: 5 }, { first: 1, end: 5 })).toBe(false);
  });
});

describe('visibleStretch', () => {
  it('starts below a sticky header at the top of a scroller', () => {
    // 40 px header, rows start at 40 in the content; scrolled by 100; 560 px tall scroller.
    expect(visibleStretch({ scroll: 100, client: 560, listStart: 40, covered: 40, scrollerAt: 300, viewport: 900 })).toEqual({ from: 100, to: 620 });
  });

  it('is clipped by the window when the scroller runs past the viewport', () => {
    // Scroller at 700 px in a 900 px window: only its first 200 px are on screen.
    expect(visibleStretch({ scroll: 0, client: 560, listStart: 40, covered: 40, scrollerAt: 700, viewport: 900 })).toEqual({ from: 0, to: 160 });
  });

  it('is clipped by the window when the scroller starts above it (an embed scrolled down)', () => {
    // A 3,000 px tall table without its own scrolling, its top 1,000 px above the viewport.
    expect(visibleStretch({ scroll: 0, client: 3000, listStart: 40, covered: 40, scrollerAt: -1000, viewport: 600 })).toEqual({ from: 960, to: 1560 });
  });

  it('is empty (to < from) when the scroller is wholly below the fold', () => {
    const s = visibleStretch({ scroll: 0, client: 560, listStart: 40, covered: 40, scrollerAt: 1200, viewport: 900 });
    expect(s.to).toBeLessThan(s.from);
  });

  it('measures columns after the sticky segment and Total columns', () => {
    // 344 px of sticky columns; 1,000 px wide scroller scrolled by 500.
    expect(visibleStretch({ scroll: 500, client: 1000, listStart: 344, covered: 344, scrollerAt: 380, viewport: 1400 })).toEqual({ from: 500, to: 1156 });
  });
});
