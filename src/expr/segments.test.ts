import { describe, expect, it } from 'vitest';
import { NumericBuckets, numericBucketsFor, numericValues, segmentKeys } from './segments.ts';
import { parseIsoDateTime, type Value } from './value.ts';

const d = parseIsoDateTime('2011-08-08T00:00:00.5Z');

describe('segmentKeys (spec section 5)', () => {
  it.each<[string, Value, string[]]>([
    ['a string', 'Chrome', ['Chrome']],
    ['the empty string', '', ['']],
    ['the string "undefined"', 'undefined', ['undefined']],
    ['a number', 12.5, ['12.5']],
    ['a big number', 1e21, ['1e+21']],
    ['minus zero', -0, ['0']],
    ['true', true, ['true']],
    ['false', false, ['false']],
    ['a datetime', d, ['2011-08-08T00:00:00.500']],
    ['undefined', undefined, ['undefined']],
    ['null', null, ['undefined']],
    ['a list', ['Jacket', 'Helmet'], ['Jacket', 'Helmet']],
    ['a list with repeats', ['a', 'b', 'a'], ['a', 'b']],
    ['a list of mixed scalars', [1, '1', true, null, d], ['1', 'true', 'undefined', '2011-08-08T00:00:00.500']],
    ['a list with nested lists and objects', ['x', ['y'], { z: 1 }], ['x']],
    ['an empty list', [], []],
    ['a list of only collections', [[1], {}], []],
    ['an object', { a: 1 }, []],
  ])('%s', (_n, v, keys) => expect(segmentKeys(v)).toEqual(keys));
});

describe('numeric buckets', () => {
  it('splits [min, max] into N equal ranges and clamps max into the last', () => {
    const b = new NumericBuckets(0, 100, 4);
    expect(b.labels()).toEqual(['0 - 25', '25 - 50', '50 - 75', '75 - 100']);
    expect([0, 24.9, 25, 50, 99.99, 100].map((x) => b.keyOf(x))).toEqual(['0 - 25', '0 - 25', '25 - 50', '50 - 75', '75 - 100', '75 - 100']);
  });

  it('labels with string() of the bounds and ends exactly at max', () => {
    const b = new NumericBuckets(0, 1, 3);
    expect(b.labels()).toEqual(['0 - 0.3333333333333333', '0.3333333333333333 - 0.6666666666666666', '0.6666666666666666 - 1']);
  });

  it('has one range when every value is the same', () => {
    const b = new NumericBuckets(5, 5, 10);
    expect(b.count).toBe(1);
    expect(b.labels()).toEqual(['5 - 5']);
    expect(b.keyOf(5)).toBe('5 - 5');
  });

  it('has one range when the span overflows a double', () => {
    const b = new NumericBuckets(-1e308, 1e308, 10);
    expect(b.count).toBe(1);
    expect(b.keyOf(0)).toBe('-1e+308 - 1e+308');
  });

  it('works for negative ranges', () => {
    const b = new NumericBuckets(-10, 10, 2);
    expect(b.labels()).toEqual(['-10 - 0', '0 - 10']);
    expect(b.keyOf(-0.5)).toBe('-10 - 0');
    expect(b.keyOf(0)).toBe('0 - 10');
  });

  it('buckets the numbers of a value and keeps other segments', () => {
    const b = new NumericBuckets(0, 10, 2);
    expect(b.segmentKeys(3)).toEqual(['0 - 5']);
    expect(b.segmentKeys('x')).toEqual(['x']);
    expect(b.segmentKeys(undefined)).toEqual(['undefined']);
    expect(b.segmentKeys([1, 2, 7, 'x', null, [3], {}])).toEqual(['0 - 5', '5 - 10', 'x', 'undefined']);
  });

  it('finds min and max over the numeric values, lists included', () => {
    expect(numericValues([1, 'x', 3, [9]])).toEqual([1, 3]);
    const b = numericBucketsFor([5, 'x', [1, 20], undefined], 19);
    expect([b?.min, b?.max, b?.count]).toEqual([1, 20, 19]);
    expect(b?.keyOf(1)).toBe('1 - 2');
    expect(numericBucketsFor(['x', null], 5)).toBeNull();
  });
});
