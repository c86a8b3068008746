// The checker: scopes of any/all and function arity (errors), the type mistakes it can prove
// (warnings: the expression still runs, with the spec's answer), and constant folding, so the
// SQL compilers see `datetime(1312761600)` and `604800` instead of the work to make them.
import { ARITY, MAX_DEPTH, isOp, type Expr, type LitValue, type Op, type Span } from './ast.ts';
import { ExprError, positionAt } from './errors.ts';
import { evaluate } from './evaluate.ts';
import { DateTime, typeOf, type TypeName, type Value } from './value.ts';

export type Warning = { message: string; path: string; span?: Span };

export type CheckOptions = {
  /** The text the tree was parsed from, so errors carry line and column. */
  text?: string;
  /** Fold constant subtrees (default true). */
  fold?: boolean;
};

export type CheckResult = { ast: Expr; warnings: Warning[] };

// ---------------------------------------------------------------------------------------------
// Static types as bit sets of the runtime types a node may produce.

const T = { undefined: 1, null: 2, string: 4, number: 8, boolean: 16, datetime: 32, list: 64, object: 128 } as const;
const ANY = 255;
const TYPE_NAMES: [number, string][] = [
  [T.string, 'a string'],
  [T.number, 'a number'],
  [T.boolean, 'a boolean'],
  [T.datetime, 'a datetime'],
  [T.list, 'a list'],
  [T.object, 'an object'],
  [T.null, 'null'],
  [T.undefined, 'undefined'],
];

function describe(mask: number): string {
  const names = TYPE_NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function litMask(v: LitValue): number {
  if (v === null) return T.null;
  switch (typeof v) {
    case 'string':
      return T.string;
    case 'number':
      return T.number;
    case 'boolean':
      return T.boolean;
    default:
      return T.undefined;
  }
}

function opName(op: string): string {
  return op === 'neg' ? "unary '-'" : `'${op}'`;
}

function childPath(path: string, key: string, i: number): string {
  return `${path === '' ? '' : `${path}.`}${key}[${i}]`;
}

// ---------------------------------------------------------------------------------------------

export function check(ast: Expr, opts: CheckOptions = {}): CheckResult {
  const { warnings } = analyze(ast, opts);
  return { ast: opts.fold === false ? ast : foldConstants(ast), warnings };
}

/** The runtime types a checked expression can evaluate to (what the checker's warnings rest on). */
export function possibleTypes(ast: Expr): TypeName[] {
  const { mask } = analyze(ast, {});
  return (Object.keys(T) as TypeName[]).filter((t) => (mask & T[t]) !== 0);
}

function analyze(ast: Expr, opts: CheckOptions): { mask: number; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const text = opts.text;

  function fail(detail: string, node: Expr, path: string): never {
    const span = (node as { span?: Span } | null)?.span;
    if (text !== undefined && span !== undefined) throw new ExprError(detail, { position: positionAt(text, span[0]) });
    throw new ExprError(detail, { path });
  }
  function warn(message: string, node: Expr, path: string): void {
    const w: Warning = { message, path };
    if (node.span !== undefined) w.span = node.span;
    warnings.push(w);
  }

  /** Checks a node and returns its type mask. `bound`: names bound by enclosing any/all. */
  function typeOfNode(node: Expr, path: string, bound: string[], depth: number): number {
    if (depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH} levels`, node, path);
    if (typeof node !== 'object' || node === null) fail('not an expression', node, path);
    if ('lit' in node) {
      const v = node.lit;
      if (typeof v === 'number' && !Number.isFinite(v)) fail(`number literal ${v} is not finite`, node, path);
      if (typeof v === 'object' && v !== null && (v as { undefined?: unknown }).undefined !== true) {
        fail('a literal is a string, number, boolean, null or {"undefined": true}', node, path);
      }
      return litMask(v);
    }
    if ('list' in node) {
      if (!Array.isArray(node.list)) fail("'list' must be an array of expressions", node, path);
      node.list.forEach((x, i) => typeOfNode(x, childPath(path, 'list', i), bound, depth + 1));
      return T.list;
    }
    if ('root' in node) {
      if (node.root !== 'properties' && node.root !== 'event') fail(`unknown root '${String(node.root)}'`, node, path);
      return T.object;
    }
    if (!('op' in node)) {
      if ('var' in node) {
        if (!bound.includes(node.var)) fail(`'${node.var}' is not bound by any enclosing any() or all()`, node, path);
        return ANY;
      }
      fail('not an expression', node, path);
    }
    const op = node.op as string;
    if (!isOp(op)) fail(`unknown operator or function '${op}'`, node, path);
    const args = node.args;
    if (!Array.isArray(args)) fail(`'${op}' needs an 'args' array`, node, path);
    const [min, max] = ARITY[op];
    if (args.length < min || args.length > max) {
      const n = min === max ? `${min}` : `${min} or ${max}`;
      fail(`${opName(op)} takes ${n} argument${max === 1 ? '' : 's'}, got ${args.length}`, node, path);
    }
    if (op === 'any' || op === 'all') {
      const name = (node as { var?: unknown }).var;
      if (typeof name !== 'string') fail(`'${op}' needs the name it binds in 'var'`, node, path);
      const lm = typeOfNode(args[0], childPath(path, 'args', 0), bound, depth + 1);
      typeOfNode(args[1], childPath(path, 'args', 1), [...bound, name], depth + 1);
      if ((lm & T.list) === 0) warn(`the list of '${op}' is ${describe(lm)}, so '${op}' is always false`, node, path);
      return T.boolean;
    }
    const m = args.map((a, i) => typeOfNode(a, childPath(path, 'args', i), bound, depth + 1));
    return ruleFor(op, m, node, path);
  }

  function ruleFor(op: Op, m: number[], node: Expr, path: string): number {
    const [a = 0, b = 0] = m;
    const needs = (mask: number, what: string, bits: number, i: number): void => {
      if ((mask & bits) === 0) {
        warn(`operand ${i + 1} of ${opName(op)} is ${describe(mask)}, but ${opName(op)} needs ${what}; the result is undefined`, node, path);
      }
    };
    switch (op) {
      case '[]': {
        const coll = (node as { args: Expr[] }).args[0];
        const key = (node as { args: Expr[] }).args[1];
        if ('root' in coll && coll.root === 'event' && 'lit' in key && !['name', 'time', 'distinct_id'].includes(key.lit as string)) {
          warn(`event has only the fields "name", "time" and "distinct_id"; this is always undefined`, node, path);
          return T.undefined;
        }
        if ('root' in coll && coll.root === 'event' && 'lit' in key) return key.lit === 'time' ? T.datetime | T.undefined : T.string | T.undefined;
        if ((a & (T.list | T.object)) === 0) {
          warn(`indexing ${describe(a)} is always undefined; only lists and objects can be indexed`, node, path);
        }
        return ANY;
      }
      case '+': {
        const ok = (a & b & (T.number | T.string)) !== 0 || ((a & T.datetime) !== 0 && (b & T.number) !== 0);
        if (!ok) warn(`'+' of ${describe(a)} and ${describe(b)} is always undefined`, node, path);
        return ((a & b & T.number) !== 0 ? T.number : 0) | ((a & b & T.string) !== 0 ? T.string : 0) |
          ((a & T.datetime) !== 0 && (b & T.number) !== 0 ? T.datetime : 0) | (a === T.string && b === T.string ? 0 : T.undefined);
      }
      case '-': {
        const ok = (a & b & T.number) !== 0 || ((a & T.datetime) !== 0 && (b & (T.number | T.datetime)) !== 0);
        if (!ok) warn(`'-' of ${describe(a)} and ${describe(b)} is always undefined`, node, path);
        return ((a & b & T.number) !== 0 || (a & b & T.datetime) !== 0 ? T.number : 0) |
          ((a & T.datetime) !== 0 && (b & T.number) !== 0 ? T.datetime : 0) | T.undefined;
      }
      case '*':
      case '/':
      case '%':
        needs(a, 'numbers', T.number, 0);
        needs(b, 'numbers', T.number, 1);
        return T.number | T.undefined;
      case 'neg':
        needs(a, 'a number', T.number, 0);
        return T.number | T.undefined;
      case '==':
      case '!=':
        if ((a & b) === 0) {
          warn(`comparing ${describe(a)} with ${describe(b)}: values of different types are never equal, so this is always ${op === '==' ? 'false' : 'true'}`, node, path);
        }
        return T.boolean;
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const sd = T.string | T.datetime;
        const ok = (a & b & (T.number | T.string | T.datetime)) !== 0 || ((a & sd) !== 0 && (b & sd) !== 0 && ((a | b) & T.datetime) !== 0);
        if (!ok) warn(`'${op}' cannot order ${describe(a)} and ${describe(b)}; the result is always undefined`, node, path);
        return T.boolean | T.undefined;
      }
      case 'in':
        if ((b & (T.list | T.string)) === 0) {
          warn(`the right side of 'in' is ${describe(b)}; 'in' needs a list or a string, so the result is undefined`, node, path);
        } else if ((b & T.list) === 0 && (a & T.string) === 0) {
          warn(`'in' a string needs a string on the left, not ${describe(a)}; the result is undefined`, node, path);
        }
        return T.boolean | T.undefined;
      case 'and':
      case 'or':
        m.forEach((x, i) => {
          if ((x & T.boolean) === 0) {
            warn(`operand ${i + 1} of '${op}' is ${describe(x)}; non-booleans count as false`, node, path);
          }
        });
        return T.boolean;
      case 'not':
        if ((a & (T.boolean | T.undefined | T.null)) === 0) warn(`'not' of ${describe(a)} is always undefined`, node, path);
        return T.boolean | T.undefined;
      case 'defined':
      case 'boolean':
        return T.boolean;
      case 'number':
        return T.number | T.undefined;
      case 'string':
        return T.string | (m.length > 1 ? b : T.undefined);
      case 'datetime':
        return T.datetime | T.undefined;
      case 'list':
        return T.list | T.undefined;
      case 'floor':
      case 'ceil':
      case 'round':
        needs(a, 'a number', T.number, 0);
        return T.number | T.undefined;
      case 'lower':
      case 'upper':
        needs(a, 'a string', T.string, 0);
        return T.string | T.undefined;
      case 'len':
        needs(a, 'a string or a list', T.string | T.list, 0);
        return T.number | T.undefined;
      case 'has_prefix':
      case 'has_suffix':
        needs(a, 'strings', T.string, 0);
        needs(b, 'strings', T.string, 1);
        return T.boolean | T.undefined;
      case 'now':
        return T.datetime;
      case 'any':
      case 'all':
        return T.boolean;
      default: {
        const unhandled: never = op;
        return unhandled;
      }
    }
  }

  const mask = typeOfNode(ast, '', [], 1);
  return { mask, warnings };
}

// ---------------------------------------------------------------------------------------------
// Constant folding

const EMPTY_EVENT = { event: '', properties: {} };

type Folded = { node: Expr; free: Set<string> | null; dynamic: boolean };

/**
 * Replaces every maximal subtree that reads no root, no name bound outside it, and not now()
 * by the literal of its value. Datetimes become `datetime(<seconds>)`, lists list literals;
 * a value with no literal form (an object) leaves the subtree as it is.
 */
export function foldConstants(ast: Expr): Expr {
  return fold(ast).node;
}

function union(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out;
}

function fold(node: Expr): Folded {
  if ('lit' in node) return { node, free: null, dynamic: false };
  if ('root' in node) return { node, free: null, dynamic: true };
  if ('list' in node) {
    const parts = node.list.map(fold);
    const out: Expr = withSpan({ list: parts.map((p) => p.node) }, node);
    return finish(out, parts.reduce<Set<string> | null>((f, p) => union(f, p.free), null), parts.some((p) => p.dynamic), node);
  }
  if (!('op' in node)) return { node, free: new Set([node.var]), dynamic: false };
  if (node.op === 'any' || node.op === 'all') {
    const l = fold(node.args[0]);
    const p = fold(node.args[1]);
    let pf = p.free;
    if (pf !== null && pf.has(node.var)) {
      pf = new Set(pf);
      pf.delete(node.var);
    }
    const out: Expr = withSpan({ op: node.op, var: node.var, args: [l.node, p.node] }, node);
    return finish(out, union(l.free, pf), l.dynamic || p.dynamic, node);
  }
  const parts = node.args.map(fold);
  const out: Expr = withSpan({ op: node.op, args: parts.map((p) => p.node) }, node);
  const dynamic = node.op === 'now' || parts.some((p) => p.dynamic);
  return finish(out, parts.reduce<Set<string> | null>((f, p) => union(f, p.free), null), dynamic, node);
}

function withSpan<E extends Expr>(e: E, from: Expr): E {
  if (from.span !== undefined) e.span = from.span;
  return e;
}

function finish(node: Expr, free: Set<string> | null, dynamic: boolean, original: Expr): Folded {
  const free2 = free !== null && free.size > 0 ? free : null;
  if (dynamic || free2 !== null) return { node, free: free2, dynamic };
  const lit = literalOf(evaluate(node, EMPTY_EVENT, { now: 0 }));
  return { node: lit === null ? node : withSpan(lit, original), free: null, dynamic: false };
}

/** The literal expression of a value, or null when it has none. */
export function literalOf(v: Value): Expr | null {
  const t: TypeName = typeOf(v);
  switch (t) {
    case 'undefined':
      return { lit: { undefined: true } };
    case 'null':
      return { lit: null };
    case 'number':
      return { lit: (v as number) === 0 ? 0 : (v as number) };
    case 'string':
    case 'boolean':
      return { lit: v as string | boolean };
    case 'datetime':
      return { op: 'datetime', args: [{ lit: (v as DateTime).ms / 1000 }] };
    case 'list': {
      const items: Expr[] = [];
      for (const x of v as Value[]) {
        const e = literalOf(x === undefined ? null : x);
        if (e === null) return null;
        items.push(e);
      }
      return { list: items };
    }
    default:
      return null;
  }
}
