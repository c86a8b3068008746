// Validation of ASTs that arrive as JSON (from the UI, from API bodies): untrusted input.
// Returns a clean copy (spans and nothing else dropped) or throws ExprError with the JSON path of
// the offending node (`args[0].list[2]`, '' for the root, printed as `(root)`).
// Iterative (an explicit work stack), so a 100k-deep JSON gets the depth error, never a RangeError.
// Decisions: a `span` key is accepted with any value and dropped; `root` must be lower case (the
// JSON form is canonical); string literals are limited to MAX_STRING_LENGTH UTF-16 code units
// (64 KiB), which the parser enforces too; lone surrogates in strings are allowed (JSON allows them).

import { ExprError } from './errors.ts';
import { ARITY, MAX_DEPTH, MAX_NODES, isOp, type Expr, type LitValue } from './ast.ts';
import { MAX_STRING_LENGTH, isValidName } from './lexer.ts';
import { arityText } from './parse.ts';

type Scope = { name: string; up: Scope | null } | null;
// Where the copy of a node goes: slot `index` of `into` (no closure per node: trees can be 10k nodes).
type Work = { json: unknown; path: string; depth: number; scope: Scope; into: Expr[]; index: number };

const KIND_KEYS = ['lit', 'list', 'root', 'var', 'op'] as const;

export function validateAst(json: unknown): Expr {
  const result: Expr[] = [];
  let nodes = 0;
  const stack: Work[] = [{ json, path: '', depth: 1, scope: null, into: result, index: 0 }];
  let w: Work;
  const fail = (detail: string): never => {
    throw new ExprError(detail, { path: w.path });
  };
  while (stack.length > 0) {
    w = stack.pop()!;
    if (w.depth > MAX_DEPTH) fail(`expression nested deeper than ${MAX_DEPTH} levels`);
    if (++nodes > MAX_NODES) fail(`expression has more than ${MAX_NODES} nodes`);
    const o = w.json;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) fail(`expected an expression node (an object), found ${describe(o)}`);
    const obj = o as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => k !== 'span');
    const kinds = KIND_KEYS.filter((k) => has(obj, k));
    const kind = kinds.includes('op') ? 'op' : kinds[0];
    if (kind === undefined) fail(`expected a node with one of the keys 'lit', 'list', 'root', 'var', 'op'; found ${keys.length ? `keys ${keys.map((k) => `'${k}'`).join(', ')}` : 'an empty object'}`);

    if (kind === 'op' && !isOp(obj.op)) fail(typeof obj.op === 'string' ? `unknown op '${obj.op}'` : `'op' must be a string, found ${describe(obj.op)}`);
    const allowed = kind === 'op' ? (obj.op === 'any' || obj.op === 'all' ? ['op', 'var', 'args'] : ['op', 'args']) : [kind!];
    for (const k of keys) if (!allowed.includes(k)) fail(`unexpected key '${k}' in ${kind === 'op' ? `an op node ('${String(obj.op)}')` : `a '${kind}' node`}`);

    switch (kind) {
      case 'lit':
        w.into[w.index] = { lit: checkLit(obj.lit, fail) };
        break;
      case 'root':
        if (obj.root !== 'properties' && obj.root !== 'event') fail(`unknown root ${describe(obj.root)}; expected "properties" or "event"`);
        w.into[w.index] = { root: obj.root as 'properties' | 'event' };
        break;
      case 'var': {
        const name = checkName(obj.var, 'var', fail);
        let s = w.scope;
        while (s && s.name !== name) s = s.up;
        if (!s) fail(`'${name}' is not bound by any enclosing any() or all()`);
        w.into[w.index] = { var: name };
        break;
      }
      case 'list': {
        const items = obj.list;
        if (!Array.isArray(items)) fail(`'list' must be an array, found ${describe(items)}`);
        const arr = items as unknown[];
        if (nodes + arr.length > MAX_NODES) fail(`expression has more than ${MAX_NODES} nodes`);
        const out: Expr[] = new Array(arr.length);
        w.into[w.index] = { list: out };
        for (let i = arr.length - 1; i >= 0; i--) {
          stack.push({ json: arr[i], path: join(w.path, `list[${i}]`), depth: w.depth + 1, scope: w.scope, into: out, index: i });
        }
        break;
      }
      default: {
        const name = obj.op as keyof typeof ARITY;
        const args = obj.args;
        if (!has(obj, 'args')) fail(`missing 'args' in an '${name}' node`);
        if (!Array.isArray(args)) fail(`'args' must be an array, found ${describe(args)}`);
        const arr = args as unknown[];
        const [min, max] = ARITY[name];
        if (arr.length < min || arr.length > max) {
          // In JSON the bound name is `var`, so any/all count their args differently from the text form.
          fail(name === 'any' || name === 'all' ? `'${name}' takes a 'var' and 2 args [list, predicate], got ${arr.length}` : `${arityText(name)}, got ${arr.length}`);
        }
        const out: Expr[] = new Array(arr.length);
        let inner = w.scope;
        if (name === 'any' || name === 'all') {
          if (!has(obj, 'var')) fail(`missing 'var' (the bound name) in an '${name}' node`);
          const v = checkName(obj.var, 'var', fail);
          inner = { name: v, up: w.scope };
          w.into[w.index] = { op: name, var: v, args: out as [Expr, Expr] };
        } else {
          w.into[w.index] = { op: name, args: out };
        }
        for (let i = arr.length - 1; i >= 0; i--) {
          // any/all bind their name in the predicate (args[1]) only.
          const scope = i === 1 && (name === 'any' || name === 'all') ? inner : w.scope;
          stack.push({ json: arr[i], path: join(w.path, `args[${i}]`), depth: w.depth + 1, scope, into: out, index: i });
        }
      }
    }
  }
  return result[0]!;
}

/** Like validateAst, as a value instead of an exception. */
export function tryValidateAst(json: unknown): { ok: true; ast: Expr } | { ok: false; error: ExprError } {
  try {
    return { ok: true, ast: validateAst(json) };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e };
    throw e;
  }
}

function has(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function join(path: string, step: string): string {
  return path ? `${path}.${step}` : step;
}

function checkLit(v: unknown, fail: (d: string) => never): LitValue {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`'lit' must be a finite number, found ${v}`);
    return v;
  }
  if (typeof v === 'string') {
    if (v.length > MAX_STRING_LENGTH) fail(`string literal longer than ${MAX_STRING_LENGTH} characters`);
    return v;
  }
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && (v as Record<string, unknown>).undefined === true && has(v, 'undefined')) {
    return { undefined: true };
  }
  return fail(`'lit' must be a string, a finite number, a boolean, null or {"undefined": true}, found ${describe(v)}`);
}

function checkName(v: unknown, key: string, fail: (d: string) => never): string {
  if (typeof v !== 'string') return fail(`'${key}' must be a name (a string), found ${describe(v)}`);
  if (!isValidName(v)) return fail(`${describe(v)} is not a valid name (letters, digits and _, not starting with a digit, not a reserved word)`);
  return v;
}

// Short, safe rendering of an arbitrary JSON value for messages.
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > 42 ? `${s.slice(0, 40)}…"` : s;
  }
  return String(v);
}
