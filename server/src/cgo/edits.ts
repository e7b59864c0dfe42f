// Edits of text: applying fixes (sorted from the end, so earlier offsets stay valid), and the
// tree-sitter edit between two versions of a text.
import type { TextEdit } from './findings';
import { Edit, type Point } from 'web-tree-sitter';

/** Applies non-overlapping edits to one text; returns the new text and the edits it skipped. */
export function applyEdits(text: string, edits: readonly Omit<TextEdit, 'file'>[]): { text: string; skipped: number } {
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
