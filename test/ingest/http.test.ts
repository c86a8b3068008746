// The endpoints over app.inject(): request shapes, answers, rejections beside stored events.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { b64, countEvents, startIngest, storedEvents, type Harness } from './harness.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const T = 1_700_000_000;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('/track', () => {
  it('accepts GET data=, form posts, JSON bodies, with and without the trailing slash', async () => {
    h = await startIngest();
    const e = (n: number) => ({ event: 'Signup', properties: { distinct_id: `u${n}`, time: T + n, $insert_id: `id${n}` } });
    const answers = [
      await h.app.inject({ method: 'GET', url: `/track?data=${encodeURIComponent(b64(e(1)))}` }),
      await h.app.inject({ method: 'GET', url: `/track/?data=${encodeURIComponent(JSON.stringify(e(2)))}` }),
      await h.app.inject({ method: 'POST', url: '/track', headers: form, payload: `data=${encodeURIComponent(b64([e(3), e(4)]))}` }),
      await h.app.inject({ method: 'POST', url: '/track/', headers: { 'content-type': 'application/json' }, payload: JSON.stringify([e(5)]) }),
      await h.app.inject({ method: 'POST', url: '/track', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(JSON.stringify(e(6))) }),
    ];
    expect(answers.map((a) => [a.statusCode, a.body])).toEqual(Array(5).fill([200, '1']));
    expect((await storedEvents(h.store)).map((s) => s.insert_id)).toEqual(['id1', 'id2', 'id3', 'id4', 'id5', 'id6']);
  });

  it('answers verbose=1, img=1 and callback= like Mixpanel', async () => {
    h = await startIngest();
    const data = encodeURIComponent(b64({ event: 'x', properties: { time: T } }));
    const verbose = await h.app.inject({ url: `/track?verbose=1&data=${data}` });
    expect(verbose.json()).toEqual({ status: 1, error: null });
    const img = await h.app.inject({ url: `/track?img=1&data=${data}` });
    expect(img.headers['content-type']).toBe('image/gif');
    expect(img.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
    const jsonp = await h.app.inject({ url: `/track?callback=mp.cb_1&verbose=1&data=${data}` });
    expect(jsonp.body).toBe('mp.cb_1({"status":1,"error":null});');
    const evil = await h.app.inject({ url: `/track?callback=${encodeURIComponent('alert(1);x')}&data=${data}` });
    expect(evil.statusCode).toBe(400);
    expect(evil.body).not.toContain('alert');
  });

  it('stores valid events beside rejected ones and names each rejection', async () => {
    h = await startIngest();
    const batch = [
      { event: 'ok', properties: { time: T, $insert_id: 'a' } },
      { event: '', properties: {} },
      { event: 'ok', properties: { time: 'yesterday' } },
      { event: 'ok', properties: { distinct_id: ['x'] } },
      'not an event',
      { event: 'ok', properties: { time: T, $insert_id: 'b', 'ключ': 'значение 🎉', '<b>': '<script>alert(1)</script>', "'; DROP TABLE events; --": 1 } },
    ];
    const r = await h.app.inject({ method: 'POST', url: '/track?verbose=1', headers: form, payload: `data=${encodeURIComponent(b64(batch))}` });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.status).toBe(1);
    expect(body.failed_records.map((f: { index: number; field: string }) => [f.index, f.field])).toEqual([[1, 'event'], [2, 'properties.time'], [3, 'properties.distinct_id'], [4, '']]);
    const stored = await storedEvents(h.store);
    expect(stored.map((s) => s.insert_id)).toEqual(['a', 'b']);
    expect(stored[1].properties).toMatchObject({ 'ключ': 'значение 🎉', '<b>': '<script>alert(1)</script>', "'; DROP TABLE events; --": 1 });
  });

  it('stores unicode and hostile names as sent, with lone surrogates made well-formed everywhere', async () => {
    h = await startIngest();
    const payload = '[{"event":"\\ud800 lone","properties":{"time":1700000000,"$insert_id":"h1","\\u0000nul":"a\\u0000b","":"empty key","\\ud83d\\ude00":"\\udfff","rtl":"\\u202e x","__proto__":{"admin":true}}}]';
    const r = await h.app.inject({ method: 'POST', url: '/track', headers: { 'content-type': 'application/json' }, payload });
    expect(r.body).toBe('1');
    const [e] = await storedEvents(h.store);
    expect(e.event).toBe('\ufffd lone');
    expect(JSON.stringify(e.properties)).toBe('{"time":1700000000,"$insert_id":"h1","\\u0000nul":"a\\u0000b","":"empty key","😀":"\ufffd","rtl":"\u202e x","__proto__":{"admin":true}}');
  });

  it('answers 0 with 400 when nothing in the request is valid, and says why', async () => {
    h = await startIngest();
    const cases: Array<[string, string, number, string]> = [
      ['invalid base64', 'data=%25%25%25', 400, 'neither JSON nor valid base64'],
      ['invalid JSON', `data=${encodeURIComponent(Buffer.from('{"event":').toString('base64'))}`, 400, 'not valid JSON'],
      ['a number', `data=${b64(42)}`, 400, 'JSON object or an array'],
      ['too many', `data=${encodeURIComponent(JSON.stringify(Array(2001).fill({ event: 'e' })))}`, 413, 'at most 2000'],
      ['no data', 'foo=bar', 400, 'no data'],
    ];
    for (const [, payload, status, message] of cases) {
      const r = await h.app.inject({ method: 'POST', url: '/track?verbose=1', headers: form, payload });
      expect([r.statusCode, r.json().status]).toEqual([status, 0]);
      expect(r.json().error).toContain(message);
      const plain = await h.app.inject({ method: 'POST', url: '/track', headers: form, payload });
      expect(plain.body).toBe('0');
    }
    expect(await countEvents(h.store)).toBe(0);
  });

  it('refuses bodies over 10 MB with 413', async () => {
    h = await startIngest();
    const r = await h.app.inject({ method: 'POST', url: '/track?verbose=1', headers: { 'content-type': 'application/json' }, payload: `[${'"x",'.repeat(2_700_000)}"x"]` });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ status: 0, error: expect.stringContaining('larger than') });
  });

  it('rejects one event over the 1 MB bound and keeps its neighbours', async () => {
    h = await startIngest();
    const huge: Record<string, unknown> = { time: T, $insert_id: 'huge' };
    for (let i = 0; i < 30; i++) huge[`p${i}`] = 'y'.repeat(50_000);
    const payload = JSON.stringify([{ event: 'small', properties: { time: T, $insert_id: 's1' } }, { event: 'huge', properties: huge }]);
    const r = await h.app.inject({ method: 'POST', url: '/import?strict=1', headers: { 'content-type': 'application/json' }, payload });
    expect(r.json()).toMatchObject({ num_records_imported: 1, failed_records: [{ index: 1, insert_id: 'huge', message: expect.stringContaining('larger than') }] });
    expect((await storedEvents(h.store)).map((s) => s.insert_id)).toEqual(['s1']);
  });

  it('stores a retried event once ($insert_id dedupe)', async () => {
    h = await startIngest();
    const payload = `data=${encodeURIComponent(b64([{ event: 'buy', properties: { time: T, $insert_id: 'same' } }, { event: 'buy', properties: { time: T, $insert_id: 'same' } }]))}`;
    for (let i = 0; i < 3; i++) expect((await h.app.inject({ method: 'POST', url: '/track', headers: form, payload })).body).toBe('1');
    expect(await countEvents(h.store)).toBe(1);
    expect(h.writer.stats.duplicates).toBe(5);
  });

  it('rejects events carrying another token when a project token is set', async () => {
    h = await startIngest({ token: 'proj-token' });
    const batch = [{ event: 'a', properties: { token: 'proj-token', time: T } }, { event: 'b', properties: { token: 'stolen', time: T } }, { event: 'c', properties: { time: T } }];
    const r = await h.app.inject({ method: 'POST', url: '/track?verbose=1', headers: form, payload: `data=${b64(batch)}` });
    expect(r.json().failed_records.map((f: { index: number; message: string }) => [f.index, f.message])).toEqual([[1, 'token does not match this project'], [2, 'project token is required']]);
    const stored = await storedEvents(h.store);
    expect(stored.map((s) => s.event)).toEqual(['a']);
    expect(stored[0].properties.token).toBeUndefined();
  });
});

describe('/import', () => {
  it('answers the strict=1 report with per-record failures and a 400 for a partial success', async () => {
    h = await startIngest();
    const batch = [{ event: 'a', properties: { time: T, $insert_id: 'i1' } }, { event: 'a', properties: { $insert_id: 'i2' } }];
    const r = await h.app.inject({ method: 'POST', url: '/import?strict=1', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(batch) });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 400, status: 'Bad Request', num_records_imported: 1, failed_records: [{ index: 1, insert_id: 'i2', field: 'properties.time' }] });
    const all = await h.app.inject({ method: 'POST', url: '/import/?strict=1', headers: { 'content-type': 'application/x-ndjson' }, payload: `${JSON.stringify(batch[0])}\n` });
    expect([all.statusCode, all.json()]).toEqual([200, { code: 200, status: 'OK', num_records_imported: 1 }]);
    expect(await countEvents(h.store)).toBe(1);
  });

  it('requires the API secret as HTTP Basic when one is set', async () => {
    h = await startIngest({ apiSecret: 's3cret' });
    const payload = JSON.stringify([{ event: 'a', properties: { time: T } }]);
    const headers = { 'content-type': 'application/json' };
    const none = await h.app.inject({ method: 'POST', url: '/import?strict=1', headers, payload });
    expect([none.statusCode, none.json().code, none.headers['www-authenticate']]).toEqual([401, 401, 'Basic realm="segscope import"']);
    const wrong = await h.app.inject({ method: 'POST', url: '/import', headers: { ...headers, authorization: `Basic ${Buffer.from('nope:').toString('base64')}` }, payload });
    expect([wrong.statusCode, wrong.body]).toEqual([401, '0']);
    const right = await h.app.inject({ method: 'POST', url: '/import', headers: { ...headers, authorization: `Basic ${Buffer.from('s3cret:').toString('base64')}` }, payload });
    expect([right.statusCode, right.body]).toEqual([200, '1']);
    expect(await countEvents(h.store)).toBe(1);
  });
});

describe('/engage and aliases', () => {
  it('applies profile updates to the profiles table', async () => {
    h = await startIngest();
    const send = (d: unknown) => h.app.inject({ method: 'POST', url: '/engage/', headers: form, payload: `data=${encodeURIComponent(b64(d))}` });
    expect((await send({ $distinct_id: 'u1', $set: { name: 'Ann', n: 1 } })).body).toBe('1');
    expect((await send([{ $distinct_id: 'u1', $add: { n: 2 } }, { $distinct_id: 'u2', $set_once: { a: 1 } }, { $distinct_id: 'u2', $delete: '' }])).body).toBe('1');
    const rows = await h.store.query<{ distinct_id: string; properties: string }>('SELECT distinct_id, properties FROM segscope_profiles ORDER BY distinct_id', []);
    expect(rows.map((r) => [r.distinct_id, JSON.parse(r.properties)])).toEqual([['u1', { name: 'Ann', n: 3 }]]);
  });

  it('stores events sent under an alias under the canonical id, after a restart too', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/segscope-alias-`);
    try {
      h = await startIngest({ path: `${dir}/db.duckdb` });
      const send = (d: unknown) => h.app.inject({ method: 'POST', url: '/track', headers: form, payload: `data=${encodeURIComponent(b64(d))}` });
      await send([
        { event: 'view', properties: { distinct_id: 'anon-1', time: T, $insert_id: 'v1' } },
        { event: '$create_alias', properties: { distinct_id: 'user-1', alias: 'anon-1', time: T + 1, $insert_id: 'al' } },
        { event: 'view', properties: { distinct_id: 'anon-1', time: T + 2, $insert_id: 'v2' } },
      ]);
      await h.close();
      h = await startIngest({ path: `${dir}/db.duckdb` });
      await h.app.inject({ method: 'POST', url: '/track', headers: form, payload: `data=${encodeURIComponent(b64({ event: 'view', properties: { distinct_id: 'anon-1', time: T + 3, $insert_id: 'v3' } }))}` });
      const stored = await storedEvents(h.store);
      expect(stored.map((s) => [s.insert_id, s.distinct_id])).toEqual([['v1', 'anon-1'], ['al', 'user-1'], ['v2', 'user-1'], ['v3', 'user-1']]);
      expect(stored[3].properties).toMatchObject({ distinct_id: 'user-1', $distinct_id_before_identity: 'anon-1' });

      // The browser SDK's identify(): $identify maps the anonymous device id to the user.
      await h.app.inject({ method: 'POST', url: '/track', headers: form, payload: `data=${encodeURIComponent(b64([
        { event: 'view', properties: { distinct_id: '$device:d1', time: T + 4, $insert_id: 'd1' } },
        { event: '$identify', properties: { distinct_id: 'user-2', $anon_distinct_id: '$device:d1', time: T + 5, $insert_id: 'id2' } },
        { event: 'view', properties: { distinct_id: '$device:d1', time: T + 6, $insert_id: 'd2' } },
      ]))}` });
      expect((await storedEvents(h.store)).slice(4).map((s) => [s.insert_id, s.distinct_id])).toEqual([['d1', '$device:d1'], ['id2', 'user-2'], ['d2', 'user-2']]);
    } finally {
      await h.close();
      h = undefined as unknown as Harness;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inside the whole app', () => {
  it('takes a full 2,000-event request of several MB although the app limits other bodies to 1 MiB', async () => {
    const { buildApp } = await import('../../src/server/app.ts');
    const { openDuckDbStore } = await import('../../src/server/store/duckdb.ts');
    const store = await openDuckDbStore({ path: ':memory:', threads: 1 });
    const app = await buildApp({ store });
    try {
      const events = Array.from({ length: 2000 }, (_, i) => ({ event: 'big', properties: { time: T, $insert_id: `big${i}`, text: 'x'.repeat(1500) } }));
      const payload = JSON.stringify(events);
      expect(payload.length).toBeGreaterThan(3_000_000);
      const r = await app.inject({ method: 'POST', url: '/import?strict=1', headers: { 'content-type': 'application/json' }, payload });
      expect([r.statusCode, r.json().num_records_imported]).toEqual([200, 2000]);
      expect(await countEvents(store)).toBe(2000);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
