// fixProblem, the one check every fix passes before the editor or cgo-lint sees it, and the
// engine dropping (and reporting) the fixes it refuses; a package whose parse is abandoned is
// named in cgo-lint's output.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits, fixProblem } from '../../server/src/cgo/edits';
import type { Fix, TextEdit } from '../../server/src/cgo/findings';
import { Engine } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import type { Rule } from '../../server/src/cgo/rule';
import { resolveTarget } from '../../server/src/cgo/target';
import { checkJob, EngineOnDemand } from '../../server/src/packageChecks';
import { testEngine } from '../support/engine';
import { rules } from '../../server/src/rules';

const target = resolveTarget('linux', 'amd64', {});
const file = '/virtual/p/a.go';

function fix(edits: Omit<TextEdit, 'file'>[], newFiles?: string[]): Fix {
  return { title: 't', preferred: true, edits: edits.map((e) => ({ file, ...e })), ...(newFiles ? { newFiles } : {}) };
}

function problem(text: string, edits: Omit<TextEdit, 'file'>[]): string | undefined {
  return fixProblem(fix(edits), (f) => (f === file ? text : undefined));
}

test('fixProblem refuses inverted, outside and overlapping edits, and accepts what is sound', () => {
  const text = 'package p\n\n/* int one(void) { return 1; } */ import "C"\n';
  assert.match(problem(text, [{ start: 46, end: 45, newText: '' }]) ?? '', /starts after its end/);
  assert.match(problem(text, [{ start: 0, end: text.length + 1, newText: '' }]) ?? '', /outside the text/);
  assert.match(problem(text, [{ start: -1, end: 0, newText: '' }]) ?? '', /outside the text/);
  assert.match(problem(text, [{ start: 1.5, end: 2, newText: '' }]) ?? '', /outside the text/);
  assert.match(problem(text, [{ start: 0, end: 5, newText: '' }, { start: 4, end: 6, newText: '' }]) ?? '', /overlap/);
  // Two insertions at one offset: which goes first is not defined.
  assert.match(problem(text, [{ start: 3, end: 3, newText: 'a' }, { start: 3, end: 3, newText: 'b' }]) ?? '', /overlap/);
  assert.equal(problem(text, [{ start: 0, end: 3, newText: 'x' }, { start: 3, end: 3, newText: 'y' }, { start: 3, end: 5, newText: '' }]), undefined);
  assert.match(fixProblem(fix([{ start: 0, end: 0, newText: 'x' }]), () => undefined) ?? '', /text is unknown/);
  // A file the fix creates is empty.
  assert.equal(fixProblem({ ...fix([]), newFiles: ['/virtual/p/new.go'], edits: [{ file: '/virtual/p/new.go', start: 0, end: 0, newText: 'package p\n' }] }, () => undefined), undefined);
});

test('fixProblem keeps CRLF whole: no edit splits a pair or brings the other kind of line break', () => {
  const crlf = 'package p\r\n\r\n/*\r\nint x;\r\n*/\r\nimport "C"\r\n';
  assert.match(problem(crlf, [{ start: 10, end: 10, newText: 'x' }]) ?? '', /splits a CRLF/);
  assert.match(problem(crlf, [{ start: 9, end: 11, newText: '\n' }]) ?? '', /LF line breaks into a CRLF text/);
  assert.equal(problem(crlf, [{ start: 9, end: 11, newText: '\r\n' }]), undefined);
  assert.match(problem('package p\n', [{ start: 9, end: 9, newText: '\r\n' }]) ?? '', /CRLF line breaks into an LF text/);
});

test('fixProblem keeps line continuations: no // on a line ending in a backslash, nothing inserted into a continued line', () => {
  const text = 'package p\n\n// NOTE: prose \\\n// #define X 1 \\\n//   + 2\nimport "C"\n';
  const prose = text.indexOf('NOTE');
  assert.match(problem(text, [{ start: prose, end: prose, newText: '// ' }]) ?? '', /line ending in a backslash/);
  // Trailing blanks after the backslash: gcc still joins the lines.
  const blanks = text.replace('prose \\', 'prose \\  ');
  assert.match(problem(blanks, [{ start: prose, end: prose, newText: '// ' }]) ?? '', /line ending in a backslash/);
  const continuedLine = text.indexOf('+ 2');
  assert.match(problem(text, [{ start: continuedLine, end: continuedLine, newText: '// ' }]) ?? '', /line continued from the line above/);
  const lineStart = text.indexOf('//   + 2');
  assert.match(problem(text, [{ start: lineStart, end: lineStart, newText: '// #include <stdlib.h>\n' }]) ?? '', /line continued from the line above/);
  // The same edits where no line is continued are sound.
  const plain = text.replace(/ \\\n/g, '\n');
  const plainProse = plain.indexOf('NOTE');
  assert.equal(problem(plain, [{ start: plainProse, end: plainProse, newText: '// ' }]), undefined);
  const include = plain.indexOf('import');
  assert.equal(problem(plain, [{ start: include, end: include, newText: '// #include <stdlib.h>\n' }]), undefined);
});

test('applyEdits throws on an edit that does not fit the text instead of writing it', () => {
  assert.throws(() => applyEdits('abc', [{ start: 2, end: 1, newText: '' }]), RangeError);
  assert.throws(() => applyEdits('abc', [{ start: 0, end: 4, newText: '' }]), RangeError);
  assert.equal(applyEdits('abc', [{ start: 1, end: 2, newText: 'X' }]).text, 'aXc');
});

test('a rule that offers a broken fix: the engine drops that fix, keeps the finding and its sound fixes, and reports the bug', async () => {
  // A rule written for this test, handed to the engine alone, as the registry is in the server.
  const text = 'package main\n\n// int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n';
  const at = text.indexOf('import');
  const buggy: Rule = {
    id: 'buggy-rule',
    defaultSeverity: 'warning',
    summary: 'offers an inverted edit and a sound one',
    check: ({ pkg }) =>
      pkg.files.map((f) => ({
        file: f.path,
        start: at,
        end: at + 'import'.length,
        message: 'a finding',
        fixes: [
          { title: 'Inverted', preferred: true, edits: [{ file: f.path, start: at + 6, end: at, newText: '' }] },
          { title: 'Sound', preferred: false, edits: [{ file: f.path, start: at, end: at, newText: '\n' }] },
        ],
      })),
  };
  const engine = new Engine(await loadGrammars(defaultGrammarDir(__dirname)), [buggy]);
  try {
    const bugs: string[] = [];
    const findings = engine.checkPackage('/virtual/p', [{ path: file, text }], { target, onInvalidFix: (message) => bugs.push(message) });
    assert.deepEqual(findings.map((f) => [f.rule, f.message, f.fixes.map((x) => x.title)]), [['buggy-rule', 'a finding', ['Sound']]]);
    assert.equal(bugs.length, 1);
    assert.match(bugs[0], /^bug: buggy-rule offered the fix "Inverted", dropped: /);
  } finally {
    engine.dispose();
  }
});

test('a prose line ending in a backslash gets a /* */ fix that fixProblem accepts, never a // one', async () => {
  const engine = await testEngine();
  const text = 'package main\n\n// NOTE: keep in sync with the C side \\\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n';
  const bugs: string[] = [];
  const findings = engine.checkPackage('/virtual/p', [{ path: file, text }], { target, onInvalidFix: (message) => bugs.push(message) });
  const bleed = findings.find((f) => f.rule === 'preamble-comment-bleed');
  assert.ok(bleed);
  const comment = bleed.fixes.find((f) => f.title === 'Turn into a C comment');
  assert.ok(comment);
  assert.deepEqual(comment.edits.map((edit) => edit.newText), ['/* ', ' */']);
  assert.deepEqual(bugs, []);
});

test('every fix the rules offer on the fixtures passes fixProblem, with LF and with CRLF line breaks', async () => {
  const engine = await testEngine();
  const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
  const bugs: string[] = [];
  let fixes = 0;
  const visit = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const goFiles = entries.filter((e) => e.isFile() && e.name.endsWith('.go'));
    if (goFiles.length > 0) {
      for (const eol of ['\n', '\r\n']) {
        const sources = goFiles.map((e) => ({ path: path.join(dir, e.name), text: fs.readFileSync(path.join(dir, e.name), 'utf8').replace(/\r?\n/g, eol) }));
        const findings = engine.checkPackage(dir, sources, { target, onInvalidFix: (message) => bugs.push(`${path.relative(fixtures, dir)} (${JSON.stringify(eol)}): ${message}`) });
        fixes += findings.reduce((n, f) => n + f.fixes.length, 0);
      }
    }
    for (const e of entries) if (e.isDirectory()) visit(path.join(dir, e.name));
  };
  visit(fixtures);
  assert.deepEqual(bugs, []);
  assert.ok(fixes > 50, `only ${fixes} fixes offered: the fixtures were not read`);
});

test('cgo-lint names a package whose parse was abandoned: it is not checked, and not passed off as clean', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-timeout-'));
  const big = path.join(dir, 'a.go');
  fs.writeFileSync(big, `package p\n\n// void f(void);\nimport c "C"\n\n${'func g() { c.f() }\n'.repeat(20_000)}`);
  const engines = new EngineOnDemand(rules, 0);
  try {
    const checked = await checkJob(engines, { dir, shownAs: new Map([[big, 'p/a.go']]), only: undefined }, { goos: 'linux', goarch: 'amd64', goVersion: '1.26', severities: {} });
    assert.deepEqual(checked.findings, []);
    assert.deepEqual(checked.warnings, ['p/a.go: parsing took longer than 0 ms and was abandoned; the package is not checked']);
  } finally {
    await engines.dispose();
  }
});
