// fast-check arbitraries for evaluating expressions: events whose properties use a small set of
// keys, and valid ASTs that read those keys, so random trees meet real values (numbers, numeric
// strings, ISO datetimes, lists, objects, null) instead of always indexing into nothing.
// Used by the evaluator's property tests and available to the SQL differential tests.
import fc from 'fast-check';
import { ARITY, BINARY_OPS, FUNCTIONS, type EventRecord, type Expr, type LitValue, type PlainOp } from '../../src/expr/ast.ts';

export const PROPERTY_KEYS = ['a', 'b', 'n', 's', 't', 'l', 'o', 'time', 'distinct_id', 'missing', ''] as const;

const keyArb = fc.constantFrom(...PROPERTY_KEYS);

/** Strings that mean something to the casts and comparisons, plus arbitrary ones. */
export const semanticStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'false', 'true', '0', '12', ' 3.5 ', '-1e3', '1e400', '0x10', 'abc', 'ABC', 'Chicago', 'é', 'straße', 'a😀b',
    '2011-08-08', '2011-08-08T10:00:00Z', '2011-08-08T05:00:00+05:00', '2011-02-30', 'x', 'undefined', 'null'),
  fc.string({ maxLength: 6 }),
);

export const semanticNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, 3, 0.5, -2.5, 7.5, 10, 100, 1312761600, 1312761600.123, 1e21, 1e308, -1e308, 5e-324),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const jsonValueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    semanticStringArb,
    semanticNumberArb,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('v'), { maxKeys: 3 }),
  ),
})).v;

export const eventArb: fc.Arbitrary<EventRecord> = fc.record({
  event: fc.constantFrom('Purchase', 'Sign Up', ''),
  properties: fc.tuple(
    fc.dictionary(keyArb, jsonValueArb, { maxKeys: 8 }),
    fc.option(fc.oneof(semanticNumberArb, fc.constant('2011-08-08')), { nil: undefined }),
  ).map(([p, time]) => (time === undefined ? p : { ...p, time }) as Record<string, unknown>),
});

const litArb: fc.Arbitrary<LitValue> = fc.oneof(
  semanticStringArb,
  semanticNumberArb,
  fc.boolean(),
  fc.constant(null),
  fc.constant({ undefined: true as const }),
);

const PLAIN_BINARY = BINARY_OPS.filter((op) => op !== '[]');
const NAMES = ['X', 'Y', 'Z'];

/** Valid ASTs that read the keys of eventArb's properties. Vars are bound by construction. */
export function semanticExprArb(maxDepth = 5): fc.Arbitrary<Expr> {
  const raw = fc.letrec<{ node: Expr }>((tie) => {
    const node = tie('node');
    const leaf = fc.oneof(
      { weight: 4, arbitrary: litArb.map((v): Expr => ({ lit: v })) },
      { weight: 4, arbitrary: keyArb.map((k): Expr => ({ op: '[]', args: [{ root: 'properties' }, { lit: k }] })) },
      { weight: 1, arbitrary: fc.constantFrom('name', 'time', 'distinct_id', 'other').map((k): Expr => ({ op: '[]', args: [{ root: 'event' }, { lit: k }] })) },
      { weight: 1, arbitrary: fc.constantFrom<Expr>({ root: 'properties' }, { root: 'event' }, { op: 'now', args: [] }) },
      { weight: 3, arbitrary: fc.nat(5).map((n): Expr => ({ var: `#${n}` })) },
    );
    const binary = fc.record({ op: fc.constantFrom(...PLAIN_BINARY), args: fc.tuple(node, node) }).map((n): Expr => n);
    const index = fc.tuple(node, fc.oneof(keyArb.map((k): Expr => ({ lit: k })), fc.nat(4).map((i): Expr => ({ lit: i })), node))
      .map(([c, k]): Expr => ({ op: '[]', args: [c, k] }));
    const unary = fc.record({ op: fc.constantFrom('neg' as const, 'not' as const), args: fc.tuple(node) }).map((n): Expr => n);
    const callArb = fc.constantFrom(...FUNCTIONS).chain((f: PlainOp) => {
      const [min, max] = ARITY[f];
      return fc.array(node, { minLength: min, maxLength: max }).map((args): Expr => ({ op: f, args }));
    });
    const list = fc.array(node, { maxLength: 3 }).map((items): Expr => ({ list: items }));
    const scopeArb = fc.record({ op: fc.constantFrom('any' as const, 'all' as const), var: fc.constantFrom(...NAMES), args: fc.tuple(node, node) })
      .map((n): Expr => n);
    return {
      node: fc.oneof({ depthSize: 'small', maxDepth, withCrossShrink: true }, leaf, binary, binary, index, unary, callArb, list, scopeArb),
    };
  }).node;
  return raw.map((e) => bindVars(e, []));
}

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
