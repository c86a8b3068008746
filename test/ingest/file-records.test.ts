import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrayScanner, LineSplitter, openRecordSource, type FileRecord } from '../../src/server/ingest/file-records.ts';

const dir = mkdtempSync(`${tmpdir()}/segscope-records-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function feed(scanner: LineSplitter | ArrayScanner, text: string, piece: number): FileRecord[] {
  const out: FileRecord[] = [];
  for (let i = 0; i < text.length; i += piece) for (const c of scanner.push(text.slice(i, i + piece))) out.push(...c);
  for (const c of scanner.end()) out.push(...c);
  return out;
}

describe('splitting records', () => {
  const tricky = [
    { event: 'a', properties: { s: 'comma, bracket ] brace } quote \\" end', n: [1, [2, { x: ']' }]] } },
    { event: 'b\nwith newline escape', properties: {} },
    { event: '日本語 🎉', properties: { '[': '{' } },
  ];

  it('finds the elements of a JSON array wherever the chunks split, with their lines', () => {
    const text = `[\n${tricky.map((e) => JSON.stringify(e, null, 1)).join(',\n')}\n]\n`;
    for (const piece of [1, 2, 3, 7, 64, 1 << 20]) {
      const records = feed(new ArrayScanner(), text, piece);
      expect(records.map((r) => JSON.parse(r.text))).toEqual(tricky);
      expect(records.map((r) => r.line)).toEqual([2, 2 + JSON.stringify(tricky[0], null, 1).split('\n').length, expect.any(Number)]);
    }
  });

  it('reports text after the array and an unterminated array', () => {
    expect(feed(new ArrayScanner(), '[{"event":"a"}] trailing', 64).map((r) => r.text)).toEqual(['{"event":"a"}', 'trailing']);
    const cut = feed(new ArrayScanner(), '[{"event":"a"},\n{"event":', 4);
    expect(cut.map((r) => r.line)).toEqual([1, 2]);
    expect(() => JSON.parse(cut[1].text)).toThrow();
  });

  it('splits lines with CRLF, blank lines and a last line without newline', () => {
    const records = feed(new LineSplitter(), 'a\r\n\n  \nb\nc', 2);
    expect(records).toEqual([{ line: 1, text: 'a' }, { line: 4, text: 'b' }, { line: 5, text: 'c' }]);
  });
});

describe('files', () => {
  it('detects gzip by its magic bytes and JSON arrays by their first character', async () => {
    const lines = tricky();
    const cases: Array<[string, Buffer, 'jsonl' | 'array', boolean]> = [
      ['plain.jsonl', Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')), 'jsonl', false],
      ['zipped.data', gzipSync(lines.map((l) => JSON.stringify(l)).join('\n')), 'jsonl', true],
      ['array.json.gz', gzipSync(`  ${JSON.stringify(lines, null, 2)}`), 'array', true],
    ];
    for (const [name, bytes, format, gzipped] of cases) {
      writeFileSync(`${dir}/${name}`, bytes);
      const source = await openRecordSource(`${dir}/${name}`);
      const got: unknown[] = [];
      for await (const chunk of source.chunks()) for (const r of chunk) got.push(JSON.parse(r.text));
      expect([name, got, source.format(), source.gzipped, source.bytesRead()]).toEqual([name, lines, format, gzipped, bytes.length]);
    }
  });
});

describe('decoding', () => {
  it('keeps characters split across read chunks (1 MiB) intact between ASCII-only chunks', async () => {
    // Lines of ASCII until a 2-, 3- and 4-byte character straddles each of the first chunk
    // boundaries, then ASCII-only chunks (read without the UTF-8 decoder) and a final non-ASCII line.
    const chunk = 1 << 20;
    const lines: string[] = [];
    let bytes = 0;
    const add = (line: string): void => {
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    };
    for (const [k, char] of [[1, 'é'], [2, '東'], [3, '🎉']] as const) {
      const prefix = '{"s":"';
      const fill = k * chunk - bytes - prefix.length - 1; // the character starts one byte before the boundary
      add(`${prefix}${'a'.repeat(fill)}${char}"}`);
    }
    while (bytes < 5 * chunk) add(`{"n":${bytes}}`);
    add('{"s":"ünï"}');
    writeFileSync(`${dir}/split.jsonl`, `${lines.join('\n')}\n`);
    const source = await openRecordSource(`${dir}/split.jsonl`);
    const got: string[] = [];
    for await (const c of source.chunks()) for (const r of c) got.push(r.text);
    expect(got.length).toBe(lines.length);
    expect(got).toEqual(lines);
  });
});

function tricky() {
  return Array.from({ length: 3000 }, (_, i) => ({ event: `e${i % 7}`, properties: { time: 1_700_000_000 + i, s: `x${'"],'.repeat(i % 5)}` } }));
}
