// The query builder's view of the schema endpoints: events with counts, an event's properties with
// the types seen, top values with counts. Answers are cached per page; shapes are normalised here
// so the views never guess.
import type { FilterType } from '../../../report/filters.ts';

export type EventInfo = { name: string; count: number };
export type PropertyInfo = { name: string; type: FilterType; types: string[]; count: number };

/** Objects (and only-null keys) have no row operators; nested keys are for the text mode. */
export function isPickable(p: PropertyInfo): boolean {
  return p.types.some((t) => t === 'string' || t === 'number' || t === 'boolean' || t === 'list' || t === 'datetime');
}
export type ValueInfo = { value: string; count: number };

type Json = Record<string, unknown>;
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : Number(x) || 0);

async function getJson(url: string, signal?: AbortSignal): Promise<Json> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) {
    const msg = (body.error as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`;
    throw new Error(msg);
  }
  return body;
}

export function normaliseEvents(body: Json): EventInfo[] {
  const list = Array.isArray(body.events) ? body.events : [];
  return list
    .map((e: unknown) => (typeof e === 'string' ? { name: e, count: 0 } : { name: String((e as Json).name ?? (e as Json).event ?? ''), count: num((e as Json).count) }))
    .filter((e) => e.name !== '');
}

/** Types seen, most frequent first, from `{string: 10}` or `[{type, count}]` or `type`. */
function typeCounts(p: Json): [string, number][] {
  const t = p.types;
  let out: [string, number][] = [];
  if (Array.isArray(t)) out = t.map((x: unknown) => (typeof x === 'string' ? [x, 1] : [String((x as Json).type), num((x as Json).count)]));
  else if (t && typeof t === 'object') out = Object.entries(t as Json).map(([k, v]) => [k, num(v)]);
  else if (typeof p.type === 'string') out = [[p.type, num(p.count)]];
  return out.sort((a, b) => b[1] - a[1]);
}

function filterTypeOf(types: [string, number][]): FilterType {
  for (const [t] of types) {
    if (t === 'number' || t === 'boolean' || t === 'list' || t === 'string' || t === 'datetime') return t;
  }
  return 'string';
}

export function normaliseProperties(body: Json): PropertyInfo[] {
  const list = Array.isArray(body.properties) ? body.properties : [];
  return list
    .map((p: unknown) => {
      const o = typeof p === 'string' ? { name: p } : (p as Json);
      const types = typeCounts(o);
      const count = o.count !== undefined ? num(o.count) : types.reduce((s, [, c]) => s + c, 0);
      return { name: String(o.name ?? o.property ?? ''), type: filterTypeOf(types), types: types.map(([t]) => t), count };
    })
    .filter((p) => p.name !== '');
}

export function normaliseValues(body: Json): ValueInfo[] {
  const list = Array.isArray(body.values) ? body.values : [];
  return list.map((v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'value' in (v as Json)) {
      const x = (v as Json).value;
      return { value: typeof x === 'string' ? x : JSON.stringify(x), count: num((v as Json).count) };
    }
    return { value: typeof v === 'string' ? v : JSON.stringify(v), count: 0 };
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Strings that are all ISO dates are offered datetime operators. */
export function looksLikeDates(values: ValueInfo[]): boolean {
  const sample = values.filter((v) => v.value !== '').slice(0, 20);
  return sample.length > 0 && sample.every((v) => ISO_DATE.test(v.value));
}

export class SchemaClient {
  private events: Promise<EventInfo[]> | null = null;
  private props = new Map<string, Promise<PropertyInfo[]>>();
  private values = new Map<string, Promise<ValueInfo[]>>();
  /** Property types as last loaded, for synchronous lookups (decoding `where` into rows). */
  readonly knownTypes = new Map<string, FilterType>();

  constructor(private readonly base = '') {}

  listEvents(): Promise<EventInfo[]> {
    this.events ??= getJson(`${this.base}/api/events`).then(normaliseEvents).catch((e) => {
      this.events = null;
      throw e;
    });
    return this.events;
  }

  listProperties(event: string | null): Promise<PropertyInfo[]> {
    const key = event ?? '';
    let p = this.props.get(key);
    if (!p) {
      p = getJson(`${this.base}/api/properties${event ? `?event=${encodeURIComponent(event)}` : ''}`)
        .then(normaliseProperties)
        .then(async (list) => {
          for (const info of list) this.knownTypes.set(info.name, info.type);
          return list;
        })
        .catch((e) => {
          this.props.delete(key);
          throw e;
        });
      this.props.set(key, p);
    }
    return p;
  }

  listValues(event: string | null, property: string, prefix: string, signal?: AbortSignal): Promise<ValueInfo[]> {
    const q = new URLSearchParams({ property, limit: '20' });
    if (event) q.set('event', event);
    if (prefix) q.set('prefix', prefix);
    const key = q.toString();
    let p = this.values.get(key);
    if (!p) {
      p = getJson(`${this.base}/api/values?${key}`, signal).then(normaliseValues).catch((e) => {
        this.values.delete(key);
        throw e;
      });
      this.values.set(key, p);
    }
    return p;
  }

  /** The row type to use for a property: its schema type, or datetime for date-like strings. */
  async rowType(event: string | null, property: string): Promise<FilterType> {
    const props = await this.listProperties(event).catch(() => [] as PropertyInfo[]);
    const info = props.find((p) => p.name === property);
    const type = info?.type ?? 'string';
    if (type !== 'string') return type;
    const values = await this.listValues(event, property, '').catch(() => [] as ValueInfo[]);
    const t = looksLikeDates(values) ? 'datetime' : 'string';
    this.knownTypes.set(property, t);
    return t;
  }
}
