// Lone UTF-16 surrogates (JSON allows "\ud800") cannot be stored as UTF-8: the store would turn them
// into U+FFFD in some places (names) and keep them escaped in others (the JSON), so the same text
// would not match itself. Replace them with U+FFFD everywhere, once, at ingestion.
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A JSON text that may hold a surrogate escape; only such records pay for the walk below. */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

export function mayHoldLoneSurrogates(jsonText: string): boolean {
  return ESCAPED_SURROGATE.test(jsonText);
}

function fix(s: string): string {
  return s.replace(LONE, '\uFFFD');
}

/** The value with every string and key well-formed (iterative, so deep nesting cannot overflow). */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return fix(value);
  if (typeof value !== 'object' || value === null) return value;
  const stack: Array<Record<string, unknown> | unknown[]> = [value as Record<string, unknown>];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') node[i] = fix(v);
        else if (typeof v === 'object' && v !== null) stack.push(v as Record<string, unknown>);
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      const fixedKey = fix(key);
      const fixedValue = typeof v === 'string' ? fix(v) : v;
      if (fixedKey !== key) {
        delete node[key];
        Object.defineProperty(node, fixedKey, { value: fixedValue, writable: true, enumerable: true, configurable: true });
      } else if (fixedValue !== v) {
        node[key] = fixedValue;
      }
      if (typeof v === 'object' && v !== null) stack.push(v as Record<string, unknown>);
    }
  }
  return value;
}
