// Text to AST: recursive descent over the grammar of spec section 3, one function per level.
// Decisions where the spec leaves room (documented in the README's language tour too):
// - A unary '-' directly before a number token is folded into a negative literal (`-1`, `- 1`,
//   `-0` is the literal -0), except when the number is indexed (`-1[0]` is neg(1[0])), so that
//   print(parse(x)) and parse(print(ast)) agree; `-(1)` stays {op:"neg"}.
// - Parentheses add no node; a node's span is that of its content without the parentheses.
// - Two limits: the AST depth (MAX_DEPTH nodes on a root-to-leaf path) and the syntactic nesting
//   of parentheses, brackets and calls (MAX_DEPTH levels), so `((((1))))` 300 deep is an error
//   although its AST is one node. Runs of `not` / `-` and operator chains are parsed iteratively
//   and rejected by the depth check, so no input can overflow the stack.
// - A parsed tree also respects MAX_NODES and MAX_STRING_LENGTH, so validateAst accepts every
//   tree that parse returns.

import { ExprError, positionAt } from './errors.ts';
import {
  MAX_DEPTH, MAX_NODES, ARITY, isFunctionName,
  type Expr, type OpNode, type ScopeNode, type ScopeOp, type PlainOp, type BinaryOp, type Span,
} from './ast.ts';
import { Lexer, describeToken, type Token } from './lexer.ts';

const CMP_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

export type ParseResult = { ok: true; ast: Expr } | { ok: false; error: ExprError };

/** Parses expression text into an AST with spans on every node. Throws ExprError. */
export function parse(text: string): Expr {
  // Callers in plain JS (or with `any` from JSON) must still get the one error type.
  if (typeof text !== 'string') throw new ExprError(`expected expression text (a string), found ${text === null ? 'null' : typeof text}`);
  return new Parser(text).parseAll();
}

export function tryParse(text: string): ParseResult {
  try {
    return { ok: true, ast: parse(text) };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e };
    throw e;
  }
}

/** All tokens of `text` up to and including eof (for highlighting). Throws ExprError on a lexical error. */
export function tokenize(text: string): Token[] {
  const lx = new Lexer(text);
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push(t);
    if (t.kind === 'eof') return out;
  }
}

export function arityText(op: PlainOp | ScopeOp): string {
  const [min, max] = ARITY[op];
  if (op === 'any' || op === 'all') return `'${op}' takes 3 arguments: ${op}(X, list, predicate)`;
  if (max === 0) return `'${op}' takes no arguments`;
  const n = min === max ? `${min}` : `${min} or ${max}`;
  return `'${op}' takes ${n} argument${max === 1 ? '' : 's'}`;
}

class Parser {
  private readonly lx: Lexer;
  private prev: Token | null = null;
  private nesting = 0;
  private nodes = 0;
  private readonly depth = new WeakMap<Expr, number>();
  /** Names bound by enclosing any/all, innermost last. */
  private readonly bound: string[] = [];

  constructor(private readonly text: string) {
    this.lx = new Lexer(text);
  }

  parseAll(): Expr {
    const e = this.parseExpr();
    const t = this.lx.peek();
    if (t.kind !== 'eof') {
      if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) {
        throw this.error(`found '${t.text}' with no matching '${t.value === ')' ? '(' : '['}'`, t.start);
      }
      throw this.error(`expected an operator or end of input, found ${describeToken(t)}`, t.start);
    }
    return e;
  }

  private error(detail: string, offset: number): ExprError {
    return new ExprError(detail, { position: positionAt(this.text, offset) });
  }

  private at(offset: number): string {
    const p = positionAt(this.text, offset);
    return `${p.line}:${p.column}`;
  }

  private next(): Token {
    this.prev = this.lx.next();
    return this.prev;
  }

  private isPunct(t: Token, v: string): boolean {
    return t.kind === 'punct' && t.value === v;
  }

  /** Whether the k-th token ahead is punctuation v; a lexical error there is left for later, so errors come in text order. */
  private aheadIs(k: number, v: string): boolean {
    try {
      return this.isPunct(this.lx.peek(k), v);
    } catch (e) {
      if (e instanceof ExprError) return false;
      throw e;
    }
  }

  private isKw(t: Token, v: string): boolean {
    return t.kind === 'kw' && t.value === v;
  }

  /** Registers a new node: counts it, computes its depth and rejects it past the limits. */
  private make<T extends Expr>(node: T, children: readonly Expr[], at: number): T {
    let d = 0;
    for (const c of children) d = Math.max(d, this.depth.get(c) ?? 1);
    if (d + 1 > MAX_DEPTH) throw this.error(`expression nested deeper than ${MAX_DEPTH} levels`, at);
    if (++this.nodes > MAX_NODES) throw this.error(`expression has more than ${MAX_NODES} nodes`, at);
    if (children.length > 0) this.depth.set(node, d + 1);
    return node;
  }

  private parseExpr(): Expr {
    if (++this.nesting > MAX_DEPTH) throw this.error(`expression nested deeper than ${MAX_DEPTH} levels`, this.lx.peek().start);
    const e = this.parseOr();
    this.nesting--;
    return e;
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, tok: Token): OpNode {
    return this.make({ op, args: [left, right], span: [left.span![0], right.span![1]] as Span }, [left, right], tok.start);
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isKw(this.lx.peek(), 'or')) {
      const tok = this.next();
      left = this.binary('or', left, this.parseAnd(), tok);
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isKw(this.lx.peek(), 'and')) {
      const tok = this.next();
      left = this.binary('and', left, this.parseNot(), tok);
    }
    return left;
  }

  // not := "not" not | cmp, taken as a loop so a long run of `not` cannot overflow the stack.
  private parseNot(): Expr {
    const nots: Token[] = [];
    while (this.isKw(this.lx.peek(), 'not')) {
      // MAX_DEPTH nots already make a tree too deep: say so at the first one too many.
      if (nots.length === MAX_DEPTH - 1) throw this.error(`expression nested deeper than ${MAX_DEPTH} levels`, this.lx.peek().start);
      nots.push(this.next());
    }
    let e = this.parseCmp();
    for (let i = nots.length - 1; i >= 0; i--) {
      const tok = nots[i]!;
      e = this.make({ op: 'not', args: [e], span: [tok.start, e.span![1]] as Span }, [e], tok.start);
    }
    return e;
  }

  private parseCmp(): Expr {
    const left = this.parseAdd();
    const t = this.lx.peek();
    if (!this.isCmp(t)) return left;
    const tok = this.next();
    const right = this.parseAdd();
    const after = this.lx.peek();
    if (this.isCmp(after)) throw this.error('comparisons cannot be chained; add parentheses', after.start);
    return this.binary((tok.kind === 'kw' ? 'in' : tok.value) as BinaryOp, left, right, tok);
  }

  private isCmp(t: Token): boolean {
    return (t.kind === 'punct' && CMP_OPS.has(t.value as string)) || this.isKw(t, 'in');
  }

  private parseAdd(): Expr {
    let left = this.parseMul();
    for (;;) {
      const t = this.lx.peek();
      if (!(this.isPunct(t, '+') || this.isPunct(t, '-'))) return left;
      const tok = this.next();
      left = this.binary(tok.value as BinaryOp, left, this.parseMul(), tok);
    }
  }

  private parseMul(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.lx.peek();
      if (!(this.isPunct(t, '*') || this.isPunct(t, '/') || this.isPunct(t, '%'))) return left;
      const tok = this.next();
      left = this.binary(tok.value as BinaryOp, left, this.parseUnary(), tok);
    }
  }

  // unary := "-" unary | postfix, as a loop; `-NUMBER` (not indexed) is a negative literal.
  private parseUnary(): Expr {
    const minuses: Token[] = [];
    while (this.isPunct(this.lx.peek(), '-')) {
      // MAX_DEPTH minuses before a number still fit (the last one folds into the literal).
      if (minuses.length === MAX_DEPTH) throw this.error(`expression nested deeper than ${MAX_DEPTH} levels`, this.lx.peek().start);
      minuses.push(this.next());
    }
    let e: Expr;
    const num = this.lx.peek();
    if (minuses.length > 0 && num.kind === 'num' && !this.aheadIs(1, '[')) {
      const minus = minuses.pop()!;
      this.next();
      e = this.make({ lit: -(num.value as number), span: [minus.start, num.end] as Span }, [], minus.start);
    } else {
      e = this.parsePostfix();
    }
    for (let i = minuses.length - 1; i >= 0; i--) {
      const tok = minuses[i]!;
      e = this.make({ op: 'neg', args: [e], span: [tok.start, e.span![1]] as Span }, [e], tok.start);
    }
    return e;
  }

  private parsePostfix(): Expr {
    let e = this.parsePrimary();
    while (this.isPunct(this.lx.peek(), '[')) {
      const open = this.next();
      const key = this.parseExpr();
      const close = this.expectClose(']', open, 'index');
      e = this.make({ op: '[]', args: [e, key], span: [e.span![0], close.end] as Span }, [e, key], open.start);
    }
    return e;
  }

  private expectClose(close: ')' | ']', open: Token, what: string): Token {
    const t = this.lx.peek();
    if (this.isPunct(t, close)) return this.next();
    throw this.error(`expected '${close}' after the ${what} to close '${open.text}' at ${this.at(open.start)}, found ${describeToken(t)}`, t.start);
  }

  private expectedExpression(t: Token): ExprError {
    const after = this.prev ? ` after '${this.prev.text}'` : '';
    // `not` binds looser than comparisons and arithmetic, so as an operand it needs parentheses.
    const hint = this.prev && this.isKw(t, 'not') ? '; put it in parentheses: (not ...)' : '';
    return this.error(`expected an expression${after}, found ${describeToken(t)}${hint}`, t.start);
  }

  private parsePrimary(): Expr {
    const t = this.lx.peek();
    const span: Span = [t.start, t.end];
    switch (t.kind) {
      case 'num':
      case 'str':
        this.next();
        return this.make({ lit: t.value, span }, [], t.start);
      case 'name': {
        if (this.aheadIs(1, '(')) throw this.error(`unknown function '${t.text}'`, t.start);
        if (!this.bound.includes(t.text)) throw this.error(`'${t.text}' is not bound by any enclosing any() or all()`, t.start);
        this.next();
        return this.make({ var: t.text, span }, [], t.start);
      }
      case 'kw':
        switch (t.value) {
          case 'true':
          case 'false':
            this.next();
            return this.make({ lit: t.value === 'true', span }, [], t.start);
          case 'null':
            this.next();
            return this.make({ lit: null, span }, [], t.start);
          case 'undefined':
            this.next();
            return this.make({ lit: { undefined: true }, span }, [], t.start);
          case 'properties':
          case 'event':
            this.next();
            return this.make({ root: t.value, span }, [], t.start);
          case 'any':
          case 'all':
            return this.parseScope();
          default:
            if (isFunctionName(t.value as string)) return this.parseCall();
            throw this.expectedExpression(t);
        }
      case 'punct':
        if (t.value === '(') {
          const open = this.next();
          const e = this.parseExpr();
          this.expectClose(')', open, 'expression');
          return e;
        }
        if (t.value === '[') return this.parseList();
        throw this.expectedExpression(t);
      default:
        throw this.expectedExpression(t);
    }
  }

  private parseList(): Expr {
    const open = this.next();
    const items: Expr[] = [];
    if (!this.isPunct(this.lx.peek(), ']')) {
      for (;;) {
        items.push(this.parseExpr());
        const t = this.lx.peek();
        if (this.isPunct(t, ',')) {
          this.next();
          continue;
        }
        if (this.isPunct(t, ']')) break;
        throw this.error(`expected ',' or ']' after a list element (list opened at ${this.at(open.start)}), found ${describeToken(t)}`, t.start);
      }
    }
    const close = this.next();
    return this.make({ list: items, span: [open.start, close.end] as Span }, items, open.start);
  }

  private openParen(name: Token): Token {
    const t = this.lx.peek();
    if (!this.isPunct(t, '(')) throw this.error(`expected '(' after '${name.text}', found ${describeToken(t)}`, t.start);
    return this.next();
  }

  private parseCall(): Expr {
    const name = this.next();
    const op = name.value as PlainOp;
    const open = this.openParen(name);
    const args: Expr[] = [];
    if (!this.isPunct(this.lx.peek(), ')')) {
      for (;;) {
        args.push(this.parseExpr());
        const t = this.lx.peek();
        if (this.isPunct(t, ',')) {
          this.next();
          continue;
        }
        if (this.isPunct(t, ')')) break;
        throw this.error(`expected ',' or ')' after an argument of '${name.text}' (opened at ${this.at(open.start)}), found ${describeToken(t)}`, t.start);
      }
    }
    const close = this.next();
    const [min, max] = ARITY[op];
    if (args.length < min || args.length > max) throw this.error(`${arityText(op)}, got ${args.length}`, name.start);
    return this.make({ op, args, span: [name.start, close.end] as Span }, args, name.start);
  }

  // any(X, list, predicate): X is bound in the predicate only.
  private parseScope(): Expr {
    const name = this.next();
    const op = name.value as ScopeOp;
    this.openParen(name);
    const v = this.lx.peek();
    if (v.kind !== 'name') {
      const what = v.kind === 'kw' ? `'${v.text}', a reserved word` : describeToken(v);
      throw this.error(`expected a name to bind as the first argument of '${op}', found ${what}`, v.start);
    }
    this.next();
    this.expectScopeComma(name, 'the name', 1);
    const list = this.parseExpr();
    this.expectScopeComma(name, 'the list', 2);
    this.bound.push(v.text);
    const pred = this.parseExpr();
    this.bound.pop();
    const t = this.lx.peek();
    if (!this.isPunct(t, ')')) {
      if (this.isPunct(t, ',')) throw this.error(`${arityText(op)}, got more than 3`, name.start);
      throw this.error(`expected ')' after the predicate of '${name.text}', found ${describeToken(t)}`, t.start);
    }
    const close = this.next();
    const node: ScopeNode = { op, var: v.text, args: [list, pred], span: [name.start, close.end] };
    return this.make(node, node.args, name.start);
  }

  private expectScopeComma(name: Token, after: string, got: number): void {
    const t = this.lx.peek();
    if (this.isPunct(t, ',')) {
      this.next();
      return;
    }
    if (this.isPunct(t, ')')) throw this.error(`${arityText(name.value as ScopeOp)}, got ${got}`, name.start);
    throw this.error(`expected ',' after ${after} in '${name.text}', found ${describeToken(t)}`, t.start);
  }
}
