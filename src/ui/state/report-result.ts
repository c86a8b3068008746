// The answer on screen. `data` is kept while a newer query loads so views can dim the previous
// answer instead of blanking; `query` says which request `data` answers.
import { TypedModel } from '../core/typed-model.ts';
import type { SegmentationRequest, SegmentationResult } from '../../report/types.ts';

export type ResultStatus = 'idle' | 'loading' | 'ok' | 'error';

export type ResultError = {
  code: string;
  message: string;
  line: number | null;
  column: number | null;
  path: string | null;
};

export type ReportResultAttrs = {
  status: ResultStatus;
  data: SegmentationResult | null;
  error: ResultError | null;
  query: SegmentationRequest | null;
  /** Wall time of the last request as the browser saw it (fetch to parsed JSON), ms. */
  roundTripMs: number | null;
};

export class ReportResult extends TypedModel<ReportResultAttrs> {
  override defaults(): ReportResultAttrs {
    return { status: 'idle', data: null, error: null, query: null, roundTripMs: null };
  }

  /** Segments in the API's rank order (highest total first). */
  rankedSegments(): string[] {
    const data = this.get('data');
    if (!data) return [];
    return Object.keys(data.totals).sort((a, b) => {
      const d = (data.totals[b] ?? 0) - (data.totals[a] ?? 0);
      return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
    });
  }
}
