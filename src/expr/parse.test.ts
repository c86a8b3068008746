import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, tryParse, tokenize } from './parse.ts';
import { ExprError } from './errors.ts';
import { print } from './print.ts';
import { stripSpans, MAX_DEPTH, MAX_NODES, type Expr } from './ast.ts';

function err(text: string): { message: string; line: number | null; column: number | null; offset: number | null } {
  const r = tryParse(text);
  if (r.ok) throw new Error(`parsed: ${JSON.stringify(stripSpans(r.ast))}`);
  return { message: r.error.message, line: r.error.line, column: r.error.column, offset: r.error.offset };
}
const ast = (text: string): Expr => stripSpans(parse(text));
const P = (k: string): Expr => ({ op: '[]', args: [{ root: 'properties' }, { lit: k }] });

describe('parse: golden error messages', () => {
  // [text, exact message (position prefix included)]
  const cases: Array<[string, string]> = [
    ['properties["a"] ==', "1:19: expected an expression after '==', found end of input"],
    ['X > 1', "1:1: 'X' is not bound by any enclosing any() or all()"],
    ['foo(1)', "1:1: unknown function 'foo'"],
    ['foo (1)', "1:1: unknown function 'foo'"],
    ['floor(1, 2)', "1:1: 'floor' takes 1 argument, got 2"],
    ['1 + FLOOR()', "1:5: 'floor' takes 1 argument, got 0"],
    ['string(1, 2, 3)', "1:1: 'string' takes 1 or 2 arguments, got 3"],
    ['now(1)', "1:1: 'now' takes no arguments, got 1"],
    ['has_prefix("a")', "1:1: 'has_prefix' takes 2 arguments, got 1"],
    ['"unterminated', '1:1: unterminated string'],
    ["properties == 'abc", '1:15: unterminated string'],
    ['"ab\\"', '1:1: unterminated string'],
    ['(1 + 2', "1:7: expected ')' after the expression to close '(' at 1:1, found end of input"],
    ['1 < 2 < 3', '1:7: comparisons cannot be chained; add parentheses'],
    ['1 == 2 in [1]', '1:8: comparisons cannot be chained; add parentheses'],
    ['properties[', "1:12: expected an expression after '[', found end of input"],
    ['properties["a"', "1:15: expected ']' after the index to close '[' at 1:11, found end of input"],
    ['any(X, [1], )', "1:13: expected an expression after ',', found ')'"],
    ['any(X, [1])', "1:1: 'any' takes 3 arguments: any(X, list, predicate), got 2"],
    ['all(X, [1], true, 4)', "1:1: 'all' takes 3 arguments: all(X, list, predicate), got more than 3"],
    ['any(X)', "1:1: 'any' takes 3 arguments: any(X, list, predicate), got 1"],
    ['any(1, [1], true)', "1:5: expected a name to bind as the first argument of 'any', found the number 1"],
    ['any(len, [1], true)', "1:5: expected a name to bind as the first argument of 'any', found 'len', a reserved word"],
    ['any(X [1], true)', "1:7: expected ',' after the name in 'any', found '['"],
    ['any(X, [1], X) or X', "1:19: 'X' is not bound by any enclosing any() or all()"],
    ['any(X, X, true)', "1:8: 'X' is not bound by any enclosing any() or all()"],
    ['and', "1:1: expected an expression, found 'and'"],
    ['', '1:1: expected an expression, found end of input'],
    ['   ', '1:4: expected an expression, found end of input'],
    ['1 +* 2', "1:4: expected an expression after '+', found '*'"],
    ['properties["a"] = = 1', "1:19: expected an expression after '=', found '='"],
    ['1 2', '1:3: expected an operator or end of input, found the number 2'],
    ['1 "x"', '1:3: expected an operator or end of input, found a string "x"'],
    ['true false', "1:6: expected an operator or end of input, found 'false'"],
    ['1 + 2)', "1:6: found ')' with no matching '('"],
    ['[1, 2', "1:6: expected ',' or ']' after a list element (list opened at 1:1), found end of input"],
    ['[1, ]', "1:5: expected an expression after ',', found ']'"],
    ['lower("a" "b")', "1:11: expected ',' or ')' after an argument of 'lower' (opened at 1:6), found a string \"b\""],
    ['len + 1', "1:5: expected '(' after 'len', found '+'"],
    ['1 == not true', "1:6: expected an expression after '==', found 'not'; put it in parentheses: (not ...)"],
    ['1 + NOT x', "1:5: expected an expression after '+', found 'NOT'; put it in parentheses: (not ...)"],
    ['properties[“a”]', "1:12: unexpected character '“'; strings use straight quotes \" or '"],
    ['"\\\u200b"', "1:2: invalid escape '\\' followed by U+200B in string; use \\\" \\' \\\\ \\n \\t \\r \\/ or \\uXXXX"],
    ['1 \u200b 2', '1:3: unexpected character U+200B'],
    ['"a\\q"', "1:3: invalid escape '\\q' in string; use \\\" \\' \\\\ \\n \\t \\r \\/ or \\uXXXX"],
    ['"\\u12G4"', '1:2: invalid escape: \\u must be followed by 4 hex digits'],
    ['1e400', '1:1: the number 1e400 is too large'],
    ['1e+', '1:4: expected digits in the exponent of the number 1e+'],
    ['12abc', "1:1: invalid number '12abc'"],
    ['a # b', "1:1: 'a' is not bound by any enclosing any() or all()"],
    ['1 # 2', "1:3: unexpected character '#'"],
    ['1 && 2', "1:3: unexpected character '&'; use 'and' / 'or'"],
    ['!true', "1:1: unexpected character '!'; did you mean '!=' or 'not'?"],
    ['1 \u0001', '1:3: unexpected character U+0001'],
    ['1 + x.y', "1:5: 'x' is not bound by any enclosing any() or all()"],
    ['properties.a', "1:11: unexpected character '.'; index with brackets, e.g. properties[\"key\"]"],
    // Errors on later lines: line and column restart after each \n.
    ['properties["a"] == 1\n  and properties["b"] ==', "2:25: expected an expression after '==', found end of input"],
    ['defined(properties["x"])\nand\n  floor(1,\n        2)', "3:3: 'floor' takes 1 argument, got 2"],
    ['1 +\n\n   "abc\n"', '3:4: unterminated string (strings cannot span lines; write \\n)'],
    ['any(X, properties["l"],\n    X > 1 and Y)', "2:15: 'Y' is not bound by any enclosing any() or all()"],
    ['(1\n+ 2', "2:4: expected ')' after the expression to close '(' at 1:1, found end of input"],
    ['true and\r\n  1 +', "2:6: expected an expression after '+', found end of input"],
    // Columns count UTF-16 code units (as editors' offsets do): the emoji takes two.
    ['"😀" + foo(1)', "1:8: unknown function 'foo'"],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      const e = err(text);
      expect(e.message).toBe(message);
      const [line, column] = message.split(':').map(Number);
      expect([e.line, e.column]).toEqual([line, column]);
    });
  }

  it('non-string input is an ExprError too', () => {
    expect(() => parse(undefined as unknown as string)).toThrow(new ExprError('expected expression text (a string), found undefined'));
    expect(() => parse({ lit: 1 } as unknown as string)).toThrow('expected expression text (a string), found object');
  });

  it('errors are ExprError with offset, line, column and the bare detail', () => {
    try {
      parse('1 +\n  )');
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(ExprError);
      const x = e as ExprError;
      expect([x.offset, x.line, x.column]).toEqual([6, 2, 3]);
      expect(x.detail).toBe("expected an expression after '+', found ')'");
      expect(x.toJSON()).toEqual({ message: "2:3: expected an expression after '+', found ')'", line: 2, column: 3, offset: 6, path: null });
    }
  });
});

describe('parse: conformance file', () => {
  const lines = readFileSync(new URL('../../test/fixtures/expressions.jsonl', import.meta.url), 'utf8').split('\n').filter((l) => l.trim());
  const cases = lines.map((l) => JSON.parse(l) as { expr: string; error?: boolean });
  it('has error and non-error cases', () => {
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => !c.error).length).toBeGreaterThanOrEqual(50);
  });
  for (const [i, c] of cases.entries()) {
    it(`#${i + 1} ${c.error ? 'rejects' : 'parses'} ${c.expr}`, () => {
      const r = tryParse(c.expr);
      expect(r.ok, r.ok ? 'parsed' : r.error.message).toBe(!c.error);
      if (r.ok) expect(stripSpans(parse(print(r.ast)))).toStrictEqual(stripSpans(r.ast));
    });
  }
});

describe('parse: trees', () => {
  it('builds the AST of spec section 6', () => {
    expect(ast('properties["$browser"] == "Chrome" and any(X, properties["items"], X == "Helmet")')).toStrictEqual({
      op: 'and', args: [
        { op: '==', args: [P('$browser'), { lit: 'Chrome' }] },
        { op: 'any', var: 'X', args: [P('items'), { op: '==', args: [{ var: 'X' }, { lit: 'Helmet' }] }] }] });
  });

  it('precedence and associativity follow section 3', () => {
    expect(ast('1 - 2 - 3')).toStrictEqual({ op: '-', args: [{ op: '-', args: [{ lit: 1 }, { lit: 2 }] }, { lit: 3 }] });
    expect(ast('1 + 2 * 3 % 4')).toStrictEqual({ op: '+', args: [{ lit: 1 }, { op: '%', args: [{ op: '*', args: [{ lit: 2 }, { lit: 3 }] }, { lit: 4 }] }] });
    expect(ast('true or false and null')).toStrictEqual({ op: 'or', args: [{ lit: true }, { op: 'and', args: [{ lit: false }, { lit: null }] }] });
    expect(ast('not "x" in properties["s"]')).toStrictEqual({ op: 'not', args: [{ op: 'in', args: [{ lit: 'x' }, P('s')] }] });
    expect(ast('not not true')).toStrictEqual({ op: 'not', args: [{ op: 'not', args: [{ lit: true }] }] });
    expect(ast('-properties["a"]["b"]')).toStrictEqual({ op: 'neg', args: [{ op: '[]', args: [P('a'), { lit: 'b' }] }] });
    expect(ast('1 + 2 == 3')).toStrictEqual({ op: '==', args: [{ op: '+', args: [{ lit: 1 }, { lit: 2 }] }, { lit: 3 }] });
    expect(ast('(1 < 2) == true')).toStrictEqual({ op: '==', args: [{ op: '<', args: [{ lit: 1 }, { lit: 2 }] }, { lit: true }] });
  });

  it('reserved words in any case; names case-sensitive; = is ==', () => {
    expect(ast('NOT Defined(PROPERTIES["a"]) AnD TRUE Or Event["name"] = Undefined')).toStrictEqual(ast('not defined(properties["a"]) and true or event["name"] == undefined'));
    expect(ast('ANY(x, [1], x IN [1])')).toStrictEqual({ op: 'any', var: 'x', args: [{ list: [{ lit: 1 }] }, { op: 'in', args: [{ var: 'x' }, { list: [{ lit: 1 }] }] }] });
    expect(err('any(x, [1], X)').message).toBe("1:13: 'X' is not bound by any enclosing any() or all()");
    // Names that merely start with a reserved word are names.
    expect(ast('any(orange, [1], orange == 1)')).toStrictEqual({ op: 'any', var: 'orange', args: [{ list: [{ lit: 1 }] }, { op: '==', args: [{ var: 'orange' }, { lit: 1 }] }] });
  });

  it('scopes: inner bindings shadow, outer names stay visible', () => {
    expect(ast('any(X, [1], any(X, [2], X))')).toStrictEqual({ op: 'any', var: 'X', args: [{ list: [{ lit: 1 }] }, { op: 'any', var: 'X', args: [{ list: [{ lit: 2 }] }, { var: 'X' }] }] });
    expect(ast('all(X, [1], any(Y, X, X == Y))')).toStrictEqual({ op: 'all', var: 'X', args: [{ list: [{ lit: 1 }] }, { op: 'any', var: 'Y', args: [{ var: 'X' }, { op: '==', args: [{ var: 'X' }, { var: 'Y' }] }] }] });
  });

  it('literals: strings, escapes, numbers, keywords', () => {
    expect(ast(`'it\\'s' + "\\"\\\\\\/\\n\\t\\r\\u00e9\\uD83D\\uDE00"`)).toStrictEqual({ op: '+', args: [{ lit: "it's" }, { lit: '"\\/\n\t\r\u00e9\ud83d\ude00' }] });
    expect(ast('"\\uD800"')).toStrictEqual({ lit: '\ud800' });
    expect(ast('"tab\there"')).toStrictEqual({ lit: 'tab\there' });
    expect([ast('12'), ast('0.5'), ast('1e6'), ast('.5'), ast('1.'), ast('1.5E-3'), ast('007')]).toStrictEqual(
      [{ lit: 12 }, { lit: 0.5 }, { lit: 1e6 }, { lit: 0.5 }, { lit: 1 }, { lit: 0.0015 }, { lit: 7 }]);
    expect([ast('true'), ast('FALSE'), ast('null'), ast('undefined')]).toStrictEqual([{ lit: true }, { lit: false }, { lit: null }, { lit: { undefined: true } }]);
    expect(ast('[]')).toStrictEqual({ list: [] });
    expect(ast('now ( )')).toStrictEqual({ op: 'now', args: [] });
    expect(ast('properties')).toStrictEqual({ root: 'properties' });
  });

  it('`-NUMBER` is a negative literal unless indexed; other minus signs are neg', () => {
    expect(ast('-1')).toStrictEqual({ lit: -1 });
    expect(ast('- 1')).toStrictEqual({ lit: -1 });
    expect(Object.is((ast('-0') as { lit: number }).lit, -0)).toBe(true);
    expect(ast('-(1)')).toStrictEqual({ op: 'neg', args: [{ lit: 1 }] });
    expect(ast('--1')).toStrictEqual({ op: 'neg', args: [{ lit: -1 }] });
    expect(ast('-1[0]')).toStrictEqual({ op: 'neg', args: [{ op: '[]', args: [{ lit: 1 }, { lit: 0 }] }] });
    expect(ast('1-1')).toStrictEqual({ op: '-', args: [{ lit: 1 }, { lit: 1 }] });
    expect(ast('1 - -1')).toStrictEqual({ op: '-', args: [{ lit: 1 }, { lit: -1 }] });
    expect(ast('2*-3')).toStrictEqual({ op: '*', args: [{ lit: 2 }, { lit: -3 }] });
    expect(ast('-"a"')).toStrictEqual({ op: 'neg', args: [{ lit: 'a' }] });
  });

  it('spans: every node carries [start, end) offsets into the text', () => {
    const text = ' lower(properties["a"]) in ["x", -2] and not any(X, [1], X > 1)';
    const e = parse(text);
    const seen: string[] = [];
    const walk = (n: Expr): void => {
      expect(n.span, JSON.stringify(stripSpans(n))).toBeDefined();
      seen.push(text.slice(n.span![0], n.span![1]));
      for (const c of 'list' in n ? n.list : 'args' in n ? n.args : []) walk(c);
    };
    walk(e);
    expect(seen).toEqual([
      'lower(properties["a"]) in ["x", -2] and not any(X, [1], X > 1)',
      'lower(properties["a"]) in ["x", -2]', 'lower(properties["a"])', 'properties["a"]', 'properties', '"a"',
      '["x", -2]', '"x"', '-2',
      'not any(X, [1], X > 1)', 'any(X, [1], X > 1)', '[1]', '1', 'X > 1', 'X', '1',
    ]);
    // In a run of minus signs the last one joins the number.
    const neg = parse('- -12') as { span: unknown; args: Array<{ span: unknown }> };
    expect([neg.span, neg.args[0]!.span]).toEqual([[0, 5], [2, 5]]);
    // Parentheses add no node; the span is the content's.
    const p = parse('( 1 + 2 )');
    expect(p.span).toEqual([2, 7]);
  });

  it('tokenize gives kinds, values and offsets', () => {
    expect(tokenize('a= .5').map((t) => [t.kind, t.value, t.start, t.end])).toEqual([
      ['name', 'a', 0, 1], ['punct', '==', 1, 2], ['num', 0.5, 3, 5], ['eof', '', 5, 5]]);
  });
});

describe('parse: limits never overflow the stack', () => {
  const N = 100_000;
  const depthError = /^1:\d+: expression nested deeper than 256 levels$/;
  it.each([
    ['nested parentheses', '('.repeat(N) + '1' + ')'.repeat(N), 257],
    ['nested lists', '['.repeat(N) + ']'.repeat(N), 257],
    ['nested indexes', 'properties' + '['.repeat(N) + '1' + ']'.repeat(N), 267],
    ['nested calls', 'floor('.repeat(N) + '1' + ')'.repeat(N), 256 * 6 + 1],
    ['a run of not', 'not '.repeat(N) + 'true', 255 * 4 + 1],
    ['a run of minus', '-'.repeat(N) + 'x', 257],
    ['a flat chain of +', Array(N).fill('1').join('+'), 512],
    ['a flat chain of and', Array(N).fill('true').join(' and '), 255 * 9 + 6],
  ])('%s gives the clean depth error at the first token too deep', (_name, text, column) => {
    const e = err(text);
    expect(e.message).toMatch(depthError);
    expect(e.column).toBe(column);
  });

  it('accepts exactly MAX_DEPTH levels', () => {
    expect(() => parse('not '.repeat(MAX_DEPTH - 1) + 'true')).not.toThrow();
    expect(() => parse('-'.repeat(MAX_DEPTH) + '1')).not.toThrow();
    expect(() => parse('['.repeat(MAX_DEPTH - 1) + ']'.repeat(MAX_DEPTH - 1))).not.toThrow();
    expect(() => parse('('.repeat(MAX_DEPTH - 1) + '1' + ')'.repeat(MAX_DEPTH - 1))).not.toThrow();
    expect(() => parse(Array(MAX_DEPTH).fill('1').join('+'))).not.toThrow();
    expect(err(Array(MAX_DEPTH + 1).fill('1').join('+')).message).toMatch(depthError);
  });

  it('rejects more than MAX_NODES nodes, and parses a wide flat list below it', () => {
    expect(err(`[${Array(MAX_NODES).fill('1').join(',')}]`).message).toMatch(/expression has more than 10000 nodes$/);
    expect((ast(`[${Array(MAX_NODES - 1).fill('1').join(',')}]`) as { list: unknown[] }).list).toHaveLength(MAX_NODES - 1);
  });

  it('rejects string literals over 64 KiB', () => {
    expect(err(`"${'x'.repeat(65_537)}"`).message).toBe('1:1: string longer than 65536 characters');
    expect((ast(`"${'x'.repeat(65_536)}"`) as { lit: string }).lit).toHaveLength(65_536);
  });
});
