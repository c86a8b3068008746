import { describe, expect, it } from 'vitest';
import { RequestError, validateSegmentationRequest, type ValidateOptions } from '../../src/report/validate.ts';
import { MAX_LIMIT } from '../../src/report/types.ts';

const base = { event: 'Purchase', from: '2024-03-01', to: '2024-03-31' };

function rejection(input: unknown, options?: ValidateOptions): RequestError {
  try {
    validateSegmentationRequest(input, options);
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('validateSegmentationRequest', () => {
  it('fills in defaults', () => {
    const v = validateSegmentationRequest(base);
    expect(v.query).toEqual({ ...base, unit: 'day', where: null, on: null, type: 'general', limit: 60, buckets: null });
    expect(v.whereText).toBeNull();
  });

  it('accepts text and ASTs and gives their canonical text', () => {
    const v = validateSegmentationRequest({
      ...base,
      where: 'PROPERTIES["$browser"] = "Chrome"',
      on: { op: '[]', args: [{ root: 'properties' }, { lit: 'country' }] },
    });
    expect(v.whereText).toBe('properties["$browser"] == "Chrome"');
    expect(v.onText).toBe('properties["country"]');
    expect(v.query.on).toEqual({ op: '[]', args: [{ root: 'properties' }, { lit: 'country' }] });
  });

  it('treats blank expression text as no expression', () => {
    expect(validateSegmentationRequest({ ...base, where: '   ' }).query.where).toBeNull();
  });

  it('passes checker warnings on, naming the field', () => {
    const v = validateSegmentationRequest({ ...base, where: 'properties["a"] == 1 and 2' });
    expect(v.warnings).toHaveLength(1);
    expect(v.warnings[0]).toMatch(/^where: /);
  });

  it.each([
    [null, 'invalid_request', 'body'],
    [[1], 'invalid_request', 'body'],
    ['{}', 'invalid_request', 'body'],
    [{ ...base, form: '2024-01-01' }, 'unknown_field', 'body.form'],
    [{ from: base.from, to: base.to }, 'missing_field', 'body.event'],
    [{ ...base, event: 5 }, 'invalid_request', 'body.event'],
    [{ ...base, event: '' }, 'invalid_request', 'body.event'],
    [{ event: 'A', to: base.to }, 'missing_field', 'body.from'],
    [{ ...base, from: '2024-02-30' }, 'invalid_date', 'body.from'],
    [{ ...base, to: '2024/03/31' }, 'invalid_date', 'body.to'],
    [{ ...base, to: 20240331 }, 'invalid_date', 'body.to'],
    [{ ...base, from: '2024-04-01' }, 'invalid_range', 'body.from'],
    [{ ...base, unit: 'year' }, 'invalid_unit', 'body.unit'],
    [{ ...base, unit: 'Day' }, 'invalid_unit', 'body.unit'],
    [{ ...base, type: 'sum' }, 'invalid_type', 'body.type'],
    [{ ...base, limit: 0 }, 'invalid_limit', 'body.limit'],
    [{ ...base, limit: MAX_LIMIT + 1 }, 'invalid_limit', 'body.limit'],
    [{ ...base, limit: 1.5 }, 'invalid_limit', 'body.limit'],
    [{ ...base, limit: '10' }, 'invalid_limit', 'body.limit'],
    [{ ...base, buckets: 0, on: 'properties["price"]' }, 'invalid_buckets', 'body.buckets'],
    [{ ...base, buckets: 1001, on: 'properties["price"]' }, 'invalid_buckets', 'body.buckets'],
    [{ ...base, buckets: 10 }, 'invalid_buckets', 'body.buckets'],
    [{ ...base, buckets: 10, on: 'properties["a"] == 1' }, 'invalid_buckets', 'body.buckets'],
    [{ ...base, buckets: 10, on: 'upper(properties["a"])' }, 'invalid_buckets', 'body.buckets'],
    [{ ...base, unit: 'minute' }, 'too_many_buckets', 'body.unit'],
    [{ ...base, from: '2000-01-01', to: '2024-12-31', unit: 'hour' }, 'too_many_buckets', 'body.unit'],
    [{ ...base, where: 42 }, 'invalid_request', 'body.where'],
    [{ ...base, from: '2024-01-01', to: '2024-03-31', unit: 'hour', limit: 10_000 }, 'invalid_limit', 'body.limit'],
    [{ ...base, on: ['properties'] }, 'invalid_request', 'body.on'],
  ])('%j is rejected with %s at %s', (input, code, path) => {
    const e = rejection(input);
    expect(e.code).toBe(code);
    expect(e.path).toBe(path);
    expect(e.message.length).toBeGreaterThan(10);
  });

  it('accepts the largest range a unit allows and a numeric on with buckets', () => {
    expect(validateSegmentationRequest({ ...base, from: '2024-03-01', to: '2024-03-06', unit: 'minute' }).query.unit).toBe('minute');
    expect(validateSegmentationRequest({ ...base, on: 'number(properties["price"])', buckets: 10 }).query.buckets).toBe(10);
    expect(validateSegmentationRequest({ ...base, on: 'properties["price"]', buckets: 1000 }).query.buckets).toBe(1000);
    // limit × buckets at the cell cap: 10,000 segments over 100 days.
    expect(validateSegmentationRequest({ ...base, from: '2024-01-01', to: '2024-04-09', limit: 10_000 }).query.limit).toBe(10_000);
    expect(rejection({ ...base, from: '2024-01-01', to: '2024-04-10', limit: 10_000 }).message).toContain('lower limit to 9,900');
  });

  it('gives line and column for expression text', () => {
    const e = rejection({ ...base, where: 'properties["a"] == 1 and\n  (properties["b"] > 2' });
    expect(e.code).toBe('invalid_expression');
    expect(e.path).toBe('body.where');
    expect([e.line, e.column]).toEqual([2, 23]);
    expect(e.message).toMatch(/^where 2:23: /);
    expect(e.source).toEqual({ field: 'where', text: 'properties["a"] == 1 and\n  (properties["b"] > 2', offset: 47 });
  });

  it('names unbound names and unknown functions at their position', () => {
    const e = rejection({ ...base, on: 'any(X, properties["l"], Y == 1)' });
    expect(e.code).toBe('invalid_expression');
    expect([e.line, e.column]).toEqual([1, 25]);
    expect(e.message).toBe("on 1:25: 'Y' is not bound by any enclosing any() or all()");
    const f = rejection({ ...base, where: 'nosuch(1)' });
    expect([f.line, f.column]).toEqual([1, 1]);
  });

  it('gives a JSON path into an AST', () => {
    const e = rejection({ ...base, where: { op: 'and', args: [{ lit: true }, { op: '==', args: [{ lit: 1 }, { op: 'bogus', args: [] }] }] } });
    expect(e.code).toBe('invalid_expression');
    expect(e.path).toBe('body.where.args[1].args[1]');
    expect(e.line).toBeNull();
    expect(e.message).toBe("where at args[1].args[1]: unknown op 'bogus'");
    const g = rejection({ ...base, on: { var: 'X' } });
    expect(g.path).toBe('body.on');
  });

  it('rejects ASTs and text nested too deep as too large', () => {
    let ast: unknown = { lit: 1 };
    for (let i = 0; i < 300; i++) ast = { op: 'neg', args: [ast] };
    const e = rejection({ ...base, where: ast });
    expect(e.code).toBe('expression_too_large');
    expect(e.path).toMatch(/^body\.where\.args\[0\]/);
    const t = rejection({ ...base, where: '('.repeat(300) + '1' + ')'.repeat(300) });
    expect(t.code).toBe('expression_too_large');
    expect(t.line).toBe(1);
  });

  it('names fields the caller’s way', () => {
    const e = rejection({ event: 'A', from: '2024-13-01', to: '2024-01-01' }, { root: 'query', names: { from: 'from_date', to: 'to_date' } });
    expect(e.path).toBe('query.from_date');
    expect(e.message).toMatch(/^from_date must be/);
    const c = rejection({ event: 'A', from: '2024-01-01', to: '2024-01-02', limit: 0 }, { root: '', names: { limit: '--limit' } });
    expect(c.path).toBe('--limit');
  });
});
