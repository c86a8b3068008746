import { describe, expect, it } from 'vitest';
import { HttpError } from '../../src/server/errors.ts';
import { findSyntaxError, MAX_JSON_DEPTH, parseJsonBody } from '../../src/server/json-body.ts';

function errorOf(text: string): HttpError {
  try {
    parseJsonBody(text);
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseJsonBody', () => {
  it('parses JSON', () => {
    expect(parseJsonBody('{"a": [1, "x", null]}')).toEqual({ a: [1, 'x', null] });
  });
  it('reports a syntax error at its line and column without echoing the body', () => {
    const e = errorOf('{\n  "event": "A",\n  "from": }');
    expect(e.code).toBe('invalid_json');
    expect([e.line, e.column]).toEqual([3, 11]);
    expect(e.message).toBe('the request body is not valid JSON: 3:11: expected a value, found "}"');
  });
  it.each([
    ['{"a":1', 1, 7, "expected ',' or '}' after a property value, found end of input"],
    ['{a:1}', 1, 2, 'expected a property name in double quotes, found "a"'],
    ['[1,]', 1, 4, 'expected a value, found "]"'],
    ['{"a":1} x', 1, 9, 'unexpected "x" after the JSON value'],
    ['{"a":"\\x"}', 1, 7, 'bad escape in string'],
    ['"abc', 1, 5, 'unterminated string'],
    ['tru', 1, 1, 'expected a value, found "t"'],
  ])('%j fails at %i:%i', (text, line, column, message) => {
    const e = errorOf(text);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(message);
  });
  it('rejects an empty body', () => {
    expect(errorOf('  ').message).toMatch(/empty/);
  });
  it('rejects nesting past the limit before parsing, at the bracket that went too deep', () => {
    const text = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    const e = errorOf(text);
    expect(e.code).toBe('json_too_deep');
    expect(e.column).toBe(MAX_JSON_DEPTH + 1);
    // Brackets inside strings do not count.
    expect(parseJsonBody(JSON.stringify({ s: '['.repeat(5000) }))).toEqual({ s: '['.repeat(5000) });
    expect(parseJsonBody('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
  });
  it('finds no error position beyond the text', () => {
    expect(findSyntaxError('{"a": [1, 2').offset).toBe(11);
  });
});
