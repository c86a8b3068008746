// The query builder against the real server: operators by property type produce the right AST
// (checked as canonical text of what was sent), the text mode parses on the fly with errors at
// line:column and never sends invalid text, and both editors show one `where`.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { print } from '../src/expr/index.ts';
import type { Expr } from '../src/expr/index.ts';
import { filterRow, openReport, pick, recordRequests, settledOn } from './support/report.ts';

const text = (e: unknown) => (e ? print(e as Expr) : null);

async function newRow(page: Page, property: string, index: number) {
  await page.getByRole('button', { name: 'Add filter' }).click();
  const row = filterRow(page, index);
  await pick(row, 'Property', property, property);
  return row;
}

test.describe('query builder', () => {
  test('operators follow the property type and become the right where AST', async ({ page }) => {
    await openReport(page, 'event=Purchase&range=90d');
    const cases: { property: string; operator: string; values?: string[]; expect: string; operators?: string[] }[] = [
      { property: '$browser', operator: 'not equals', values: ['Chrome'], expect: 'properties["$browser"] != "Chrome"',
        operators: ['equals', 'not equals', 'contains', 'does not contain', 'starts with', 'is set', 'is not set'] },
      { property: '$city', operator: 'does not contain', values: ['o'], expect: 'not "o" in properties["$city"]' },
      { property: 'utm_source', operator: 'starts with', values: ['goo'], expect: 'has_prefix(properties["utm_source"], "goo")' },
      { property: 'coupon', operator: 'is not set', expect: 'not defined(properties["coupon"])' },
      { property: 'price', operator: '≥', values: ['20'], expect: 'properties["price"] >= 20',
        operators: ['=', '≠', '>', '≥', '<', '≤', 'between', 'is set', 'is not set'] },
      { property: 'price', operator: 'between', values: ['10', '30.5'], expect: 'properties["price"] >= 10 and properties["price"] <= 30.5' },
      { property: 'is_first_purchase', operator: 'is true', expect: 'properties["is_first_purchase"] == true',
        operators: ['is true', 'is false', 'is set', 'is not set'] },
      { property: 'signup_date', operator: 'in the last N days', values: ['30'], expect: 'properties["signup_date"] >= now() - 2592000',
        operators: ['before', 'after', 'between', 'in the last N days', 'is set', 'is not set'] },
      { property: 'signup_date', operator: 'before', values: ['2026-06-01'], expect: 'properties["signup_date"] < datetime("2026-06-01")' },
      { property: 'items', operator: 'any item equals', values: ['Mug'], expect: 'any(X, properties["items"], X == "Mug")',
        operators: ['any item equals', 'any item contains', 'no item equals', 'all items equal', 'is set', 'is not set'] },
      { property: 'tags', operator: 'no item equals', values: ['sale'], expect: 'not any(X, properties["tags"], X == "sale")' },
    ];
    test.setTimeout(240_000);
    for (const c of cases) {
      const row = filterRow(page, 0);
      const operator = row.getByLabel('Operator');
      // A row can be complete as soon as its property is picked (boolean: is true), so the wait
      // for the answer starts before the row is made.
      const { req } = await settledOn(page, async () => {
        await newRow(page, c.property, 0);
        if (c.operators) await expect(operator.locator('option')).toHaveText(c.operators);
        await operator.selectOption({ label: c.operator });
        const [v1, v2] = c.values ?? [];
        if (v1 !== undefined) {
          const combo = row.getByRole('combobox', { name: 'Value' });
          if (await combo.count()) {
            await combo.fill(v1);
            await combo.press('Enter');
          } else await row.getByLabel('Value', { exact: true }).fill(v1);
        }
        if (v2 !== undefined) await row.getByLabel('Upper value').fill(v2);
      }, (r) => text(r.where) === c.expect);
      expect(typeof req.where).toBe('object');
      await row.getByRole('button', { name: 'Remove filter' }).click();
      await expect(filterRow(page, 0)).toHaveCount(0);
    }
  });

  test('several filters join with Match all or any', async ({ page }) => {
    await openReport(page, 'event=Purchase&range=90d');
    const a = await newRow(page, '$browser', 0);
    await a.getByRole('combobox', { name: 'Value' }).fill('Safari');
    await a.getByRole('combobox', { name: 'Value' }).press('Enter');
    const b = await newRow(page, 'price', 1);
    await b.getByLabel('Operator').selectOption({ label: '>' });
    await settledOn(page, () => b.getByLabel('Value', { exact: true }).fill('15'),
      (r) => text(r.where) === 'properties["$browser"] == "Safari" and properties["price"] > 15');
    await settledOn(page, () => page.getByLabel('Match').selectOption('any'),
      (r) => text(r.where) === 'properties["$browser"] == "Safari" or properties["price"] > 15');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('2 filters (any)');
  });

  test('text mode: errors at line:column, nothing invalid is sent, valid text shows as rows again', async ({ page }) => {
    const sent = recordRequests(page);
    await openReport(page, 'event=Purchase&range=90d');
    await page.getByRole('button', { name: 'Edit as expression' }).click();
    const where = page.getByLabel('Where expression');
    const before = sent.length;
    await where.fill('properties["price"] > 10 and\n  (properties["$browser"] == ');
    const error = page.locator('#qb-where-error');
    await expect(error).toBeVisible();
    await expect(error.locator('.qb-expr__message')).toHaveText("2:30: expected an expression after '==', found end of input");
    await expect(error.locator('pre')).toHaveText(`  (properties["$browser"] == \n${' '.repeat(29)}^`);
    await expect(where).toHaveAttribute('aria-invalid', 'true');
    await page.waitForTimeout(300); // the runner waits 10 ms: give a wrongly sent request time to show
    expect(sent.length).toBe(before);

    // Fixing the text sends the AST, and the rows show it.
    await settledOn(page, () => where.fill('properties["price"] > 10 and\n  (properties["$browser"] == "Firefox")'),
      (r) => text(r.where) === 'properties["price"] > 10 and properties["$browser"] == "Firefox"');
    await expect(error).toBeHidden();
    await expect(filterRow(page, 0).getByRole('combobox', { name: 'Property' })).toHaveValue('price');
    await expect(filterRow(page, 0).getByLabel('Operator')).toHaveValue('gt');
    await expect(filterRow(page, 1).getByRole('combobox', { name: 'Value' })).toHaveValue('Firefox');

    // What rows cannot say is said plainly; the expression still applies.
    await settledOn(page, () => where.fill('lower(properties["$browser"]) == "chrome" or properties["price"] > 40'),
      (r) => text(r.where) === 'lower(properties["$browser"]) == "chrome" or properties["price"] > 40');
    await expect(page.getByText(/more than the filter rows can show/)).toBeVisible();
    await expect(filterRow(page, 0)).toHaveCount(0);

    // Visual edits show up in the text.
    await settledOn(page, () => page.getByRole('button', { name: 'Clear filters' }).click(), (r) => r.where === null);
    const row = await newRow(page, 'quantity', 0);
    await row.getByLabel('Operator').selectOption({ label: '≥' });
    await settledOn(page, () => row.getByLabel('Value', { exact: true }).fill('2'), (r) => text(r.where) === 'properties["quantity"] >= 2');
    await expect(where).toHaveValue('properties["quantity"] >= 2');

    // The breakdown expression works the same way.
    const on = page.getByLabel('Breakdown expression');
    await on.fill('len(properties["items"]');
    await expect(page.locator('#qb-on-error .qb-expr__message')).toContainText(/^1:24: /);
    await settledOn(page, () => on.fill('len(properties["items"])'), (r) => text(r.on) === 'len(properties["items"])');
    await expect(page.getByRole('combobox', { name: 'Breakdown' })).toHaveValue('Custom expression');
    await page.screenshot({ path: 'test-results/query-builder-text-mode.png', fullPage: true });
  });

  test('numeric breakdowns can be bucketed; custom range From/To', async ({ page }) => {
    await openReport(page, 'event=Purchase&range=90d');
    await settledOn(page, () => pick(page, 'Breakdown', 'price', 'price'), (r) => text(r.on) === 'properties["price"]');
    const { api } = await settledOn(page, () => page.getByLabel('Buckets').fill('4'), (r) => r.buckets === 4);
    expect(api.meta.segments_found).toBeLessThanOrEqual(5);
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('From', { exact: true }).fill('2026-01-01');
    const to = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(from);
    const { req } = await settledOn(page, () => page.getByLabel('To', { exact: true }).fill(to), (r) => r.to === to && r.from === from);
    expect(req.buckets).toBe(4);
    expect(new URL(page.url()).searchParams.get('from')).toBe(from);
  });

  test('the event picker searches by typing and is keyboard driven', async ({ page }) => {
    await openReport(page, 'event=Purchase');
    const event = page.getByRole('combobox', { name: 'Event' });
    await event.focus();
    await event.fill('sign');
    await expect(page.getByRole('listbox', { name: 'Event' }).getByRole('option')).toHaveText([/^Sign Up\s*[\d,]+$/]);
    await settledOn(page, () => event.press('Enter'), (r) => r.event === 'Sign Up');
    await event.fill('zz-nothing');
    await expect(page.getByText('Nothing matches')).toBeVisible();
    await event.press('Escape');
    await expect(event).toHaveValue('Sign Up');
  });
});
