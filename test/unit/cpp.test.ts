// The preprocessor's view of a preamble: conditions for the target, undecided branches read in
// turn, macro expansion with positions mapped back, and includes that follow the branches.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { preprocess, type CppConfig, type PreprocessedView, type ReadText } from '../../server/src/cgo/cpp';
import { PredefinedMacros } from '../../server/src/cgo/predefined';
import { buildCgoFile } from '../../server/src/cgo/package';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

const dir = '/virtual/pkg';
const goFile = path.join(dir, 'a.go');

function config(goos = 'linux', goarch = 'amd64', flags: string[] = []): CppConfig {
  return { dirs: [dir], flags, target: resolveTarget(goos, goarch, {}) };
}

/** A reader over in-memory files (relative to the package directory) that records every path asked for. */
function files(contents: Record<string, string> = {}): ReadText & { asked: string[] } {
  const asked: string[] = [];
  const read = ((file: string) => {
    asked.push(path.relative(dir, file));
    return contents[path.relative(dir, file)];
  }) as ReadText & { asked: string[] };
  read.asked = asked;
  return read;
}

const predefined = new PredefinedMacros();

function run(preamble: string, options: { config?: CppConfig; files?: ReadText } = {}): PreprocessedView {
  return preprocess([{ file: goFile, text: preamble }], options.config ?? config(), options.files ?? files(), predefined);
}

/** The compiled code lines of the first reading's preamble, without blank lines. */
function code(view: PreprocessedView, variant = 0): string[] {
  return view.variants[variant].units[0].text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

test('conditions on the target are decided: the other branch is not compiled', () => {
  const preamble = '#ifdef _WIN32\nint win;\n#elif defined(__APPLE__) && defined(__MACH__)\nint mac;\n#else\nint other;\n#endif\n';
  assert.deepEqual(code(run(preamble)), ['int other;']);
  assert.deepEqual(code(run(preamble, { config: config('windows', 'amd64') })), ['int win;']);
  assert.deepEqual(code(run(preamble, { config: config('darwin', 'arm64') })), ['int mac;']);
  const view = run(preamble);
  assert.equal(view.variants.length, 1);
  assert.equal(view.undecided, false);
});

test('integer arithmetic, comparisons and predefined values (gcc 12, gnu17, LP64)', () => {
  const preamble = [
    '#if __SIZEOF_POINTER__ == 8 && __LP64__ && (__GNUC__ >= 12 || defined __clang__)',
    'int lp64;',
    '#endif',
    '#if __STDC_VERSION__ >= 201112L',
    'int c11;',
    '#endif',
    '#if (1 << 4) - 0x10 + 010 / 2 % 3 == 1 && !0 && -1 < 0 && (2 > 1 ? 1 : 0)',
    'int arithmetic;',
    '#endif',
    '#if defined(__x86_64__) || defined(__aarch64__)',
    'int sixty_four;',
    '#endif',
  ].join('\n');
  assert.deepEqual(code(run(preamble)), ['int lp64;', 'int c11;', 'int arithmetic;', 'int sixty_four;']);
  // 386 is ILP32; windows/amd64 is LLP64; -std=c99 sets __STDC_VERSION__ 199901L.
  assert.deepEqual(code(run(preamble, { config: config('linux', '386') })), ['int c11;', 'int arithmetic;']);
  assert.deepEqual(code(run(preamble, { config: config('windows', 'amd64') })), ['int c11;', 'int arithmetic;', 'int sixty_four;']);
  assert.deepEqual(code(run(preamble, { config: config('linux', 'arm64', ['-std=c99']) })), ['int lp64;', 'int arithmetic;', 'int sixty_four;']);
});

test('-D and -U flags count, in order, and so do the #defines of the preamble', () => {
  const preamble = '#if FEATURE > 1\nint feature;\n#endif\n#ifdef NDEBUG\nint release;\n#endif\n#define LOCAL 3\n#if LOCAL == 3\nint local;\n#endif\n#undef LOCAL\n#ifndef LOCAL\nint undefined_again;\n#endif\n';
  assert.deepEqual(code(run(preamble, { config: config('linux', 'amd64', ['-DFEATURE=2', '-D', 'NDEBUG', '-UNDEBUG']) })), ['int feature;', '#define LOCAL 3', 'int local;', '#undef LOCAL', 'int undefined_again;']);
  assert.deepEqual(code(run(preamble, { config: config('linux', 'amd64', ['-DNDEBUG']) })), ['int release;', '#define LOCAL 3', 'int local;', '#undef LOCAL', 'int undefined_again;']);
});

test('a name only an unread system header could define is undecided: each branch is read in a variant of its own', () => {
  // confluent-kafka-go's shape: the #ifdef splits an if/else.
  const preamble = [
    '#include <librdkafka/rdkafka.h>',
    'static int f(int x) {',
    '#ifdef RD_KAFKA_V_HEADERS',
    '  if (x) {',
    '#else',
    '  if (!x) {',
    '#endif',
    '    return 1;',
    '  }',
    '  return 0;',
    '}',
  ].join('\n');
  const view = run(preamble);
  assert.equal(view.undecided, true);
  assert.equal(view.variants.length, 2);
  assert.deepEqual(code(view, 0), ['#include <librdkafka/rdkafka.h>', 'static int f(int x) {', 'if (x) {', 'return 1;', '}', 'return 0;', '}']);
  assert.deepEqual(code(view, 1), ['#include <librdkafka/rdkafka.h>', 'static int f(int x) {', 'if (!x) {', 'return 1;', '}', 'return 0;', '}']);
  // Lines under the condition are compiled in some variant, not certainly.
  const lineOf = (text: string): number => preamble.indexOf(text);
  const active = view.variants[0].units[0].active;
  assert.ok(active.some((r) => !r.certain && r.start <= lineOf('  if (x)') && lineOf('  if (x)') <= r.end));
  assert.ok(active.some((r) => r.certain && r.start <= lineOf('    return 1;') && lineOf('    return 1;') <= r.end));
});

test('before any system header, a name nothing defines is 0; target names stay decided after one', () => {
  assert.deepEqual(code(run('#ifdef SOME_OPTION\nint a;\n#else\nint b;\n#endif\n')), ['int b;']);
  const after = run('#include <stdio.h>\n#ifdef _WIN32\nint a;\n#endif\n#if !defined(__linux__)\nint b;\n#endif\n#ifdef __cplusplus\nextern "C" {\n#endif\nint c;\n');
  assert.equal(after.undecided, false);
  assert.deepEqual(code(after), ['#include <stdio.h>', 'int c;']);
});

test('a reserved name the compiler may predefine (__SSE2__) is undecided even before any header', () => {
  const view = run('#ifdef __SSE2__\nint sse;\n#else\nint plain;\n#endif\n');
  assert.equal(view.undecided, true);
  assert.deepEqual(code(view, 0), ['int sse;']);
  assert.deepEqual(code(view, 1), ['int plain;']);
});

test('__has_include: a project header resolves it, a system header leaves it undecided', () => {
  const read = files({ 'config.h': '#define HAVE_CONFIG 1\n' });
  const view = run('#if __has_include("config.h")\n#include "config.h"\n#endif\n#if HAVE_CONFIG\nint configured;\n#endif\n#if __has_include(<zstd.h>)\nint zstd;\n#endif\n', { files: read });
  assert.deepEqual(code(view, 0), ['#include "config.h"', 'int configured;', 'int zstd;']);
  assert.deepEqual(code(view, 1), ['#include "config.h"', 'int configured;']);
});

test('include guards of project headers are decided after a system header', () => {
  const read = files({ 'api.h': '#ifndef API_H\n#define API_H\n#include <stdint.h>\n#define API extern\n#endif\n' });
  const view = run('#include <stddef.h>\n#include "api.h"\nAPI int counter;\n', { files: read });
  assert.equal(view.undecided, false);
  assert.deepEqual(code(view), ['#include <stddef.h>', '#include "api.h"', 'extern int counter;']);
  assert.deepEqual(view.headers, [path.join(dir, 'api.h')]);
});

test('includes follow the branches: one not compiled is never looked up', () => {
  const read = files({ 'lin.h': 'int linux_only;\n' });
  const view = run('#ifdef _WIN32\n#include "missing_win.h"\n#include <windows.h>\n#elif defined(__linux__)\n#include "lin.h"\n#endif\n#if 0\n#include "never.h"\n#endif\n', { files: read });
  assert.deepEqual(read.asked.filter((p) => p !== 'lin.h'), []);
  assert.deepEqual(view.includes.map((i) => [i.name, i.resolved && path.relative(dir, i.resolved)]), [['lin.h', 'lin.h']]);
  assert.deepEqual(view.skippedIncludes.map((i) => i.name), ['missing_win.h', 'windows.h', 'never.h']);
  assert.equal(view.variants[0].units[1].text, 'int linux_only;\n');
});

test('headers are read in order with the macros defined so far, nested includes reached through the preamble include', () => {
  const read = files({
    'inc/a.h': '#include "b.h"\n#ifdef FROM_PREAMBLE\nint seen_preamble_macro;\n#endif\n',
    'inc/b.h': '#define FROM_B 1\n',
  });
  const view = run('#define FROM_PREAMBLE\n#include "inc/a.h"\n#if FROM_B\nint b_first;\n#endif\n', { files: read });
  const units = view.variants[0].units.map((u) => path.relative(dir, u.file) || u.file);
  assert.deepEqual(units, ['a.go', 'inc/a.h', 'inc/b.h']);
  assert.deepEqual(code(view), ['#define FROM_PREAMBLE', '#include "inc/a.h"', 'int b_first;']);
  assert.match(view.variants[0].units[1].text, /int seen_preamble_macro;/);
  const nested = view.includes.find((i) => i.name === 'b.h')!;
  assert.equal(nested.via?.name, 'inc/a.h');
});

test('object-like and function-like macros are expanded, positions mapped back to the invocation', () => {
  const preamble = [
    '#define APIENTRY',
    'typedef void (APIENTRY *GLDEBUGPROC)(unsigned int);',
    '#define SQLITE_EXTERN extern',
    'SQLITE_EXTERN const char sqlite3_version[];',
    '#define DECLARE_GETTER(T, name) T get_##name(void) { return (T)0; }',
    'DECLARE_GETTER(int, int)',
    '#define STR(x) #x',
    'const char *s = STR(a  "b");',
    '#define LOG(fmt, ...) printf(fmt, ##__VA_ARGS__)',
    'void g(void) { LOG("x"); LOG("%d", 1); }',
  ].join('\n');
  const unit = run(preamble).variants[0].units[0];
  const lines = unit.text.split('\n');
  assert.equal(lines.length, preamble.split('\n').length);
  assert.equal(lines[1], 'typedef void ( *GLDEBUGPROC)(unsigned int);');
  assert.equal(lines[3], 'extern const char sqlite3_version[];');
  assert.equal(lines[5], 'int get_int(void) { return (int)0; }');
  assert.equal(lines[7], 'const char *s = "a \\"b\\"";');
  assert.equal(lines[9], 'void g(void) { printf("x"); printf("%d", 1); }');
  // Verbatim text maps offset for offset; an expansion maps to its invocation.
  const star = unit.text.indexOf('*GLDEBUGPROC');
  assert.equal(unit.map.toSource(star), preamble.indexOf('*GLDEBUGPROC'));
  assert.deepEqual(unit.map.verbatim(star, star + '*GLDEBUGPROC'.length), { start: preamble.indexOf('*GLDEBUGPROC'), end: preamble.indexOf('*GLDEBUGPROC') + 12 });
  const externAt = unit.text.indexOf('extern const');
  assert.equal(unit.map.toSource(externAt), preamble.indexOf('SQLITE_EXTERN const'));
  assert.equal(unit.map.toSourceEnd(externAt + 'extern'.length), preamble.indexOf('SQLITE_EXTERN const') + 'SQLITE_EXTERN'.length);
  assert.equal(unit.map.verbatim(externAt, externAt + 6), undefined);
  const name = unit.text.indexOf('sqlite3_version');
  assert.equal(unit.map.toSource(name), preamble.indexOf('sqlite3_version'));
  assert.equal(unit.map.toSource(unit.text.indexOf('get_int')), preamble.indexOf('DECLARE_GETTER(int'));
});

test('an invocation over several lines keeps the line count; macros do not expand before their #define', () => {
  const preamble = 'int early = LIMIT;\n#define LIMIT 8\n#define PAIR(a, b) a + b\nint x = PAIR(1,\n  2);\nint y = LIMIT;\n';
  const text = run(preamble).variants[0].units[0].text;
  // The `;` stays on its own source line, after the expansion.
  assert.deepEqual(text.split('\n'), ['int early = LIMIT;', '#define LIMIT 8', '#define PAIR(a, b) a + b', 'int x = 1 +    2', ';', 'int y = 8;', '']);
});

test('self-referential and exponential macros terminate with bounded output', () => {
  const recursive = run('#define A A + 1\n#define f(x) f(x + 1)\nint a = A;\nint b = f(0);\n').variants[0].units[0].text;
  assert.match(recursive, /int a = A \+ 1;/);
  assert.match(recursive, /int b = f\(0 \+ 1\);/);
  const defines = ['#define X0 x'];
  for (let i = 1; i <= 40; i++) defines.push(`#define X${i} X${i - 1} X${i - 1}`);
  const source = `${defines.join('\n')}\nint v = X40;\n`;
  const text = run(source).variants[0].units[0].text;
  assert.ok(text.length <= 4 * source.length + 2 * 1024 * 1024, `produced ${text.length} characters`);
});

test('block comments and line splices are honoured: a # inside a comment is no directive', () => {
  const preamble = '/* a comment\n#if 0\n*/\nint kept;\n#define LONG \\\n  extern\nLONG int spliced;\n// #error not a directive\n';
  assert.deepEqual(code(run(preamble)), ['/* a comment', '#if 0', '*/', 'int kept;', '#define LONG \\', 'extern', 'extern int spliced;', '// #error not a directive']);
});

test('the C scope reads the preprocessed preamble: declarations map back to the .go file', async () => {
  const engine = await testEngine();
  const source = 'package p\n\n/*\n#ifdef _WIN32\nint only_windows(void);\n#endif\n#define EXTERN extern\nEXTERN int counter;\n*/\nimport "C"\n';
  const tree = engine.parseGo(source);
  try {
    const target = resolveTarget('linux', 'amd64', {});
    const file = buildCgoFile(goFile, source, tree, target, engine.preambles);
    const { scope, walk } = engine.fileScope(file, { dirs: [dir], flags: [], target }, () => undefined);
    assert.equal(scope.names.has('only_windows'), false);
    const counter = scope.names.get('counter')!;
    assert.equal(counter.defined, false);
    assert.equal(source.slice(counter.location.start, counter.location.end), 'EXTERN int counter;');
    assert.equal(counter.text, 'EXTERN int counter;');
    assert.deepEqual(walk.system, []);
  } finally {
    tree.delete();
  }
});
