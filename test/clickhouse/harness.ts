// Shared by the ClickHouse tests: a chDB store (real ClickHouse, embedded), and the typed value of
// compiled expressions read back from it, as test/engine/harness.ts does for DuckDB.
import type { Expr, TypedValue } from '../../src/expr/ast.ts';
import { formatIso } from '../../src/expr/value.ts';
import { clickhouseDialect, clickhouseSettings } from '../../src/server/sql/clickhouse.ts';
import { ExprCompiler } from '../../src/server/sql/compile.ts';
import { typedShape, type TypedShape } from '../../src/server/sql/expression.ts';
import { SqlWriter } from '../../src/server/sql/writer.ts';
import { chdbAvailable, openChdbStore } from '../../src/server/store/chdb.ts';
import type { ClickHouseStore } from '../../src/server/store/clickhouse.ts';

export const HAVE_CHDB = chdbAvailable();
if (!HAVE_CHDB) console.log('ClickHouse tests SKIPPED: chdb is not installed (run: bash scripts/ensure-chdb.sh)');

export async function chdbStore(): Promise<ClickHouseStore> {
  return openChdbStore();
}

type Prepared = { shape: TypedShape; first: number; count: number };

function flatten(shape: TypedShape, out: { sql: string; slot: string }[]): void {
  if (shape.kind === 'slots') for (const c of shape.columns) out.push({ sql: c.sql, slot: c.slot });
  else if (shape.kind === 'list') for (const e of shape.elems) flatten(e, out);
}

function slotValue(slot: string, v: unknown): TypedValue {
  switch (slot) {
    case 's':
      return { type: 'string', value: v as string };
    case 'n': {
      const n = Number(v);
      return { type: 'number', value: n === 0 ? 0 : n };
    }
    case 'b':
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

function plain(t: TypedValue): unknown {
  return t.type === 'undefined' ? null : t.value;
}

/** Every expression's typed value on every stored event ([expression][event in insert_id order]). */
export async function chTypedValues(store: ClickHouseStore, exprs: Expr[], now: number, fold = true, batch = 40): Promise<TypedValue[][]> {
  const out: TypedValue[][] = [];
  for (let i = 0; i < exprs.length; i += batch) out.push(...(await oneSelect(store, exprs.slice(i, i + batch), now, fold)));
  return out;
}

async function oneSelect(store: ClickHouseStore, exprs: Expr[], now: number, fold: boolean): Promise<TypedValue[][]> {
  const w = new SqlWriter(clickhouseDialect);
  const prepared: Prepared[] = [];
  const cols: { sql: string; slot: string }[] = [];
  for (const expr of exprs) {
    const c = new ExprCompiler(w, { catalog: store.catalog(), now, fold });
    const shape = typedShape(c.compile(expr));
    const before = cols.length;
    flatten(shape, cols);
    prepared.push({ shape, first: before, count: cols.length - before });
  }
  const select = [`"event"`, `toFloat64(toUnixTimestamp64Milli("time"))`, `"distinct_id"`, ...cols.map((c) => c.sql)];
  const { sql, params } = w.finish(`SELECT ${select.map((c, i) => `${c} AS c${i}`).join(', ')} FROM "events" ORDER BY "insert_id" ${clickhouseSettings(60_000)}`);
  const rows = await store.query<Record<string, unknown>>(sql, params);
  return prepared.map((p) =>
    rows.map((r) => {
      const values = select.map((_c, i) => r[`c${i}`]);
      const ev = { name: values[0] as string, timeMs: Number(values[1]), distinctId: values[2] as string };
      return rebuild(p.shape, values.slice(3 + p.first, 3 + p.first + p.count), { i: 0 }, ev);
    }),
  );
}
