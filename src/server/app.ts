// The Segscope HTTP app: every route, the JSON body parser and the error shape, built around a store
// the caller opened. Process concerns (port, signals, opening and seeding the store) live in
// server.ts; tests build this app and call `app.inject()`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { installErrorHandlers, notFound, notFoundBody } from './errors.ts';
import { parseJsonBody } from './json-body.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { mixpanelRoutes } from './routes/mixpanel.ts';
import { schemaRoutes } from './routes/schema.ts';
import { segmentationRoutes } from './routes/segmentation.ts';
import { staticRoutes } from './routes/static.ts';
import type { Store } from './store/types.ts';

import { DEFAULT_BODY_LIMIT, DEFAULT_QUERY_TIMEOUT_MS } from './defaults.ts';

export { DEFAULT_BODY_LIMIT, DEFAULT_QUERY_TIMEOUT_MS };

export type AppOptions = {
  store: Store;
  /** Time budget of one query; past it the query is interrupted and answered with a 504. */
  queryTimeoutMs?: number;
  bodyLimit?: number;
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** The built UI (Vite's dist/). Without it, `/` answers a page saying to run `npm run build`. */
  staticDir?: string | null;
  /** The clock `now()` reads; tests pin it. */
  now?: () => Date;
  /**
   * `segscope dev`: a connect-style middleware (Vite's) that answers every request no API route
   * matched, instead of the built UI.
   */
  uiMiddleware?: ConnectMiddleware;
};

export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? false;
  const app = Fastify({
    ...(isLoggerInstance(logger) ? { loggerInstance: logger } : { logger }),
    bodyLimit,
    // Query strings are small; a huge one is someone probing, not a report.
    routerOptions: { maxParamLength: 500 },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  installErrorHandlers(app, bodyLimit);
  const ui = options.uiMiddleware;
  if (ui) {
    // Requests no API route matched go to Vite (pages, modules, its HMR client).
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) return notFound(request, reply);
      reply.hijack();
      ui(request.raw, reply.raw, () => {
        reply.raw.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(notFoundBody(request.method, request.url)));
      });
    });
  } else {
    app.setNotFoundHandler(notFound);
  }
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  const store = options.store;
  await app.register(healthRoutes, { store });
  await app.register(segmentationRoutes, { store, queryTimeoutMs, now });
  await app.register(mixpanelRoutes, { store, queryTimeoutMs, now });
  await app.register(schemaRoutes, { store });
  await app.register(ingestRoutes, { store });
  await app.register(staticRoutes, { staticDir: options.uiMiddleware ? null : (options.staticDir ?? null), fallbackPage: !options.uiMiddleware });
  return app;
}

function isLoggerInstance(l: unknown): l is FastifyBaseLogger {
  return typeof l === 'object' && l !== null && typeof (l as FastifyBaseLogger).child === 'function' && typeof (l as FastifyBaseLogger).info === 'function';
}
