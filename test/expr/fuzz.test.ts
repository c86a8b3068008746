// Random text never makes the parser throw anything but ExprError, never hangs, and whatever it
// accepts is a valid AST that prints and reparses to itself.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../src/expr/parse.ts';
import { print } from '../../src/expr/print.ts';
import { validateAst } from '../../src/expr/validate.ts';
import { ExprError, positionAt } from '../../src/expr/errors.ts';
import { stripSpans } from '../../src/expr/ast.ts';
import { exprArb } from './arbitraries.ts';

// A hang detector, not a benchmark: any single parse of these small inputs takes well under 1 ms.
const HANG_MS = 2_000;

function check(text: string): void {
  const t0 = performance.now();
  let ast;
  try {
    ast = parse(text);
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    expect(e.offset).not.toBeNull();
    expect(e.offset!).toBeGreaterThanOrEqual(0);
    expect(e.offset!).toBeLessThanOrEqual(text.length);
    const p = positionAt(text, e.offset!);
    expect([e.line, e.column]).toEqual([p.line, p.column]);
    expect(e.message).toBe(`${p.line}:${p.column}: ${e.detail}`);
    return;
  } finally {
    expect(performance.now() - t0).toBeLessThan(HANG_MS);
  }
  const clean = stripSpans(ast);
  expect(validateAst(ast)).toStrictEqual(clean);
  expect(stripSpans(parse(print(ast)))).toStrictEqual(clean);
}

const VOCAB = [
  'and', 'AND', 'or', 'Or', 'not', 'NOT', 'in', 'IN', 'true', 'False', 'null', 'undefined',
  'properties', 'Properties', 'event', 'any', 'ALL', 'defined', 'boolean', 'number', 'string', 'datetime',
  'list', 'floor', 'ceil', 'round', 'lower', 'upper', 'len', 'has_prefix', 'has_suffix', 'now', 'foo',
  'X', 'Y', 'x', '_', '0', '12', '0.5', '.5', '1.', '1e6', '1e400', '1e', '1e+', '-', '+', '*', '/', '%',
  '==', '=', '!=', '!', '<', '<=', '>', '>=', '[', ']', '(', ')', ',', '.', '"a"', "'b'", '"', "'",
  '"\\u00e9"', '"\\q"', '"\\u12"', '"\\\\"', ' ', ' ', ' ', '\n', '\t', '#', '😀', '\u0000',
];

// Fragments that make likely-valid text: any(...) binders so names are bound.
const soupArb = fc.array(fc.constantFrom(...VOCAB), { maxLength: 40 }).map((parts) => parts.join(''));
const spacedSoupArb = fc.array(fc.constantFrom(...VOCAB), { maxLength: 40 }).map((parts) => `any(X, [1], ${parts.join(' ')})`);

describe('parser fuzz', () => {
  it('arbitrary ASCII strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), check), { numRuns: 2000 });
  });

  it('arbitrary Unicode strings (incl. astral and lone surrogates)', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 })), check), { numRuns: 1000 });
  });

  it('grammar-biased token soup', () => {
    fc.assert(fc.property(soupArb, check), { numRuns: 2000 });
    fc.assert(fc.property(spacedSoupArb, check), { numRuns: 2000 });
  });

  it('single-character edits of valid printed expressions', () => {
    const edit = fc.tuple(exprArb({ maxDepth: 4 }), fc.nat(), fc.constantFrom('', '(', ')', '[', ']', '"', ',', '-', 'not ', ' ', 'X', '1', '='));
    fc.assert(fc.property(edit, ([ast, k, ins]) => {
      const text = print(ast);
      const i = k % (text.length + 1);
      check(text.slice(0, i) + ins + text.slice(i + 1));
      check(text.slice(0, i) + ins + text.slice(i));
    }), { numRuns: 1500 });
  });

  it('pathological shapes finish quickly with ExprError', () => {
    for (const text of [
      '('.repeat(200_000), '['.repeat(200_000), '"'.repeat(200_001), '-'.repeat(200_000),
      'not '.repeat(100_000), 'any(X, [1], '.repeat(50_000), '1 <'.repeat(100_000), '1e'.repeat(100_000),
      '\\'.repeat(100_000), `"${'\\u'.repeat(100_000)}"`,
    ]) {
      expect(() => check(text)).not.toThrow();
      expect(() => parse(text)).toThrow(ExprError);
    }
  });
});
