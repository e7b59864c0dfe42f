// Suppression comments: which spellings silence which finding, what they report about
// themselves, where "Ignore here…" writes one, and that the C compiler accepts them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding, RuleId, SeveritySetting } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';
import { goEnv, requireGo } from '../support/go';

const dir = '/virtual/s';
const target = resolveTarget('linux', 'amd64', {});

async function check(text: string, severities?: Partial<Record<RuleId, SeveritySetting>>, name = 'a.go'): Promise<Finding[]> {
  const engine = await testEngine();
  return engine.checkPackage(dir, [{ path: `${dir}/${name}`, text }], { target, severities });
}

/** `rule@line` (1-based) of each finding. */
function where(findings: Finding[], text: string): string[] {
  const lines = new LineIndex(text);
  return findings.map((f) => `${f.rule}@${lines.lineOf(f.start) + 1}`);
}

const note = (suppression: string): string =>
  `package app\n\n${suppression}// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -O2\n// void initial_setup();\nimport "C"\n\nfunc init() { C.initial_setup() }\n`;

const freeWithoutStdlib = (above: string): string =>
  `package p\n\n// #include <stdio.h>\nimport "C"\n\nimport "unsafe"\n\nfunc f(p *C.char) {\n${above}\tC.free(unsafe.Pointer(p))\n}\n`;

test('a Go-form suppression on the line above a finding in Go code silences it', async () => {
  const bare = freeWithoutStdlib('');
  assert.deepEqual(where(await check(bare), bare), ['missing-stdlib-include@9']);
  const text = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include stdlib.h comes in through api.h\n');
  assert.deepEqual(await check(text), []);
  // Only the line right above counts.
  const farther = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include reason\n\n');
  assert.deepEqual(where(await check(farther), farther), ['suppression@9', 'missing-stdlib-include@11']);
});

test('in a // preamble the suppression is a C comment: "// // cgo-lint:ignore", and it is not prose', async () => {
  assert.deepEqual(where(await check(note('')), note('')), ['preamble-comment-bleed@3']);
  for (const spelling of ['// // cgo-lint:ignore preamble-comment-bleed the note is ours\n', '// /* cgo-lint:ignore preamble-comment-bleed the note is ours */\n']) {
    assert.deepEqual(await check(note(spelling)), [], spelling);
  }
});

test('a //cgo-lint:ignore line inside a preamble is C text the compiler rejects: reported, and it silences nothing', async () => {
  const text = note('//cgo-lint:ignore preamble-comment-bleed the note is ours\n');
  assert.deepEqual(where(await check(text), text), ['preamble-comment-bleed@3', 'preamble-comment-bleed@4']);
});

test('inside a /* */ preamble the suppression is a C line comment', async () => {
  const text = 'package p\n\n/*\n// cgo-lint:ignore preamble-comment-bleed kept for the docs\nThis wraps libfoo for Go.\n#include <stdio.h>\n*/\nimport "C"\n';
  assert.deepEqual(await check(text), []);
});

test('a file-wide suppression silences the rule everywhere in the file, and only that rule', async () => {
  const text = `//cgo-lint:file-ignore preamble-comment-bleed notes kept as they are\n${note('')}`;
  assert.deepEqual(await check(text), []);
  const other = `//cgo-lint:file-ignore cgo-in-test not this rule\n${note('')}`;
  assert.deepEqual(where(await check(other), other), ['suppression@1', 'preamble-comment-bleed@4']);
});

test('several rules in one suppression; an unused one is a hint whose fix removes only it', async () => {
  const text = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include,cgo-in-test reason\n');
  const findings = await check(text);
  assert.deepEqual(where(findings, text), ['suppression@9']);
  const [hint] = findings;
  assert.equal(hint.severity, 'hint');
  assert.match(hint.message, /unused: no cgo-in-test finding on the next line for go1\.\d+ linux\/amd64/);
  assert.equal(hint.fixes[0].preferred, false, '--fix must not remove it: another target may need it');
  const fixed = applyEdits(text, hint.fixes[0].edits).text;
  assert.equal(fixed, freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include reason\n'));
  assert.deepEqual(await check(fixed), []);
});

test('removing an unused suppression takes its line away', async () => {
  const text = freeWithoutStdlib('\t//cgo-lint:ignore cgo-in-test reason\n');
  const hints = (await check(text)).filter((f) => f.rule === 'suppression');
  assert.equal(hints.length, 1);
  assert.equal(applyEdits(text, hints[0].fixes[0].edits).text, freeWithoutStdlib(''));
});

test('unknown rules, unknown directives and missing reasons are hints; without a reason nothing is silenced', async () => {
  const unknown = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib,missing-stdlib-include a typo\n');
  const findings = await check(unknown);
  assert.deepEqual(where(findings, unknown), ['suppression@9']);
  assert.match(findings[0].message, /Unknown rule "missing-stdlib"/);

  const noReason = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include\n');
  const withoutReason = await check(noReason);
  assert.deepEqual(where(withoutReason, noReason), ['suppression@9', 'missing-stdlib-include@10']);
  assert.match(withoutReason[0].message, /needs a reason/);

  const verb = freeWithoutStdlib('\t//cgo-lint:disable missing-stdlib-include reason\n');
  const verbFindings = await check(verb);
  assert.deepEqual(where(verbFindings, verb), ['suppression@9', 'missing-stdlib-include@10']);
  assert.match(verbFindings[0].message, /Unknown directive "cgo-lint:disable"/);
});

test('a suppression of a rule turned off, or in a file the target does not build, is not reported as unused', async () => {
  const text = freeWithoutStdlib('\t//cgo-lint:ignore missing-stdlib-include reason\n');
  assert.deepEqual(await check(text, { 'missing-stdlib-include': 'off' }), []);
  const windowsOnly = '//go:build windows\n\npackage p\n\n//cgo-lint:ignore cgo-in-test reason\nvar x = 1\n';
  assert.deepEqual(await check(windowsOnly), []);
});

test('prose that mentions cgo-lint is not a directive', async () => {
  const text = freeWithoutStdlib('\t// run cgo-lint: it checks this\n');
  assert.deepEqual(where(await check(text), text), ['missing-stdlib-include@10']);
});

/** Writes the "Ignore here…" suppression of a finding with a reason, as the editor does. */
function ignoreHere(text: string, finding: Finding): string {
  assert.ok(finding.ignore, `${finding.rule} has no ignore insert`);
  return applyEdits(text, [{ start: finding.ignore.at, end: finding.ignore.at, newText: `${finding.ignore.before}checked by hand${finding.ignore.after}` }]).text;
}

test('"Ignore here" silences exactly its finding, in Go code, // and /* */ preambles, and on import "C"', async () => {
  const cases: { name?: string; text: string }[] = [
    { text: note('') },
    { text: freeWithoutStdlib('') },
    { text: 'package p\n\n/*\nThis wraps libfoo for Go.\n#include <stdio.h>\n*/\nimport "C"\n' },
    { text: 'package p\n\n/* This wraps libfoo.\n#include <stdio.h>\n*/\nimport "C"\n' },
    { text: 'package p\n\n// #include <stdio.h>\n// #cgo LDFLAG: -lm\nimport "C"\n' },
    { text: 'package p\n\nimport c "C"\n\nvar _ = c.int(0)\n' },
    { text: 'package p\n\nimport (\n\t"fmt"\n\tc "C"\n)\n\nvar _ = fmt.Sprint(c.int(0))\n' },
    { text: 'package p\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n' },
    { name: 'a_test.go', text: 'package p\n\nimport "testing"\nimport "C"\n\nfunc TestX(t *testing.T) { _ = C.int(0) }\n' },
    { name: 'a_test.go', text: 'package p\n\nimport "testing"\n\n// #include <stdio.h>\nimport "C"\n\nfunc TestX(t *testing.T) { _ = C.int(0) }\n' },
    // CRLF line ends: the new line ends the same way.
    { text: 'package p\r\n\r\n/*\r\nThis wraps libfoo for Go.\r\n#include <stdio.h>\r\n*/\r\nimport "C"\r\n' },
    { text: note('').replace(/\n/g, '\r\n') },
  ];
  for (const { name, text } of cases) {
    const before = await check(text, undefined, name);
    assert.ok(before.length > 0, text);
    for (const finding of before) {
      const suppressed = ignoreHere(text, finding);
      const after = await check(suppressed, undefined, name);
      const expected = where(before, text).filter((w) => w !== where([finding], text)[0]);
      const shifted = new LineIndex(text).lineOf(finding.start);
      // Lines below the new comment moved down by one.
      const moved = expected.map((w) => w.replace(/@(\d+)$/, (_, n: string) => `@${Number(n) - 1 >= shifted ? Number(n) + 1 : Number(n)}`));
      assert.deepEqual(where(after, suppressed), moved, `${finding.rule} in:\n${suppressed}`);
    }
  }
});

test('the C compiler accepts suppressions written in a // preamble and in a /* */ preamble', { skip: !requireGo('suppression') }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-suppression-'));
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/s\n\ngo 1.19\n');
  fs.writeFileSync(
    path.join(root, 'a.go'),
    'package main\n\n// // cgo-lint:ignore preamble-comment-bleed reason\n// /* cgo-lint:ignore preamble-comment-bleed reason */\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n',
  );
  fs.writeFileSync(path.join(root, 'b.go'), 'package main\n\n/*\n// cgo-lint:ignore preamble-comment-bleed reason\nstatic int two(void) { return 2; }\n*/\nimport "C"\n\nvar _ = C.two()\n');
  const result = spawnSync('go', ['build', '-o', os.devNull, '.'], { cwd: root, env: goEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});
