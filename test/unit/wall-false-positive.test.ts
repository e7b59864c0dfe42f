// wall-false-positive: where it reports (the exact -Wall argument), with which severity, and
// what each fix turns the #cgo line into. The flag/call combinations were checked with
// go build -a (Go 1.19, gcc 12); see docs/rules/wall-false-positive.md. They hold up to Go
// 1.25: from Go 1.26 cgo's generated code has no unused _cgo_a, and the rule is silent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const dir = '/virtual/p';
const target = resolveTarget('linux', 'amd64', {}, 25);

type Files = Record<string, string>;

async function check(files: Files, on = target): Promise<Finding[]> {
  const engine = await testEngine();
  const findings = await engine.checkPackage(dir, Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text })), { target: on });
  return findings.filter((f) => f.rule === 'wall-false-positive');
}

/** `severity@file:line:text` of each finding. */
function where(findings: Finding[], files: Files): string[] {
  return findings.map((f) => {
    const name = f.file.slice(dir.length + 1);
    const text = files[name];
    return `${f.severity}@${name}:${new LineIndex(text).lineOf(f.start) + 1}:${text.slice(f.start, f.end)}`;
  });
}

/** Applies a finding's fix (the preferred one, or the one titled) to the files it edits. */
function applyFix(files: Files, finding: Finding, title?: string): Files {
  const fix = title ? finding.fixes.find((f) => f.title === title) : finding.fixes.find((f) => f.preferred);
  assert.ok(fix, `no fix ${title ?? '(preferred)'} among ${finding.fixes.map((f) => f.title).join(', ')}`);
  const out = { ...files };
  for (const name of Object.keys(files)) {
    const edits = fix.edits.filter((e) => e.file === `${dir}/${name}`);
    if (edits.length) out[name] = applyEdits(files[name], edits).text;
  }
  return out;
}

/** A one-file package: a #cgo line, C declarations, and a body for func F. */
function pkg(cgoLine: string, c: string, body: string): string {
  return `package p\n\n// ${cgoLine}\n// ${c}\nimport "C"\n\nfunc F() {\n\t${body}\n}\n`;
}

const voidVoid = 'static void f(void) {}';

const article = {
  'app.go': `package app

// #cgo CFLAGS: -Wall -g -O2 -I\${SRCDIR}/../c/
// #cgo LDFLAGS: \${SRCDIR}/../c/libapi.a
// void initial_setup();
import "C"

func init() {
\tC.initial_setup()
}
`,
  'cfuncs.go': `package app

/*
void initial_setup(){
    // Do some useful stuff.
}
*/
import "C"
`,
};

test("wall-false-positive: the article's -Wall and void initial_setup();", async () => {
  const findings = await check(article);
  assert.deepEqual(where(findings, article), ['warning@app.go:3:-Wall']);
  const [finding] = findings;
  assert.match(finding.message, /unused variable '_cgo_a' \[-Wunused-variable\]/);
  assert.match(finding.message, /initial_setup \(called at app\.go:9\)/);
  assert.deepEqual(finding.fixes.map((f) => [f.title, f.preferred]), [
    ['Add -Wno-unused-variable after -Wall', true],
    ['Remove -Wall', false],
  ]);
  const added = applyFix(article, finding);
  assert.equal(added['app.go'], article['app.go'].replace('-Wall -g', '-Wall -Wno-unused-variable -g'));
  assert.equal(added['cfuncs.go'], article['cfuncs.go']);
  assert.deepEqual(await check(added), []);
  const removed = applyFix(article, finding, 'Remove -Wall');
  assert.equal(removed['app.go'], article['app.go'].replace('-Wall -g', '-g'));
  assert.deepEqual(await check(removed), []);
});

test('wall-false-positive: severity, range and fixed line per flag combination', async () => {
  const cases: {
    name: string;
    source: string;
    /** `severity@line:text` of each finding; [] for none. */
    expect: string[];
    /** The #cgo line after the preferred fix (when there is one). */
    fixed?: string;
    message?: RegExp;
  }[] = [
    { name: '-Wall, void f(void)', source: pkg('#cgo CFLAGS: -Wall', voidVoid, 'C.f()'), expect: ['warning@3:-Wall'], fixed: '// #cgo CFLAGS: -Wall -Wno-unused-variable' },
    { name: 'unprototyped void f()', source: pkg('#cgo CFLAGS: -O2 -Wall', 'void f();', 'C.f()'), expect: ['warning@3:-Wall'], fixed: '// #cgo CFLAGS: -O2 -Wall -Wno-unused-variable' },
    { name: 'typedef void', source: pkg('#cgo CFLAGS: -Wall', 'typedef void V; V f(void);', 'C.f()'), expect: ['warning@3:-Wall'] },
    { name: 'two-value call form', source: pkg('#cgo CFLAGS: -Wall', voidVoid, '_, _ = C.f()'), expect: ['warning@3:-Wall'] },
    { name: 'deferred call', source: pkg('#cgo CFLAGS: -Wall', voidVoid, 'defer C.f()'), expect: ['warning@3:-Wall'] },
    {
      name: '-Wall -Werror',
      source: pkg('#cgo CFLAGS: -Wall -Werror', voidVoid, 'C.f()'),
      expect: ['error@3:-Wall'],
      fixed: '// #cgo CFLAGS: -Wall -Wno-unused-variable -Werror',
      message: /^go build fails: .*\[-Werror=unused-variable\]/,
    },
    { name: '-Werror -Wall', source: pkg('#cgo CFLAGS: -Werror -Wall', voidVoid, 'C.f()'), expect: ['error@3:-Wall'] },
    { name: '-Wall -Werror=unused-variable', source: pkg('#cgo CFLAGS: -Wall -Werror=unused-variable', voidVoid, 'C.f()'), expect: ['error@3:-Werror=unused-variable'], fixed: '// #cgo CFLAGS: -Wall' },
    { name: '-Werror=unused-variable wins over -Wno-error', source: pkg('#cgo CFLAGS: -Wall -Werror=unused-variable -Wno-error', voidVoid, 'C.f()'), expect: ['error@3:-Werror=unused-variable'] },
    { name: '-Wno-error=unused-variable wins over -Werror', source: pkg('#cgo CFLAGS: -Wall -Wno-error=unused-variable -Werror', voidVoid, 'C.f()'), expect: ['warning@3:-Wall'] },
    { name: '-Wall -Werror=unused', source: pkg('#cgo CFLAGS: -Wall -Werror=unused', voidVoid, 'C.f()'), expect: ['error@3:-Werror=unused'] },
    { name: '-Wall in CPPFLAGS', source: pkg('#cgo CPPFLAGS: -Wall', voidVoid, 'C.f()'), expect: ['warning@3:-Wall'], fixed: '// #cgo CPPFLAGS: -Wall -Wno-unused-variable' },
    { name: '-Wunused', source: pkg('#cgo CFLAGS: -Wunused', voidVoid, 'C.f()'), expect: ['warning@3:-Wunused'], fixed: '// #cgo CFLAGS: -Wunused -Wno-unused-variable' },
    { name: '-Wunused-variable: removed', source: pkg('#cgo CFLAGS: -g -Wunused-variable', voidVoid, 'C.f()'), expect: ['warning@3:-Wunused-variable'], fixed: '// #cgo CFLAGS: -g' },
    { name: '-Wall, then -Wunused-variable decides', source: pkg('#cgo CFLAGS: -Wall -Wunused-variable -Wno-unused', voidVoid, 'C.f()'), expect: ['warning@3:-Wunused-variable'] },
    { name: 'linux condition', source: pkg('#cgo linux CFLAGS: -Wall', voidVoid, 'C.f()'), expect: ['warning@3:-Wall'], fixed: '// #cgo linux CFLAGS: -Wall -Wno-unused-variable' },
    { name: 'quoted "-Wall"', source: pkg('#cgo CFLAGS: "-Wall" -g', voidVoid, 'C.f()'), expect: ['warning@3:"-Wall"'], fixed: '// #cgo CFLAGS: "-Wall" -Wno-unused-variable -g' },
    { name: 'int f(void): -Wall is fine', source: pkg('#cgo CFLAGS: -Wall', 'static int f(void) { return 1; }', 'C.f()'), expect: ['information@3:-Wall'], message: /^-Wall is fine here: / },
    { name: 'void f(int): -Wall is fine', source: pkg('#cgo CFLAGS: -Wall', 'static void f(int x) { (void)x; }', 'C.f(1)'), expect: ['information@3:-Wall'] },
    { name: 'abort from <stdlib.h>, void abort(void): counted', source: pkg('#cgo CFLAGS: -Wall -Werror', '#include <stdlib.h>', 'C.abort()'), expect: ['error@3:-Wall'], message: /: abort \(called at / },
    { name: 'rand from <stdlib.h> returns int: -Wall is fine', source: pkg('#cgo CFLAGS: -Wall -Werror', '#include <stdlib.h>', '_ = C.rand()'), expect: ['information@3:-Wall'], message: /fail the build \(-Werror\)/ },
    { name: 'no call at all', source: pkg('#cgo CFLAGS: -Wall', voidVoid, '_ = 0'), expect: ['information@3:-Wall'] },
    { name: 'windows condition', source: pkg('#cgo windows CFLAGS: -Wall', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wall -Wno-unused-variable', source: pkg('#cgo CFLAGS: -Wall -Wno-unused-variable', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wno-unused-variable -Wall', source: pkg('#cgo CFLAGS: -Wno-unused-variable -Wall', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wall -Wno-unused', source: pkg('#cgo CFLAGS: -Wall -Wno-unused', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wall -Wno-all', source: pkg('#cgo CFLAGS: -Wall -Wno-all', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wall -w', source: pkg('#cgo CFLAGS: -Wall -w', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wextra', source: pkg('#cgo CFLAGS: -Wextra', voidVoid, 'C.f()'), expect: [] },
    { name: '-Wall in CXXFLAGS', source: pkg('#cgo CXXFLAGS: -Wall', voidVoid, 'C.f()'), expect: [] },
  ];
  for (const c of cases) {
    const files = { 'a.go': c.source };
    const findings = await check(files);
    assert.deepEqual(where(findings, files), c.expect.map((e) => e.replace('@', '@a.go:')), c.name);
    if (c.message) assert.match(findings[0].message, c.message, c.name);
    const preferred = findings[0]?.fixes.find((f) => f.preferred);
    if (findings[0]?.severity === 'information') assert.equal(preferred, undefined, `${c.name}: no automatic fix for information`);
    if (c.fixed !== undefined) {
      const fixed = applyFix(files, findings[0])['a.go'];
      assert.equal(fixed.split('\n')[2], c.fixed, c.name);
      if (!/-Wall -Werror=unused-variable|-Wunused-variable -Wno-unused/.test(c.source)) assert.deepEqual(await check({ 'a.go': fixed }), [], `${c.name}: after the fix`);
    }
  }
});

test('wall-false-positive: a fix that needs two rounds (-Wall and -Werror=unused-variable)', async () => {
  let files: Files = { 'a.go': pkg('#cgo CFLAGS: -Wall -Werror=unused-variable', voidVoid, 'C.f()') };
  const lines: string[] = [];
  for (let round = 0; round < 5; round++) {
    const [first] = await check(files);
    if (!first) break;
    files = applyFix(files, first);
    lines.push(files['a.go'].split('\n')[2]);
  }
  assert.deepEqual(lines, ['// #cgo CFLAGS: -Wall', '// #cgo CFLAGS: -Wall -Wno-unused-variable']);
});

test('wall-false-positive: -Wall in one file, the calls in others', async () => {
  const files: Files = {
    'flags.go': 'package p\n\n// #cgo CFLAGS: -Wall\nimport "C"\n',
    'b.go': 'package p\n\n// void reset(void);\n// int count(void);\nimport "C"\n\nfunc B() int {\n\tC.reset()\n\treturn int(C.count())\n}\n',
    'c.go': 'package p\n\n/*\nvoid reset(void) {}\nint count(void) { return 0; }\nvoid init_c();\n*/\nimport "C"\n\nfunc init() {\n\tC.init_c()\n\tC.reset()\n}\n',
  };
  const findings = await check(files);
  assert.deepEqual(where(findings, files), ['warning@flags.go:3:-Wall']);
  assert.match(findings[0].message, /init_c \(called at c\.go:11\), reset \(called at b\.go:8, c\.go:12\)\. The flag applies to every file of the package\./);
  const fixed = applyFix(files, findings[0]);
  assert.equal(fixed['flags.go'], 'package p\n\n// #cgo CFLAGS: -Wall -Wno-unused-variable\nimport "C"\n');
  assert.deepEqual(await check(fixed), []);
});

test('wall-false-positive: -Wall in two files: one finding on each', async () => {
  const files: Files = {
    'a.go': pkg('#cgo CFLAGS: -Wall', voidVoid, 'C.f()'),
    'b.go': 'package p\n\n// #cgo CFLAGS: -O2 -Wall\nimport "C"\n',
  };
  assert.deepEqual(where(await check(files), files), ['warning@a.go:3:-Wall', 'warning@b.go:3:-Wall']);
  // Either fix alone settles the package: -Wno-unused-variable wins over -Wall whatever the order.
  const [first] = await check(files);
  assert.deepEqual(await check(applyFix(files, first)), []);
});

test('wall-false-positive: files the build does not use', async () => {
  const cases: { name: string; files: Files; expect: string[] }[] = [
    {
      name: 'the call is in a _test.go file',
      files: { 'a.go': pkg('#cgo CFLAGS: -Wall', 'void f(void);', '_ = 0'), 'a_test.go': 'package p\n\n// void f(void);\nimport "C"\n\nfunc g() { C.f() }\n' },
      expect: ['information@a.go:3:-Wall'],
    },
    {
      name: '-Wall in a _test.go file',
      files: { 'a.go': pkg('#cgo CFLAGS: -O2', voidVoid, 'C.f()'), 'a_test.go': 'package p\n\n// #cgo CFLAGS: -Wall\nimport "C"\n' },
      expect: [],
    },
    {
      name: '-Wall in a file for windows',
      files: { 'a.go': pkg('#cgo CFLAGS: -O2', voidVoid, 'C.f()'), 'w_windows.go': 'package p\n\n// #cgo CFLAGS: -Wall\nimport "C"\n' },
      expect: [],
    },
    {
      name: 'the call is in a file for windows',
      files: { 'a.go': pkg('#cgo CFLAGS: -Wall', 'void f(void);', '_ = 0'), 'b_windows.go': 'package p\n\n// void f(void);\nimport "C"\n\nfunc g() { C.f() }\n' },
      expect: ['information@a.go:3:-Wall'],
    },
    {
      name: 'after a bad #cgo line go/build stops reading the comment',
      files: { 'a.go': 'package p\n\n// #cgo LDFLAG: -lm\n// #cgo CFLAGS: -Wall\n// void f(void) {}\nimport "C"\n\nfunc F() { C.f() }\n' },
      expect: [],
    },
  ];
  for (const c of cases) assert.deepEqual(where(await check(c.files), c.files), c.expect, c.name);
});

test('wall-false-positive: ranges and removal in block comments, with CRLF and tabs', async () => {
  const source = 'package p\r\n\r\n/*\r\n#cgo CFLAGS:\t-Wall\r\nvoid f(void) {}\r\n*/\r\nimport "C"\r\n\r\nfunc F() { C.f() }\r\n';
  const files = { 'a.go': source };
  const findings = await check(files);
  assert.deepEqual(where(findings, files), ['warning@a.go:4:-Wall']);
  assert.equal(applyFix(files, findings[0])['a.go'], source.replace('\t-Wall\r\n', '\t-Wall -Wno-unused-variable\r\n'));
  assert.equal(applyFix(files, findings[0], 'Remove -Wall')['a.go'], source.replace('\t-Wall\r\n', '\r\n'));
  // Removal takes the space after the argument when there is one, else the one before.
  const removals: [string, string][] = [
    ['#cgo CFLAGS: -Wall -g', '// #cgo CFLAGS: -g'],
    ['#cgo CFLAGS: -g -Wall', '// #cgo CFLAGS: -g'],
    ['#cgo CFLAGS: -Wall', '// #cgo CFLAGS:'],
  ];
  for (const [cgo, want] of removals) {
    const one = { 'a.go': pkg(cgo, voidVoid, 'C.f()') };
    const [finding] = await check(one);
    assert.equal(applyFix(one, finding, 'Remove -Wall')['a.go'].split('\n')[2], want, cgo);
  }
});

test('wall-false-positive: non-ASCII text before the argument', async () => {
  const source = 'package p\n\n// #cgo CFLAGS: -DNAME=é𝄞 -Wall\n// void f(void);\nimport "C"\n\nfunc F() { C.f() }\n';
  const files = { 'a.go': source };
  const findings = await check(files);
  assert.deepEqual(where(findings, files), ['warning@a.go:3:-Wall']);
  assert.equal(applyFix(files, findings[0])['a.go'], source.replace('-Wall', '-Wall -Wno-unused-variable'));
});

test('wall-false-positive: calls written with comments between their tokens count; a file whose calls all pass arguments is not parsed', async () => {
  const spaced = { 'a.go': pkg('#cgo CFLAGS: -Wall', voidVoid, 'C /* the package */ . f ( /* nothing */ )') };
  assert.deepEqual(where(await check(spaced), spaced), ['warning@a.go:3:-Wall']);

  const engine = await testEngine();
  const text = pkg('#cgo CFLAGS: -Wall', 'static int g(int x) { return x; }', '_ = C.g(C.int(1))');
  let parses = 0;
  const tree = () => {
    parses++;
    return engine.parseGo(text);
  };
  const findings = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text, tree }], { target }).filter((f) => f.rule === 'wall-false-positive');
  // No call can trigger the warning: the finding is the information one, and no Go parse was needed.
  assert.deepEqual(findings.map((f) => f.severity), ['information']);
  assert.equal(parses, 0);
});

test('wall-false-positive: silent from Go 1.26, whose generated code declares _cgo_a only where it is used', async () => {
  const files = { 'a.go': pkg('#cgo CFLAGS: -Wall -Werror', voidVoid, 'C.f()') };
  assert.equal((await check(files)).length, 1);
  assert.deepEqual(await check(files, resolveTarget('linux', 'amd64', {}, 26)), []);
  assert.deepEqual(await check(files, resolveTarget('linux', 'amd64', {}, 27)), []);
});
