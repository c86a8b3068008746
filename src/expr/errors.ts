// The one error type of the expression language. Parse errors carry a position in the text
// (1-based line and column, 0-based offset); AST validation errors carry a JSON path
// (`args[0].args[1]`). Everything else that goes wrong with user input is one of these too.

export type ErrorPosition = { offset: number; line: number; column: number };

export class ExprError extends Error {
  override readonly name = 'ExprError';
  /** The message without its position prefix, e.g. "expected an expression after '==', found end of input". */
  readonly detail: string;
  readonly offset: number | null;
  readonly line: number | null;
  readonly column: number | null;
  /** JSON path of the offending AST node, for trees that arrived as JSON. */
  readonly path: string | null;

  constructor(detail: string, where: { position?: ErrorPosition; path?: string } = {}) {
    const p = where.position;
    super(p ? `${p.line}:${p.column}: ${detail}` : where.path !== undefined ? `${where.path || '(root)'}: ${detail}` : detail);
    this.detail = detail;
    this.offset = p?.offset ?? null;
    this.line = p?.line ?? null;
    this.column = p?.column ?? null;
    this.path = where.path ?? null;
  }

  toJSON(): { message: string; line: number | null; column: number | null; offset: number | null; path: string | null } {
    return { message: this.message, line: this.line, column: this.column, offset: this.offset, path: this.path };
  }
}

/** 1-based line and column of a 0-based offset; columns count UTF-16 code units + 1. */
export function positionAt(text: string, offset: number): ErrorPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
