// Bulk path for insertEvents: fills DuckDB data chunks column by column and hands them to an
// appender. Measured on 100k events × 30 columns: the row appender (one native call per value,
// NULLs included) ran at ~60k events/s; here numbers, booleans, timestamps and the NULL masks
// are written into typed arrays and copied once per 2048-row chunk, so only strings longer than
// 12 bytes cost a native call each.

import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender } from '@duckdb/node-api';
import type { CatalogEntry } from './catalog.ts';
import { jsonValue, propertyTypeOf } from './property-type.ts';
import type { PropertyType, StoredEvent } from './types.ts';

const CHUNK_ROWS = duckdb.vector_size();
const MASK_BYTES = Math.ceil(CHUNK_ROWS / 64) * 8;
const TWO_32 = 2 ** 32;
const ENCODER = new TextEncoder();
/** Room for 12 UTF-16 units as UTF-8 (at most 3 bytes each). */
const SCRATCH = new Uint8Array(36);

/** One chunk column: a typed buffer or a string list, plus the validity bitmask (1 = not NULL). */
abstract class ColumnBuffer {
  readonly mask = new Uint8Array(MASK_BYTES);
  protected setValid(row: number): void {
    this.mask[row >> 3] |= 1 << (row & 7);
  }
  reset(): void {
    this.mask.fill(0);
  }
  flush(vector: duckdb.Vector, rows: number): void {
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.mask.buffer, 0, MASK_BYTES);
    this.flushData(vector, rows);
  }
  protected abstract flushData(vector: duckdb.Vector, rows: number): void;
}

/**
 * Writes `value` into the 16-byte duckdb_string_t at `offset` when it fits inline (≤ 12 UTF-8
 * bytes); false when it does not (the slot is then zero and the caller assigns it natively).
 */
function setInline(structs: Uint8Array, view: DataView, offset: number, value: string): boolean {
  const length = value.length;
  if (length > 12) return false;
  let ascii = true;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) {
      ascii = false;
      break;
    }
    structs[offset + 4 + i] = code;
  }
  if (ascii) {
    view.setUint32(offset, length, true);
    return true;
  }
  const { written } = ENCODER.encodeInto(value, SCRATCH);
  if (written <= 12) {
    structs.set(SCRATCH.subarray(0, written), offset + 4);
    view.setUint32(offset, written, true);
    return true;
  }
  structs.fill(0, offset, offset + 16);
  return false;
}

/**
 * VARCHAR/JSON column. DuckDB's C API string layout (duckdb_string_t, 16 bytes) stores strings of
 * up to 12 UTF-8 bytes inline: [u32 length][12 bytes, zero-padded]. Those are written into a
 * buffer copied once per chunk; only longer strings need a native call (which copies them into
 * the vector's string heap) after that copy.
 */
class StringBuffer extends ColumnBuffer {
  readonly #structs = new Uint8Array(CHUNK_ROWS * 16);
  readonly #view = new DataView(this.#structs.buffer);
  readonly #long: (string | undefined)[] = new Array(CHUNK_ROWS);
  #longCount = 0;

  set(row: number, value: string): void {
    this.setValid(row);
    if (!setInline(this.#structs, this.#view, row * 16, value)) {
      this.#long[row] = value;
      this.#longCount++;
    }
  }

  override reset(): void {
    super.reset();
    this.#structs.fill(0);
    if (this.#longCount > 0) this.#long.fill(undefined);
    this.#longCount = 0;
  }

  protected flushData(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.#structs.buffer, 0, rows * 16);
    if (this.#longCount === 0) return;
    for (let row = 0; row < rows; row++) {
      const value = this.#long[row];
      if (value !== undefined) duckdb.vector_assign_string_element(vector, row, value);
    }
  }
}

/**
 * VARCHAR[] column (the string elements of list properties). A LIST vector holds one
 * duckdb_list_entry (u64 offset, u64 length) per row into a child VARCHAR vector that holds every
 * row's elements back to back.
 */
class StringListBuffer extends ColumnBuffer {
  /** Per row: offset low/high, length low/high (u32 each). */
  readonly #entries = new Uint32Array(CHUNK_ROWS * 4);
  #items: string[] = [];

  setList(row: number, items: readonly string[]): void {
    this.setValid(row);
    this.#entries[row * 4] = this.#items.length;
    this.#entries[row * 4 + 2] = items.length;
    for (const item of items) this.#items.push(item);
  }

  override reset(): void {
    super.reset();
    this.#entries.fill(0);
    this.#items = [];
  }

  protected flushData(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.#entries.buffer, 0, rows * 16);
    const items = this.#items;
    duckdb.list_vector_reserve(vector, items.length);
    duckdb.list_vector_set_size(vector, items.length);
    if (items.length === 0) return;
    const child = duckdb.list_vector_get_child(vector);
    const structs = new Uint8Array(items.length * 16);
    const view = new DataView(structs.buffer);
    const long: number[] = [];
    items.forEach((item, i) => {
      if (!setInline(structs, view, i * 16, item)) long.push(i);
    });
    duckdb.copy_data_to_vector(child, 0, structs.buffer, 0, structs.length);
    for (const i of long) duckdb.vector_assign_string_element(child, i, items[i]!);
  }
}

class DoubleBuffer extends ColumnBuffer {
  readonly data = new Float64Array(CHUNK_ROWS);
  set(row: number, value: number): void {
    this.data[row] = value;
    this.setValid(row);
  }
  protected flushData(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.data.buffer, 0, rows * 8);
  }
}

class BooleanBuffer extends ColumnBuffer {
  readonly data = new Uint8Array(CHUNK_ROWS);
  set(row: number, value: boolean): void {
    this.data[row] = value ? 1 : 0;
    this.setValid(row);
  }
  protected flushData(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.data.buffer, 0, rows);
  }
}

/** TIMESTAMP = int64 microseconds, written as two 32-bit halves to avoid a BigInt per row. */
class TimestampBuffer extends ColumnBuffer {
  readonly words = new Uint32Array(CHUNK_ROWS * 2);
  setMillis(row: number, millis: number): void {
    const micros = millis * 1000;
    const high = Math.floor(micros / TWO_32);
    this.words[row * 2] = micros - high * TWO_32;
    this.words[row * 2 + 1] = high >>> 0;
    this.setValid(row);
  }
  protected flushData(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.words.buffer, 0, rows * 8);
  }
}

type TypedSlot = { type: PropertyType; buffer: ColumnBuffer };

const isString = (x: unknown): x is string => typeof x === 'string';

/**
 * Writes events into the `events` table through `appender`, whose columns must be the five
 * fixed ones followed by `entries` in order (the catalog's creation order = table order), each
 * list column followed by its string-elements column when `listStrings` (catalog.ts).
 */
export class EventChunkWriter {
  readonly #appender: DuckDBAppender;
  readonly #chunk: DuckDBDataChunk;
  readonly #time = new TimestampBuffer();
  readonly #event = new StringBuffer();
  readonly #distinctId = new StringBuffer();
  readonly #insertId = new StringBuffer();
  readonly #properties = new StringBuffer();
  readonly #buffers: ColumnBuffer[];
  /** property → type → buffer. */
  readonly #slots = new Map<string, Map<PropertyType, ColumnBuffer>>();
  /** list property → its string-elements buffer. */
  readonly #listStrings = new Map<string, StringListBuffer>();
  #rows = 0;

  constructor(appender: DuckDBAppender, entries: readonly CatalogEntry[], options: { listStrings?: boolean } = {}) {
    this.#appender = appender;
    const typed: TypedSlot[] = entries.map((entry) => ({ type: entry.type, buffer: bufferFor(entry.type) }));
    const columns: ColumnBuffer[] = [];
    entries.forEach((entry, i) => {
      let byType = this.#slots.get(entry.property);
      if (!byType) this.#slots.set(entry.property, (byType = new Map()));
      byType.set(entry.type, typed[i]!.buffer);
      columns.push(typed[i]!.buffer);
      if (entry.type === 'list' && options.listStrings) {
        const strings = new StringListBuffer();
        this.#listStrings.set(entry.property, strings);
        columns.push(strings);
      }
    });
    this.#buffers = [this.#time, this.#event, this.#distinctId, this.#insertId, this.#properties, ...columns];
    if (appender.columnCount !== this.#buffers.length) {
      throw new Error(`events has ${appender.columnCount} columns but the catalog describes ${this.#buffers.length}`);
    }
    const types = this.#buffers.map((_, i) => appender.columnType(i));
    this.#chunk = DuckDBDataChunk.create(types);
  }

  /** `json` is JSON.stringify(event.properties), made by the caller while validating. */
  write(event: StoredEvent, json: string): void {
    const row = this.#rows;
    this.#time.setMillis(row, event.time);
    this.#event.set(row, event.event);
    this.#distinctId.set(row, event.distinct_id);
    this.#insertId.set(row, event.insert_id);
    this.#properties.set(row, json);
    const properties = event.properties;
    for (const key in properties) {
      if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
      const value = jsonValue(properties[key]);
      const type = propertyTypeOf(value);
      if (type === undefined) continue;
      const buffer = this.#slots.get(key)?.get(type);
      if (!buffer) throw new Error(`no column for property ${JSON.stringify(key)} of type ${type}`);
      switch (type) {
        case 'string':
          (buffer as StringBuffer).set(row, value as string);
          break;
        case 'number':
          (buffer as DoubleBuffer).set(row, value as number);
          break;
        case 'boolean':
          (buffer as BooleanBuffer).set(row, value as boolean);
          break;
        case 'null':
          (buffer as BooleanBuffer).set(row, true);
          break;
        case 'list':
          (buffer as StringBuffer).set(row, JSON.stringify(value));
          this.#listStrings.get(key)?.setList(row, (value as unknown[]).filter(isString));
          break;
        case 'object':
          (buffer as StringBuffer).set(row, JSON.stringify(value));
          break;
      }
    }
    this.#rows++;
    if (this.#rows === CHUNK_ROWS) this.#flushChunk();
  }

  /** Append what is buffered; the caller closes (or flushes) the appender. */
  finish(): void {
    if (this.#rows > 0) this.#flushChunk();
  }

  #flushChunk(): void {
    const rows = this.#rows;
    this.#chunk.reset();
    this.#chunk.rowCount = rows;
    this.#buffers.forEach((buffer, i) => {
      buffer.flush(duckdb.data_chunk_get_vector(this.#chunk.chunk, i), rows);
      buffer.reset();
    });
    this.#appender.appendDataChunk(this.#chunk);
    this.#rows = 0;
  }
}

function bufferFor(type: PropertyType): ColumnBuffer {
  switch (type) {
    case 'string':
    case 'list':
    case 'object':
      return new StringBuffer();
    case 'number':
      return new DoubleBuffer();
    case 'boolean':
    case 'null':
      return new BooleanBuffer();
  }
}

/** Appends strings to a one-column VARCHAR table (the batch's insert_ids, for the dedupe join). */
export function appendStrings(appender: DuckDBAppender, values: readonly string[]): void {
  if (appender.columnCount !== 1) throw new Error(`expected a one-column table, got ${appender.columnCount} columns`);
  const chunk = DuckDBDataChunk.create([appender.columnType(0)]);
  const buffer = new StringBuffer();
  for (let start = 0; start < values.length; start += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, values.length - start);
    for (let row = 0; row < rows; row++) buffer.set(row, values[start + row]!);
    chunk.reset();
    chunk.rowCount = rows;
    buffer.flush(duckdb.data_chunk_get_vector(chunk.chunk, 0), rows);
    buffer.reset();
    appender.appendDataChunk(chunk);
  }
}
