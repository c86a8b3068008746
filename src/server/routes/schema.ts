// Schema endpoints for the query builder: which events exist, which properties an event has (with
// the types seen), and the top values of a property. Thin: the store's catalog queries do the work.
import type { FastifyPluginAsync } from 'fastify';
import { badRequest } from '../errors.ts';
import { schemaQueriesFor } from '../store/open.ts';
import type { Store } from '../store/types.ts';

const MAX_NAME = 1_000;
export const DEFAULT_VALUES_LIMIT = 50;
export const MAX_VALUES_LIMIT = 1_000;

function optionalString(query: Record<string, unknown>, name: string): string | null {
  const v = query[name];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string') throw badRequest('invalid_request', `${name} must be given once, as text`, { path: `query.${name}` });
  if (v.length > MAX_NAME) throw badRequest('invalid_request', `${name} is longer than ${MAX_NAME} characters`, { path: `query.${name}` });
  return v;
}

function onlyParams(query: Record<string, unknown>, allowed: string[]): void {
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      throw badRequest('unknown_field', `unknown parameter ${JSON.stringify(name.slice(0, 80))}; the parameters are ${allowed.join(', ') || 'none'}`, {
        path: `query.${name}`,
      });
    }
  }
}

export const schemaRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  // DuckDB's or ClickHouse's schema queries (same signatures), by the store's dialect.
  const { listEvents, listProperties, listValues } = await schemaQueriesFor(store);
  app.get('/api/events', async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    onlyParams(query, []);
    return { events: await listEvents(store) };
  });

  app.get('/api/properties', async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    onlyParams(query, ['event']);
    const event = optionalString(query, 'event');
    return { event, properties: await listProperties(store, event) };
  });

  app.get('/api/values', async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    onlyParams(query, ['event', 'property', 'prefix', 'limit']);
    const event = optionalString(query, 'event');
    const property = optionalString(query, 'property');
    if (property === null) throw badRequest('missing_field', 'property is required', { path: 'query.property' });
    const prefix = optionalString(query, 'prefix');
    const limitText = optionalString(query, 'limit');
    let limit = DEFAULT_VALUES_LIMIT;
    if (limitText !== null) {
      limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : NaN;
      if (!(limit >= 1 && limit <= MAX_VALUES_LIMIT)) {
        throw badRequest('invalid_limit', `limit must be a whole number from 1 to ${MAX_VALUES_LIMIT}`, { path: 'query.limit' });
      }
    }
    return { event, property, values: await listValues(store, { event, property, prefix, limit }) };
  });
};
