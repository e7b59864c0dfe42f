// Property: on generated cgo files (C that compiles, with and without a prose line, line
// continuations, inline comments, CRLF, Objective-C under `-x objective-c`), every fix offered, applied alone, leaves a Go file
// that parses as well as before with the same imports of "C", and gcc's verdict on the
// preamble is never worse than before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import fc from 'fast-check';
import { cText } from '../../server/src/cgo/directives';
import { applyEdits } from '../../server/src/cgo/edits';
import { GoTokens } from '../../server/src/cgo/golex';
import { findImportsOfC, PreambleCache } from '../../server/src/cgo/preamble';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const target = resolveTarget('linux', 'amd64', {});
const file = '/virtual/prop/a.go';
const gcc = spawnSync('gcc', ['--version']).status === 0;
const objectiveC = spawnSync('gcc', ['-fsyntax-only', '-x', 'objective-c', '-'], { input: '@class A;\n' }).status === 0;

/** Pieces of C that compile on their own, one or more lines each. */
const validC = [
  '#include <stdlib.h>',
  '#define TWICE(x) ((x) * 2)',
  '#define LONG_SUM(a, b) \\\n    ((a) + \\\n     (b))',
  '#if defined(__linux__)\nstatic int on_linux(void) { return 1; }\n#else\nstatic int on_linux(void) { return 0; }\n#endif',
  'static int add(int x, int y) { return x + y; };',
  'typedef struct { int x, y; } point;',
  'static inline int __attribute__((unused)) quiet(void) { return 0; }',
  'static int digraphs(int a<::>) <% return a<:0:>; %>',
  'static int with_inline_comment(void) { return 1; } /* kept */',
  'static const char *path = "a//b"; // a C comment',
  'enum { RED, GREEN = 4 };',
  '#cgo CFLAGS: -DVALUE=3',
  '#cgo LDFLAGS: -lm',
  '#ifdef VALUE\n#define HAS_VALUE 1\n#endif',
  'static int k = 1; /* note */ static int j = 2;',
  'static int tab[] = { 1, 2, 3, };',
  '_Static_assert(sizeof(int) >= 2, "int is too small");',
  '/* a C comment\n   over two lines */',
  'static int cond(int x) {\n    return x ? 1 : 0;\n}',
  '',
];

/** Pieces of Objective-C that compile on their own under `-x objective-c` (gcc's cc1obj, GNU runtime). */
const validObjectiveC = [
  '#import <objc/runtime.h>',
  '@class Widget;',
  '@protocol Bumping\n- (int)bump;\n@end',
  '__attribute__((objc_root_class))\n@interface Counter {\n    Class isa;\n    int count;\n}\n+ (id)create;\n- (int)bump;\n@end\n@implementation Counter\n+ (id)create { return class_createInstance(self, 0); }\n- (int)bump { return ++count; }\n@end',
  '#include <objc/objc.h>\nstatic int is_nil(id p) { return p == nil; }',
  '#include <objc/objc.h>\nstatic SEL pick(void) { return @selector(bump); }',
  'static const char *int_code = @encode(int);',
];

const objectiveCFlag = '#cgo CFLAGS: -x objective-c';

/** Lines that are not C: what the rules exist for. */
const prose = ['NOTE: Do not use -Wall here.', 'See the README \\', 'TODO(x): remove once fixed'];

// Each piece once: twice, its definitions would clash.
const cPieces = fc.uniqueArray(fc.constantFrom(...validC), { minLength: 1, maxLength: 4 });
const objectiveCPieces = fc
  .uniqueArray(fc.constantFrom(...validObjectiveC, ...validC), { minLength: 1, maxLength: 4 })
  .map((pieces) => [objectiveCFlag, ...pieces]);

const preambleArb = fc.record({
  pieces: fc.oneof(cPieces, objectiveCPieces),
  prose: fc.option(fc.record({ line: fc.constantFrom(...prose), at: fc.nat(4) }), { nil: undefined }),
  block: fc.boolean(),
  blankLineBefore: fc.boolean(),
  crlf: fc.boolean(),
});

interface Spec {
  pieces: string[];
  prose: { line: string; at: number } | undefined;
  block: boolean;
  blankLineBefore: boolean;
  crlf: boolean;
}

function goFile({ pieces, prose: note, block, blankLineBefore, crlf }: Spec): string {
  const lines = pieces.join('\n').split('\n');
  if (note) lines.splice(Math.min(note.at, lines.length), 0, note.line);
  const comment = block ? `/*\n${lines.join('\n')}\n*/` : lines.map((line: string) => (line === '' ? '//' : `// ${line}`)).join('\n');
  const text = `package p\n\n${comment}\n${blankLineBefore ? '\n' : ''}import "C"\n\nfunc F() { _ = C.int(1) }\n`;
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Whether gcc compiles the C that cgo would hand it for each import "C" of the file. */
function compiles(text: string): boolean {
  const preambles = findImportsOfC(new GoTokens(new LineIndex(text)), new PreambleCache()).flatMap((imp) => (imp.preamble ? [cText(imp.preamble)] : []));
  const language = text.includes(objectiveCFlag) ? 'objective-c' : 'c';
  const result = spawnSync('gcc', ['-fsyntax-only', '-x', language, '-'], { input: `${preambles.join('\n')}\n`, encoding: 'utf8' });
  return result.status === 0;
}

test('every fix offered on generated cgo files keeps the Go file parsing and never makes gcc reject the preamble', { skip: !gcc ? 'gcc not found' : !objectiveC && !process.env.CI ? "gcc has no Objective-C (Debian's gobjc)" : false, timeout: 120_000 }, async () => {
  const engine = await testEngine();
  const hasError = (text: string): boolean => {
    const tree = engine.parseGo(text);
    try {
      return tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  };
  const importsOfC = (text: string): number => findImportsOfC(new GoTokens(new LineIndex(text)), engine.preambles).length;
  const tried = new Map<string, number>();
  let objectiveCFixed = 0;
  fc.assert(
    fc.property(preambleArb, (spec) => {
      const text = goFile(spec);
      const before = { hasError: hasError(text), compiles: compiles(text), imports: importsOfC(text) };
      for (const finding of engine.checkPackage('/virtual/prop', [{ path: file, text }], { target, onInvalidFix: () => undefined })) {
        for (const fix of finding.fixes) {
          const fixed = applyEdits(text, fix.edits.filter((edit) => edit.file === file)).text;
          tried.set(finding.rule, (tried.get(finding.rule) ?? 0) + 1);
          if (text.includes(objectiveCFlag) && before.compiles) objectiveCFixed++;
          const what = `${finding.rule}: "${fix.title}" on ${JSON.stringify(text)} gave ${JSON.stringify(fixed)}`;
          assert.ok(!hasError(fixed) || before.hasError, `the Go file no longer parses: ${what}`);
          assert.equal(importsOfC(fixed), before.imports, `import "C" lost: ${what}`);
          if (before.compiles) assert.ok(compiles(fixed), `gcc rejects the preamble after the fix: ${what}`);
        }
      }
    }),
    { numRuns: 100, seed: 20261201 },
  );
  // Not vacuous: the generated files draw fixes of both preamble rules, in C and in Objective-C.
  assert.ok(objectiveCFixed > 0, 'no fix was tried on an Objective-C preamble that gcc compiles');
  assert.ok((tried.get('preamble-comment-bleed') ?? 0) > 0 && (tried.get('preamble-detached') ?? 0) > 0, JSON.stringify([...tried]));
});
