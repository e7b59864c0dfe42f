// Applying fixes in tests the way cgo-lint --fix does.
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding } from '../../server/src/cgo/findings';

/** Applies the preferred fix of every finding at once, skipping identical edits (one insertion serves all). */
export function fixAll(text: string, findings: Finding[]): string {
  const edits = findings.flatMap((f) => f.fixes.find((x) => x.preferred)?.edits ?? []);
  const unique = edits.filter((e, i) => edits.findIndex((o) => o.start === e.start && o.end === e.end && o.newText === e.newText) === i);
  return applyEdits(text, unique).text;
}
