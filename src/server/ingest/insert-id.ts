// A deterministic $insert_id for events that arrive without one, so re-importing a file or a client
// retrying the same event adds nothing. Derived from the event as sent (name, properties in their
// sent order), so the same line always gets the same id.
import { createHash, randomUUID } from 'node:crypto';

export function deterministicInsertId(eventJson: string): string {
  return createHash('sha256').update(eventJson).digest('hex').slice(0, 36);
}

/** For /track events the server timestamps: their content is not stable across retries anyway. */
export function randomInsertId(): string {
  return randomUUID();
}
