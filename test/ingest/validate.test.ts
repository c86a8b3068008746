import { describe, expect, it } from 'vitest';
import { normalizeEvent, timeToMs } from '../../src/server/ingest/validate.ts';
import { deterministicInsertId } from '../../src/server/ingest/insert-id.ts';

const NOW = Date.UTC(2024, 0, 1);
const track = { endpoint: 'track' as const, nowMs: NOW };
const imp = { endpoint: 'import' as const, nowMs: NOW };

function ok(raw: unknown, options: Parameters<typeof normalizeEvent>[2] = track) {
  const r = normalizeEvent(raw, 0, options);
  if (!r.ok) throw new Error(`rejected: ${r.rejection.field}: ${r.rejection.message}`);
  return r.event;
}
function rejected(raw: unknown, options: Parameters<typeof normalizeEvent>[2] = track) {
  const r = normalizeEvent(raw, 3, options);
  if (r.ok) throw new Error('accepted');
  return r.rejection;
}

describe('time', () => {
  it('reads seconds and milliseconds into milliseconds, exactly', () => {
    expect(timeToMs(1312761600)).toBe(1312761600000);
    expect(timeToMs(1312761600.123)).toBe(1312761600123);
    expect(timeToMs(1312761600123)).toBe(1312761600123);
    expect(timeToMs(1.0005)).toBe(1000);
  });

  it('keeps seconds as sent and rewrites milliseconds to seconds in properties.time', () => {
    expect(ok({ event: 'e', properties: { time: 1312761600 } }).properties.time).toBe(1312761600);
    const ms = ok({ event: 'e', properties: { time: 1312761600123 } });
    expect(ms.properties.time).toBe(1312761600.123);
    expect(ms.time).toBe(1312761600123);
  });

  it('uses now on /track when missing and requires it on /import', () => {
    const e = ok({ event: 'e', properties: {} });
    expect(e.time).toBe(NOW);
    expect(e.properties.time).toBe(NOW / 1000);
    expect(rejected({ event: 'e', properties: {} }, imp)).toMatchObject({ index: 3, field: 'properties.time' });
  });

  it('refuses non-numbers and, on /import, dates out of range', () => {
    expect(rejected({ event: 'e', properties: { time: '2024-01-01' } }).field).toBe('properties.time');
    expect(rejected({ event: 'e', properties: { time: -5 } }).field).toBe('properties.time');
    expect(rejected({ event: 'e', properties: { time: 1000 } }, imp).message).toContain('1971');
    expect(rejected({ event: 'e', properties: { time: NOW + 2 * 3_600_000 } }, imp).message).toContain('future');
    expect(ok({ event: 'e', properties: { time: NOW + 1000 } }, imp).time).toBe(NOW + 1000);
    expect(rejected({ event: 'e', properties: { time: 1e300 } }).message).toContain('275760');
  });
});

describe('names, ids and properties', () => {
  it('needs a non-empty string name of at most 255 characters', () => {
    expect(rejected({ properties: {} })).toMatchObject({ field: 'event', message: 'event name must be a string' });
    expect(rejected({ event: '' }).message).toContain('empty');
    expect(rejected({ event: 'x'.repeat(256) }).message).toContain('255');
    expect(ok({ event: 'é'.repeat(255) }).event).toHaveLength(255);
  });

  it('needs properties to be an object and the event to be an object', () => {
    expect(rejected({ event: 'e', properties: [1] }).field).toBe('properties');
    expect(rejected({ event: 'e', properties: 'x' }).field).toBe('properties');
    expect(rejected('just text').message).toContain('JSON object');
    expect(rejected(null).field).toBe('');
  });

  it('takes string or number distinct_id and refuses other types', () => {
    expect(ok({ event: 'e', properties: { distinct_id: 42 } }).distinct_id).toBe('42');
    expect(ok({ event: 'e', properties: { distinct_id: 'u' } }).distinct_id).toBe('u');
    expect(ok({ event: 'e', properties: {} }).distinct_id).toBe('');
    expect(rejected({ event: 'e', properties: { distinct_id: { a: 1 } } }).field).toBe('properties.distinct_id');
    expect(rejected({ event: 'e', properties: { distinct_id: true } }).field).toBe('properties.distinct_id');
  });

  it('bounds key count, key length, string size and nesting', () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < 2001; i++) many[`k${i}`] = i;
    expect(rejected({ event: 'e', properties: many }).message).toContain('2001 properties');
    expect(rejected({ event: 'e', properties: { ['k'.repeat(256)]: 1 } }).message).toContain('property name');
    expect(rejected({ event: 'e', properties: { s: 'x'.repeat(70_000) } }).field).toBe('properties["s"]');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(rejected({ event: 'e', properties: { d: deep } }).message).toContain('nested');
  });

  it('keeps hostile property names as plain data', () => {
    const raw = JSON.parse('{"event":"e","properties":{"__proto__":{"polluted":1},"constructor":"c","a\\"; DROP TABLE events; --":"<script>x</script>"}}');
    const e = ok(raw);
    expect(Object.keys(e.properties)).toEqual(['__proto__', 'constructor', 'a"; DROP TABLE events; --', 'time']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('$insert_id and token', () => {
  it('keeps a sent $insert_id and refuses a non-string one', () => {
    expect(ok({ event: 'e', properties: { $insert_id: 'abc' } }).insert_id).toBe('abc');
    expect(rejected({ event: 'e', properties: { $insert_id: 12 } }).field).toBe('properties.$insert_id');
  });

  it('derives the same id from the same event content when time is given', () => {
    const a = ok({ event: 'e', properties: { time: 1700000000, distinct_id: 'u', x: 1 } }, imp);
    const b = ok({ event: 'e', properties: { time: 1700000000, distinct_id: 'u', x: 1 } }, imp);
    const c = ok({ event: 'e', properties: { time: 1700000000, distinct_id: 'u', x: 2 } }, imp);
    expect(a.insert_id).toBe(b.insert_id);
    expect(a.insert_id).not.toBe(c.insert_id);
    expect(a.insert_id).toBe(deterministicInsertId('{"event":"e","properties":{"time":1700000000,"distinct_id":"u","x":1}}'));
  });

  it('checks the project token when one is configured and never stores it', () => {
    const opts = { ...track, token: 'secret-token' };
    expect(ok({ event: 'e', properties: { token: 'secret-token' } }, opts).properties.token).toBeUndefined();
    expect(rejected({ event: 'e', properties: { token: 'other' } }, opts).message).toContain('does not match');
    expect(rejected({ event: 'e', properties: {} }, opts).field).toBe('properties.token');
  });

  it('needs an alias on $create_alias', () => {
    expect(rejected({ event: '$create_alias', properties: { distinct_id: 'a' } }).field).toBe('properties.alias');
    expect(ok({ event: '$create_alias', properties: { distinct_id: 'a', alias: 'b' } }).event).toBe('$create_alias');
  });
});
