import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SegmentationResult } from '../../../report/types.ts';
import { csvFileName, isoBucket, tableCsv, textCell } from './csv.ts';
import { buildRows, sortRows } from './rows.ts';

/** A strict RFC 4180 reader, to prove what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (cell += c), i++;
    } else if (c === '"' && cell === '') (quoted = true), i++;
    else if (c === ',') row.push(cell), (cell = ''), i++;
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), (i += 2);
    else if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else (cell += c), i++;
  }
  if (cell !== '' || row.length) throw new Error('missing final CRLF');
  return rows;
}

function result(series: string[], segments: Record<string, number[]>, unit: 'day' | 'hour' = 'day'): SegmentationResult {
  const values: SegmentationResult['values'] = {};
  const totals: SegmentationResult['totals'] = {};
  for (const [k, v] of Object.entries(segments)) {
    values[k] = Object.fromEntries(series.map((b, i) => [b, v[i]]));
    totals[k] = v.reduce((a, b) => a + b, 0);
  }
  return {
    series, values, totals,
    meta: {
      event: 'Purchase', from: '2026-11-01', to: '2026-11-02', unit, type: 'general', time_zone: 'UTC', where: null,
      on: 'properties["name"]', segments_found: 0, segments_returned: 0, events_matched: 1, rows_scanned: 0, elapsed_ms: 0, sql: '', warnings: [],
    },
  };
}

const ranked = (d: SegmentationResult) =>
  Object.keys(d.totals).sort((a, b) => d.totals[b] - d.totals[a] || (a < b ? -1 : a > b ? 1 : 0));

describe('tableCsv', () => {
  it('holds every row in table order with raw numbers and ISO headers', () => {
    const d = result(['2026-11-01', '2026-11-02'], { Chrome: [1200, 34], 'Safari, iOS': [3, 4.25], undefined: [0, 7] });
    const table = buildRows(d, ranked(d));
    const csv = tableCsv(table.series, 'day', sortRows(table, { column: 'total', dir: 'desc' }));
    expect(csv).toBe(
      'segment,total,2026-11-01,2026-11-02\r\n' +
        'Chrome,1234,1200,34\r\n' +
        '"Safari, iOS",7.25,3,4.25\r\n' +
        '(not set),7,0,7\r\n',
    );
  });

  it('writes hour buckets as UTC timestamps', () => {
    expect(isoBucket('2026-11-03 14:00:00', 'hour')).toBe('2026-11-03T14:00:00Z');
    expect(isoBucket('2026-11-03', 'week')).toBe('2026-11-03');
  });

  it('quotes per RFC 4180 and neutralises formulas, but leaves plain numbers alone', () => {
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('a\nb')).toBe('"a\nb"');
    expect(textCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(textCell('+cmd|\' /C calc\'!A0')).toBe("'+cmd|' /C calc'!A0");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('-2+3')).toBe("'-2+3");
    expect(textCell('\t=1')).toBe("'\t=1");
    expect(textCell('-5')).toBe('-5');
    expect(textCell('+1.5')).toBe('+1.5');
    expect(textCell('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('reads back to exactly the table for any segment names and numbers', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r', '=', '+', '-', '@', ' ', '\t', 'é', '1') , maxLength: 8 });
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 6 }), fc.array(fc.nat({ max: 1e9 }), { minLength: 12, maxLength: 12 }), (names, nums) => {
        const segs = Object.fromEntries(names.map((n, i) => [n, [nums[(2 * i) % 12], nums[(2 * i + 1) % 12]]]));
        const d = result(['2026-11-01 00:00:00', '2026-11-01 01:00:00'], segs, 'hour');
        const table = buildRows(d, ranked(d));
        const rows = sortRows(table, { column: 'segment', dir: 'asc' });
        const back = parseCsv(tableCsv(table.series, 'hour', rows));
        expect(back[0]).toEqual(['segment', 'total', '2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z']);
        expect(back.length).toBe(rows.length + 1);
        rows.forEach((r, i) => {
          const [label, total, ...values] = back[i + 1];
          const unescaped = label.startsWith("'") && /^[=+\-@\t\r]/.test(label.slice(1)) ? label.slice(1) : label;
          expect(unescaped).toBe(r.label);
          expect(/^[=+\-@\t\r]/.test(label) && !/^[+-]?\d/.test(label)).toBe(false);
          expect(Number(total)).toBe(r.total);
          expect(values.map(Number)).toEqual(r.values);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('names the file after the event and the range, safely', () => {
    expect(csvFileName('Purchase', '2026-11-01', '2026-11-30')).toBe('segscope-Purchase-2026-11-01-to-2026-11-30.csv');
    expect(csvFileName('../../etc/passwd', '2026-11-01', '2026-11-30')).toBe('segscope-etc_passwd-2026-11-01-to-2026-11-30.csv');
    expect(csvFileName('///', 'a', 'b')).toBe('segscope-report-a-to-b.csv');
  });
});
