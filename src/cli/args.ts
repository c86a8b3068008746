// Small helpers shared by the CLI commands: numeric flags with clear errors.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A whole number flag; accepts `1_000_000` and `1,000,000` as written in docs. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const cleaned = value.replace(/[_,]/g, '');
  const n = /^\d+$/.test(cleaned) ? Number(cleaned) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, not ${JSON.stringify(value)}`);
  }
  return n;
}
