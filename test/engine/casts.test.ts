// The DuckDB dialect's casts and string functions on thousands of values at once, against the
// reference implementations in src/expr (value.ts, ops.ts): number and datetime printing, number
// and ISO parsing, seconds → ms, lower/upper over every code point, len.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lower, upper, len } from '../../src/expr/ops.ts';
import { formatDateTime, MAX_MS, MIN_MS, parseIsoDateTime, parseNumber, secondsToMs } from '../../src/expr/value.ts';
import { duckdbDialect as d } from '../../src/server/sql/duckdb.ts';
import type { DuckDbStore } from '../../src/server/store/duckdb.ts';
import { memoryStore } from './harness.ts';

let store: DuckDbStore;
beforeAll(async () => {
  store = await memoryStore();
});
afterAll(async () => store.close());

/** f applied in SQL to each input (bound as one list parameter). */
async function mapSql<T>(inputs: (number | string)[], f: (x: string) => string): Promise<T[]> {
  const type = typeof inputs[0] === 'number' ? 'DOUBLE' : 'VARCHAR';
  const rows = await store.query<{ i: number | string; y: T }>(
    `SELECT i, ${f('x')} AS y FROM (SELECT unnest($1::${type}[]) AS x, unnest(range(len($1::${type}[]))) AS i) ORDER BY i`,
    [inputs],
  );
  return rows.map((r) => r.y);
}

const doubles = (n: number, seed: number) =>
  fc.sample(
    fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1e6, max: 1e6 }).map((i) => i / 1000),
      fc.integer({ min: -30, max: 30 }).chain((e) => fc.integer({ min: 1, max: 999_999 }).map((m) => m * 10 ** e)),
      fc.constantFrom(0, -0, 1e21, 1e-7, 1e-6, 9.999999999999999e20, 2 ** 53, 2 ** 53 + 2, 1e16, 123456789012345680000, 5e-324, 1.7976931348623157e308),
    ),
    { numRuns: n, seed },
  );

describe('DuckDB dialect casts equal the reference', () => {
  it('string(number) prints JavaScript shortest round-trip text for 20,000 doubles', async () => {
    const xs = doubles(20_000, 42);
    const got = await mapSql<string>(xs, d.numberToString);
    const bad = xs.map((x, i) => [x, got[i], String(x)] as const).filter(([, g, w]) => g !== w);
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('datetime(number) keeps milliseconds as written (secondsToMs) for 20,000 doubles', async () => {
    const xs = doubles(20_000, 7).map((x) => (Math.abs(x) > 3e11 ? x / 1e6 : x));
    const got = await mapSql<number | null>(xs, (x) => d.checkMs(d.secondsToMs(x)));
    const bad = xs
      .map((x, i) => {
        const ms = secondsToMs(x);
        const want = ms === undefined || ms < MIN_MS || ms > MAX_MS ? null : ms;
        return [x, got[i] === null ? null : Number(got[i]), want] as const;
      })
      .filter(([, g, w]) => !(g === w || (g !== null && w !== null && g === w)));
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('string(datetime) over the whole datetime range', async () => {
    const ms = fc.sample(fc.integer({ min: MIN_MS, max: MAX_MS }), { numRuns: 5000, seed: 3 }).concat([MIN_MS, MAX_MS, 0, -1, 999, -999, 1000]);
    const got = await mapSql<string>(ms, d.datetimeToString);
    const bad = ms.map((m, i) => [m, got[i], formatDateTime(m)] as const).filter(([, g, w]) => g !== w);
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('number(string) and datetime(string) parse exactly what the reference parses', async () => {
    const texts = [
      ...fc.sample(fc.oneof(fc.string({ maxLength: 8 }), fc.stringMatching(/^[ \t]?[+-]?\d{0,3}(\.\d{0,3})?([eE][+-]?\d{1,3})?[ \n]?$/)), { numRuns: 3000, seed: 5 }),
      ...fc.sample(
        fc.stringMatching(/^\d{4}-[01]\d-[0-3]\d(T[0-2]\d:[0-6]\d(:[0-6]\d(\.\d{1,9})?)?)?(Z|[+-][0-2]\d:[0-6]\d)?$/),
        { numRuns: 3000, seed: 6 },
      ),
      '1.', '.5', '+1', '1e400', '-0', ' 42 ', '\u00a042', '0x10', 'Infinity', '', '2024-02-29', '2023-02-29', '0000-01-01', '9999-12-31T23:59:59.999Z',
    ];
    const nums = await mapSql<number | string | null>(texts, d.parseNumber);
    const badN = texts.map((t, i) => [t, nums[i] === null ? null : Number(nums[i]), parseNumber(t) ?? null] as const).filter(([, g, w]) => !(g === w || (g === 0 && w === 0)));
    expect(badN.slice(0, 10)).toEqual([]);
    const dts = await mapSql<number | string | null>(texts, d.parseDatetime);
    const badD = texts.map((t, i) => [t, dts[i] === null ? null : Number(dts[i]), parseIsoDateTime(t)?.ms ?? null] as const).filter(([, g, w]) => g !== w);
    expect(badD.slice(0, 10)).toEqual([]);
    expect(texts.filter((t) => parseIsoDateTime(t) !== undefined).length).toBeGreaterThan(100);
  });

  it('lower, upper and len agree on every code point (simple case mapping)', async () => {
    const chars: string[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (cp > 0x2ffff && cp < 0xe0000) continue; // unassigned planes: nothing to map
      chars.push(String.fromCodePoint(cp));
    }
    // Blocks of 500 code points (one string each); a block that differs is reported char by char.
    // Each block starts with 'a': the driver's UTF-8 decoding drops a leading U+FEFF.
    const blocks: string[][] = [];
    for (let i = 0; i < chars.length; i += 500) blocks.push(chars.slice(i, i + 500));
    const texts = blocks.map((b) => 'a' + b.join(''));
    const lo = await mapSql<string>(texts, d.lower);
    const up = await mapSql<string>(texts, d.upper);
    const ln = await mapSql<number | string>(texts, (x) => d.length(x));
    const diffs: string[] = [];
    texts.forEach((t, i) => {
      expect(Number(ln[i])).toBe(len(t));
      for (const [name, got, want] of [['lower', lo[i]!, lower(t) as string], ['upper', up[i]!, upper(t) as string]] as const) {
        if (got === want) continue;
        const g = [...got];
        const w = [...want];
        w.forEach((c, j) => {
          if (g[j] !== c) diffs.push(`${name} U+${[...t][j]!.codePointAt(0)!.toString(16)}: ${g[j]} vs ${c}`);
        });
      }
    });
    expect(diffs).toEqual([]);
  }, 60_000);
});
