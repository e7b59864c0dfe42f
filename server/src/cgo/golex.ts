// A Go scanner reduced to what comment grouping needs: where comments and other tokens start
// and end, and on which lines. go/parser decides which comment is a declaration's doc from
// exactly these facts (parser.next / consumeCommentGroup), so we replay its algorithm here
// rather than trust where tree-sitter attaches its `comment` extras.
import { LineIndex } from './text';

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

interface Token {
  start: number;
  startLine: number;
  endLine: number;
}

export class GoTokens {
  private readonly comments: GoComment[] = [];
  private readonly tokens: Token[] = [];
  /** Lexing stops where it was last asked to: finding preambles needs only the imports. */
  private position: number;

  constructor(readonly lines: LineIndex) {
    // go/scanner skips a byte order mark at the start of the file.
    this.position = lines.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Lexes on until a token starts at or after `offset` (or the text ends). */
  private scanPast(offset: number): void {
    const text = this.lines.text;
    const n = text.length;
    let i = this.position;
    while (i < n) {
      const last = this.tokens[this.tokens.length - 1];
      if (last && last.start >= offset) break;
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
        i++;
        continue;
      }
      const start = i;
      if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
        // go/scanner drops a trailing \r from // comments.
        const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
        const line = this.lines.lineOf(start);
        this.comments.push({ start, end, startLine: line, endLine: line, block: false });
        continue;
      }
      if (ch === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 2;
        this.comments.push({
          start,
          end: i,
          startLine: this.lines.lineOf(start),
          endLine: this.lines.lineOf(i - 1),
          block: true,
        });
        continue;
      }
      if (ch === 34 /* " */ || ch === 39 /* ' */) {
        i++;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 92 /* \ */) i += 2;
          else if (c === ch || c === 10) {
            if (c === ch) i++;
            break;
          } else i++;
        }
      } else if (ch === 96 /* ` */) {
        const close = text.indexOf('`', i + 1);
        i = close < 0 ? n : close + 1;
      } else {
        // Any other token: the line is all that matters, so a run of operators and
        // identifiers on one line may stand as a single token.
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 96) break;
          if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) break;
          i++;
        }
      }
      this.tokens.push({ start, startLine: this.lines.lineOf(start), endLine: this.lines.lineOf(Math.max(start, i - 1)) });
    }
    this.position = i;
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
    const index = firstAtOrAfter(this.tokens, offset);
    const prev = index > 0 ? this.tokens[index - 1] : undefined;
    const tokenLine = this.lines.lineOf(offset);
    const from = prev ? prev.start : -1;
    const between: GoComment[] = [];
    // Comments are in source order: start at the first one after `from`.
    for (let j = firstAtOrAfter(this.comments, from + 1); j < this.comments.length && this.comments[j].start < offset; j++) {
      if (this.comments[j].end <= offset) between.push(this.comments[j]);
    }
    let k = 0;
    // A comment on the same line as the previous token starts a line-comment group that
    // takes only comments on that same line (consumeCommentGroup(0)); it is never a lead.
    if (prev && between.length > 0 && between[0].startLine === prev.endLine) {
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

/** The index of the first item starting at or after `offset`, in a list sorted by start. */
function firstAtOrAfter(items: readonly { start: number }[], offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid].start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
