// Chart.js is tree-shaken (only what the three chart types use is registered, once per page) and
// loaded on demand: it is the largest part of the UI, and the first chart can only be drawn after
// the first API answer anyway, so fetching it in parallel with that answer keeps it out of the
// initial JavaScript without delaying anything.
import type { Chart } from 'chart.js';

let loading: Promise<typeof Chart> | null = null;

export function loadChartJs(): Promise<typeof Chart> {
  loading ??= import('chart.js').then((m) => {
    m.Chart.register(
      m.LineController,
      m.LineElement,
      m.PointElement,
      m.BarController,
      m.BarElement,
      m.CategoryScale,
      m.LinearScale,
      m.Tooltip,
      m.Legend,
    );
    return m.Chart;
  });
  // A failed download may succeed on the next attempt (e.g. after a flaky network).
  loading.catch(() => (loading = null));
  return loading;
}
