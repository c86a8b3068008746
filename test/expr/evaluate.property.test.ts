// Properties of the evaluator over random trees and random events: it never throws, the compiled
// form agrees with the reference, folding and printing do not change meaning, and the value laws
// the spec implies hold (`!=` is `not ==`, casts round-trip).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DateTime, MAX_MS, MIN_MS, castDateTime, castNumber, castString, check, compareValues, compile, evaluate,
  parse, possibleTypes, print, segmentKeys, toTyped, typeOf, valuesEqual,
  type EventRecord, type Expr, type Value,
} from '../../src/expr/index.ts';
import { exprArb } from './arbitraries.ts';
import { eventArb, jsonValueArb, semanticExprArb } from './value-arbitraries.ts';

const NOW = Date.UTC(2024, 0, 15, 12);
const ctx = { now: NOW };
// EXPR_PROPERTY_RUNS raises the count for a longer hunt (e.g. 20000) without slowing CI.
const RUNS = Number(process.env.EXPR_PROPERTY_RUNS ?? 400);

function same(a: Value, b: Value): boolean {
  return typeOf(a) === typeOf(b) && valuesEqual(a, b);
}

const treeArb = fc.oneof(semanticExprArb(), semanticExprArb(3), exprArb({ maxDepth: 4 }));

describe('evaluator properties', () => {
  it('never throws, and compile agrees with evaluate', () => {
    fc.assert(
      fc.property(treeArb, eventArb, (ast, event) => {
        const a = evaluate(ast, event, ctx);
        const b = compile(ast, ctx)(event);
        expect(toTyped(b)).toEqual(toTyped(a));
        expect(same(a, b)).toBe(true);
        // The value can always be reported and segmented.
        JSON.stringify(toTyped(a));
        expect(Array.isArray(segmentKeys(a))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("the checker's static types contain every value the tree evaluates to", () => {
    fc.assert(
      fc.property(treeArb, eventArb, (ast, event) => {
        const v = evaluate(ast, event, ctx);
        expect(possibleTypes(ast)).toContain(typeOf(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('constant folding preserves meaning', () => {
    fc.assert(
      fc.property(treeArb, eventArb, (ast, event) => {
        const folded = check(ast).ast;
        expect(toTyped(evaluate(folded, event, ctx))).toEqual(toTyped(evaluate(ast, event, ctx)));
      }),
      { numRuns: RUNS },
    );
  });

  it('the canonical text of a checked tree evaluates to the same value', () => {
    fc.assert(
      fc.property(semanticExprArb(4), eventArb, (ast, event) => {
        const text = print(check(ast).ast);
        expect(toTyped(evaluate(parse(text), event, ctx))).toEqual(toTyped(evaluate(ast, event, ctx)));
      }),
      { numRuns: RUNS },
    );
  });

  it('a != b is not (a == b), and == is always a boolean', () => {
    fc.assert(
      fc.property(semanticExprArb(3), semanticExprArb(3), eventArb, (x, y, event) => {
        const eq = evaluate({ op: '==', args: [x, y] }, event, ctx);
        const ne = evaluate({ op: '!=', args: [x, y] }, event, ctx);
        const notEq = evaluate({ op: 'not', args: [{ op: '==', args: [x, y] }] }, event, ctx);
        expect(typeof eq).toBe('boolean');
        expect(ne).toBe(!eq);
        expect(notEq).toBe(ne);
      }),
      { numRuns: RUNS },
    );
  });

  it('and/or always give booleans; a where keeps an event only on exactly true', () => {
    fc.assert(
      fc.property(semanticExprArb(3), semanticExprArb(3), eventArb, (x, y, event) => {
        const a = evaluate(x, event, ctx);
        const b = evaluate(y, event, ctx);
        expect(evaluate({ op: 'and', args: [x, y] }, event, ctx)).toBe(a === true && b === true);
        expect(evaluate({ op: 'or', args: [x, y] }, event, ctx)).toBe(a === true || b === true);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary JSON posing as a tree', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), eventArb, (junk, event) => {
        const a = evaluate(junk as unknown as Expr, event, ctx);
        const b = compile(junk as unknown as Expr, ctx)(event);
        expect(toTyped(b)).toEqual(toTyped(a));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on events that are not JSON-shaped', () => {
    const oddEvent = fc.oneof(
      fc.record({
        event: fc.anything(),
        properties: fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('a', 'time', 'distinct_id', 'l'), fc.anything())),
      }),
      fc.anything(),
    ) as fc.Arbitrary<unknown> as fc.Arbitrary<EventRecord>;
    fc.assert(
      fc.property(semanticExprArb(4), oddEvent, (ast, event) => {
        const a = evaluate(ast, event, ctx);
        const b = compile(ast, ctx)(event);
        expect(toTyped(b)).toEqual(toTyped(a));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('value laws', () => {
  it('number(string(x)) is x for every finite number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // -0 prints as "0", so it comes back as 0 (which == -0 in the language).
        expect(castNumber(castString(x) as string) === x).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  const dateTimeArb = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new DateTime(ms === 0 ? 0 : ms));

  it('datetime(number(d)) and datetime(string(d)) are d', () => {
    fc.assert(
      fc.property(dateTimeArb, (d) => {
        expect(castDateTime(castNumber(d) as number)?.ms).toBe(d.ms);
        expect(castDateTime(castString(d) as string)?.ms).toBe(d.ms);
        expect(castDateTime(toTyped(d).type === 'datetime' ? (toTyped(d) as { value: string }).value : '')?.ms).toBe(d.ms);
      }),
      { numRuns: RUNS },
    );
  });

  it('datetime ordering is instant ordering, and strings read as datetimes order the same', () => {
    fc.assert(
      fc.property(dateTimeArb, dateTimeArb, (a, b) => {
        expect(Math.sign(compareValues(a, b) as number)).toBe(Math.sign(a.ms - b.ms));
        expect(Math.sign(compareValues(castString(a) as string, b) as number)).toBe(Math.sign(a.ms - b.ms));
      }),
      { numRuns: RUNS },
    );
  });

  it('== is reflexive and symmetric on JSON values; ordering is antisymmetric', () => {
    fc.assert(
      fc.property(jsonValueArb, jsonValueArb, (x, y) => {
        const a = x as Value;
        const b = y as Value;
        expect(valuesEqual(a, structuredClone(a))).toBe(true);
        expect(valuesEqual(a, b)).toBe(valuesEqual(b, a));
        const ab = compareValues(a, b);
        const ba = compareValues(b, a);
        expect(ab === undefined).toBe(ba === undefined);
        if (ab !== undefined) expect(Math.sign(ab) + Math.sign(ba as number)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('ISO-8601 parsing against a regular-expression reference', () => {
  const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;
  function reference(s: string): number | undefined {
    const m = ISO.exec(s);
    if (m === null) return undefined;
    const [y, mo, d, h = 0, mi = 0, sec = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x)));
    if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || sec! > 59) return undefined;
    const probe = new Date(0);
    probe.setUTCFullYear(y!, mo! - 1, d!);
    if (probe.getUTCDate() !== d) return undefined; // day past the end of the month
    const ms = m[7] === undefined ? 0 : Number((m[7] + '00').slice(0, 3));
    let off = 0;
    if (m[9] !== undefined) {
      if (Number(m[10]) > 23 || Number(m[11]) > 59) return undefined;
      off = (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
    }
    probe.setUTCHours(h!, mi!, sec!, ms);
    const t = probe.getTime() - off * 60000;
    return t >= MIN_MS && t <= MAX_MS ? t : undefined;
  }
  const isoish = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'0123456789-T:.Z+ z'), maxLength: 32 }),
    fc.tuple(fc.integer({ min: MIN_MS, max: MAX_MS }), fc.nat(40), fc.string({ unit: fc.constantFrom(...'0123456789-T:.Z+'), maxLength: 3 }), fc.nat(32))
      .map(([ms, cut, junk, at]) => {
        const s = new DateTime(ms).toJSON();
        const variants = [s, s.slice(0, -1), s.slice(0, 10), s.slice(0, 16), s.replace('Z', '+05:30'), s.replace('Z', '-23:59'), s.replace(/\.\d+/, '.123456789')];
        const v = variants[cut % variants.length];
        return cut % 3 === 0 ? v.slice(0, at) + junk + v.slice(at) : v;
      }),
  );
  it('agrees on random ISO-like strings', () => {
    fc.assert(
      fc.property(isoish, (s) => {
        expect([s, castDateTime(s)?.ms]).toEqual([s, reference(s)]);
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('checker warnings are true statements', () => {
  function subtreeAt(ast: Expr, path: string): Expr {
    let node: unknown = ast;
    for (const m of path.matchAll(/(args|list)\[(\d+)\]/g)) node = (node as Record<string, Expr[]>)[m[1]][Number(m[2])];
    return node as Expr;
  }
  function hasFreeVar(e: Expr, bound: string[] = []): boolean {
    if ('var' in e && !('op' in e)) return !bound.includes(e.var);
    if ('list' in e) return e.list.some((x) => hasFreeVar(x, bound));
    if ('op' in e) {
      if (e.op === 'any' || e.op === 'all') return hasFreeVar(e.args[0], bound) || hasFreeVar(e.args[1], [...bound, e.var]);
      return e.args.some((x) => hasFreeVar(x, bound));
    }
    return false;
  }

  it('what a warning says about a node holds on every event', () => {
    let checked = 0;
    fc.assert(
      fc.property(semanticExprArb(4), fc.array(eventArb, { minLength: 1, maxLength: 3 }), (ast, events) => {
        for (const w of check(ast, { fold: false }).warnings) {
          const node = subtreeAt(ast, w.path);
          if (hasFreeVar(node)) continue;
          for (const event of events) {
            const v = evaluate(node, event, ctx);
            checked++;
            if (/non-booleans count as false$/.test(w.message)) {
              const i = Number(/^operand (\d)/.exec(w.message)![1]) - 1;
              const operand = evaluate((node as { args: Expr[] }).args[i], event, ctx);
              expect([w.message, typeof operand]).not.toEqual([w.message, 'boolean']);
            } else if (/(always|result is) undefined/.test(w.message)) expect([w.message, typeOf(v)]).toEqual([w.message, 'undefined']);
            else if (/always false$/.test(w.message)) expect([w.message, v]).toEqual([w.message, false]);
            else if (/always true$/.test(w.message)) expect([w.message, v]).toEqual([w.message, true]);
            else throw new Error(`a warning this test does not know: ${w.message}`);
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(50);
  });
});
