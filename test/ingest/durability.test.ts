// An acknowledged event survives kill -9: the real server runs as a child process, clients ingest,
// the server is SIGKILLed mid-stream, restarted on the same file, and every acknowledged event is
// there (and the segmentation API counts them).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/server/store/duckdb.ts';

const dir = mkdtempSync(`${tmpdir()}/segscope-durable-`);
const BIN = new URL('../../bin/segscope.js', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function serve(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db, '--sample-events', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 60_000);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1].replace(/\/$/, '') });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

const T = 1_700_000_000;

/** Resolves when the child has exited, also when that happened before the call. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('durability', () => {
  it('finds every acknowledged event after SIGKILL and restart', async () => {
    const db = `${dir}/events.duckdb`;
    const first = await serve(db);
    const acked: string[] = [];
    let killed = false;
    const client = async (c: number) => {
      for (let r = 0; !killed; r++) {
        const ids = Array.from({ length: 50 }, (_, i) => `c${c}-r${r}-${i}`);
        const body = JSON.stringify(ids.map((id, i) => ({ event: 'durable', properties: { distinct_id: `c${c}`, time: T + i, $insert_id: id } })));
        try {
          const res = await fetch(`${first.url}/track`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          if (res.status === 200 && (await res.text()) === '1') acked.push(...ids);
        } catch {
          return; // the server is gone: this request was never acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    while (acked.length < 1000) await new Promise((r) => setTimeout(r, 20));
    const firstExited = exited(first.child);
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(clients);
    await firstExited;
    const ackedAtKill = [...acked];
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(1000);

    const second = await serve(db);
    const day = new Date(T * 1000).toISOString().slice(0, 10);
    const seg = await (await fetch(`${second.url}/api/2.0/segmentation?event=durable&from_date=${day}&to_date=${day}&type=general&unit=day`)).json() as { data: { values: Record<string, Record<string, number>> } };
    const counted = seg.data.values.durable[day];
    expect(counted).toBeGreaterThanOrEqual(ackedAtKill.length);
    const secondExited = exited(second.child);
    second.child.kill('SIGTERM');
    await secondExited;

    const store = await openDuckDbStore({ path: db, threads: 1 });
    try {
      const rows = await store.query<{ insert_id: string }>("SELECT insert_id FROM events WHERE event = 'durable'", []);
      const stored = new Set(rows.map((r) => r.insert_id));
      expect(ackedAtKill.filter((id) => !stored.has(id))).toEqual([]);
      expect(stored.size).toBe(counted);
    } finally {
      await store.close();
    }
    // Two server starts: generous on a loaded machine.
  }, 240_000);
});
