import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateAst, tryValidateAst } from './validate.ts';
import { parse } from './parse.ts';
import { ExprError } from './errors.ts';
import { stripSpans, MAX_DEPTH, MAX_NODES } from './ast.ts';
import { exprArb } from '../../test/expr/arbitraries.ts';

function rejects(json: unknown): { message: string; path: string | null } {
  const r = tryValidateAst(json);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(json).slice(0, 200)}`);
  return { message: r.error.message, path: r.error.path };
}

const P = { op: '[]', args: [{ root: 'properties' }, { lit: 'a' }] };

describe('validateAst accepts', () => {
  it('the example of spec section 6, unchanged', () => {
    const ast = {
      op: 'and', args: [
        { op: '==', args: [{ op: '[]', args: [{ root: 'properties' }, { lit: '$browser' }] }, { lit: 'Chrome' }] },
        { op: 'any', var: 'X', args: [
          { op: '[]', args: [{ root: 'properties' }, { lit: 'items' }] },
          { op: '==', args: [{ var: 'X' }, { lit: 'Helmet' }] }] }] };
    expect(validateAst(JSON.parse(JSON.stringify(ast)))).toStrictEqual(ast);
  });

  it('every random valid AST, as a deep copy', () => {
    fc.assert(fc.property(exprArb(), (ast) => {
      const out = validateAst(ast);
      expect(out).toStrictEqual(ast);
      if ('list' in ast || 'op' in ast) expect(out).not.toBe(ast);
    }), { numRuns: 500 });
  });

  it('every tree the parser returns, dropping spans', () => {
    const ast = parse('any(X, properties["l"], all(Y, X, Y > -1 and X != undefined)) or not defined(event["name"])');
    expect(validateAst(ast)).toStrictEqual(stripSpans(ast));
    expect(JSON.stringify(validateAst(ast))).not.toContain('span');
  });

  it('the undefined literal, -0, lone surrogates, a span of any value', () => {
    expect(validateAst({ lit: { undefined: true } })).toStrictEqual({ lit: { undefined: true } });
    expect(Object.is((validateAst({ lit: -0 }) as { lit: number }).lit, -0)).toBe(true);
    expect(validateAst({ lit: '\ud800' })).toStrictEqual({ lit: '\ud800' });
    expect(validateAst({ root: 'event', span: 'whatever' })).toStrictEqual({ root: 'event' });
  });

  it('a tree exactly MAX_DEPTH deep and one with exactly MAX_NODES nodes', () => {
    let deep: unknown = { lit: 1 };
    for (let i = 1; i < MAX_DEPTH; i++) deep = { op: 'not', args: [deep] };
    expect(() => validateAst(deep)).not.toThrow();
    const wide = { list: Array.from({ length: MAX_NODES - 1 }, (_, i) => ({ lit: i })) };
    expect((validateAst(wide) as { list: unknown[] }).list).toHaveLength(MAX_NODES - 1);
  });
});

describe('validateAst rejects, naming the path', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 5, '(root): expected an expression node (an object), found 5'],
    ['null', null, '(root): expected an expression node (an object), found null'],
    ['an array', [P], '(root): expected an expression node (an object), found an array'],
    ['an empty object', {}, "(root): expected a node with one of the keys 'lit', 'list', 'root', 'var', 'op'; found an empty object"],
    ['unknown keys only', { foo: 1 }, "(root): expected a node with one of the keys 'lit', 'list', 'root', 'var', 'op'; found keys 'foo'"],
    ['an extra key', { lit: 1, extra: true }, "(root): unexpected key 'extra' in a 'lit' node"],
    ['two kinds', { lit: 1, root: 'event' }, "(root): unexpected key 'root' in a 'lit' node"],
    ['__proto__ from JSON', JSON.parse('{"lit": 1, "__proto__": {"x": 1}}'), "(root): unexpected key '__proto__' in a 'lit' node"],
    ['unknown op, nested', { op: 'and', args: [{ lit: true }, { op: 'foo', args: [] }] }, "args[1]: unknown op 'foo'"],
    ['op not a string', { op: 3, args: [] }, "(root): 'op' must be a string, found 3"],
    ['wrong arity of a function', { op: 'not', args: [{ op: 'floor', args: [{ lit: 1 }, { lit: 2 }] }] }, "args[0]: 'floor' takes 1 argument, got 2"],
    ['wrong arity of a binary op', { op: '+', args: [{ lit: 1 }] }, "(root): '+' takes 2 arguments, got 1"],
    ['string with 3 arguments', { op: 'string', args: [{ lit: 1 }, { lit: 2 }, { lit: 3 }] }, "(root): 'string' takes 1 or 2 arguments, got 3"],
    ['now with an argument', { op: 'now', args: [{ lit: 1 }] }, "(root): 'now' takes no arguments, got 1"],
    ['missing args', { op: 'neg' }, "(root): missing 'args' in an 'neg' node"],
    ['args not an array', { op: 'neg', args: { 0: { lit: 1 } } }, "(root): 'args' must be an array, found an object"],
    ['an extra key on an op', { op: 'neg', args: [{ lit: 1 }], var: 'X' }, "(root): unexpected key 'var' in an op node ('neg')"],
    ['lit an array', { lit: [1] }, `(root): 'lit' must be a string, a finite number, a boolean, null or {"undefined": true}, found an array`],
    ['lit an object', { lit: { undefined: false } }, `(root): 'lit' must be a string, a finite number, a boolean, null or {"undefined": true}, found an object`],
    ['lit undefined with more keys', { lit: { undefined: true, x: 1 } }, `(root): 'lit' must be a string, a finite number, a boolean, null or {"undefined": true}, found an object`],
    ['lit NaN', { list: [{ lit: 1 }, { lit: NaN }] }, "list[1]: 'lit' must be a finite number, found NaN"],
    ['lit Infinity', { op: 'neg', args: [{ lit: -Infinity }] }, "args[0]: 'lit' must be a finite number, found -Infinity"],
    ['lit missing (undefined)', { lit: undefined }, `(root): 'lit' must be a string, a finite number, a boolean, null or {"undefined": true}, found nothing`],
    ['unknown root', { root: 'Properties' }, '(root): unknown root "Properties"; expected "properties" or "event"'],
    ['list not an array', { list: 'abc' }, `(root): 'list' must be an array, found "abc"`],
    ['unbound var', { op: '==', args: [{ var: 'X' }, { lit: 1 }] }, "args[0]: 'X' is not bound by any enclosing any() or all()"],
    ['var bound only in the predicate, used in the list', { op: 'any', var: 'X', args: [{ var: 'X' }, { lit: true }] }, "args[0]: 'X' is not bound by any enclosing any() or all()"],
    ['var names are case-sensitive', { op: 'all', var: 'X', args: [P, { var: 'x' }] }, "args[1]: 'x' is not bound by any enclosing any() or all()"],
    ['var invalid', { op: 'any', var: 'X', args: [P, { var: 'X-1' }] }, 'args[1]: "X-1" is not a valid name (letters, digits and _, not starting with a digit, not a reserved word)'],
    ['var a reserved word', { op: 'any', var: 'And', args: [P, { lit: true }] }, '(root): "And" is not a valid name (letters, digits and _, not starting with a digit, not a reserved word)'],
    ['scope without var', { op: 'all', args: [P, { lit: true }] }, "(root): missing 'var' (the bound name) in an 'all' node"],
    ['scope var not a string', { op: 'all', var: 1, args: [P, { lit: true }] }, "(root): 'var' must be a name (a string), found 1"],
    ['scope with three args', { op: 'any', var: 'X', args: [P, { lit: true }, { lit: 1 }] }, "(root): 'any' takes a 'var' and 2 args [list, predicate], got 3"],
    ['scope with one arg', { op: 'all', var: 'X', args: [P] }, "(root): 'all' takes a 'var' and 2 args [list, predicate], got 1"],
    ['a huge string', { lit: 'x'.repeat(65_537) }, '(root): string literal longer than 65536 characters'],
  ];
  for (const [name, json, message] of cases) {
    it(name, () => expect(rejects(json).message).toBe(message));
  }

  it('shadowing: the inner binder wins, the outer name stays visible', () => {
    const ok = { op: 'any', var: 'X', args: [P, { op: 'all', var: 'Y', args: [{ var: 'X' }, { op: '==', args: [{ var: 'X' }, { var: 'Y' }] }] }] };
    expect(validateAst(ok)).toStrictEqual(ok);
    const bad = { op: 'any', var: 'X', args: [P, { op: 'all', var: 'Y', args: [{ var: 'Y' }, { lit: true }] }] };
    expect(rejects(bad)).toEqual({ message: "args[1].args[0]: 'Y' is not bound by any enclosing any() or all()", path: 'args[1].args[0]' });
  });
});

describe('validateAst against hostile trees', () => {
  it('a 100k-deep JSON gets the depth error at the first node too deep', () => {
    const text = '{"op":"not","args":['.repeat(100_000) + '{"lit":true}' + ']}'.repeat(100_000);
    const json: unknown = JSON.parse(text);
    const { message, path } = rejects(json);
    expect(message).toMatch(/: expression nested deeper than 256 levels$/);
    expect(path).toBe(Array(MAX_DEPTH).fill('args[0]').join('.'));
  });

  it('depth counts through lists and scopes alike', () => {
    let deep: unknown = { lit: 1 };
    for (let i = 0; i < MAX_DEPTH; i++) deep = i % 2 ? { list: [deep] } : { op: 'any', var: 'X', args: [deep, { lit: true }] };
    expect(rejects(deep).message).toMatch(/nested deeper than 256 levels/);
  });

  it('too many nodes, wide or spread out', () => {
    expect(rejects({ list: Array.from({ length: 1_000_000 }, () => ({ lit: 1 })) }).message).toBe('(root): expression has more than 10000 nodes');
    // A balanced tree of 2^14 nodes: each node is fine, the count is not.
    let t: unknown = { lit: 1 };
    for (let i = 0; i < 14; i++) t = { op: '+', args: [t, t] };
    expect(rejects(t).message).toMatch(/expression has more than 10000 nodes$/);
  });

  it('a shared subtree referenced many times is copied, not aliased', () => {
    const shared = { lit: 'x' };
    const out = validateAst({ list: [shared, shared] }) as { list: unknown[] };
    expect(out.list[0]).not.toBe(out.list[1]);
    expect(out.list[0]).not.toBe(shared);
  });

  it('random JSON never makes it throw anything but ExprError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (j) => {
      const r = tryValidateAst(j);
      if (!r.ok) expect(r.error).toBeInstanceOf(ExprError);
    }), { numRuns: 1000 });
  });

  it('mutated valid trees are accepted as a whole or rejected with a path that exists', () => {
    const mutate = fc.tuple(exprArb(), fc.nat(), fc.constantFrom<unknown>(
      { op: 'zz', args: [] }, { lit: Infinity }, { var: 'Q_unbound_name' }, 7, null, { op: 'floor', args: [] }, { list: 'x' }));
    fc.assert(fc.property(mutate, ([ast, k, bad]) => {
      // Replace the k-th node (pre-order) by `bad`.
      const json = JSON.parse(JSON.stringify(ast)) as Record<string, unknown>;
      const slots: Array<[unknown[], number, string]> = [];
      const walk = (n: Record<string, unknown>, path: string): void => {
        const kids = (n.list ?? n.args) as Array<Record<string, unknown>> | undefined;
        const key = n.list ? 'list' : 'args';
        kids?.forEach((c, i) => {
          const p = path ? `${path}.${key}[${i}]` : `${key}[${i}]`;
          slots.push([kids, i, p]);
          walk(c, p);
        });
      };
      walk(json, '');
      if (slots.length === 0) return;
      const [arr, i, p] = slots[k % slots.length]!;
      arr[i] = bad;
      const r = tryValidateAst(json);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.path).toBe(p);
    }), { numRuns: 500 });
  });
});
