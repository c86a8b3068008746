// Every case of the shared conformance file (spec section 7) through parse → check → evaluate,
// the compiled evaluator, with folding on and off, and from the JSON AST as the UI sends it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ExprError, check, compile, evaluate, parse, prepare, stripSpans, toTyped,
  type EventRecord, type TypedValue,
} from '../../src/expr/index.ts';

type Case = { expr: string; event?: EventRecord; expect?: TypedValue; error?: true };

const CASES: Case[] = readFileSync(new URL('../fixtures/expressions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case);

const valueCases = CASES.filter((c) => !c.error).map((c, i) => [`${i}: ${c.expr}`, c] as const);
const errorCases = CASES.filter((c) => c.error).map((c) => [c.expr, c] as const);

describe('conformance file', () => {
  it('has the cases it is expected to have', () => {
    expect(valueCases.length).toBeGreaterThanOrEqual(100);
    expect(errorCases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(valueCases)('%s', (_name, c) => {
    const parsed = parse(c.expr);
    for (const fold of [true, false]) {
      const { ast } = check(parsed, { fold, text: c.expr });
      expect(toTyped(evaluate(ast, c.event!))).toEqual(c.expect);
      expect(toTyped(compile(ast)(c.event!))).toEqual(c.expect);
    }
    // The same tree as JSON, as the query builder sends it.
    const fromJson = prepare(JSON.parse(JSON.stringify(stripSpans(parsed))));
    expect(toTyped(evaluate(fromJson.ast, c.event!))).toEqual(c.expect);
    // And the canonical text of the checked tree means the same.
    expect(toTyped(evaluate(prepare(fromJson.text).ast, c.event!))).toEqual(c.expect);
  });

  it.each(errorCases)('%s is a compile error with a position', (_name, c) => {
    let err: unknown;
    try {
      prepare(c.expr);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExprError);
    const e = err as ExprError;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).toMatch(/^\d+:\d+: /);
  });
});
