// The JSON body parser: bounds nesting before JSON.parse ever sees the text (a megabyte of '[' would
// otherwise reach deep recursion in every later walk), and reports syntax errors by line and column
// without echoing the body back.
import { positionAt } from '../expr/errors.ts';
import { badRequest } from './errors.ts';

/** Deepest JSON nesting accepted: room for an AST at MAX_DEPTH (two JSON levels per node) and more. */
export const MAX_JSON_DEPTH = 1_000;

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw badRequest('invalid_json', 'the request body is empty; send a JSON object');
  const deep = firstTooDeep(text, MAX_JSON_DEPTH);
  if (deep !== null) {
    const p = positionAt(text, deep);
    throw badRequest('json_too_deep', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`, { line: p.line, column: p.column });
  }
  try {
    return JSON.parse(text);
  } catch {
    const found = findSyntaxError(text);
    const p = positionAt(text, found.offset);
    throw badRequest('invalid_json', `the request body is not valid JSON: ${p.line}:${p.column}: ${found.message}`, { line: p.line, column: p.column });
  }
}

/** Offset of the first bracket that opens level `max + 1`, or null. Strings are skipped. */
function firstTooDeep(text: string, max: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return null;
}

/** Where and why `text` is not JSON. Only called after JSON.parse failed; nesting is already bounded. */
export function findSyntaxError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const shown = (): string => (i >= text.length ? 'end of input' : JSON.stringify(text[i]));
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`expected a value, found ${shown()}`);
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i] as string;
      if (c === '"') return void i++;
      if (c.charCodeAt(0) < 0x20) fail('control character in string; escape it');
      if (c === '\\') {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail('bad escape in string');
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail(`expected a value, found ${shown()}`);
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${shown()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after a property name, found ${shown()}`);
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail(`expected ',' or '}' after a property value, found ${shown()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail(`expected ',' or ']' after a list element, found ${shown()}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${shown()} after the JSON value`);
    return { offset: 0, message: 'not valid JSON' };
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return e as { offset: number; message: string };
    return { offset: 0, message: 'not valid JSON' };
  }
}
