import { describe, expect, it } from 'vitest';
import { startRouter } from './router.ts';
import { ReportQuery } from './state/report-query.ts';

// A window with just what the router touches: location, history and popstate.
function fakeWindow(search: string) {
  const loc = { pathname: '/', search, hash: '' };
  const calls: { kind: 'push' | 'replace'; url: string }[] = [];
  const listeners: (() => void)[] = [];
  const go = (kind: 'push' | 'replace') => (_s: unknown, _t: string, url: string) => {
    calls.push({ kind, url });
    loc.search = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  };
  const win = {
    location: loc,
    history: { pushState: go('push'), replaceState: go('replace') },
    addEventListener: (_: string, f: () => void) => listeners.push(f),
    removeEventListener: (_: string, f: () => void) => listeners.splice(listeners.indexOf(f), 1),
  };
  return { win: win as unknown as Window, calls, loc, pop: () => listeners.forEach((f) => f()), listeners };
}

describe('router', () => {
  it('reads the report from the URL, normalising it without adding history', () => {
    const f = fakeWindow('?unit=week&event=Purchase&range=30d&limit=60');
    const q = new ReportQuery();
    const r = startRouter(q, f.win);
    expect([q.get('event'), q.get('unit'), q.get('range')]).toEqual(['Purchase', 'week', '30d']);
    expect(f.calls).toEqual([{ kind: 'replace', url: '/?event=Purchase&unit=week' }]);
    expect(r.problems).toEqual([]);
    r.destroy();
  });

  it('pushes discrete changes, replaces while the where is edited, and restores on popstate', () => {
    const f = fakeWindow('?event=Purchase');
    const q = new ReportQuery();
    const r = startRouter(q, f.win);
    q.set({ unit: 'month' });
    q.set({ where: { op: '==', args: [{ lit: 1 }, { lit: 1 }] } });
    q.set({ where: { op: '==', args: [{ lit: 1 }, { lit: 2 }] } });
    q.set({ chart: 'bar' });
    expect(f.calls.map((c) => c.kind)).toEqual(['push', 'replace', 'replace', 'push']);
    expect(f.loc.search).toBe('?event=Purchase&where=1+%3D%3D+2&unit=month&chart=bar');
    // Back: the browser changes the address, then fires popstate.
    f.loc.search = '?event=Purchase&unit=month';
    f.pop();
    expect([q.get('unit'), q.get('where'), q.get('chart')]).toEqual(['month', null, 'line']);
    expect(f.calls).toHaveLength(4); // restoring does not write history
    r.destroy();
    expect(f.listeners).toHaveLength(0);
    q.set({ unit: 'day' });
    expect(f.calls).toHaveLength(4);
  });

  it('the first event picked for an empty report replaces, and bad parts are reported', () => {
    const f = fakeWindow('?unit=fortnight');
    const q = new ReportQuery();
    const r = startRouter(q, f.win);
    expect(r.problems).toEqual(['unit: expected one of minute, hour, day, week, month, got fortnight']);
    q.set({ event: 'Sign Up' });
    expect(f.calls.at(-1)).toEqual({ kind: 'replace', url: '/?event=Sign+Up' });
    r.destroy();
  });
});
