// The one way a store-made identifier reaches SQL text. Property names never do: the store maps
// them to generated column names (see catalog.ts), and only names of that shape (or the fixed
// names below) pass here. Anything else is a bug, so it throws instead of escaping.

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdentifier(name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) {
    throw new Error(`refusing to quote identifier ${JSON.stringify(name)}: not a store-made name`);
  }
  return `"${name}"`;
}
