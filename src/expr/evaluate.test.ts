// Operator by operator, table-driven: every row runs through the reference evaluator and the
// compiled evaluator, on the parsed tree and on the checked (constant-folded) tree.
import { describe, expect, it } from 'vitest';
import type { EventRecord, Expr, TypedValue } from './ast.ts';
import { call, lit, prop, scope } from './ast.ts';
import { parse } from './parse.ts';
import { check } from './check.ts';
import { evaluate } from './evaluate.ts';
import { compile } from './compile.ts';
import { toTyped } from './value.ts';

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0); // 2024-01-15T12:00:00Z

const EVENT: EventRecord = {
  event: 'Purchase',
  properties: {
    time: 1312761600,
    distinct_id: 'u1',
    price: 25,
    overhead: 7.5,
    name: 'Kevin',
    empty: '',
    zero: 0,
    flag: true,
    nullprop: null,
    items: ['Jacket', 'Helmet', 'Gloves'],
    nums: [5, 205, 178, 12, 22],
    mixed: [1, '1', null, [2], { a: 1 }, true],
    address: { city: 'Chicago', zip: '60601' },
    albums: [
      { name: 'A', tracks: 12 },
      { name: 'B', tracks: 9 },
    ],
    signup: '2011-08-01T10:00:00Z',
    emoji: 'a😀b',
    'load time': '2500',
    '': 'empty key',
    __proto__: 'not special',
  },
};
// An own "__proto__" key, as JSON.parse would make it (the literal above sets the prototype).
Object.defineProperty(EVENT.properties, '__proto__', { value: 'own proto', enumerable: true });

function all(ast: Expr, event: EventRecord = EVENT): TypedValue[] {
  const folded = check(ast).ast;
  return [
    toTyped(evaluate(ast, event, { now: NOW })),
    toTyped(compile(ast, { now: NOW })(event)),
    toTyped(evaluate(folded, event, { now: NOW })),
    toTyped(compile(folded, { now: NOW })(event)),
  ];
}

type Row = [text: string, expected: TypedValue];
const num = (value: number): TypedValue => ({ type: 'number', value });
const str = (value: string): TypedValue => ({ type: 'string', value });
const bool = (value: boolean): TypedValue => ({ type: 'boolean', value });
const dt = (value: string): TypedValue => ({ type: 'datetime', value });
const U: TypedValue = { type: 'undefined' };
const T = bool(true);
const F = bool(false);

function table(name: string, rows: Row[]): void {
  describe(name, () => {
    it.each(rows)('%s', (text, expected) => {
      for (const got of all(parse(text))) expect(got).toEqual(expected);
    });
  });
}

table('+', [
  ['1 + 2', num(3)],
  ['0.1 + 0.2', num(0.30000000000000004)],
  ['"a" + "b"', str('ab')],
  ['"" + ""', str('')],
  ['"a" + 1', U],
  ['1 + "a"', U],
  ['1 + true', U],
  ['1 + null', U],
  ['1 + undefined', U],
  ['[1] + [2]', U],
  ['1e308 + 1e308', U],
  ['datetime("2011-08-08") + 86400', dt('2011-08-09T00:00:00Z')],
  ['datetime("2011-08-08") + 0.5', dt('2011-08-08T00:00:00.500Z')],
  ['datetime("2011-08-08") + 0.0005', dt('2011-08-08T00:00:00Z')],
  ['datetime("2011-08-08") + -1', dt('2011-08-07T23:59:59Z')],
  ['86400 + datetime("2011-08-08")', U],
  ['datetime("2011-08-08") + datetime("2011-08-08")', U],
  ['datetime("2011-08-08") + "1"', U],
  ['datetime("9999-12-31T23:59:59Z") + 1', U],
  ['properties["price"] + properties["overhead"]', num(32.5)],
  ['properties["name"] + "!"', str('Kevin!')],
]);

table('-', [
  ['5 - 7', num(-2)],
  ['"a" - "a"', U],
  ['-1e308 - 1e308', U],
  ['datetime("2011-08-08") - 86400', dt('2011-08-07T00:00:00Z')],
  ['datetime("2011-08-08") - datetime("2011-08-07")', num(86400)],
  ['datetime("2011-08-07") - datetime("2011-08-08T00:00:00.5Z")', num(-86400.5)],
  ['datetime("2011-08-08") - "2011-08-07"', U],
  ['1 - datetime("2011-08-08")', U],
  ['datetime("0000-01-01") - 1', U],
  ['event["time"] - datetime(0)', num(1312761600)],
]);

table('* / %', [
  ['6 * 7', num(42)],
  ['"6" * 7', U],
  ['1e200 * 1e200', U],
  ['7 / 2', num(3.5)],
  ['5 / 0', U],
  ['0 / 0', U],
  ['-5 / 0', U],
  ['5 / -0', U],
  ['-7 % 3', num(-1)],
  ['7 % -3', num(1)],
  ['7.5 % 2', num(1.5)],
  ['5 % 0', U],
  ['true * 2', U],
  ['null / 1', U],
  ['2 * properties["price"]', num(50)],
  ['properties["load time"] * 2', U],
]);

table('unary -', [
  ['-properties["price"]', num(-25)],
  ['- -3', num(3)],
  ['-(1)', num(-1)],
  ['-"1"', U],
  ['-true', U],
  ['-properties["missing"]', U],
  ['-(0)', num(0)],
]);

table('== and !=', [
  ['1 == 1', T],
  ['1 = 1', T],
  ['1 == "1"', F],
  ['1 != "1"', T],
  ['"a" == "A"', F],
  ['null == null', T],
  ['undefined == undefined', T],
  ['null == undefined', F],
  ['properties["missing"] == undefined', T],
  ['properties["missing"] == null', F],
  ['properties["nullprop"] == null', T],
  ['properties["missing"] != "x"', T],
  ['[1, 2] == [1, 2]', T],
  ['[1, 2] == [2, 1]', F],
  ['[1, [2]] == [1, [2]]', T],
  ['properties["address"] == properties["address"]', T],
  ['properties["items"] == ["Jacket", "Helmet", "Gloves"]', T],
  ['datetime("2011-08-08T05:00:00+05:00") == datetime(1312761600)', T],
  ['datetime("2011-08-08") == "2011-08-08"', F],
  ['event["time"] == datetime(1312761600)', T],
  ['true == true', T],
  ['true == 1', F],
  ['0 == -0', T],
  ['[undefined] == [null]', T],
  ['now() == now()', T],
  ['properties == properties', T],
  ['event == event', T],
]);

table('< <= > >=', [
  ['1 < 2', T],
  ['2 <= 2', T],
  ['3 > 2', T],
  ['2 >= 3', F],
  ['"a" < "b"', T],
  ['"B" < "a"', T],
  ['"abc" >= "abc"', T],
  ['"\\uFFFF" < "😀"', T],
  ['1 < "2"', U],
  ['"1" < 2', U],
  ['true < false', U],
  ['null < 1', U],
  ['properties["missing"] > 3', U],
  ['[1] < [2]', U],
  ['datetime("2011-08-08") < datetime("2011-08-09")', T],
  ['properties["signup"] < datetime("2011-08-02")', T],
  ['datetime("2011-08-02") > properties["signup"]', T],
  ['event["time"] >= "2011-08-08"', T],
  ['event["time"] > "2011-08-08"', F],
  ['event["time"] > "tomorrow"', U],
  ['event["time"] > 1312761599', U],
]);

table('in', [
  ['"Hel" in "Helmet"', T],
  ['"hel" in "Helmet"', F],
  ['"" in "x"', T],
  ['"" in ""', T],
  ['"Helmet" in properties["items"]', T],
  ['"Helm" in properties["items"]', F],
  ['1 in [1, "1"]', T],
  ['"2" in [1, 2]', F],
  ['null in properties["mixed"]', T],
  ['undefined in [null]', F],
  ['[2] in properties["mixed"]', T],
  ['1 in "123"', U],
  ['"x" in properties["missing"]', U],
  ['"x" in 5', U],
  ['"city" in properties["address"]', U],
  ['1 in []', F],
  ['datetime(0) in [datetime("1970-01-01")]', T],
]);

table('and or not', [
  ['true and true', T],
  ['true and false', F],
  ['true and 1', F],
  ['1 and "x"', F],
  ['properties["missing"] and true', F],
  ['properties["missing"] or true', T],
  ['false or false', F],
  ['"true" or false', F],
  ['null or null', F],
  ['not true', F],
  ['not false', T],
  ['not properties["missing"]', T],
  ['not properties["nullprop"]', T],
  ['not 5', U],
  ['not "x"', U],
  ['not []', U],
  ['not not true', T],
  ['not "x" in "xyz"', F],
  ['not "x" in "xyz" or true', T],
  ['1 + 2 * 3 == 7 and not 2 > 3', T],
  ['not 1 > properties["missing"]', T],
]);

table('defined and casts', [
  ['defined(properties["price"])', T],
  ['defined(properties["missing"])', F],
  ['defined(properties["nullprop"])', F],
  ['defined(0)', T],
  ['defined("")', T],
  ['defined(false)', T],
  ['boolean(properties["zero"])', F],
  ['boolean(properties["empty"])', F],
  ['boolean("false")', F],
  ['boolean("0")', T],
  ['boolean(properties["items"])', T],
  ['boolean([])', F],
  ['boolean(properties["address"])', T],
  ['boolean(now())', T],
  ['number("12.5") + 1', num(13.5)],
  ['number(" 42 ")', num(42)],
  ['number("")', U],
  ['number("1e400")', U],
  ['number(true)', num(1)],
  ['number(datetime(1.5))', num(1.5)],
  ['number(properties["nullprop"])', U],
  ['number([1])', U],
  ['string(3) == "3"', T],
  ['string(1e21)', str('1e+21')],
  ['string(-0)', str('0')],
  ['string(true)', str('true')],
  ['string(datetime(1312761600))', str('2011-08-08T00:00:00')],
  ['string(datetime(1312761600.25))', str('2011-08-08T00:00:00.250')],
  ['string(null)', U],
  ['string(properties["missing"], "none")', str('none')],
  ['string(properties["price"], "none")', str('25')],
  ['string([1], 2)', num(2)],
  ['string(null, properties["missing"])', U],
  ['datetime("2011-08-08")', dt('2011-08-08T00:00:00Z')],
  ['datetime("garbage")', U],
  ['datetime(1.0005)', dt('1970-01-01T00:00:01Z')],
  ['datetime(-1.5)', dt('1969-12-31T23:59:58.500Z')],
  ['datetime(true)', U],
  ['datetime(properties["signup"])', dt('2011-08-01T10:00:00Z')],
  ['list(properties["items"])', { type: 'list', value: ['Jacket', 'Helmet', 'Gloves'] }],
  ['list("x")', U],
  ['list(properties["address"])', U],
]);

table('math and string functions', [
  ['floor(3.7)', num(3)],
  ['floor(-3.2)', num(-4)],
  ['ceil(3.2)', num(4)],
  ['ceil(-3.7)', num(-3)],
  ['round(2.5)', num(3)],
  ['round(-2.5)', num(-3)],
  ['round(2.4999)', num(2)],
  ['round(0.49999999999999994)', num(0)],
  ['round(-0.5)', num(-1)],
  ['floor("3.7")', U],
  ['round(null)', U],
  ['lower("AbC")', str('abc')],
  ['upper("straße")', str('STRAßE')],
  ['lower("ÀÉÎ")', str('àéî')],
  ['lower("İSTANBUL")', str('istanbul')],
  ['lower("ΣΑΣ")', str('σασ')],
  ['upper("ᾳ ᾀ ﬀ ǆ")', str('ᾼ ᾈ ﬀ Ǆ')],
  ['upper("a😀b")', str('A😀B')],
  ['lower("𐐀")', str('𐐨')],
  ['upper(1)', U],
  ['len("abc")', num(3)],
  ['len("")', num(0)],
  ['len(properties["emoji"])', num(3)],
  ['len(properties["items"])', num(3)],
  ['len([])', num(0)],
  ['len(properties["address"])', U],
  ['len(12)', U],
  ['has_prefix(properties["name"], "Kev")', T],
  ['has_prefix(properties["name"], "kev")', F],
  ['has_suffix(properties["name"], "vin")', T],
  ['has_suffix("x", "")', T],
  ['has_prefix(1, "1")', U],
  ['has_suffix("1", 1)', U],
  ['now()', dt('2024-01-15T12:00:00Z')],
  ['now() - datetime("2024-01-15")', num(43200)],
]);

table('roots and indexing', [
  ['properties["address"]["city"]', str('Chicago')],
  ['properties["items"][1]', str('Helmet')],
  ['properties["items"][5]', U],
  ['properties["items"][-1]', U],
  ['properties["items"][0.5]', U],
  ['properties["items"]["0"]', U],
  ['properties["items"][1.0]', str('Helmet')],
  ['properties["price"]["x"]', U],
  ['properties["name"][0]', U],
  ['properties["address"][0]', U],
  ['properties[1]', U],
  ['properties[""]', str('empty key')],
  ['properties["__proto__"]', str('own proto')],
  ['properties["constructor"]', U],
  ['properties["toString"]', U],
  ['properties["hasOwnProperty"]', U],
  ['properties["items"]["length"]', U],
  ['properties["albums"][1]["tracks"]', num(9)],
  ['[10, 20][1]', num(20)],
  ['[properties["missing"]]', { type: 'list', value: [null] }],
  ['[1, "a", null, [now()]]', { type: 'list', value: [1, 'a', null, ['2024-01-15T12:00:00Z']] }],
  ['event["name"]', str('Purchase')],
  ['event["time"]', dt('2011-08-08T00:00:00Z')],
  ['event["distinct_id"]', str('u1')],
  ['event["price"]', U],
  ['event["NAME"]', U],
  ['event[1]', U],
  ['event', { type: 'object', value: { name: 'Purchase', time: '2011-08-08T00:00:00Z', distinct_id: 'u1' } }],
  ['event["na" + "me"]', str('Purchase')],
  ['properties["time"]', num(1312761600)],
  ['datetime(properties["time"])', dt('2011-08-08T00:00:00Z')],
  ['properties["na" + "me"]', str('Kevin')],
]);

table('any and all', [
  ['any(X, properties["nums"], X > 300)', F],
  ['any(X, properties["nums"], X >= 5 and X < 300)', T],
  ['all(X, properties["nums"], X >= 5)', T],
  ['all(X, properties["nums"], X > 5)', F],
  ['any(X, [], true)', F],
  ['all(X, [], false)', T],
  ['any(X, properties["missing"], true)', F],
  ['all(X, properties["missing"], true)', F],
  ['all(X, "abc", true)', F],
  ['all(X, properties["address"], true)', F],
  ['any(X, [1, 2], 1)', F],
  ['all(X, [1, 2], X)', F],
  ['all(X, [true, true], X)', T],
  ['any(A, properties["albums"], A["tracks"] > 10)', T],
  ['any(X, properties["albums"], any(Y, properties["nums"], Y > X["tracks"] * 10))', T],
  ['any(X, [1, 2], any(X, [10], X == 10))', T],
  ['any(X, [1, 2], any(X, [10], X == 1))', F],
  ['any(X, [1, 2], any(Y, [10], X == 2 and Y == 10))', T],
  ['all(X, [[1, 2], [3]], all(Y, X, Y > 0))', T],
  ['any(X, [[1, 2], [3]], any(X, X, X == 3))', T],
  ['any(X, properties["items"], has_prefix(X, properties["name"]) or X == "Gloves")', T],
  ['any(X, properties["mixed"], X == null)', T],
  ['any(x, [1], any(X, [2], x == 1 and X == 2))', T],
]);

describe('events that are not shaped as promised', () => {
  const odd: EventRecord[] = [
    { event: 'x', properties: {} },
    { event: 'x', properties: { time: 'yesterday', distinct_id: 42 } },
    { event: 'x', properties: { time: 1e300, distinct_id: ['a'] } },
    { event: 'x', properties: { time: NaN, items: [undefined, NaN, () => 1] } },
    { event: 42 as unknown as string, properties: null as unknown as Record<string, unknown> },
    { event: 'x', properties: [1, 2] as unknown as Record<string, unknown> },
  ];
  const exprs = [
    'event', 'event["time"]', 'event["distinct_id"]', 'event["name"]', 'properties', 'properties["time"]',
    'properties["items"]', 'any(X, properties["items"], X == null)', 'len(properties["items"])', 'properties["items"] == [null, null, null]',
  ];
  it.each(exprs)('%s never throws and both evaluators agree', (text) => {
    const ast = parse(text);
    for (const e of odd) {
      const [a, b] = all(ast, e);
      expect(b).toEqual(a);
    }
  });
  it('treats a missing event as an empty one', () => {
    for (const e of [null, undefined, 42, 'x'] as unknown as EventRecord[]) {
      expect(toTyped(evaluate(parse('event'), e))).toEqual({ type: 'object', value: { name: '' } });
      expect(toTyped(compile(parse('properties["a"]'))(e))).toEqual(U);
    }
  });
  it('reads time and distinct_id as documented', () => {
    expect(all(parse('event'), odd[1])[0]).toEqual({ type: 'object', value: { name: 'x', distinct_id: '42' } });
    expect(all(parse('event["time"]'), odd[2])[0]).toEqual(U);
    expect(all(parse('properties["items"]'), odd[3])[0]).toEqual({ type: 'list', value: [null, null, null] });
    expect(all(parse('properties'), odd[4])[0]).toEqual({ type: 'object', value: {} });
  });
});

describe('hand-built trees', () => {
  it('evaluates constructors from ast.ts', () => {
    const ast = call('and', call('==', prop('name'), lit('Kevin')), scope('any', 'X', prop('items'), call('==', { var: 'X' }, lit('Helmet'))));
    for (const got of all(ast)) expect(got).toEqual(T);
  });
  it('returns undefined for malformed nodes instead of throwing', () => {
    const bad = [
      { op: 'nope', args: [] },
      { op: '+', args: [] },
      { op: '+' },
      { var: 'Unbound' },
      { root: 'elsewhere' },
      { op: 'any', args: [{ list: [{ lit: 1 }] }] },
      { op: '[]', args: [null, null] },
      { list: 'x' },
      { lit: Infinity },
      {},
    ] as unknown as Expr[];
    for (const b of bad) {
      expect(toTyped(evaluate(b, EVENT))).toEqual(toTyped(compile(b)(EVENT)));
    }
    expect(evaluate({ op: '+', args: [{ lit: 1 }] } as unknown as Expr, EVENT)).toBeUndefined();
  });
  it('now() is one instant per compiled query and defaults to the time of compiling', () => {
    const before = Date.now();
    const f = compile(parse('now()'));
    const a = toTyped(f(EVENT));
    const b = toTyped(f(EVENT));
    expect(b).toEqual(a);
    const ms = Date.parse((a as { value: string }).value);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});
