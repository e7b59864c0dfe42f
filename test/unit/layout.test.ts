// The layout engine on hand-written types: sizes, alignments, member lookup by offset, and
// what it refuses to guess. layout-gcc.test.ts checks thousands of random cases against gcc.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CScope, DeclarationReader, evalConstant, type CType } from '../../server/src/cgo/cdecl';
import { accessPath, fieldAt, fieldContaining, fieldsAt, layoutOf, namedMembers, type LayoutTarget } from '../../server/src/cgo/layout';
import { testEngine } from '../support/engine';

const amd64: LayoutTarget = { goarch: 'amd64', goos: 'linux' };

async function scopeOf(source: string): Promise<CScope> {
  const engine = await testEngine();
  const scope = new CScope();
  const tree = engine.cParser.parse(source);
  assert.ok(tree);
  try {
    const parseConstant = (expr: string): number | undefined => {
      const t = engine.cParser.parse(`int __c = (${expr});`);
      try {
        return evalConstant(t?.rootNode.descendantsOfType('init_declarator')[0]?.childForFieldName('value') ?? null, scope);
      } finally {
        t?.delete();
      }
    };
    new DeclarationReader(scope, { file: 'x.h', toFile: (o) => o }, source, parseConstant).read(tree.rootNode);
  } finally {
    tree.delete();
  }
  return scope;
}

const named = (name: string): CType => ({ kind: 'typedef', name });

const article = `#include <stdint.h>
typedef struct { char *data; uint64_t len; } String;
typedef enum { ANIMAL_KIND_DOG, ANIMAL_KIND_CAT } AnimalKind;
typedef struct {
  AnimalKind kind;
  union {
    String cat_name;
    uint16_t dog_tail;
  };
} Animal;
`;

test('the article\'s Animal: 24 bytes, the anonymous union at 8', async () => {
  const scope = await scopeOf(article);
  assert.deepEqual(layoutOf(named('Animal'), scope, amd64), { size: 24, align: 8 });
  assert.deepEqual(layoutOf(named('String'), scope, amd64), { size: 16, align: 8 });
  assert.deepEqual(layoutOf(named('AnimalKind'), scope, amd64), { size: 4, align: 4 });
  assert.deepEqual(
    namedMembers(named('Animal'), scope, amd64)?.map((m) => `${m.name}@${m.offset}+${m.size}`),
    ['kind@0+4', 'cat_name@8+16', 'dog_tail@8+2'],
  );
  const len = fieldAt(named('Animal'), 16, 8, scope, amd64)!;
  assert.equal(accessPath(len), 'cat_name.len');
  assert.deepEqual(len.map((s) => [s.name, s.offset, s.size]), [[undefined, 8, 16], ['cat_name', 8, 16], ['len', 16, 8]]);
  assert.equal(accessPath(fieldAt(named('Animal'), 8, 2, scope, amd64)!), 'dog_tail');
  assert.equal(accessPath(fieldAt(named('Animal'), 8, 8, scope, amd64)!), 'cat_name.data');
  // No size: the outermost member there, in declaration order.
  assert.equal(accessPath(fieldAt(named('Animal'), 8, undefined, scope, amd64)!), 'cat_name');
  assert.deepEqual(fieldsAt(named('Animal'), 8, undefined, scope, amd64).map(accessPath), ['cat_name', 'cat_name.data', 'dog_tail']);
  // prefer picks among several.
  assert.equal(accessPath(fieldAt(named('Animal'), 8, undefined, scope, amd64, (t) => (t.kind === 'typedef' || t.kind === 'builtin') && t.name === 'uint16_t')!), 'dog_tail');
  // Inside a member, on padding, past the end.
  assert.equal(fieldAt(named('Animal'), 20, 4, scope, amd64), undefined);
  assert.equal(accessPath(fieldContaining(named('Animal'), 20, scope, amd64)!), 'cat_name.len');
  assert.deepEqual(fieldContaining(named('Animal'), 4, scope, amd64), []);
  assert.equal(fieldContaining(named('Animal'), 24, scope, amd64), undefined);
  assert.equal(fieldAt(named('Animal'), 16, 4, scope, amd64), undefined);
});

test('arrays of records, nested records, enums', async () => {
  const scope = await scopeOf(`
struct pt { short x, y; };
struct poly { unsigned char n; struct pt pts[3]; long double w; struct { int a; char b; } tail; double d[1]; };
enum small { A, B };
enum neg { N = -1 };
enum big { HUGE = 0x100000000 };
enum wide { W = 0x80000000u };
typedef int vec4[4];
struct e {};
`);
  const poly: CType = scope.tags.get('struct poly')!;
  assert.deepEqual(layoutOf(poly, scope, amd64), { size: 48, align: 16 });
  assert.equal(accessPath(fieldAt(poly, 6, 2, scope, amd64)!), 'pts[1].x');
  assert.equal(accessPath(fieldAt(poly, 12, 2, scope, amd64)!), 'pts[2].y');
  assert.equal(accessPath(fieldAt(poly, 16, 16, scope, amd64)!), 'w');
  assert.equal(accessPath(fieldAt(poly, 36, 1, scope, amd64)!), 'tail.b');
  assert.equal(accessPath(fieldAt(poly, 32, 4, scope, amd64, (t) => t.kind === 'builtin')!), 'tail.a');
  assert.deepEqual(layoutOf(scope.tags.get('enum small')!, scope, amd64), { size: 4, align: 4 });
  assert.deepEqual(layoutOf(scope.tags.get('enum neg')!, scope, amd64), { size: 4, align: 4 });
  assert.deepEqual(layoutOf(scope.tags.get('enum big')!, scope, amd64), { size: 8, align: 8 });
  assert.deepEqual(layoutOf(scope.tags.get('enum wide')!, scope, amd64), { size: 4, align: 4 });
  assert.deepEqual(layoutOf(named('vec4'), scope, amd64), { size: 16, align: 4 });
  assert.deepEqual(layoutOf(scope.tags.get('struct e')!, scope, amd64), { size: 0, align: 1 });
});

test('targets: long double on darwin/arm64, nothing for 32-bit targets', async () => {
  const scope = await scopeOf('struct s { char c; long double x; };');
  const s = scope.tags.get('struct s')!;
  assert.deepEqual(layoutOf(s, scope, { goarch: 'arm64', goos: 'linux' }), { size: 32, align: 16 });
  assert.deepEqual(layoutOf(s, scope, { goarch: 'arm64', goos: 'darwin' }), { size: 16, align: 8 });
  assert.deepEqual(layoutOf(s, scope, { goarch: 'amd64', goos: 'darwin' }), { size: 32, align: 16 });
  assert.equal(layoutOf(s, scope, { goarch: '386', goos: 'linux' }), undefined);
  assert.equal(layoutOf(s, scope, { goarch: 'arm', goos: 'linux' }), undefined);
});

test('unknown is undefined, never a guess', async () => {
  const scope = await scopeOf(`
#include <time.h>
struct bits { int a : 3; int b; };
struct withts { struct timespec t; int x; };
struct incomplete;
struct holder { struct incomplete *p; int n; };
struct fam { int n; char d[]; };
enum opaque;
enum fromMacro { M = SOME_MACRO };
struct usesmacro { char buf[UNKNOWN_LEN]; };
`);
  for (const tag of ['struct bits', 'struct withts', 'struct fam', 'struct usesmacro', 'enum fromMacro']) {
    assert.equal(layoutOf(scope.tags.get(tag)!, scope, amd64), undefined, tag);
  }
  assert.equal(layoutOf({ kind: 'record', union: false, tag: 'incomplete', fields: undefined, id: -1 }, scope, amd64), undefined);
  assert.equal(layoutOf({ kind: 'enum', tag: 'opaque', constants: undefined }, scope, amd64), undefined);
  assert.equal(layoutOf(named('off_t'), scope, amd64), undefined);
  assert.equal(layoutOf({ kind: 'void' }, scope, amd64), undefined);
  // A pointer to something unknown is still 8 bytes.
  assert.deepEqual(layoutOf(scope.tags.get('struct holder')!, scope, amd64), { size: 16, align: 8 });
  // Well-known names from headers that are not read.
  for (const [name, size] of [['uint16_t', 2], ['size_t', 8], ['intptr_t', 8], ['ssize_t', 8], ['ptrdiff_t', 8], ['int64_t', 8]] as const) {
    assert.deepEqual(layoutOf(named(name), scope, amd64), { size, align: size }, name);
  }
});
