// The import's writing side: what IngestWriter.commit does for a batch of events (copies of one
// $insert_id stored once, aliases learnt in arrival order and persisted before the events, each
// event stored under its person's canonical id), for batches already taken apart by the import
// worker. Rows whose identity is rewritten (rare: an alias seen before) are put back together and
// inserted whole after the batch; the DuckDB store takes the rest as they are.
import type { EventColumns } from '../store/chunk-writer.ts';
import { batchString, batchStringStarts } from '../store/chunk-writer.ts';
import type { InsertColumnsOptions } from '../store/duckdb.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import { AliasIndex } from './aliases.ts';
import { scalarAt, storedEventAt } from './event-columns.ts';
import { ensureSideTables } from './side-tables.ts';

type ColumnStore = Store & {
  insertColumns(batch: EventColumns, rows: ArrayLike<number>, options?: InsertColumnsOptions): Promise<{ inserted: number; duplicates: number }>;
};
const DOLLAR = 0x24;

function takesColumns(store: Store): store is ColumnStore {
  return typeof (store as Partial<ColumnStore>).insertColumns === 'function';
}

export class ColumnCommitter {
  readonly stats = { batches: 0, inserted: 0, duplicates: 0, aliases: 0 };

  private constructor(private readonly store: Store, private readonly aliases: AliasIndex) {}

  static async open(store: Store): Promise<ColumnCommitter> {
    await ensureSideTables(store);
    return new ColumnCommitter(store, await AliasIndex.load(store));
  }

  async commit(batch: EventColumns): Promise<void> {
    const seen = new Set<string>();
    const rows: number[] = [];
    const ids: string[] = [];
    const whole: StoredEvent[] = [];
    let duplicates = 0;
    let learnt = 0;
    try {
      for (let row = 0; row < batch.rows; row++) {
        const s = batch.rowStrings[row]!;
        const insertId = batchString(batch, s + 2);
        // Several copies of one event in the same batch are stored once.
        if (seen.has(insertId)) {
          duplicates++;
          continue;
        }
        seen.add(insertId);
        // As IngestWriter.resolveIdentity: `$create_alias` and `$identify` say two ids are one
        // person. Names and ids are only decoded when they can matter (no alias known: none).
        const name = batchStringStarts(batch, s, DOLLAR) ? batchString(batch, s) : '';
        const other = name === '$create_alias' ? scalarAt(batch, row, 'alias') : name === '$identify' ? scalarAt(batch, row, '$anon_distinct_id') : undefined;
        let distinctId: string | null = null;
        if (other !== undefined) {
          distinctId = batchString(batch, s + 1);
          if (distinctId !== '' && this.aliases.learn(String(other), distinctId)) learnt++;
        }
        if (this.aliases.size === 0 && learnt === 0) {
          rows.push(row);
          ids.push(insertId);
          continue;
        }
        distinctId ??= batchString(batch, s + 1);
        const canonical = this.aliases.resolve(distinctId);
        if (canonical === distinctId) {
          rows.push(row);
          ids.push(insertId);
          continue;
        }
        const ev = storedEventAt(batch, row);
        ev.properties.$distinct_id_before_identity = distinctId;
        ev.properties.distinct_id = canonical;
        ev.distinct_id = canonical;
        whole.push(ev);
      }
      if (learnt > 0) await this.aliases.commitStaged(this.store, Date.now());
    } finally {
      this.aliases.discardStaged();
    }
    let inserted = 0;
    if (rows.length > 0) {
      const r = takesColumns(this.store)
        ? await this.store.insertColumns(batch, rows, { insertIds: ids, uniqueInsertIds: true })
        : await this.store.insertEvents(rows.map((row) => storedEventAt(batch, row)));
      inserted += r.inserted;
      duplicates += r.duplicates;
    }
    if (whole.length > 0) {
      const r = await this.store.insertEvents(whole);
      inserted += r.inserted;
      duplicates += r.duplicates;
    }
    this.stats.batches++;
    this.stats.inserted += inserted;
    this.stats.duplicates += duplicates;
    this.stats.aliases += learnt;
  }
}
