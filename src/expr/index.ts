// The public API of the expression language. Everything outside src/expr imports from here.
import type { Expr } from './ast.ts';
import { parse } from './parse.ts';
import { print } from './print.ts';
import { validateAst } from './validate.ts';
import { check, type Warning } from './check.ts';

export * from './ast.ts';
export { ExprError, positionAt, type ErrorPosition } from './errors.ts';
export { parse, tryParse, type ParseResult } from './parse.ts';
export { print } from './print.ts';
export { validateAst } from './validate.ts';
export { check, foldConstants, literalOf, possibleTypes, type CheckOptions, type CheckResult, type Warning } from './check.ts';
export { evaluate, type EvalContext } from './evaluate.ts';
export { compile, type CompiledExpr } from './compile.ts';
export {
  DateTime,
  MAX_MS,
  MIN_MS,
  castBoolean,
  castDateTime,
  castNumber,
  castString,
  compareValues,
  formatDateTime,
  formatIso,
  formatNumber,
  fromTyped,
  parseIsoDateTime,
  parseNumber,
  secondsToMs,
  toTyped,
  typeOf,
  valuesEqual,
  type TypeName,
  type Value,
} from './value.ts';
export { NumericBuckets, UNDEFINED_SEGMENT, numericBucketsFor, numericValues, segmentKeys } from './segments.ts';

export type Prepared = {
  /** The checked (and by default constant-folded) tree. */
  ast: Expr;
  /** Canonical text of that tree. */
  text: string;
  warnings: Warning[];
};

/**
 * One way in for every expression from outside: text is parsed, anything else is validated as
 * a JSON AST; then checked and folded. Throws ExprError (with line/column for text, a JSON path
 * for trees).
 */
export function prepare(input: string | unknown, opts: { fold?: boolean } = {}): Prepared {
  const fromText = typeof input === 'string';
  const ast = fromText ? parse(input) : validateAst(input);
  const checked = check(ast, { fold: opts.fold, ...(fromText ? { text: input } : {}) });
  return { ast: checked.ast, text: print(checked.ast), warnings: checked.warnings };
}
