// Identity aliases: `$create_alias` says `alias` is the same person as `distinct_id`. Every event is
// resolved through an in-memory Map (a lookup or two per event) so unique-user counts count a person
// once. The table is the durable copy, loaded at start.
import type { Store } from '../store/types.ts';
import { loadAliases, saveAliases } from './side-tables.ts';

/** Longest alias chain followed; chains only form when an id that has aliases is itself aliased. */
const MAX_CHAIN = 16;

export class AliasIndex {
  private readonly known = new Map<string, string>();
  /** Aliases learnt in the batch being written, dropped if that batch fails. */
  private staged = new Map<string, string>();

  static async load(store: Store): Promise<AliasIndex> {
    const index = new AliasIndex();
    for (const row of await loadAliases(store)) index.known.set(row.alias, row.distinct_id);
    return index;
  }

  get size(): number {
    return this.known.size;
  }

  private next(id: string): string | undefined {
    return this.staged.size > 0 ? (this.staged.get(id) ?? this.known.get(id)) : this.known.get(id);
  }

  /** The canonical id of `id` (itself when it is no alias). */
  resolve(id: string): string {
    let current = id;
    for (let i = 0; i < MAX_CHAIN; i++) {
      const target = this.next(current);
      if (target === undefined) return current;
      current = target;
    }
    return current;
  }

  /** Stage `alias` → canonical(distinctId). The first mapping of an alias wins; cycles are ignored. */
  learn(alias: string, distinctId: string): boolean {
    if (alias === '' || this.next(alias) !== undefined) return false;
    const canonical = this.resolve(distinctId);
    if (canonical === alias) return false;
    this.staged.set(alias, canonical);
    return true;
  }

  /** Persist the staged aliases; only then do they join the known map. */
  async commitStaged(store: Store, nowMs: number): Promise<void> {
    if (this.staged.size === 0) return;
    const rows = [...this.staged].map(([alias, distinct_id]) => ({ alias, distinct_id }));
    try {
      await saveAliases(store, rows, nowMs);
      for (const r of rows) this.known.set(r.alias, r.distinct_id);
    } finally {
      this.staged = new Map();
    }
  }

  discardStaged(): void {
    this.staged = new Map();
  }
}
