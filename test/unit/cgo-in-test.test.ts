// cgo-in-test: where it reports, and the exact files its fix writes (wrappers in the non-test
// file whose preamble declares each C name, or a new helper file for the test's own preamble).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cgoInTest as rule, goWrapperName } from '../../server/src/rules/cgo-in-test';
import { renameImportC } from '../../server/src/rules/rename-import-c';
import { goEnv, requireGo } from '../support/go';
import { articleApiH as apiH } from '../support/goSources';
import { fixed as fixedPackage, findings as findingsOf, ruleTester, type Files, type PackageCase } from '../support/ruleTester';

const dir = '/virtual/app';
/** A case's package in /virtual/app, its headers (relative to /virtual) found through -I. */
const pkg = (name: string, files: Files, headers: Files = {}): PackageCase => ({
  name,
  dir,
  files,
  elsewhere: Object.fromEntries(Object.entries(headers).map(([file, text]) => [`/virtual/${file}`, text])),
});

const wrappersComment = (test: string): string => `// Go wrappers of the C names ${test} uses: a _test.go file cannot import "C".`;


const appGo = `package app

// #cgo CFLAGS: -g -O2 -I\${SRCDIR}/../c/
// #cgo LDFLAGS: \${SRCDIR}/../c/libapi.a
// #include <api.h>
// void initial_setup();
import "C"

func init() {
	C.initial_setup()
}

func DoStuff() {
	dog := C.animal_make_dog()
	C.animal_print(&dog)
}
`;

const cfuncsGo = 'package app\n\n/*\nvoid initial_setup(){}\n*/\nimport "C"\n';

interface Case {
  name: string;
  files: Files;
  headers?: Files;
  /** `file:line` of each cgo-in-test finding. */
  at: string[];
  /** The package after applying the preferred fix of the first finding (only the files it changes). */
  fixed?: Files;
  title?: string;
  /** For cases without a fix: the reason the message gives. */
  noFix?: RegExp;
}

const cases: Case[] = [
  {
    name: 'the article\'s app_test.go: the wrapper goes to app.go, whose preamble includes api.h',
    files: {
      'app.go': appGo,
      'cfuncs.go': cfuncsGo,
      'app_test.go': 'package app\n\nimport "testing"\nimport "C"\n\nfunc TestAnimalMakeDog(t *testing.T) {\n\tdog := C.animal_make_dog()\n\t_ = dog\n}\n',
    },
    headers: { 'c/api.h': apiH },
    at: ['app_test.go:4'],
    title: 'Call C through Go wrappers in app.go (a test cannot import "C")',
    fixed: {
      'app.go': `${appGo}\n${wrappersComment('app_test.go')}\n\nfunc cAnimalMakeDog() C.Animal {\n\treturn C.animal_make_dog()\n}\n`,
      'app_test.go': 'package app\n\nimport "testing"\n\nfunc TestAnimalMakeDog(t *testing.T) {\n\tdog := cAnimalMakeDog()\n\t_ = dog\n}\n',
    },
  },
  {
    name: 'the article\'s test reading dog.kind against C.ANIMAL_KIND_DOG: an untyped constant',
    files: {
      'app.go': appGo,
      'app_test.go':
        'package app\n\nimport "testing"\nimport "C"\n\nfunc TestAnimalMakeDog(t *testing.T) {\n\tdog := C.animal_make_dog()\n' +
        '\tif dog.kind != C.ANIMAL_KIND_DOG {\n\t\tt.Fatal("wrong kind")\n\t}\n\tvar a C.Animal = dog\n\tC.animal_print(&a)\n}\n',
    },
    headers: { 'c/api.h': apiH },
    at: ['app_test.go:4'],
    fixed: {
      'app.go':
        `${appGo}\n${wrappersComment('app_test.go')}\n\nfunc cAnimalMakeDog() C.Animal {\n\treturn C.animal_make_dog()\n}\n\n` +
        'const cAnimalKindDog = C.ANIMAL_KIND_DOG\n\ntype cAnimal = C.Animal\n\nfunc cAnimalPrint(animal *C.Animal) {\n\tC.animal_print(animal)\n}\n',
      'app_test.go':
        'package app\n\nimport "testing"\n\nfunc TestAnimalMakeDog(t *testing.T) {\n\tdog := cAnimalMakeDog()\n' +
        '\tif dog.kind != cAnimalKindDog {\n\t\tt.Fatal("wrong kind")\n\t}\n\tvar a cAnimal = dog\n\tcAnimalPrint(&a)\n}\n',
    },
  },
  {
    name: 'the test\'s own preamble (static inline) moves to a new helper file with the wrappers',
    files: {
      'calc.go': 'package calc\n\nfunc Twice(x int) int { return 2 * x }\n',
      'calc_test.go':
        'package calc\n\n/*\n#include <stdlib.h>\n\nstatic inline int twice(int x) { return 2 * x; }\n*/\nimport "C"\n\nimport (\n\t"testing"\n\t"unsafe"\n)\n\n' +
        'func TestTwice(t *testing.T) {\n\tif C.twice(C.int(21)) != 42 {\n\t\tt.Fatal("twice")\n\t}\n\ts := C.CString("hi")\n\tdefer C.free(unsafe.Pointer(s))\n\t_ = C.GoString(s)\n}\n',
    },
    at: ['calc_test.go:8'],
    title: 'Call C through Go wrappers in calc_cgo_helpers.go (a test cannot import "C")',
    fixed: {
      'calc_test.go':
        'package calc\n\nimport (\n\t"testing"\n\t"unsafe"\n)\n\n' +
        'func TestTwice(t *testing.T) {\n\tif cTwice(cInt(21)) != 42 {\n\t\tt.Fatal("twice")\n\t}\n\ts := cCString("hi")\n\tdefer cFree(unsafe.Pointer(s))\n\t_ = cGoString(s)\n}\n',
      'calc_cgo_helpers.go':
        'package calc\n\n/*\n#include <stdlib.h>\n\nstatic inline int twice(int x) { return 2 * x; }\n*/\nimport "C"\n\nimport "unsafe"\n\n' +
        `${wrappersComment('calc_test.go')}\n\n` +
        'func cTwice(x C.int) C.int {\n\treturn C.twice(x)\n}\n\nfunc cFree(ptr unsafe.Pointer) {\n\tC.free(ptr)\n}\n\ntype cInt = C.int\n\n' +
        'func cCString(s string) *C.char {\n\treturn C.CString(s)\n}\n\nfunc cGoString(s *C.char) string {\n\treturn C.GoString(s)\n}\n',
    },
  },
  {
    name: 'names of two non-test files: each wrapper goes where its name is declared (static functions)',
    files: {
      'add.go': 'package geo\n\n// static int add(int a, int b) { return a + b; }\nimport "C"\n',
      'point.go': 'package geo\n\n/*\n#define LIMIT 10\ntypedef struct { int x, y; } point;\nstatic point make_point(int x, int y) { point p = {x, y}; return p; }\n*/\nimport "C"\n',
      'geo_test.go': 'package geo\n\nimport (\n\t"C"\n\t"testing"\n)\n\nfunc TestGeo(t *testing.T) {\n\tvar p C.point = C.make_point(C.LIMIT, C.add(1, 1))\n\t_ = p\n}\n',
    },
    at: ['geo_test.go:4'],
    title: 'Call C through Go wrappers in point.go and add.go (a test cannot import "C")',
    fixed: {
      'add.go': `package geo\n\n// static int add(int a, int b) { return a + b; }\nimport "C"\n\n${wrappersComment('geo_test.go')}\n\nfunc cAdd(a C.int, b C.int) C.int {\n\treturn C.add(a, b)\n}\n`,
      'point.go':
        'package geo\n\n/*\n#define LIMIT 10\ntypedef struct { int x, y; } point;\nstatic point make_point(int x, int y) { point p = {x, y}; return p; }\n*/\nimport "C"\n\n' +
        `${wrappersComment('geo_test.go')}\n\ntype cPoint = C.point\n\nfunc cMakePoint(x C.int, y C.int) C.point {\n\treturn C.make_point(x, y)\n}\n\nconst cLimit = C.LIMIT\n`,
      'geo_test.go': 'package geo\n\nimport (\n\t"testing"\n)\n\nfunc TestGeo(t *testing.T) {\n\tvar p cPoint = cMakePoint(cLimit, cAdd(1, 1))\n\t_ = p\n}\n',
    },
  },
  {
    name: 'variables, errno form, struct tags, sizeof, void* (an unsafe import is added)',
    files: {
      'lib.go': 'package lib\n\n/*\n#include <errno.h>\nstruct pt { int x, y; };\nint counter;\nstatic int checked(int x) { errno = x; return -x; }\nstatic void *id(void *p) { return p; }\n*/\nimport "C"\n',
      'lib_test.go':
        'package lib\n\nimport "C"\n\nfunc f() {\n\tC.counter++\n\tp := &C.counter\n\t_ = p\n\tn, err := C.checked(2)\n\t_, _ = n, err\n\t_ = C.checked(3)\n' +
        '\tvar s C.struct_pt\n\t_ = C.sizeof_struct_pt\n\t_ = C.id(nil)\n\t_ = s\n}\n',
    },
    at: ['lib_test.go:3'],
    fixed: {
      'lib.go':
        'package lib\n\n/*\n#include <errno.h>\nstruct pt { int x, y; };\nint counter;\nstatic int checked(int x) { errno = x; return -x; }\nstatic void *id(void *p) { return p; }\n*/\nimport "C"\nimport "unsafe"\n\n' +
        `${wrappersComment('lib_test.go')}\n\nfunc cCounter() *C.int {\n\treturn &C.counter\n}\n\n` +
        'func cChecked(x C.int) C.int {\n\treturn C.checked(x)\n}\n\nfunc cCheckedErr(x C.int) (C.int, error) {\n\tr, err := C.checked(x)\n\treturn r, err\n}\n\n' +
        'type cStructPt = C.struct_pt\n\nconst cSizeofStructPt = C.sizeof_struct_pt\n\nfunc cId(p unsafe.Pointer) unsafe.Pointer {\n\treturn C.id(p)\n}\n',
      'lib_test.go':
        'package lib\n\nfunc f() {\n\t(*cCounter())++\n\tp := &(*cCounter())\n\t_ = p\n\tn, err := cCheckedErr(2)\n\t_, _ = n, err\n\t_ = cChecked(3)\n' +
        '\tvar s cStructPt\n\t_ = cSizeofStructPt\n\t_ = cId(nil)\n\t_ = s\n}\n',
    },
  },
  {
    name: 'preamble inside a grouped import, CRLF line ends',
    files: {
      'a_test.go':
        'package p\r\n\r\nimport (\r\n\t"testing"\r\n\r\n\t// #include <stdlib.h>\r\n\t// static int one(void) { return 1; }\r\n\t"C"\r\n)\r\n\r\n' +
        'func TestOne(t *testing.T) {\r\n\tif C.one() != 1 {\r\n\t\tt.Fatal(C.one())\r\n\t}\r\n}\r\n',
    },
    at: ['a_test.go:8'],
    fixed: {
      'a_test.go': 'package p\r\n\r\nimport (\r\n\t"testing"\r\n)\r\n\r\nfunc TestOne(t *testing.T) {\r\n\tif cOne() != 1 {\r\n\t\tt.Fatal(cOne())\r\n\t}\r\n}\r\n',
      'a_cgo_helpers.go':
        'package p\r\n\r\n// #include <stdlib.h>\r\n// static int one(void) { return 1; }\r\nimport "C"\r\n\r\n' +
        '// Go wrappers of the C names a_test.go uses: a _test.go file cannot import "C".\r\n\r\nfunc cOne() C.int {\r\n\treturn C.one()\r\n}\r\n',
    },
  },
  {
    name: 'a GOOS-specific test with a build constraint; a name already taken in the package',
    files: {
      'a.go': 'package p\n\nfunc cTwice() {}\n',
      'x_linux_test.go': '//go:build cgo\n\npackage p\n\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc f() { _ = C.twice(2) }\n',
    },
    at: ['x_linux_test.go:6'],
    fixed: {
      'x_linux_test.go': '//go:build cgo\n\npackage p\n\nfunc f() { _ = cTwice2(2) }\n',
      'x_cgo_helpers_linux.go':
        `//go:build cgo\n\npackage p\n\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\n${wrappersComment('x_linux_test.go')}\n\nfunc cTwice2(x C.int) C.int {\n\treturn C.twice(x)\n}\n`,
    },
  },
  {
    name: 'a preamble with only #include lines and nothing used: the import just goes',
    files: { 'a_test.go': 'package p\n\n// #include <stdio.h>\nimport "C"\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n' },
    at: ['a_test.go:4'],
    title: 'Remove import "C" from a_test.go (nothing in it needs cgo)',
    fixed: { 'a_test.go': 'package p\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n' },
  },
  {
    name: '#cgo lines are kept: the preamble moves to the helper even when nothing is wrapped',
    files: { 'a_test.go': 'package p\n\n// #cgo LDFLAGS: -lm\n// #include <math.h>\nimport "C"\n' },
    at: ['a_test.go:5'],
    fixed: { 'a_test.go': 'package p\n', 'a_cgo_helpers.go': 'package p\n\n// #cgo LDFLAGS: -lm\n// #include <math.h>\nimport "C"\n' },
  },
  {
    name: 'a prototype in the test\'s preamble: the wrapper goes to the file that declares it too',
    files: {
      'a.go': 'package p\n\n// int three(void) { return 3; }\nimport "C"\n',
      'a_test.go': 'package p\n\n// int three(void);\nimport "C"\n\nfunc f() { _ = C.three() }\n',
    },
    at: ['a_test.go:4'],
    fixed: {
      'a.go': `package p\n\n// int three(void) { return 3; }\nimport "C"\n\n${wrappersComment('a_test.go')}\n\nfunc cThree() C.int {\n\treturn C.three()\n}\n`,
      'a_test.go': 'package p\n\nfunc f() { _ = cThree() }\n',
    },
  },
  {
    name: 'package unsafe imported under another name in the target file',
    files: {
      'a.go': 'package p\n\n// static void *id(void *p) { return p; }\nimport "C"\n\nimport u "unsafe"\n\nvar _ u.Pointer\n',
      'a_test.go': 'package p\n\nimport "C"\nimport "unsafe"\n\nfunc f() { x := 1; _ = C.id(unsafe.Pointer(&x)) }\n',
    },
    at: ['a_test.go:3'],
    fixed: {
      'a.go': `package p\n\n// static void *id(void *p) { return p; }\nimport "C"\n\nimport u "unsafe"\n\nvar _ u.Pointer\n\n${wrappersComment('a_test.go')}\n\nfunc cId(p u.Pointer) u.Pointer {\n\treturn C.id(p)\n}\n`,
      'a_test.go': 'package p\n\nimport "unsafe"\n\nfunc f() { x := 1; _ = cId(unsafe.Pointer(&x)) }\n',
    },
  },
  {
    name: 'an external test package: no fix, and the message says why',
    files: { 'a.go': 'package p\n', 'a_test.go': 'package p_test\n\n// static int one(void) { return 1; }\nimport "C"\n\nvar _ = C.one()\n' },
    at: ['a_test.go:4'],
    noFix: /a_test\.go is an external test \(package p_test\), which can only reach exported names/,
  },
  {
    name: 'a variadic C function: no fix',
    files: { 'a.go': 'package p\n\n// int sum(int n, ...);\nimport "C"\n', 'a_test.go': 'package p\n\nimport "C"\n\nvar _ = C.sum(1, 2)\n' },
    at: ['a_test.go:3'],
    noFix: /No automatic fix: C\.sum: it is variadic, and cgo cannot call variadic C functions\.$/,
  },
  {
    name: 'a static C variable: no fix (Go code never reaches it)',
    files: { 'a.go': 'package p\n\n// static int hidden;\nimport "C"\n', 'a_test.go': 'package p\n\nimport "C"\n\nvar _ = C.hidden\n' },
    at: ['a_test.go:3'],
    noFix: /No automatic fix: C\.hidden is a static C variable, which Go code cannot reach \(undefined reference at link\)\.$/,
  },
  {
    name: 'a C function used as a value: no fix',
    files: { 'a.go': 'package p\n\n// static int one(void) { return 1; }\nimport "C"\n', 'a_test.go': 'package p\n\nimport "C"\n\nvar _ = C.one\n' },
    at: ['a_test.go:3'],
    noFix: /No automatic fix: C\.one is used as a value, not called\.$/,
  },
  {
    name: 'a name no preamble declares, and a macro that is not a constant: no fix',
    files: {
      'a.go': 'package p\n\n// static int one(void) { return 1; }\n// #define ONE one()\nimport "C"\n',
      'a_test.go': 'package p\n\nimport "C"\n\nvar _ = C.nowhere()\n',
      'b_test.go': 'package p\n\nimport "C"\n\nvar _ = C.ONE\n',
    },
    at: ['a_test.go:3', 'b_test.go:3'],
    noFix: /No automatic fix: C\.(nowhere is not declared in any preamble or project header cgo-lint reads|ONE is a macro that is not a constant cgo-lint can evaluate)\.$/,
  },
  {
    name: 'C.free without <stdlib.h> anywhere: no fix',
    files: { 'a_test.go': 'package p\n\nimport "C"\n\nfunc f() { C.free(nil) }\n' },
    at: ['a_test.go:3'],
    noFix: /No automatic fix: C\.free: no preamble includes <stdlib\.h>\.$/,
  },
  {
    name: 'a dot import, and a file declaring C itself: no fix',
    files: { 'a_test.go': 'package p\n\nimport . "C"\n', 'b_test.go': 'package p\n\nimport "C"\n\nfunc f() { C := 1; _ = C }\n' },
    at: ['a_test.go:3', 'b_test.go:3'],
    noFix: /No automatic fix: (with a dot import, the C names are not marked as C\.x|"C" is also declared in this file, so not every C\.x is a C name)\.$/,
  },
  {
    name: 'negatives: cgo in a non-test file, a test without "C", a test the build excludes, an ignored _file',
    files: {
      'a.go': 'package p\n\n// static int one(void) { return 1; }\nimport "C"\n',
      'a_test.go': 'package p\n\nimport (\n\t"strings"\n\t"testing"\n)\n\nfunc TestX(t *testing.T) { _ = strings.ToUpper("c") }\n',
      'b_test.go': '//go:build ignore\n\npackage p\n\nimport "C"\n',
      'c_windows_test.go': 'package p\n\nimport "C"\n',
      '_d_test.go': 'package p\n\nimport "C"\n',
    },
    at: [],
  },
];

/** Each finding sits on the "C" of the import (with its name, when it has one). */
function importOfC(files: Files, at: string): string {
  const [name, line] = at.split(':');
  const text = files[name].split('\n')[Number(line) - 1];
  return `${at}:${/\bc "C"/.test(text) ? 'c "C"' : /\. "C"/.test(text) ? '. "C"' : '"C"'}`;
}

for (const c of cases) {
  test(`cgo-in-test: ${c.name}`, async () => {
    const base = pkg(c.name, c.files, c.headers);
    if (c.at.length === 0) return ruleTester.run(rule, { valid: [base] });
    const errors = c.at.map((at, i) => {
      const file = at.split(':')[0].replace('.', '\\.');
      const refused = `^use of cgo in test ${file} not supported: the go command refuses the whole package`;
      return {
        at: importOfC(c.files, at),
        message: new RegExp(c.noFix ? `${refused}(?=[\\s\\S]*(?:${c.noFix.source}))` : refused),
        ...(c.noFix ? { fixes: [] } : {}),
        // Fixed, the package has nothing left to report.
        ...(i === 0 && c.fixed ? { applying: { output: c.fixed }, ...(c.title ? { preferredFix: c.title } : {}) } : {}),
      };
    });
    await ruleTester.run(rule, { invalid: [{ ...base, errors }] });
  });
}

test('cgo-in-test: two tests fixed together never declare a name twice; a later fix reuses a wrapper', async () => {
  const files: Files = {
    'a.go': 'package p\n\n// #include <stdlib.h>\nimport "C"\n',
    'a_test.go': 'package p\n\nimport "C"\n\nfunc f() { _ = C.int(1); C.free(nil) }\n',
    'b_test.go': 'package p\n\n// static int two(void) { return 2; }\nimport "C"\n\nfunc g() { _ = C.int(C.two()) }\n',
    'c_test.go': 'package p\n\nimport "C"\n\nfunc h() { C.free(nil) }\n',
  };
  await ruleTester.run(rule, { invalid: [{ ...pkg('three tests', files), errors: ['a_test.go:3', 'b_test.go:4', 'c_test.go:3'] }] });
  // a and b touch different files: cgo-lint --fix applies both in one round; c's fix, computed
  // again in the next round, calls the cFree a.go has by then.
  const done = await fixedPackage(rule, pkg('three tests', files));
  assert.equal(done['b_test.go'], 'package p\n\nfunc g() { _ = cInt2(cTwo()) }\n');
  assert.match(done['b_cgo_helpers.go'], /\ntype cInt2 = C\.int\n/);
  assert.match(done['a.go'], /\nfunc cFree\(ptr unsafe\.Pointer\) \{\n\tC\.free\(ptr\)\n\}\n\ntype cInt = C\.int\n$/);
  assert.equal(done['c_test.go'], 'package p\n\nfunc h() { cFree(nil) }\n');
  assert.deepEqual(await findingsOf(rule, pkg('fixed', done)), []);
});

test('cgo-in-test: import c "C" in a test is reported by both rules; either fix works', async () => {
  const files: Files = {
    'a.go': 'package p\n\n// static int one(void) { return 1; }\nimport "C"\n',
    'a_test.go': 'package p\n\nimport c "C"\n\nvar _ = c.one()\n',
  };
  await ruleTester.run(renameImportC, { invalid: [{ ...pkg('rename-import-c', files), errors: ['a_test.go:3'] }] });
  const fixedTest = 'package p\n\nvar _ = cOne()\n';
  const done = await fixedPackage(rule, pkg('cgo-in-test', files));
  assert.equal(done['a_test.go'], fixedTest);
  assert.deepEqual(await findingsOf(rule, pkg('fixed', done)), []);
});

test('wrapper names', () => {
  const names: [string, string][] = [
    ['animal_make_dog', 'cAnimalMakeDog'],
    ['ANIMAL_KIND_DOG', 'cAnimalKindDog'],
    ['Animal', 'cAnimal'],
    ['CString', 'cCString'],
    ['struct_pt', 'cStructPt'],
    ['uint64_t', 'cUint64T'],
    ['_Bool', 'cBool'],
    ['checked_err', 'cCheckedErr'],
    ['x', 'cX'],
  ];
  for (const [c, go] of names) assert.equal(goWrapperName(c), go, c);
});

test('cgo-in-test: the C library table compiles as cgo sees it (go vet on the fixed package)', async () => {
  const files: Files = {
    'lib.go': 'package lib\n\n/*\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <sys/types.h>\n*/\nimport "C"\n',
    'lib_test.go':
      'package lib\n\nimport "C"\n\nimport "unsafe"\n\nfunc use() {\n' +
      '\tp := C.malloc(C.size_t(8))\n\tq := C.calloc(1, 8)\n\tp = C.realloc(p, 16)\n\t_ = C.abs(-1)\n' +
      '\ts := C.CString("x")\n\t_ = C.strlen(s)\n\t_ = C.strcmp(s, s)\n\t_ = C.strncmp(s, s, 1)\n\td := C.strdup(s)\n' +
      '\t_ = C.memcmp(p, q, 8)\n\t_ = C.memcpy(p, q, 8)\n\t_ = C.memset(q, 0, 8)\n\t_ = C.puts(s)\n' +
      '\tvar _ C.ssize_t = -1\n\tvar _ C.ptrdiff_t = 1\n\tvar _ C.intptr_t = 1\n\tvar _ C.uintptr_t = 1\n' +
      '\tvar _ C.int8_t = 1\n\tvar _ C.int16_t = 1\n\tvar _ C.int32_t = 1\n\tvar _ C.int64_t = 1\n' +
      '\tvar _ C.uint8_t = 1\n\tvar _ C.uint16_t = 1\n\tvar _ C.uint32_t = 1\n\tvar _ C.uint64_t = 1\n' +
      '\t_ = C.GoStringN(s, 1)\n\t_ = C.GoBytes(unsafe.Pointer(s), 1)\n\tb := C.CBytes([]byte("y"))\n' +
      '\tC.free(b)\n\tC.free(unsafe.Pointer(d))\n\tC.free(unsafe.Pointer(s))\n\tC.free(p)\n\tC.free(q)\n}\n\nvar _ = use\n',
  };
  await ruleTester.run(rule, { invalid: [{ ...pkg('the C library', files), errors: ['lib_test.go:3'] }] });
  const fixed = await fixedPackage(rule, pkg('the C library', files));
  assert.deepEqual(Object.keys(fixed).sort(), ['lib.go', 'lib_test.go']);
  assert.deepEqual(await findingsOf(rule, pkg('fixed', fixed)), []);
  if (!requireGo('cgo-in-test C library table')) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-in-test-'));
  fs.writeFileSync(path.join(tmp, 'go.mod'), 'module example.com/lib\n\ngo 1.19\n');
  try {
    for (const [name, text] of Object.entries(fixed)) fs.writeFileSync(path.join(tmp, name), text);
    const vet = spawnSync('go', ['vet', '.'], { cwd: tmp, env: goEnv(), encoding: 'utf8' });
    assert.equal(vet.status, 0, `${vet.stderr}\n${fixed['lib.go']}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
