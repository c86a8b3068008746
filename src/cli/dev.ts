// `segscope dev` (= `npm run dev`): the API server with Vite in middleware mode on the same port,
// so the UI reloads live while it talks to the real API (no proxy, no CORS).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ViteDevServer } from 'vite';
import { closeOnSignals, DIST_DIR, startServer } from '../server/server.ts';
import { describeStartError, parseServeFlags, SERVE_HELP, SERVE_OPTIONS, type ServeFlags } from './serve.ts';

const ROOT = path.dirname(DIST_DIR);

export async function run(argv: string[]): Promise<number> {
  let flags: ServeFlags;
  try {
    const { values } = parseArgs({ args: argv, options: SERVE_OPTIONS, strict: true, allowPositionals: false });
    if (values.help) {
      process.stdout.write(SERVE_HELP.replace('segscope serve', 'segscope dev'));
      return 0;
    }
    flags = parseServeFlags(values);
  } catch (e) {
    process.stderr.write(`segscope dev: ${(e as Error).message}\n${SERVE_HELP.replace('segscope serve', 'segscope dev')}`);
    return 2;
  }
  let vite: ViteDevServer | null = null;
  try {
    const server = await startServer({
      ...flags,
      staticDir: null,
      // Requests no API route answers go to Vite (pages, modules, HMR client).
      uiMiddleware: (req, res, next) => {
        if (vite) vite.middlewares(req, res, next);
        else next();
      },
      beforeListen: async (app) => {
        const { createServer } = await import('vite');
        // HMR's websocket shares the API's HTTP server, so one port serves everything.
        vite = await createServer({
          root: ROOT,
          appType: 'mpa',
          server: { middlewareMode: true, hmr: { server: app.server } },
        });
        app.addHook('onClose', async () => {
          await vite?.close();
        });
      },
    });
    closeOnSignals(server);
    process.stdout.write(`Segscope (dev, live reload) is ready at ${server.url}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`segscope dev: ${describeStartError(e, flags)}\n`);
    return 1;
  }
}
