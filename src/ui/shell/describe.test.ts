import { describe, expect, it } from 'vitest';
import { describeReport } from './describe.ts';
import { defaultQueryAttrs } from '../state/report-query.ts';
import { filtersToAst, propertyToOn } from '../../report/filters.ts';
import { parse, stripSpans } from '../../expr/index.ts';

const base = { ...defaultQueryAttrs('2026-11-26'), event: 'Purchase' };

describe('describeReport', () => {
  it('says what is on screen in words', () => {
    expect(describeReport({ ...base, on: propertyToOn('$browser') })).toBe('Purchase · last 30 days · by $browser');
    expect(describeReport({ ...base, event: null })).toBe('New report');
    expect(describeReport({ ...base, type: 'unique', range: 'custom', from: '2026-11-01', to: '2026-11-03' }))
      .toBe('Purchase · unique users · Nov 1, 2026 – Nov 3, 2026');
  });
  it('reads filters as a sentence, or counts them', () => {
    const one = filtersToAst({ match: 'all', rows: [{ property: 'country', type: 'string', operator: 'equals', value: 'US' }] });
    expect(describeReport({ ...base, where: one, range: '7d' })).toBe('Purchase · where country equals US · last 7 days');
    const two = filtersToAst({ match: 'any', rows: [
      { property: 'price', type: 'number', operator: 'between', value: 1000, value2: 2000 },
      { property: 'premium', type: 'boolean', operator: 'is_true' },
    ] });
    expect(describeReport({ ...base, where: two })).toBe('Purchase · 2 filters (any) · last 30 days');
    const custom = stripSpans(parse('lower(properties["a"]) == "x"'));
    expect(describeReport({ ...base, where: custom, on: stripSpans(parse('len(properties["items"])')) }))
      .toBe('Purchase · where lower(properties["a"]) == "x" · last 30 days · by len(properties["items"])');
  });
});
