// Applying fixes to text: edits sorted from the end, so earlier offsets stay valid.
import type { TextEdit } from './findings';

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
