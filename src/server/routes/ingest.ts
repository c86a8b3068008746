// Placeholder: the ingestion endpoints (/track, /import, /engage) land here as a Fastify plugin.
import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../store/types.ts';

export const ingestRoutes: FastifyPluginAsync<{ store: Store }> = async () => {};
