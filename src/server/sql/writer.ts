// The one owner of SQL text and bound parameters. Fragments are plain strings in which every
// parameter appears as a marker (\u0001index\u0002); `finish` renumbers the markers that survived
// into the final text through the dialect's placeholder hook, so fragments that were built and then
// dropped (a slot that simplification removed) never leave an unused parameter behind. User text
// never reaches the SQL text: markers are the only way a value gets in, and the marker characters
// cannot appear in a fragment except through `param`.
import type { Dialect, ParamType } from './dialect.ts';

export type Compiled = { sql: string; params: unknown[] | Record<string, unknown> };

export class SqlWriter {
  private readonly values: { value: unknown; type: ParamType }[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly dialect: Dialect) {}

  /** A bound value. Equal values of the same type share one parameter. */
  param(value: unknown, type: ParamType): string {
    const key = `${type}:${typeof value}:${Object.is(value, -0) ? '-0' : String(value)}`;
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.values.length;
      this.values.push({ value, type });
      this.byKey.set(key, index);
    }
    return `\u0001${index}\u0002`;
  }

  /** A name the store generated (typed columns, our own aliases): the one quoting function. */
  ident(name: string): string {
    return this.dialect.quoteIdent(name);
  }

  finish(text: string): Compiled {
    const order = new Map<number, number>();
    const params: unknown[] = [];
    const sql = text.replace(/\u0001(\d+)\u0002/g, (_m, d: string) => {
      const index = Number(d);
      let n = order.get(index);
      if (n === undefined) {
        const p = this.values[index]!;
        params.push(this.dialect.bindValue(p.value, p.type));
        n = params.length;
        order.set(index, n);
      }
      return this.dialect.placeholder(n, this.values[index]!.type);
    });
    return { sql, params: this.dialect.paramsShape(params, [...order.entries()].sort((a, b) => a[1] - b[1]).map(([i]) => this.values[i]!.type)) };
  }
}
