// Edits of text: checking and applying fixes (sorted from the end, so earlier offsets stay
// valid), and the tree-sitter edit between two versions of a text.
import type { Fix, TextEdit } from './findings';
import { Edit, type Point } from 'web-tree-sitter';

/**
 * Applies non-overlapping edits to one text; returns the new text and the edits it skipped.
 * An edit outside the text or ending before its start is a bug (fixProblem keeps such fixes
 * from being offered): it throws rather than write something no one asked for.
 */
export function applyEdits(text: string, edits: readonly Omit<TextEdit, 'file'>[]): { text: string; skipped: number } {
  for (const edit of edits) {
    if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length)) throw new RangeError(`edit [${edit.start}, ${edit.end}) does not fit a text of ${text.length} characters`);
  }
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Infinity;
  let skipped = 0;
  for (const edit of sorted) {
    if (edit.end > limit) {
      skipped++;
      continue;
    }
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
    limit = edit.start;
  }
  return { text: result, skipped };
}

/**
 * Why a fix must not be applied, or undefined when it may be: every edit lies inside the text
 * of its file (`textOf`; a file the fix creates is empty), starts at or before its end, and
 * overlaps none of the fix's other edits; no edit splits a CRLF pair or brings a line break
 * of the other kind; and the result keeps every line continuation: a `//` it inserts must not
 * land on a line ending in a backslash (the comment would swallow the next line), nor may it
 * insert a comment or a directive into a line continued from the one above. A fix failing
 * this is a bug in its rule; the editor and cgo-lint never apply it.
 */
export function fixProblem(fix: Fix, textOf: (file: string) => string | undefined): string | undefined {
  const created = new Set(fix.newFiles ?? []);
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = created.has(file) ? '' : textOf(file);
    if (text === undefined) return `it edits ${file}, whose text is unknown`;
    for (const edit of edits) {
      const problem = editProblem(text, edit);
      if (problem) return `${problem} in ${file}`;
    }
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) {
      const [before, after] = [sorted[i - 1], sorted[i]];
      if (after.start < before.end || (after.start === before.start && after.start === after.end && before.start === before.end)) {
        return `edits [${before.start}, ${before.end}) and [${after.start}, ${after.end}) overlap in ${file}`;
      }
    }
    const problem = continuationProblem(text, sorted);
    if (problem) return `${problem} in ${file}`;
  }
  return undefined;
}

function editProblem(text: string, edit: TextEdit): string | undefined {
  const { start, end } = edit;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length) {
    return `edit [${start}, ${end}) lies outside the text (${text.length} characters)`;
  }
  if (start > end) return `edit [${start}, ${end}) starts after its end`;
  for (const at of [start, end]) {
    if (at > 0 && text[at - 1] === '\r' && text[at] === '\n') return `edit [${start}, ${end}) splits a CRLF line break at ${at}`;
  }
  const crlf = text.includes('\r\n');
  if (crlf && /(^|[^\r])\n/.test(edit.newText) && !/(^|[^\r])\n/.test(text)) return `edit at ${start} brings LF line breaks into a CRLF text`;
  if (!crlf && text.includes('\n') && edit.newText.includes('\r\n')) return `edit at ${start} brings CRLF line breaks into an LF text`;
  return undefined;
}

/** A line (without its break) ends in a backslash: gcc joins the next line to it (trailing blanks only earn a warning). */
const continued = /\\[ \t]*\r?$/;

/** The `//` and line-continuation checks of fixProblem, on one file's edits sorted by start. */
function continuationProblem(text: string, sorted: readonly TextEdit[]): string | undefined {
  if (!sorted.some((edit) => edit.newText.includes('//') || edit.newText.includes('#'))) return undefined;
  const result = applyEdits(text, sorted).text;
  let shift = 0;
  for (const edit of sorted) {
    const at = edit.start + shift;
    shift += edit.newText.length - (edit.end - edit.start);
    if (!edit.newText.includes('//') && !edit.newText.includes('#')) continue;
    const lineStart = result.lastIndexOf('\n', at - 1) + 1;
    if (lineStart > 0) {
      const previousStart = result.lastIndexOf('\n', lineStart - 2) + 1;
      if (continued.test(result.slice(previousStart, lineStart - 1))) {
        return `edit at ${edit.start} inserts a comment or directive into a line continued from the line above`;
      }
    }
    const insertedEnd = at + edit.newText.length;
    const lastBreak = edit.newText.lastIndexOf('\n');
    const lineEnd = result.indexOf('\n', insertedEnd);
    // The line that holds the end of the inserted text, when a `//` of the insertion is on it.
    const tail = edit.newText.slice(lastBreak + 1);
    if (tail.includes('//') && continued.test(result.slice(at + lastBreak + 1, lineEnd === -1 ? result.length : lineEnd))) {
      return `edit at ${edit.start} inserts a // comment on a line ending in a backslash, which would swallow the next line`;
    }
  }
  return undefined;
}

/** How many characters two texts share at their start, and then at their end. */
export interface CommonEnds {
  prefix: number;
  suffix: number;
}

export function commonEnds(a: string, b: string): CommonEnds {
  const shorter = Math.min(a.length, b.length);
  // Equal stretches are skipped a block at a time (comparing slices is far faster than a loop
  // over characters), then in smaller blocks up to the first difference.
  let prefix = 0;
  for (const step of blockSteps) {
    while (prefix + step <= shorter && a.slice(prefix, prefix + step) === b.slice(prefix, prefix + step)) prefix += step;
  }
  let suffix = 0;
  for (const step of blockSteps) {
    while (suffix + step <= shorter - prefix && a.slice(a.length - suffix - step, a.length - suffix) === b.slice(b.length - suffix - step, b.length - suffix)) suffix += step;
  }
  return { prefix, suffix };
}

const blockSteps = [4096, 256, 16, 1];

/**
 * The tree-sitter edit that turns oldText into newText, given their commonEnds: the span between
 * them.
 */
export function diffEdit(oldText: string, newText: string, { prefix, suffix }: CommonEnds): Edit {
  return treeEdit(oldText, prefix, oldText.length - suffix, newText.slice(prefix, newText.length - suffix));
}

/**
 * The tree-sitter edit replacing oldText[start, oldEnd) with `inserted`. Indices and columns are
 * UTF-16 code units, as web-tree-sitter counts them; rows end at "\n" only, as tree-sitter's do
 * (unlike LSP lines, which also end at a lone "\r").
 */
export function treeEdit(oldText: string, start: number, oldEnd: number, inserted: string): Edit {
  const startPosition = pointAt(oldText, start);
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition: advance(startPosition, oldText.slice(start, oldEnd)),
    newEndPosition: advance(startPosition, inserted),
  });
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}

/** The point reached from `from` after `text`. */
function advance(from: Point, text: string): Point {
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak === -1) return { row: from.row, column: from.column + text.length };
  let rows = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) rows++;
  return { row: from.row + rows, column: text.length - lastBreak - 1 };
}
