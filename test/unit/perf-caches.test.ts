// The engine's caches across edits: whatever a cache kept from earlier versions of a file, the
// result must be what a cold engine finds. "Cold" is a new engine: it owns every cache
// (preambles, views, C syntax reports, kept C trees, system headers, flag checks, what rules
// keep), which start empty and which its dispose frees.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { BoundedCache } from '../../server/src/cgo/cache';
import { findProseLines } from '../../server/src/cgo/c';
import type * as CModule from '../../server/src/cgo/c';
import { Engine } from '../../server/src/cgo/engine';
import { GoTokens } from '../../server/src/cgo/golex';
import { findImportsOfC, PreambleCache } from '../../server/src/cgo/preamble';
import { rules } from '../../server/src/rules';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const srcRoot = path.resolve(__dirname, '../../server/src');

/** A new instance of an engine module and of everything under server/src it loads. */
function fresh<T>(relative: string): T {
  for (const key of Object.keys(require.cache)) if (key.startsWith(srcRoot + path.sep)) delete require.cache[key];
  return require(path.join(srcRoot, relative)) as T;
}

/** Each text after the previous one, from a list of [find, replace] edits applied in turn. */
function versions(start: string, edits: [string, string][]): string[] {
  const texts = [start];
  for (const [find, replace] of edits) {
    const last = texts[texts.length - 1];
    assert.ok(last.includes(find), `edit target ${JSON.stringify(find)} missing`);
    texts.push(last.replace(find, replace));
  }
  return texts;
}

const cLines = Array.from({ length: 40 }, (_, i) => `static int f${i}(int x) { return x + ${i}; }`);

const cEdits: [string, string][] = [
  ['f3(int x)', 'f3 (int x)'],
  // Statements at file scope that still parse without errors.
  ['static int f12', 'x = 1;\nstatic int f12'],
  ['x = 1;\n', ''],
  ['static int f14', 'if (x) { }\nstatic int f14'],
  ['if (x) { }\n', ''],
  ['return x + 7;', 'return x + 7'],
  ['static int f9', 'This line is prose.\nstatic int f9'],
  ['return x + 7', 'return x + 7;'],
  ['This line is prose.\n', ''],
  ['static int f20', '#if 0\nstatic int f20'],
  ['return x + 21; }', 'return x + 21; }\n#endif'],
  ['static int f21', 'g();\nstatic int f21'],
  ['g();\n', ''],
  ['static int f30', 'NOTE: do not use -Wall.\nstatic int f30'],
  ['f0', 'g0'],
  ['f39(int x) { return x + 39; }', ''],
  // C that does not parse but is no prose, with prose after it: the problems kept from the
  // text before each edit must be the ones a cold parse finds.
  ['static int f5', '};\nstatic int f5'],
  ['static int f25', 'VK_DEFINE_HANDLE(X)\nstatic int f25'],
  ['static int f33', 'Keep these helpers static.\nstatic int f33'],
  ['};\n', ''],
  ['VK_DEFINE_HANDLE(X)', 'VK_DEFINE_HANDLE(Y)'],
  ['Keep these', 'Keep all these'],
  ['static int f34', 'TODO\nstatic int f34'],
];

test('findProseLines reusing earlier trees and problems finds what a cold parse finds', async () => {
  const engine = await testEngine();
  const texts = versions(cLines.join('\n') + '\n', cEdits);
  // Twice through, so the second pass meets both reports and trees of earlier texts.
  const sequence = [...texts, ...[...texts].reverse()];
  const warm = sequence.map((text) => findProseLines(engine.cParser, text));
  const cold = sequence.map((text) => fresh<typeof CModule>('cgo/c').findProseLines(engine.cParser, text));
  assert.deepEqual(warm, cold);
  assert.ok(cold.some((report) => report.lines.length > 0));
});

function goFile(preamble: string[], body: string): string {
  return `package p\n\n${preamble.map((line) => `// ${line}`).join('\n')}\nimport "C"\n\n${body}`;
}

const body = Array.from({ length: 30 }, (_, i) => `func g${i}(x int) int {\n\treturn int(C.f${i}(C.int(x)))\n}\n`).join('\n');

const goEdits: [string, string][] = [
  ['func g5(', '// edited\nfunc g5('],
  ['// static int f2(', '// static int f2 ('],
  ['package p\n', 'package p\n\n'],
  // The preamble keeps its offset but moves down a line.
  ['package p\n\n', 'package p;\n'],
  ['package p;\n', 'package p\n\n'],
  ['// edited\n', ''],
  ['// static int f4', '// Prose above f4.\n// static int f4'],
  ['\nimport "C"', '\n\nimport "C"'],
  ['\n\nimport "C"', '\nimport "C"'],
  ['// static int f6', '/* block */\n// static int f6'],
  ['package p\n\n', 'package p\n'],
];

test('preambles reused across edits are the preambles of a cold run', async () => {
  const texts = versions(goFile(cLines, body), goEdits);
  const importsOf = (text: string, preambles: PreambleCache) => findImportsOfC(new GoTokens(new LineIndex(text)), preambles);
  const kept = new PreambleCache();
  const warm = [...texts, ...texts].map((text) => importsOf(text, kept));
  const cold = [...texts, ...texts].map((text) => importsOf(text, new PreambleCache()));
  assert.deepEqual(warm, cold);
});

test('checkPackage after a sequence of edits reports what a cold engine reports', async () => {
  const engine = await testEngine();
  const grammars = { go: engine.goParser.language!, c: engine.cParser.language! };
  const dir = '/virtual/perf';
  const target = resolveTarget('linux', 'amd64', {});
  const preamble = ['#cgo CFLAGS: -Wall', 'This comment is prose.', ...cLines, 'union u { int i; char c[4]; };'];
  const exported = '//export Exported\nfunc Exported() {}\n\nfunc free(p unsafe.Pointer) { C.free(p) }\n';
  const start = goFile(preamble, `import "unsafe"\n\n${body}\n${exported}`);
  const texts = versions(start, [
    ...goEdits,
    ['This comment is prose.', 'This comment is prose too.'],
    ['// #cgo CFLAGS: -Wall', '// #cgo CFLAGS: -Wall -Wunused-variable'],
    ['//export Exported\n', ''],
    ['// static int f1(', '// #include <stdlib.h>\n// static int f1('],
  ]);
  const check = (e: Engine, text: string) => e.checkPackage(dir, [{ path: `${dir}/a.go`, text }], { target, readText: () => undefined });
  const warm = [...texts, ...texts].map((text) => check(engine, text));
  const cold = [...texts, ...texts].map((text) => {
    // The engine owns every cache (its preambles, views, system headers, flag checks, what rules keep): a new one starts cold.
    const coldEngine = new Engine(grammars, rules);
    try {
      return check(coldEngine, text);
    } finally {
      coldEngine.dispose();
    }
  });
  assert.deepEqual(warm, cold);
  assert.ok(cold.every((findings) => findings.length > 0));
});

test('a LineIndex that finds lines as far as asked answers as one that knows them all', () => {
  const text = 'a\r\nbb\n\nccc\r\n\u00e9\n' + 'x\n'.repeat(50) + 'end';
  const starts = [0, ...[...text].flatMap((c, i) => (c === '\n' ? [i + 1] : []))];
  const offsets = [...Array(text.length + 2).keys()].map((i) => (i * 37) % (text.length + 2));
  const lazy = new LineIndex(text);
  for (const offset of offsets) {
    assert.equal(lazy.lineOf(offset), starts.filter((s) => s <= offset).length - 1, `lineOf(${offset})`);
    const position = new LineIndex(text).positionAt(offset);
    assert.deepEqual(lazy.positionAt(offset), position);
    assert.equal(lazy.byteColumn(offset), new LineIndex(text).byteColumn(offset));
  }
  assert.deepEqual(lazy.lineStarts, starts);
});

test('an edit in a function body parses neither Go nor C; an edit in the preamble parses no Go', async () => {
  const engine = await testEngine();
  const target = resolveTarget('linux', 'amd64', {});
  const dir = '/virtual/parses';
  // C.free with <stdlib.h> included, calls with arguments, no -Wall: no rule needs the Go code.
  const body = Array.from({ length: 50 }, (_, i) => `func g${i}(p unsafe.Pointer) int {\n\tC.free(p)\n\treturn int(C.f${i % 40}(C.int(${i})))\n}\n`).join('\n');
  const start = `package p\n\n// #include <stdlib.h>\n${cLines.map((line) => `// ${line}`).join('\n')}\nimport "C"\n\nimport "unsafe"\n\n${body}`;
  const [, bodyEdit, preambleEdit] = versions(start, [
    ['\treturn int(C.f7', '\t// edited\n\treturn int(C.f7'],
    ['f3(int x)', 'f3 (int x)'],
  ]);
  const parses = { go: 0, c: 0 };
  const parseC = engine.cParser.parse.bind(engine.cParser);
  engine.cParser.parse = (...args: Parameters<typeof parseC>) => {
    parses.c++;
    return parseC(...args);
  };
  const check = (text: string) => {
    parses.go = 0;
    parses.c = 0;
    const tree = () => {
      parses.go++;
      return engine.parseGo(text);
    };
    return engine.checkPackage(dir, [{ path: `${dir}/a.go`, text, tree }], { target, readText: () => undefined });
  };
  try {
    assert.deepEqual(check(start), []);
    assert.deepEqual(check(bodyEdit), []);
    assert.deepEqual(parses, { go: 0, c: 0 });
    assert.deepEqual(check(preambleEdit), []);
    assert.equal(parses.go, 0);
    assert.ok(parses.c > 0);
  } finally {
    engine.cParser.parse = parseC;
  }
});

test("an engine's checks fill only caches it owns, and its dispose empties them all", async () => {
  const shared = await testEngine();
  const engine = new Engine({ go: shared.goParser.language!, c: shared.cParser.language! }, rules);
  const dir = '/virtual/owned';
  // A flag refused, a definition in a file with //export, and a call of a function a system header declares (-Wall's rule reads it).
  // A project header, whose reading is kept for the next file that includes it.
  const preamble = ['#cgo CFLAGS: -Wall -fplugin=x.so', '#include <stdlib.h>', '#include "api.h"', 'int defined_here(void) { return 1; }'];
  const readText = (file: string): string | undefined => (file === `${dir}/api.h` ? 'enum { API_SIZE = 4 };\ntypedef struct { int v[API_SIZE]; } api_box;\n' : undefined);
  const text = goFile(preamble, 'import "unsafe"\n\n//export Exported\nfunc Exported() {}\n\nfunc release(p unsafe.Pointer) {\n\tC.free(p)\n\tC.abort()\n}\n');
  // Go 1.19: its cgo output still has the variable -Wall warns about.
  const findings = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text }], { target: resolveTarget('linux', 'amd64', {}, 19), readText });
  assert.deepEqual([...new Set(findings.map((f) => f.rule))].sort(), ['disallowed-cgo-flag', 'export-with-definitions', 'wall-false-positive']);
  const filled = engine.cacheSizes();
  for (const [cache, size] of Object.entries(filled)) assert.ok(size > 0, `${cache} holds nothing after a check: ${JSON.stringify(filled)}`);
  // Another engine shares none of it.
  const other = new Engine({ go: shared.goParser.language!, c: shared.cParser.language! }, rules);
  try {
    assert.ok(Object.values(other.cacheSizes()).every((size) => size === 0), JSON.stringify(other.cacheSizes()));
  } finally {
    other.dispose();
  }
  engine.dispose();
  assert.ok(Object.values(engine.cacheSizes()).every((size) => size === 0), JSON.stringify(engine.cacheSizes()));
});

test('a cache lets the least recently used go first; find reads an entry without making it recent, peek makes it recent', () => {
  const released: string[] = [];
  const cache = new BoundedCache<string, number>({ maxWeight: 2, release: (_value, key) => released.push(key) });
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.find('a'), 1);
  cache.set('c', 3);
  assert.deepEqual(released, ['a']);
  assert.equal(cache.peek('b'), 2);
  cache.set('d', 4);
  assert.deepEqual(released, ['a', 'c']);
  assert.equal(cache.find('a'), undefined);
  assert.deepEqual([...cache].map(([key]) => key), ['b', 'd']);
});
