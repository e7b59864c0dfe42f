// Every fix of every fixture: its edits do not overlap, they stay inside their file, applying it
// removes the diagnostic it was offered for, and applying preferred fixes round after round (as
// cgo-lint --fix does) reaches a fixed point within a few rounds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding, Fix } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const target = resolveTarget('linux', 'amd64', {});

/** Every directory under the fixtures that holds .go files: one package each. */
function packages(): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) found.push(dir);
    for (const e of entries) if (e.isDirectory()) visit(path.join(dir, e.name));
  };
  visit(fixtures);
  return found;
}

type Texts = Map<string, string>;

function apply(texts: Texts, fix: Fix): Texts {
  const next = new Map(texts);
  for (const file of fix.newFiles ?? []) if (!next.has(file)) next.set(file, '');
  const byFile = new Map<string, Fix['edits']>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const result = applyEdits(next.get(file) ?? '', edits);
    assert.equal(result.skipped, 0, `${fix.title}: overlapping edits in ${file}`);
    next.set(file, result.text);
  }
  return next;
}

/** Where an offset of the old text stands after the fix's edits to that file. */
function mapOffset(offset: number, file: string, fix: Fix): number {
  let shift = 0;
  for (const edit of fix.edits) if (edit.file === file && edit.end <= offset) shift += edit.newText.length - (edit.end - edit.start);
  return offset + shift;
}

test('fixes: no overlap, inside the file, remove their diagnostic, reach a fixed point', async () => {
  const engine = await testEngine();
  let checkedFixes = 0;
  for (const dir of packages()) {
    const check = (texts: Texts): Finding[] =>
      engine.checkPackage(dir, [...texts].filter(([file]) => path.dirname(file) === dir).map(([file, text]) => ({ path: file, text })), { target });
    let texts: Texts = new Map(fs.readdirSync(dir).filter((n) => n.endsWith('.go')).map((n) => [path.join(dir, n), fs.readFileSync(path.join(dir, n), 'utf8')]));
    const where = path.relative(fixtures, dir);
    for (const finding of check(texts)) {
      for (const fix of finding.fixes) {
        for (const edit of fix.edits) {
          const length = fix.newFiles?.includes(edit.file) && !texts.has(edit.file) ? 0 : (texts.get(edit.file) ?? '').length;
          assert.ok(edit.start >= 0 && edit.start <= edit.end && edit.end <= length, `${where}: ${fix.title}: edit outside ${edit.file}`);
        }
        const after = check(apply(texts, fix));
        const at = mapOffset(finding.start, finding.file, fix);
        const again = after.find((f) => f.rule === finding.rule && f.file === finding.file && f.start === at && f.message === finding.message);
        assert.equal(again, undefined, `${where}: "${fix.title}" left its ${finding.rule} diagnostic`);
        checkedFixes++;
      }
    }
    // Preferred fixes round after round, one per round, until none is left.
    let rounds = 0;
    for (;;) {
      const fix = check(texts).flatMap((f) => f.fixes.filter((x) => x.preferred))[0];
      if (!fix) break;
      assert.ok(++rounds <= 20, `${where}: preferred fixes did not settle in 20 rounds`);
      texts = apply(texts, fix);
    }
  }
  assert.ok(checkedFixes > 30, `only ${checkedFixes} fixes checked`);
});
