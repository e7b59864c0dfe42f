// Which comment cmd/cgo takes as the preamble of an `import "C"`, the exact text it hands to
// the C compiler, and a map from every preamble character back to the .go file.
//
// cmd/cgo (ast.go, ParseGo): for each import spec whose path is literally "C", the preamble
// is the spec's own doc comment, else the GenDecl's doc when the declaration has a single
// spec. commentText joins the group's comments: a `//` comment contributes its text after
// the slashes plus "\n", a `/* */` comment its inner text. go/scanner drops carriage returns.
import { CommentGroup, GoTokens } from './golex';
import { importDeclarations, type Span } from './goimports';
import { TextKeyedCache } from './cache';
import { lastAtOrBefore } from './text';

export type { Span } from './goimports';

export interface PreambleLine {
  /** Start and end of the line in the preamble text (end excludes "\n"). */
  start: number;
  end: number;
  text: string;
  /** The line came from a `//` comment (go/ast strips one space after the slashes). */
  fromLineComment: boolean;
}

export interface Preamble {
  group: CommentGroup;
  /** The C text cmd/cgo builds from the comment, #cgo lines still in place. */
  text: string;
  /** Where each index of `text` (and one past its end) comes from in the .go file. */
  offsets: OffsetMap;
  /** The same, one entry per index (built on first use: a long preamble has a hundred thousand). */
  readonly sourceOffsets: Int32Array;
  lines: PreambleLine[];
}

/**
 * Preamble indexes to file offsets, stored as runs of consecutive offsets: one or a few per
 * comment, where a per-character table would be rebuilt character by character on every
 * keystroke in the preamble.
 */
export class OffsetMap {
  /** Built on first use; a private field, so comparing two maps compares what they map. */
  #table: Int32Array | undefined;

  /**
   * @param runStarts preamble index where each run starts, ascending, the first 0
   * @param runOffsets file offset of each run's first index
   * @param length indexes mapped: the text's length plus one
   */
  constructor(
    private readonly runStarts: number[],
    private readonly runOffsets: number[],
    readonly length: number,
  ) {}

  /** The file offset of a preamble index, clamped to the mapped ones. */
  at(index: number): number {
    const i = Math.max(0, Math.min(index, this.length - 1));
    const run = lastAtOrBefore(this.runStarts, i);
    return this.runOffsets[run] + i - this.runStarts[run];
  }

  get all(): Int32Array {
    if (!this.#table) {
      const table = new Int32Array(this.length);
      for (let run = 0; run < this.runStarts.length; run++) {
        const end = run + 1 < this.runStarts.length ? this.runStarts[run + 1] : this.length;
        for (let i = this.runStarts[run], offset = this.runOffsets[run]; i < end; i++, offset++) table[i] = offset;
      }
      this.#table = table;
    }
    return this.#table;
  }
}

function makePreamble(group: CommentGroup, text: string, offsets: OffsetMap, lines: PreambleLine[]): Preamble {
  return {
    group,
    text,
    offsets,
    get sourceOffsets() {
      return offsets.all;
    },
    lines,
  };
}

export type IgnoredReason = 'blank-line' | 'grouped-import';

/** A comment right above an `import "C"` that cmd/cgo does not take as its preamble. */
export interface IgnoredComment {
  group: CommentGroup;
  reason: IgnoredReason;
  /** Where the next comment group or the import itself starts. */
  nextStart: number;
  preamble: Preamble;
}

export interface ImportC {
  /** The whole import declaration, `import` keyword to the closing parenthesis. */
  decl: Span;
  /** The spec's `(` … `)` list, when the declaration is grouped. */
  specList: Span | undefined;
  specCount: number;
  spec: Span;
  path: Span;
  /** `c` in `import c "C"`, also `_` and `.`. */
  name: (Span & { text: string }) | undefined;
  preamble: Preamble | undefined;
  ignored: IgnoredComment[];
}

/**
 * Preambles by the comment text they come from and its offset: most checks follow an edit
 * somewhere else in the file. Only the group (its lines) is taken from the current file. One
 * per engine, shared by every file it models.
 */
export class PreambleCache extends TextKeyedCache<Preamble> {
  constructor() {
    super(1024 * 1024);
  }
}

function buildPreamble(text: string, group: CommentGroup, preambles: PreambleCache): Preamble {
  const first = group.comments[0];
  const key = `${first.start}:${text.slice(first.start, group.comments[group.comments.length - 1].end)}`;
  const known = preambles.get(key, () => readPreamble(text, group));
  return known.group === group ? known : makePreamble(group, known.text, known.offsets, known.lines);
}

function readPreamble(text: string, group: CommentGroup): Preamble {
  const parts: string[] = [];
  const runStarts: number[] = [];
  const runOffsets: number[] = [];
  let length = 0;
  // Searched for only when there is one: indexOf would otherwise read on to the end of the file.
  const hasCr = text.slice(group.comments[0].start, group.comments[group.comments.length - 1].end).includes('\r');
  /** Appends text[from, to) without carriage returns (go/scanner drops them), a run per piece. */
  const push = (from: number, to: number): void => {
    if (!hasCr) {
      if (to > from) {
        parts.push(text.slice(from, to));
        runStarts.push(length);
        runOffsets.push(from);
        length += to - from;
      }
      return;
    }
    let pieceStart = from;
    for (let cr = text.indexOf('\r', from); ; cr = text.indexOf('\r', cr + 1)) {
      const pieceEnd = cr === -1 || cr >= to ? to : cr;
      if (pieceEnd > pieceStart) {
        parts.push(text.slice(pieceStart, pieceEnd));
        runStarts.push(length);
        runOffsets.push(pieceStart);
        length += pieceEnd - pieceStart;
      }
      if (pieceEnd === to) return;
      pieceStart = cr + 1;
    }
  };
  /** One character that stands for the file offset `at` (the "\n" cgo appends to a // comment). */
  const pushAt = (character: string, at: number): void => {
    if (character) parts.push(character);
    runStarts.push(length);
    runOffsets.push(at);
    length += character.length;
  };
  for (const comment of group.comments) {
    if (comment.block) push(comment.start + 2, comment.end - 2);
    else {
      push(comment.start + 2, comment.end);
      pushAt('\n', comment.end);
    }
  }
  // One past the end maps to where the comment's text ends.
  const last = group.comments[group.comments.length - 1];
  pushAt('', last.block ? last.end - 2 : last.end);
  const offsets = new OffsetMap(runStarts, runOffsets, length + 1);
  const preambleText = parts.join('');
  // Lines come in source order, so the comment holding each line start only moves forward.
  let holder = 0;
  const isLineComment = (index: number): boolean => {
    const offset = offsets.at(index);
    while (holder < group.comments.length && group.comments[holder].end < offset) holder++;
    const comment = group.comments[holder];
    return !(comment && comment.start <= offset && offset <= comment.end && comment.block);
  };
  const lines: PreambleLine[] = [];
  for (let lineStart = 0; ; ) {
    const lineBreak = preambleText.indexOf('\n', lineStart);
    const end = lineBreak === -1 ? preambleText.length : lineBreak;
    if (lineBreak !== -1 || end > lineStart) {
      lines.push({ start: lineStart, end, text: preambleText.slice(lineStart, end), fromLineComment: isLineComment(lineStart) });
    }
    if (lineBreak === -1) break;
    lineStart = lineBreak + 1;
  }
  return makePreamble(group, preambleText, offsets, lines);
}

/** The file offset of a preamble index. */
export function toSource(preamble: Preamble, index: number): number {
  return preamble.offsets.at(index);
}

/**
 * The file offset just past the preamble character before `endIndex`: the exclusive end of a
 * range. Mapping `endIndex` itself would land on what follows, which in a CRLF block comment is
 * the "\n" after a dropped "\r".
 */
export function toSourceEnd(preamble: Preamble, endIndex: number): number {
  return endIndex > 0 ? toSource(preamble, endIndex - 1) + 1 : toSource(preamble, 0);
}

/** Every `import "C"` of a Go file, with the comment cgo takes as its preamble. */
export function findImportsOfC(tokens: GoTokens, preambles: PreambleCache): ImportC[] {
  const text = tokens.lines.text;
  const result: ImportC[] = [];
  for (const decl of importDeclarations(text)) {
    const specs = decl.specs;
    const declDoc = tokens.commentsBefore(decl.decl.start);
    for (const { spec, name, path } of specs) {
      if (path.text !== '"C"') continue;
      const specDoc = decl.specList ? tokens.commentsBefore(spec.start) : undefined;
      const ignored: IgnoredComment[] = [];
      let group: CommentGroup | undefined = specDoc?.lead;
      if (!group && specs.length === 1) group = declDoc.lead;
      else if (declDoc.lead && specs.length > 1) {
        ignored.push({ group: declDoc.lead, reason: 'grouped-import', nextStart: decl.decl.start, preamble: buildPreamble(text, declDoc.lead, preambles) });
      }
      // Comment groups above the spec (inside the parentheses) or else above the declaration
      // that a blank line cuts off from what follows them.
      const above = specDoc && specDoc.groups.length > 0 ? specDoc : declDoc;
      const anchor = above === specDoc ? spec.start : decl.decl.start;
      above.groups.forEach((candidate, i) => {
        if (candidate === above.lead) return;
        const nextStart = i + 1 < above.groups.length ? above.groups[i + 1].comments[0].start : anchor;
        ignored.push({ group: candidate, reason: 'blank-line', nextStart, preamble: buildPreamble(text, candidate, preambles) });
      });
      result.push({
        decl: decl.decl,
        specList: decl.specList,
        specCount: specs.length,
        spec,
        path: { start: path.start, end: path.end },
        name,
        preamble: group ? buildPreamble(text, group, preambles) : undefined,
        ignored,
      });
    }
  }
  return result;
}
