// The expression AST of ../shared/spec/expression-language.md, section 6.
// This file is the contract between the parser, printer, checker, evaluator, the SQL compilers
// and the UI. Tables keyed by `Op` are typed `Record<Op, ...>` so adding an operator fails the
// build until every consumer handles it.

/** Source offsets [start, end) in the text a node was parsed from. Never part of the JSON AST. */
export type Span = readonly [start: number, end: number];

export type LitValue = string | number | boolean | null | { undefined: true };

export type LitNode = { lit: LitValue; span?: Span };
export type ListNode = { list: Expr[]; span?: Span };
export type RootNode = { root: 'properties' | 'event'; span?: Span };
export type VarNode = { var: string; span?: Span };
export type OpNode = { op: PlainOp; args: Expr[]; span?: Span };
export type ScopeNode = { op: ScopeOp; var: string; args: [list: Expr, predicate: Expr]; span?: Span };

export type Expr = LitNode | ListNode | RootNode | VarNode | OpNode | ScopeNode;

export const BINARY_OPS = ['[]', '+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'in', 'and', 'or'] as const;
export const UNARY_OPS = ['neg', 'not'] as const;
export const FUNCTIONS = [
  'defined', 'boolean', 'number', 'string', 'datetime', 'list', 'floor', 'ceil', 'round',
  'lower', 'upper', 'len', 'has_prefix', 'has_suffix', 'now',
] as const;
export const SCOPE_OPS = ['any', 'all'] as const;

export type BinaryOp = (typeof BINARY_OPS)[number];
export type UnaryOp = (typeof UNARY_OPS)[number];
export type FunctionName = (typeof FUNCTIONS)[number];
export type ScopeOp = (typeof SCOPE_OPS)[number];
/** Every op that is not a scope binder. */
export type PlainOp = BinaryOp | UnaryOp | FunctionName;
export type Op = PlainOp | ScopeOp;

/** Number of `args` each op takes in the AST (any/all: [list, predicate]; the bound name is `var`). */
export const ARITY = {
  '[]': [2, 2], '+': [2, 2], '-': [2, 2], '*': [2, 2], '/': [2, 2], '%': [2, 2],
  '==': [2, 2], '!=': [2, 2], '<': [2, 2], '<=': [2, 2], '>': [2, 2], '>=': [2, 2], in: [2, 2],
  and: [2, 2], or: [2, 2],
  neg: [1, 1], not: [1, 1],
  defined: [1, 1], boolean: [1, 1], number: [1, 1], string: [1, 2], datetime: [1, 1], list: [1, 1],
  floor: [1, 1], ceil: [1, 1], round: [1, 1], lower: [1, 1], upper: [1, 1], len: [1, 1],
  has_prefix: [2, 2], has_suffix: [2, 2], now: [0, 0],
  any: [2, 2], all: [2, 2],
} as const satisfies Record<Op, readonly [min: number, max: number]>;

export const ALL_OPS: readonly Op[] = Object.keys(ARITY) as Op[];

export function isOp(x: unknown): x is Op {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ARITY, x);
}
export function isScopeOp(op: Op): op is ScopeOp {
  return op === 'any' || op === 'all';
}
export function isFunctionName(x: string): x is FunctionName {
  return (FUNCTIONS as readonly string[]).includes(x);
}

/** Limits shared by the parser, the JSON validator and the API. */
export const MAX_DEPTH = 256;
export const MAX_NODES = 10_000;

/** The typed-value form of spec section 7 (how engines report a value as JSON). */
export type TypedValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null'; value: null }
  | { type: 'undefined' }
  | { type: 'datetime'; value: string }
  | { type: 'list'; value: unknown[] }
  | { type: 'object'; value: Record<string, unknown> };

/** An event as the evaluator sees it (spec section 1). `properties.time` is unix seconds. */
export type EventRecord = { event: string; properties: Record<string, unknown> };

/** Constructors, so code that builds trees (the UI, tests) reads like the language. */
export const lit = (v: LitValue): LitNode => ({ lit: v });
export const UNDEFINED_LIT: LitValue = { undefined: true };
export const prop = (name: string): OpNode => ({ op: '[]', args: [{ root: 'properties' }, { lit: name }] });
export const call = (op: PlainOp, ...args: Expr[]): OpNode => ({ op, args });
export const scope = (op: ScopeOp, name: string, list: Expr, predicate: Expr): ScopeNode => ({ op, var: name, args: [list, predicate] });

/** A deep copy without `span` keys: the JSON AST as it travels between parts. */
export function stripSpans(e: Expr): Expr {
  if ('lit' in e) return { lit: e.lit !== null && typeof e.lit === 'object' ? { undefined: true } : e.lit };
  if ('list' in e) return { list: e.list.map(stripSpans) };
  if ('root' in e) return { root: e.root };
  if ('op' in e) {
    if (e.op === 'any' || e.op === 'all') {
      const s = e as ScopeNode;
      return { op: s.op, var: s.var, args: [stripSpans(s.args[0]), stripSpans(s.args[1])] };
    }
    return { op: e.op, args: (e as OpNode).args.map(stripSpans) };
  }
  return { var: e.var };
}
