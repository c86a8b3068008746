// GET /healthz: the store answers and how many events it holds (for load balancers and the CLI).
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../store/types.ts';

export type Health = { status: 'ok'; store: Store['dialect']; events: number } | { status: 'error'; store: Store['dialect']; message: string };

export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.get('/healthz', async (request, reply): Promise<Health> => {
    try {
      const rows = await store.query<{ events: string | number }>('SELECT count(*) AS events FROM events', [], { timeoutMs: 5_000 });
      return { status: 'ok', store: store.dialect, events: Number(rows[0]?.events ?? 0) };
    } catch (err) {
      request.log.error({ err }, 'health check failed');
      reply.code(503);
      return { status: 'error', store: store.dialect, message: 'the store did not answer' };
    }
  });
};
