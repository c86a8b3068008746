import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeReport, encodeReport } from './url.ts';
import type { ReportUrlState } from './url.ts';
import { filtersToAst, propertyToOn } from './filters.ts';
import type { FilterRow } from './filters.ts';

const base: ReportUrlState = {
  event: 'Purchase', where: null, on: null, range: '30d', from: '2026-10-28', to: '2026-11-26',
  unit: 'day', type: 'general', limit: 60, buckets: null, chart: 'line',
};

const hostile = fc.constantFrom('<img src=x onerror=alert(1)>', "'; DROP TABLE events; --", 'a&b=c#d?e', '%41%zz', 'ü 😀 \u2028', '"\\', ' ');
const str = fc.oneof(hostile, fc.string({ maxLength: 12 }));
const row: fc.Arbitrary<FilterRow> = fc.oneof(
  fc.record({ property: str.filter((s) => s !== ''), type: fc.constant('string' as const), operator: fc.constantFrom('equals' as const, 'contains' as const, 'starts_with' as const), value: str }),
  fc.record({ property: str.filter((s) => s !== ''), type: fc.constant('number' as const), operator: fc.constantFrom('gt' as const, 'le' as const), value: fc.integer({ min: -1e6, max: 1e6 }) }),
  fc.record({ property: str.filter((s) => s !== ''), type: fc.constant('list' as const), operator: fc.constant('any_equals' as const), value: str }),
);
const dateArb = fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const stateArb: fc.Arbitrary<ReportUrlState> = fc
  .record({
    event: fc.oneof(fc.constant(null), str.filter((s) => s !== '')),
    rows: fc.array(row, { maxLength: 4 }),
    match: fc.constantFrom('all' as const, 'any' as const),
    onProp: fc.oneof(fc.constant(null), str.filter((s) => s !== '')),
    range: fc.constantFrom('7d' as const, '30d' as const, '90d' as const, 'custom' as const),
    d1: dateArb,
    d2: dateArb,
    unit: fc.constantFrom('minute' as const, 'hour' as const, 'day' as const, 'week' as const, 'month' as const),
    type: fc.constantFrom('general' as const, 'unique' as const, 'average' as const),
    limit: fc.integer({ min: 1, max: 10_000 }),
    buckets: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 1000 })),
    chart: fc.constantFrom('line' as const, 'bar' as const, 'stacked' as const),
  })
  .map((r) => {
    const on = propertyToOn(r.onProp);
    const [from, to] = r.d1 <= r.d2 ? [r.d1, r.d2] : [r.d2, r.d1];
    return {
      event: r.event, where: filtersToAst({ match: r.match, rows: r.rows }), on, range: r.range, from, to,
      unit: r.unit, type: r.type, limit: r.limit, buckets: on ? r.buckets : null, chart: r.chart,
    };
  });

/** What a URL can carry: preset ranges roll, so their dates are not in it. */
function carried(s: ReportUrlState): Partial<ReportUrlState> {
  const out: Partial<ReportUrlState> = { ...s };
  if (s.range !== 'custom') { delete out.from; delete out.to; }
  return out;
}

describe('report URL codec', () => {
  it('round-trips every report (generated, hostile strings included)', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const { state, problems } = decodeReport(encodeReport(s));
        expect(problems).toEqual([]);
        const full = { ...base, event: null, where: null, on: null, buckets: null, range: '30d', ...state } as ReportUrlState;
        expect(carried(full)).toEqual(carried(s));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps links short and readable: defaults left out, expressions as text', () => {
    expect(encodeReport(base)).toBe('event=Purchase');
    const s = { ...base, where: filtersToAst({ match: 'all', rows: [{ property: 'country', type: 'string', operator: 'equals', value: 'US' }] }), on: propertyToOn('$browser'), range: '7d' as const };
    const q = encodeReport(s);
    expect(new URLSearchParams(q).get('where')).toBe('properties["country"] == "US"');
    expect(new URLSearchParams(q).get('on')).toBe('properties["$browser"]');
    expect(new URLSearchParams(q).get('range')).toBe('7d');
    expect(new URLSearchParams(q).has('from')).toBe(false);
  });

  it('reports bad parameters in words and keeps the good ones', () => {
    const { state, problems } = decodeReport('?event=Signup&where=properties%5B%22a%22%5D%20%3D%3D&unit=fortnight&limit=0&from=2026-13-01&chart=pie&type=median&buckets=x');
    expect(state).toEqual({ event: 'Signup' });
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^where: 1:\d+: /);
    expect(problems.join('\n')).toMatch(/unit: expected one of minute, hour, day, week, month, got fortnight/);
  });

  it('rejects expressions that parse but do not check, with their position', () => {
    const { state, problems } = decodeReport(`on=${encodeURIComponent('len(X)')}`);
    expect(state).toEqual({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^on: 1:5: /);
  });

  it('reads a custom range from from/to', () => {
    expect(decodeReport('from=2026-01-01&to=2026-01-31').state).toEqual({ range: 'custom', from: '2026-01-01', to: '2026-01-31' });
    expect(decodeReport('from=2026-02-01&to=2026-01-31').problems).toHaveLength(1);
  });
});
