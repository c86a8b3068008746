// `segscope serve`, spawned as Playwright and users start it: sample data on first start, reused on
// the next, /healthz answering, and a clean exit on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countEvents, openStore } from '../../src/server/server.ts';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';
import { EVENTS } from '../server/fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'segscope-serve-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

type Started = { child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> };

function serve(args: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/segscope.js'), 'serve', '--port', '0', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => { children.delete(child); r(code); }));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /ready at (http:\/\/\S+)/.exec(stdout);
      if (m) resolve({ child, url: m[1] as string, stderr: () => stderr, exited });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${stderr}`)));
  });
}

describe('segscope serve', () => {
  it('starts on :memory: with a small sample, answers /healthz and exits cleanly on SIGTERM', async () => {
    const s = await serve(['--db', ':memory:', '--sample-events', '2000', '--seed', '1']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await (await fetch(new URL('/healthz', s.url))).json();
    expect(health).toEqual({ status: 'ok', store: 'duckdb', events: 2000 });
    expect(s.stderr()).toContain('generating 2,000 sample events (seed 1)');
    const events = await (await fetch(new URL('/api/events', s.url))).json();
    expect(events.events.length).toBeGreaterThan(1);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('SIGTERM received, shutting down');
  });

  it('generates sample data into a new file once and reuses it on the next start', async () => {
    const db = path.join(dir, 'data', 'segscope.duckdb');
    const first = await serve(['--db', db, '--sample-events', '1500', '--seed', '7']);
    const a = await (await fetch(new URL('/healthz', first.url))).json();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain('sample data ready');

    const second = await serve(['--db', db, '--sample-events', '1500', '--seed', '7']);
    const b = await (await fetch(new URL('/healthz', second.url))).json();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(a.events).toBe(1500);
    expect(b.events).toBe(1500);
    expect(second.stderr()).not.toContain('generating');
  });

  it('redoes a sample generation that was interrupted instead of keeping half of it', async () => {
    const db = path.join(dir, 'interrupted.duckdb');
    const half = await openDuckDbStore({ path: db, threads: 1 });
    await half.insertEvents(EVENTS);
    await half.execute('CREATE TABLE segscope_sample_seed (seed DOUBLE, events BIGINT, completed BOOLEAN)', []);
    await half.execute('INSERT INTO segscope_sample_seed VALUES (1, 300, false)', []);
    await half.close();
    let said = '';
    const store = await openStore({ db, sampleEvents: 300, seed: 1, err: (t) => (said += t) });
    expect(await countEvents(store)).toBe(300);
    await store.close();
    expect(said).toContain('the last sample generation was interrupted; starting it again');
    // Finished now: the next open keeps it.
    said = '';
    const again = await openStore({ db, sampleEvents: 300, seed: 1, err: (t) => (said += t) });
    expect(await countEvents(again)).toBe(300);
    await again.close();
    expect(said).toBe('');
  });

  it('refuses bad flags with exit code 2 and the usage', async () => {
    await expect(serve(['--port', 'eighty'])).rejects.toThrow(/--port must be a whole number from 0 to 65,535, not "eighty"/);
    await expect(serve(['--sample-events', '-5'])).rejects.toThrow(/exited with 2/);
  });
});
