// Mixpanel-compatible ingestion: /track, /import, /engage (with or without a trailing slash; GET or
// POST). Handlers decode and validate, then wait for the batch writer to commit before answering,
// so an acknowledged event is durable. Registered by the app as a plugin with `{ store }`.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Store, StoredEvent } from '../store/types.ts';
import { LIMITS } from '../ingest/limits.ts';
import { decodeRequest } from '../ingest/payload.ts';
import { normalizeEvent, type Endpoint, type Rejection } from '../ingest/validate.ts';
import { parseProfileUpdate, type ProfileUpdate } from '../ingest/profiles.ts';
import { basicAuthMatches } from '../ingest/auth.ts';
import { sendOutcome, type Outcome } from '../ingest/respond.ts';
import { IngestWriter, QueueFullError, WriterClosedError, type WriterOptions } from '../ingest/writer.ts';

export type IngestRouteOptions = {
  store: Store;
  /** Project token: /track and /engage records carrying another one are rejected. Default: env SEGSCOPE_TOKEN. */
  token?: string | null;
  /** API secret: /import requires it as HTTP Basic auth. Default: env SEGSCOPE_API_SECRET. */
  apiSecret?: string | null;
  /** Queue and batch sizes. */
  writer?: WriterOptions;
  /** Called with the writer once it is open (tests and the benchmark read its stats). */
  onWriter?: (writer: IngestWriter) => void;
};

function setting(explicit: string | null | undefined, envName: string): string | null {
  const value = explicit !== undefined ? explicit : process.env[envName];
  return value ? value : null;
}

type Kind = Endpoint | 'engage';

export const ingestRoutes: FastifyPluginAsync<IngestRouteOptions> = async (app, options) => {
  const token = setting(options.token, 'SEGSCOPE_TOKEN');
  const apiSecret = setting(options.apiSecret, 'SEGSCOPE_API_SECRET');
  const writer = await IngestWriter.open(options.store, options.writer);
  options.onWriter?.(writer);
  app.addHook('onClose', async () => {
    await writer.close();
  });

  // Bodies arrive as base64 forms, JSON, NDJSON or gzip of those: take them raw and decode here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LIMITS.bodyBytes }, (_req, body, done) => done(null, body));

  // The browser SDK sends with credentials from the site's origin.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Allow-Credentials', 'true');
      reply.header('Vary', 'Origin');
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error(error);
    const message = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? `body is larger than ${LIMITS.bodyBytes} bytes`
      : status === 500 ? 'internal error' : error.message;
    const params = (request.query ?? {}) as Record<string, string>;
    return sendOutcome(reply, params, { status, error: message, accepted: 0, rejected: [] }, request.url.startsWith('/import') && params.strict === '1');
  });

  async function commit(events: StoredEvent[], profiles: ProfileUpdate[], request: FastifyRequest): Promise<Partial<Outcome>> {
    try {
      await writer.submit(events, profiles);
      return {};
    } catch (e) {
      if (e instanceof QueueFullError) return { status: 503, error: e.message, retryAfterSeconds: e.retryAfterSeconds };
      if (e instanceof WriterClosedError) return { status: 503, error: e.message, retryAfterSeconds: 5 };
      // The store refused the data itself (our validation should have caught it): retrying cannot help.
      if (e instanceof Error && e.name === 'InvalidEventError') return { status: 400, error: `the store refused an event: ${e.message}` };
      request.log.error(e, 'ingest batch failed to commit');
      return { status: 503, error: 'the events could not be stored; retry', retryAfterSeconds: 1 };
    }
  }

  function handler(kind: Kind) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const { params, decoded } = decodeRequest({
        query: (request.query ?? {}) as Record<string, unknown>,
        contentType: request.headers['content-type'],
        contentEncoding: request.headers['content-encoding'],
        body: Buffer.isBuffer(request.body) ? request.body : undefined,
      });
      const strict = kind === 'import' && params.strict === '1';
      if (kind === 'import' && apiSecret && !basicAuthMatches(request.headers.authorization, apiSecret)) {
        reply.header('WWW-Authenticate', 'Basic realm="segscope import"');
        return sendOutcome(reply, params, { status: 401, error: '/import requires the API secret as HTTP Basic authentication', accepted: 0, rejected: [] }, strict);
      }
      if (!decoded.ok) return sendOutcome(reply, params, { status: decoded.status, error: decoded.message, accepted: 0, rejected: [] }, strict);

      const rejected: Rejection[] = [];
      const events: StoredEvent[] = [];
      const profiles: ProfileUpdate[] = [];
      const nowMs = Date.now();
      // /import authenticated by the secret is trusted; otherwise records must carry the project token.
      const requiredToken = kind === 'import' && apiSecret ? null : token;
      decoded.records.forEach((record, index) => {
        if (kind === 'engage') {
          const r = parseProfileUpdate(record, index, requiredToken);
          if (r.ok) profiles.push(r.update);
          else rejected.push(r.rejection);
        } else {
          const r = normalizeEvent(record, index, { endpoint: kind, nowMs, token: requiredToken, sourceChars: decoded.sourceChars });
          if (r.ok) events.push(r.event);
          else rejected.push(r.rejection);
        }
      });
      const failure = await commit(events, profiles, request);
      const accepted = failure.status ? 0 : events.length + profiles.length;
      return sendOutcome(reply, params, { ...failure, accepted, rejected }, strict);
    };
  }

  const cfg = app.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
  const slashIgnored = Boolean(cfg.ignoreTrailingSlash || cfg.routerOptions?.ignoreTrailingSlash);
  for (const kind of ['track', 'import', 'engage'] as const) {
    for (const url of slashIgnored ? [`/${kind}`] : [`/${kind}`, `/${kind}/`]) {
      app.route({ method: ['GET', 'POST'], url, handler: handler(kind) });
      app.route({
        method: 'OPTIONS',
        url,
        handler: async (request, reply) => {
          reply.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
          reply.header('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? 'Content-Type');
          reply.header('Access-Control-Max-Age', '86400');
          return reply.code(204).send();
        },
      });
    }
  }
};
