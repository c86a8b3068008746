// Checked expression AST → typed SQL value (typed.ts), for any dialect. Semantics are exactly
// spec section 4 as src/expr/ops.ts implements it; every rule about missing values is written out
// here (a NULL slot means "not this type"), so SQL's three-valued logic never decides an answer:
// results that the language defines as boolean are always non-NULL SQL booleans.
//
// Closed subtrees (no `properties`/`event`, no free names) are folded with the reference
// evaluator and bound as one typed constant, so literal arithmetic, casts of literals and now()
// can never disagree with it. `fold: false` compiles them in SQL too (the differential tests use
// both).
import type { Expr, OpNode, PlainOp, ScopeNode, ScopeOp } from '../../expr/ast.ts';
import { evaluate, litValue } from '../../expr/evaluate.ts';
import { DateTime, toPlainJson, type Value } from '../../expr/value.ts';
import { UNDEFINED_SEGMENT } from '../../expr/segments.ts';
import { ExprError } from '../../expr/errors.ts';
import type { Catalog, PropertyType } from '../store/types.ts';
import type { Dialect } from './dialect.ts';
import type { SqlWriter } from './writer.ts';
import { UNDEFINED, and, atom, coalesce, hasSql, make, one, or, undefSql, when, type Slot, type TV } from './typed.ts';

export class CompileError extends Error {
  override readonly name = 'CompileError';
}

/**
 * The most SQL text one expression may compile to. Some shapes grow fast with nesting (each
 * level of `x[0][0]…` on a value of unknown type, or `not` over mixed types, repeats its operand
 * per type), so a hostile or runaway tree is refused with a clear error instead of building
 * gigabytes of SQL.
 */
export const MAX_SQL_CHARS = 1_000_000;

function sizeOf(v: TV): number {
  let n = 0;
  for (const x of Object.values(v.slots)) n += x!.length;
  if (v.elems) for (const e of v.elems) n += sizeOf(e);
  if (v.fields) for (const f of Object.values(v.fields)) n += sizeOf(f);
  return n;
}

export type CompileOptions = {
  catalog: Catalog;
  /** now() in epoch ms: one value per query. */
  now: number;
  /** Fold closed subtrees with the reference evaluator (default true). */
  fold?: boolean;
  /** SQL of the events table's columns (defaults: the store's names). */
  columns?: { properties: string; event: string; distinctId: string; time: string };
};

const PROPERTY_SLOT = {
  string: 's',
  number: 'n',
  boolean: 'b',
  null: 'z',
  list: 'l',
  object: 'o',
} as const satisfies Record<PropertyType, Slot>;

type Scope = ReadonlyMap<string, TV>;

export class ExprCompiler {
  private names = 0;
  readonly d: Dialect;
  private readonly fold: boolean;
  private readonly cols: { properties: string; event: string; distinctId: string; time: string };

  constructor(
    readonly w: SqlWriter,
    readonly opts: CompileOptions,
  ) {
    this.d = w.dialect;
    this.fold = opts.fold ?? true;
    this.cols = opts.columns ?? {
      properties: w.ident('properties'),
      event: w.ident('event'),
      distinctId: w.ident('distinct_id'),
      time: w.ident('time'),
    };
  }

  compile(e: Expr, scope: Scope = new Map()): TV {
    const v = this.compileNode(e, scope);
    if (sizeOf(v) > MAX_SQL_CHARS) {
      throw new ExprError(`expression is too complex to run as SQL (more than ${MAX_SQL_CHARS.toLocaleString('en-US')} characters once compiled); nest fewer indexes, 'not' or 'in' over values of mixed types`);
    }
    return v;
  }

  private compileNode(e: Expr, scope: Scope): TV {
    if (this.fold && isClosed(e, new Set())) {
      return this.constant(evaluate(e, { event: '', properties: {} }, { now: this.opts.now }));
    }
    if ('lit' in e) return this.constant(litValue(e.lit));
    if ('list' in e) {
      return { slots: {}, total: true, elems: e.list.map((x) => this.elementOf(this.compile(x, scope))) };
    }
    if ('root' in e) {
      if (e.root === 'properties') return one('o', this.cols.properties, true);
      return { slots: {}, total: true, fields: { name: this.eventField('name'), time: this.eventField('time'), distinct_id: this.eventField('distinct_id') } };
    }
    if (!('op' in e)) {
      const v = scope.get(e.var);
      if (v === undefined) throw new CompileError(`unbound name ${e.var}`);
      return v;
    }
    if (e.op === 'any' || e.op === 'all') return this.scoped(e as ScopeNode, scope);
    const node = e as OpNode;
    if (node.op === '[]') return this.index(node, scope);
    const args = node.args.map((a) => this.compile(a, scope));
    return OPS[node.op as Exclude<PlainOp, '[]'>](this, args);
  }

  /** Typed constant from a runtime value. */
  constant(v: Value): TV {
    const w = this.w;
    if (v === undefined) return UNDEFINED;
    if (v === null) return one('z', 'TRUE', true);
    switch (typeof v) {
      case 'string':
        return { slots: { s: w.param(v, 'string') }, total: true, text: v };
      case 'number':
        return Number.isFinite(v) ? one('n', w.param(v === 0 ? 0 : v, 'number'), true) : UNDEFINED;
      case 'boolean':
        return one('b', v ? 'TRUE' : 'FALSE', true);
      default:
        if (v instanceof DateTime) return one('t', w.param(v.ms, 'number'), true);
        if (Array.isArray(v)) return { slots: {}, total: true, elems: v.map((x) => this.constant(x === undefined ? null : x)) };
        return one('o', w.param(JSON.stringify(toPlainJson(v)), 'json'), true);
    }
  }

  /** A list literal element: undefined is stored as null. */
  private elementOf(v: TV): TV {
    if (v.total) return v;
    const u = undefSql(v);
    return make({ ...v.slots, z: coalesce([v.slots.z, when(u, 'TRUE')]) }, true);
  }

  fresh(): string {
    return this.d.boundName(++this.names);
  }

  /** The typed slots of a JSON value. */
  json(j: string): TV {
    const s = this.d.jsonSlots(j);
    return { ...make(s), raw: j };
  }

  private eventField(name: 'name' | 'time' | 'distinct_id'): TV {
    if (name === 'name') return one('s', this.cols.event, true);
    if (name === 'distinct_id') return one('s', this.cols.distinctId, true);
    return one('t', this.d.timeMs(this.cols.time), true);
  }

  private property(name: string): TV {
    const slots: Partial<Record<Slot, string>> = {};
    for (const type of Object.keys(PROPERTY_SLOT) as PropertyType[]) {
      const col = this.opts.catalog.column(name, type);
      if (col === null) continue;
      const sql = this.w.ident(col);
      slots[PROPERTY_SLOT[type]] = type === 'null' ? `nullif(${sql}, FALSE)` : sql;
    }
    const raw = coalesce([slots.l, slots.o]);
    const strings = slots.l !== undefined && this.d.listContains ? this.opts.catalog.listStrings?.(name) : null;
    const v = raw === undefined ? make(slots) : { ...make(slots), raw };
    return strings ? { ...v, strings: this.w.ident(strings) } : v;
  }

  private index(node: OpNode, scope: Scope): TV {
    const [c, k] = node.args as [Expr, Expr];
    if ('root' in c && isClosed(k, new Set())) {
      const key = evaluate(k, { event: '', properties: {} }, { now: this.opts.now });
      if (typeof key !== 'string') return UNDEFINED;
      if (c.root === 'properties') return this.property(key);
      return key === 'name' || key === 'time' || key === 'distinct_id' ? this.eventField(key) : UNDEFINED;
    }
    return this.indexValue(this.compile(c, scope), this.compile(k, scope));
  }

  indexValue(c: TV, k: TV): TV {
    if (c.elems) {
      const kn = k.slots.n;
      if (kn === undefined || c.elems.length === 0) return UNDEFINED;
      return this.pick(c.elems.map((e, i) => [`${atom(kn)} = ${i}`, e] as const));
    }
    if (c.fields) {
      const ks = k.slots.s;
      if (ks === undefined) return UNDEFINED;
      return this.pick(Object.entries(c.fields).map(([name, v]) => [`${atom(ks)} = ${this.w.param(name, 'string')}`, v] as const));
    }
    const parts: TV[] = [];
    const { o, l } = c.slots;
    // Through the raw JSON when there is one: a member or element lookup on JSON of another
    // type is NULL by itself, except a pointer like `/0`, which also finds an array element.
    const raw = c.raw;
    if (o !== undefined && k.slots.s !== undefined) {
      const pointer = k.text === undefined ? undefined : this.w.param(jsonPointer(k.text), 'string');
      const indexLike = k.text === undefined || /^(0|[1-9][0-9]*|-)$/.test(k.text);
      const member = this.d.jsonMember(raw ?? o, k.slots.s, pointer);
      parts.push(this.json(raw !== undefined && indexLike ? when(`${o} IS NOT NULL`, member) : member));
    }
    if (l !== undefined && k.slots.n !== undefined) {
      const i = k.slots.n;
      parts.push(this.json(when(`${atom(i)} >= 0 AND ${atom(i)} = floor(${i})`, this.d.jsonElement(raw ?? l, i))));
    }
    return merge(parts);
  }

  /**
   * The value as JSON (NULL when undefined). Only for list literals and the event root flowing
   * where a plain value is needed (`string(x, [..])`, a computed index yielding one): their
   * datetimes become ISO strings there, as in typed values (spec section 7).
   */
  jsonOf(v: TV): string {
    const d = this.d;
    if (v.elems) return d.jsonArray(v.elems.map((e) => this.jsonOf(e)));
    if (v.fields) {
      return d.jsonObject(Object.entries(v.fields).map(([k, f]) => [this.w.param(k, 'string'), this.jsonOf(f)] as [string, string]));
    }
    const { s, n, b, t, z, l, o } = v.slots;
    return (
      coalesce([
        s === undefined ? undefined : d.toJson('s', s),
        n === undefined ? undefined : d.toJson('n', n),
        b === undefined ? undefined : d.toJson('b', b),
        t === undefined ? undefined : d.toJson('s', d.concat(d.datetimeToString(t), `'Z'`)),
        z === undefined ? undefined : d.toJson('z', z),
        l,
        o,
      ]) ?? 'NULL'
    );
  }

  /** A list literal or the event root as a plain JSON-slotted value. */
  plain(v: TV): TV {
    if (v.elems) return one('l', this.jsonOf(v), true);
    if (v.fields) return one('o', this.jsonOf(v), true);
    return v;
  }

  /** CASE over alternatives: the first matching condition's value. */
  private pick(alts0: readonly (readonly [string, TV])[]): TV {
    const alts = alts0.map(([c, v]) => [c, this.plain(v)] as const);
    const slots: Partial<Record<Slot, string>> = {};
    for (const slot of ['s', 'n', 'b', 't', 'z', 'l', 'o'] as const) {
      const branches = alts.filter(([, v]) => v.slots[slot] !== undefined).map(([c, v]) => `WHEN ${c} THEN ${v.slots[slot]}`);
      if (branches.length > 0) slots[slot] = `CASE ${branches.join(' ')} END`;
    }
    return make(slots);
  }

  private scoped(e: ScopeNode, scope: Scope): TV {
    const list = this.compile(e.args[0], scope);
    const any = e.op === 'any';
    if (list.elems) {
      const parts = list.elems.map((el) => truthy(this.compile(e.args[1], new Map(scope).set(e.var, el))));
      return one('b', any ? or(parts) : and(parts), true);
    }
    const l = list.slots.l;
    if (l === undefined) return one('b', 'FALSE', true);
    // any(X, L, X == v) with v not mentioning X is membership: `v in L` (which has a fast form).
    const p = e.args[1];
    if (any && 'op' in p && p.op === '==') {
      const [a, b] = (p as OpNode).args as [Expr, Expr];
      const isVar = (x: Expr) => !('op' in x) && 'var' in x && x.var === e.var;
      const other = isVar(a) && !mentions(b, e.var) ? b : isVar(b) && !mentions(a, e.var) ? a : null;
      if (other) return one('b', truthy(OPS.in(this, [this.compile(other, scope), { ...one('l', l), ...(list.strings ? { strings: list.strings } : {}) }])), true);
    }
    const name = this.fresh();
    const body = truthy(this.compile(e.args[1], new Map(scope).set(e.var, this.json(name))));
    const sql = any ? this.d.listAny(l, name, body) : this.d.listAll(l, name, body);
    return one('b', `coalesce(${sql}, FALSE)`, true);
  }

  // ---- shared rules used by several operators

  /** `a == b`: a non-NULL boolean. */
  eq(a: TV, b: TV): string {
    const parts: string[] = [];
    for (const k of ['s', 'n', 'b', 't'] as const) {
      const x = a.slots[k];
      const y = b.slots[k];
      if (x !== undefined && y !== undefined) parts.push(`${atom(x)} = ${atom(y)}`);
    }
    if (a.slots.z !== undefined && b.slots.z !== undefined) parts.push(and([a.slots.z, b.slots.z]));
    if (a.slots.l !== undefined && b.slots.l !== undefined) parts.push(`${atom(this.d.jsonCanonical(a.slots.l))} = ${atom(this.d.jsonCanonical(b.slots.l))}`);
    if (a.slots.o !== undefined && b.slots.o !== undefined) parts.push(`${atom(this.d.jsonCanonical(a.slots.o))} = ${atom(this.d.jsonCanonical(b.slots.o))}`);
    if (a.elems && b.elems) {
      parts.push(a.elems.length === b.elems.length ? and(a.elems.map((x, i) => this.eq(x, b.elems![i]!))) : 'FALSE');
    }
    for (const [x, y] of [[a, b], [b, a]] as const) {
      if (x.elems && y.slots.l !== undefined) {
        const l = y.slots.l;
        parts.push(and([`${this.d.jsonLength(l)} = ${x.elems.length}`, ...x.elems.map((e, i) => this.eq(e, this.json(this.d.jsonElement(l, String(i)))))]));
      }
    }
    if (a.fields && b.fields) {
      const names = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
      parts.push(and([...names].map((n) => this.eq(a.fields![n] ?? UNDEFINED, b.fields![n] ?? UNDEFINED))));
    }
    // (The event root always has a datetime `time`, which JSON objects cannot hold: never equal.)
    if (!a.total && !b.total && !a.elems && !b.elems) parts.push(and([undefSql(a), undefSql(b)]));
    const p = or(parts);
    if (p === 'TRUE' || p === 'FALSE') return p;
    return `coalesce(${p}, FALSE)`;
  }

  /** Ordering `<`-family: NULL when the operands cannot be ordered. */
  order(a: TV, b: TV, op: '<' | '<=' | '>' | '>='): TV {
    const parts: string[] = [];
    const { n: an, s: as, t: at } = a.slots;
    const { n: bn, s: bs, t: bt } = b.slots;
    const cmp = (x: string, y: string) => `${atom(x)} ${op} ${atom(y)}`;
    if (an !== undefined && bn !== undefined) parts.push(cmp(an, bn));
    if (as !== undefined && bs !== undefined) parts.push(cmp(as, bs));
    if (at !== undefined && bt !== undefined) parts.push(cmp(at, bt));
    if (as !== undefined && bt !== undefined) parts.push(cmp(this.d.parseDatetime(as), bt));
    if (at !== undefined && bs !== undefined) parts.push(cmp(at, this.d.parseDatetime(bs)));
    return make({ b: coalesce(parts) });
  }

  /** undefined or null. Never NULL. */
  nullish(v: TV): string {
    if (v.elems || v.fields) return 'FALSE';
    const others = (['s', 'n', 'b', 't', 'l', 'o'] as const).filter((k) => v.slots[k] !== undefined);
    if (others.length === 0) return 'TRUE';
    if (v.total && v.slots.z === undefined) return 'FALSE';
    return and(others.map((k) => `${v.slots[k]} IS NULL`));
  }

  /** string(x) of spec section 4, as a VARCHAR fragment or undefined when impossible. */
  toString(v: TV): string | undefined {
    const d = this.d;
    const { s, n, b, t } = v.slots;
    return coalesce([
      s,
      n === undefined ? undefined : d.numberToString(n),
      b === undefined ? undefined : `CASE WHEN ${b} THEN 'true' WHEN NOT ${atom(b)} THEN 'false' END`,
      t === undefined ? undefined : d.datetimeToString(t),
    ]);
  }

  /** The segment key of a scalar (spec section 5); NULL for objects and lists. */
  scalarKey(v: TV, numberKey?: (n: string) => string): string {
    const n = v.slots.n;
    const key = coalesce([
      numberKey && n !== undefined ? numberKey(n) : undefined,
      this.toString(numberKey ? { ...v, slots: { ...v.slots, n: undefined } } : v),
      // Without list/object slots, "none of the above" is exactly undefined or null.
      v.slots.l === undefined && v.slots.o === undefined ? `'${UNDEFINED_SEGMENT}'` : when(this.nullish(v), `'${UNDEFINED_SEGMENT}'`),
    ]);
    return key ?? 'NULL';
  }

  /**
   * The segment keys of an `on` value as a VARCHAR list (a list counts once in each distinct
   * element's segment; objects and nested collections give none). `numberKey` maps numbers to
   * their numeric-bucket label.
   */
  /** After segmentKeys returned `single`: whether that key can be NULL (an object: no segment). */
  lastKeyMayBeNull = true;

  segmentKeys(v: TV, numberKey?: (n: string) => string): { list: string } | { single: string } {
    const d = this.d;
    this.lastKeyMayBeNull = v.slots.o !== undefined || v.fields !== undefined;
    if (v.elems) return { list: d.keyList(v.elems.map((e) => (e.elems || e.fields ? 'NULL' : this.scalarKey(e, numberKey)))) };
    const scalar = v.fields ? 'NULL' : this.scalarKey(v, numberKey);
    const l = v.slots.l;
    if (l === undefined) {
      if (v.slots.o === undefined && !v.fields) return { single: scalar };
      return { list: d.keyList([scalar]) };
    }
    const name = this.fresh();
    const el = this.json(name);
    const listKeys = d.listKeys(l, name, this.scalarKey(el, numberKey));
    return { list: `CASE WHEN ${l} IS NOT NULL THEN ${listKeys} ELSE ${d.keyList([scalar])} END` };
  }
}

/** Only the boolean `true` counts (and/or/any/all/where). A non-NULL SQL boolean. */
export function truthy(v: TV): string {
  const b = v.slots.b;
  if (b === undefined) return 'FALSE';
  if (v.total && Object.keys(v.slots).length === 1) return b;
  return b === 'TRUE' || b === 'FALSE' ? b : `coalesce(${b}, FALSE)`;
}

/** Alternatives that are never non-NULL on the same row. */
function merge(parts: readonly TV[]): TV {
  if (parts.length === 0) return UNDEFINED;
  if (parts.length === 1) return parts[0]!;
  const slots: Partial<Record<Slot, string | undefined>> = {};
  for (const k of ['s', 'n', 'b', 't', 'z', 'l', 'o'] as const) slots[k] = coalesce(parts.map((p) => p.slots[k]));
  const raw = parts.every((p) => p.raw !== undefined) ? coalesce(parts.map((p) => p.raw)) : undefined;
  return raw === undefined ? make(slots) : { ...make(slots), raw };
}

/** RFC 6901: the one-member pointer of a key (any text is a valid key). */
export function jsonPointer(key: string): string {
  return '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Whether `name` occurs free in e. */
function mentions(e: Expr, name: string): boolean {
  if ('lit' in e || 'root' in e) return false;
  if ('list' in e) return e.list.some((x) => mentions(x, name));
  if (!('op' in e)) return e.var === name;
  if (e.op === 'any' || e.op === 'all') {
    const s = e as ScopeNode;
    return mentions(s.args[0], name) || (s.var !== name && mentions(s.args[1], name));
  }
  return (e as OpNode).args.some((x) => mentions(x, name));
}

function isClosed(e: Expr, bound: Set<string>): boolean {
  if ('lit' in e) return true;
  if ('list' in e) return e.list.every((x) => isClosed(x, bound));
  if ('root' in e) return false;
  if (!('op' in e)) return bound.has(e.var);
  if (e.op === 'any' || e.op === 'all') {
    const s = e as ScopeNode;
    return isClosed(s.args[0], bound) && isClosed(s.args[1], new Set(bound).add(s.var));
  }
  return (e as OpNode).args.every((x) => isClosed(x, bound));
}

type OpRule = (c: ExprCompiler, args: TV[]) => TV;
const b1 = (v: string): TV => one('b', v, true);

function arith(c: ExprCompiler, a: TV, b: TV, op: '*' | '/' | '%'): TV {
  const x = a.slots.n;
  const y = b.slots.n;
  if (x === undefined || y === undefined) return UNDEFINED;
  if (op === '*') return one('n', c.d.finite(`(${x} * ${y})`));
  if (op === '/') return one('n', c.d.finite(`(${x} / nullif(${y}, 0))`));
  return one('n', c.d.mod(x, `nullif(${y}, 0)`));
}

function shift(c: ExprCompiler, t: string | undefined, n: string | undefined, sign: '+' | '-'): string | undefined {
  if (t === undefined || n === undefined) return undefined;
  return c.d.checkMs(`(${t} ${sign} ${c.d.secondsToMs(n)})`);
}

/** Every operator of the language except `[]` and the scope binders (handled by the compiler). */
export const OPS = {
  '+': (c, [a, b]) =>
    make({
      n: a!.slots.n !== undefined && b!.slots.n !== undefined ? c.d.finite(`(${a!.slots.n} + ${b!.slots.n})`) : undefined,
      s: a!.slots.s !== undefined && b!.slots.s !== undefined ? c.d.concat(a!.slots.s, b!.slots.s) : undefined,
      t: shift(c, a!.slots.t, b!.slots.n, '+'),
    }),
  '-': (c, [a, b]) =>
    make({
      n: coalesce([
        a!.slots.n !== undefined && b!.slots.n !== undefined ? c.d.finite(`(${a!.slots.n} - ${b!.slots.n})`) : undefined,
        a!.slots.t !== undefined && b!.slots.t !== undefined ? `((${a!.slots.t} - ${b!.slots.t}) / 1000)` : undefined,
      ]),
      t: shift(c, a!.slots.t, b!.slots.n, '-'),
    }),
  '*': (c, [a, b]) => arith(c, a!, b!, '*'),
  '/': (c, [a, b]) => arith(c, a!, b!, '/'),
  '%': (c, [a, b]) => arith(c, a!, b!, '%'),
  '==': (c, [a, b]) => b1(c.eq(a!, b!)),
  '!=': (c, [a, b]) => {
    const e = c.eq(a!, b!);
    return b1(e === 'TRUE' ? 'FALSE' : e === 'FALSE' ? 'TRUE' : `NOT ${atom(e)}`);
  },
  '<': (c, [a, b]) => c.order(a!, b!, '<'),
  '<=': (c, [a, b]) => c.order(a!, b!, '<='),
  '>': (c, [a, b]) => c.order(a!, b!, '>'),
  '>=': (c, [a, b]) => c.order(a!, b!, '>='),
  in: (c, [a, b]) => {
    if (b!.elems) return b1(or(b!.elems.map((e) => c.eq(a!, e))));
    const parts: string[] = [];
    if (a!.slots.s !== undefined && b!.slots.s !== undefined) parts.push(c.d.contains(b!.slots.s, a!.slots.s));
    const l = b!.slots.l;
    const onlyString = a!.slots.s !== undefined && Object.keys(a!.slots).length === 1 && !a!.elems && !a!.fields;
    const strings = b!.strings;
    if (l !== undefined && onlyString && strings !== undefined && c.d.listContains) {
      // NULL exactly where the list is missing once `s` is never NULL; else spelled out.
      const has = c.d.listContains(strings, a!.slots.s!, l);
      parts.push(a!.total ? has : when(`${l} IS NOT NULL`, `coalesce(${has}, FALSE)`));
    } else if (l !== undefined && onlyString) {
      parts.push(when(`${l} IS NOT NULL`, `coalesce(${c.d.listHasString(l, a!.slots.s!)}, FALSE)`));
    } else if (l !== undefined) {
      const name = c.fresh();
      parts.push(c.d.listAny(l, name, c.eq(a!, c.json(name))));
    }
    return make({ b: coalesce(parts) });
  },
  and: (_c, [a, b]) => b1(and([truthy(a!), truthy(b!)])),
  or: (_c, [a, b]) => b1(or([truthy(a!), truthy(b!)])),
  not: (c, [a]) => {
    const b = a!.slots.b;
    if (b !== undefined && a!.total && Object.keys(a!.slots).length === 1) return b1(b === 'TRUE' ? 'FALSE' : b === 'FALSE' ? 'TRUE' : `NOT ${atom(b)}`);
    // Only boolean (and null) slots: anything but a boolean is undefined or null, so TRUE.
    if (b !== undefined && Object.keys(a!.slots).every((k) => k === 'b' || k === 'z') && !a!.elems && !a!.fields) return b1(`coalesce(NOT ${atom(b)}, TRUE)`);
    const nullish = c.nullish(a!);
    return make({ b: coalesce([b === undefined ? undefined : `NOT ${atom(b)}`, when(nullish, 'TRUE')]) }, nullish === 'TRUE');
  },
  neg: (_c, [a]) => (a!.slots.n === undefined ? UNDEFINED : make({ n: `(- ${a!.slots.n})` }, a!.total && Object.keys(a!.slots).length === 1)),
  defined: (c, [a]) => {
    const n = c.nullish(a!);
    return b1(n === 'TRUE' ? 'FALSE' : n === 'FALSE' ? 'TRUE' : `NOT ${atom(n)}`);
  },
  boolean: (c, [a]) => {
    const v = a!;
    if (v.elems) return b1(v.elems.length > 0 ? 'TRUE' : 'FALSE');
    if (v.fields) return b1('TRUE');
    const { s, n, b, t, l, o } = v.slots;
    const x = coalesce([
      b,
      s === undefined ? undefined : `(${s} <> '' AND ${s} <> 'false')`,
      n === undefined ? undefined : `(${n} <> 0)`,
      t === undefined ? undefined : when(`${t} IS NOT NULL`, 'TRUE'),
      l === undefined ? undefined : `(${c.d.jsonLength(l)} > 0)`,
      o === undefined ? undefined : `(${c.d.jsonObjectSize(o)} > 0)`,
      'FALSE',
    ])!;
    return b1(x);
  },
  number: (c, [a]) => {
    const { s, n, b, t } = a!.slots;
    return make({
      n: coalesce([
        n,
        s === undefined ? undefined : c.d.parseNumber(s),
        b === undefined ? undefined : `CAST(${b} AS DOUBLE)`,
        t === undefined ? undefined : `(${t} / 1000)`,
      ]),
    });
  },
  string: (c, [a, d0]) => {
    const s = c.toString(a!);
    if (d0 === undefined) return make({ s });
    if (s === undefined) return d0;
    const d = c.plain(d0);
    const missing = `${s} IS NULL`;
    const slots: Partial<Record<Slot, string>> = { s: coalesce([s, d.slots.s]) };
    for (const k of ['n', 'b', 't', 'z', 'l', 'o'] as const) if (d.slots[k] !== undefined) slots[k] = when(missing, d.slots[k]!);
    return make(slots, d.total);
  },
  datetime: (c, [a]) => {
    const { s, n, t } = a!.slots;
    return make({
      t: coalesce([t, s === undefined ? undefined : c.d.parseDatetime(s), n === undefined ? undefined : c.d.checkMs(c.d.secondsToMs(n))]),
    });
  },
  list: (_c, [a]) => (a!.elems ? a! : make({ l: a!.slots.l })),
  floor: (_c, [a]) => make({ n: a!.slots.n === undefined ? undefined : `floor(${a!.slots.n})` }),
  ceil: (_c, [a]) => make({ n: a!.slots.n === undefined ? undefined : `ceil(${a!.slots.n})` }),
  round: (c, [a]) => make({ n: a!.slots.n === undefined ? undefined : c.d.roundHalfAway(a!.slots.n) }),
  lower: (c, [a]) => make({ s: a!.slots.s === undefined ? undefined : c.d.lower(a!.slots.s) }),
  upper: (c, [a]) => make({ s: a!.slots.s === undefined ? undefined : c.d.upper(a!.slots.s) }),
  len: (c, [a]) => {
    if (a!.elems) return c.constant(a!.elems.length);
    const { s, l } = a!.slots;
    return make({
      n: coalesce([
        s === undefined ? undefined : `CAST(${c.d.length(s)} AS DOUBLE)`,
        l === undefined ? undefined : `CAST(${c.d.jsonLength(l)} AS DOUBLE)`,
      ]),
    });
  },
  has_prefix: (c, [a, b]) => make({ b: a!.slots.s !== undefined && b!.slots.s !== undefined ? c.d.startsWith(a!.slots.s, b!.slots.s) : undefined }),
  has_suffix: (c, [a, b]) => make({ b: a!.slots.s !== undefined && b!.slots.s !== undefined ? c.d.endsWith(a!.slots.s, b!.slots.s) : undefined }),
  now: (c) => one('t', c.w.param(c.opts.now, 'number'), true),
} as const satisfies Record<Exclude<PlainOp, '[]'>, OpRule>;

/** Handled by the compiler itself; listed so `Op` stays exhaustive across both tables. */
export const STRUCTURAL = { '[]': 'index', any: 'scope', all: 'scope' } as const satisfies Record<'[]' | ScopeOp, string>;

export { hasSql };
