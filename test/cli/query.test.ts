// `segscope query`, spawned as a user runs it, against a DuckDB file written by the real store.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';
import { EVENTS, HOSTILE_BROWSER } from '../server/fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'segscope-query-'));
  db = path.join(dir, 'events.duckdb');
  const store = await openDuckDbStore({ path: db, threads: 1 });
  await store.insertEvents(EVENTS);
  await store.close();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function segscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/segscope.js'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const RANGE = ['--event', 'Purchase', '--from', '2024-03-01', '--to', '2024-03-03'];

describe('segscope query', () => {
  it('prints the result as JSON', async () => {
    const r = await segscope(['query', '--db', db, ...RANGE, '--on', 'properties["$browser"]', '--where', 'properties["price"] >= 5', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.totals).toEqual({ Chrome: 2, Firefox: 1, Safari: 1 });
    expect(result.meta.where).toBe('properties["price"] >= 5');
  });

  it('prints a table with buckets as rows, segments as columns and totals last', async () => {
    const r = await segscope(['query', '--db', db, ...RANGE, '--on', 'properties["$browser"]', '--limit', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^bucket\\s+Chrome\\s+${HOSTILE_BROWSER.replace(/[()]/g, '\\$&')}$`));
    expect(lines[2]).toMatch(/^2024-03-01\s+1\s+0$/);
    expect(lines[6]).toMatch(/^total\s+3\s+1$/);
    expect(r.stdout).toContain('(top 2 of 4 segments)');
  });

  it('prints CSV', async () => {
    const r = await segscope(['query', '--db', db, ...RANGE, '--unit', 'week', '--type', 'unique', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('bucket,Purchase\n2024-02-26,4\n');
  });

  it('points at an expression error with line:column and a caret', async () => {
    const r = await segscope(['query', '--db', db, ...RANGE, '--where', 'properties["price"] > > 5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(/^segscope query: --where 1:23: /);
    expect(lines[1]).toBe('  properties["price"] > > 5');
    expect(lines[2]).toBe(`  ${' '.repeat(22)}^`);
  });

  it('reports request errors like the API, naming the flag', async () => {
    const r = await segscope(['query', '--db', db, '--event', 'Purchase', '--from', '2024-02-30', '--to', '2024-03-03']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^segscope query: --from must be a calendar date written YYYY-MM-DD, not "2024-02-30"/);
    const u = await segscope(['query', '--db', db, ...RANGE, '--unit', 'minute', '--from', '2023-03-01']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('buckets, more than the limit of 10,000');
    const f = await segscope(['query', '--db', db, ...RANGE, '--format', 'xml']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('--format must be one of table, json, csv');
  });

  it('says when there is no database', async () => {
    const r = await segscope(['query', '--db', path.join(dir, 'missing.duckdb'), ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
  });
});
