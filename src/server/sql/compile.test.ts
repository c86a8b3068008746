// Golden table: expression text → DuckDB {sql, params} for `where`. These pin the shapes that
// matter for speed (a statically typed property compiles to one column comparison) and the
// explicit missing-value rules (nothing lets SQL NULL decide a boolean).
import { describe, expect, it } from 'vitest';
import { ExprError } from '../../expr/errors.ts';
import { parse } from '../../expr/parse.ts';
import { DuckDbCatalog } from '../store/catalog.ts';
import { duckdbDialect } from './duckdb.ts';
import { compileWhere } from './expression.ts';

const catalog = DuckDbCatalog.empty().extend([
  ['price', 'number'],
  ['$browser', 'string'],
  ['mixed', 'string'],
  ['mixed', 'number'],
  ['mixed', 'null'],
  ['items', 'list'],
  ['address', 'object'],
  ['flag', 'boolean'],
]).catalog;
// price → p0_n, $browser → p1_s, mixed → p2_s/p2_n/p2_z, items → p3_l, address → p4_o, flag → p5_b

const where = (text: string, fold = true) => compileWhere(parse(text), duckdbDialect, { catalog, now: 1_700_000_000_000, fold });

const GOLDEN: [string, { sql: string; params: unknown[] }][] = [
  ['properties["price"] > 10', { sql: `coalesce("p0_n" > $1::DOUBLE, FALSE)`, params: [10] }],
  ['properties["$browser"] == "Chrome"', { sql: `coalesce("p1_s" = $1::VARCHAR, FALSE)`, params: ['Chrome'] }],
  ['properties["$browser"] != "Chrome"', { sql: `NOT coalesce("p1_s" = $1::VARCHAR, FALSE)`, params: ['Chrome'] }],
  ['properties["never"] == "x"', { sql: `FALSE`, params: [] }],
  ['not properties["never"]', { sql: `TRUE`, params: [] }],
  ['defined(properties["price"])', { sql: `NOT ("p0_n" IS NULL)`, params: [] }],
  ['properties["flag"]', { sql: `coalesce("p5_b", FALSE)`, params: [] }],
  ['not properties["flag"]', { sql: `coalesce(NOT "p5_b", TRUE)`, params: [] }],
  ['properties["mixed"] == null', { sql: `coalesce(nullif("p2_z", FALSE), FALSE)`, params: [] }],
  [
    'properties["mixed"] == 3',
    { sql: `coalesce("p2_n" = $1::DOUBLE, FALSE)`, params: [3] },
  ],
  [
    'properties["price"] > 10 and properties["$browser"] == "Chrome"',
    { sql: `(coalesce("p0_n" > $1::DOUBLE, FALSE) AND coalesce("p1_s" = $2::VARCHAR, FALSE))`, params: [10, 'Chrome'] },
  ],
  ['properties["$browser"] in ["a", "b"]', { sql: `(coalesce("p1_s" = $1::VARCHAR, FALSE) OR coalesce("p1_s" = $2::VARCHAR, FALSE))`, params: ['a', 'b'] }],
  ['"Chrome" in properties["$browser"]', { sql: `coalesce(contains("p1_s", $1::VARCHAR), FALSE)`, params: ['Chrome'] }],
  ['1 + 2 == 3', { sql: `TRUE`, params: [] }],
  ['1 + 2 == 3', { sql: `coalesce(nullif(nullif(($1::DOUBLE + $2::DOUBLE), 'Infinity'::DOUBLE), '-Infinity'::DOUBLE) = $3::DOUBLE, FALSE)`, params: [1, 2, 3] }],
  ['event["name"] == "Purchase"', { sql: `coalesce("event" = $1::VARCHAR, FALSE)`, params: ['Purchase'] }],
  ['event["time"] > now()', { sql: `coalesce(CAST(epoch_ms("time") AS DOUBLE) > $1::DOUBLE, FALSE)`, params: [1_700_000_000_000] }],
  [
    'properties["address"]["city"] == "Paris"',
    {
      sql: `coalesce((CASE WHEN json_type(json_extract("p4_o", $1::VARCHAR)) = 'VARCHAR' THEN json_extract("p4_o", $1::VARCHAR) ->> '$' END) = $2::VARCHAR, FALSE)`,
      params: ['/city', 'Paris'],
    },
  ],
  [
    'any(X, properties["items"], X == "a")',
    {
      sql: `coalesce(CASE WHEN "p3_l" IS NOT NULL THEN coalesce((json_contains("p3_l", CAST(to_json($1::VARCHAR) AS VARCHAR)) AND list_contains(CAST(CAST(json_extract("p3_l", '$[*]') AS JSON[]) AS VARCHAR[]), CAST(to_json($1::VARCHAR) AS VARCHAR))), FALSE) END, FALSE)`,
      params: ['a'],
    },
  ],
  [
    'any(X, properties["items"], X > 2)',
    {
      sql: `coalesce((len(list_filter(CAST(json_extract("p3_l", '$[*]') AS JSON[]), _x1 -> coalesce((CASE WHEN json_type(_x1) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(_x1 AS DOUBLE) END) > $1::DOUBLE, FALSE))) > 0), FALSE)`,
      params: [2],
    },
  ],
];

describe('compileWhere golden table (DuckDB)', () => {
  GOLDEN.forEach(([text, want], i) => {
    const fold = !(text === '1 + 2 == 3' && i === GOLDEN.findLastIndex(([t]) => t === text));
    it(`${text}${fold ? '' : ' (no folding)'}`, () => {
      expect(where(text, fold)).toEqual(want);
    });
  });

  it('never puts a property name or a string literal into the SQL text', () => {
    const hostile = `'; DROP TABLE events; --"\\`;
    const { sql, params } = where(`properties[${JSON.stringify(hostile)}] == 1 or properties["$browser"] == ${JSON.stringify(hostile)} or properties["address"][${JSON.stringify(hostile)}] == 1`);
    expect(sql).not.toContain('DROP');
    expect(params).toContain(hostile);
    expect(params).toContain(`/${hostile}`);
  });

  it('parenthesizes boolean operands so NOT and = never re-associate', () => {
    expect(where('(properties["price"] < 1) == (properties["mixed"] == 2)').sql).toBe(
      `coalesce(("p0_n" < $1::DOUBLE) = coalesce("p2_n" = $2::DOUBLE, FALSE), FALSE)`,
    );
  });

  it('stays linear on long chains of not and of indexing', () => {
    const nots = where(`${'not '.repeat(200)}properties["mixed"]`);
    expect(nots.sql.length).toBeLessThan(200 * 40);
    const chain = where(`properties["address"]${'["a"][0]'.repeat(60)} == 1`);
    expect(chain.sql.length).toBeLessThan(60 * 2 * 400);
  });

  it('refuses an expression whose SQL would explode, with an expression error', () => {
    let e = 'properties["mixed"]';
    for (let i = 0; i < 12; i++) e = `properties["address"][${e}]`;
    expect(() => where(e)).toThrow(ExprError);
    expect(() => where(e)).toThrow(/too complex to run as SQL/);
  });

  it('binds one parameter for a value used twice', () => {
    const { params } = where('properties["$browser"] == "x" or properties["mixed"] == "x"');
    expect(params).toEqual(['x']);
  });
});

describe('membership over a string-elements column (DuckDB store layout)', () => {
  const withStrings = DuckDbCatalog.empty({ listStrings: true }).extend([
    ['$browser', 'string'],
    ['items', 'list'],
    ['items', 'string'],
  ]).catalog;
  const compile = (text: string) => compileWhere(parse(text), duckdbDialect, { catalog: withStrings, now: 1_700_000_000_000 });

  it('reads the VARCHAR[] column instead of parsing the JSON list', () => {
    expect(compile('any(X, properties["items"], X == "a")')).toEqual({ sql: `coalesce(list_contains("p1_ls", $1::VARCHAR), FALSE)`, params: ['a'] });
    expect(compile('"a" in properties["items"]')).toEqual({
      sql: `coalesce(coalesce(contains("p1_s", $1::VARCHAR), list_contains("p1_ls", $1::VARCHAR)), FALSE)`,
      params: ['a'],
    });
  });

  it('spells out the missing-value rule when the needle may be undefined', () => {
    expect(compile('properties["$browser"] in properties["items"]').sql).toContain(
      `CASE WHEN "p1_l" IS NOT NULL THEN coalesce(list_contains("p1_ls", "p0_s"), FALSE) END`,
    );
  });

  it('keeps the JSON form for a list that is not a stored column', () => {
    expect(compile('any(X, [properties["items"]][0], X == "a")').sql).toContain('json_contains');
  });
});
