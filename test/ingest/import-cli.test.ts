// `segscope import`: the real command in a child process, on files generated here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';

const dir = mkdtempSync(`${tmpdir()}/segscope-import-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = new URL('../../bin/segscope.js', import.meta.url).pathname;

function segscope(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'import', ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function stored(db: string): Promise<Array<{ event: string; distinct_id: string; n: number | null }>> {
  const store = await openDuckDbStore({ path: db, threads: 1 });
  try {
    const rows = await store.query<{ event: string; distinct_id: string; n: number | null }>(
      "SELECT event, distinct_id, json_extract(properties, '$.n')::INTEGER AS n FROM events ORDER BY n, event", []);
    return rows.map((r) => ({ ...r, n: r.n === null ? null : Number(r.n) }));
  } finally {
    await store.close();
  }
}

const T = 1_700_000_000;
const good = (n: number) => ({ event: n % 2 ? 'Purchase' : 'Signup', properties: { time: T + n, distinct_id: `u${n % 3}`, n } });

// Each test starts the CLI once or twice (a few seconds each on a loaded machine).
vi.setConfig({ testTimeout: 180_000 });

describe('segscope import', () => {
  it('imports gzipped JSON lines, reports rejected lines with numbers and reasons, exits 1, and adds nothing on re-run', () => {
    const lines = [JSON.stringify(good(1)), '{"event": "x", "properties": ', JSON.stringify(good(2)), '', JSON.stringify({ event: 'NoTime', properties: { n: 9 } }), JSON.stringify(good(3)), '[1, 2]'];
    writeFileSync(`${dir}/export.jsonl.gz`, gzipSync(`${lines.join('\n')}\n`));
    const first = segscope('export.jsonl.gz', '--db', 'a.duckdb', '--report', 'bad.jsonl');
    expect(first.code).toBe(1);
    expect(first.out).toContain('6 records read, 3 stored, 0 already present, 3 rejected');
    const report = readFileSync(`${dir}/bad.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(report.map((r) => [r.line, r.field, r.reason.slice(0, 12)])).toEqual([
      [2, '', 'invalid JSON'],
      [5, 'properties.time', 'time is requ'],
      [7, '', 'event must b'],
    ]);
    const again = segscope('export.jsonl.gz', '--db', 'a.duckdb', '--report', 'bad2.jsonl');
    expect(again.out).toContain('0 stored, 3 already present, 3 rejected');
  });

  it('imports a pretty-printed JSON array and a plain file into one store, exit 0 when all is valid', async () => {
    writeFileSync(`${dir}/array.json`, JSON.stringify([good(10), good(11)], null, 2));
    writeFileSync(`${dir}/more.jsonl`, `${JSON.stringify(good(12))}\r\n${JSON.stringify({ ...good(13), properties: { ...good(13).properties, time: (T + 13) * 1000 } })}`);
    const r = segscope('array.json', 'more.jsonl', '--db', 'b.duckdb');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('4 records read, 4 stored');
    expect(existsSync(`${dir}/array.json.rejected.jsonl`)).toBe(false);
    expect(await stored(`${dir}/b.duckdb`)).toEqual([
      { event: 'Signup', distinct_id: 'u1', n: 10 },
      { event: 'Purchase', distinct_id: 'u2', n: 11 },
      { event: 'Signup', distinct_id: 'u0', n: 12 },
      { event: 'Purchase', distinct_id: 'u1', n: 13 },
    ]);
  });

  it('explains bad usage with exit code 2', () => {
    expect(segscope().code).toBe(2);
    const missing = segscope('nope.jsonl');
    expect([missing.code, missing.err.split('\n')[0]]).toEqual([2, 'segscope import: no such file: nope.jsonl']);
    expect(segscope('--batch', 'lots', 'array.json').err).toContain('--batch must be a whole number');
  });

  it('names the file and line when a gzip file is cut short', () => {
    const full = gzipSync(Array.from({ length: 2000 }, (_, i) => JSON.stringify(good(i))).join('\n'));
    writeFileSync(`${dir}/cut.jsonl.gz`, full.subarray(0, full.length - 20));
    const r = segscope('cut.jsonl.gz', '--db', 'c.duckdb');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cut\.jsonl\.gz: cannot read gzip data after line \d+: unexpected end of file/);
  });
});
