import { describe, expect, it } from 'vitest';
import { whereForm } from './typed.ts';

describe('whereForm', () => {
  it('drops coalesce(x, FALSE) at the top and under AND / OR', () => {
    expect(whereForm('coalesce("p3_s" = $1, FALSE)')).toBe('"p3_s" = $1');
    expect(whereForm('(coalesce(a = 1, FALSE) AND coalesce(b = 2, FALSE))')).toBe('(a = 1 AND b = 2)');
    expect(whereForm('(coalesce(a = 1, FALSE) OR (c AND coalesce(b, FALSE)))')).toBe('(a = 1 OR (c AND b))');
    expect(whereForm('coalesce(coalesce(x, FALSE), FALSE)')).toBe('x');
  });

  it('keeps the wrapper under NOT, in comparisons and with another fallback', () => {
    for (const x of [
      'NOT coalesce(a = 1, FALSE)',
      '(NOT coalesce(a = 1, FALSE))',
      'coalesce(a = 1, FALSE) = FALSE',
      'coalesce(a = 1, TRUE)',
      'coalesce(a, b, FALSE)',
      '(coalesce(a, FALSE)) = (b)',
      "coalesce(f(x, ', FALSE'), TRUE)",
    ]) {
      expect(whereForm(x)).toBe(x);
    }
  });

  it('does not split inside parentheses, quotes or an open CASE', () => {
    expect(whereForm("(coalesce(a = ' AND ', FALSE) AND b)")).toBe("(a = ' AND ' AND b)");
    const inCase = '(CASE WHEN a AND b THEN c END OR coalesce(d, FALSE))';
    expect(whereForm(inCase)).toBe('(CASE WHEN a AND b THEN c END OR d)');
    const open = '(CASE WHEN a AND coalesce(b, FALSE) THEN c END)';
    expect(whereForm(open)).toBe(open);
  });
});
