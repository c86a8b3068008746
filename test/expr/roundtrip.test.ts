// print → parse is the identity on valid ASTs (spec section 6), and printing is a fixed point.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../src/expr/parse.ts';
import { print } from '../../src/expr/print.ts';
import { stripSpans, MAX_DEPTH, type Expr } from '../../src/expr/ast.ts';
import { exprArb, deepExprArb, litValueArb, numberArb, stringArb } from './arbitraries.ts';

// Object.is-aware deep equality: toStrictEqual treats -0 and 0 as different, which is what we want.
function roundTrips(ast: Expr): void {
  const text = print(ast);
  const back = stripSpans(parse(text));
  expect(back).toStrictEqual(ast);
  expect(print(back)).toBe(text);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function depthOf(e: Expr): number {
  const kids = 'list' in e ? e.list : 'args' in e ? e.args : [];
  return 1 + Math.max(0, ...kids.map(depthOf));
}

describe('print/parse round trip', () => {
  it('holds for random valid ASTs', () => {
    fc.assert(fc.property(exprArb(), (ast) => roundTrips(ast)), { numRuns: 2500 });
  });

  it('holds for every literal value, including -0, extreme doubles and lone surrogates', () => {
    fc.assert(fc.property(litValueArb, (v) => roundTrips({ lit: v })), { numRuns: 1000 });
  });

  it('keeps every number bit-exact, as literal and as negated operand', () => {
    fc.assert(fc.property(numberArb, (n) => {
      roundTrips({ lit: n });
      roundTrips({ op: 'neg', args: [{ lit: n }] });
      roundTrips({ op: '-', args: [{ lit: n }, { lit: n }] });
      roundTrips({ op: '[]', args: [{ lit: n }, { lit: n }] });
      roundTrips({ op: 'neg', args: [{ op: '[]', args: [{ lit: n }, { lit: 0 }] }] });
    }), { numRuns: 1000 });
  });

  it('keeps strings exact, with printed text being one line of well-formed Unicode', () => {
    fc.assert(fc.property(stringArb, (s) => {
      roundTrips({ lit: s });
      const text = print({ lit: s });
      expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
      expect(text).not.toMatch(LONE_SURROGATE);
    }), { numRuns: 1000 });
  });

  it('holds for trees exactly MAX_DEPTH deep, and the parser accepts them', () => {
    fc.assert(fc.property(deepExprArb(), (ast) => {
      expect(depthOf(ast)).toBe(MAX_DEPTH);
      roundTrips(ast);
    }), { numRuns: 150 });
  });

  it('rejects one level more, with the clean depth error', () => {
    fc.assert(fc.property(deepExprArb(MAX_DEPTH + 1), (ast) => {
      expect(() => print(ast)).toThrow(/deeper than 256 levels/);
    }), { numRuns: 20 });
  });

  it('handles the hand-picked numbers', () => {
    for (const n of [1e-7, 1e21, 5e-324, 1.7976931348623157e308, -0, 0, -1.5e-10, 123e300]) roundTrips({ lit: n });
    expect(print({ lit: -0 })).toBe('-0');
    expect(Object.is((stripSpans(parse('-0')) as { lit: number }).lit, -0)).toBe(true);
    expect(Object.is((stripSpans(parse('0')) as { lit: number }).lit, 0)).toBe(true);
    expect(print({ lit: 1e21 })).toBe('1e+21');
    expect(print({ lit: -1e-7 })).toBe('-1e-7');
  });
});
