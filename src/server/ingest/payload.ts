// Getting the records out of a request the way Mixpanel clients send them: a `data` parameter
// (query string or form field) holding base64 or plain JSON, or a JSON / NDJSON body; one record or
// an array of them. Bodies may be gzip-compressed.
import { gunzipSync } from 'node:zlib';
import { LIMITS } from './limits.ts';
import { mayHoldLoneSurrogates, wellFormed } from './unicode.ts';

/** `sourceChars`: length of the JSON text the records were parsed from. */
export type Decoded = { ok: true; records: unknown[]; sourceChars?: number } | { ok: false; status: 400 | 413 | 415; message: string };

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

function tooMany(n: number): Decoded {
  return { ok: false, status: 413, message: `request holds ${n} records; at most ${LIMITS.eventsPerRequest} are allowed per request` };
}

function fromParsed(value: unknown, where: string): Decoded {
  if (Array.isArray(value)) {
    if (value.length > LIMITS.eventsPerRequest) return tooMany(value.length);
    return { ok: true, records: value };
  }
  if (typeof value === 'object' && value !== null) return { ok: true, records: [value] };
  return { ok: false, status: 400, message: `${where} must be a JSON object or an array of objects` };
}

function parse(text: string): unknown {
  const value: unknown = JSON.parse(text);
  return mayHoldLoneSurrogates(text) ? wellFormed(value) : value;
}

function parseJson(text: string, where: string): Decoded {
  try {
    return withSource(fromParsed(parse(text), where), text.length);
  } catch (e) {
    return { ok: false, status: 400, message: `${where} is not valid JSON: ${(e as Error).message}` };
  }
}

/** The `data` parameter: plain JSON, or base64 (standard or URL-safe) of JSON. */
export function decodeDataParam(data: string): Decoded {
  const text = data.trim();
  if (text === '') return { ok: false, status: 400, message: 'data is empty' };
  if (text[0] === '{' || text[0] === '[') return parseJson(text, 'data');
  // Clients that do not URL-encode their base64 have '+' arrive as ' '.
  const b64 = text.replace(/ /g, '+').replace(/[\r\n\t]/g, '');
  if (!BASE64.test(b64) || b64.replace(/=+$/, '').length % 4 === 1) {
    return { ok: false, status: 400, message: 'data is neither JSON nor valid base64' };
  }
  const json = Buffer.from(b64, 'base64').toString('utf8');
  return parseJson(json, 'data (base64-decoded)');
}

function parseNdjson(text: string): Decoded {
  const records: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (records.length >= LIMITS.eventsPerRequest) return tooMany(lines.filter((l) => l.trim() !== '').length);
    try {
      records.push(parse(line));
    } catch (e) {
      return { ok: false, status: 400, message: `body line ${i + 1} is not valid JSON: ${(e as Error).message}` };
    }
  }
  return { ok: true, records, sourceChars: text.length };
}

export type RequestParts = {
  query: Record<string, unknown>;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer | undefined;
};

/** Parameters (query + form fields) and the records, from any of the accepted request shapes. */
export function decodeRequest(parts: RequestParts): { params: Record<string, string>; decoded: Decoded } {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(parts.query)) {
    const value = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof value === 'string') params[k] = value;
  }
  let body = parts.body && parts.body.length > 0 ? parts.body : undefined;
  if (body && parts.contentEncoding && /gzip/i.test(parts.contentEncoding)) {
    try {
      body = gunzipSync(body, { maxOutputLength: LIMITS.bodyBytes });
    } catch (e) {
      const message = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `body is larger than ${LIMITS.bodyBytes} bytes uncompressed`
        : 'body is not valid gzip';
      return { params, decoded: { ok: false, status: (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 413 : 400, message } };
    }
  } else if (body && parts.contentEncoding && !/^\s*identity\s*$/i.test(parts.contentEncoding)) {
    return { params, decoded: { ok: false, status: 415, message: `unsupported Content-Encoding ${JSON.stringify(parts.contentEncoding.slice(0, 40))} (use gzip)` } };
  }

  if (body) {
    const type = (parts.contentType ?? '').toLowerCase();
    const text = body.toString('utf8');
    const trimmed = text.trimStart();
    const looksJson = trimmed[0] === '{' || trimmed[0] === '[';
    if (type.includes('ndjson') || type.includes('jsonl')) return { params, decoded: parseNdjson(text) };
    if (type.includes('json') || (!type.includes('x-www-form-urlencoded') && looksJson)) {
      return { params, decoded: parseJsonBody(text) };
    }
    // Form fields (what the SDKs send): data=...&verbose=1
    const form = new URLSearchParams(text);
    for (const [k, v] of form) params[k] = v;
  }
  if (params.data === undefined) {
    return { params, decoded: { ok: false, status: 400, message: 'no data: send it as the data query parameter, a data form field, or a JSON body' } };
  }
  return { params, decoded: decodeDataParam(params.data) };
}

function parseJsonBody(text: string): Decoded {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (e) {
    return { ok: false, status: 400, message: `body is not valid JSON: ${(e as Error).message}` };
  }
  // Some clients wrap the form field in JSON: {"data": "<base64 or JSON>"}.
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    if (typeof o.data === 'string' && o.event === undefined && o.$distinct_id === undefined) return decodeDataParam(o.data);
  }
  return withSource(fromParsed(parsed, 'body'), text.length);
}

function withSource(d: Decoded, chars: number): Decoded {
  if (d.ok) d.sourceChars = chars;
  return d;
}
