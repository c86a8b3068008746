// The filter rows as the builder holds them, including rows still being filled in (which produce
// no AST yet). Internal to the query builder; ReportQuery.where is derived from it, and it is
// re-derived from ReportQuery.where whenever another editor (the text mode, the URL) changes it.
import { TypedModel } from '../../core/typed-model.ts';
import type { Expr } from '../../../expr/ast.ts';
import { astToFilters, filtersToAst, OPERATORS } from '../../../report/filters.ts';
import type { FilterRow, FilterType, Match, TypeLookup } from '../../../report/filters.ts';

export type DraftRow = FilterRow & { id: number };

export type FilterDraftAttrs = {
  match: Match;
  rows: DraftRow[];
  /** Why the rows cannot show the current `where` (null when they can). */
  unsupported: string | null;
};

let nextRowId = 0;
export const newRowId = (): number => ++nextRowId;

export function sameAst(a: Expr | null, b: Expr | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class FilterDraft extends TypedModel<FilterDraftAttrs> {
  override defaults(): FilterDraftAttrs {
    return { match: 'all', rows: [], unsupported: null };
  }

  toAst(): Expr | null {
    return filtersToAst({ match: this.get('match'), rows: this.get('rows') });
  }

  /** Show `where` as rows, unless the rows already say exactly that (keeps half-filled rows). */
  syncFrom(where: Expr | null, types: TypeLookup): void {
    if (this.get('unsupported') === null && sameAst(this.toAst(), where)) return;
    const d = astToFilters(where, types);
    if (d.ok) this.set({ match: d.filters.match, rows: d.filters.rows.map((r) => ({ ...r, id: newRowId() })), unsupported: null });
    else this.set({ rows: [], unsupported: d.reason });
  }

  updateRow(id: number, patch: Partial<FilterRow>): void {
    this.set({ rows: this.get('rows').map((r) => (r.id === id ? { ...r, ...patch } : r)) });
  }

  addRow(): void {
    this.set({ rows: [...this.get('rows'), { id: newRowId(), property: '', type: 'string', operator: 'equals' }] });
  }

  removeRow(id: number): void {
    this.set({ rows: this.get('rows').filter((r) => r.id !== id) });
  }
}

/** A row switched to another property type keeps its operator when that type has it. */
export function operatorFor(type: FilterType, current: FilterRow['operator']): FilterRow['operator'] {
  return OPERATORS[type].some((o) => o.op === current) ? current : OPERATORS[type][0].op;
}
