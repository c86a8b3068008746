import { describe, expect, it } from 'vitest';
import { ExprError, prepare } from './index.ts';

describe('prepare', () => {
  it('parses, checks and folds text, returning canonical text and warnings', () => {
    const p = prepare('Properties["price"] > 10 * 2 AND 1');
    expect(p.text).toBe('properties["price"] > 20 and 1');
    expect(p.warnings.map((w) => [w.message, w.path])).toEqual([["operand 2 of 'and' is a number; non-booleans count as false", '']]);
  });

  it('validates a JSON tree and gives the same result as its text', () => {
    const tree = { op: '>', args: [{ op: '[]', args: [{ root: 'event' }, { lit: 'time' }] }, { op: 'datetime', args: [{ lit: '2011-08-01' }] }] };
    const p = prepare(tree);
    expect(p.text).toBe('event["time"] > datetime(1312156800)');
    expect(prepare(p.text).text).toBe(p.text);
  });

  it('can leave constants unfolded', () => {
    expect(prepare('86400 * 7', { fold: false }).text).toBe('86400 * 7');
  });

  it('is idempotent: preparing its own text gives the same text', () => {
    for (const t of ['1 + 2', 'any(X, [datetime("2024-01-01"), now()], X > now() - 86400)', '[1, [2, "x" + "y"]] == properties["l"]', 'not -(1)']) {
      const once = prepare(t).text;
      expect(prepare(once).text).toBe(once);
    }
  });

  it('throws ExprError with a position for text and a path for trees', () => {
    expect(() => prepare('1 +')).toThrow(ExprError);
    try {
      prepare({ op: 'and', args: [{ lit: true }, { op: 'floor', args: [] }] });
      expect.unreachable();
    } catch (e) {
      expect((e as ExprError).path).toBe('args[1]');
    }
    try {
      prepare('\n  X > 1');
      expect.unreachable();
    } catch (e) {
      expect([(e as ExprError).line, (e as ExprError).column]).toEqual([2, 3]);
    }
  });
});
