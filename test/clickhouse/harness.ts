// Shared by the ClickHouse tests: a chDB store (real ClickHouse, embedded), and the typed value of
// compiled expressions read back from it, as test/engine/harness.ts does for DuckDB.
import type { Expr, TypedValue } from '../../src/expr/ast.ts';
import { clickhouseDialect, clickhouseSettings } from '../../src/server/sql/clickhouse.ts';
import { chdbAvailable, openChdbStore } from '../../src/server/store/chdb.ts';
import type { ClickHouseStore } from '../../src/server/store/clickhouse.ts';
import { typedValues, type ReadBack } from '../engine/harness.ts';

export const HAVE_CHDB = chdbAvailable();
if (!HAVE_CHDB) console.log('ClickHouse tests SKIPPED: chdb is not installed (run: bash scripts/ensure-chdb.sh)');

export async function chdbStore(): Promise<ClickHouseStore> {
  return openChdbStore();
}

const CLICKHOUSE_READ_BACK: ReadBack = {
  dialect: clickhouseDialect,
  timeMs: `toFloat64(toUnixTimestamp64Milli("time"))`,
  suffix: ` ${clickhouseSettings(60_000)}`,
  prefixStrings: false,
  batch: 40,
};

/** Every expression's typed value on every stored event ([expression][event in insert_id order]). */
export function chTypedValues(store: ClickHouseStore, exprs: Expr[], now: number, fold = true): Promise<TypedValue[][]> {
  return typedValues(store, CLICKHOUSE_READ_BACK, exprs, now, fold);
}
