// Taking validated events apart into the store's flat batch form (EventColumns, chunk-writer.ts)
// in the import worker, and putting rows back together on the other side when they are needed
// whole (identity rewrites, stores without the flat path). The work done here is what the store's
// insert path would otherwise do per event on the writing thread: serialising the properties,
// finding each value's JSON type, serialising lists and objects, encoding strings as UTF-8.
// Everything goes into typed arrays, not JS arrays of strings: measured on 100k events, keeping
// ~1M strings alive in arrays until the batch was sent cost more than parsing the lines (every
// string survived the young generation and was copied twice), and the typed arrays move to the
// writing thread without a copy.
import type { EventColumns } from '../store/chunk-writer.ts';
import { batchString } from '../store/chunk-writer.ts';
import { jsonValue, propertyTypeOf } from '../store/property-type.ts';
import type { PropertyType, StoredEvent } from '../store/types.ts';

class Growable<T extends Uint32Array | Float64Array> {
  length = 0;
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The values so far, as a view on the buffer (which goes with them); starts over on `next`. */
  take(next: T | undefined): T {
    const taken = this.data.subarray(0, this.length) as T;
    this.data = next && next.length > 0 ? next : this.make(this.data.length);
    this.length = 0;
    return taken;
  }
}

const u32 = (n: number): Growable<Uint32Array> => new Growable(new Uint32Array(n), (m) => new Uint32Array(m));
const f64 = (n: number): Growable<Float64Array> => new Growable(new Float64Array(n), (m) => new Float64Array(m));
const whole = <T extends Uint8Array | Uint32Array | Float64Array>(a: T, make: (b: ArrayBuffer) => T): T => make(a.buffer as ArrayBuffer);

export class EventColumnsBuilder {
  #rows = 0;
  #bytes: Uint8Array = new Uint8Array(1 << 20);
  #used = 0;
  #offsets = u32(1 << 16);
  #time = f64(1 << 12);
  #rowStrings = u32(1 << 12);
  #cellStart = u32(1 << 12);
  #cellKey = u32(1 << 15);
  #cellValue = f64(1 << 15);
  #cellItems = u32(1 << 15);
  #keys: Array<[string, PropertyType]> = [];
  /** type → property → key number. */
  #keyIds = new Map<PropertyType, Map<string, number>>();
  /** Buffers of batches the writer is done with, reused instead of allocating (each batch moves tens of MB). */
  #spare: EventColumns[] = [];
  #encoder = new TextEncoder();

  constructor() {
    this.#offsets.push(0);
    this.#cellStart.push(0);
  }

  get rows(): number {
    return this.#rows;
  }

  /** UTF-8 bytes held so far (a batch is sent before its buffer grows too large). */
  get bytes(): number {
    return this.#used;
  }

  #string(s: string): number {
    const n = s.length;
    if (this.#used + n * 3 > this.#bytes.length) {
      const next = new Uint8Array(Math.max(this.#bytes.length * 2, this.#used + n * 3));
      next.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = next;
    }
    const bytes = this.#bytes;
    let at = this.#used;
    // Short ASCII strings (names, ids, most values) by hand: cheaper than a native call.
    let ascii = n <= 24;
    if (ascii) {
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        bytes[at + i] = c;
      }
    }
    at += ascii ? n : this.#encoder.encodeInto(s, bytes.subarray(at)).written;
    this.#used = at;
    this.#offsets.push(at);
    return this.#offsets.length - 2;
  }

  #key(property: string, type: PropertyType): number {
    let byName = this.#keyIds.get(type);
    if (!byName) this.#keyIds.set(type, (byName = new Map()));
    let id = byName.get(property);
    if (id === undefined) {
      id = this.#keys.length;
      byName.set(property, id);
      this.#keys.push([property, type]);
    }
    return id;
  }

  add(event: StoredEvent): void {
    const properties = event.properties;
    this.#time.push(event.time);
    this.#rowStrings.push(this.#string(event.event));
    this.#string(event.distinct_id);
    this.#string(event.insert_id);
    this.#string(JSON.stringify(properties));
    for (const name in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, name)) continue;
      const value = jsonValue(properties[name]);
      const type = propertyTypeOf(value);
      if (type === undefined) continue;
      let cell: number;
      let items = 0;
      switch (type) {
        case 'string':
          cell = this.#string(value as string);
          break;
        case 'number':
          cell = value as number;
          break;
        case 'boolean':
          cell = value ? 1 : 0;
          break;
        case 'null':
          cell = 1;
          break;
        case 'list':
          cell = this.#string(JSON.stringify(value));
          for (const item of value as unknown[]) {
            if (typeof item !== 'string') continue;
            this.#string(item);
            items++;
          }
          break;
        case 'object':
          cell = this.#string(JSON.stringify(value));
          break;
      }
      this.#cellKey.push(this.#key(name, type));
      this.#cellValue.push(cell);
      this.#cellItems.push(items);
    }
    this.#cellStart.push(this.#cellKey.length);
    this.#rows++;
  }

  /**
   * The batch so far (plain data: it can be posted to another thread, with transferables());
   * the builder starts over.
   */
  take(): EventColumns {
    const spare = this.#spare.pop();
    const bytes = this.#bytes.subarray(0, this.#used);
    this.#bytes = spare && spare.bytes.length > 0 ? spare.bytes : new Uint8Array(this.#bytes.length);
    const batch: EventColumns = {
      rows: this.#rows,
      bytes,
      offsets: this.#offsets.take(spare?.offsets),
      time: this.#time.take(spare?.time),
      rowStrings: this.#rowStrings.take(spare?.rowStrings),
      cellStart: this.#cellStart.take(spare?.cellStart),
      cellKey: this.#cellKey.take(spare?.cellKey),
      cellValue: this.#cellValue.take(spare?.cellValue),
      cellItems: this.#cellItems.take(spare?.cellItems),
      keys: this.#keys,
    };
    this.#rows = 0;
    this.#used = 0;
    this.#offsets.push(0);
    this.#cellStart.push(0);
    this.#keys = [];
    this.#keyIds = new Map();
    return batch;
  }

  /** A batch sent back by the writer (its buffers whole again): its memory serves a later batch. */
  recycle(batch: EventColumns): void {
    this.#spare.push({
      ...batch,
      bytes: whole(batch.bytes, (b) => new Uint8Array(b)),
      offsets: whole(batch.offsets, (b) => new Uint32Array(b)),
      time: whole(batch.time, (b) => new Float64Array(b)),
      rowStrings: whole(batch.rowStrings, (b) => new Uint32Array(b)),
      cellStart: whole(batch.cellStart, (b) => new Uint32Array(b)),
      cellKey: whole(batch.cellKey, (b) => new Uint32Array(b)),
      cellValue: whole(batch.cellValue, (b) => new Float64Array(b)),
      cellItems: whole(batch.cellItems, (b) => new Uint32Array(b)),
    });
  }
}

/** The typed arrays of a batch, to transfer instead of copy when posting it. */
export function transferables(batch: EventColumns): ArrayBuffer[] {
  return [batch.bytes, batch.offsets, batch.time, batch.rowStrings, batch.cellStart, batch.cellKey, batch.cellValue, batch.cellItems].map((a) => a.buffer as ArrayBuffer);
}

/** Row `row` whole again (its properties parsed from the JSON the row stores). */
export function storedEventAt(batch: EventColumns, row: number): StoredEvent {
  const s = batch.rowStrings[row]!;
  return {
    event: batchString(batch, s),
    time: batch.time[row]!,
    distinct_id: batchString(batch, s + 1),
    insert_id: batchString(batch, s + 2),
    properties: JSON.parse(batchString(batch, s + 3)) as Record<string, unknown>,
  };
}

/** The string or number value of top-level property `name` in row `row`, if it has one. */
export function scalarAt(batch: EventColumns, row: number, name: string): string | number | undefined {
  for (let c = batch.cellStart[row]!, end = batch.cellStart[row + 1]!; c < end; c++) {
    const [property, type] = batch.keys[batch.cellKey[c]!]!;
    if (property !== name) continue;
    if (type === 'string') return batchString(batch, batch.cellValue[c]!);
    if (type === 'number') return batch.cellValue[c]!;
    return undefined;
  }
  return undefined;
}
