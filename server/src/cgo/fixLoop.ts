// The one way fixes are applied in bulk, as `cgo-lint --fix` does and as the rule tester
// checks: round after round, the preferred fix of every finding that overlaps none taken
// before it, applied on top of the round's earlier fixes; then the package is checked again,
// as fixes can reveal or settle other findings, until a round applies nothing. Where the
// texts come from and where they go (disk, memory) is the caller's.
import { applyEdits } from './edits';
import type { Finding, Fix, TextEdit } from './findings';

/** Enough rounds to reach a fixed point: a fix that needs a further one is a fix of what a fix revealed. */
export const maxFixRounds = 5;

/** One file a fix writes: its whole new text. */
export interface FileWrite {
  /** The path the fix names (as in the package). */
  file: string;
  text: string;
  /** The fix creates the file: it must not exist. */
  create: boolean;
}

/** A fix chosen in a round, with the files it writes (on top of the round's earlier fixes). */
export interface FixStep {
  finding: Finding;
  fix: Fix;
  writes: FileWrite[];
  /** A file the fix edits whose text the check did not have: the fix cannot be applied. */
  unread: string | undefined;
  /** The texts the round's findings were computed on. */
  texts: ReadonlyMap<string, string>;
}

/** What became of a step: written, declined (never chosen again), or the end of the loop. */
export type FixOutcome = 'applied' | 'declined' | 'stop';

/** The texts of a package and its findings, as one round checks them. */
export interface FixCheck {
  findings: readonly Finding[];
  texts: ReadonlyMap<string, string>;
}

/** Picks the preferred fix of each finding, skipping fixes that overlap one already taken. */
export function chooseFixes(findings: readonly Finding[]): { finding: Finding; fix: Fix }[] {
  const chosen: { finding: Finding; fix: Fix }[] = [];
  const taken: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit): boolean => a.file === b.file && a.start < b.end && b.start < a.end;
  const sameInsertion = (a: TextEdit, b: TextEdit): boolean => a.file === b.file && a.start === a.end && b.start === b.end && a.start === b.start;
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => f.preferred);
    if (!fix || fix.edits.some((e) => taken.some((t) => overlaps(e, t) || sameInsertion(e, t)))) continue;
    chosen.push({ finding, fix });
    taken.push(...fix.edits);
  }
  return chosen;
}

/**
 * Runs the rounds: `check` reads and checks the package, `apply` writes one step's files (or
 * declines it, or stops everything). Returns false when `apply` stopped the loop.
 */
export async function fixUntilSettled(check: () => FixCheck | Promise<FixCheck>, apply: (step: FixStep) => FixOutcome): Promise<boolean> {
  const declined = new Set<string>();
  const declinedKey = (finding: Finding, fix: Fix): string => JSON.stringify([finding.rule, finding.file, finding.start, fix.title]);
  for (let round = 0; round < maxFixRounds; round++) {
    const { findings, texts } = await check();
    // A fix declined once is not chosen again, nor does it keep the fixes it overlaps from being chosen.
    const chosen = chooseFixes(findings.filter((finding) => !finding.fixes.some((fix) => fix.preferred && declined.has(declinedKey(finding, fix)))));
    /** Edits written this round, per file: later fixes of the round apply on top of them. */
    const written = new Map<string, TextEdit[]>();
    for (const { finding, fix } of chosen) {
      const created = new Set(fix.newFiles ?? []);
      const byFile = new Map<string, TextEdit[]>();
      for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
      const unread = [...byFile.keys()].find((file) => !created.has(file) && !texts.has(file));
      const writes: FileWrite[] = unread
        ? []
        : [...byFile].map(([file, edits]) => ({
            file,
            create: created.has(file),
            text: applyEdits(created.has(file) ? '' : texts.get(file)!, [...(written.get(file) ?? []), ...edits]).text,
          }));
      const outcome = apply({ finding, fix, writes, unread, texts });
      if (outcome === 'stop') return false;
      if (outcome === 'declined') {
        declined.add(declinedKey(finding, fix));
        continue;
      }
      for (const [file, edits] of byFile) written.set(file, [...(written.get(file) ?? []), ...edits]);
    }
    if (written.size === 0) break;
  }
  return true;
}
