// Entry points for compiling one expression: as a `where` predicate, or as typed columns (the form
// the differential tests read back and compare with the reference evaluator's typed values).
import type { Expr } from '../../expr/ast.ts';
import type { Catalog } from '../store/types.ts';
import { ExprCompiler, truthy } from './compile.ts';
import type { Dialect } from './dialect.ts';
import { SLOTS, type TV } from './typed.ts';
import { SqlWriter, type Compiled } from './writer.ts';

export type ExprOptions = { catalog: Catalog; now: number; fold?: boolean };

/** `where`: a SQL boolean that is TRUE exactly when the value is the boolean true. */
export function compileWhere(expr: Expr, dialect: Dialect, opts: ExprOptions): Compiled {
  const w = new SqlWriter(dialect);
  const c = new ExprCompiler(w, opts);
  return w.finish(truthy(c.compile(expr)));
}

/** A column of the typed form: `path` locates it inside list literals (element indexes). */
export type TypedColumn = { path: number[]; slot: (typeof SLOTS)[number]; sql: string };
/** How to rebuild the value: a list literal's element shapes, or slots. */
export type TypedShape = { kind: 'slots'; columns: TypedColumn[] } | { kind: 'list'; elems: TypedShape[] } | { kind: 'event' };

export function typedShape(v: TV, path: number[] = []): TypedShape {
  if (v.elems) return { kind: 'list', elems: v.elems.map((e, i) => typedShape(e, [...path, i])) };
  if (v.fields) return { kind: 'event' };
  return { kind: 'slots', columns: SLOTS.filter((s) => v.slots[s] !== undefined).map((slot) => ({ path, slot, sql: v.slots[slot]! })) };
}

export function compileTyped(expr: Expr, dialect: Dialect, opts: ExprOptions): { tv: TV; shape: TypedShape; writer: SqlWriter } {
  const w = new SqlWriter(dialect);
  const c = new ExprCompiler(w, opts);
  const tv = c.compile(expr);
  return { tv, shape: typedShape(tv), writer: w };
}
