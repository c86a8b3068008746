// `segscope eval`: the scripting face of the expression language. Reads JSON lines
// {"expr": <text or AST>, "event": {...}, "now"?: ...} from stdin and writes one JSON line per
// non-empty input line: {"ok": true, "value": <typed value>} or {"ok": false, "error": {...}}.
// Errors are data: a bad line gets its own error line and the rest still run (exit 0).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { ExprError, castDateTime, evaluate, prepare, toTyped, type EventRecord, type Prepared } from '../expr/index.ts';
import { jsonErrorOffset } from './json-position.ts';

const USAGE = `usage: segscope eval [--no-fold] < cases.jsonl

Reads one JSON object a line from stdin:
  {"expr": "<expression text> or <JSON AST>", "event": {"event": "Purchase", "properties": {...}}, "now": <optional>}
and writes one JSON line per non-empty input line:
  {"ok": true, "value": {"type": "number", "value": 17.5}}
  {"ok": false, "error": {"message": "...", "line": 1, "column": 19}}
"event" defaults to {"event": "", "properties": {}}; "now" (what now() returns) is unix seconds
or an ISO-8601 string and defaults to the time the command started.
Errors in one line never stop the others; the exit status is 0 unless the usage is wrong (2).
--no-fold  evaluate the checked tree without constant folding
`;

type ErrorOut = { message: string; line: number | null; column: number | null; path?: string };
type LineOut = { ok: true; value: unknown } | { ok: false; error: ErrorOut };

class InputError extends Error {}

export type EvalOptions = { fold: boolean; now: number };

const CACHE_LIMIT = 1000;

/** Evaluates one input line. `lineNo` is the 1-based input line, used for JSON errors. */
export function evalLine(line: string, lineNo: number, opts: EvalOptions, cache: Map<string, Prepared>): LineOut {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    const at = Math.max(0, jsonErrorOffset(line));
    return {
      ok: false,
      error: { message: `input line ${lineNo}, column ${at + 1}: not valid JSON`, line: lineNo, column: at + 1 },
    };
  }
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new InputError(`input line ${lineNo}: expected a JSON object {"expr": ..., "event": ...}`);
    }
    const o = input as Record<string, unknown>;
    if (!('expr' in o)) throw new InputError(`input line ${lineNo}: missing "expr"`);
    const event = toEvent(o.event, lineNo);
    const now = 'now' in o ? toNow(o.now, lineNo) : opts.now;
    const prepared = prepareCached(o.expr, opts, cache);
    return { ok: true, value: toTyped(evaluate(prepared.ast, event, { now })) };
  } catch (e) {
    if (e instanceof ExprError) {
      const err: ErrorOut = { message: e.message, line: e.line, column: e.column };
      if (e.path !== null) err.path = e.path;
      return { ok: false, error: err };
    }
    if (e instanceof InputError) return { ok: false, error: { message: e.message, line: null, column: null } };
    // Only a value nested too deeply to print is expected here; anything else is still this line's error.
    if (e instanceof RangeError) return { ok: false, error: { message: 'the value is nested too deeply to print', line: null, column: null } };
    return { ok: false, error: { message: `internal error: ${(e as Error)?.message ?? String(e)}`, line: null, column: null } };
  }
}

function prepareCached(expr: unknown, opts: EvalOptions, cache: Map<string, Prepared>): Prepared {
  const key = typeof expr === 'string' ? `t${expr}` : `j${JSON.stringify(expr)}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = prepare(expr, { fold: opts.fold });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, p);
  }
  return p;
}

function toEvent(v: unknown, lineNo: number): EventRecord {
  if (v === undefined) return { event: '', properties: {} };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new InputError(`input line ${lineNo}: "event" must be an object {"event": "<name>", "properties": {...}}`);
  }
  const e = v as Record<string, unknown>;
  if (e.event !== undefined && typeof e.event !== 'string') throw new InputError(`input line ${lineNo}: "event.event" must be a string`);
  const p = e.properties;
  if (p !== undefined && (typeof p !== 'object' || p === null || Array.isArray(p))) {
    throw new InputError(`input line ${lineNo}: "event.properties" must be an object`);
  }
  return { event: (e.event as string | undefined) ?? '', properties: (p as Record<string, unknown> | undefined) ?? {} };
}

function toNow(v: unknown, lineNo: number): number {
  const d = typeof v === 'number' || typeof v === 'string' ? castDateTime(v) : undefined;
  if (d === undefined) throw new InputError(`input line ${lineNo}: "now" must be unix seconds or an ISO-8601 datetime`);
  return d.ms;
}

/** Streams lines from `input` to `output`; resolves when the input ends. */
export async function evalStream(input: Readable, output: Writable, opts: EvalOptions): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const cache = new Map<string, Prepared>();
  let lineNo = 0;
  // Answers are written once per input chunk (a write per line costs more than evaluating it),
  // yet a script that feeds one line and waits still gets its answer right away: the flush runs
  // as soon as the lines already read are answered.
  let pending = '';
  let scheduled = false;
  let drained: Promise<unknown> | null = null;
  // Set when the reader of the answers has gone (EPIPE, e.g. `| head`): nobody wants more.
  let gone = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '' || gone) return;
    const chunk = pending;
    pending = '';
    if (!output.write(chunk) && drained === null) {
      drained = once(output, 'drain').catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        gone = true;
      });
    }
  };
  for await (const line of rl) {
    if (gone) break;
    lineNo++;
    if (line.trim() === '') continue;
    pending += JSON.stringify(evalLine(line, lineNo, opts, cache)) + '\n';
    if (pending.length >= 65536) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    if (drained !== null) {
      await drained;
      drained = null;
    }
  }
  rl.close();
  flush();
  if (drained !== null) await drained;
}

export async function run(argv: string[]): Promise<number> {
  let fold = true;
  for (const a of argv) {
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (a === '--no-fold') fold = false;
    else {
      process.stderr.write(`segscope eval: unknown option '${a}'\n${USAGE}`);
      return 2;
    }
  }
  await evalStream(process.stdin, process.stdout, { fold, now: Date.now() });
  return 0;
}
