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
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const NO_EVENT: EventRecord = { event: '', properties: {} };

/** The event as given, or an empty one when what was given is not an object at all. */
export function eventOrEmpty(e: EventRecord): EventRecord {
  return typeof e === 'object' && e !== null ? e : NO_EVENT;
}

export function evaluate(ast: Expr, event: EventRecord, ctx?: EvalContext): Value {
  const now = nowOf(ctx);
  return ev(ast, eventOrEmpty(event), null, now);
}

function lookup(scope: Scope, name: string): Value {
  for (let s = scope; s !== null; s = s.outer) if (s.name === name) return s.value;
  return undefined;
}

const BINARY = new Map(Object.entries(ops.BINARY));
const UNARY = new Map(Object.entries(ops.UNARY));

function ev(node: Expr, e: EventRecord, scope: Scope, now: DateTime): Value {
  if (typeof node !== 'object' || node === null) return undefined;
  const op = (node as { op?: unknown }).op;
  if (op === undefined) {
    if ('lit' in node) return litValue(node.lit);
    if ('root' in node) {
      if (node.root === 'properties') return ops.propertiesOf(e);
      if (node.root === 'event') return ops.eventObject(e);
      return undefined;
    }
    if ('var' in node) return lookup(scope, node.var);
    if ('list' in node && Array.isArray(node.list)) {
      const out: Value[] = new Array(node.list.length);
      for (let i = 0; i < node.list.length; i++) {
        const v = ev(node.list[i], e, scope, now);
        out[i] = v === undefined ? null : v;
      }
      return out;
    }
    return undefined;
  }
  const args = (node as { args?: unknown }).args as Expr[];
  if (!Array.isArray(args)) return undefined;
  const a0 = args[0];
  switch (op) {
    case '[]':
      // event["k"] reads one field without building the whole event object.
      if (typeof a0 === 'object' && a0 !== null && 'root' in a0 && a0.root === 'event') return ops.eventField(e, ev(args[1], e, scope, now));
      return ops.index(ev(a0, e, scope, now), ev(args[1], e, scope, now));
    case 'string':
      return ops.stringWithDefault(ev(a0, e, scope, now), args.length >= 2 ? ev(args[1], e, scope, now) : undefined);
    case 'now':
      return now;
    case 'any':
    case 'all': {
      const name = (node as { var?: unknown }).var;
      if (typeof name !== 'string') return undefined;
      const list = ev(a0, e, scope, now);
      if (!Array.isArray(list)) return false;
      const isAny = op === 'any';
      for (let i = 0; i < list.length; i++) {
        const r = ev(args[1], e, { name, value: fromEventValue(list[i]), outer: scope }, now) === true;
        if (isAny && r) return true;
        if (!isAny && !r) return false;
      }
      return !isAny;
    }
    default: {
      const f2 = BINARY.get(op as string);
      if (f2 !== undefined) return f2(ev(a0, e, scope, now), ev(args[1], e, scope, now));
      const f1 = UNARY.get(op as string);
      if (f1 !== undefined) return f1(ev(a0, e, scope, now));
      return undefined;
    }
  }
}
