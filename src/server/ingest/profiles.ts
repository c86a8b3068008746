// /engage: user profile updates. Each record names one person ($distinct_id) and one or more
// operations; they are validated here and applied, in arrival order, to the profiles table.
import { LIMITS } from './limits.ts';
import { tokenMatches } from './auth.ts';
import type { Rejection } from './validate.ts';

export const PROFILE_OPERATIONS = ['$set', '$set_once', '$add', '$append', '$union', '$remove', '$unset', '$delete'] as const;
export type ProfileOperation = (typeof PROFILE_OPERATIONS)[number];

/** Keys of an engage record that are not operations. */
const RECORD_KEYS = new Set(['$token', '$distinct_id', '$time', '$ip', '$ignore_time', '$ignore_alias', '$latitude', '$longitude', '$device_id', '$user_id']);

export type ProfileUpdate = { distinct_id: string; ops: Array<{ op: ProfileOperation; value: unknown }> };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own data property, also for names like "__proto__" (plain assignment would change the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function has(target: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

function fail(index: number, field: string, message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { index, insert_id: null, field, message } };
}

export function parseProfileUpdate(raw: unknown, index: number, token: string | null):
  { ok: true; update: ProfileUpdate } | { ok: false; rejection: Rejection } {
  if (!isPlainObject(raw)) return fail(index, '', 'profile update must be a JSON object');
  const did = raw.$distinct_id;
  if (!((typeof did === 'string' && did !== '') || (typeof did === 'number' && Number.isFinite(did)))) {
    return fail(index, '$distinct_id', '$distinct_id must be a non-empty string or a number');
  }
  const distinctId = String(did);
  if (distinctId.length > LIMITS.distinctIdChars) return fail(index, '$distinct_id', `$distinct_id is longer than ${LIMITS.distinctIdChars} characters`);
  if (token) {
    const sent = raw.$token;
    if (typeof sent !== 'string' || !tokenMatches(sent, token)) return fail(index, '$token', 'token does not match this project');
  }
  if (JSON.stringify(raw).length > LIMITS.eventJsonChars) return fail(index, '', `profile update is larger than ${LIMITS.eventJsonChars} characters as JSON`);

  const ops: ProfileUpdate['ops'] = [];
  for (const key of Object.keys(raw)) {
    if (RECORD_KEYS.has(key)) continue;
    if (!(PROFILE_OPERATIONS as readonly string[]).includes(key)) return fail(index, key, `unknown profile operation ${JSON.stringify(key.slice(0, 40))}`);
    const op = key as ProfileOperation;
    const value = raw[key];
    if (op === '$unset') {
      if (!Array.isArray(value) || !value.every((k) => typeof k === 'string')) return fail(index, op, '$unset takes a list of property names');
    } else if (op !== '$delete') {
      if (!isPlainObject(value)) return fail(index, op, `${op} takes an object of properties`);
      for (const [k, v] of Object.entries(value)) {
        if (k.length > LIMITS.propertyNameChars) return fail(index, `${op}[${JSON.stringify(k.slice(0, 40))}]`, `property name is longer than ${LIMITS.propertyNameChars} characters`);
        if (op === '$add' && (typeof v !== 'number' || !Number.isFinite(v))) return fail(index, `${op}[${JSON.stringify(k)}]`, '$add takes finite numbers');
        if (op === '$union' && !Array.isArray(v)) return fail(index, `${op}[${JSON.stringify(k)}]`, '$union takes lists');
      }
      if (Object.keys(value).length > LIMITS.propertiesPerEvent) return fail(index, op, `more than ${LIMITS.propertiesPerEvent} properties`);
    }
    ops.push({ op, value });
  }
  if (ops.length === 0) return fail(index, '', `no profile operation (expected one of ${PROFILE_OPERATIONS.join(', ')})`);
  return { ok: true, update: { distinct_id: distinctId, ops } };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Apply one update to a profile (null: none yet). Returns the new profile, or null when deleted. */
export function applyProfileUpdate(profile: Record<string, unknown> | null, update: ProfileUpdate): Record<string, unknown> | null {
  let current = profile;
  for (const { op, value } of update.ops) {
    if (op === '$delete') {
      current = null;
      continue;
    }
    const p: Record<string, unknown> = current ?? {};
    current = p;
    if (op === '$unset') {
      for (const k of value as string[]) if (has(p, k)) delete p[k];
      continue;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const existing = has(p, k) ? p[k] : undefined;
      switch (op) {
        case '$set':
          setOwn(p, k, v);
          break;
        case '$set_once':
          if (existing === undefined) setOwn(p, k, v);
          break;
        case '$add':
          if (existing === undefined) setOwn(p, k, v);
          else if (typeof existing === 'number') setOwn(p, k, existing + (v as number));
          break;
        case '$append':
          if (existing === undefined) setOwn(p, k, [v]);
          else if (Array.isArray(existing)) existing.push(v);
          break;
        case '$union': {
          const list = Array.isArray(existing) ? existing : existing === undefined ? [] : null;
          if (list === null) break;
          for (const item of v as unknown[]) if (!list.some((x) => same(x, item))) list.push(item);
          setOwn(p, k, list);
          break;
        }
        case '$remove':
          if (Array.isArray(existing)) setOwn(p, k, existing.filter((x) => !same(x, v)));
          break;
      }
    }
  }
  return current;
}
