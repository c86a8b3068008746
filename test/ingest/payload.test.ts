import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDataParam, decodeRequest } from '../../src/server/ingest/payload.ts';

const ev = { event: 'e', properties: { distinct_id: 'u', 'ünï': '日本語 🎉' } };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

describe('the data parameter', () => {
  it('reads base64, URL-safe base64, base64 with + turned to spaces, and plain JSON', () => {
    for (const text of [b64(ev), b64(ev).replace(/\+/g, '-').replace(/\//g, '_'), b64(ev).replace(/\+/g, ' '), JSON.stringify(ev)]) {
      expect(decodeDataParam(text)).toMatchObject({ ok: true, records: [ev] });
    }
  });

  it('answers why when it cannot read it', () => {
    expect(decodeDataParam('%%%not base64')).toMatchObject({ ok: false, status: 400, message: 'data is neither JSON nor valid base64' });
    expect(decodeDataParam(Buffer.from('{"event": ').toString('base64'))).toMatchObject({ ok: false, status: 400 });
    expect(decodeDataParam('[1,')).toMatchObject({ ok: false, message: expect.stringContaining('data is not valid JSON') });
    expect(decodeDataParam('')).toMatchObject({ ok: false, message: 'data is empty' });
    expect(decodeDataParam(b64('text'))).toMatchObject({ ok: false, message: expect.stringContaining('JSON object or an array') });
  });

  it('refuses more than 2,000 records with 413', () => {
    expect(decodeDataParam(JSON.stringify(Array(2001).fill(ev)))).toMatchObject({ ok: false, status: 413 });
    expect(decodeDataParam(JSON.stringify(Array(2000).fill(ev)))).toMatchObject({ ok: true });
  });
});

describe('request bodies', () => {
  const base = { query: {}, contentEncoding: undefined };
  it('reads form fields, JSON, NDJSON and gzip', () => {
    const form = decodeRequest({ ...base, contentType: 'application/x-www-form-urlencoded', body: Buffer.from(`data=${encodeURIComponent(b64([ev, ev]))}&verbose=1`) });
    expect(form.params.verbose).toBe('1');
    expect(form.decoded).toMatchObject({ ok: true, records: [ev, ev] });
    expect(decodeRequest({ ...base, contentType: 'application/json', body: Buffer.from(JSON.stringify([ev])) }).decoded).toMatchObject({ ok: true, records: [ev] });
    expect(decodeRequest({ ...base, contentType: 'application/x-ndjson', body: Buffer.from(`${JSON.stringify(ev)}\n\n${JSON.stringify(ev)}\n`) }).decoded).toMatchObject({ ok: true, records: [ev, ev] });
    const gz = gzipSync(Buffer.from(JSON.stringify([ev])));
    expect(decodeRequest({ query: {}, contentType: 'application/json', contentEncoding: 'gzip', body: gz }).decoded).toMatchObject({ ok: true, records: [ev] });
  });

  it('takes data from the query string when the body is empty', () => {
    expect(decodeRequest({ ...base, query: { data: b64(ev), ip: '1' }, contentType: undefined, body: undefined })).toEqual({ params: { data: b64(ev), ip: '1' }, decoded: { ok: true, records: [ev], sourceChars: JSON.stringify(ev).length } });
  });

  it('says what is missing or broken', () => {
    expect(decodeRequest({ ...base, contentType: undefined, body: undefined }).decoded).toMatchObject({ ok: false, status: 400, message: expect.stringContaining('no data') });
    expect(decodeRequest({ ...base, contentType: 'application/json', body: Buffer.from('{"event":') }).decoded).toMatchObject({ ok: false, message: expect.stringContaining('body is not valid JSON') });
    expect(decodeRequest({ ...base, contentType: 'application/x-ndjson', body: Buffer.from('{}\n{bad') }).decoded).toMatchObject({ ok: false, message: expect.stringContaining('body line 2') });
    expect(decodeRequest({ query: {}, contentType: 'application/json', contentEncoding: 'gzip', body: Buffer.from('not gzip') }).decoded).toMatchObject({ ok: false, message: 'body is not valid gzip' });
    expect(decodeRequest({ query: {}, contentType: 'application/json', contentEncoding: 'br', body: Buffer.from('x') }).decoded).toMatchObject({ ok: false, status: 415 });
  });

  it('refuses gzip bombs beyond the uncompressed limit', () => {
    const bomb = gzipSync(Buffer.alloc(11 * 1024 * 1024, 32));
    expect(decodeRequest({ query: {}, contentType: 'application/json', contentEncoding: 'gzip', body: bomb }).decoded).toMatchObject({ ok: false, status: 413 });
  });
});
