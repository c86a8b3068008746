import { describe, expect, it } from 'vitest';
import { bucketLabel, bucketLabels, bucketStart, countBuckets, parseBucketLabel, parseDay } from '../../src/report/dates.ts';
import { UNITS } from '../../src/report/types.ts';

describe('parseDay', () => {
  it('reads calendar dates as UTC midnight', () => {
    expect(parseDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDay('1970-01-01')).toBe(0);
  });
  it.each(['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-00', '2024-1-01', '24-01-01', '2024-01-01T00:00', ' 2024-01-01', '0999-01-01', ''])(
    'rejects %j',
    (text) => expect(parseDay(text)).toBeNull(),
  );
});

describe('bucket labels', () => {
  it('labels each unit as the contract says', () => {
    const t = Date.UTC(2024, 2, 6, 13, 45, 30); // a Wednesday
    expect(bucketLabel(bucketStart(t, 'minute'), 'minute')).toBe('2024-03-06 13:45:00');
    expect(bucketLabel(bucketStart(t, 'hour'), 'hour')).toBe('2024-03-06 13:00:00');
    expect(bucketLabel(bucketStart(t, 'day'), 'day')).toBe('2024-03-06');
    expect(bucketLabel(bucketStart(t, 'week'), 'week')).toBe('2024-03-04');
    expect(bucketLabel(bucketStart(t, 'month'), 'month')).toBe('2024-03-01');
  });
  it('starts weeks on Monday, also for a Sunday and a Monday', () => {
    expect(bucketLabel(bucketStart(Date.UTC(2024, 2, 10, 23), 'week'), 'week')).toBe('2024-03-04');
    expect(bucketLabel(bucketStart(Date.UTC(2024, 2, 11), 'week'), 'week')).toBe('2024-03-11');
  });
  it('lists every bucket of an inclusive range in order', () => {
    expect(bucketLabels('2024-01-30', '2024-02-02', 'day')).toEqual(['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02']);
    expect(bucketLabels('2024-01-31', '2024-03-01', 'month')).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(bucketLabels('2024-03-06', '2024-03-12', 'week')).toEqual(['2024-03-04', '2024-03-11']);
    const hours = bucketLabels('2024-03-06', '2024-03-06', 'hour');
    expect(hours).toHaveLength(24);
    expect(hours[0]).toBe('2024-03-06 00:00:00');
    expect(hours[23]).toBe('2024-03-06 23:00:00');
  });
  it('counts buckets without listing them, equal to the listing', () => {
    const ranges: Array<[string, string]> = [['2024-01-01', '2024-01-01'], ['2023-12-28', '2024-03-03'], ['2024-02-26', '2024-03-04'], ['2020-01-15', '2021-02-14']];
    for (const [from, to] of ranges) {
      for (const unit of UNITS) {
        if (unit === 'minute' && from < '2024') continue;
        expect(countBuckets(from, to, unit), `${from}..${to} by ${unit}`).toBe(bucketLabels(from, to, unit).length);
      }
    }
  });
  it('reads a label back to its instant', () => {
    expect(parseBucketLabel('2024-03-06 13:45:00')).toBe(Date.UTC(2024, 2, 6, 13, 45));
    expect(parseBucketLabel('2024-03-06')).toBe(Date.UTC(2024, 2, 6));
    expect(parseBucketLabel('2024-03-06 24:00:00')).toBeNull();
    expect(parseBucketLabel('2024-03-06 13:45:30')).toBeNull();
  });
});
