// One Mixpanel event as sent ({"event", "properties"}) → a StoredEvent, or the reason it is refused.
// Rules: a non-empty name (≤ 255 chars); properties an object with bounded keys and values; time in
// seconds or milliseconds (now when missing on /track, required on /import); distinct_id a string
// or number; $insert_id a string (made deterministically from the event when missing).
import type { StoredEvent } from '../store/types.ts';
import { LIMITS, MILLISECONDS_THRESHOLD } from './limits.ts';
import { deterministicInsertId, randomInsertId } from './insert-id.ts';
import { tokenMatches } from './auth.ts';

export type Endpoint = 'track' | 'import';

/** Why one event was refused; `field` is a path into the event ("event", "properties.time"). */
export type Rejection = { index: number; insert_id: string | null; field: string; message: string };

export type NormalizeOptions = {
  endpoint: Endpoint;
  nowMs: number;
  /** When set, events must carry this project token in properties.token. */
  token?: string | null;
  /**
   * Length of the whole JSON text the event came in (request body or data parameter). When it is
   * under half the per-event bound no event in it can reach the bound (re-serializing at most
   * about doubles a number like 1e9 → 1000000000), so the per-event serialization is skipped.
   */
  sourceChars?: number;
};

export type Normalized = { ok: true; event: StoredEvent } | { ok: false; rejection: Rejection };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function reject(index: number, insertId: unknown, field: string, message: string): Normalized {
  const insert_id = typeof insertId === 'string' ? insertId.slice(0, LIMITS.insertIdChars) : null;
  return { ok: false, rejection: { index, insert_id, field, message } };
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}

/** Depth of nested lists/objects, stopping early past the limit (iterative: hostile depth cannot overflow). */
function tooDeep(value: unknown): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > LIMITS.valueDepth) return true;
    const next: unknown[] = [];
    for (const v of level) {
      if (typeof v !== 'object' || v === null) continue;
      for (const child of Array.isArray(v) ? v : Object.values(v)) {
        if (typeof child === 'object' && child !== null) next.push(child);
      }
    }
    level = next;
  }
  return false;
}

/** Unix milliseconds from seconds or milliseconds, exact for values like 1312761600.123. */
export function timeToMs(t: number): number {
  if (t >= MILLISECONDS_THRESHOLD) return Math.trunc(t);
  const x = t * 1000;
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-3 ? r : Math.trunc(x);
}

function checkProperties(index: number, props: Record<string, unknown>, insertId: unknown): Normalized | null {
  let count = 0;
  for (const key in props) {
    if (!Object.prototype.hasOwnProperty.call(props, key)) continue;
    count++;
    if (key.length > LIMITS.propertyNameChars) {
      return reject(index, insertId, `properties[${quoteName(key)}]`, `property name is longer than ${LIMITS.propertyNameChars} characters`);
    }
    const v = props[key];
    if (typeof v === 'string' && v.length > LIMITS.stringValueChars) {
      return reject(index, insertId, `properties[${JSON.stringify(key)}]`, `string value is longer than ${LIMITS.stringValueChars} characters`);
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      return reject(index, insertId, `properties[${JSON.stringify(key)}]`, 'number must be finite');
    }
    if (typeof v === 'object' && v !== null && tooDeep(v)) {
      return reject(index, insertId, `properties[${JSON.stringify(key)}]`, `value is nested deeper than ${LIMITS.valueDepth} levels`);
    }
  }
  if (count > LIMITS.propertiesPerEvent) {
    return reject(index, insertId, 'properties', `has ${count} properties; at most ${LIMITS.propertiesPerEvent} are allowed`);
  }
  return null;
}

/**
 * Validate and normalize one event. Mutates `raw.properties` (it is ours: freshly parsed JSON):
 * removes `token`, normalizes `time` to seconds, fills distinct_id/time when missing.
 * `sourceText`, the record's JSON as read (file import), spares serializing it for the size bound.
 */
export function normalizeEvent(raw: unknown, index: number, options: NormalizeOptions, sourceText?: string): Normalized {
  if (!isPlainObject(raw)) return reject(index, null, '', 'event must be a JSON object {"event", "properties"}');
  const rawProps = raw.properties ?? {};
  if (!isPlainObject(rawProps)) return reject(index, null, 'properties', 'properties must be a JSON object');
  const props = rawProps;
  const insertIdRaw = props.$insert_id;

  const name = raw.event;
  if (typeof name !== 'string') return reject(index, insertIdRaw, 'event', 'event name must be a string');
  if (name.length === 0) return reject(index, insertIdRaw, 'event', 'event name must not be empty');
  if (name.length > LIMITS.eventNameChars) {
    return reject(index, insertIdRaw, 'event', `event name is longer than ${LIMITS.eventNameChars} characters`);
  }

  const problem = checkProperties(index, props, insertIdRaw);
  if (problem) return problem;

  if (options.token) {
    const sent = props.token;
    if (sent === undefined) return reject(index, insertIdRaw, 'properties.token', 'project token is required');
    if (typeof sent !== 'string' || !tokenMatches(sent, options.token)) {
      return reject(index, insertIdRaw, 'properties.token', 'token does not match this project');
    }
  }

  let distinctId = '';
  const did = props.distinct_id;
  if (typeof did === 'string') distinctId = did;
  else if (typeof did === 'number' && Number.isFinite(did)) distinctId = String(did);
  else if (did !== undefined && did !== null) {
    return reject(index, insertIdRaw, 'properties.distinct_id', 'distinct_id must be a string or a number');
  }
  if (distinctId.length > LIMITS.distinctIdChars) {
    return reject(index, insertIdRaw, 'properties.distinct_id', `distinct_id is longer than ${LIMITS.distinctIdChars} characters`);
  }

  if (insertIdRaw !== undefined && insertIdRaw !== null) {
    if (typeof insertIdRaw !== 'string' || insertIdRaw.length === 0) {
      return reject(index, null, 'properties.$insert_id', '$insert_id must be a non-empty string');
    }
    if (insertIdRaw.length > LIMITS.insertIdChars) {
      return reject(index, null, 'properties.$insert_id', `$insert_id is longer than ${LIMITS.insertIdChars} characters`);
    }
  }

  if (name === '$create_alias') {
    const alias = props.alias;
    if (!((typeof alias === 'string' && alias !== '') || (typeof alias === 'number' && Number.isFinite(alias)))) {
      return reject(index, insertIdRaw, 'properties.alias', '$create_alias needs a non-empty string or number alias');
    }
    if (distinctId === '') return reject(index, insertIdRaw, 'properties.distinct_id', '$create_alias needs the distinct_id the alias stands for');
  }

  const t = props.time;
  let timeMs: number;
  let serverTimestamped = false;
  if (t === undefined || t === null) {
    if (options.endpoint === 'import') return reject(index, insertIdRaw, 'properties.time', 'time is required on /import (seconds or milliseconds since epoch)');
    timeMs = options.nowMs;
    serverTimestamped = true;
  } else if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    return reject(index, insertIdRaw, 'properties.time', 'time must be a non-negative number of seconds or milliseconds since epoch');
  } else {
    timeMs = timeToMs(t);
    if (timeMs > LIMITS.maxTimeMs) return reject(index, insertIdRaw, 'properties.time', 'time is beyond the year 275760 (the largest date there is)');
    if (options.endpoint === 'import') {
      if (timeMs < LIMITS.importMinTimeMs) return reject(index, insertIdRaw, 'properties.time', 'time is before 1971-01-01');
      if (timeMs > options.nowMs + LIMITS.importMaxFutureMs) return reject(index, insertIdRaw, 'properties.time', 'time is more than one hour in the future');
    }
  }

  // The size bound reads the source text when there is one; else one serialization serves both
  // the bound and the deterministic id (taken before any change to the event).
  const smallSource = options.sourceChars !== undefined && options.sourceChars <= LIMITS.eventJsonChars / 2;
  let json = sourceText === undefined && !smallSource ? JSON.stringify(raw) : null;
  if ((sourceText?.length ?? json?.length ?? 0) > LIMITS.eventJsonChars) {
    return reject(index, insertIdRaw, '', `event is larger than ${LIMITS.eventJsonChars} characters as JSON`);
  }
  let insertId: string;
  if (typeof insertIdRaw === 'string') insertId = insertIdRaw;
  else if (serverTimestamped) insertId = randomInsertId();
  else insertId = deterministicInsertId(json ??= JSON.stringify(raw));

  if (props.token !== undefined) delete props.token;
  // properties.time is seconds (the spec's event["time"]); milliseconds as sent become seconds.
  if (serverTimestamped || (t as number) >= MILLISECONDS_THRESHOLD) props.time = timeMs / 1000;

  return { ok: true, event: { event: name, time: timeMs, distinct_id: distinctId, insert_id: insertId, properties: props } };
}
