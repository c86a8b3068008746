// The reference evaluator: AST × event → value, exactly spec section 4. It walks the tree
// directly so it reads like the spec; compile.ts is the fast form and must agree with it.
// It never throws: anything it cannot make sense of (even a malformed tree) is undefined.
import type { EventRecord, Expr, LitValue } from './ast.ts';
import { DateTime, fromEventValue, makeDateTime, type Value } from './value.ts';
import * as ops from './ops.ts';

export type EvalContext = {
  /** The instant the query started: one value for the whole query. Defaults to the time of the call. */
  now?: DateTime | number;
};

/** A linked list of bindings made by any/all: inner ones first, so they shadow outer ones. */
type Scope = { name: string; value: Value; outer: Scope | null } | null;

export function nowOf(ctx: EvalContext | undefined): DateTime {
  const n = ctx?.now;
  if (n instanceof DateTime) return n;
  const ms = typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : Date.now();
  return makeDateTime(ms) ?? new DateTime(Date.now());
}

export function litValue(v: LitValue): Value {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? undefined : v;
  return undefined;
}

export function evaluate(ast: Expr, event: EventRecord, ctx?: EvalContext): Value {
  const now = nowOf(ctx);
  return ev(ast, event, null, now);
}

function lookup(scope: Scope, name: string): Value {
  for (let s = scope; s !== null; s = s.outer) if (s.name === name) return s.value;
  return undefined;
}

function ev(node: Expr, e: EventRecord, scope: Scope, now: DateTime): Value {
  if (typeof node !== 'object' || node === null) return undefined;
  if ('lit' in node) return litValue(node.lit);
  if ('list' in node) {
    if (!Array.isArray(node.list)) return undefined;
    return node.list.map((x) => {
      const v = ev(x, e, scope, now);
      return v === undefined ? null : v;
    });
  }
  if ('root' in node) {
    if (node.root === 'properties') return ops.propertiesOf(e);
    if (node.root === 'event') return ops.eventObject(e);
    return undefined;
  }
  if ('var' in node && !('op' in node)) return lookup(scope, node.var);
  if (!('op' in node) || !Array.isArray(node.args)) return undefined;
  const args = node.args;
  const arg = (i: number): Value => (i < args.length ? ev(args[i], e, scope, now) : undefined);
  switch (node.op) {
    case '[]': {
      const c = args[0];
      // event["k"] reads one field without building the whole event object.
      if (typeof c === 'object' && c !== null && 'root' in c && c.root === 'event') return ops.eventField(e, arg(1));
      return ops.index(arg(0), arg(1));
    }
    case 'and':
      return arg(0) === true && arg(1) === true;
    case 'or':
      return arg(0) === true || arg(1) === true;
    case 'string':
      return args.length >= 2 ? ops.stringWithDefault(arg(0), arg(1)) : ops.stringWithDefault(arg(0), undefined);
    case 'now':
      return now;
    case 'any':
    case 'all': {
      const name = (node as { var?: unknown }).var;
      if (typeof name !== 'string') return undefined;
      const list = arg(0);
      if (!Array.isArray(list)) return false;
      const isAny = node.op === 'any';
      for (let i = 0; i < list.length; i++) {
        const r = ev(args[1], e, { name, value: fromEventValue(list[i]), outer: scope }, now) === true;
        if (isAny && r) return true;
        if (!isAny && !r) return false;
      }
      return !isAny;
    }
    default: {
      const op = node.op as string;
      if (Object.prototype.hasOwnProperty.call(ops.BINARY, op)) {
        return ops.BINARY[op as keyof typeof ops.BINARY](arg(0), arg(1));
      }
      if (Object.prototype.hasOwnProperty.call(ops.UNARY, op)) {
        return ops.UNARY[op as keyof typeof ops.UNARY](arg(0));
      }
      return undefined;
    }
  }
}
