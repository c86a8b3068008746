// Binds query parameters to a prepared statement.
//
// Placeholders: positional `$1, $2, ...` with an array (index i binds `$${i + 1}`), or named
// `$name` with an object. JS values map to SQL types like this:
//   string → VARCHAR; boolean → BOOLEAN; null/undefined → NULL;
//   number → INTEGER (32-bit integers), BIGINT (other safe integers), DOUBLE (everything else,
//            so 1e300 or 0.5 never overflow an integer type);
//   bigint → BIGINT; Date → TIMESTAMP (UTC);
//   array of strings / numbers / booleans → VARCHAR[] / DOUBLE[] / BOOLEAN[] (empty → VARCHAR[]).
// Anything else is refused with the parameter's position, never stringified into SQL.

import { BOOLEAN, DOUBLE, DuckDBTimestampValue, LIST, VARCHAR } from '@duckdb/node-api';
import type { DuckDBPreparedStatement } from '@duckdb/node-api';

export type QueryParams = unknown[] | Record<string, unknown>;

export function bindParams(statement: DuckDBPreparedStatement, params: QueryParams): void {
  if (Array.isArray(params)) {
    if (params.length !== statement.parameterCount) {
      throw new RangeError(`the statement has ${statement.parameterCount} parameters but ${params.length} values were given`);
    }
    params.forEach((value, i) => bindOne(statement, i + 1, value, `$${i + 1}`));
    return;
  }
  for (const [name, value] of Object.entries(params)) {
    bindOne(statement, statement.parameterIndex(name), value, `$${name}`);
  }
}

function bindOne(statement: DuckDBPreparedStatement, index: number, value: unknown, where: string): void {
  if (value === null || value === undefined) return statement.bindNull(index);
  switch (typeof value) {
    case 'string':
      return statement.bindVarchar(index, value);
    case 'boolean':
      return statement.bindBoolean(index, value);
    case 'number':
      if (Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647) return statement.bindInteger(index, value);
      if (Number.isSafeInteger(value)) return statement.bindBigInt(index, BigInt(value));
      return statement.bindDouble(index, value);
    case 'bigint':
      return statement.bindBigInt(index, value);
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError(`parameter ${where}: invalid Date`);
        return statement.bindTimestamp(index, new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n));
      }
      if (Array.isArray(value)) return bindList(statement, index, value, where);
      break;
  }
  throw new TypeError(`parameter ${where}: cannot bind a value of type ${describe(value)}`);
}

function bindList(statement: DuckDBPreparedStatement, index: number, items: unknown[], where: string): void {
  const kinds = new Set(items.map((item) => typeof item));
  if (kinds.size > 1) throw new TypeError(`parameter ${where}: a list parameter must hold one type, got ${[...kinds].join(', ')}`);
  const kind = kinds.values().next().value ?? 'string';
  if (kind === 'string') return statement.bindList(index, items as string[], LIST(VARCHAR));
  if (kind === 'number') return statement.bindList(index, items as number[], LIST(DOUBLE));
  if (kind === 'boolean') return statement.bindList(index, items as boolean[], LIST(BOOLEAN));
  throw new TypeError(`parameter ${where}: cannot bind a list of ${kind}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
