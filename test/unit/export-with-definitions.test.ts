// export-with-definitions on small sources: which preamble definitions it reports in a file
// with //export, and the exact text its fix produces.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { exportWithDefinitions as rule } from '../../server/src/rules/export-with-definitions';
import { ruleTester } from '../support/ruleTester';

const exported = '\n//export Hello\nfunc Hello() {}\n';

/** A file with //export and the given preamble lines (each written as `// line`). */
function withExport(preambleLines: string[], body = ''): string {
  return `package p\n\n${preambleLines.map((l) => `// ${l}\n`).join('')}import "C"\n${exported}${body}`;
}

test('export-with-definitions: reported definitions and the fixed text', async () => {
  const cases: { name: string; source: string; where: string[]; fixed?: string; title?: string }[] = [
    {
      name: 'a function called from Go',
      source: withExport(['int twice(int x) { return 2 * x; }'], '\nfunc F() int { return int(C.twice(2)) }\n'),
      where: ['a.go:3:twice'],
      fixed: withExport(['static inline int twice(int x) { return 2 * x; }'], '\nfunc F() int { return int(C.twice(2)) }\n'),
      title: 'Make it static inline',
    },
    {
      name: 'extern inline becomes static inline',
      source: withExport(['extern inline int twice(int x) { return 2 * x; }']),
      where: ['a.go:3:twice'],
      fixed: withExport(['static inline int twice(int x) { return 2 * x; }']),
    },
    {
      name: 'a function returning a pointer, in a /* */ preamble',
      source: `package p\n\n/*\n#include <stdio.h>\n\nconst char *greeting(void) {\n\treturn "hi";\n}\n*/\nimport "C"\n${exported}`,
      where: ['a.go:6:greeting'],
      fixed: `package p\n\n/*\n#include <stdio.h>\n\nstatic inline const char *greeting(void) {\n\treturn "hi";\n}\n*/\nimport "C"\n${exported}`,
    },
    {
      name: 'a variable only the preamble uses',
      source: withExport(['int counter = 0;', 'static inline int bump(void) { return ++counter; }'], '\nfunc F() int { return int(C.bump()) }\n'),
      where: ['a.go:3:counter'],
      fixed: withExport(['static int counter = 0;', 'static inline int bump(void) { return ++counter; }'], '\nfunc F() int { return int(C.bump()) }\n'),
      title: 'Make it static',
    },
    {
      name: 'a tentative definition, and two declarators sharing one fix',
      source: withExport(['int a, b = 2;', 'static inline int sum(void) { return a + b; }']),
      where: ['a.go:3:a', 'a.go:3:b'],
      fixed: withExport(['static int a, b = 2;', 'static inline int sum(void) { return a + b; }']),
    },
    {
      name: 'extern with an initializer defines',
      source: withExport(['extern int level = 3;', 'static inline int get(void) { return level; }']),
      where: ['a.go:3:level'],
      fixed: withExport(['static int level = 3;', 'static inline int get(void) { return level; }']),
    },
    {
      name: 'under #ifdef, and a struct-typed variable',
      source: withExport(['#ifdef __linux__', 'struct pt { int x, y; } origin = {0, 0};', '#endif', 'static inline int ox(void) { return origin.x; }']),
      where: ['a.go:4:origin'],
      fixed: withExport(['#ifdef __linux__', 'static struct pt { int x, y; } origin = {0, 0};', '#endif', 'static inline int ox(void) { return origin.x; }']),
    },
  ];
  await ruleTester.run(rule, {
    invalid: cases.map((c) => ({
      name: c.name,
      files: { 'a.go': c.source },
      errors: c.where.map((at, i) => (i === 0 && c.title ? { at, fixes: [c.title] } : at)),
      output: c.fixed === undefined ? undefined : { 'a.go': c.fixed },
    })),
  });
});

test('export-with-definitions: the message names the //export functions and the link error', async () => {
  const source = withExport(['int twice(int x) { return 2 * x; }'], '\n//export Bye\nfunc Bye() {}\n');
  await ruleTester.run(rule, {
    invalid: [
      {
        name: 'two exports',
        files: { 'a.go': source },
        errors: [{ at: '3', message: /^The function 'twice' is defined in the preamble of a file with \/\/export Hello, \/\/export Bye: (?=[\s\S]*"multiple definition of `twice'")(?=[\s\S]*Make it static inline)/ }],
      },
    ],
  });
});

test('export-with-definitions: no automatic fix when something else needs the external symbol', async () => {
  const cases: { name: string; files: Record<string, string>; at: string; reason: RegExp }[] = [
    {
      name: 'Go reads the variable',
      files: { 'a.go': withExport(['int counter = 1;'], '\nfunc F() int { return int(C.counter) }\n') },
      at: 'a.go:3',
      reason: /Go code uses C\.counter.*declare it here as extern \(extern int counter;\)/,
    },
    {
      name: 'Go takes the function as a value',
      files: { 'a.go': withExport(['int fortytwo(void) { return 42; }'], '\nvar fp = C.fortytwo\n') },
      at: 'a.go:3',
      reason: /takes C\.fortytwo as a value/,
    },
    {
      name: 'another file\'s preamble declares it',
      files: {
        'a.go': withExport(['int twice(int x) { return 2 * x; }']),
        'b.go': 'package p\n\n// int twice(int);\nimport "C"\n\nfunc G() int { return int(C.twice(1)) }\n',
      },
      at: 'a.go:3',
      reason: /b\.go also refers to 'twice'/,
    },
    {
      name: 'a header the preamble includes declares it',
      files: { 'a.go': withExport(['#include "api.h"', 'int twice(int x) { return 2 * x; }']), 'api.h': 'int twice(int);\n' },
      at: 'a.go:4',
      reason: /also appears in api\.h/,
    },
    {
      name: 'declared twice in the preamble',
      files: { 'a.go': withExport(['int twice(int);', 'int twice(int x) { return 2 * x; }']) },
      at: 'a.go:4',
      reason: /declared more than once/,
    },
    {
      name: 'a declaration that also declares a function',
      files: { 'a.go': withExport(['int n = 1, get(void);']) },
      at: 'a.go:3',
      reason: /also declares a function/,
    },
  ];
  await ruleTester.run(rule, { invalid: cases.map((c) => ({ name: c.name, files: c.files, errors: [{ at: c.at, message: c.reason, fixes: [] }] })) });
});

test('export-with-definitions: a .c file of the package that uses the name blocks the fix', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-export-'));
  try {
    const files = { 'a.go': withExport(['int twice(int x) { return 2 * x; }']), 'use.c': 'int twice(int);\nint four(void) { return twice(2); }\n' };
    fs.writeFileSync(path.join(dir, 'use.c'), files['use.c']);
    // A .c file that includes _cgo_export.h would get its own copy of a static variable.
    const variable = {
      'a.go': withExport(['int counter;', 'static inline int bump(void) { return ++counter; }']),
      'use.c': '#include "_cgo_export.h"\nvoid call(void) { Hello(); }\n',
    };
    await ruleTester.run(rule, {
      invalid: [
        { name: 'use.c calls twice', dir, files, errors: [{ at: 'a.go:3', message: /use\.c also refers to 'twice'/, fixes: [] }] },
        { name: 'use.c includes _cgo_export.h', dir, files: variable, errors: [{ at: 'a.go:3', message: /use\.c includes _cgo_export\.h/, fixes: [] }] },
      ],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('export-with-definitions: definitions in an included project header are reported at the #include', async () => {
  const files = {
    'a.go': withExport(['#include <stdio.h>', '#include "helpers.h"']),
    'helpers.h': '#ifndef HELPERS_H\n#define HELPERS_H\n#include "more.h"\nint twice(int x) { return 2 * x; }\nstatic inline int ok(void) { return 1; }\n#endif\n',
    'more.h': 'int shared_count;\nextern int declared_only;\n',
  };
  await ruleTester.run(rule, {
    invalid: [
      {
        name: 'helpers.h',
        files,
        errors: [{ at: 'a.go:4:#include "helpers.h"', message: /^"helpers\.h" \(and more\.h, which it includes\) defines 'twice', 'shared_count', and this file has \/\/export Hello/, fixes: [] }],
      },
    ],
  });
});

test('export-with-definitions: not reported', async () => {
  const cases: { name: string; files: Record<string, string> }[] = [
    { name: 'no //export', files: { 'a.go': 'package p\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc Hello() {}\n' } },
    { name: '// export (with a space) is not //export', files: { 'a.go': 'package p\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n\n// export Hello\nfunc Hello() {}\n' } },
    { name: '//export cut off from the function by a blank line', files: { 'a.go': 'package p\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n\n//export Hello\n\nfunc Hello() {}\n' } },
    { name: '/*export Hello*/', files: { 'a.go': 'package p\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n\n/*export Hello*/\nfunc Hello() {}\n' } },
    {
      name: 'only declarations, statics, inline definitions, typedefs, macros',
      files: {
        'a.go': withExport([
          '#include <stdlib.h>',
          '#define TWICE(x) (2 * (x))',
          'typedef struct { int x; } pt;',
          'struct node { struct node *next; };',
          'enum color { RED, GREEN };',
          'extern int counter;',
          'int twice(int x);',
          'static int helper(void) { return 1; }',
          'static inline int three(void) { return 3; }',
          'inline int four(void) { return 4; }',
          'static int hidden = 2;',
          'static const char *names[] = { "a", "b" };',
          'extern int (*callback)(int);',
        ]),
      },
    },
    { name: 'a static declaration before the definition', files: { 'a.go': withExport(['static int twice(int);', 'int twice(int x) { return 2 * x; }']) } },
    { name: 'under #if 0', files: { 'a.go': withExport(['#if 0', 'int twice(int x) { return 2 * x; }', '#else', 'static int twice(int x) { return 2 * x; }', '#endif']) } },
    { name: 'weak definitions', files: { 'a.go': withExport(['__attribute__((weak)) int twice(int x) { return 2 * x; }', '#pragma weak other', 'int other = 1;']) } },
    { name: 'definitions in another file without //export', files: { 'a.go': withExport(['int twice(int);']), 'b.go': 'package p\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n' } },
    { name: 'a test file', files: { 'a_test.go': withExport(['int twice(int x) { return 2 * x; }']) } },
    { name: 'a header with only declarations', files: { 'a.go': withExport(['#include "api.h"']), 'api.h': 'int twice(int);\nextern int counter;\nstatic inline int one(void) { return 1; }\n' } },
  ];
  await ruleTester.run(rule, { valid: cases });
});

test('export-with-definitions: GNU89 inline and -fcommon follow the #cgo flags', async () => {
  const gnu89 = withExport(['#cgo CFLAGS: -std=gnu89', 'inline int twice(int x) { return 2 * x; }', 'extern inline int thrice(int x) { return 3 * x; }']);
  const common = withExport(['#cgo CFLAGS: -fcommon', 'int tentative;', 'int initialized = 1;', 'static inline int sum(void) { return tentative + initialized; }']);
  await ruleTester.run(rule, {
    invalid: [
      { name: 'gnu89', files: { 'a.go': gnu89 }, errors: ['a.go:4:twice'], output: { 'a.go': gnu89.replace('// inline int twice', '// static inline int twice') } },
      { name: '-fcommon', files: { 'a.go': common }, errors: ['a.go:5:initialized'] },
    ],
  });
});

test('export-with-definitions: declarations written through macros, and branches not compiled, are not definitions', async () => {
  const files = {
    'a.go': withExport([
      '#define SQLITE_API',
      '#define SQLITE_EXTERN extern',
      'SQLITE_API SQLITE_EXTERN const char sqlite3_version[];',
      '#include "ext.h"',
      'EXT_EXTERN int ext_counter;',
      '#ifdef _WIN32',
      'int windows_only = 1;',
      '#endif',
    ]),
    'ext.h': '#ifndef EXT_H\n#define EXT_H\n#define EXT_EXTERN extern\n#endif\n',
  };
  // A definition a macro writes is reported at the invocation, without a fix (no edit of the invocation makes it static).
  const written = { 'a.go': withExport(['#define DEFINE_COUNTER(name) int name = 0;', 'DEFINE_COUNTER(hits)']) };
  await ruleTester.run(rule, {
    valid: [{ name: 'macros and branches', files }],
    invalid: [{ name: 'a macro defines it', files: written, errors: [{ at: 'a.go:4:DEFINE_COUNTER(hits)', message: /A macro writes this definition/, fixes: [] }] }],
  });
});
