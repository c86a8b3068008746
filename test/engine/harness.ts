// Shared by the engine tests: load events into a real :memory: DuckDB store (helper C's), compile
// expressions to typed SQL columns, read them back as typed values (spec section 7), and build the
// evaluator's view of the same events.
import type { EventRecord, Expr, TypedValue } from '../../src/expr/ast.ts';
import { formatIso } from '../../src/expr/value.ts';
import { openDuckDbStore, type DuckDbStore } from '../../src/server/store/duckdb.ts';
import type { StoredEvent } from '../../src/server/store/types.ts';
import { duckdbDialect } from '../../src/server/sql/duckdb.ts';
import { typedShape, type TypedShape } from '../../src/server/sql/expression.ts';
import { SqlWriter } from '../../src/server/sql/writer.ts';
import { ExprCompiler } from '../../src/server/sql/compile.ts';

export async function memoryStore(): Promise<DuckDbStore> {
  return openDuckDbStore({ path: ':memory:', threads: 1 });
}

/** The evaluator's record of a stored event: time and distinct_id are properties (spec section 1). */
export function toRecord(e: StoredEvent): EventRecord {
  return { event: e.event, properties: { ...e.properties, time: e.time / 1000, distinct_id: e.distinct_id } };
}

/** A stored event whose properties carry time/distinct_id like a Mixpanel event does. */
export function stored(event: string, timeMs: number, distinctId: string, insertId: string, props: Record<string, unknown>): StoredEvent {
  return { event, time: timeMs, distinct_id: distinctId, insert_id: insertId, properties: { ...props, time: timeMs / 1000, distinct_id: distinctId } };
}

type Prepared = { shape: TypedShape; first: number; count: number };

function flatten(shape: TypedShape, out: string[]): void {
  // Strings come back prefixed: the driver's UTF-8 decoding drops a leading U+FEFF.
  if (shape.kind === 'slots') for (const c of shape.columns) out.push(c.slot === 's' ? `'k' || ${c.sql}` : c.sql);
  else if (shape.kind === 'list') for (const e of shape.elems) flatten(e, out);
}

function rebuild(shape: TypedShape, row: unknown[], at: { i: number }, ev: { name: string; timeMs: number; distinctId: string }): TypedValue {
  if (shape.kind === 'event') return { type: 'object', value: { name: ev.name, time: formatIso(ev.timeMs), distinct_id: ev.distinctId } };
  if (shape.kind === 'list') return { type: 'list', value: shape.elems.map((e) => plain(rebuild(e, row, at, ev))) };
  let found: TypedValue = { type: 'undefined' };
  for (const c of shape.columns) {
    const v = row[at.i++];
    if (v === null || v === undefined) continue;
    if (found.type !== 'undefined') throw new Error(`two slots non-NULL: ${JSON.stringify(found)} and ${c.slot}=${JSON.stringify(v)}`);
    found = slotValue(c.slot, v);
  }
  return found;
}

function slotValue(slot: string, v: unknown): TypedValue {
  switch (slot) {
    case 's':
      return { type: 'string', value: (v as string).slice(1) };
    case 'n': {
      const n = typeof v === 'number' ? v : Number(v);
      return { type: 'number', value: n === 0 ? 0 : n };
    }
    case 'b':
      return { type: 'boolean', value: v as boolean };
    case 't':
      return { type: 'datetime', value: formatIso(Number(v)) };
    case 'z':
      return { type: 'null', value: null };
    case 'l':
      return { type: 'list', value: JSON.parse(v as string) as unknown[] };
    default:
      return { type: 'object', value: JSON.parse(v as string) as Record<string, unknown> };
  }
}

function plain(t: TypedValue): unknown {
  return t.type === 'undefined' ? null : t.value;
}

/**
 * Every expression's typed value on every stored event, in one SELECT per batch.
 * Result: [expression][event in insert_id order].
 */
export async function sqlTypedValues(store: DuckDbStore, exprs: Expr[], now: number, fold = true): Promise<TypedValue[][]> {
  const w = new SqlWriter(duckdbDialect);
  const prepared: Prepared[] = [];
  const cols: string[] = [];
  for (const expr of exprs) {
    const c = new ExprCompiler(w, { catalog: store.catalog(), now, fold });
    const shape = typedShape(c.compile(expr));
    const before = cols.length;
    flatten(shape, cols);
    prepared.push({ shape, first: before, count: cols.length - before });
  }
  const select = [`"event"`, `CAST(epoch_ms("time") AS DOUBLE)`, `"distinct_id"`, ...cols];
  const { sql, params } = w.finish(`SELECT ${select.map((c, i) => `${c} AS c${i}`).join(', ')} FROM "events" ORDER BY "insert_id"`);
  const rows = await store.query<Record<string, unknown>>(sql, params);
  return prepared.map((p) =>
    rows.map((r) => {
      const values = select.map((_c, i) => r[`c${i}`]);
      const ev = { name: values[0] as string, timeMs: Number(values[1]), distinctId: values[2] as string };
      return rebuild(p.shape, values.slice(3 + p.first, 3 + p.first + p.count), { i: 0 }, ev);
    }),
  );
}

