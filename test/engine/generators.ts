// fast-check generators for the differential tests: events whose properties mix every JSON type
// under a few shared keys (so expressions over those keys meet strings, numbers, lists, objects,
// null and missing values on different rows), and expressions over the same keys and values.
import fc from 'fast-check';
import type { Expr, LitValue, PlainOp } from '../../src/expr/ast.ts';
import { ARITY } from '../../src/expr/ast.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';

export const HOSTILE = [
  `'; DROP TABLE events; --`,
  `" OR 1=1 --`,
  `$1`,
  `{p1:String}`,
  `\\`,
  `a'b"c`,
  `\u0001x\u0002`,
  `~/`,
  `/a~1b`,
  `$.x[0]`,
] as const;

/** Property keys shared by data and expressions (the hostile ones exercise name binding). */
export const KEYS = ['s', 'n', 'm', 'l', 'o', 'b', 'é 😀', HOSTILE[0], HOSTILE[5], ''] as const;

const STRINGS = ['', 'a', 'b', 'A', 'abc', 'true', 'false', '0', '12.5', ' 42 ', '-1e3', '1e400', 'x1', 'é', 'É', 'ß', 'İ', 'Σ', '😀', '\u00a0', '2024-02-01', '2024-02-01T10:00:00Z', '2024-02-30', '2024-02-01T10:00:00.123456+05:30', ...HOSTILE];
const NUMBERS = [0, -0, 1, -1, 2, 2.5, -2.5, 0.1, 1e21, 1.5e-7, 123456.789, -7, 3, 1e16, 2 ** 53, 1706745600, 1706745600.5, 1e-7, 5e-324, 1.7976931348623157e308];

export const stringArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STRINGS) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) });
export const numberArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.integer({ min: -20, max: 20 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

const scalarArb: fc.Arbitrary<unknown> = fc.oneof(stringArb, numberArb, fc.boolean(), fc.constant(null));

export const jsonArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS, 'x', 'y'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

const T0 = Date.UTC(2024, 1, 1); // 2024-02-01
export const RANGE = { from: '2024-02-01', to: '2024-02-10' };

export const eventsArb: fc.Arbitrary<StoredEvent[]> = fc
  .array(
    fc.record({
      name: fc.constantFrom('A', 'B', HOSTILE[0]),
      offset: fc.integer({ min: -2 * 86_400_000, max: 12 * 86_400_000 }),
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4', HOSTILE[1]),
      props: fc.dictionary(fc.constantFrom(...KEYS), jsonArb, { maxKeys: 6 }),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((rows) =>
    rows.map((r, i) => {
      const time = T0 + r.offset;
      return {
        event: r.name,
        time,
        distinct_id: r.user,
        insert_id: `e${String(i).padStart(3, '0')}`,
        properties: { ...r.props, time: time / 1000, distinct_id: r.user },
      };
    }),
  );

// ---- expressions

const litArb: fc.Arbitrary<LitValue> = fc.oneof(
  { weight: 3, arbitrary: stringArb },
  { weight: 3, arbitrary: numberArb.filter((n) => !Object.is(n, -0) && n >= 0) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant<LitValue>({ undefined: true }) },
);

const NAMES = ['X', 'Y'] as const;

const leafArb: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KEYS, 'time', 'distinct_id', 'missing').map((k): Expr => ({ op: '[]', args: [{ root: 'properties' }, { lit: k }] })) },
  { weight: 4, arbitrary: litArb.map((v): Expr => ({ lit: v })) },
  { weight: 3, arbitrary: fc.constantFrom(...NAMES).map((v): Expr => ({ var: v })) },
  { weight: 2, arbitrary: fc.constantFrom('name', 'time', 'distinct_id', 'other').map((k): Expr => ({ op: '[]', args: [{ root: 'event' }, { lit: k }] })) },
  { weight: 1, arbitrary: fc.constantFrom<Expr>({ root: 'properties' }, { root: 'event' }, { op: 'now', args: [] }) },
);

const UNARY: PlainOp[] = ['neg', 'not', 'defined', 'boolean', 'number', 'string', 'datetime', 'list', 'floor', 'ceil', 'round', 'lower', 'upper', 'len'];
const BINARY: PlainOp[] = ['[]', '+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'in', 'and', 'or', 'has_prefix', 'has_suffix', 'string'];

const randomExprArb: fc.Arbitrary<Expr> = fc
  .letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: 5 },
      leafArb,
      fc.tuple(fc.constantFrom(...UNARY), tie('e')).map(([op, a]): Expr => ({ op, args: [a] })),
      fc.tuple(fc.constantFrom(...BINARY), tie('e'), tie('e')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
      fc.tuple(fc.constantFrom('any', 'all'), fc.constantFrom(...NAMES), tie('e'), tie('e')).map(([op, v, l, p]): Expr => ({ op: op as 'any', var: v, args: [l, p] })),
      fc.array(tie('e'), { maxLength: 3 }).map((list): Expr => ({ list })),
    ),
  }))
  .e.map((e) => bind(e, new Set()));

// Type-aware expressions: mostly well-typed trees, so comparisons, arithmetic and any/all do real
// work on the rows whose values have the intended type (other rows still meet every other type).
const P = (k: string): Expr => ({ op: '[]', args: [{ root: 'properties' }, { lit: k }] });
const op = (o: PlainOp, ...args: Expr[]): Expr => ({ op: o, args });
const typed = fc.letrec<{ num: Expr; str: Expr; bool: Expr; dt: Expr; list: Expr; any: Expr }>((tie) => {
  const leafVar = fc.constantFrom(...NAMES).map((v): Expr => ({ var: v }));
  const prop = fc.constantFrom(...KEYS, 'time').map(P);
  const nested = fc.tuple(prop, fc.oneof(fc.constantFrom('x', 'y', ...KEYS).map((k): Expr => ({ lit: k })), fc.integer({ min: 0, max: 3 }).map((i): Expr => ({ lit: i })))).map(([c, k]) => op('[]', c, k));
  const value = fc.oneof(prop, leafVar, nested);
  const o = { depthSize: 'small' as const, withCrossShrink: true, maxDepth: 4 };
  return {
    num: fc.oneof(
      o,
      fc.oneof(value, numberArb.filter((n) => n >= 0 && !Object.is(n, -0)).map((n): Expr => ({ lit: n }))),
      fc.tuple(fc.constantFrom<PlainOp>('+', '-', '*', '/', '%'), tie('num'), tie('num')).map(([f, a, b]) => op(f, a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('neg', 'floor', 'ceil', 'round', 'number'), tie('any')).map(([f, a]) => op(f, a)),
      tie('any').map((a) => op('len', a)),
      fc.tuple(tie('dt'), tie('dt')).map(([a, b]) => op('-', a, b)),
    ),
    str: fc.oneof(
      o,
      fc.oneof(value, stringArb.map((v): Expr => ({ lit: v }))),
      fc.tuple(tie('str'), tie('str')).map(([a, b]) => op('+', a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('lower', 'upper', 'string'), tie('any')).map(([f, a]) => op(f, a)),
      fc.tuple(tie('any'), tie('str')).map(([a, d]) => op('string', a, d)),
      fc.constantFrom('name', 'distinct_id').map((k): Expr => ({ op: '[]', args: [{ root: 'event' }, { lit: k }] })),
    ),
    dt: fc.oneof(
      o,
      fc.constantFrom<Expr>({ op: '[]', args: [{ root: 'event' }, { lit: 'time' }] }, { op: 'now', args: [] }),
      tie('any').map((a) => op('datetime', a)),
      fc.tuple(tie('dt'), fc.constantFrom('+', '-'), tie('num')).map(([a, f, n]) => op(f as PlainOp, a, n)),
    ),
    list: fc.oneof(o, prop, leafVar, nested, fc.array(tie('any'), { maxLength: 3 }).map((list): Expr => ({ list })), tie('any').map((a) => op('list', a))),
    bool: fc.oneof(
      o,
      fc.oneof(value),
      fc.tuple(fc.constantFrom<PlainOp>('==', '!=', '<', '<=', '>', '>='), tie('num'), tie('num')).map(([f, a, b]) => op(f, a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('==', '!=', '<', '>=', 'in', 'has_prefix', 'has_suffix'), tie('str'), tie('str')).map(([f, a, b]) => op(f, a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('==', '<', '>='), tie('dt'), fc.oneof(tie('dt'), tie('str'))).map(([f, a, b]) => op(f, a, b)),
      fc.tuple(tie('any'), tie('list')).map(([a, l]) => op('in', a, l)),
      fc.tuple(tie('any'), tie('any')).map(([a, b]) => op('==', a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('and', 'or'), tie('bool'), tie('bool')).map(([f, a, b]) => op(f, a, b)),
      fc.tuple(fc.constantFrom<PlainOp>('not', 'defined', 'boolean'), tie('any')).map(([f, a]) => op(f, a)),
      fc.tuple(fc.constantFrom('any', 'all'), fc.constantFrom(...NAMES), tie('list'), tie('bool')).map(([f, v, l, p]): Expr => ({ op: f as 'any', var: v, args: [l, p] })),
    ),
    any: fc.oneof(o, tie('num'), tie('str'), tie('bool'), tie('dt'), tie('list')),
  };
});

export const exprArb: fc.Arbitrary<Expr> = fc
  .oneof({ weight: 1, arbitrary: randomExprArb }, { weight: 2, arbitrary: typed.bool }, { weight: 1, arbitrary: typed.any })
  .map((e) => bind(e, new Set()));

/** Replace names not bound by an enclosing any/all with a literal, so every tree is valid. */
function bind(e: Expr, bound: Set<string>): Expr {
  if ('lit' in e || 'root' in e) return e;
  if ('list' in e) return { list: e.list.map((x) => bind(x, bound)) };
  if (!('op' in e)) return bound.has(e.var) ? e : { lit: 'X' };
  if (e.op === 'any' || e.op === 'all') {
    const s = e as Extract<Expr, { var: string; op: string }>;
    return { op: s.op, var: s.var, args: [bind(s.args[0], bound), bind(s.args[1], new Set(bound).add(s.var))] };
  }
  const [min] = ARITY[e.op];
  return { op: e.op, args: (e as { args: Expr[] }).args.slice(0, Math.max(min, e.op === 'string' ? e.args.length : min)).map((x) => bind(x, bound)) } as Expr;
}
