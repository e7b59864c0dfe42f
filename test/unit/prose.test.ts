// Prose as a positive judgement: which preamble lines read as natural language, and what
// preamble-comment-bleed reports on C that tree-sitter-c cannot parse but gcc builds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lexC, proseKind } from '../../server/src/cgo/prose';
import { rules } from '../../server/src/rules';
import { preambleCommentBleed as rule } from '../../server/src/rules/preamble-comment-bleed';
import { ruleTester, type PackageCase } from '../support/ruleTester';

const one = (source: string): PackageCase => ({ name: JSON.stringify(source), files: { 'a.go': source } });

function goFile(preamble: string[], body = ''): string {
  return `package p\n\n${preamble.map((l) => (l === '' ? '//' : `// ${l}`)).join('\n')}\nimport "C"\n${body}`;
}

test('prose: sentences, notes, licence lines and Markdown read as natural language', () => {
  const prose: [string, string][] = [
    ['NOTE: Do not use -Wall.', 'note'],
    ['TODO', 'note'],
    ['TODO(rsc): remove once gcc 4 is gone', 'note'],
    ['FIXME this leaks', 'note'],
    ['Copyright 2024 The Example Authors. All rights reserved.', 'licence'],
    ['SPDX-License-Identifier: MIT', 'licence'],
    ['Use of this source code is governed by a BSD-style', 'licence'],
    ['This wraps libfoo for Go.', 'sentence'],
    ['Helpers below are static.', 'sentence'],
    ['Keep twice in sync with the Go version.', 'sentence'],
    ["Don't call this from a signal handler", 'sentence'],
    ['bool alignment is wrong and causing wrong arguments when calling functions.', 'sentence'],
    ['Call `C.free` on the result.', 'markdown'],
    ['- frees the buffer when done', 'markdown'],
    ['See [the docs](https://example.com/docs).', 'markdown'],
  ];
  for (const [line, kind] of prose) assert.equal(proseKind(lexC(line).lines[0].code), kind, line);
});

test('prose: C that tree-sitter-c cannot parse never reads as prose', () => {
  const code = [
    // Macros not expanded.
    'typedef void (APIENTRY *GLDEBUGPROC)(GLenum source, GLenum type, GLuint id);',
    'GLAPI void APIENTRY glDebugMessageCallback (GLDEBUGPROC callback, const void *userParam);',
    'extern DECLSPEC int SDLCALL SDL_Init(Uint32 flags);',
    'VK_DEFINE_HANDLE(VkInstance)',
    'DECLARE_GETTER(int, int)',
    'G_BEGIN_DECLS',
    // A stray `;` after a function body.
    '};',
    'static int twice(int x) { return 2 * x; };',
    // Objective-C under -x objective-c.
    '@interface AppDelegate : NSObject <NSApplicationDelegate>',
    '@end',
    '- (void)applicationDidFinishLaunching:(NSNotification *)notification;',
    '+ (instancetype)shared;',
    'return [NSThread isMainThread];',
    '[NSApp run];',
    '@autoreleasepool {',
    // #ifdef splitting calls, if/else and declarations.
    '} else',
    'else',
    '                   int headers,',
    '               10);',
    'rd_kafka_headers_t *hdrs,',
    'static inline',
    'unsigned long long',
    'int a, b, c',
    'struct sockaddr addr',
    'red, green, blue,',
    'if (headers > 0) {',
    'case FOO: case BAR: default:',
    'cleanup:',
    // GNU extensions and C11.
    '__asm__(".symver memcpy,memcpy@GLIBC_2.2.5");',
    'complex float ctest(complex float c) { return c; }',
    'static _Thread_local int counter;',
    'static void f(char **p, int n, complex double a) {}',
    '__attribute__((visibility("default"))) int exported;',
    'const char *msg = "This is a sentence, in a string.";',
  ];
  for (const line of code) assert.equal(proseKind(lexC(line).lines[0].code), undefined, line);
});

test('prose: decoration of /** */ blocks only where the line comes from a block comment', () => {
  assert.equal(proseKind(' * #include <stdio.h>', true), 'decoration');
  assert.equal(proseKind(' *', true), 'decoration');
  assert.equal(proseKind(' * Frees the buffer.', true), 'decoration');
  assert.equal(proseKind(' * #include <stdio.h>', false), undefined);
  assert.equal(proseKind(' *p = 0;', true), undefined);
});

test('lexC: comments, literals, continuations and #if 0 as the C compiler reads them', () => {
  const lexed = lexC(
    [
      'int x; // This is a note.',
      '/* This opens',
      'a comment */ NOTE: here',
      '#define LONG This is \\',
      '  a macro body.',
      '#if 0',
      'Old notes live here.',
      '#else',
      'int y;',
      '#endif',
      '#ifdef FOO',
      'int z;',
      '#endif',
      '#define NOTE',
    ].join('\n'),
  );
  const at = (line: number) => lexed.lines[line - 1];
  assert.equal(at(1).code.trim(), 'int x;');
  assert.equal(at(2).code.trim(), '');
  assert.equal(at(3).code.trim(), 'NOTE: here');
  assert.equal(at(4).directive && at(4).continues, true);
  assert.equal(at(5).directive, true);
  assert.equal(at(7).skipped, true);
  assert.equal(at(9).skipped, false);
  assert.equal(at(12).conditional, true);
  assert.ok(lexed.macros.has('NOTE') && lexed.macros.has('LONG'));
});

test('preamble-comment-bleed: C that gcc builds and tree-sitter-c does not parse gives silence', async () => {
  const sources = [
    goFile(['#cgo CFLAGS: -x objective-c', '#cgo LDFLAGS: -framework Cocoa', '#import <Cocoa/Cocoa.h>', '@interface AppDelegate : NSObject <NSApplicationDelegate>', '@end', '@implementation AppDelegate', '- (void)applicationDidFinishLaunching:(NSNotification *)n {', '}', '@end', 'static int isMain(void) { return [NSThread isMainThread]; }']),
    goFile(['#define APIENTRY', 'typedef unsigned int GLenum;', 'typedef void (APIENTRY *GLDEBUGPROC)(GLenum source);']),
    goFile(['static int twice(int x) { return 2 * x; };', '// A C comment.', 'static int thrice(int x) { return 3 * x; }']),
    goFile(['#define VK_DEFINE_HANDLE(object) typedef struct object##_T* object;', 'VK_DEFINE_HANDLE(VkInstance)', 'VK_DEFINE_HANDLE(VkDevice)']),
    goFile(['#if 0', 'Old notes that gcc never reads.', '#endif', 'int x;']),
    goFile(['#ifdef __cplusplus', 'Notes for C++ readers only.', '#endif']),
  ];
  await ruleTester.run(rule, { valid: sources.map(one) });
});

test('preamble-comment-bleed: one finding per prose line, the lines after it judged on their own', async () => {
  // A stray `};`, then prose, then C that tree-sitter cannot parse, then prose again.
  const source = goFile([
    '#include <stdlib.h>',
    'static int twice(int x) { return 2 * x; };',
    'The helpers below must stay static.',
    '#define APIENTRY',
    'typedef void (APIENTRY *callback)(int);',
    'static int thrice(int x) { return 3 * x; }',
    'Keep thrice in sync with the Go version.',
  ]);
  await ruleTester.run(rule, { invalid: [{ ...one(source), errors: ['5', '9'] }] });
});

test('preamble-comment-bleed: the fix comments out only the prose line, and keeps CRLF and inline comments', async () => {
  const source = 'package p\r\n\r\n// #include <stdlib.h>\r\n// NOTE: keep in sync // with the Go side\r\n// static int one(void) { return 1; }\r\nimport "C"\r\n';
  await ruleTester.run(rule, { invalid: [{ ...one(source), errors: [{ at: '4:NOTE: keep in sync // with the Go side', applying: { output: { 'a.go': source.replace('// NOTE', '// // NOTE') } } }] }] });
});

test('preamble-comment-bleed: a prose line ending in a backslash is wrapped in /* */, never given a // that swallows the next line', async () => {
  const source = goFile(['#include <stdlib.h>', 'Paths use the Windows separator \\', 'static int twice(int x) { return 2 * x; }']);
  const fixed = source.replace('// Paths use the Windows separator \\\n', '// /* Paths use the Windows separator \\ */\n');
  // In a /* */ preamble no `*/` can be written: no comment fix at all.
  const block = 'package p\n\n/*\n#include <stdlib.h>\nPaths use the Windows separator \\\nstatic int twice(int x) { return 2 * x; }\n*/\nimport "C"\n';
  await ruleTester.run(rule, {
    invalid: [
      { ...one(source), errors: [{ at: '4', applying: { output: { 'a.go': fixed } } }] },
      { ...one(block), errors: [{ at: '5', fixes: [] }] },
    ],
  });
});

test('preamble-comment-bleed: "the build fails" only where no #if or macro can hide the line', async () => {
  const plain = goFile(['NOTE: Do not use -Wall.', 'int x;']);
  const underIf = goFile(['#ifdef LEGACY', 'NOTE: Do not use -Wall.', '#endif', 'int x;']);
  await ruleTester.run(rule, {
    invalid: [
      { ...one(plain), errors: [{ at: '3', message: /, so the build fails here/ }] },
      { ...one(underIf), errors: [{ at: '4', message: /unless a macro or an #if hides it, the build fails/ }] },
    ],
  });
});

test('preamble-comment-bleed: C names and includes after a prose line are still read', async () => {
  const source = goFile(['NOTE: Do not use -Wall.', '#include <stdlib.h>', 'static int twice(int x) { return 2 * x; }'], '\nimport "unsafe"\n\nfunc f(p unsafe.Pointer) int { C.free(p); return int(C.twice(2)) }\n');
  await ruleTester.run(rule, { invalid: [{ ...one(source), errors: ['3'] }] });
  await ruleTester.silent(rules, [one(source)], rule);
});
