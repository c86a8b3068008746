import { describe, expect, it } from 'vitest';
import { print, printString, printNumber } from './print.ts';
import { parse } from './parse.ts';
import { ExprError } from './errors.ts';
import { stripSpans, type Expr } from './ast.ts';

const canon = (text: string): string => print(parse(text));
const L = (v: number | string | boolean | null): Expr => ({ lit: v });
const V = (name: string): Expr => ({ var: name });

describe('print: canonical text', () => {
  it.each([
    ['PROPERTIES["a"]   =  1', 'properties["a"] == 1'],
    ["NOT Defined(Event['name'])", 'not defined(event["name"])'],
    ['TRUE Or FALSE AND NULL', 'true or false and null'],
    ['Undefined', 'undefined'],
    ['[ 1 ,2,  "x" ]', '[1, 2, "x"]'],
    ['Any( X , properties["l"] , X In [1])', 'any(X, properties["l"], X in [1])'],
    ['string( 1 ,"d")', 'string(1, "d")'],
    ['now ()', 'now()'],
    ['.5 + 1. + 1E6 + 007', '0.5 + 1 + 1000000 + 7'],
    ["'it\\'s' + \"\\/\"", '"it\'s" + "/"'],
    ['1e21 + 1e-7 + 123456789012345678901234', '1e+21 + 1e-7 + 1.2345678901234569e+23'],
  ])('%s → %s', (text, expected) => {
    expect(canon(text)).toBe(expected);
  });
});

describe('print: only the parentheses precedence needs', () => {
  it.each([
    ['(a or b) and c', 'any(a, [], any(b, [], any(c, [], (a or b) and c)))'],
    ['a or b and c', 'any(a, [], any(b, [], any(c, [], a or b and c)))'],
    ['a and (b and c)', 'any(a, [], any(b, [], any(c, [], a and (b and c))))'],
    ['(a and b) and c', 'any(a, [], any(b, [], any(c, [], a and b and c)))'],
    ['a - (b - c)', 'any(a, [], any(b, [], any(c, [], a - (b - c))))'],
    ['(a - b) - c', 'any(a, [], any(b, [], any(c, [], a - b - c)))'],
    ['a / (b * c)', 'any(a, [], any(b, [], any(c, [], a / (b * c))))'],
    ['(a + b) * c', 'any(a, [], any(b, [], any(c, [], (a + b) * c)))'],
    ['a + (b * c)', 'any(a, [], any(b, [], any(c, [], a + b * c)))'],
    ['not (a and b)', 'any(a, [], any(b, [], not (a and b)))'],
    ['not (a == b)', 'any(a, [], any(b, [], not a == b))'],
    ['(not a) == b', 'any(a, [], any(b, [], (not a) == b))'],
    ['not not a', 'any(a, [], not not a)'],
    ['-(a + b)', 'any(a, [], any(b, [], -(a + b)))'],
    ['-(a[0])', 'any(a, [], -a[0])'],
    ['(-a)[0]', 'any(a, [], (-a)[0])'],
    ['(1 < 2) == true', '(1 < 2) == true'],
    ['1 < (2 < 3)', '1 < (2 < 3)'],
    ['(a and b) == c', 'any(a, [], any(b, [], any(c, [], (a and b) == c)))'],
    ['("x" in a) in b', 'any(a, [], any(b, [], ("x" in a) in b))'],
    ['(a + b) in c', 'any(a, [], any(b, [], any(c, [], a + b in c)))'],
    ['- - a', 'any(a, [], - -a)'],
    ['-(-1)', '- -1'],
    ['-(1)', '-(1)'],
    ['-(0)', '-(0)'],
    ['-(-0)', '- -0'],
    ['(-1)[0]', '(-1)[0]'],
    ['-(1[0])', '-1[0]'],
    ['2 * (-3)', '2 * -3'],
    ['2 - (-3)', '2 - -3'],
    ['(2 - 3)[0]', '(2 - 3)[0]'],
    ['([1])[0]', '[1][0]'],
    ['("ab")[0]', '"ab"[0]'],
    ['floor((1 + 2))', 'floor(1 + 2)'],
    ['[(1 or 2)]', '[1 or 2]'],
    ['properties[(1 or 2)]', 'properties[1 or 2]'],
    ['any(X, (properties), (X or X))', 'any(X, properties, X or X)'],
  ])('%s prints as %s', (text, expected) => {
    // The variables are bound by wrapping any()s so the texts parse; the golden is the whole print.
    const wrapped = bindAll(text);
    expect(canon(wrapped)).toBe(expected);
    expect(stripSpans(parse(expected))).toStrictEqual(stripSpans(parse(wrapped)));
  });
});

function bindAll(text: string): string {
  const names = ['a', 'b', 'c'].filter((n) => new RegExp(`\\b${n}\\b`).test(text));
  return names.reduceRight((inner, n) => `any(${n}, [], ${inner})`, text);
}

describe('print: hand-built trees', () => {
  it('negation of literals keeps -1 a literal', () => {
    expect(print(L(-1))).toBe('-1');
    expect(print({ op: 'neg', args: [L(1)] })).toBe('-(1)');
    expect(print({ op: 'neg', args: [L(-1)] })).toBe('- -1');
    expect(print({ op: 'neg', args: [{ op: 'neg', args: [L(1)] }] })).toBe('- -(1)');
    expect(print({ op: '-', args: [L(-1), L(-2)] })).toBe('-1 - -2');
    expect(print({ op: '[]', args: [L(-1), L(0)] })).toBe('(-1)[0]');
  });

  it('any/all with shadowing', () => {
    const e: Expr = { op: 'all', var: 'X', args: [{ list: [] }, { op: 'any', var: 'X', args: [V('X'), { op: 'not', args: [V('X')] }] }] };
    expect(print(e)).toBe('all(X, [], any(X, X, not X))');
  });

  it('strings: double quotes, minimal escapes', () => {
    expect(printString('plain')).toBe('"plain"');
    expect(printString(`a"b'c\\d/e`)).toBe(`"a\\"b'c\\\\d/e"`);
    expect(printString('\n\t\r\u0000\u001f\u007f\u0085')).toBe('"\\n\\t\\r\\u0000\\u001F\\u007F\\u0085"');
    expect(printString('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(printString('é😀')).toBe('"é😀"');
    expect(printString('\ud800x\udc00')).toBe('"\\uD800x\\uDC00"');
    expect(printString('\ud83d')).toBe('"\\uD83D"');
  });

  it('numbers: shortest round trip', () => {
    expect([0, -0, 1.5, -2, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 0.1 + 0.2].map(printNumber)).toEqual(
      ['0', '-0', '1.5', '-2', '1e+21', '1e-7', '5e-324', '1.7976931348623157e+308', '0.30000000000000004']);
  });

  it('refuses what is not a valid AST with ExprError, never a RangeError', () => {
    expect(() => print(L(Infinity))).toThrow(ExprError);
    expect(() => print(L(NaN))).toThrow('cannot print the non-finite number NaN');
    expect(() => print({ op: 'bogus', args: [] } as unknown as Expr)).toThrow("cannot print unknown op 'bogus'");
    let chain: Expr = L(1);
    for (let i = 0; i < 100_000; i++) chain = { op: '+', args: [chain, L(1)] };
    expect(() => print(chain)).toThrow('cannot print an expression nested deeper than 256 levels');
  });
});
