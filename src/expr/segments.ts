// The `on` rules of spec section 5: which segment(s) an event's `on` value puts it in, and the
// equal-width numeric ranges of a request's `buckets`. Written so each SQL dialect can mirror it
// with plain arithmetic and string casts.
import { DateTime, castString, formatNumber, type Value } from './value.ts';

/** The segment of undefined and null (the UI shows it as "(not set)"). */
export const UNDEFINED_SEGMENT = 'undefined';

/** The key of one scalar, or null when the value has no segment (an object, a nested list). */
function scalarKey(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? formatNumber(v) : UNDEFINED_SEGMENT;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return UNDEFINED_SEGMENT;
    case 'object':
      if (v === null) return UNDEFINED_SEGMENT;
      if (v instanceof DateTime) return castString(v) ?? null;
      return null;
    default:
      return UNDEFINED_SEGMENT;
  }
}

/**
 * Segment keys of one event's `on` value, distinct, in first-seen order:
 * - string / number / boolean / datetime: one key (`string(x)`, `"true"`/`"false"`);
 * - undefined, null: `"undefined"`;
 * - list: the key of each distinct element; null elements give `"undefined"`; nested lists and
 *   objects are skipped (so `[]` and `[[1]]` give no segment: the event is counted nowhere);
 * - object: no segment (**decision**: it is skipped like an object inside a list).
 */
export function segmentKeys(value: Value): string[] {
  if (Array.isArray(value)) {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const el of value) {
      if (typeof el === 'object' && el !== null && !(el instanceof DateTime)) continue;
      const k = scalarKey(el);
      if (k !== null && !seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
    return out;
  }
  const k = scalarKey(value);
  return k === null ? [] : [k];
}

/** The numbers of an `on` value that numeric bucketing applies to: a number, or the numbers of a list. */
export function numericValues(value: Value): number[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : [];
  if (!Array.isArray(value)) return [];
  const out: number[] = [];
  for (const el of value) if (typeof el === 'number' && Number.isFinite(el)) out.push(el);
  return out;
}

/**
 * N equal-width ranges over [min, max] of the numeric `on` values of the query.
 * width = (max - min) / N; a number x falls in range i = min(N - 1, floor((x - min) / width)).
 * When width is 0 or not finite (one distinct value, or a span too wide for a double) there is
 * one range. Range i is labelled `${string(lo)} - ${string(hi)}` with lo = min + i * width and
 * hi = min + (i + 1) * width, except that the last range ends exactly at max.
 */
export class NumericBuckets {
  readonly count: number;
  readonly width: number;

  constructor(
    readonly min: number,
    readonly max: number,
    requested: number,
  ) {
    const n = Math.max(1, Math.floor(requested));
    const width = (max - min) / n;
    const usable = Number.isFinite(width) && width > 0;
    this.count = usable ? n : 1;
    this.width = usable ? width : 0;
  }

  /** Every range's index for x in [min, max]; values outside are clamped into the end ranges. */
  indexOf(x: number): number {
    if (this.width === 0) return 0;
    const i = Math.floor((x - this.min) / this.width);
    return i < 0 ? 0 : i > this.count - 1 ? this.count - 1 : i;
  }

  label(i: number): string {
    const lo = this.min + i * this.width;
    const hi = i === this.count - 1 ? this.max : this.min + (i + 1) * this.width;
    return `${formatNumber(lo)} - ${formatNumber(hi)}`;
  }

  labels(): string[] {
    return Array.from({ length: this.count }, (_, i) => this.label(i));
  }

  keyOf(x: number): string {
    return this.label(this.indexOf(x));
  }

  /** The bucketed segment keys of an `on` value: numbers become range labels, the rest keep their keys. */
  segmentKeys(value: Value): string[] {
    if (typeof value === 'number' && Number.isFinite(value)) return [this.keyOf(value)];
    if (!Array.isArray(value)) return segmentKeys(value);
    const out: string[] = [];
    const seen = new Set<string>();
    for (const el of value) {
      let k: string[];
      if (typeof el === 'number' && Number.isFinite(el)) k = [this.keyOf(el)];
      else if (typeof el === 'object' && el !== null && !(el instanceof DateTime)) continue;
      else k = segmentKeys(el as Value);
      for (const key of k) {
        if (!seen.has(key)) {
          seen.add(key);
          out.push(key);
        }
      }
    }
    return out;
  }
}

/** Buckets for a set of `on` values (null when none of them is a number). */
export function numericBucketsFor(values: Iterable<Value>, requested: number): NumericBuckets | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    for (const x of numericValues(v)) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  return min <= max ? new NumericBuckets(min, max, requested) : null;
}
