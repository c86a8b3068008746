import { describe, expect, it } from 'vitest';
import { stripSpans, type Expr } from './ast.ts';
import { ExprError } from './errors.ts';
import { parse } from './parse.ts';
import { print } from './print.ts';
import { check } from './check.ts';

const folded = (text: string): string => print(check(parse(text)).ast);
const warningsOf = (text: string): string[] => check(parse(text)).warnings.map((w) => w.message);

describe('constant folding', () => {
  it.each<[string, string]>([
    ['86400 * 7', '604800'],
    ['1 + 2 * 3', '7'],
    ['"a" + "b"', '"ab"'],
    ['datetime("2024-01-01")', 'datetime(1704067200)'],
    ['datetime("2024-01-01T00:00:00.250Z")', 'datetime(1704067200.25)'],
    ['datetime("2024-01-01") + 86400 * 7', 'datetime(1704672000)'],
    ['datetime(1.0005)', 'datetime(1)'],
    ['datetime(1704067200)', 'datetime(1704067200)'],
    ['datetime("garbage")', 'undefined'],
    ['5 / 0', 'undefined'],
    ['number("12")', '12'],
    ['string(3)', '"3"'],
    ['not true', 'false'],
    ['1 and "x"', 'false'],
    ['[1, 1 + 1, "x" + "y"]', '[1, 2, "xy"]'],
    ['[[1 + 1], [datetime(0)]]', '[[2], [datetime(0)]]'],
    ['[properties["missing"] == 1, 1 + 1]', '[properties["missing"] == 1, 2]'],
    ['[undefined, 1]', '[null, 1]'],
    ['any(X, [1, 2], X > 1)', 'true'],
    ['all(X, [1, 2], X > 1)', 'false'],
    ['any(X, [1, 2], X > properties["n"])', 'any(X, [1, 2], X > properties["n"])'],
    ['any(X, properties["l"], X > 1 + 1)', 'any(X, properties["l"], X > 2)'],
    ['any(X, properties["l"], any(Y, [1, 2], Y == 2))', 'any(X, properties["l"], true)'],
    ['any(X, properties["l"], any(Y, [1, 2], Y == X))', 'any(X, properties["l"], any(Y, [1, 2], Y == X))'],
    ['properties["a" + "b"]', 'properties["ab"]'],
    ['properties["price"] > 10 * 2', 'properties["price"] > 20'],
    ['now() - 86400', 'now() - 86400'],
    ['now() > datetime("2024-01-01")', 'now() > datetime(1704067200)'],
    ['-(3)', '-3'],
    ['-(0)', '0'],
    ['- -3', '3'],
    ['1e308 * 10', 'undefined'],
    ['lower("ABC") == "abc"', 'true'],
    ['len([1, 2, 3])', '3'],
    ['[1, 2][1]', '2'],
    ['event["time"] > datetime("2011-08-01")', 'event["time"] > datetime(1312156800)'],
  ])('%s folds to %s', (text, expected) => {
    expect(folded(text)).toBe(expected);
  });

  it('leaves values without a literal form alone (objects)', () => {
    // No constant expression makes an object; the roots are never constant.
    expect(folded('properties')).toBe('properties');
    expect(folded('event')).toBe('event');
  });

  it('keeps the span of the folded subtree', () => {
    const { ast } = check(parse('properties["a"] > 1 + 2'));
    expect(ast).toMatchObject({ op: '>', args: [{}, { lit: 3, span: [18, 23] }] });
  });

  it('can be turned off', () => {
    const ast = parse('1 + 2');
    expect(stripSpans(check(ast, { fold: false }).ast)).toEqual({ op: '+', args: [{ lit: 1 }, { lit: 2 }] });
  });

  it('does not change the input tree', () => {
    const ast = parse('1 + 2 == properties["x"]');
    const copy = JSON.stringify(ast);
    check(ast);
    expect(JSON.stringify(ast)).toBe(copy);
  });
});

describe('errors', () => {
  const errorOf = (ast: unknown, text?: string): ExprError => {
    try {
      check(ast as Expr, text === undefined ? {} : { text });
    } catch (e) {
      expect(e).toBeInstanceOf(ExprError);
      return e as ExprError;
    }
    throw new Error('expected an ExprError');
  };

  it('rejects an unbound name with its path', () => {
    const e = errorOf({ op: 'and', args: [{ lit: true }, { op: '>', args: [{ var: 'X' }, { lit: 1 }] }] });
    expect(e.path).toBe('args[1].args[0]');
    expect(e.message).toBe("args[1].args[0]: 'X' is not bound by any enclosing any() or all()");
  });

  it('a name is bound only in the predicate, not in the list', () => {
    const e = errorOf({ op: 'any', var: 'X', args: [{ var: 'X' }, { lit: true }] });
    expect(e.path).toBe('args[0]');
  });

  it('names are case-sensitive', () => {
    const e = errorOf({ op: 'any', var: 'X', args: [{ list: [] }, { var: 'x' }] });
    expect(e.path).toBe('args[1]');
  });

  it('accepts shadowing and outer names', () => {
    const ast = { op: 'any', var: 'X', args: [{ list: [] }, { op: 'all', var: 'X', args: [{ var: 'X' }, { var: 'X' }] }] } as Expr;
    expect(() => check(ast)).not.toThrow();
  });

  it('reports line and column when it has the text', () => {
    const ast = { op: '>', args: [{ var: 'Y', span: [4, 5] }, { lit: 1, span: [8, 9] }], span: [4, 9] } as Expr;
    const e = errorOf(ast, 'foo\n Y > 1');
    expect([e.line, e.column]).toEqual([2, 1]);
  });

  it.each<[unknown, string]>([
    [{ op: 'floor', args: [{ lit: 1 }, { lit: 2 }] }, "(root): 'floor' takes 1 argument, got 2"],
    [{ op: 'string', args: [] }, "(root): 'string' takes 1 or 2 arguments, got 0"],
    [{ op: 'now', args: [{ lit: 1 }] }, "(root): 'now' takes 0 arguments, got 1"],
    [{ op: 'neg', args: [] }, "(root): unary '-' takes 1 argument, got 0"],
    [{ op: 'foo', args: [] }, "(root): unknown operator or function 'foo'"],
    [{ list: [{ lit: 1 }, { op: '+', args: [{ lit: 1 }] }] }, "list[1]: '+' takes 2 arguments, got 1"],
    [{ lit: Infinity }, '(root): number literal Infinity is not finite'],
    [{ root: 'people' }, "(root): unknown root 'people'"],
    [{ op: 'any', args: [{ list: [] }, { lit: true }] }, "(root): 'any' needs the name it binds in 'var'"],
  ])('rejects %j', (ast, message) => {
    expect(errorOf(ast).message).toBe(message);
  });
});

describe('warnings', () => {
  it.each<[string, string[]]>([
    ['1 and "x"', [
      "operand 1 of 'and' is a number; non-booleans count as false",
      "operand 2 of 'and' is a string; non-booleans count as false",
    ]],
    ['null or true', ["operand 1 of 'or' is null; non-booleans count as false"]],
    ['1 == "1"', ['comparing a number with a string: values of different types are never equal, so this is always false']],
    ['1 != "1"', ['comparing a number with a string: values of different types are never equal, so this is always true']],
    ['1 < "2"', ["'<' cannot order a number and a string; the result is always undefined"]],
    ['"a" * 2', ["operand 1 of '*' is a string, but '*' needs numbers; the result is undefined"]],
    ['-"a"', ["operand 1 of unary '-' is a string, but unary '-' needs a number; the result is undefined"]],
    ['"a" + 1', ["'+' of a string and a number is always undefined"]],
    ['"a" - "b"', ["'-' of a string and a string is always undefined"]],
    ['"x" in 5', ["the right side of 'in' is a number; 'in' needs a list or a string, so the result is undefined"]],
    ['1 in "123"', ["'in' a string needs a string on the left, not a number; the result is undefined"]],
    ['not 5', ["'not' of a number is always undefined"]],
    ['floor("3.7")', ["operand 1 of 'floor' is a string, but 'floor' needs a number; the result is undefined"]],
    ['lower(1)', ["operand 1 of 'lower' is a number, but 'lower' needs a string; the result is undefined"]],
    ['len(true)', ["operand 1 of 'len' is a boolean, but 'len' needs a string or a list; the result is undefined"]],
    ['has_prefix("a", 1)', ["operand 2 of 'has_prefix' is a number, but 'has_prefix' needs strings; the result is undefined"]],
    ['any(X, "abc", true)', ["the list of 'any' is a string, so 'any' is always false"]],
    ['(1 + 2)["a"]', ['indexing a number or undefined is always undefined; only lists and objects can be indexed']],
    ['event["price"]', ['event has only the fields "name", "time" and "distinct_id"; this is always undefined']],
    ['event["time"] + "x"', ["'+' of a datetime or undefined and a string is always undefined"]],
    ['now() * 2', ["operand 1 of '*' is a datetime, but '*' needs numbers; the result is undefined"]],
    ['defined(1) + 1', ["'+' of a boolean and a number is always undefined"]],
  ])('%s', (text, expected) => {
    expect(warningsOf(text)).toEqual(expected);
  });

  it.each([
    'properties["a"] and true',
    'properties["a"] == "x"',
    'properties["a"] + 1',
    'properties["a"] * 2',
    'number(properties["a"]) > 3',
    '"x" in properties["a"]',
    'not properties["a"]',
    'any(X, properties["l"], X > 1)',
    'event["time"] > "2011-08-01"',
    'event["time"] - 86400 > datetime("2011-01-01")',
    'properties["a"] == null',
    'defined(properties["a"]) and not properties["b"]',
    'string(properties["a"], 0) == 0',
    'lower(event["name"]) == "x"',
    'any(X, properties["l"], X["k"] == 1)',
    'len(properties["l"]) > 2',
  ])('no warning for %s', (text) => {
    expect(warningsOf(text)).toEqual([]);
  });

  it('carries the path and span of the node', () => {
    const w = check(parse('true and (1 and true)')).warnings;
    expect(w).toEqual([{ message: "operand 1 of 'and' is a number; non-booleans count as false", path: 'args[1]', span: [10, 20] }]);
  });
});
