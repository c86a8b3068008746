import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/types.ts';
import { generateSampleEvents, sampleBatches, sampleWindow } from './generate.ts';
import { Random } from './random.ts';

const END = '2024-06-30';
const OPTIONS = { seed: 7, events: 40_000, users: 1_500, days: 56, endDate: END };
const events = [...generateSampleEvents(OPTIONS)];

function digest(list: Iterable<StoredEvent>): string {
  const hash = createHash('sha256');
  for (const event of list) hash.update(JSON.stringify(event));
  return hash.digest('hex');
}

describe('sample data generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(digest(generateSampleEvents(OPTIONS))).toBe(digest(events));
    expect(digest(generateSampleEvents({ ...OPTIONS, seed: 8 }))).not.toBe(digest(events));
    const a = new Random(1);
    const b = new Random(1);
    expect(Array.from({ length: 5 }, () => a.uint32())).toEqual(Array.from({ length: 5 }, () => b.uint32()));
    expect(new Random(2).uint32()).not.toBe(new Random(1).uint32());
  });

  it('makes exactly the events asked for, inside the window, day by day', () => {
    expect(events.length).toBe(40_000);
    const { start, end } = sampleWindow(OPTIONS);
    expect(new Date(start).toISOString()).toBe('2024-05-06T00:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2024-07-01T00:00:00.000Z');
    let previousDay = -Infinity;
    let outside = 0;
    let outOfOrder = 0;
    for (const event of events) {
      if (event.time < start || event.time >= end) outside++;
      const day = Math.floor(event.time / 86_400_000);
      // A session that starts before midnight may end just after it, nothing more.
      if (day < previousDay - 1) outOfOrder++;
      previousDay = Math.max(previousDay, day);
    }
    expect({ outside, outOfOrder }).toEqual({ outside: 0, outOfOrder: 0 });
    expect(new Set(events.map((e) => e.insert_id)).size).toBe(events.length);
    expect([...sampleBatches({ ...OPTIONS, events: 2_500 }, 1_000)].map((b) => b.length)).toEqual([1_000, 1_000, 500]);
  });

  it('carries Mixpanel-style properties consistent with the event fields', () => {
    for (const event of events.slice(0, 2_000)) {
      expect(event.properties.time).toBe(Math.floor(event.time / 1000));
      expect(event.properties.$insert_id).toBe(event.insert_id);
      expect(event.properties.distinct_id).toBe(event.distinct_id);
      expect(typeof event.properties.$browser).toBe('string');
      expect(typeof event.properties.mp_country_code).toBe('string');
    }
  });

  it('has funnels and a realistic mix of event names', () => {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.event, (counts.get(event.event) ?? 0) + 1);
    const share = (name: string) => (counts.get(name) ?? 0) / events.length;
    expect([...counts.keys()].sort()).toEqual(['Add to Cart', 'Checkout', 'Error', 'Login', 'Page View', 'Purchase', 'Search', 'Share', 'Sign Up']);
    expect(share('Page View')).toBeGreaterThan(0.4);
    expect(share('Add to Cart')).toBeGreaterThan(share('Checkout'));
    expect(share('Checkout')).toBeGreaterThan(share('Purchase'));
    expect(share('Purchase')).toBeGreaterThan(0.01);
    expect(share('Error')).toBeLessThan(0.03);
    // Each user signs up at most once.
    const signups = events.filter((e) => e.event === 'Sign Up').map((e) => e.distinct_id);
    expect(new Set(signups).size).toBe(signups.length);
  });

  it('has weekly seasonality, growth, a diurnal pattern and power-law users', () => {
    const perDay = new Map<number, number>();
    for (const event of events) {
      const day = Math.floor(event.time / 86_400_000);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const weekday: number[] = [];
    const weekend: number[] = [];
    for (const [day, count] of perDay) (([0, 6].includes(new Date(day * 86_400_000).getUTCDay()) ? weekend : weekday)).push(count);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weekday) / mean(weekend)).toBeGreaterThan(1.4);
    const days = [...perDay.keys()].sort((a, b) => a - b);
    const firstWeeks = days.slice(0, 14).reduce((sum, d) => sum + perDay.get(d)!, 0);
    const lastWeeks = days.slice(-15, -1).reduce((sum, d) => sum + perDay.get(d)!, 0);
    expect(lastWeeks / firstWeeks).toBeGreaterThan(1.15);
    // Local time in London (UTC+0): nights are quiet.
    const london = events.filter((e) => e.properties.$city === 'London').map((e) => new Date(e.time).getUTCHours());
    const at = (hours: number[]) => london.filter((h) => hours.includes(h)).length;
    expect(at([10, 11, 12])).toBeGreaterThan(5 * at([2, 3, 4]));
    const perUser = new Map<string, number>();
    for (const event of events) perUser.set(event.distinct_id, (perUser.get(event.distinct_id) ?? 0) + 1);
    const sorted = [...perUser.values()].sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / events.length).toBeGreaterThan(0.3);
  });

  it('covers every JSON type, missing keys, mixed types and unicode', () => {
    const typesOf = (key: string) => {
      const types = new Set<string>();
      for (const event of events) {
        if (!(key in event.properties)) types.add('missing');
        else {
          const v = event.properties[key];
          types.add(v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
        }
      }
      return [...types].sort();
    };
    expect(typesOf('plan_level')).toEqual(['missing', 'number', 'string']);
    expect(typesOf('coupon')).toEqual(['missing', 'null', 'string']);
    expect(typesOf('error_code')).toEqual(['missing', 'number', 'string']);
    expect(typesOf('utm_source')).toEqual(['missing', 'string']);
    expect(typesOf('items')).toEqual(['list', 'missing']);
    expect(typesOf('tags')).toEqual(['list', 'missing']);
    expect(typesOf('address')).toEqual(['missing', 'object']);
    expect(typesOf('is_first_purchase')).toEqual(['boolean', 'missing']);
    expect(typesOf('price')).toEqual(['missing', 'number']);
    const purchase = events.find((e) => e.event === 'Purchase')!;
    expect(Object.keys(purchase.properties.address as object).sort()).toEqual(['city', 'zip']);
    const signupDates = events.filter((e) => e.event === 'Sign Up').map((e) => e.properties.signup_date as string);
    for (const date of signupDates) expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const cities = new Set(events.map((e) => e.properties.$city));
    for (const city of ['São Paulo', 'Zürich', '東京']) expect(cities.has(city)).toBe(true);
    expect(events.some((e) => String(e.properties.search_term).includes('🎉'))).toBe(true);
    // Tags are lists of strings, sometimes empty.
    const tagLists = events.filter((e) => Array.isArray(e.properties.tags)).map((e) => e.properties.tags as unknown[]);
    expect(tagLists.some((t) => t.length === 0)).toBe(true);
    expect(tagLists.every((t) => t.every((x) => typeof x === 'string'))).toBe(true);
  });
});
