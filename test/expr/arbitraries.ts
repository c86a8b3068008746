// fast-check arbitraries for random VALID expression ASTs (no spans), for anyone's property tests:
// round-trips here, evaluator and SQL differential tests elsewhere.
//
//   import { exprArb } from '../../test/expr/arbitraries.ts';
//   fc.assert(fc.property(exprArb(), (ast) => ...));
//
// Every tree passes validateAst: arities follow ARITY, `var` nodes only occur inside the
// predicate of an any/all that binds them (shadowing included), numbers are finite (-0 included).

import fc from 'fast-check';
import {
  ARITY, BINARY_OPS, FUNCTIONS, MAX_DEPTH,
  type Expr, type LitValue, type PlainOp,
} from '../../src/expr/ast.ts';
import { isValidName } from '../../src/expr/lexer.ts';

/** Numbers that are easy to print wrong, mixed with arbitrary finite doubles. */
export const numberArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 0.1, 1e-7, -1e-7, 1e21, -1e21, 1e-6, 123456789012345680000,
    5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 2 ** 53 + 2),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Strings with quotes, backslashes, control characters, astral characters and lone surrogates. */
export const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '/', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u0085',
    '\u2028', '\u2029', '\ud800', '\udfff', '\ud83d\ude00', 'é', 'a', ' ', 'u', '0') }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 }).map((cs) => String.fromCharCode(...cs)),
);

export const litValueArb: fc.Arbitrary<LitValue> = fc.oneof(
  stringArb,
  numberArb,
  fc.boolean(),
  fc.constant(null),
  fc.constant({ undefined: true as const }),
);

/** Valid NAMEs, including ones that differ from reserved words only by a suffix or case of a non-word. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('X', 'Y', 'x', '_', 'item_2', 'Anyway', 'notx', 'orange', 'in_', 'eventual'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter(isValidName),
);

const PLAIN_BINARY = BINARY_OPS.filter((op) => op !== '[]');

// Raw trees carry var placeholders `{var: "#<n>"}`; bindVars turns them into bound names.
const leafArb: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 4, arbitrary: litValueArb.map((v): Expr => ({ lit: v })) },
  { weight: 1, arbitrary: fc.constantFrom<Expr>({ root: 'properties' }, { root: 'event' }) },
  { weight: 3, arbitrary: fc.nat(7).map((n): Expr => ({ var: `#${n}` })) },
);

function rawArb(maxDepth: number): fc.Arbitrary<Expr> {
  return fc.letrec<{ node: Expr }>((tie) => {
    const node = tie('node');
    const binary = fc.record({ op: fc.constantFrom(...PLAIN_BINARY), args: fc.tuple(node, node) }).map((n): Expr => n);
    const index = fc.tuple(node, fc.oneof(litValueArb.map((v): Expr => ({ lit: v })), node))
      .map(([c, k]): Expr => ({ op: '[]', args: [c, k] }));
    const unary = fc.record({ op: fc.constantFrom('neg' as const, 'not' as const), args: fc.tuple(node) }).map((n): Expr => n);
    const callArb = fc.constantFrom(...FUNCTIONS).chain((f: PlainOp) => {
      const [min, max] = ARITY[f];
      return fc.array(node, { minLength: min, maxLength: max }).map((args): Expr => ({ op: f, args }));
    });
    const list = fc.array(node, { maxLength: 4 }).map((items): Expr => ({ list: items }));
    const scopeArb = fc.record({ op: fc.constantFrom('any' as const, 'all' as const), var: nameArb, args: fc.tuple(node, node) })
      .map((n): Expr => n);
    return {
      node: fc.oneof({ depthSize: 'small', maxDepth, withCrossShrink: true },
        leafArb, binary, binary, index, unary, callArb, list, scopeArb, scopeArb),
    };
  }).node;
}

/** Replaces var placeholders by names bound at that point, or by a literal where nothing is bound. */
function bindVars(e: Expr, bound: readonly string[]): Expr {
  if ('var' in e && !('op' in e)) {
    const n = Number(e.var.slice(1));
    return bound.length > 0 ? { var: bound[bound.length - 1 - (n % bound.length)]! } : { lit: n };
  }
  if ('list' in e) return { list: e.list.map((x) => bindVars(x, bound)) };
  if ('op' in e) {
    if (e.op === 'any' || e.op === 'all') {
      return { op: e.op, var: e.var, args: [bindVars(e.args[0], bound), bindVars(e.args[1], [...bound, e.var])] };
    }
    return { op: e.op, args: e.args.map((x) => bindVars(x, bound)) };
  }
  return e;
}

/** Random valid ASTs of moderate size (default maxDepth 6 levels of operators). */
export function exprArb(opts: { maxDepth?: number } = {}): fc.Arbitrary<Expr> {
  return rawArb(opts.maxDepth ?? 6).map((e) => bindVars(e, []));
}

/**
 * Valid ASTs exactly `depth` levels deep (default MAX_DEPTH): a random spine of unary, binary,
 * index, call, list and scope nodes with random leaves beside it, to exercise parenthesisation near the limit.
 */
export function deepExprArb(depth = MAX_DEPTH): fc.Arbitrary<Expr> {
  const sibling = leafArb;
  const step = fc.oneof(
    fc.constantFrom('neg', 'not').map((op) => (child: Expr): Expr => ({ op, args: [child] } as Expr)),
    fc.tuple(fc.constantFrom(...BINARY_OPS), sibling, fc.boolean())
      .map(([op, s, left]) => (child: Expr): Expr => ({ op, args: left ? [child, s] : [s, child] })),
    fc.tuple(fc.constantFrom('any' as const, 'all' as const), nameArb, sibling, fc.boolean())
      .map(([op, v, s, inPred]) => (child: Expr): Expr => ({ op, var: v, args: inPred ? [s, child] : [child, s] })),
    fc.constantFrom('floor', 'lower', 'len', 'defined').map((op) => (child: Expr): Expr => ({ op, args: [child] } as Expr)),
    sibling.map((s) => (child: Expr): Expr => ({ list: [s, child] })),
  );
  return fc.tuple(fc.array(step, { minLength: depth - 1, maxLength: depth - 1 }), leafArb).map(([steps, leaf]) => {
    let e = leaf;
    for (const wrap of steps) e = wrap(e);
    return bindVars(e, []);
  });
}
