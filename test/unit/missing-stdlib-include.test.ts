// missing-stdlib-include on small sources: which C.x uses it reports, and the exact text its
// fix produces.
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { missingStdlibInclude as rule } from '../../server/src/rules/missing-stdlib-include';
import { ruleTester } from '../support/ruleTester';

const freeUse = '\nimport "unsafe"\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tC.free(unsafe.Pointer(cs))\n}\n';

test('missing-stdlib-include: reported uses and the fixed text', async () => {
  const cases: { name: string; source: string; where: string[]; fixed: string }[] = [
    {
      name: '// preamble with another include: the new line goes before it',
      source: `package p\n\n// #include <stdio.h>\nimport "C"\n${freeUse}`,
      where: ['a.go:10:C.free'],
      fixed: `package p\n\n// #include <stdlib.h>\n// #include <stdio.h>\nimport "C"\n${freeUse}`,
    },
    {
      name: '/* */ preamble',
      source: `package p\n\n/*\n#include <stdio.h>\n*/\nimport "C"\n${freeUse}`,
      where: ['a.go:12:C.free'],
      fixed: `package p\n\n/*\n#include <stdlib.h>\n#include <stdio.h>\n*/\nimport "C"\n${freeUse}`,
    },
    {
      name: 'no preamble: a new one above import "C"',
      source: `package p\n\nimport "C"\n${freeUse}`,
      where: ['a.go:9:C.free'],
      fixed: `package p\n\n// #include <stdlib.h>\nimport "C"\n${freeUse}`,
    },
    {
      name: 'no preamble, grouped import: above the "C" spec',
      source: 'package p\n\nimport (\n\t"C"\n\t"unsafe"\n)\n\nfunc f(p unsafe.Pointer) { C.free(p) }\n',
      where: ['a.go:8:C.free'],
      fixed: 'package p\n\nimport (\n\t// #include <stdlib.h>\n\t"C"\n\t"unsafe"\n)\n\nfunc f(p unsafe.Pointer) { C.free(p) }\n',
    },
    {
      name: 'feature-test macros stay first',
      source: `package p\n\n// #cgo CFLAGS: -O2\n// #define _GNU_SOURCE\n// #include <string.h>\nimport "C"\n${freeUse}`,
      where: ['a.go:12:C.free'],
      fixed: `package p\n\n// #cgo CFLAGS: -O2\n// #define _GNU_SOURCE\n// #include <stdlib.h>\n// #include <string.h>\nimport "C"\n${freeUse}`,
    },
    {
      name: 'only #cgo lines and macros: appended',
      source: `package p\n\n// #cgo LDFLAGS: -lm\n// #define N 4\nimport "C"\n${freeUse}`,
      where: ['a.go:11:C.free'],
      fixed: `package p\n\n// #cgo LDFLAGS: -lm\n// #define N 4\n// #include <stdlib.h>\nimport "C"\n${freeUse}`,
    },
    {
      name: '/* */ preamble of #cgo lines only, closing on its own line',
      source: `package p\n\n/*\n#cgo LDFLAGS: -lm\n*/\nimport "C"\n${freeUse}`,
      where: ['a.go:12:C.free'],
      fixed: `package p\n\n/*\n#cgo LDFLAGS: -lm\n#include <stdlib.h>\n*/\nimport "C"\n${freeUse}`,
    },
    {
      name: 'one-line /* */ preamble',
      source: `package p\n\n/* #include <stdio.h> */\nimport "C"\n${freeUse}`,
      where: ['a.go:10:C.free'],
      fixed: `package p\n\n/* #include <stdlib.h>\n #include <stdio.h> */\nimport "C"\n${freeUse}`,
    },
    {
      name: 'several names and uses share one insertion; C.malloc is not reported',
      source:
        'package p\n\n// #include <stdio.h>\n// static int one(void) { return 1; }\nimport "C"\n\nfunc f() int {\n\tp := C.malloc(8)\n\tC.free(p)\n\tq := C.calloc(1, 8)\n\tC.free(q)\n\tvar d C.div_t\n\t_ = d\n\treturn int(C.atoi(nil)) + C.EXIT_FAILURE + int(C.one())\n}\n',
      where: ['a.go:9:C.free', 'a.go:10:C.calloc', 'a.go:11:C.free', 'a.go:12:C.div_t', 'a.go:14:C.atoi', 'a.go:14:C.EXIT_FAILURE'],
      fixed:
        'package p\n\n// #include <stdlib.h>\n// #include <stdio.h>\n// static int one(void) { return 1; }\nimport "C"\n\nfunc f() int {\n\tp := C.malloc(8)\n\tC.free(p)\n\tq := C.calloc(1, 8)\n\tC.free(q)\n\tvar d C.div_t\n\t_ = d\n\treturn int(C.atoi(nil)) + C.EXIT_FAILURE + int(C.one())\n}\n',
    },
    {
      name: 'CRLF',
      source: `package p\r\n\r\n// #include <stdio.h>\r\nimport "C"\r\n${freeUse.replace(/\n/g, '\r\n')}`,
      where: ['a.go:10:C.free'],
      fixed: `package p\r\n\r\n// #include <stdlib.h>\r\n// #include <stdio.h>\r\nimport "C"\r\n${freeUse.replace(/\n/g, '\r\n')}`,
    },
  ];
  await ruleTester.run(rule, {
    invalid: cases.map((c) => ({ name: c.name, files: { 'a.go': c.source }, errors: c.where, fixTitles: ['Add #include <stdlib.h>'], output: { 'a.go': c.fixed } })),
  });
});

test('missing-stdlib-include: the message carries the words of the chosen Go\'s cgo', async () => {
  const source = `package p\n\n// #include <stdio.h>\nimport "C"\n${freeUse}`;
  await ruleTester.run(rule, {
    invalid: [
      // Alone in its package: no word of a sibling's include.
      { name: 'Go 1.26', files: { 'a.go': source }, errors: [{ at: 'a.go:10', message: /^cgo fails: could not determine what C\.free refers to\. free is declared in <stdlib\.h>(?![\s\S]*resolve per file)/ }] },
      {
        name: 'Go 1.23',
        files: { 'a.go': source },
        target: resolveTarget('linux', 'amd64', {}, 23),
        errors: [{ at: 'a.go:10', message: /^cgo fails: could not determine kind of name for C\.free\. free is declared in <stdlib\.h>/ }],
      },
    ],
  });
});

test('missing-stdlib-include: a sibling file\'s include does not count, and the message says why', async () => {
  const files = {
    'a.go': `package p\n\n// #include <stdio.h>\nimport "C"\n${freeUse}`,
    'b.go': 'package p\n\n// #include <stdlib.h>\nimport "C"\n\nfunc g() { C.srand(1) }\n',
  };
  await ruleTester.run(rule, { invalid: [{ name: 'sibling', files, errors: [{ at: 'a.go:10:C.free', message: /b\.go includes it, but C names resolve per file/ }] }] });
});

test('missing-stdlib-include: project headers are followed, and one that does not include <stdlib.h> does not help', async () => {
  const files = {
    'a.go': `package p\n\n// #cgo CFLAGS: -I\${SRCDIR}/inc\n// #include <util.h>\nimport "C"\n${freeUse}`,
    'inc/util.h': '#include "deeper.h"\nint util(void);\n',
    'inc/deeper.h': '#include <stdio.h>\n#include <string.h>\n',
  };
  await ruleTester.run(rule, {
    invalid: [{ name: 'headers', files, errors: ['a.go:11:C.free'], output: { 'a.go': files['a.go'].replace('// #include <util.h>', '// #include <stdlib.h>\n// #include <util.h>') } }],
  });
});

test('missing-stdlib-include: not reported', async () => {
  const cases: { name: string; files: Record<string, string> }[] = [
    { name: '<stdlib.h> included', files: { 'a.go': `package p\n\n// #include <stdlib.h>\nimport "C"\n${freeUse}` } },
    { name: '"stdlib.h" included', files: { 'a.go': `package p\n\n/*\n#include "stdlib.h"\n*/\nimport "C"\n${freeUse}` } },
    { name: 'included under #ifdef', files: { 'a.go': `package p\n\n// #ifdef __linux__\n// #include <stdlib.h>\n// #endif\nimport "C"\n${freeUse}` } },
    { name: 'only C.malloc', files: { 'a.go': 'package p\n\nimport "C"\n\nvar p = C.malloc(8)\n' } },
    { name: 'the user declares free', files: { 'a.go': `package p\n\n// void free(void *);\nimport "C"\n${freeUse}` } },
    { name: 'a macro named free', files: { 'a.go': `package p\n\n// #define free(p) my_free(p)\nimport "C"\n${freeUse}` } },
    { name: 'a project header includes it', files: { 'a.go': `package p\n\n// #include "util.h"\nimport "C"\n${freeUse}`, 'util.h': '#pragma once\n#include <stdlib.h>\n' } },
    {
      name: 'through two project headers and a -I directory',
      files: {
        'a.go': `package p\n\n// #cgo CFLAGS: -I\${SRCDIR}/inc\n// #include <util.h>\nimport "C"\n${freeUse}`,
        'inc/util.h': '#include "deeper.h"\n',
        'inc/deeper.h': '#include <stdlib.h>\n',
      },
    },
    { name: '<malloc.h> declares free', files: { 'a.go': `package p\n\n// #include <malloc.h>\nimport "C"\n${freeUse}` } },
    { name: 'a library header that may include <stdlib.h>', files: { 'a.go': `package p\n\n// #cgo pkg-config: sqlite3\n// #include <sqlite3.h>\nimport "C"\n${freeUse}` } },
    { name: 'a computed include', files: { 'a.go': `package p\n\n// #define H <stdlib.h>\n// #include H\nimport "C"\n${freeUse}` } },
    { name: 'a detached comment includes it (preamble-detached reports it)', files: { 'a.go': `package p\n\n// #include <stdlib.h>\n\nimport "C"\n${freeUse}` } },
    { name: 'import c "C" (rename-import-c reports it)', files: { 'a.go': 'package p\n\nimport c "C"\n\nfunc f() { c.free(nil) }\n' } },
    { name: 'not a cgo file', files: { 'a.go': 'package p\n\ntype t struct{ free func() }\n\nvar C t\n\nfunc f() { C.free() }\n' } },
    { name: 'other C names', files: { 'a.go': 'package p\n\n// #include <stdio.h>\nimport "C"\n\nfunc f() { C.puts(nil) }\n' } },
  ];
  await ruleTester.run(rule, { valid: cases });
});

test('missing-stdlib-include: includes follow the preprocessor (prose lines, branches for the target)', async () => {
  // The cgo-pains article's NOTE line right above the #include: the header is still read.
  const prose = { 'a.go': `package p\n\n// NOTE: Do not use -Wall.\n// #include "api.h"\nimport "C"\n${freeUse}`, 'api.h': '#pragma once\n#include <stdlib.h>\n' };
  // <stdlib.h> only in a branch linux does not compile: C.free fails there.
  const windowsOnly = { 'a.go': `package p\n\n// #ifdef _WIN32\n// #include <stdlib.h>\n// #endif\nimport "C"\n${freeUse}` };
  // Under a condition only a system header could decide, the include may be compiled: silence.
  const undecided = { 'a.go': `package p\n\n// #include <stdio.h>\n// #ifdef HAVE_STDLIB\n// #include <stdlib.h>\n// #endif\nimport "C"\n${freeUse}` };
  await ruleTester.run(rule, {
    valid: [
      { name: 'prose above the include', files: prose },
      { name: 'windows compiles the branch', files: windowsOnly, target: resolveTarget('windows', 'amd64', {}) },
      { name: 'undecided', files: undecided },
    ],
    invalid: [{ name: 'linux skips the branch', files: windowsOnly, errors: ['a.go:12:C.free'] }],
  });
});
