// Each rule on small sources: where it reports, and what its fixes turn the source into.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const dir = '/virtual/p';
const target = resolveTarget('linux', 'amd64', {});

async function check(files: Record<string, string>): Promise<Finding[]> {
  const engine = await testEngine();
  return engine.checkPackage(dir, Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text })), { target });
}

/** `rule@line` (1-based) of each finding, for compact expectations. */
function where(findings: Finding[], files: Record<string, string>): string[] {
  return findings.map((f) => {
    const name = f.file.slice(dir.length + 1);
    return `${f.rule}@${name}:${new LineIndex(files[name]).lineOf(f.start) + 1}`;
  });
}

function applyFix(text: string, finding: Finding, title?: string): string {
  const fix = title ? finding.fixes.find((f) => f.title === title) : finding.fixes.find((f) => f.preferred);
  assert.ok(fix, `no fix ${title ?? '(preferred)'} among ${finding.fixes.map((f) => f.title).join(', ')}`);
  return applyEdits(text, fix.edits).text;
}

const article = `package app

// NOTE: Do not use -Wall.
// #cgo CFLAGS: -g -O2 -I\${SRCDIR}/../c/
// #cgo LDFLAGS: \${SRCDIR}/../c/libapi.a
// #include <api.h>
// void initial_setup();
import "C"

func init() {
\tC.initial_setup()
}
`;

test('preamble-comment-bleed: the article\'s NOTE above the #cgo lines', async () => {
  const findings = await check({ 'app.go': article });
  // The article's other trap stays after the fix: go build does not notice when libapi.a changes.
  assert.deepEqual(where(findings, { 'app.go': article }), ['preamble-comment-bleed@app.go:3', 'stale-cgo-input@app.go:5']);
  const [bleed] = findings;
  assert.equal(article.slice(bleed.start, bleed.end), 'NOTE: Do not use -Wall.');
  assert.match(bleed.message, /passes every line .* to the C compiler/);
  assert.equal(applyFix(article, bleed), article.replace('// NOTE', '// // NOTE'));
  const moved = applyFix(article, bleed, 'Move the note above the preamble');
  assert.equal(moved, article.replace('// NOTE: Do not use -Wall.\n', '// NOTE: Do not use -Wall.\n\n'));
  const fixed = applyFix(article, bleed);
  assert.deepEqual(where(await check({ 'app.go': moved }), { 'app.go': moved }), ['stale-cgo-input@app.go:6']);
  assert.deepEqual(where(await check({ 'app.go': fixed }), { 'app.go': fixed }), ['stale-cgo-input@app.go:5']);
});

test('preamble-comment-bleed: prose in block comments, after includes, and decoration', async () => {
  const cases: { source: string; lines: number[]; fixed: string }[] = [
    {
      source: 'package p\n\n/*\nThis wraps libfoo for Go.\n#include <stdio.h>\n*/\nimport "C"\n',
      lines: [4],
      fixed: 'package p\n\n/*\n// This wraps libfoo for Go.\n#include <stdio.h>\n*/\nimport "C"\n',
    },
    {
      source: 'package p\n\n// #include <stdio.h>\n// Helpers below are static.\n// static int one(void) { return 1; }\nimport "C"\n',
      lines: [4],
      fixed: 'package p\n\n// #include <stdio.h>\n// // Helpers below are static.\n// static int one(void) { return 1; }\nimport "C"\n',
    },
    {
      source: 'package p\n\n/**\n * #include <stdio.h>\n */\nimport "C"\n',
      lines: [3, 4],
      fixed: 'package p\n\n/*\n #include <stdio.h>\n */\nimport "C"\n',
    },
  ];
  for (const c of cases) {
    let text = c.source;
    const findings = await check({ 'a.go': text });
    assert.deepEqual(where(findings, { 'a.go': text }), c.lines.map((l) => `preamble-comment-bleed@a.go:${l}`), c.source);
    // Apply preferred fixes one at a time, re-checking, as cgo-lint --fix does.
    for (let round = 0; round < 5; round++) {
      const [first] = await check({ 'a.go': text });
      if (!first) break;
      text = applyFix(text, first);
    }
    assert.equal(text, c.fixed);
  }
});

test('preamble-comment-bleed: ranges in a CRLF block comment end before the line break', async () => {
  const source = 'package p\r\n\r\n/*\r\nThis wraps libfoo.\r\n#include <stdio.h>\r\n*/\r\nimport "C"\r\n';
  const [finding] = await check({ 'a.go': source });
  assert.equal(source.slice(finding.start, finding.end), 'This wraps libfoo.');
  const directive = 'package p\r\n\r\n/*\r\n#cgo LDFLAGS -lm\r\n*/\r\nimport "C"\r\n';
  const [bad] = await check({ 'a.go': directive });
  assert.equal(directive.slice(bad.start, bad.end), '#cgo LDFLAGS -lm');
});

test('preamble-comment-bleed: valid C comments, #cgo lines and C are not reported', async () => {
  const sources = [
    'package p\n\n// // NOTE: Do not use -Wall.\n// /* a C comment */\n// #cgo CFLAGS: -O2\n// #include <stdio.h>\nimport "C"\n',
    'package p\n\n/*\n#include <stdio.h>\n#ifdef __linux__\nstatic int one(void) { return 1; }\n#else\nstatic int one(void) { return 2; }\n#endif\ntypedef struct { int a; } pair;\n*/\nimport "C"\n',
    'package p\n\n// struct rect { int w, h; };\n// enum color { RED, GREEN = 5 };\n// union u { int i; float f; };\nimport "C"\n',
    // A prose comment separated by a blank line is not the preamble.
    'package p\n\n// NOTE: Do not use -Wall.\n\n// #include <stdio.h>\nimport "C"\n',
  ];
  for (const source of sources) assert.deepEqual(await check({ 'a.go': source }), [], source);
});

test('preamble-detached: blank line, the article\'s cfuncs.go', async () => {
  const cfuncs = 'package app\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n';
  const findings = await check({ 'cfuncs.go': cfuncs });
  assert.deepEqual(where(findings, { 'cfuncs.go': cfuncs }), ['preamble-detached@cfuncs.go:3']);
  assert.match(findings[0].message, /blank line separates it from import "C"/);
  assert.equal(applyFix(cfuncs, findings[0]), 'package app\n\n/*\nvoid initial_setup(){}\n*/\nimport "C"\n');
  const crlf = cfuncs.replace(/\n/g, '\r\n');
  const [crlfFinding] = await check({ 'cfuncs.go': crlf });
  assert.equal(applyFix(crlf, crlfFinding), 'package app\r\n\r\n/*\r\nvoid initial_setup(){}\r\n*/\r\nimport "C"\r\n');
  const several = 'package app\n\n// #include <stdio.h>\n\n\n\nimport "C"\n';
  const [severalFinding] = await check({ 'a.go': several });
  assert.equal(applyFix(several, severalFinding), 'package app\n\n// #include <stdio.h>\nimport "C"\n');
});

test('preamble-detached: C cut off above a real preamble, #cgo-only comments included', async () => {
  const source = 'package p\n\n// #cgo LDFLAGS: -lm\n\n// #include <math.h>\nimport "C"\n';
  const findings = await check({ 'a.go': source });
  assert.deepEqual(where(findings, { 'a.go': source }), ['preamble-detached@a.go:3']);
  assert.match(findings[0].message, /separates it from the preamble below it/);
  assert.equal(applyFix(source, findings[0]), 'package p\n\n// #cgo LDFLAGS: -lm\n// #include <math.h>\nimport "C"\n');
});

test('preamble-detached: prose that starts with #cgo is no directive (Go\'s own runtime/testdata/testprogcgo)', async () => {
  const prose = 'package main\n\n// #cgo noescape annotations for a C function means its arguments won\'t escape to heap.\n\n/*\n#cgo noescape f\nvoid f(void *p) {}\n*/\nimport "C"\n\nfunc main() { C.f(nil) }\n';
  assert.deepEqual(where(await check({ 'a.go': prose }), { 'a.go': prose }), []);
  const cutOff = 'package main\n\n// #cgo LDFLAGS: -lm\n\n// #include <math.h>\nimport "C"\n';
  assert.deepEqual(where(await check({ 'a.go': cutOff }), { 'a.go': cutOff }), ['preamble-detached@a.go:3']);
});

test('preamble-detached: comment above a grouped import with two specs', async () => {
  const source = 'package p\n\n// #include <stdlib.h>\nimport (\n\t"C"\n\t"fmt"\n)\n\nvar _ = fmt.Sprint\n';
  const findings = await check({ 'a.go': source });
  assert.deepEqual(where(findings, { 'a.go': source }), ['preamble-detached@a.go:3']);
  assert.match(findings[0].message, /2 specs/);
  const fixed = applyFix(source, findings[0]);
  assert.equal(fixed, 'package p\n\n// #include <stdlib.h>\nimport "C"\n\nimport (\n\t"fmt"\n)\n\nvar _ = fmt.Sprint\n');
  assert.deepEqual(await check({ 'a.go': fixed }), []);
});

test('preamble-detached: prose above a blank line and real preambles are not reported', async () => {
  const sources = [
    'package p\n\n// Package p wraps the C library.\n\nimport "C"\n',
    'package p\n\nimport (\n\t"fmt"\n\n\t// #include <stdio.h>\n\t"C"\n)\n\nvar _ = fmt.Sprint\n',
    'package p\n\n// #include <stdio.h>\nimport (\n\t"C"\n)\n',
    'package p\n\nimport "fmt" // #include <stdio.h>\nimport "C"\n\nvar _ = fmt.Sprint\n',
  ];
  for (const source of sources) assert.deepEqual(await check({ 'a.go': source }), [], source);
});

test('invalid-cgo-directive: go/build\'s three errors, with its wording', async () => {
  const cases: { line: string; message: RegExp; fixed?: string; range: string }[] = [
    { line: '// #cgo LDFLAGS -lm', message: /invalid #cgo line: #cgo LDFLAGS -lm/, fixed: '// #cgo LDFLAGS: -lm', range: '#cgo LDFLAGS -lm' },
    { line: '// #cgo LDFLAG: -lm', message: /invalid #cgo verb: #cgo LDFLAG: -lm/, fixed: '// #cgo LDFLAGS: -lm', range: 'LDFLAG' },
    { line: '// #cgo cflags: -O2', message: /invalid #cgo verb/, fixed: '// #cgo CFLAGS: -O2', range: 'cflags' },
    { line: '// #cgo pkgconfig: foo', message: /invalid #cgo verb/, fixed: '// #cgo pkg-config: foo', range: 'pkgconfig' },
    { line: '// #cgo CFLAGS: -DA=a;b', message: /malformed #cgo argument: -DA=a;b/, range: '-DA=a;b' },
    { line: '// #cgo CFLAGS: "-DA', message: /invalid #cgo line/, range: '#cgo CFLAGS: "-DA' },
  ];
  for (const c of cases) {
    const source = `package p\n\n${c.line}\nimport "C"\n`;
    const findings = (await check({ 'a.go': source })).filter((f) => f.rule === 'invalid-cgo-directive');
    assert.equal(findings.length, 1, c.line);
    assert.match(findings[0].message, c.message);
    assert.equal(source.slice(findings[0].start, findings[0].end), c.range);
    if (c.fixed) assert.equal(applyFix(source, findings[0]), `package p\n\n${c.fixed}\nimport "C"\n`);
    else assert.deepEqual(findings[0].fixes, []);
  }
});

test('invalid-cgo-directive: what go/build skips is not reported', async () => {
  const sources = [
    'package p\n\n// #cgo windows LDFLAG: -lm\nimport "C"\n',
    'package p\n\n// #cgo windows CFLAGS: -DA=a;b\nimport "C"\n',
    'package p\n\n// #cgo CFLAGS: -I${SRCDIR}/inc -DNAME=caf\u00e9\nimport "C"\n',
  ];
  for (const source of sources) assert.deepEqual(await check({ 'a.go': source }), [], source);
  // The colon is checked before the condition: this fails on every target.
  const noColon = 'package p\n\n// #cgo windows LDFLAGS -lm\nimport "C"\n';
  assert.deepEqual(where(await check({ 'a.go': noColon }), { 'a.go': noColon }), ['invalid-cgo-directive@a.go:3']);
});

test('rename-import-c: named, blank and dot imports', async () => {
  const named = 'package p\n\n// #define ONE 1\n// typedef int myint;\nimport c "C"\n\nvar one = c.ONE\nvar x c.myint\n';
  const [finding] = await check({ 'a.go': named });
  assert.equal(finding.rule, 'rename-import-c');
  assert.match(finding.message, /cannot rename import "C"/);
  assert.equal(applyFix(named, finding), named.replace('import c "C"', 'import "C"').replace('c.ONE', 'C.ONE').replace('c.myint', 'C.myint'));
  const blank = 'package p\n\n// #define ONE 1\nimport _ "C"\n';
  const [blankFinding] = await check({ 'a.go': blank });
  assert.equal(applyFix(blank, blankFinding), blank.replace('_ "C"', '"C"'));
  const dot = 'package p\n\n// #define ONE 1\nimport . "C"\n\nvar one = ONE\n';
  const [dotFinding] = await check({ 'a.go': dot });
  assert.deepEqual(dotFinding.fixes, []);
  const shadowed = 'package p\n\nimport c "C"\n\nfunc f(c int) int { return c }\n';
  const [shadowFinding] = await check({ 'a.go': shadowed });
  assert.deepEqual(shadowFinding.fixes, []);
  assert.match(shadowFinding.message, /also declared/);
});

test('broken Go and odd input give no bogus findings and no crash', async () => {
  const sources = [
    'package p\n\n// #include <stdio.h>\nimport "C\n',
    'package p\n\nimport (\n\t"fmt"\n\t// #include <stdio.h>\n\t"C"\n',
    'package p\n\nfunc f() { x := "unterminated\n}\n',
    '',
    '\ufeff',
    'package p\n\n// #include <stdio.h>\nimport "C"\n\nfunc f() {\n',
    '\u0000\u0001\u0002 binary \uffff',
  ];
  for (const source of sources) {
    const findings = await check({ 'a.go': source });
    assert.deepEqual(findings.filter((f) => f.rule !== 'preamble-comment-bleed'), [], JSON.stringify(source));
  }
});
