// Shared by the engine tests: load events into a real :memory: DuckDB store (helper C's), compile
// expressions to typed SQL columns, read them back as typed values (spec section 7), and build the
// evaluator's view of the same events.
import type { EventRecord, Expr, TypedValue } from '../../src/expr/ast.ts';
import { formatIso } from '../../src/expr/value.ts';
import { openDuckDbStore, type DuckDbStore } from '../../src/server/store/duckdb.ts';
import type { Store, StoredEvent } from '../../src/server/store/types.ts';
import type { Dialect } from '../../src/server/sql/dialect.ts';
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

/** How one engine's answers are read back: what differs between the DuckDB and ClickHouse drivers. */
export type ReadBack = {
  dialect: Dialect;
  /** Epoch ms of the `time` column, as a DOUBLE. */
  timeMs: string;
  /** Appended to the SELECT (ClickHouse settings). */
  suffix: string;
  /** String slots come back prefixed with `k` (DuckDB's driver drops a leading U+FEFF otherwise). */
  prefixStrings: boolean;
  /** Expressions per SELECT (ClickHouse plans a very wide SELECT slowly). */
  batch: number;
};

export const DUCKDB_READ_BACK: ReadBack = { dialect: duckdbDialect, timeMs: `CAST(epoch_ms("time") AS DOUBLE)`, suffix: '', prefixStrings: true, batch: Infinity };

function flatten(shape: TypedShape, out: { sql: string; slot: string }[]): void {
  if (shape.kind === 'slots') for (const c of shape.columns) out.push({ sql: c.sql, slot: c.slot });
  else if (shape.kind === 'list') for (const e of shape.elems) flatten(e, out);
}

function rebuild(shape: TypedShape, row: unknown[], at: { i: number }, ev: { name: string; timeMs: number; distinctId: string }, prefixed: boolean): TypedValue {
  if (shape.kind === 'event') return { type: 'object', value: { name: ev.name, time: formatIso(ev.timeMs), distinct_id: ev.distinctId } };
  if (shape.kind === 'list') return { type: 'list', value: shape.elems.map((e) => plain(rebuild(e, row, at, ev, prefixed))) };
  let found: TypedValue = { type: 'undefined' };
  for (const c of shape.columns) {
    const v = row[at.i++];
    if (v === null || v === undefined) continue;
    if (found.type !== 'undefined') throw new Error(`two slots non-NULL: ${JSON.stringify(found)} and ${c.slot}=${JSON.stringify(v)}`);
    found = slotValue(c.slot, v, prefixed);
  }
  return found;
}

function slotValue(slot: string, v: unknown, prefixed: boolean): TypedValue {
  switch (slot) {
    case 's':
      return { type: 'string', value: prefixed ? (v as string).slice(1) : (v as string) };
    case 'n': {
      const n = typeof v === 'number' ? v : Number(v);
      return { type: 'number', value: n === 0 ? 0 : n };
    }
    case 'b':
      // ClickHouse's driver may answer a Bool as 1 or '1'.
      return { type: 'boolean', value: v === true || v === 1 || v === '1' };
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
export async function typedValues(store: Store, how: ReadBack, exprs: Expr[], now: number, fold = true): Promise<TypedValue[][]> {
  const out: TypedValue[][] = [];
  for (let i = 0; i < exprs.length; i += how.batch) out.push(...(await split(store, how, exprs.slice(i, i + how.batch), now, fold)));
  return out;
}

/** One SELECT, or halves of it when the engine finds the statement too long (ClickHouse max_query_size). */
async function split(store: Store, how: ReadBack, exprs: Expr[], now: number, fold: boolean): Promise<TypedValue[][]> {
  try {
    return await oneSelect(store, how, exprs, now, fold);
  } catch (error) {
    if (exprs.length < 2 || !/max query size exceeded/i.test(String(error))) throw error;
    const half = Math.ceil(exprs.length / 2);
    return [...(await split(store, how, exprs.slice(0, half), now, fold)), ...(await split(store, how, exprs.slice(half), now, fold))];
  }
}

async function oneSelect(store: Store, how: ReadBack, exprs: Expr[], now: number, fold: boolean): Promise<TypedValue[][]> {
  const w = new SqlWriter(how.dialect);
  const prepared: Prepared[] = [];
  const cols: { sql: string; slot: string }[] = [];
  for (const expr of exprs) {
    const c = new ExprCompiler(w, { catalog: store.catalog(), now, fold });
    const shape = typedShape(c.compile(expr));
    const before = cols.length;
    flatten(shape, cols);
    prepared.push({ shape, first: before, count: cols.length - before });
  }
  const select = [`"event"`, how.timeMs, `"distinct_id"`, ...cols.map((c) => (c.slot === 's' && how.prefixStrings ? `'k' || ${c.sql}` : c.sql))];
  const { sql, params } = w.finish(`SELECT ${select.map((c, i) => `${c} AS c${i}`).join(', ')} FROM "events" ORDER BY "insert_id"${how.suffix}`);
  const rows = await store.query<Record<string, unknown>>(sql, params);
  return prepared.map((p) =>
    rows.map((r) => {
      const values = select.map((_c, i) => r[`c${i}`]);
      const ev = { name: values[0] as string, timeMs: Number(values[1]), distinctId: values[2] as string };
      return rebuild(p.shape, values.slice(3 + p.first, 3 + p.first + p.count), { i: 0 }, ev, how.prefixStrings);
    }),
  );
}

/** typedValues on a DuckDB store. */
export function sqlTypedValues(store: DuckDbStore, exprs: Expr[], now: number, fold = true): Promise<TypedValue[][]> {
  return typedValues(store, DUCKDB_READ_BACK, exprs, now, fold);
}
