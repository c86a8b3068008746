// GET /api/2.0/segmentation in the shape of Mixpanel's segmentation API, so scripts written for it
// work unchanged: the same parameter names (event, from_date, to_date, on, where, unit, type, limit)
// and the answer {"data": {"series", "values"}, "legend_size"}. Parameters Mixpanel clients send
// for authentication or routing are accepted and ignored.
import type { FastifyPluginAsync } from 'fastify';
import { RequestError, validateSegmentationRequest } from '../../report/validate.ts';
import { clientGone } from '../budget.ts';
import { runValidated, type QueryRouteOptions } from './segmentation.ts';

export type MixpanelSegmentation = {
  data: { series: string[]; values: Record<string, Record<string, number>> };
  legend_size: number;
};

const PARAMS: Record<string, string> = {
  event: 'event',
  from_date: 'from',
  to_date: 'to',
  on: 'on',
  where: 'where',
  unit: 'unit',
  type: 'type',
  limit: 'limit',
};
/** Sent by Mixpanel clients and meaningless here. */
const IGNORED = new Set(['project_id', 'workspace_id', 'api_key', 'api_secret', 'sig', 'expire', 'format']);

export function requestFromQuery(query: Record<string, unknown>): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (IGNORED.has(name)) {
      if (name === 'format' && value !== 'json') {
        throw new RequestError('invalid_request', 'format must be json; Segscope answers this API in JSON only', { path: 'query.format' });
      }
      continue;
    }
    const field = Object.hasOwn(PARAMS, name) ? PARAMS[name] : undefined;
    if (!field) {
      throw new RequestError('unknown_field', `unknown parameter ${JSON.stringify(name.slice(0, 80))}; the parameters are ${Object.keys(PARAMS).join(', ')}`, {
        path: `query.${name}`,
      });
    }
    if (value === '') continue; // `where=` in a URL means no filter
    // Query strings carry text; a limit that is all digits is meant as the number.
    request[field] = field === 'limit' && typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  }
  return request;
}

export const mixpanelRoutes: FastifyPluginAsync<QueryRouteOptions> = async (app, options) => {
  const handler = async (request: { query: unknown }, reply: { raw: Parameters<typeof clientGone>[0] }): Promise<MixpanelSegmentation> => {
    const body = requestFromQuery((request.query ?? {}) as Record<string, unknown>);
    const validated = validateSegmentationRequest(body, {
      root: 'query',
      names: { from: 'from_date', to: 'to_date' },
    });
    const result = await runValidated(options, validated, clientGone(reply.raw));
    return { data: { series: result.series, values: result.values }, legend_size: Object.keys(result.values).length };
  };
  // Mixpanel's old and new paths, with and without the trailing slash its own examples use.
  for (const path of ['/api/2.0/segmentation', '/api/2.0/segmentation/', '/api/query/segmentation']) app.get(path, handler);
};
