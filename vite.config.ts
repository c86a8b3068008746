// Two pages: the full report (index.html) and the dashboard embed (embed.html). Both are built to
// dist/, which `segscope serve` serves beside the API. Chart.js is imported by name (tree-shaken)
// in the chart app, so only the controllers and scales it registers are bundled.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;
const pages: Record<string, string> = { index: resolve(root, 'index.html') };
// embed.html is written by the chart/table helper; build it whenever it is there.
if (existsSync(resolve(root, 'embed.html'))) pages.embed = resolve(root, 'embed.html');

export default defineConfig({
  root,
  appType: 'mpa',
  resolve: {
    // Backbone requires 'jquery' itself. The UI uses fetch, never $.ajax or animations, so the
    // slim build (no ajax, effects, deferreds) is all it needs: ~7 KB gzipped less.
    alias: [{ find: /^jquery$/, replacement: 'jquery/slim' }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: { input: pages },
  },
});
