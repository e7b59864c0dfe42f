// export-with-definitions on small sources: which preamble definitions it reports in a file
// with //export, and the exact text its fix produces.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';
import { fixAll } from '../support/fixes';

const target = resolveTarget('linux', 'amd64', {});
const rule = 'export-with-definitions';

/** Checks the .go files of one package; other files are what readText finds (headers), or real files when `dir` exists. */
async function check(files: Record<string, string>, dir = '/virtual/exp'): Promise<Finding[]> {
  const engine = await testEngine();
  const goFiles = Object.entries(files).filter(([name]) => name.endsWith('.go'));
  const readText = (file: string): string | undefined => (file.startsWith(`${dir}/`) ? files[file.slice(dir.length + 1)] : undefined);
  const findings = engine.checkPackage(dir, goFiles.map(([name, text]) => ({ path: `${dir}/${name}`, text })), { target, readText });
  return findings.filter((f) => f.rule === rule);
}

/** `name.go:line:text` of each finding. */
function where(findings: Finding[], files: Record<string, string>): string[] {
  return findings.map((f) => {
    const name = path.basename(f.file);
    return `${name}:${new LineIndex(files[name]).lineOf(f.start) + 1}:${files[name].slice(f.start, f.end)}`;
  });
}

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
  for (const c of cases) {
    const findings = await check({ 'a.go': c.source });
    assert.deepEqual(where(findings, { 'a.go': c.source }), c.where, c.name);
    if (c.title) assert.equal(findings[0].fixes[0]?.title, c.title, c.name);
    if (c.fixed !== undefined) {
      const fixed = fixAll(c.source, findings);
      assert.equal(fixed, c.fixed, c.name);
      assert.deepEqual(await check({ 'a.go': fixed }), [], `${c.name}: after the fix`);
    }
  }
});

test('export-with-definitions: the message names the //export functions and the link error', async () => {
  const source = withExport(['int twice(int x) { return 2 * x; }'], '\n//export Bye\nfunc Bye() {}\n');
  const [finding] = await check({ 'a.go': source });
  assert.match(finding.message, /^The function 'twice' is defined in the preamble of a file with \/\/export Hello, \/\/export Bye: /);
  assert.match(finding.message, /"multiple definition of `twice'"/);
  assert.match(finding.message, /Make it static inline/);
});

test('export-with-definitions: no automatic fix when something else needs the external symbol', async () => {
  const cases: { name: string; files: Record<string, string>; reason: RegExp }[] = [
    {
      name: 'Go reads the variable',
      files: { 'a.go': withExport(['int counter = 1;'], '\nfunc F() int { return int(C.counter) }\n') },
      reason: /Go code uses C\.counter.*declare it here as extern \(extern int counter;\)/,
    },
    {
      name: 'Go takes the function as a value',
      files: { 'a.go': withExport(['int fortytwo(void) { return 42; }'], '\nvar fp = C.fortytwo\n') },
      reason: /takes C\.fortytwo as a value/,
    },
    {
      name: 'another file\'s preamble declares it',
      files: {
        'a.go': withExport(['int twice(int x) { return 2 * x; }']),
        'b.go': 'package p\n\n// int twice(int);\nimport "C"\n\nfunc G() int { return int(C.twice(1)) }\n',
      },
      reason: /b\.go also refers to 'twice'/,
    },
    {
      name: 'a header the preamble includes declares it',
      files: { 'a.go': withExport(['#include "api.h"', 'int twice(int x) { return 2 * x; }']), 'api.h': 'int twice(int);\n' },
      reason: /also appears in api\.h/,
    },
    {
      name: 'declared twice in the preamble',
      files: { 'a.go': withExport(['int twice(int);', 'int twice(int x) { return 2 * x; }']) },
      reason: /declared more than once/,
    },
    {
      name: 'a declaration that also declares a function',
      files: { 'a.go': withExport(['int n = 1, get(void);']) },
      reason: /also declares a function/,
    },
  ];
  for (const c of cases) {
    const findings = await check(c.files);
    assert.equal(findings.length, 1, c.name);
    assert.deepEqual(findings[0].fixes, [], c.name);
    assert.match(findings[0].message, c.reason, c.name);
  }
});

test('export-with-definitions: a .c file of the package that uses the name blocks the fix', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-export-'));
  try {
    const files = { 'a.go': withExport(['int twice(int x) { return 2 * x; }']), 'use.c': 'int twice(int);\nint four(void) { return twice(2); }\n' };
    fs.writeFileSync(path.join(dir, 'use.c'), files['use.c']);
    const [finding] = await check(files, dir);
    assert.deepEqual(finding.fixes, []);
    assert.match(finding.message, /use\.c also refers to 'twice'/);
    // A .c file that includes _cgo_export.h would get its own copy of a static variable.
    const variable = {
      'a.go': withExport(['int counter;', 'static inline int bump(void) { return ++counter; }']),
      'use.c': '#include "_cgo_export.h"\nvoid call(void) { Hello(); }\n',
    };
    const [varFinding] = await check(variable, dir);
    assert.deepEqual(varFinding.fixes, []);
    assert.match(varFinding.message, /use\.c includes _cgo_export\.h/);
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
  const findings = await check(files);
  assert.deepEqual(where(findings, files), ['a.go:4:#include "helpers.h"']);
  assert.match(findings[0].message, /^"helpers\.h" \(and more\.h, which it includes\) defines 'twice', 'shared_count', and this file has \/\/export Hello/);
  assert.deepEqual(findings[0].fixes, []);
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
  for (const c of cases) assert.deepEqual(where(await check(c.files), c.files), [], c.name);
});

test('export-with-definitions: GNU89 inline and -fcommon follow the #cgo flags', async () => {
  const gnu89 = withExport(['#cgo CFLAGS: -std=gnu89', 'inline int twice(int x) { return 2 * x; }', 'extern inline int thrice(int x) { return 3 * x; }']);
  const findings = await check({ 'a.go': gnu89 });
  assert.deepEqual(where(findings, { 'a.go': gnu89 }), ['a.go:4:twice']);
  assert.equal(fixAll(gnu89, findings), gnu89.replace('// inline int twice', '// static inline int twice'));
  const common = withExport(['#cgo CFLAGS: -fcommon', 'int tentative;', 'int initialized = 1;', 'static inline int sum(void) { return tentative + initialized; }']);
  assert.deepEqual(where(await check({ 'a.go': common }), { 'a.go': common }), ['a.go:5:initialized']);
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
  assert.deepEqual(where(await check(files), files), []);
  // A definition a macro writes is reported at the invocation, without a fix (no edit of the invocation makes it static).
  const written = { 'a.go': withExport(['#define DEFINE_COUNTER(name) int name = 0;', 'DEFINE_COUNTER(hits)']) };
  const findings = await check(written);
  assert.deepEqual(where(findings, written), ['a.go:4:DEFINE_COUNTER(hits)']);
  assert.deepEqual(findings[0].fixes, []);
  assert.match(findings[0].message, /A macro writes this definition/);
});
