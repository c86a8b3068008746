// Series colours. Okabe–Ito (colour-blind safe), extended to ten with two of Paul Tol's muted
// colours; Okabe–Ito's yellow (#F0E442) is darkened because it vanishes as a thin line on white,
// and its black is softened so a series never looks like an axis.
export const PALETTE = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#332288', // indigo (Tol)
  '#882255', // wine (Tol)
  '#B59F00', // yellow, darkened
  '#3B3B3B', // near black
] as const;

/** "(not set)" is not a value the analyst chose, so it is drawn quietly. */
export const NOT_SET_COLOR = '#9AA0A6';

/** Dash patterns for the second, third, ... round of colours (more than ten drawn at once). */
const DASHES: readonly number[][] = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

export type SeriesStyle = { color: string; dash: number[] };

/**
 * Gives each segment a slot it keeps for the session, so a segment does not change colour when the
 * query is edited. A segment asks for its remembered slot first; only if another drawn segment
 * holds it (possible after many edits) does it move, to the lowest free slot. Slots past the
 * palette reuse colours with a dash pattern.
 */
export class SegmentColors {
  private readonly slots = new Map<string, number>();

  assign(drawn: readonly string[], isNotSet: (segment: string) => boolean): Map<string, SeriesStyle> {
    const styles = new Map<string, SeriesStyle>();
    const used = new Set<number>();
    const waiting: string[] = [];
    for (const segment of drawn) {
      if (isNotSet(segment)) continue;
      const slot = this.slots.get(segment);
      if (slot !== undefined && !used.has(slot)) used.add(slot);
      else waiting.push(segment);
    }
    let next = 0;
    for (const segment of waiting) {
      while (used.has(next)) next++;
      this.slots.set(segment, next);
      used.add(next);
    }
    for (const segment of drawn) {
      if (isNotSet(segment)) {
        styles.set(segment, { color: NOT_SET_COLOR, dash: [] });
        continue;
      }
      const slot = this.slots.get(segment)!;
      styles.set(segment, {
        color: PALETTE[slot % PALETTE.length],
        dash: [...DASHES[Math.floor(slot / PALETTE.length) % DASHES.length]],
      });
    }
    return styles;
  }
}

/**
 * The page's one colour memory. The chart draws with it and the table shows the same swatch next
 * to each drawn segment; both call assign() with the same drawn list (SeriesSelection.drawn), and
 * assign() is idempotent for an unchanged list, so they always agree.
 */
export const sessionColors = new SegmentColors();
