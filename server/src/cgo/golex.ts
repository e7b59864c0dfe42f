// The one Go scanner (go/scanner, reduced to what cgo-lint asks of Go text), and what is built
// on it for comment grouping: where comments and other tokens start and end, and on which
// lines. go/parser decides which comment is a declaration's doc from exactly these facts
// (parser.next / consumeCommentGroup), so we replay its algorithm here rather than trust where
// tree-sitter attaches its `comment` extras. goimports.ts reads the import declarations off
// the same scanner.
import { LineIndex } from './text';

/** go/token's keywords: cgo renames a C field so named with a leading `_`, and none is an identifier token. */
export const goKeywords: ReadonlySet<string> = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

/** Keywords after which go/scanner still ends the statement at a line break. */
const statementEndingKeywords: ReadonlySet<string> = new Set(['break', 'continue', 'fallthrough', 'return']);

/**
 * `identifier` covers numbers too (a run of letters and digits), `other` any operator or
 * punctuation but the few the import parse looks for. A `;` is written or, at a line break
 * that ends a statement, inserted (`inserted` is then true).
 */
export type GoTokenKind = 'identifier' | 'string' | 'char' | '(' | ')' | ';' | '.' | 'other' | 'end';

export interface GoComment {
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  /** `//` comment or `/* *\/` comment. */
  block: boolean;
}

/** A run of comments with no blank line between them: go/ast.CommentGroup. */
export interface CommentGroup {
  comments: GoComment[];
  startLine: number;
  endLine: number;
}

/**
 * Go source as tokens, one `next()` at a time. The current token is in kind/start/end
 * (inserted for a `;` go/scanner adds); comments are skipped, and handed to `onComment` when
 * one is given. Nothing is sliced or allocated per token.
 */
export class GoScanner {
  kind: GoTokenKind = 'end';
  start = 0;
  end = 0;
  inserted = false;
  private position: number;
  /** go/scanner's insertSemi: whether a line break now ends the statement. */
  private semicolonAtNewline = false;

  constructor(
    readonly text: string,
    private readonly onComment?: (start: number, end: number, block: boolean) => void,
  ) {
    // go/scanner skips a byte order mark at the start of the file.
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** The current token's text. */
  get tokenText(): string {
    return this.text.slice(this.start, this.end);
  }

  next(): GoTokenKind {
    const text = this.text;
    const n = text.length;
    let i = this.position;
    for (;;) {
      const ch = text.charCodeAt(i);
      if (i < n && (ch === 32 || ch === 9 || ch === 13)) {
        i++;
      } else if (i < n && ch === 10) {
        if (this.semicolonAtNewline) return this.token(';', i, i + 1, true);
        i++;
      } else if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
        const lineBreak = text.indexOf('\n', i);
        const end = lineBreak < 0 ? n : lineBreak;
        // go/scanner drops a trailing \r from // comments.
        this.onComment?.(i, end > i && text.charCodeAt(end - 1) === 13 ? end - 1 : end, false);
        i = end;
      } else if (ch === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 ? n : close + 2;
        // A block comment spanning lines acts like a newline: the `;` comes first, then the comment.
        if (this.semicolonAtNewline && text.slice(i, end).includes('\n')) return this.token(';', i, i, true);
        this.onComment?.(i, end, true);
        i = end;
      } else break;
    }
    if (i >= n) return this.token('end', n, n, false);
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */ || ch === 39 /* ' */) {
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) j += 2;
        else if (c === ch) {
          j++;
          break;
        } else if (c === 10) break;
        else j++;
      }
      return this.token(ch === 34 ? 'string' : 'char', i, Math.min(j, n), false);
    }
    if (ch === 96 /* ` */) {
      const close = text.indexOf('`', i + 1);
      return this.token('string', i, close < 0 ? n : close + 1, false);
    }
    if (isIdentifierChar(ch)) {
      let j = i + 1;
      while (j < n && isIdentifierChar(text.charCodeAt(j))) j++;
      return this.token('identifier', i, j, false);
    }
    // `++` and `--` end a statement; any other operator is one character as far as we care.
    if ((ch === 43 /* + */ || ch === 45) /* - */ && text.charCodeAt(i + 1) === ch) return this.token('other', i, i + 2, false);
    return this.token(ch === 40 ? '(' : ch === 41 ? ')' : ch === 59 ? ';' : ch === 46 ? '.' : 'other', i, i + 1, false);
  }

  private token(kind: GoTokenKind, start: number, end: number, inserted: boolean): GoTokenKind {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.inserted = inserted;
    this.position = end;
    this.semicolonAtNewline = this.endsStatement(kind, start, end);
    return kind;
  }

  /** go/scanner's insertSemi after this token. */
  private endsStatement(kind: GoTokenKind, start: number, end: number): boolean {
    switch (kind) {
      case 'string':
      case 'char':
      case ')':
        return true;
      case 'identifier': {
        // Keywords are lowercase words of 2 to 11 letters: most identifiers need no lookup.
        const c = this.text.charCodeAt(start);
        if (end - start < 2 || end - start > 11 || c < 97 || c > 122) return true;
        const word = this.text.slice(start, end);
        return !goKeywords.has(word) || statementEndingKeywords.has(word);
      }
      case 'other': {
        const c = this.text.charCodeAt(start);
        return c === 93 /* ] */ || c === 125 /* } */ || end - start === 2;
      }
      default:
        return false;
    }
  }
}

/** Letters, digits and `_`; any non-ASCII character counts as a letter (go/scanner's isLetter for what files hold). */
function isIdentifierChar(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95 || ch >= 0x80;
}

/** A file's comments and token positions, lexed only as far as asked, with go/parser's comment groups. */
export class GoTokens {
  private readonly comments: GoComment[] = [];
  /** Where each run of adjacent tokens (inserted `;` aside) starts and ends, in source order. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly scanner: GoScanner;
  private done = false;

  constructor(readonly lines: LineIndex) {
    this.scanner = new GoScanner(lines.text, (start, end, block) =>
      this.comments.push({ start, end, startLine: lines.lineOf(start), endLine: block ? lines.lineOf(end - 1) : lines.lineOf(start), block }),
    );
  }

  /** Lexes on until a token starts at or after `offset` (or the text ends). */
  private scanPast(offset: number): void {
    while (!this.done && (this.starts.length === 0 || this.starts[this.starts.length - 1] < offset)) {
      const kind = this.scanner.next();
      if (kind === 'end') this.done = true;
      else if (this.ends.length > 0 && this.ends[this.ends.length - 1] === this.scanner.start) {
        // Tokens with nothing between them (`p.f(x)`) have no comment between them either:
        // as far as grouping cares they are one, and a long file keeps a short list.
        this.ends[this.ends.length - 1] = this.scanner.end;
      } else if (!this.scanner.inserted) {
        this.starts.push(this.scanner.start);
        this.ends.push(this.scanner.end);
      }
    }
  }

  /** Every comment of the file, in source order (lexes the whole file). */
  allComments(): readonly GoComment[] {
    this.scanPast(this.lines.text.length);
    return this.comments;
  }

  /**
   * The comment groups on the lines between the token before `offset` and the token at
   * `offset` (a trailing comment on the previous token's line is not among them), and the one
   * go/parser makes the lead (doc) comment of that token, if any.
   */
  commentsBefore(offset: number): { groups: CommentGroup[]; lead: CommentGroup | undefined } {
    this.scanPast(offset);
    const index = firstAtOrAfter(this.starts.length, (i) => this.starts[i], offset);
    const tokenLine = this.lines.lineOf(offset);
    const from = index > 0 ? this.starts[index - 1] : -1;
    const prevEndLine = index > 0 ? this.lines.lineOf(Math.max(from, this.ends[index - 1] - 1)) : -1;
    const between: GoComment[] = [];
    // Comments are in source order: start at the first one after `from`.
    for (let j = firstAtOrAfter(this.comments.length, (i) => this.comments[i].start, from + 1); j < this.comments.length && this.comments[j].start < offset; j++) {
      if (this.comments[j].end <= offset) between.push(this.comments[j]);
    }
    let k = 0;
    // A comment on the same line as the previous token starts a line-comment group that
    // takes only comments on that same line (consumeCommentGroup(0)); it is never a lead.
    if (index > 0 && between.length > 0 && between[0].startLine === prevEndLine) {
      k = this.takeGroup(between, 0, 0, []);
    }
    const successors: CommentGroup[] = [];
    while (k < between.length) k = this.takeGroup(between, k, 1, successors);
    const last = successors[successors.length - 1];
    const lead = last && last.endLine + 1 === tokenLine ? last : undefined;
    return { groups: successors, lead };
  }

  private takeGroup(comments: GoComment[], from: number, slack: number, out: CommentGroup[]): number {
    let endLine = comments[from].startLine;
    let k = from;
    const group: GoComment[] = [];
    while (k < comments.length && comments[k].startLine <= endLine + slack) {
      group.push(comments[k]);
      endLine = comments[k].endLine;
      k++;
    }
    out.push({ comments: group, startLine: group[0].startLine, endLine });
    return k;
  }
}

/** The index of the first of `count` items, ascending by `startOf`, that starts at or after `offset`. */
function firstAtOrAfter(count: number, startOf: (index: number) => number, offset: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (startOf(mid) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
