// wall-false-positive: where it reports (the exact -Wall argument), with which severity, and
// what each fix turns the #cgo line into. The flag/call combinations were checked with
// go build -a (Go 1.19, gcc 12); see docs/rules/wall-false-positive.md. They hold up to Go
// 1.25: from Go 1.26 cgo's generated code has no unused _cgo_a, and the rule is silent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../server/src/cgo/engine';
import { resolveTarget } from '../../server/src/cgo/target';
import { wallFalsePositive as rule } from '../../server/src/rules/wall-false-positive';
import { testEngine } from '../support/engine';
import { ruleTester, type Files, type InvalidCase, type PackageCase } from '../support/ruleTester';

const target = resolveTarget('linux', 'amd64', {}, 25);
const invalid = (...cases: InvalidCase[]) => ruleTester.run(rule, { invalid: cases.map((c) => ({ target, ...c })) });
const valid = (...cases: PackageCase[]) => ruleTester.run(rule, { valid: cases.map((c) => ({ target, ...c })) });

/** The text with its third line (the #cgo line of pkg()) replaced. */
const withLine3 = (text: string, line: string): string => text.split('\n').map((l, i) => (i === 2 ? line : l)).join('\n');

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
  await invalid({
    name: 'the article',
    files: article,
    errors: [
      {
        at: 'warning@app.go:3:-Wall',
        message: /unused variable '_cgo_a' \[-Wunused-variable\][\s\S]*initial_setup \(called at app\.go:9\)|initial_setup \(called at app\.go:9\)[\s\S]*unused variable '_cgo_a' \[-Wunused-variable\]/,
        fixes: ['Add -Wno-unused-variable after -Wall', 'Remove -Wall'],
        preferredFix: 'Add -Wno-unused-variable after -Wall',
        applying: { output: { 'app.go': article['app.go'].replace('-Wall -g', '-Wall -Wno-unused-variable -g') } },
      },
    ],
    output: { 'app.go': article['app.go'].replace('-Wall -g', '-Wall -Wno-unused-variable -g') },
  });
  await invalid({ name: 'the article, -Wall removed', files: article, errors: [{ at: 'warning@app.go:3:-Wall', applying: { title: 'Remove -Wall', output: { 'app.go': article['app.go'].replace('-Wall -g', '-g') } } }] });
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
  const at = (e: string): string => e.replace('@', '@a.go:');
  await valid(...cases.filter((c) => c.expect.length === 0).map((c) => ({ name: c.name, files: { 'a.go': c.source } })));
  await invalid(
    ...cases
      .filter((c) => c.expect.length > 0)
      .map((c) => ({
        name: c.name,
        files: { 'a.go': c.source },
        errors: c.expect.map((e, i) => ({
          at: at(e),
          ...(i === 0 && c.message ? { message: c.message } : {}),
          // No automatic fix for information.
          ...(e.startsWith('information@') ? { preferredFix: null } : {}),
          ...(i === 0 && c.fixed !== undefined
            ? // Fixing -Werror=unused-variable leaves the -Wall warning for the next round.
              { applying: { output: { 'a.go': withLine3(c.source, c.fixed) }, left: /-Wall -Werror=unused-variable/.test(c.source) ? ['warning@a.go:3:-Wall'] : [] } }
            : {}),
        })),
      })),
  );
});

test('wall-false-positive: a fix that needs two rounds (-Wall and -Werror=unused-variable)', async () => {
  const source = pkg('#cgo CFLAGS: -Wall -Werror=unused-variable', voidVoid, 'C.f()');
  await invalid({
    name: 'two rounds',
    files: { 'a.go': source },
    errors: [{ at: 'error@a.go:3:-Werror=unused-variable', applying: { output: { 'a.go': withLine3(source, '// #cgo CFLAGS: -Wall') }, left: ['warning@a.go:3:-Wall'] } }],
    output: { 'a.go': withLine3(source, '// #cgo CFLAGS: -Wall -Wno-unused-variable') },
  });
});

test('wall-false-positive: -Wall in one file, the calls in others', async () => {
  const files: Files = {
    'flags.go': 'package p\n\n// #cgo CFLAGS: -Wall\nimport "C"\n',
    'b.go': 'package p\n\n// void reset(void);\n// int count(void);\nimport "C"\n\nfunc B() int {\n\tC.reset()\n\treturn int(C.count())\n}\n',
    'c.go': 'package p\n\n/*\nvoid reset(void) {}\nint count(void) { return 0; }\nvoid init_c();\n*/\nimport "C"\n\nfunc init() {\n\tC.init_c()\n\tC.reset()\n}\n',
  };
  await invalid({
    name: 'calls in other files',
    files,
    errors: [
      {
        at: 'warning@flags.go:3:-Wall',
        message: /init_c \(called at c\.go:11\), reset \(called at b\.go:8, c\.go:12\)\. The flag applies to every file of the package\./,
        applying: { output: { 'flags.go': 'package p\n\n// #cgo CFLAGS: -Wall -Wno-unused-variable\nimport "C"\n' } },
      },
    ],
  });
});

test('wall-false-positive: -Wall in two files: one finding on each', async () => {
  const files: Files = {
    'a.go': pkg('#cgo CFLAGS: -Wall', voidVoid, 'C.f()'),
    'b.go': 'package p\n\n// #cgo CFLAGS: -O2 -Wall\nimport "C"\n',
  };
  // Either fix alone settles the package: -Wno-unused-variable wins over -Wall whatever the order.
  const settled = (name: string) => ({ [name]: files[name].replace('-Wall', '-Wall -Wno-unused-variable') });
  await invalid({ name: 'two files', files, errors: [{ at: 'warning@a.go:3:-Wall', applying: { output: settled('a.go') } }, { at: 'warning@b.go:3:-Wall', applying: { output: settled('b.go') } }] });
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
  await valid(...cases.filter((c) => c.expect.length === 0));
  await invalid(...cases.filter((c) => c.expect.length > 0).map((c) => ({ name: c.name, files: c.files, errors: c.expect })));
});

test('wall-false-positive: ranges and removal in block comments, with CRLF and tabs', async () => {
  const source = 'package p\r\n\r\n/*\r\n#cgo CFLAGS:\t-Wall\r\nvoid f(void) {}\r\n*/\r\nimport "C"\r\n\r\nfunc F() { C.f() }\r\n';
  await invalid(
    { name: 'block comment, added', files: { 'a.go': source }, errors: [{ at: 'warning@a.go:4:-Wall', applying: { output: { 'a.go': source.replace('\t-Wall\r\n', '\t-Wall -Wno-unused-variable\r\n') } } }] },
    { name: 'block comment, removed', files: { 'a.go': source }, errors: [{ at: 'warning@a.go:4:-Wall', applying: { title: 'Remove -Wall', output: { 'a.go': source.replace('\t-Wall\r\n', '\r\n') } } }] },
  );
  // Removal takes the space after the argument when there is one, else the one before.
  const removals: [string, string][] = [
    ['#cgo CFLAGS: -Wall -g', '// #cgo CFLAGS: -g'],
    ['#cgo CFLAGS: -g -Wall', '// #cgo CFLAGS: -g'],
    ['#cgo CFLAGS: -Wall', '// #cgo CFLAGS:'],
  ];
  await invalid(
    ...removals.map(([cgo, want]) => {
      const source = pkg(cgo, voidVoid, 'C.f()');
      return { name: cgo, files: { 'a.go': source }, errors: [{ at: 'warning@a.go:3:-Wall', applying: { title: 'Remove -Wall', output: { 'a.go': withLine3(source, want) } } }] };
    }),
  );
});

test('wall-false-positive: non-ASCII text before the argument', async () => {
  const source = 'package p\n\n// #cgo CFLAGS: -DNAME=é𝄞 -Wall\n// void f(void);\nimport "C"\n\nfunc F() { C.f() }\n';
  await invalid({ name: 'non-ASCII', files: { 'a.go': source }, errors: [{ at: 'warning@a.go:3:-Wall', applying: { output: { 'a.go': source.replace('-Wall', '-Wall -Wno-unused-variable') } } }] });
});

test('wall-false-positive: calls written with comments between their tokens count; a file whose calls all pass arguments is not parsed', async () => {
  const spaced = { 'a.go': pkg('#cgo CFLAGS: -Wall', voidVoid, 'C /* the package */ . f ( /* nothing */ )') };
  await invalid({ name: 'comments between tokens', files: spaced, errors: ['warning@a.go:3:-Wall'] });

  // Counting the parses needs the tree hook of the engine itself.
  const engine = new Engine(grammarsOf(await testEngine()), [rule]);
  const text = pkg('#cgo CFLAGS: -Wall', 'static int g(int x) { return x; }', '_ = C.g(C.int(1))');
  let parses = 0;
  const tree = () => {
    parses++;
    return engine.parseGo(text);
  };
  try {
    const findings = engine.checkPackage('/virtual/p', [{ path: '/virtual/p/a.go', text, tree }], { target }).filter((f) => f.rule === rule.id);
    // No call can trigger the warning: the finding is the information one, and no Go parse was needed.
    assert.deepEqual(findings.map((f) => f.severity), ['information']);
    assert.equal(parses, 0);
  } finally {
    engine.dispose();
  }
});

function grammarsOf(engine: Engine) {
  return { go: engine.goParser.language!, c: engine.cParser.language! };
}

test('wall-false-positive: silent from Go 1.26, whose generated code declares _cgo_a only where it is used', async () => {
  const files = { 'a.go': pkg('#cgo CFLAGS: -Wall -Werror', voidVoid, 'C.f()') };
  await invalid({ name: 'Go 1.25', files, errors: ['error@a.go:3:-Wall'] });
  await valid({ name: 'Go 1.26', files, target: resolveTarget('linux', 'amd64', {}, 26) }, { name: 'Go 1.27', files, target: resolveTarget('linux', 'amd64', {}, 27) });
});
