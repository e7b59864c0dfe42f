// Each rule on small sources: where it reports, and what its fixes turn the source into.
import { test } from 'node:test';
import { rules } from '../../server/src/rules';
import { invalidCgoDirective } from '../../server/src/rules/invalid-cgo-directive';
import { preambleCommentBleed } from '../../server/src/rules/preamble-comment-bleed';
import { preambleDetached } from '../../server/src/rules/preamble-detached';
import { renameImportC } from '../../server/src/rules/rename-import-c';
import { ruleTester, type InvalidCase, type PackageCase } from '../support/ruleTester';

const one = (source: string, name = 'a.go'): PackageCase => ({ name: JSON.stringify(source), files: { [name]: source } });

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
  const moved = article.replace('// NOTE: Do not use -Wall.\n', '// NOTE: Do not use -Wall.\n\n');
  const commented = article.replace('// NOTE', '// // NOTE');
  const at = 'app.go:3:NOTE: Do not use -Wall.';
  await ruleTester.run(preambleCommentBleed, {
    invalid: [
      { ...one(article, 'app.go'), errors: [{ at, message: /passes every line .* to the C compiler/, applying: { output: { 'app.go': commented } } }] },
      { ...one(article, 'app.go'), errors: [{ at, applying: { title: 'Move the note above the preamble', output: { 'app.go': moved } } }] },
    ],
  });
  await ruleTester.silent(rules, [one(article, 'app.go')], preambleCommentBleed);
  // Either way, no rule has anything left to say.
  await ruleTester.silent(rules, [one(moved, 'app.go'), one(commented, 'app.go')]);
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
  await ruleTester.run(preambleCommentBleed, { invalid: cases.map((c) => ({ ...one(c.source), errors: c.lines.map((l) => `a.go:${l}`), output: { 'a.go': c.fixed } })) });
});

test('preamble-comment-bleed: ranges in a CRLF block comment end before the line break', async () => {
  const source = 'package p\r\n\r\n/*\r\nThis wraps libfoo.\r\n#include <stdio.h>\r\n*/\r\nimport "C"\r\n';
  await ruleTester.run(preambleCommentBleed, { invalid: [{ ...one(source), errors: ['a.go:4:This wraps libfoo.'] }] });
  const directive = 'package p\r\n\r\n/*\r\n#cgo LDFLAGS -lm\r\n*/\r\nimport "C"\r\n';
  await ruleTester.run(invalidCgoDirective, { invalid: [{ ...one(directive), errors: ['a.go:4:#cgo LDFLAGS -lm'] }] });
});

test('preamble-comment-bleed: valid C comments, #cgo lines and C are not reported', async () => {
  const sources = [
    'package p\n\n// // NOTE: Do not use -Wall.\n// /* a C comment */\n// #cgo CFLAGS: -O2\n// #include <stdio.h>\nimport "C"\n',
    'package p\n\n/*\n#include <stdio.h>\n#ifdef __linux__\nstatic int one(void) { return 1; }\n#else\nstatic int one(void) { return 2; }\n#endif\ntypedef struct { int a; } pair;\n*/\nimport "C"\n',
    'package p\n\n// struct rect { int w, h; };\n// enum color { RED, GREEN = 5 };\n// union u { int i; float f; };\nimport "C"\n',
    // A prose comment separated by a blank line is not the preamble.
    'package p\n\n// NOTE: Do not use -Wall.\n\n// #include <stdio.h>\nimport "C"\n',
  ];
  await ruleTester.silent(rules, sources.map((source) => one(source)));
});

test('preamble-detached: blank line, the article\'s cfuncs.go', async () => {
  const cfuncs = 'package app\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n';
  const crlf = cfuncs.replace(/\n/g, '\r\n');
  const several = 'package app\n\n// #include <stdio.h>\n\n\n\nimport "C"\n';
  await ruleTester.run(preambleDetached, {
    invalid: [
      {
        ...one(cfuncs, 'cfuncs.go'),
        errors: [{ at: 'cfuncs.go:3', message: /blank line separates it from import "C"/, applying: { output: { 'cfuncs.go': 'package app\n\n/*\nvoid initial_setup(){}\n*/\nimport "C"\n' } } }],
      },
      { ...one(crlf, 'cfuncs.go'), errors: [{ at: 'cfuncs.go:3', applying: { output: { 'cfuncs.go': 'package app\r\n\r\n/*\r\nvoid initial_setup(){}\r\n*/\r\nimport "C"\r\n' } } }] },
      { ...one(several), errors: [{ at: 'a.go:3', applying: { output: { 'a.go': 'package app\n\n// #include <stdio.h>\nimport "C"\n' } } }] },
    ],
  });
  await ruleTester.silent(rules, [one(cfuncs, 'cfuncs.go')], preambleDetached);
});

test('preamble-detached: C cut off above a real preamble, #cgo-only comments included', async () => {
  const source = 'package p\n\n// #cgo LDFLAGS: -lm\n\n// #include <math.h>\nimport "C"\n';
  await ruleTester.run(preambleDetached, {
    invalid: [{ ...one(source), errors: [{ at: 'a.go:3', message: /separates it from the preamble below it/, applying: { output: { 'a.go': 'package p\n\n// #cgo LDFLAGS: -lm\n// #include <math.h>\nimport "C"\n' } } }] }],
  });
  await ruleTester.silent(rules, [one(source)], preambleDetached);
});

test('preamble-detached: prose that starts with #cgo is no directive (Go\'s own runtime/testdata/testprogcgo)', async () => {
  const prose = 'package main\n\n// #cgo noescape annotations for a C function means its arguments won\'t escape to heap.\n\n/*\n#cgo noescape f\nvoid f(void *p) {}\n*/\nimport "C"\n\nfunc main() { C.f(nil) }\n';
  await ruleTester.silent(rules, [one(prose)]);
  const cutOff = 'package main\n\n// #cgo LDFLAGS: -lm\n\n// #include <math.h>\nimport "C"\n';
  await ruleTester.run(preambleDetached, { invalid: [{ ...one(cutOff), errors: ['a.go:3'] }] });
  // No other rule reports the cut-off comment.
  await ruleTester.silent(rules, [one(cutOff)], preambleDetached);
});

test('preamble-detached: comment above a grouped import with two specs', async () => {
  const source = 'package p\n\n// #include <stdlib.h>\nimport (\n\t"C"\n\t"fmt"\n)\n\nvar _ = fmt.Sprint\n';
  const fixed = 'package p\n\n// #include <stdlib.h>\nimport "C"\n\nimport (\n\t"fmt"\n)\n\nvar _ = fmt.Sprint\n';
  await ruleTester.run(preambleDetached, { invalid: [{ ...one(source), errors: [{ at: 'a.go:3', message: /2 specs/, applying: { output: { 'a.go': fixed } } }] }] });
  await ruleTester.silent(rules, [one(source)], preambleDetached);
  await ruleTester.silent(rules, [one(fixed)]);
});

test('preamble-detached: prose above a blank line and real preambles are not reported', async () => {
  const sources = [
    'package p\n\n// Package p wraps the C library.\n\nimport "C"\n',
    'package p\n\nimport (\n\t"fmt"\n\n\t// #include <stdio.h>\n\t"C"\n)\n\nvar _ = fmt.Sprint\n',
    'package p\n\n// #include <stdio.h>\nimport (\n\t"C"\n)\n',
    'package p\n\nimport "fmt" // #include <stdio.h>\nimport "C"\n\nvar _ = fmt.Sprint\n',
  ];
  await ruleTester.silent(rules, sources.map((source) => one(source)));
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
  await ruleTester.run(invalidCgoDirective, {
    invalid: cases.map((c): InvalidCase => ({
      ...one(`package p\n\n${c.line}\nimport "C"\n`),
      errors: [{ at: `a.go:3:${c.range}`, message: c.message, ...(c.fixed ? { applying: { output: { 'a.go': `package p\n\n${c.fixed}\nimport "C"\n` } } } : { fixes: [] }) }],
    })),
  });
});

test('invalid-cgo-directive: what go/build skips is not reported', async () => {
  const sources = [
    'package p\n\n// #cgo windows LDFLAG: -lm\nimport "C"\n',
    'package p\n\n// #cgo windows CFLAGS: -DA=a;b\nimport "C"\n',
    'package p\n\n// #cgo CFLAGS: -I${SRCDIR}/inc -DNAME=caf\u00e9\nimport "C"\n',
  ];
  await ruleTester.silent(rules, sources.map((source) => one(source)));
  // The colon is checked before the condition: this fails on every target.
  const noColon = 'package p\n\n// #cgo windows LDFLAGS -lm\nimport "C"\n';
  await ruleTester.run(invalidCgoDirective, { invalid: [{ ...one(noColon), errors: ['a.go:3'] }] });
  await ruleTester.silent(rules, [one(noColon)], invalidCgoDirective);
});

test('rename-import-c: named, blank and dot imports', async () => {
  const named = 'package p\n\n// #define ONE 1\n// typedef int myint;\nimport c "C"\n\nvar one = c.ONE\nvar x c.myint\n';
  const blank = 'package p\n\n// #define ONE 1\nimport _ "C"\n';
  const dot = 'package p\n\n// #define ONE 1\nimport . "C"\n\nvar one = ONE\n';
  const shadowed = 'package p\n\nimport c "C"\n\nfunc f(c int) int { return c }\n';
  await ruleTester.run(renameImportC, {
    invalid: [
      {
        ...one(named),
        errors: [{ at: 'a.go:5', message: /cannot rename import "C"/, applying: { output: { 'a.go': named.replace('import c "C"', 'import "C"').replace('c.ONE', 'C.ONE').replace('c.myint', 'C.myint') } } }],
      },
      { ...one(blank), errors: [{ at: 'a.go:4', applying: { output: { 'a.go': blank.replace('_ "C"', '"C"') } } }] },
      { ...one(dot), errors: [{ at: 'a.go:4', fixes: [] }] },
      { ...one(shadowed), errors: [{ at: 'a.go:3', fixes: [], message: /also declared/ }] },
    ],
  });
  await ruleTester.silent(rules, [one(named)], renameImportC);
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
  await ruleTester.silent(rules, sources.map((source) => one(source)), preambleCommentBleed);
});
