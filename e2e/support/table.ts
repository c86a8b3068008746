// Reads the whole segments table although only the rows and columns in view are in the DOM: the
// table's own scroller is moved over all of it, and every cell is read where it is rendered, by
// its aria-rowindex/aria-colindex. So the tests still compare every cell with the API, and they
// also check that scrolling brings each cell in with the right text.
import type { Locator } from '@playwright/test';

/** Rows in table order, each [segment, total, ...one cell per bucket], as the cells' text. */
export async function readTable(table: Locator, options: { trim?: boolean } = {}): Promise<string[][]> {
  return (await scanTable(table, options.trim ?? false)).rows;
}

/** The column headers, [Segment, Total, ...one per bucket], as their text. */
export async function readHeader(table: Locator): Promise<string[]> {
  return (await scanTable(table, false)).head;
}

async function scanTable(table: Locator, trimText: boolean): Promise<{ head: string[]; rows: string[][] }> {
  const { head, cells, problems } = await table.evaluate(async (t: HTMLTableElement, trim: boolean) => {
    const scroller = t.closest('.table-app__scroll') as HTMLElement;
    const app = t.closest('.table-app') as HTMLElement;
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const settle = async () => {
      // The view renders on the frame after the scroll event; it may size its spacers once more.
      for (let i = 0; i < 3; i++) await frame();
      for (let i = 0; i < 100 && app.getAttribute('aria-busy') === 'true'; i++) await frame();
    };
    const rowCount = Number(t.getAttribute('aria-rowcount')) - 1;
    const colCount = Number(t.getAttribute('aria-colcount'));
    const out: (string | null)[][] = Array.from({ length: rowCount }, () => new Array<string | null>(colCount).fill(null));
    const head = new Array<string | null>(colCount).fill(null);
    const problems: string[] = [];
    const read = () => {
      for (const cell of t.tHead!.rows[0].cells) {
        if (!cell.hasAttribute('aria-colindex')) continue;
        const c = Number(cell.getAttribute('aria-colindex')) - 1;
        const text = cell.textContent ?? '';
        if (head[c] !== null && head[c] !== text) problems.push(`header ${c} read as ${JSON.stringify(head[c])} and ${JSON.stringify(text)}`);
        head[c] = text;
      }
      for (const tr of t.tBodies[0].rows) {
        if (!tr.hasAttribute('aria-rowindex')) continue; // spacer rows
        const r = Number(tr.getAttribute('aria-rowindex')) - 2;
        if (!(r >= 0 && r < rowCount)) {
          problems.push(`row index ${r + 2} outside 2..${rowCount + 1}`);
          continue;
        }
        for (const cell of tr.cells) {
          if (!cell.hasAttribute('aria-colindex')) continue; // cells standing in for columns out of view
          const c = Number(cell.getAttribute('aria-colindex')) - 1;
          const text = trim ? (cell.textContent ?? '').trim() : (cell.textContent ?? '');
          if (out[r][c] !== null && out[r][c] !== text) problems.push(`cell ${r},${c} read as ${JSON.stringify(out[r][c])} and ${JSON.stringify(text)}`);
          out[r][c] = text;
        }
      }
    };
    const start = { left: scroller.scrollLeft, top: scroller.scrollTop };
    const heads = t.tHead!.rows[0].cells;
    // The segment and Total columns stay in view (sticky) while the buckets scroll under them.
    const sticky = heads[0].getBoundingClientRect().width + (heads[1]?.getBoundingClientRect().width ?? 0);
    const stepY = Math.max(20, (scroller.clientHeight - t.tHead!.getBoundingClientRect().height) * 0.9);
    const stepX = Math.max(20, (scroller.clientWidth - sticky) * 0.9);
    const maxY = scroller.scrollHeight - scroller.clientHeight;
    const maxX = scroller.scrollWidth - scroller.clientWidth;
    for (let y = 0; ; y = Math.min(maxY, y + stepY)) {
      for (let x = 0; ; x = Math.min(maxX, x + stepX)) {
        scroller.scrollTo(x, y);
        await settle();
        read();
        if (x >= maxX) break;
      }
      if (y >= maxY) break;
    }
    scroller.scrollTo(start.left, start.top);
    await settle();
    head.forEach((cell, c) => {
      if (cell === null) problems.push(`header ${c} never rendered`);
    });
    out.forEach((row, r) => row.forEach((cell, c) => {
      if (cell === null) problems.push(`cell ${r},${c} never rendered`);
    }));
    return { head: head as string[], cells: out as string[][], problems: problems.slice(0, 10) };
  }, trimText);
  if (problems.length) throw new Error(`reading the segments table: ${problems.join('; ')}`);
  return { head, rows: cells };
}
