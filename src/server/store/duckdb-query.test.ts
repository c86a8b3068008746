import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotReadOnlyError, QueryAbortedError, QueryTimeoutError, StoreClosedError, openDuckDbStore } from './duckdb.ts';
import type { DuckDbStore } from './duckdb.ts';

// Runs for minutes unless interrupted (DuckDB cannot shortcut a hash over a huge range).
const SLOW = 'SELECT sum(hash(i)) AS s FROM range(100000000000) t(i)';

describe('DuckDB store queries', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await openDuckDbStore({ path: ':memory:', threads: 1, readConnections: 2 });
    await store.insertEvents([
      { event: 'A', time: Date.UTC(2024, 0, 1), distinct_id: 'u1', insert_id: 'i1', properties: { x: 1 } },
      { event: 'B', time: Date.UTC(2024, 0, 2), distinct_id: 'u2', insert_id: 'i2', properties: { x: 2 } },
    ]);
  });
  afterAll(async () => {
    await store.close();
  });

  it('interrupts a query past its budget while another query still answers', async () => {
    const started = Date.now();
    const slow = store.query(SLOW, [], { timeoutMs: 300 });
    const other = await store.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events WHERE event = $1', ['A']);
    expect(other).toEqual([{ n: 1 }]);
    const error = await slow.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).message).toMatch(/300 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The interrupted connection is healthy afterwards: both connections answer.
    const answers = await Promise.all([store.query('SELECT 1 AS one', []), store.query('SELECT 2 AS two', [])]);
    expect(answers).toEqual([[{ one: 1 }], [{ two: 2 }]]);
  });

  it('uses the store default budget when the call gives none', async () => {
    const short = await openDuckDbStore({ path: ':memory:', threads: 1, queryTimeoutMs: 200, readConnections: 1 });
    try {
      await expect(short.query(SLOW, [])).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(await short.query('SELECT 7 AS n', [])).toEqual([{ n: 7 }]);
    } finally {
      await short.close();
    }
  });

  it('interrupts on abort, and refuses a signal that already fired', async () => {
    const controller = new AbortController();
    const slow = store.query(SLOW, [], { signal: controller.signal, timeoutMs: 60_000 });
    setTimeout(() => controller.abort(), 100);
    await expect(slow).rejects.toBeInstanceOf(QueryAbortedError);
    await expect(store.query('SELECT 1', [], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(QueryAbortedError);
  });

  it('counts time spent waiting for a connection against the budget', async () => {
    const one = await openDuckDbStore({ path: ':memory:', threads: 1, readConnections: 1 });
    try {
      const slow = one.query(SLOW, [], { timeoutMs: 1_000 });
      const waiting = one.query('SELECT 1 AS n', [], { timeoutMs: 200 });
      await expect(waiting).rejects.toBeInstanceOf(QueryTimeoutError);
      await expect(slow).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(await one.query('SELECT 3 AS n', [])).toEqual([{ n: 3 }]);
    } finally {
      await one.close();
    }
  });

  it('binds positional and named parameters with their JS types', async () => {
    const [row] = await store.query<Record<string, unknown>>(
      `SELECT $1 AS s, $2 AS i, typeof($2) AS ti, $3 AS d, typeof($3) AS td, $4 AS b, $5 AS nul, $6 AS big, typeof($6) AS tbig,
              $7 AS ts, list_contains($8, 'b') AS has, typeof($9) AS tnums, len($10) AS empty_len`,
      ["it's \"quoted\"; DROP TABLE events; --", 42, 0.5, true, null, 1e300, new Date(Date.UTC(2024, 4, 5, 6, 7, 8)), ['a', 'b'], [1, 2.5], []],
    );
    expect(row).toEqual({
      s: "it's \"quoted\"; DROP TABLE events; --",
      i: 42,
      ti: 'INTEGER',
      d: 0.5,
      td: 'DOUBLE',
      b: true,
      nul: null,
      big: 1e300,
      tbig: 'DOUBLE',
      ts: '2024-05-05 06:07:08',
      has: true,
      tnums: 'DOUBLE[]',
      empty_len: '0',
    });
    expect(await store.query('SELECT $name AS v, $n + 1 AS w', { name: 'x', n: 1 })).toEqual([{ v: 'x', w: 2 }]);
  });

  it('refuses a wrong parameter count and values it cannot bind, naming the parameter', async () => {
    await expect(store.query('SELECT $1, $2', ['only one'])).rejects.toThrow(/2 parameters but 1/);
    await expect(store.query('SELECT $1', [{ a: 1 }])).rejects.toThrow(/parameter \$1: cannot bind a value of type Object/);
    await expect(store.query('SELECT $1', [[1, 'a']])).rejects.toThrow(/parameter \$1: a list parameter must hold one type/);
  });

  it('runs only single read statements in query()', async () => {
    await expect(store.query('DELETE FROM events', [])).rejects.toBeInstanceOf(NotReadOnlyError);
    await expect(store.query('SELECT 1; DROP TABLE events', [])).rejects.toThrow();
    await expect(store.query('CREATE TABLE x (a INTEGER)', [])).rejects.toBeInstanceOf(NotReadOnlyError);
    expect(await store.query('SELECT count(*)::INTEGER AS n FROM events', [])).toEqual([{ n: 2 }]);
  });

  it('runs writes for side tables through execute()', async () => {
    await store.execute('CREATE TABLE IF NOT EXISTS profiles (distinct_id VARCHAR PRIMARY KEY, name VARCHAR)', []);
    await store.execute('INSERT INTO profiles VALUES ($1, $2)', ['u1', 'Zoë "; DROP TABLE profiles; --']);
    expect(await store.query('SELECT name FROM profiles WHERE distinct_id = $1', ['u1'])).toEqual([{ name: 'Zoë "; DROP TABLE profiles; --' }]);
    await expect(store.execute('INSERT INTO profiles VALUES ($1, $2)', ['u1', 'dup'])).rejects.toThrow(/constraint/i);
    expect(await store.query('SELECT count(*)::INTEGER AS n FROM profiles', [])).toEqual([{ n: 1 }]);
  });

  it('returns BIGINT as strings and TIMESTAMP as text (JSON-safe rows)', async () => {
    expect(await store.query('SELECT count(*) AS n, min(time) AS t FROM events', [])).toEqual([{ n: '2', t: '2024-01-01 00:00:00' }]);
  });

  it('interrupts running queries and rejects waiting ones on close, without crashing', async () => {
    const closing = await openDuckDbStore({ path: ':memory:', threads: 1, readConnections: 1 });
    const running = closing.query(SLOW, [], { timeoutMs: 60_000 }).catch((error: unknown) => error);
    const waiting = closing.query('SELECT 1', [], { timeoutMs: 60_000 }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await closing.close();
    expect(await running).toBeInstanceOf(StoreClosedError);
    expect(await waiting).toBeInstanceOf(StoreClosedError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses work after close', async () => {
    const closing = await openDuckDbStore({ path: ':memory:', threads: 1 });
    await closing.close();
    await expect(closing.query('SELECT 1', [])).rejects.toBeInstanceOf(StoreClosedError);
    await expect(closing.insertEvents([])).rejects.toBeInstanceOf(StoreClosedError);
    await closing.close();
  });
});
