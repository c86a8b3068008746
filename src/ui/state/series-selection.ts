// Which segments the chart draws. The table writes it (checkboxes); the chart reads it.
import { TypedModel } from '../core/typed-model.ts';

export const DEFAULT_MAX_DRAWN = 10;

export type SeriesSelectionAttrs = {
  hidden: string[]; // segments the user unticked
  maxDrawn: number; // the chart draws at most this many non-hidden segments, in rank order
};

export class SeriesSelection extends TypedModel<SeriesSelectionAttrs> {
  override defaults(): SeriesSelectionAttrs {
    return { hidden: [], maxDrawn: DEFAULT_MAX_DRAWN };
  }

  isHidden(segment: string): boolean {
    return this.get('hidden').includes(segment);
  }

  /** Drawn = not hidden and among the first `maxDrawn` non-hidden segments of the ranking. */
  isDrawn(segment: string, rankedSegments: readonly string[]): boolean {
    return this.drawn(rankedSegments).includes(segment);
  }

  drawn(rankedSegments: readonly string[]): string[] {
    const hidden = new Set(this.get('hidden'));
    const out: string[] = [];
    const max = this.get('maxDrawn');
    for (const s of rankedSegments) {
      if (out.length >= max) break;
      if (!hidden.has(s)) out.push(s);
    }
    return out;
  }

  /** One set() per checkbox click. */
  setShown(segment: string, shown: boolean): void {
    const hidden = this.get('hidden').filter((s) => s !== segment);
    if (!shown) hidden.push(segment);
    this.set({ hidden });
  }
}
