import { describe, expect, it } from 'vitest';
import { FilterDraft, operatorFor } from './filter-draft.ts';
import { caretSnippet, readExpression } from './expression-view.ts';
import { isPickable, looksLikeDates, normaliseEvents, normaliseProperties, normaliseValues } from './schema.ts';
import { filtersToAst } from '../../../report/filters.ts';

describe('FilterDraft (the rows as one editor of where)', () => {
  it('keeps a half-filled row while the where it produces is unchanged', () => {
    const d = new FilterDraft();
    d.addRow();
    const id = d.get('rows')[0].id;
    d.updateRow(id, { property: 'price', type: 'number', operator: 'gt', value: 5 });
    d.addRow(); // no property yet: contributes nothing
    const where = d.toAst();
    expect(where).toEqual(filtersToAst({ match: 'all', rows: [{ property: 'price', type: 'number', operator: 'gt', value: 5 }] }));
    d.syncFrom(where, () => undefined);
    expect(d.get('rows')).toHaveLength(2);
    expect(d.get('rows')[0].id).toBe(id);
  });

  it('shows a where from elsewhere as rows, or says why it cannot', () => {
    const d = new FilterDraft();
    const r = readExpression('properties["a"] == "x" or properties["n"] <= 3');
    if (!r.ok) throw new Error('expected to parse');
    d.syncFrom(r.ast, () => undefined);
    expect(d.get('match')).toBe('any');
    expect(d.get('rows').map((x) => [x.property, x.operator])).toEqual([['a', 'equals'], ['n', 'le']]);
    const custom = readExpression('upper(properties["a"]) == "X"');
    if (!custom.ok) throw new Error('expected to parse');
    d.syncFrom(custom.ast, () => undefined);
    expect(d.get('rows')).toEqual([]);
    expect(d.get('unsupported')).toMatch(/edit it as text/);
    d.syncFrom(null, () => undefined);
    expect(d.get('unsupported')).toBeNull();
  });

  it('keeps the operator when the new type has it', () => {
    expect(operatorFor('list', 'is_set')).toBe('is_set');
    expect(operatorFor('number', 'equals')).toBe('eq');
    expect(operatorFor('boolean', 'gt')).toBe('is_true');
  });
});

describe('text mode reading', () => {
  it('blank is no expression; errors carry line and column; warnings pass through', () => {
    expect(readExpression('  \n')).toEqual({ ok: true, ast: null, warnings: [] });
    const bad = readExpression('properties["a"] ==\n  and');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect([bad.error.line, bad.error.column]).toEqual([2, 3]);
      expect(caretSnippet('properties["a"] ==\n  and', 2, 3)).toBe('  and\n  ^');
    }
    const unbound = readExpression('X == 1');
    expect(unbound.ok).toBe(false);
    if (!unbound.ok) expect(unbound.error.column).toBe(1);
    const ok = readExpression('properties["a"] == 1');
    expect(ok.ok && ok.ast).toEqual({ op: '==', args: [{ op: '[]', args: [{ root: 'properties' }, { lit: 'a' }] }, { lit: 1 }] });
  });
});

describe('schema answers', () => {
  it('normalises the API shapes the builder reads', () => {
    expect(normaliseEvents({ events: [{ name: 'Purchase', count: 541 }, { name: '' }] })).toEqual([{ name: 'Purchase', count: 541 }]);
    expect(normaliseProperties({ properties: [
      { name: 'plan_level', count: 499, types: [{ type: 'string', count: 106 }, { type: 'number', count: 393 }] },
      { name: 'coupon', count: 261, types: [{ type: 'null', count: 112 }, { type: 'string', count: 149 }] },
      { name: 'address', count: 5, types: [{ type: 'object', count: 5 }] },
    ] })).toEqual([
      { name: 'plan_level', type: 'number', types: ['number', 'string'], count: 499 },
      { name: 'coupon', type: 'string', types: ['string', 'null'], count: 261 },
      { name: 'address', type: 'string', types: ['object'], count: 5 },
    ]);
    expect(normaliseProperties({ properties: [{ name: 'address', types: [{ type: 'object', count: 5 }] }] }).map(isPickable)).toEqual([false]);
    expect(normaliseValues({ values: [{ value: 'Chrome', count: 3 }, { value: 4, count: 1 }] })).toEqual([{ value: 'Chrome', count: 3 }, { value: '4', count: 1 }]);
  });
  it('offers datetime operators for ISO-date strings only', () => {
    expect(looksLikeDates([{ value: '2026-06-08T06:23:31.623Z', count: 1 }, { value: '2026-04-27', count: 1 }])).toBe(true);
    expect(looksLikeDates([{ value: '2026-06-08', count: 1 }, { value: 'soon', count: 1 }])).toBe(false);
    expect(looksLikeDates([])).toBe(false);
  });
});
