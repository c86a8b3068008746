// POST /api/segmentation: the report's one query. Validates the body (the same rules as the CLI),
// runs it within the time budget and adds what only this layer knows to `meta`.
import type { FastifyPluginAsync } from 'fastify';
import type { SegmentationResult } from '../../report/types.ts';
import { validateSegmentationRequest, type ValidatedSegmentation } from '../../report/validate.ts';
import { clientGone, runWithinBudget } from '../budget.ts';
import type { Store } from '../store/types.ts';

export type QueryRouteOptions = { store: Store; queryTimeoutMs: number; now: () => Date };

export const segmentationRoutes: FastifyPluginAsync<QueryRouteOptions> = async (app, options) => {
  app.post('/api/segmentation', async (request, reply) => {
    const validated = validateSegmentationRequest(request.body, { root: 'body' });
    const result = await runValidated(options, validated, clientGone(reply.raw));
    // reply.elapsedTime counts from the request's arrival, so body parsing is included.
    return finishMeta(result, validated, performance.now() - reply.elapsedTime);
  });
};

export function runValidated(options: QueryRouteOptions, validated: ValidatedSegmentation, clientSignal?: AbortSignal): Promise<SegmentationResult> {
  return runWithinBudget(options.store, validated.query, { timeoutMs: options.queryTimeoutMs, now: options.now(), clientSignal });
}

/** `elapsed_ms` covers validation, the query and shaping; the canonical texts and warnings come from the checker. */
export function finishMeta(result: SegmentationResult, validated: ValidatedSegmentation, started: number): SegmentationResult {
  const warnings = [...validated.warnings, ...(result.meta.warnings ?? []).filter((w) => !validated.warnings.includes(w))];
  result.meta = {
    ...result.meta,
    where: validated.whereText,
    on: validated.onText,
    warnings,
    elapsed_ms: Math.round((performance.now() - started) * 10) / 10,
  };
  return result;
}
