// Tokens of the expression language (spec section 3, "Lexical rules"). The lexer is lazy so the
// first error in text order is the one reported: `1 +* "abc` complains about `*`, not the string.

import { ExprError, positionAt } from './errors.ts';
import { FUNCTIONS, SCOPE_OPS } from './ast.ts';

export type TokenKind = 'num' | 'str' | 'name' | 'kw' | 'punct' | 'eof';

export type Token = {
  kind: TokenKind;
  /** The source text of the token, exactly as written (empty for eof). */
  text: string;
  /**
   * num: the number; str: the decoded string; kw: the reserved word in lower case;
   * punct: the canonical operator (`=` reads as `==`); name: the name; eof: ''.
   */
  value: string | number;
  start: number;
  end: number;
};

/** Keywords, roots and function names: matched case-insensitively, never usable as NAMEs. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set<string>([
  'and', 'or', 'not', 'in', 'true', 'false', 'null', 'undefined',
  'properties', 'event',
  ...FUNCTIONS, ...SCOPE_OPS,
]);

/** A NAME as the spec defines it: `[A-Za-z_][A-Za-z0-9_]*` and not a reserved word (in any case). */
export function isValidName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !RESERVED_WORDS.has(s.toLowerCase());
}

/** Longest string literal accepted, in UTF-16 code units (also enforced by validateAst). */
export const MAX_STRING_LENGTH = 65_536;

const PUNCT2 = ['==', '!=', '>=', '<='];
const PUNCT1 = '=><+-*/%[](),';

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r', '/': '/' };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  // ASCII whitespace plus NBSP and the Unicode line/paragraph separators.
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

/** How an error message names a token: `'=='`, `end of input`, `a string "abc"`, `the number 12`, `the name X`. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'num':
      return `the number ${t.text}`;
    case 'name':
      return `the name ${t.text}`;
    case 'str':
      return `a string ${t.text.length > 32 ? `${t.text.slice(0, 30)}…` : t.text}`;
    default:
      return `'${t.text}'`;
  }
}

/** A character for a message: quoted when printable, as U+XXXX when invisible or unpaired. */
function showChar(cp: number, prefix = ''): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const invisible = cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || (cp >= 0xd800 && cp <= 0xdfff)
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff || cp >= 0xfff0 && cp <= 0xffff;
  return invisible ? `${prefix ? `'${prefix}' followed by ` : ''}${code}` : `'${prefix}${String.fromCodePoint(cp)}'`;
}

export class Lexer {
  private pos = 0;
  private readonly buffer: Token[] = [];

  constructor(readonly text: string) {}

  error(detail: string, offset: number): ExprError {
    return new ExprError(detail, { position: positionAt(this.text, offset) });
  }

  /** The k-th token ahead (0 = the current one), without consuming it. */
  peek(k = 0): Token {
    while (this.buffer.length <= k) this.buffer.push(this.scan());
    return this.buffer[k]!;
  }

  next(): Token {
    const t = this.peek(0);
    this.buffer.shift();
    return t;
  }

  private scan(): Token {
    const s = this.text;
    let i = this.pos;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const start = i;
    if (i >= s.length) {
      this.pos = i;
      return { kind: 'eof', text: '', value: '', start, end: start };
    }
    const c = s.charCodeAt(i);
    if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(i + 1)))) return this.number(start);
    if (c === 34 || c === 39) return this.string(start);
    if (isNameStart(c)) {
      i++;
      while (i < s.length && isNamePart(s.charCodeAt(i))) i++;
      this.pos = i;
      const text = s.slice(start, i);
      const lower = text.toLowerCase();
      if (RESERVED_WORDS.has(lower)) return { kind: 'kw', text, value: lower, start, end: i };
      return { kind: 'name', text, value: text, start, end: i };
    }
    const two = s.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      this.pos = i + 2;
      return { kind: 'punct', text: two, value: two, start, end: i + 2 };
    }
    const one = s[i]!;
    if (PUNCT1.includes(one)) {
      this.pos = i + 1;
      return { kind: 'punct', text: one, value: one === '=' ? '==' : one, start, end: i + 1 };
    }
    if (one === '!') throw this.error("unexpected character '!'; did you mean '!=' or 'not'?", i);
    if (one === '&' || one === '|') throw this.error(`unexpected character '${one}'; use 'and' / 'or'`, i);
    if (one === '.') throw this.error(`unexpected character '.'; index with brackets, e.g. properties["key"]`, i);
    const cp = s.codePointAt(i)!;
    if (cp === 0x201c || cp === 0x201d || cp === 0x2018 || cp === 0x2019) {
      throw this.error(`unexpected character '${one}'; strings use straight quotes " or '`, i);
    }
    throw this.error(`unexpected character ${showChar(cp)}`, i);
  }

  // \d+(\.\d*)? | \.\d+, then [eE][+-]?\d+ (spec "Fine points").
  private number(start: number): Token {
    const s = this.text;
    let i = start;
    while (isDigit(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === 46) {
      i++;
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      let j = i + 1;
      const sign = s.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (!isDigit(s.charCodeAt(j))) throw this.error(`expected digits in the exponent of the number ${s.slice(start, j)}`, j);
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
    if (isNameStart(s.charCodeAt(i))) {
      let j = i;
      while (isNamePart(s.charCodeAt(j))) j++;
      throw this.error(`invalid number '${s.slice(start, j)}'`, start);
    }
    const text = s.slice(start, i);
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.error(`the number ${text} is too large`, start);
    this.pos = i;
    return { kind: 'num', text, value, start, end: i };
  }

  private string(start: number): Token {
    const s = this.text;
    const quote = s.charCodeAt(start);
    let i = start + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= s.length) throw this.error('unterminated string', start);
      const c = s.charCodeAt(i);
      // Strings do not span lines: an unclosed quote is then reported where it opened, not at the end.
      if (c === 10 || c === 13) throw this.error('unterminated string (strings cannot span lines; write \\n)', start);
      if (c === quote) break;
      if (c !== 92) {
        i++;
        continue;
      }
      out += s.slice(chunk, i);
      const esc = s[i + 1];
      if (esc === undefined) throw this.error('unterminated string', start);
      if (esc === 'u') {
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.error('invalid escape: \\u must be followed by 4 hex digits', i);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (Object.prototype.hasOwnProperty.call(ESCAPES, esc)) {
        out += ESCAPES[esc];
        i += 2;
      } else {
        throw this.error(`invalid escape ${showChar(s.codePointAt(i + 1)!, '\\')} in string; use \\" \\' \\\\ \\n \\t \\r \\/ or \\uXXXX`, i);
      }
      chunk = i;
    }
    out += s.slice(chunk, i);
    if (out.length > MAX_STRING_LENGTH) throw this.error(`string longer than ${MAX_STRING_LENGTH} characters`, start);
    this.pos = i + 1;
    return { kind: 'str', text: s.slice(start, i + 1), value: out, start, end: i + 1 };
  }
}
