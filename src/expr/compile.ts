// The fast evaluator: the tree is turned once into nested closures, names bound by any/all are
// resolved to slots at compile time, and `properties["k"]` / `event["k"]` with literal keys get
// direct readers. Same operator functions as evaluate.ts (ops.ts), so the two agree by design;
// a property test checks they do.
import type { EventRecord, Expr } from './ast.ts';
import { fromEventValue, type Value } from './value.ts';
import * as ops from './ops.ts';
import { eventOrEmpty, litValue, nowOf, type EvalContext } from './evaluate.ts';

type Slots = Value[];
type Fn = (e: EventRecord, slots: Slots) => Value;
/** Innermost binding first. */
type Env = { name: string; slot: number; outer: Env | null } | null;

const hasOwn = Object.prototype.hasOwnProperty;
const UNDEF: Fn = () => undefined;

export type CompiledExpr = (event: EventRecord) => Value;

/**
 * Compile once, call per event. `now()` is fixed when compiling (ctx.now, else the current time),
 * so one compiled query sees one instant.
 */
export function compile(ast: Expr, ctx?: EvalContext): CompiledExpr {
  const now = nowOf(ctx);
  let depth = 0;
  const slots: Slots = [];

  function slotFor(env: Env, name: string): number {
    for (let s = env; s !== null; s = s.outer) if (s.name === name) return s.slot;
    return -1;
  }

  function c(node: Expr, env: Env, level: number): Fn {
    if (typeof node !== 'object' || node === null) return UNDEF;
    if ('lit' in node) {
      const v = litValue(node.lit);
      return () => v;
    }
    if ('list' in node) {
      if (!Array.isArray(node.list)) return UNDEF;
      const items = node.list.map((x) => c(x, env, level));
      return (e, s) => {
        const out: Value[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          const v = items[i](e, s);
          out[i] = v === undefined ? null : v;
        }
        return out;
      };
    }
    if ('root' in node) {
      if (node.root === 'properties') return (e) => ops.propertiesOf(e);
      if (node.root === 'event') return (e) => ops.eventObject(e);
      return UNDEF;
    }
    if ('var' in node && !('op' in node)) {
      const slot = slotFor(env, node.var);
      return slot < 0 ? UNDEF : (_e, s) => s[slot];
    }
    if (!('op' in node) || !Array.isArray(node.args)) return UNDEF;
    const args = node.args;
    const a = (i: number): Fn => (i < args.length ? c(args[i], env, level) : UNDEF);
    switch (node.op) {
      case '[]':
        return compileIndex(args, a);
      case 'and': {
        const x = a(0);
        const y = a(1);
        return (e, s) => x(e, s) === true && y(e, s) === true;
      }
      case 'or': {
        const x = a(0);
        const y = a(1);
        return (e, s) => x(e, s) === true || y(e, s) === true;
      }
      case 'string': {
        const x = a(0);
        const d = args.length >= 2 ? a(1) : UNDEF;
        return (e, s) => ops.stringWithDefault(x(e, s), d(e, s));
      }
      case 'now':
        return () => now;
      case 'any':
      case 'all': {
        const name = (node as { var?: unknown }).var;
        if (typeof name !== 'string') return UNDEF;
        const list = a(0);
        const slot = level;
        depth = Math.max(depth, level + 1);
        const pred = args.length > 1 ? c(args[1], { name, slot, outer: env }, level + 1) : UNDEF;
        if (node.op === 'any') {
          return (e, s) => {
            const l = list(e, s);
            if (!Array.isArray(l)) return false;
            for (let i = 0; i < l.length; i++) {
              s[slot] = fromEventValue(l[i]);
              if (pred(e, s) === true) return true;
            }
            return false;
          };
        }
        return (e, s) => {
          const l = list(e, s);
          if (!Array.isArray(l)) return false;
          for (let i = 0; i < l.length; i++) {
            s[slot] = fromEventValue(l[i]);
            if (pred(e, s) !== true) return false;
          }
          return true;
        };
      }
      default: {
        const op = node.op as string;
        if (hasOwn.call(ops.BINARY, op)) {
          const f = ops.BINARY[op as keyof typeof ops.BINARY];
          const x = a(0);
          const y = a(1);
          return (e, s) => f(x(e, s), y(e, s));
        }
        if (hasOwn.call(ops.UNARY, op)) {
          const f = ops.UNARY[op as keyof typeof ops.UNARY];
          const x = a(0);
          return (e, s) => f(x(e, s));
        }
        return UNDEF;
      }
    }

    function compileIndex(args: Expr[], a: (i: number) => Fn): Fn {
      const coll = args[0];
      const key = args[1];
      const keyIsLit = typeof key === 'object' && key !== null && 'lit' in key;
      if (typeof coll === 'object' && coll !== null && 'root' in coll) {
        if (coll.root === 'properties' && keyIsLit) {
          const k = litValue(key.lit);
          if (typeof k !== 'string') return UNDEF;
          return (e) => {
            const p = e.properties;
            return typeof p === 'object' && p !== null && !Array.isArray(p) && hasOwn.call(p, k)
              ? fromEventValue((p as Record<string, unknown>)[k])
              : undefined;
          };
        }
        if (coll.root === 'event') {
          if (keyIsLit) {
            switch (litValue(key.lit)) {
              case 'name':
                return (e) => ops.eventName(e);
              case 'time':
                return (e) => ops.eventTime(e);
              case 'distinct_id':
                return (e) => ops.eventDistinctId(e);
              default:
                return UNDEF;
            }
          }
          const k = a(1);
          return (e, s) => ops.eventField(e, k(e, s));
        }
      }
      const x = a(0);
      const y = a(1);
      return (e, s) => ops.index(x(e, s), y(e, s));
    }
  }

  const fn = c(ast, null, 0);
  slots.length = depth;
  return (event) => fn(typeof event === 'object' && event !== null ? event : eventOrEmpty(event), slots);
}
