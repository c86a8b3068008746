// `segscope eval` as a user runs it: a real process fed on stdin.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { evalStream } from '../../src/cli/eval.ts';
import { jsonErrorOffset } from '../../src/cli/json-position.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runEval(input: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/segscope.js', 'eval', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lines = (s: string): unknown[] => s.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

type Case = { expr: string; event?: unknown; expect?: unknown; error?: true };

describe('segscope eval (a real process)', () => {
  it('finishes quietly when the reader of its output goes away (| head)', async () => {
    const input = `${JSON.stringify({ expr: '"x" + "y"', event: { event: 'E', properties: {} } })}\n`.repeat(20_000);
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/segscope.js', 'eval'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
      // The child stops reading once its reader is gone: the rest of our input meets a closed pipe.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    });
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
    expect(result.code).toBe(0);
  });

  it('answers the whole conformance file', async () => {
    const cases = readFileSync(new URL('../fixtures/expressions.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Case);
    const input = cases.map((c) => JSON.stringify({ expr: c.expr, event: c.event })).join('\n') + '\n';
    const { code, stdout } = await runEval(input);
    expect(code).toBe(0);
    const out = lines(stdout) as { ok: boolean; value?: unknown; error?: { line: number; column: number } }[];
    expect(out).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      if (c.error) {
        expect([c.expr, out[i].ok]).toEqual([c.expr, false]);
        expect(out[i].error?.line).toBeGreaterThanOrEqual(1);
        expect(out[i].error?.column).toBeGreaterThanOrEqual(1);
      } else {
        expect([c.expr, out[i]]).toEqual([c.expr, { ok: true, value: c.expect }]);
      }
    });
  });

  it('gives a malformed line its own error and runs the rest', async () => {
    const input = [
      '{"expr": "1 + 2"}',
      '{"expr": "1 +", "event": }',
      '',
      'not json at all',
      '{"expr": "properties[\\"a\\"] ==", "event": {"event": "x", "properties": {}}}',
      '{"expr": {"op": "+", "args": [{"lit": 1}, {"op": "neg", "args": []}]}}',
      '[1, 2]',
      '{"event": {}}',
      '{"expr": "1", "event": []}',
      '{"expr": "now()", "now": "yesterday"}',
      '{"expr": "properties[\\"n\\"] * 2", "event": {"event": "x", "properties": {"n": 21}}}',
    ].join('\n');
    const { code, stdout } = await runEval(input);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      { ok: true, value: { type: 'number', value: 3 } },
      { ok: false, error: { message: 'input line 2, column 26: not valid JSON', line: 2, column: 26 } },
      { ok: false, error: { message: 'input line 4, column 1: not valid JSON', line: 4, column: 1 } },
      { ok: false, error: { message: "1:19: expected an expression after '==', found end of input", line: 1, column: 19 } },
      { ok: false, error: expect.objectContaining({ line: null, column: null, path: 'args[1]' }) },
      { ok: false, error: { message: 'input line 7: expected a JSON object {"expr": ..., "event": ...}', line: null, column: null } },
      { ok: false, error: { message: 'input line 8: missing "expr"', line: null, column: null } },
      { ok: false, error: { message: 'input line 9: "event" must be an object {"event": "<name>", "properties": {...}}', line: null, column: null } },
      { ok: false, error: { message: 'input line 10: "now" must be unix seconds or an ISO-8601 datetime', line: null, column: null } },
      { ok: true, value: { type: 'number', value: 42 } },
    ]);
  });

  it('takes now as an ISO string or unix seconds, and defaults the event', async () => {
    const input = [
      '{"expr": "now()", "now": "2024-01-01T00:00:00Z"}',
      '{"expr": "now()", "now": 1312761600.5}',
      '{"expr": "event"}',
      '{"expr": "now() == now()"}',
    ].join('\n');
    const { stdout } = await runEval(input);
    expect(lines(stdout)).toEqual([
      { ok: true, value: { type: 'datetime', value: '2024-01-01T00:00:00Z' } },
      { ok: true, value: { type: 'datetime', value: '2011-08-08T00:00:00.500Z' } },
      { ok: true, value: { type: 'object', value: { name: '' } } },
      { ok: true, value: { type: 'boolean', value: true } },
    ]);
  });

  it('keeps hostile strings as data', async () => {
    const nasty = `'); DROP TABLE events; --<script>alert(1)</script>\u0000\u2028`;
    const input = JSON.stringify({ expr: 'properties["x"] + "!"', event: { event: 'e', properties: { x: nasty } } }) + '\n';
    const { stdout } = await runEval(input);
    expect(lines(stdout)).toEqual([{ ok: true, value: { type: 'string', value: `${nasty}!` } }]);
  });

  it('answers each line while stdin stays open (usable as a co-process)', async () => {
    const child = spawn(process.execPath, ['bin/segscope.js', 'eval'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    const answers: string[] = [];
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (d: string) => {
      answers.push(d);
      // Only after the first answer arrives is the second question asked.
      if (answers.length === 1) child.stdin.write('{"expr": "2 * 21"}\n');
      else child.stdin.end();
    });
    child.stdin.write('{"expr": "1 + 1"}\n');
    expect(await done).toBe(0);
    expect(answers.join('')).toBe('{"ok":true,"value":{"type":"number","value":2}}\n{"ok":true,"value":{"type":"number","value":42}}\n');
  });

  it('exits 2 on an unknown option and prints usage', async () => {
    const { code, stderr, stdout } = await runEval('', ['--frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown option '--frobnicate'");
    expect(stderr).toContain('usage: segscope eval');
  });
});

describe('evalStream (in process)', () => {
  async function streamed(input: string, fold = true): Promise<unknown[]> {
    const inp = new PassThrough();
    const out = new PassThrough();
    let text = '';
    out.setEncoding('utf8').on('data', (d: string) => (text += d));
    const done = evalStream(inp, out, { fold, now: 0 });
    inp.end(input);
    await done;
    return lines(text);
  }

  it('survives deep nesting in the input and in the expression', async () => {
    const deepJson = '{"expr": "1", "event": {"event": "x", "properties": {"a": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}}}';
    const deepExpr = JSON.stringify({ expr: '('.repeat(1000) + '1' + ')'.repeat(1000) });
    const out = await streamed(`${deepJson}\n${deepExpr}\n`);
    expect(out[0]).toEqual({ ok: true, value: { type: 'number', value: 1 } });
    expect(out[1]).toMatchObject({ ok: false, error: { message: expect.stringContaining('nested deeper than 256') } });
  });

  it('reuses prepared expressions and evaluates without folding when asked', async () => {
    const input = Array.from({ length: 50 }, (_, i) => JSON.stringify({ expr: 'properties["i"] * 2', event: { event: 'e', properties: { i } } })).join('\n');
    const out = (await streamed(input, false)) as { value: { value: number } }[];
    expect(out.map((o) => o.value.value)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });
});

describe('jsonErrorOffset', () => {
  it.each<[string, number]>([
    ['{"a": 1}', -1],
    ['  [1, 2, {"x": [true, false, null]}]  ', -1],
    ['"\\u00e9"', -1],
    ['{"a": }', 6],
    ['{"a":1', 6],
    ['', 0],
    ['[1,2', 4],
    ['{"a" 1}', 5],
    ['{"a": 1,}', 8],
    ['[1,]', 3],
    ['{"a": 01}', 7],
    ['{"a": "x\ny"}', 8],
    ['{"a": "\\x"}', 7],
    ['{"a": 1} x', 9],
    ['tru', 0],
    ["{'a': 1}", 1],
  ])('%j fails at %d', (text, at) => {
    expect(jsonErrorOffset(text)).toBe(at);
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(valid).toBe(at === -1);
  });
});
