import type { PropertyType } from './types.ts';

/**
 * The value a top-level property has once serialised to JSON (what the `properties` column
 * stores), so typed columns always agree with the JSON: `undefined` and functions vanish (missing
 * key), non-finite numbers become null, `toJSON()` (e.g. a Date) is applied. Events parsed from
 * JSON come through unchanged.
 */
export function jsonValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('a bigint is not a JSON value');
    default:
      if (value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return jsonValue((value as { toJSON(): unknown }).toJSON());
      }
      return value;
  }
}

/** The JSON type of a value already passed through jsonValue (undefined = missing key). */
export function propertyTypeOf(value: unknown): PropertyType | undefined {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'undefined':
      return undefined;
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? 'list' : 'object';
  }
}
