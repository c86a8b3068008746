// Filter rows (what the visual builder shows: "country equals US") to and from the `where` AST.
// Pure: the builder, its text mode and the tests share it. The builder never produces text; these
// trees are what reaches the API.
//
// Encoding, one row (p = properties["name"]):
//   string   equals p == v · not equals p != v · contains v in p · does not contain not (v in p)
//            starts with has_prefix(p, v) · is set defined(p) · is not set not defined(p)
//   number   = ≠ > ≥ < ≤ as the operator · between p >= a and p <= b
//   boolean  is true p == true · is false p == false
//   datetime before p < datetime(d) · after p >= datetime(d) + 86400 (from the next day on)
//            between p >= datetime(a) and p < datetime(b) + 86400 (both days included)
//            in the last N days p >= now() - N*86400
//   list     any item equals any(X, p, X == v) · any item contains any(X, p, v in X)
//            no item equals not any(X, p, X == v) · all items equal all(X, p, X == v)
// is set / is not set are offered for every type.
// Rows join left to right with `and` (Match all) or `or` (Match any): ((r1 and r2) and r3).
import type { Expr, LitValue } from '../expr/ast.ts';

export const FILTER_TYPES = ['string', 'number', 'boolean', 'datetime', 'list'] as const;
export type FilterType = (typeof FILTER_TYPES)[number];

export type FilterOperator =
  | 'equals' | 'not_equals' | 'contains' | 'not_contains' | 'starts_with' | 'is_set' | 'is_not_set'
  | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'between'
  | 'is_true' | 'is_false'
  | 'before' | 'after' | 'date_between' | 'last_days'
  | 'any_equals' | 'any_contains' | 'none_equals' | 'all_equal';

export type FilterRow = {
  property: string;
  type: FilterType;
  operator: FilterOperator;
  /** The operand: string for string/list/datetime (YYYY-MM-DD), number for number and last_days. */
  value?: string | number;
  /** The upper bound of between / date_between. */
  value2?: string | number;
};

export type Match = 'all' | 'any';
export type Filters = { match: Match; rows: FilterRow[] };

/** Labels shown in the Operator picker, by type, in menu order. */
export const OPERATORS: Record<FilterType, { op: FilterOperator; label: string }[]> = {
  string: [
    { op: 'equals', label: 'equals' }, { op: 'not_equals', label: 'not equals' },
    { op: 'contains', label: 'contains' }, { op: 'not_contains', label: 'does not contain' },
    { op: 'starts_with', label: 'starts with' }, { op: 'is_set', label: 'is set' },
    { op: 'is_not_set', label: 'is not set' },
  ],
  number: [
    { op: 'eq', label: '=' }, { op: 'ne', label: '≠' }, { op: 'gt', label: '>' }, { op: 'ge', label: '≥' },
    { op: 'lt', label: '<' }, { op: 'le', label: '≤' }, { op: 'between', label: 'between' },
    { op: 'is_set', label: 'is set' }, { op: 'is_not_set', label: 'is not set' },
  ],
  boolean: [
    { op: 'is_true', label: 'is true' }, { op: 'is_false', label: 'is false' },
    { op: 'is_set', label: 'is set' }, { op: 'is_not_set', label: 'is not set' },
  ],
  datetime: [
    { op: 'before', label: 'before' }, { op: 'after', label: 'after' },
    { op: 'date_between', label: 'between' }, { op: 'last_days', label: 'in the last N days' },
    { op: 'is_set', label: 'is set' }, { op: 'is_not_set', label: 'is not set' },
  ],
  list: [
    { op: 'any_equals', label: 'any item equals' }, { op: 'any_contains', label: 'any item contains' },
    { op: 'none_equals', label: 'no item equals' }, { op: 'all_equal', label: 'all items equal' },
    { op: 'is_set', label: 'is set' }, { op: 'is_not_set', label: 'is not set' },
  ],
};

/** How many operands an operator takes (0: none, 1: value, 2: value and value2). */
export function operandCount(op: FilterOperator): 0 | 1 | 2 {
  if (op === 'is_set' || op === 'is_not_set' || op === 'is_true' || op === 'is_false') return 0;
  if (op === 'between' || op === 'date_between') return 2;
  return 1;
}

export function operatorLabel(type: FilterType, op: FilterOperator): string {
  return OPERATORS[type].find((o) => o.op === op)?.label ?? op;
}

const DAY = 86_400;
const LIST_VAR = 'X';
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

const l = (v: LitValue): Expr => ({ lit: v });
const prop = (name: string): Expr => ({ op: '[]', args: [{ root: 'properties' }, { lit: name }] });
const op = (o: string, ...args: Expr[]): Expr => ({ op: o, args } as Expr);
const dt = (d: string): Expr => op('datetime', l(d));

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isText(v: unknown): v is string {
  return typeof v === 'string';
}
function isDate(v: unknown): v is string {
  return typeof v === 'string' && DATE_RE.test(v);
}

/** A row the builder may still be filling in (no property, no value yet) yields no AST. */
export function isComplete(r: FilterRow): boolean {
  if (!r.property) return false;
  if (!OPERATORS[r.type]?.some((o) => o.op === r.operator)) return false;
  switch (r.operator) {
    case 'is_set': case 'is_not_set': case 'is_true': case 'is_false':
      return true;
    case 'eq': case 'ne': case 'gt': case 'ge': case 'lt': case 'le':
      return isNum(r.value);
    case 'between':
      return isNum(r.value) && isNum(r.value2);
    case 'last_days':
      return isNum(r.value) && r.value > 0;
    case 'before': case 'after':
      return isDate(r.value);
    case 'date_between':
      return isDate(r.value) && isDate(r.value2);
    default:
      return isText(r.value);
  }
}

export function rowToAst(r: FilterRow): Expr {
  const p = prop(r.property);
  const v = r.value as string & number;
  const v2 = r.value2 as string & number;
  switch (r.operator) {
    case 'equals': return op('==', p, l(v));
    case 'not_equals': return op('!=', p, l(v));
    case 'contains': return op('in', l(v), p);
    case 'not_contains': return op('not', op('in', l(v), p));
    case 'starts_with': return op('has_prefix', p, l(v));
    case 'is_set': return op('defined', p);
    case 'is_not_set': return op('not', op('defined', p));
    case 'eq': return op('==', p, l(v));
    case 'ne': return op('!=', p, l(v));
    case 'gt': return op('>', p, l(v));
    case 'ge': return op('>=', p, l(v));
    case 'lt': return op('<', p, l(v));
    case 'le': return op('<=', p, l(v));
    case 'between': return op('and', op('>=', p, l(v)), op('<=', p, l(v2)));
    case 'is_true': return op('==', p, l(true));
    case 'is_false': return op('==', p, l(false));
    case 'before': return op('<', p, dt(v));
    case 'after': return op('>=', p, op('+', dt(v), l(DAY)));
    case 'date_between': return op('and', op('>=', p, dt(v)), op('<', p, op('+', dt(v2), l(DAY))));
    case 'last_days': return op('>=', p, op('-', op('now'), l(v * DAY)));
    case 'any_equals': return scope('any', p, op('==', { var: LIST_VAR }, l(v)));
    case 'any_contains': return scope('any', p, op('in', l(v), { var: LIST_VAR }));
    case 'none_equals': return op('not', scope('any', p, op('==', { var: LIST_VAR }, l(v))));
    case 'all_equal': return scope('all', p, op('==', { var: LIST_VAR }, l(v)));
  }
}

function scope(kind: 'any' | 'all', list: Expr, pred: Expr): Expr {
  return { op: kind, var: LIST_VAR, args: [list, pred] };
}

/** The `where` AST for a set of rows, or null when no row is complete. */
export function filtersToAst(f: Filters): Expr | null {
  const asts = f.rows.filter(isComplete).map(rowToAst);
  if (asts.length === 0) return null;
  return asts.reduce((acc, e) => op(f.match === 'any' ? 'or' : 'and', acc, e));
}

// ---- decoding ------------------------------------------------------------------------------

/** Property types known from the schema, used for rows whose AST does not say (is set). */
export type TypeLookup = (property: string) => FilterType | undefined;

export type DecodeResult = { ok: true; filters: Filters } | { ok: false; reason: string };

type OpLike = { op: string; args: Expr[]; var?: string };
function asOp(e: Expr, name: string, arity?: number): OpLike | null {
  if (!('op' in e) || e.op !== name) return null;
  const o = e as unknown as OpLike;
  if (arity !== undefined && o.args.length !== arity) return null;
  return o;
}
function propName(e: Expr): string | null {
  const o = asOp(e, '[]', 2);
  if (!o) return null;
  const [root, key] = o.args;
  if (!('root' in root) || root.root !== 'properties') return null;
  if (!('lit' in key) || typeof key.lit !== 'string') return null;
  return key.lit;
}
function litOf(e: Expr): LitValue | undefined {
  return 'lit' in e ? e.lit : undefined;
}
function numOf(e: Expr): number | undefined {
  const v = litOf(e);
  return isNum(v) ? v : undefined;
}
function strOf(e: Expr): string | undefined {
  const v = litOf(e);
  return typeof v === 'string' ? v : undefined;
}
function dateOf(e: Expr): string | undefined {
  const o = asOp(e, 'datetime', 1);
  if (!o) return undefined;
  const s = strOf(o.args[0]);
  return s !== undefined && isDate(s) ? s : undefined;
}
/** datetime(d) + 86400 */
function nextDayOf(e: Expr): string | undefined {
  const o = asOp(e, '+', 2);
  if (!o || numOf(o.args[1]) !== DAY) return undefined;
  return dateOf(o.args[0]);
}
function isVar(e: Expr, name: string): boolean {
  return 'var' in e && !('op' in e) && e.var === name;
}

/** One row from a comparison-shaped AST, or null when the builder cannot show it. */
export function astToRow(e: Expr, types: TypeLookup = () => undefined): FilterRow | null {
  if (!('op' in e)) return null;
  const o = e as unknown as OpLike;
  const [a, b] = o.args;
  switch (o.op) {
    case '==': case '!=': {
      const p = propName(a);
      if (p === null) return null;
      const v = litOf(b);
      if (typeof v === 'string') return { property: p, type: 'string', operator: o.op === '==' ? 'equals' : 'not_equals', value: v };
      if (isNum(v)) return { property: p, type: 'number', operator: o.op === '==' ? 'eq' : 'ne', value: v };
      if (typeof v === 'boolean' && o.op === '==') return { property: p, type: 'boolean', operator: v ? 'is_true' : 'is_false' };
      return null;
    }
    case '>': case '>=': case '<': case '<=': {
      const p = propName(a);
      if (p === null) return null;
      const n = numOf(b);
      if (n !== undefined) {
        const map = { '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' } as const;
        return { property: p, type: 'number', operator: map[o.op], value: n };
      }
      if (o.op === '<') {
        const d = dateOf(b);
        if (d !== undefined) return { property: p, type: 'datetime', operator: 'before', value: d };
      }
      if (o.op === '>=') {
        const d = nextDayOf(b);
        if (d !== undefined) return { property: p, type: 'datetime', operator: 'after', value: d };
        const minus = asOp(b, '-', 2);
        if (minus && asOp(minus.args[0], 'now', 0)) {
          const secs = numOf(minus.args[1]);
          if (secs !== undefined && secs > 0 && Number.isInteger(secs / DAY)) {
            return { property: p, type: 'datetime', operator: 'last_days', value: secs / DAY };
          }
        }
      }
      return null;
    }
    case 'in': {
      const p = propName(b);
      const v = strOf(a);
      return p !== null && v !== undefined ? { property: p, type: 'string', operator: 'contains', value: v } : null;
    }
    case 'has_prefix': {
      const p = propName(a);
      const v = strOf(b);
      return p !== null && v !== undefined ? { property: p, type: 'string', operator: 'starts_with', value: v } : null;
    }
    case 'defined': {
      const p = propName(a);
      return p !== null ? { property: p, type: types(p) ?? 'string', operator: 'is_set' } : null;
    }
    case 'not': {
      const inner = astToRow(a, types);
      if (!inner) return null;
      if (inner.operator === 'contains') return { ...inner, operator: 'not_contains' };
      if (inner.operator === 'is_set') return { ...inner, operator: 'is_not_set' };
      if (inner.operator === 'any_equals') return { ...inner, operator: 'none_equals' };
      return null;
    }
    case 'and': {
      // p >= datetime(a) and p < datetime(b) + 86400
      const ge = asOp(a, '>=', 2);
      const lt = asOp(b, '<', 2);
      if (ge && lt) {
        const p = propName(ge.args[0]);
        const from = dateOf(ge.args[1]);
        const to = nextDayOf(lt.args[1]);
        if (p !== null && p === propName(lt.args[0]) && from !== undefined && to !== undefined) {
          return { property: p, type: 'datetime', operator: 'date_between', value: from, value2: to };
        }
      }
      const lo = astToRow(a, types);
      const hi = astToRow(b, types);
      if (lo && hi && lo.property === hi.property && lo.operator === 'ge' && hi.operator === 'le') {
        return { property: lo.property, type: 'number', operator: 'between', value: lo.value, value2: hi.value };
      }
      return null;
    }
    case 'any': case 'all': {
      const p = propName(a);
      const x = o.var;
      if (p === null || x === undefined) return null;
      const eq = asOp(b, '==', 2);
      if (eq && isVar(eq.args[0], x)) {
        const v = strOf(eq.args[1]);
        if (v !== undefined) return { property: p, type: 'list', operator: o.op === 'any' ? 'any_equals' : 'all_equal', value: v };
      }
      const inn = asOp(b, 'in', 2);
      if (o.op === 'any' && inn && isVar(inn.args[1], x)) {
        const v = strOf(inn.args[0]);
        if (v !== undefined) return { property: p, type: 'list', operator: 'any_contains', value: v };
      }
      return null;
    }
  }
  return null;
}

/** Rows of a left-nested chain ((r1 j r2) j r3); a row may itself be an `and` (between). */
// A leading `p >= a and p <= b` reads as one between row rather than two rows (same meaning).
function chain(e: Expr, joiner: 'and' | 'or', types: TypeLookup): FilterRow[] | null {
  const row = astToRow(e, types);
  if (row) return [row];
  const j = asOp(e, joiner, 2);
  if (j) {
    const last = astToRow(j.args[1], types);
    if (last) {
      const head = chain(j.args[0], joiner, types);
      if (head) return [...head, last];
    }
  }
  // Text written with other grouping, e.g. `a and (b and c)`: flatten the joiner fully.
  if (j) {
    const left = chain(j.args[0], joiner, types);
    const right = chain(j.args[1], joiner, types);
    if (left && right) return [...left, ...right];
  }
  return null;
}

/**
 * The rows the visual builder shows for a `where` AST, or why it cannot: the builder expresses a
 * flat list of property comparisons joined all by `and` or all by `or`.
 */
export function astToFilters(e: Expr | null, types: TypeLookup = () => undefined): DecodeResult {
  if (e === null) return { ok: true, filters: { match: 'all', rows: [] } };
  const single = astToRow(e, types);
  if (single) return { ok: true, filters: { match: 'all', rows: [single] } };
  if (asOp(e, 'or', 2)) {
    const rows = chain(e, 'or', types);
    if (rows) return { ok: true, filters: { match: 'any', rows } };
  }
  if (asOp(e, 'and', 2)) {
    const rows = chain(e, 'and', types);
    if (rows) return { ok: true, filters: { match: 'all', rows } };
  }
  return {
    ok: false,
    reason: 'This expression uses more than the filter rows can show (mixed and/or, nested expressions or functions). It still applies; edit it as text.',
  };
}

/** Breakdown by one property, or an expression the property picker cannot show. */
export function onToProperty(e: Expr | null): string | null {
  return e === null ? null : propName(e);
}

export function propertyToOn(name: string | null): Expr | null {
  return name ? prop(name) : null;
}
