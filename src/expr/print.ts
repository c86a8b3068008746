// AST to canonical text: lower-case reserved words, `==` never `=`, double-quoted strings with
// minimal escapes, and only the parentheses that precedence needs. parse(print(ast)) deep-equals
// stripSpans(ast) for every valid AST (tested as a property in test/expr/roundtrip.test.ts).

import { ExprError } from './errors.ts';
import { MAX_DEPTH, isOp, type Expr, type LitValue, type OpNode, type ScopeNode } from './ast.ts';

// Binding strength, loosest first (spec section 3).
const OR = 1, AND = 2, NOT = 3, CMP = 4, ADD = 5, MUL = 6, UNARY = 7, POSTFIX = 8, PRIMARY = 9;

const BINARY_PREC: Record<string, number> = {
  or: OR, and: AND,
  '==': CMP, '!=': CMP, '<': CMP, '<=': CMP, '>': CMP, '>=': CMP, in: CMP,
  '+': ADD, '-': ADD, '*': MUL, '/': MUL, '%': MUL,
};

export function print(e: Expr): string {
  checkDepth(e);
  return pr(e);
}

/** Number text that reads back as the same double (shortest round-trip), including -0. */
export function printNumber(n: number): string {
  if (!Number.isFinite(n)) throw new ExprError(`cannot print the non-finite number ${n}`);
  if (n < 0 || Object.is(n, -0)) return `-${String(-n)}`;
  return String(n);
}

/**
 * A double-quoted string literal. Escapes `"` and `\`, control characters (C0, DEL, C1),
 * the line/paragraph separators and lone surrogates (as \uXXXX), so the text is plain
 * well-formed Unicode on one line; everything else, `'` and `/` included, is written as is.
 */
export function printString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 9) out += '\\t';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) out += hex(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += hex(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += hex(c);
    else out += s[i]!;
  }
  return `${out}"`;
}

function hex(c: number): string {
  return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

function printLit(v: LitValue): string {
  if (typeof v === 'string') return printString(v);
  if (typeof v === 'number') return printNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  return 'undefined';
}

function isNegativeNumber(v: LitValue): boolean {
  return typeof v === 'number' && (v < 0 || Object.is(v, -0));
}

function prec(e: Expr): number {
  if ('lit' in e) return isNegativeNumber(e.lit) ? UNARY : PRIMARY;
  if (!('op' in e)) return PRIMARY;
  if (e.op === '[]') return POSTFIX;
  if (e.op === 'neg') return UNARY;
  if (e.op === 'not') return NOT;
  return BINARY_PREC[e.op] ?? PRIMARY;
}

function operand(e: Expr, min: number): string {
  const s = pr(e);
  return prec(e) < min ? `(${s})` : s;
}

function pr(e: Expr): string {
  if ('lit' in e) return printLit(e.lit);
  if ('list' in e) return `[${e.list.map(pr).join(', ')}]`;
  if ('root' in e) return e.root;
  if (!('op' in e)) return e.var;
  if (!isOp(e.op)) throw new ExprError(`cannot print unknown op '${String(e.op)}'`);
  if (e.op === 'any' || e.op === 'all') {
    const s = e as ScopeNode;
    return `${s.op}(${s.var}, ${pr(s.args[0])}, ${pr(s.args[1])})`;
  }
  const { op, args } = e as OpNode;
  if (op === '[]') return `${operand(args[0]!, POSTFIX)}[${pr(args[1]!)}]`;
  if (op === 'not') return `not ${operand(args[0]!, NOT)}`;
  if (op === 'neg') {
    const a = args[0]!;
    // `-1` would read back as the literal -1, so neg of a non-negative number keeps its parentheses.
    if ('lit' in a && typeof a.lit === 'number' && !isNegativeNumber(a.lit)) return `-(${pr(a)})`;
    const s = operand(a, UNARY);
    return s.startsWith('-') ? `- ${s}` : `-${s}`;
  }
  const p = BINARY_PREC[op];
  if (p !== undefined) {
    // Left-associative; comparisons do not chain, so both their operands must bind tighter.
    const left = operand(args[0]!, p === CMP ? p + 1 : p);
    const right = operand(args[1]!, p + 1);
    return `${left} ${op} ${right}`;
  }
  return `${op}(${args.map(pr).join(', ')})`;
}

// Printing recurses, so an over-deep tree (built by hand, never by parse) is refused first.
function checkDepth(root: Expr): void {
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > MAX_DEPTH) throw new ExprError(`cannot print an expression nested deeper than ${MAX_DEPTH} levels`);
    const kids = 'list' in e ? e.list : 'args' in e ? e.args : null;
    if (Array.isArray(kids)) for (const k of kids) stack.push([k, d + 1]);
  }
}
