// Ticking and unticking segments (shared by the table's checkboxes and the chart's legend): the
// checkbox must mean "drawn", so each action changes exactly the one segment it names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hideSegment, showSegment } from '../../segments.ts';
import { SeriesSelection } from '../../state/series-selection.ts';

const RANKED = Array.from({ length: 15 }, (_, i) => `s${i}`);

function act(sel: SeriesSelection, ranked: string[], segment: string, show: boolean): string[] {
  const state = { hidden: sel.get('hidden'), maxDrawn: sel.get('maxDrawn') };
  const next = (show ? showSegment : hideSegment)(ranked, sel.drawn(ranked), state, segment);
  sel.set({ hidden: [...next.hidden], maxDrawn: next.maxDrawn });
  return sel.drawn(ranked);
}

describe('show and hide segments', () => {
  it('ticking a segment beyond the cap draws exactly it in addition', () => {
    const sel = new SeriesSelection({ maxDrawn: 10 });
    expect(act(sel, RANKED, 's13', true)).toEqual([...RANKED.slice(0, 10), 's13']);
    expect(sel.get('maxDrawn')).toBe(11);
    expect(sel.get('hidden')).toEqual(['s10', 's11', 's12']);
  });

  it('unticking a drawn segment does not pull in the next one', () => {
    const sel = new SeriesSelection({ maxDrawn: 10 });
    expect(act(sel, RANKED, 's2', false)).toEqual(RANKED.slice(0, 10).filter((s) => s !== 's2'));
    expect(act(sel, RANKED, 's2', true)).toEqual(RANKED.slice(0, 10));
  });

  it('keeps the cap when every segment fits under it', () => {
    const few = RANKED.slice(0, 4);
    const sel = new SeriesSelection({ maxDrawn: 10 });
    expect(act(sel, few, 's1', false)).toEqual(['s0', 's2', 's3']);
    expect(act(sel, few, 's1', true)).toEqual(few);
    expect(sel.get('maxDrawn')).toBe(10);
  });

  it('remembers hidden segments that are not in the current answer', () => {
    const sel = new SeriesSelection({ hidden: ['gone'], maxDrawn: 10 });
    act(sel, RANKED, 's0', false);
    expect(sel.get('hidden')).toEqual(['gone', 's0']);
  });

  it('for any sequence of clicks, the drawn set changes by exactly the clicked segment', () => {
    const click = fc.record({ i: fc.nat({ max: RANKED.length - 1 }) });
    fc.assert(
      fc.property(fc.array(click, { maxLength: 40 }), fc.integer({ min: 0, max: 12 }), (clicks, max) => {
        const sel = new SeriesSelection({ maxDrawn: max });
        for (const { i } of clicks) {
          const segment = RANKED[i];
          const before = sel.drawn(RANKED);
          const show = !before.includes(segment);
          const after = act(sel, RANKED, segment, show);
          const expected = show ? [...before, segment] : before.filter((s) => s !== segment);
          expect(new Set(after)).toEqual(new Set(expected));
        }
      }),
      { numRuns: 300 },
    );
  });
});
