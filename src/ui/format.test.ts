import { describe, expect, it } from 'vitest';
import { formatBucket, formatDate, formatMs, formatNumber, plural, segmentLabel } from './format.ts';

describe('format', () => {
  it('numbers get thousands separators and at most two decimals', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(1.23456)).toBe('1.23');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('–');
    expect(plural(1, 'event')).toBe('1 event');
    expect(plural(1234, 'event')).toBe('1,234 events');
  });
  it('bucket labels read like "Nov 3"', () => {
    expect(formatBucket('2026-11-03', 'day')).toBe('Nov 3');
    expect(formatBucket('2026-11-03', 'week')).toBe('Nov 3');
    expect(formatBucket('2026-11-01', 'month')).toBe('Nov 2026');
    expect(formatBucket('2026-11-03 14:00:00', 'hour')).toBe('Nov 3 14:00');
    expect(formatDate('2026-01-09')).toBe('Jan 9, 2026');
  });
  it('the undefined segment is "(not set)"; durations are short', () => {
    expect(segmentLabel('undefined')).toBe('(not set)');
    expect(segmentLabel('Chrome')).toBe('Chrome');
    expect(formatMs(84.4)).toBe('84 ms');
    expect(formatMs(1234)).toBe('1.2 s');
  });
});
