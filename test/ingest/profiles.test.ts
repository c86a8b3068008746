import { describe, expect, it } from 'vitest';
import { applyProfileUpdate, parseProfileUpdate } from '../../src/server/ingest/profiles.ts';

function update(raw: unknown) {
  const r = parseProfileUpdate(raw, 0, null);
  if (!r.ok) throw new Error(r.rejection.message);
  return r.update;
}

describe('profile operations', () => {
  it('applies $set, $set_once, $add, $append, $union, $remove, $unset in order', () => {
    let p = applyProfileUpdate(null, update({ $distinct_id: 'u', $set: { name: 'Ann', plan: 'free', n: 1, tags: ['a'] } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $set_once: { name: 'Bob', first: 'x' } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $add: { n: 2.5, visits: 1 } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $append: { tags: 'b', log: 1 } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $union: { tags: ['a', 'c'] } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $remove: { tags: 'a' } }));
    p = applyProfileUpdate(p, update({ $distinct_id: 'u', $unset: ['plan'] }));
    expect(p).toEqual({ name: 'Ann', n: 3.5, tags: ['b', 'c'], first: 'x', visits: 1, log: [1] });
    expect(applyProfileUpdate(p, update({ $distinct_id: 'u', $delete: '' }))).toBeNull();
  });

  it('keeps "__proto__" as an ordinary property', () => {
    const p = applyProfileUpdate(null, update(JSON.parse('{"$distinct_id":"u","$set":{"__proto__":{"admin":true}}}')))!;
    expect(JSON.stringify(p)).toBe('{"__proto__":{"admin":true}}');
    expect((p as { admin?: boolean }).admin).toBeUndefined();
  });

  it('rejects malformed updates with the field at fault', () => {
    const bad = (raw: unknown) => { const r = parseProfileUpdate(raw, 2, 'tok'); if (r.ok) throw new Error('accepted'); return r.rejection; };
    expect(bad({ $token: 'tok', $set: {} }).field).toBe('$distinct_id');
    expect(bad({ $token: 'nope', $distinct_id: 'u', $set: {} }).field).toBe('$token');
    expect(bad({ $token: 'tok', $distinct_id: 'u', $add: { n: 'x' } }).field).toBe('$add["n"]');
    expect(bad({ $token: 'tok', $distinct_id: 'u', $unset: 'x' }).field).toBe('$unset');
    expect(bad({ $token: 'tok', $distinct_id: 'u', $explode: {} }).message).toContain('unknown profile operation');
    expect(bad({ $token: 'tok', $distinct_id: 'u' }).message).toContain('no profile operation');
  });
});
