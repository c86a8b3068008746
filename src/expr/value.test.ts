import { describe, expect, it } from 'vitest';
import {
  DateTime,
  MAX_MS,
  MIN_MS,
  castBoolean,
  castDateTime,
  castNumber,
  castString,
  compareStrings,
  compareValues,
  formatDateTime,
  formatIso,
  fromTyped,
  parseIsoDateTime,
  parseNumber,
  secondsToMs,
  toTyped,
  typeOf,
  valuesEqual,
  type Value,
} from './value.ts';

const dt = (iso: string): DateTime => {
  const d = parseIsoDateTime(iso);
  if (d === undefined) throw new Error(`bad test datetime ${iso}`);
  return d;
};

describe('number(string)', () => {
  it.each<[string, number | undefined]>([
    ['12', 12],
    ['12.5', 12.5],
    ['-1.5e3', -1500],
    ['+7', 7],
    [' 42 ', 42],
    ['\t\n42\r\f', 42],
    ['.5', 0.5],
    ['5.', 5],
    ['1E2', 100],
    ['1e-2', 0.01],
    ['1e+2', 100],
    ['0', 0],
    ['007', 7],
    ['-0', -0],
    ['', undefined],
    ['   ', undefined],
    ['0x10', undefined],
    ['Infinity', undefined],
    ['-Infinity', undefined],
    ['NaN', undefined],
    ['12abc', undefined],
    ['abc', undefined],
    ['1e', undefined],
    ['e5', undefined],
    ['.', undefined],
    ['+-1', undefined],
    ['--1', undefined],
    ['1 2', undefined],
    ['1_000', undefined],
    ['1,5', undefined],
    ['1e400', undefined],
    ['-1e400', undefined],
    ['\u00a042', undefined], // NBSP is not trimmed (SQL trims only ASCII whitespace)
    ['٣', undefined], // non-ASCII digits
    ['0b101', undefined],
  ])('number(%j) is %j', (s, n) => {
    const got = parseNumber(s);
    if (n === undefined) expect(got).toBeUndefined();
    else expect(got).toBe(n);
  });
});

describe('string(number)', () => {
  it.each<[number, string]>([
    [3, '3'],
    [12.5, '12.5'],
    [-0, '0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [123456789012, '123456789012'],
    [-2.5, '-2.5'],
  ])('string(%d) is %j', (n, s) => expect(castString(n)).toBe(s));
});

describe('casts table', () => {
  const d = dt('2011-08-08T00:00:00Z');
  const dms = dt('2011-08-08T00:00:00.250Z');
  it.each<[string, Value, string | undefined, number | undefined, boolean]>([
    // value, string(x), number(x), boolean(x)
    ['string', 'abc', 'abc', undefined, true],
    ['empty string', '', '', undefined, false],
    ['"false"', 'false', 'false', undefined, false],
    ['"False"', 'False', 'False', undefined, true],
    ['"0"', '0', '0', 0, true],
    ['number', 3, '3', 3, true],
    ['zero', 0, '0', 0, false],
    ['negative', -1.5, '-1.5', -1.5, true],
    ['true', true, 'true', 1, true],
    ['false', false, 'false', 0, false],
    ['null', null, undefined, undefined, false],
    ['undefined', undefined, undefined, undefined, false],
    ['datetime', d, '2011-08-08T00:00:00', 1312761600, true],
    ['datetime with ms', dms, '2011-08-08T00:00:00.250', 1312761600.25, true],
    ['list', [1], undefined, undefined, true],
    ['empty list', [], undefined, undefined, false],
    ['object', { a: 1 }, undefined, undefined, true],
    ['empty object', {}, undefined, undefined, false],
  ])('%s', (_name, v, s, n, b) => {
    expect(castString(v)).toBe(s);
    if (n === undefined) expect(castNumber(v)).toBeUndefined();
    else expect(castNumber(v)).toBe(n);
    expect(castBoolean(v)).toBe(b);
  });

  it('datetime() of each type', () => {
    expect(castDateTime(1312761600)?.ms).toBe(1312761600000);
    expect(castDateTime('2011-08-08')?.ms).toBe(1312761600000);
    expect(castDateTime(d)).toBe(d);
    for (const v of [true, false, null, undefined, [1], { a: 1 }, 'garbage', '']) expect(castDateTime(v as Value)).toBeUndefined();
  });

  it('boolean(NaN) is false', () => expect(castBoolean(NaN)).toBe(false));
});

describe('seconds to milliseconds (datetime(number))', () => {
  it.each<[number, number | undefined]>([
    [0, 0],
    [1, 1000],
    [1.0005, 1000],
    [1.001, 1001], // the double is 1.000999..., written as 1.001
    [1.0009999, 1000],
    [1312761600.123, 1312761600123],
    [1312761600.1239, 1312761600123],
    [-1.0005, -1000],
    [-1.5, -1500],
    [-0.0001, 0],
    [5e-7, 0],
    [0.001, 1],
    [-62167219200, -62167219200000],
    [253402300799.999, 253402300799999],
    [1e300, undefined],
    [-1e300, undefined],
    [Infinity, undefined],
    [NaN, undefined],
  ])('%d s is %j ms', (s, ms) => expect(secondsToMs(s)).toBe(ms));

  it('out-of-range instants are undefined', () => {
    expect(castDateTime(253402300800)).toBeUndefined();
    expect(castDateTime(-62167219201)).toBeUndefined();
    expect(castDateTime(253402300799)?.ms).toBe(253402300799000);
  });
});

describe('ISO-8601 datetimes', () => {
  it.each<[string, number | undefined]>([
    ['2011-08-08', 1312761600000],
    ['2011-08-08Z', 1312761600000],
    ['2011-08-08+02:00', 1312761600000 - 7200000],
    ['2011-08-08T00:00', 1312761600000],
    ['2011-08-08T00:00Z', 1312761600000],
    ['2011-08-08T00:00:00', 1312761600000],
    ['2011-08-08T00:00:00Z', 1312761600000],
    ['2011-08-08T05:00:00+05:00', 1312761600000],
    ['2011-08-07T19:00:00-05:00', 1312761600000],
    ['2011-08-08T00:00:00.5Z', 1312761600500],
    ['2011-08-08T00:00:00.123456789Z', 1312761600123],
    ['2011-08-08T00:00:00.999999999', 1312761600999],
    ['2011-08-08T00:00:00.12', 1312761600120],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999Z', -1],
    ['2000-02-29', 951782400000],
    ['0000-01-01T00:00:00Z', MIN_MS],
    ['9999-12-31T23:59:59.999Z', MAX_MS],
    ['1900-02-29', undefined],
    ['2001-02-29', undefined],
    ['2011-04-31', undefined],
    ['2011-13-01', undefined],
    ['2011-00-01', undefined],
    ['2011-01-00', undefined],
    ['2011-01-32', undefined],
    ['2011-08-08T24:00:00', undefined],
    ['2011-08-08T23:60:00', undefined],
    ['2011-08-08T23:59:60', undefined],
    ['2011-08-08T00:00:00.', undefined],
    ['2011-08-08T00:00:00.1234567890', undefined],
    ['2011-08-08T00:00:00+24:00', undefined],
    ['2011-08-08T00:00:00+05:60', undefined],
    ['2011-08-08T00:00:00+0500', undefined],
    ['2011-08-08T00', undefined],
    ['2011-08-08 00:00:00', undefined],
    ['2011-08-08t00:00:00', undefined],
    ['2011-08-08T00:00:00z', undefined],
    [' 2011-08-08', undefined],
    ['2011-08-08 ', undefined],
    ['2011-8-8', undefined],
    ['11-08-08', undefined],
    ['+02011-08-08', undefined],
    ['0000-01-01T00:00:00+00:01', undefined], // before year 0000
    ['9999-12-31T23:59:59-00:01', undefined], // after year 9999
    ['garbage', undefined],
    ['', undefined],
    ['2011-08-08T00:00:00ZZ', undefined],
  ])('datetime(%j)', (s, ms) => expect(parseIsoDateTime(s)?.ms).toBe(ms));

  it.each<[number, string, string]>([
    [1312761600000, '2011-08-08T00:00:00', '2011-08-08T00:00:00Z'],
    [1312761600250, '2011-08-08T00:00:00.250', '2011-08-08T00:00:00.250Z'],
    [1312761600001, '2011-08-08T00:00:00.001', '2011-08-08T00:00:00.001Z'],
    [-1, '1969-12-31T23:59:59.999', '1969-12-31T23:59:59.999Z'],
    [MIN_MS, '0000-01-01T00:00:00', '0000-01-01T00:00:00Z'],
    [MAX_MS, '9999-12-31T23:59:59.999', '9999-12-31T23:59:59.999Z'],
    [-62135596800000, '0001-01-01T00:00:00', '0001-01-01T00:00:00Z'],
  ])('%d prints as %s', (ms, s, iso) => {
    expect(formatDateTime(ms)).toBe(s);
    expect(formatIso(ms)).toBe(iso);
    expect(parseIsoDateTime(iso)?.ms).toBe(ms);
    expect(parseIsoDateTime(s)?.ms).toBe(ms);
  });
});

describe('equality', () => {
  it.each<[string, Value, Value, boolean]>([
    ['numbers', 1, 1, true],
    ['0 and -0', 0, -0, true],
    ['different numbers', 1, 2, false],
    ['number and string', 1, '1', false],
    ['strings are case-sensitive', 'a', 'A', false],
    ['undefined, undefined', undefined, undefined, true],
    ['null, null', null, null, true],
    ['null, undefined', null, undefined, false],
    ['false, 0', false, 0, false],
    ['lists deeply', [1, [2, 'x']], [1, [2, 'x']], true],
    ['lists by order', [1, 2], [2, 1], false],
    ['lists by length', [1], [1, 1], false],
    ['objects deeply, any key order', { a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }, true],
    ['objects with other keys', { a: 1 }, { b: 1 }, false],
    ['objects with fewer keys', { a: 1 }, { a: 1, b: 2 }, false],
    ['list and object', [], {}, false],
    ['datetimes by instant', dt('2011-08-08T05:00:00+05:00'), dt('2011-08-08'), true],
    ['different datetimes', dt('2011-08-08'), dt('2011-08-09'), false],
    ['datetime and its string', dt('2011-08-08'), '2011-08-08T00:00:00', false],
    ['datetime and its number', dt('1970-01-01'), 0, false],
    ['datetimes in lists', [dt('2011-08-08')], [dt('2011-08-08T00:00:00Z')], true],
    ['object and datetime', {}, dt('2011-08-08'), false],
  ])('%s', (_n, a, b, eq) => {
    expect(valuesEqual(a, b)).toBe(eq);
    expect(valuesEqual(b, a)).toBe(eq);
  });

  it('does not overflow the stack on deeply nested values', () => {
    let a: Value = 1;
    let b: Value = 1;
    for (let i = 0; i < 100_000; i++) {
      a = [a];
      b = [b];
    }
    expect(valuesEqual(a, b)).toBe(true);
  });

  it('does not see inherited keys', () => {
    expect(valuesEqual({}, Object.create({ a: 1 }) as Value)).toBe(true);
  });
});

describe('ordering', () => {
  it.each<[string, Value, Value, number | undefined]>([
    ['numbers', 1, 2, -1],
    ['equal numbers', 2, 2, 0],
    ['strings', 'a', 'b', -1],
    ['string prefix', 'ab', 'a', 1],
    ['uppercase before lowercase', 'Z', 'a', -1],
    ['code points, not UTF-16 units', '\uffff', '\ud83d\ude00', -1],
    ['datetimes', dt('2011-08-08'), dt('2011-08-09'), -1],
    ['string read as datetime', '2011-08-01T10:00:00Z', dt('2011-08-02'), -1],
    ['datetime then string', dt('2011-08-02'), '2011-08-01', 1],
    ['unreadable string beside datetime', 'soon', dt('2011-08-02'), undefined],
    ['number and string', 1, '2', undefined],
    ['number and datetime', 1, dt('2011-08-02'), undefined],
    ['booleans', false, true, undefined],
    ['lists', [1], [2], undefined],
    ['null', null, null, undefined],
    ['undefined', undefined, 1, undefined],
  ])('%s', (_n, a, b, c) => {
    const got = compareValues(a, b);
    if (c === undefined) expect(got).toBeUndefined();
    else expect(Math.sign(got as number)).toBe(c);
  });

  it('compareStrings agrees with UTF-8 byte order', () => {
    const samples = ['', 'a', 'b', 'ab', '\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\ud800\udc00', '\ud83d\ude00', 'é', 'e\u0301'];
    for (const x of samples) {
      for (const y of samples) {
        const bytes = Math.sign(Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8')));
        expect([x, y, Math.sign(compareStrings(x, y))]).toEqual([x, y, bytes]);
      }
    }
  });
});

describe('typed values', () => {
  it.each<[Value, unknown]>([
    [undefined, { type: 'undefined' }],
    [null, { type: 'null', value: null }],
    ['x', { type: 'string', value: 'x' }],
    [17.5, { type: 'number', value: 17.5 }],
    [-0, { type: 'number', value: 0 }],
    [true, { type: 'boolean', value: true }],
    [dt('2011-08-08'), { type: 'datetime', value: '2011-08-08T00:00:00Z' }],
    [[1, 'a', null], { type: 'list', value: [1, 'a', null] }],
    [[dt('2011-08-08T00:00:00.5Z'), [dt('1970-01-01')]], { type: 'list', value: ['2011-08-08T00:00:00.500Z', ['1970-01-01T00:00:00Z']] }],
    [{ a: { t: dt('2011-08-08') } }, { type: 'object', value: { a: { t: '2011-08-08T00:00:00Z' } } }],
    [NaN, { type: 'undefined' }],
  ])('toTyped(%j)', (v, t) => expect(toTyped(v)).toEqual(t));

  it('fromTyped inverts toTyped for scalars and datetimes', () => {
    for (const v of [undefined, null, 'x', 2.5, false, dt('2011-08-08T00:00:00.123Z')] as Value[]) {
      const back = fromTyped(toTyped(v));
      expect(typeOf(back)).toBe(typeOf(v));
      expect(valuesEqual(back, v)).toBe(true);
    }
  });
});
