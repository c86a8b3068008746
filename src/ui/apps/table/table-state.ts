// The table's own view state: how it is sorted and how many rows are rendered. Local to the table
// app (nothing else needs it), but still a model, so header clicks and "Show more" write a model
// and the view renders from it like everywhere else.
import { TypedModel } from '../../core/typed-model.ts';
import { DEFAULT_SORT } from './rows.ts';
import type { Sort } from './rows.ts';

/** Rows rendered at first and added per "Show more": keeps the DOM small for 10,000 segments. */
export const PAGE_ROWS = 200;

export type TableStateAttrs = { sort: Sort; shownRows: number };

export class TableState extends TypedModel<TableStateAttrs> {
  override defaults(): TableStateAttrs {
    return { sort: DEFAULT_SORT, shownRows: PAGE_ROWS };
  }
}
