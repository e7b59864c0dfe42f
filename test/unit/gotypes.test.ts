// C types → the Go names cmd/cgo gives them. The table says what gotypes.ts answers; the
// toolchain test checks every row against cgo itself: `go tool cgo` prints the Go signature it
// gives each C function (compared after following cgo's own type aliases), and `go vet`
// compiles one wrapper per row (`&C.v` returned as *T only compiles when T is exactly the type
// of C.v).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CScope } from '../../server/src/cgo/cdecl';
import { cgoBasicName, cgoBasicTypeNames, cNameOf, goParamType, goSignature, goType } from '../../server/src/cgo/gotypes';
import { buildCgoFile } from '../../server/src/cgo/package';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';
import { goEnv, requireGo } from '../support/go';

/** Declarations the table's rows refer to. */
const prelude = `#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
struct pt { int x, y; };
union u { int i; float f; };
enum color { RED, GREEN };
enum neg { MINUS = -1, PLUS = 1 };
typedef struct { int a; } anon_t;
typedef struct pt pt_t;
typedef enum { K_A, K_B } kind_t;
typedef int (*cb_t)(int);
typedef struct pt *pt_ptr;
typedef void *handle;
typedef unsigned int myuint;
typedef int vec4[4];
typedef void nothing_t;
struct opaque;
`;

interface FunctionRow {
  c: string;
  name: string;
  params: string[];
  /** undefined: the function returns void. */
  result: string | undefined;
}

const functions: FunctionRow[] = [
  { c: 'char f_char(char a);', name: 'f_char', params: ['C.char'], result: 'C.char' },
  { c: 'signed char f_schar(signed char a);', name: 'f_schar', params: ['C.schar'], result: 'C.schar' },
  { c: 'unsigned char f_uchar(unsigned char a);', name: 'f_uchar', params: ['C.uchar'], result: 'C.uchar' },
  { c: 'short int f_short(short a);', name: 'f_short', params: ['C.short'], result: 'C.short' },
  { c: 'unsigned short f_ushort(unsigned short int a);', name: 'f_ushort', params: ['C.ushort'], result: 'C.ushort' },
  { c: 'int f_int(int a);', name: 'f_int', params: ['C.int'], result: 'C.int' },
  { c: 'unsigned f_uint(unsigned int a);', name: 'f_uint', params: ['C.uint'], result: 'C.uint' },
  { c: 'long int f_long(long a);', name: 'f_long', params: ['C.long'], result: 'C.long' },
  { c: 'unsigned long f_ulong(long unsigned int a);', name: 'f_ulong', params: ['C.ulong'], result: 'C.ulong' },
  { c: 'long long f_longlong(long long int a);', name: 'f_longlong', params: ['C.longlong'], result: 'C.longlong' },
  { c: 'unsigned long long f_ulonglong(unsigned long long a);', name: 'f_ulonglong', params: ['C.ulonglong'], result: 'C.ulonglong' },
  { c: 'float f_float(float a);', name: 'f_float', params: ['C.float'], result: 'C.float' },
  { c: 'double f_double(double a);', name: 'f_double', params: ['C.double'], result: 'C.double' },
  { c: '_Bool f_bool(_Bool a);', name: 'f_bool', params: ['C._Bool'], result: 'C._Bool' },
  { c: 'bool f_stdbool(bool a);', name: 'f_stdbool', params: ['C._Bool'], result: 'C._Bool' },
  { c: 'size_t f_size(size_t a);', name: 'f_size', params: ['C.size_t'], result: 'C.size_t' },
  { c: 'uint64_t f_u64(uint64_t a);', name: 'f_u64', params: ['C.uint64_t'], result: 'C.uint64_t' },
  { c: 'int8_t f_i8(int8_t a);', name: 'f_i8', params: ['C.int8_t'], result: 'C.int8_t' },
  { c: 'uintptr_t f_uintptr(uintptr_t a);', name: 'f_uintptr', params: ['C.uintptr_t'], result: 'C.uintptr_t' },
  { c: 'void *f_voidp(void *a);', name: 'f_voidp', params: ['unsafe.Pointer'], result: 'unsafe.Pointer' },
  { c: 'const void *f_cvoidp(const void *a);', name: 'f_cvoidp', params: ['unsafe.Pointer'], result: 'unsafe.Pointer' },
  { c: 'nothing_t *f_tvoidp(nothing_t *a);', name: 'f_tvoidp', params: ['unsafe.Pointer'], result: 'unsafe.Pointer' },
  { c: 'char *f_charp(char *a);', name: 'f_charp', params: ['*C.char'], result: '*C.char' },
  { c: 'const char *f_ccharp(const char *const a);', name: 'f_ccharp', params: ['*C.char'], result: '*C.char' },
  { c: 'char **f_charpp(char **a);', name: 'f_charpp', params: ['**C.char'], result: '**C.char' },
  { c: 'struct pt f_struct(struct pt a);', name: 'f_struct', params: ['C.struct_pt'], result: 'C.struct_pt' },
  { c: 'struct pt *f_structp(const struct pt *a);', name: 'f_structp', params: ['*C.struct_pt'], result: '*C.struct_pt' },
  { c: 'union u f_union(union u a);', name: 'f_union', params: ['C.union_u'], result: 'C.union_u' },
  { c: 'enum color f_enum(enum color a);', name: 'f_enum', params: ['C.enum_color'], result: 'C.enum_color' },
  { c: 'enum neg f_enumneg(enum neg a);', name: 'f_enumneg', params: ['C.enum_neg'], result: 'C.enum_neg' },
  { c: 'anon_t f_anon(anon_t a);', name: 'f_anon', params: ['C.anon_t'], result: 'C.anon_t' },
  { c: 'pt_t f_ptt(pt_t a);', name: 'f_ptt', params: ['C.pt_t'], result: 'C.pt_t' },
  { c: 'kind_t f_kind(kind_t a);', name: 'f_kind', params: ['C.kind_t'], result: 'C.kind_t' },
  { c: 'cb_t f_cb(cb_t a);', name: 'f_cb', params: ['*[0]byte'], result: 'C.cb_t' },
  { c: 'int (*f_fp(int (*a)(int)))(int);', name: 'f_fp', params: ['*[0]byte'], result: '*[0]byte' },
  { c: 'int f_fnparam(int cb(int), int x);', name: 'f_fnparam', params: ['*[0]byte', 'C.int'], result: 'C.int' },
  { c: 'pt_ptr f_ptptr(pt_ptr a);', name: 'f_ptptr', params: ['*C.struct_pt'], result: 'C.pt_ptr' },
  { c: 'handle f_handle(handle a);', name: 'f_handle', params: ['C.handle'], result: 'C.handle' },
  { c: 'myuint f_myuint(myuint a);', name: 'f_myuint', params: ['C.myuint'], result: 'C.myuint' },
  { c: 'int f_arr(int a[4]);', name: 'f_arr', params: ['*C.int'], result: 'C.int' },
  { c: 'int f_vec(vec4 v);', name: 'f_vec', params: ['*C.int'], result: 'C.int' },
  { c: 'struct opaque *f_opaque(struct opaque *a);', name: 'f_opaque', params: ['*C.struct_opaque'], result: '*C.struct_opaque' },
  { c: 'void f_void(void);', name: 'f_void', params: [], result: undefined },
  { c: 'nothing_t f_tvoid(int a);', name: 'f_tvoid', params: ['C.int'], result: undefined },
  { c: 'int f_noproto();', name: 'f_noproto', params: [], result: 'C.int' },
  { c: 'const int f_cint(const int a, volatile long b);', name: 'f_cint', params: ['C.int', 'C.long'], result: 'C.int' },
];

interface VariableRow {
  c: string;
  name: string;
  type: string;
}

const variables: VariableRow[] = [
  { c: 'extern int v_int;', name: 'v_int', type: 'C.int' },
  { c: 'extern int v_arr[3];', name: 'v_arr', type: '[3]C.int' },
  { c: 'extern struct pt v_pt;', name: 'v_pt', type: 'C.struct_pt' },
  { c: 'extern char *v_str;', name: 'v_str', type: '*C.char' },
  { c: 'extern void *v_ptr;', name: 'v_ptr', type: 'unsafe.Pointer' },
  { c: 'extern cb_t v_cb;', name: 'v_cb', type: 'C.cb_t' },
  { c: 'extern pt_ptr v_ptptr;', name: 'v_ptptr', type: 'C.pt_ptr' },
  { c: 'extern int (*v_fp)(int);', name: 'v_fp', type: '*[0]byte' },
  { c: 'extern enum color v_color;', name: 'v_color', type: 'C.enum_color' },
  { c: 'extern anon_t v_anon;', name: 'v_anon', type: 'C.anon_t' },
  { c: 'extern union u v_u;', name: 'v_u', type: 'C.union_u' },
  { c: 'extern enum { VA_A, VA_B } v_anon_enum;', name: 'v_anon_enum', type: 'uint32' },
  { c: 'extern enum { VN_A = -1, VN_B } v_neg_enum;', name: 'v_neg_enum', type: 'int32' },
  { c: 'extern unsigned char v_bytes[2][3];', name: 'v_bytes', type: '[2][3]C.uchar' },
  { c: 'extern const double v_const;', name: 'v_const', type: 'C.double' },
];

/** Declarations cgo cannot give a Go type, or that cgo-lint does not map. */
const unmappable: { c: string; name: string; reason: RegExp }[] = [
  { c: 'int f_varargs(int n, ...);', name: 'f_varargs', reason: /variadic/ },
  { c: 'long double f_ld(long double x);', name: 'f_ld', reason: /long double/ },
  { c: 'extern struct { int a; } v_anon_struct;', name: 'v_anon_struct', reason: /anonymous struct/ },
];

const cSource = prelude + [...functions, ...variables, ...unmappable].map((r) => r.c).join('\n') + '\n';

async function scopeOf(source: string): Promise<CScope> {
  const engine = await testEngine();
  const goSource = `package p\n\n/*\n${source}*/\nimport "C"\n`;
  const tree = engine.parseGo(goSource);
  try {
    const file = buildCgoFile('/virtual/p/a.go', goSource, tree, resolveTarget('linux', 'amd64', {}), engine.preambles);
    return engine.fileScope(file, { dirs: [], flags: [], target: resolveTarget('linux', 'amd64', {}) }, () => undefined).scope;
  } finally {
    tree.delete();
  }
}

test('C function types → cgo\'s Go signatures', async () => {
  const scope = await scopeOf(cSource);
  for (const row of functions) {
    const decl = scope.names.get(row.name);
    assert.ok(decl?.type?.kind === 'function', row.c);
    const sig = goSignature(decl.type, { scope });
    assert.ok(sig.ok, `${row.c}: ${sig.ok ? '' : sig.reason}`);
    assert.deepEqual(sig.signature.params.map((p) => p.type), row.params, row.c);
    assert.equal(sig.signature.result, row.result, row.c);
  }
});

test('C variable types → cgo\'s Go types', async () => {
  const scope = await scopeOf(cSource);
  for (const row of variables) {
    const decl = scope.names.get(row.name);
    assert.ok(decl?.type, row.c);
    assert.deepEqual(goType(decl.type, { scope }), { ok: true, text: row.type, usesUnsafe: row.type.includes('unsafe') }, row.c);
  }
});

test('what has no Go type says why', async () => {
  const scope = await scopeOf(cSource);
  for (const row of unmappable) {
    const type = scope.names.get(row.name)!.type!;
    const result = type.kind === 'function' ? goSignature(type, { scope }) : goType(type, { scope });
    assert.equal(result.ok, false, row.c);
    assert.match(result.ok ? '' : result.reason, row.reason, row.c);
  }
});

test('parameter names: C names when they make Go names, never C, unsafe or a keyword', async () => {
  const scope = await scopeOf('void f(int C, int unsafe, int type, int x, int x2, void *p);\nvoid g(int, int);\n');
  const f = goSignature(scope.names.get('f')!.type as never, { scope }, ['x2']);
  assert.ok(f.ok);
  assert.deepEqual(f.signature.params, [
    { name: 'p0', type: 'C.int' },
    { name: 'p1', type: 'C.int' },
    { name: 'p2', type: 'C.int' },
    { name: 'x', type: 'C.int' },
    { name: 'p4', type: 'C.int' },
    { name: 'p', type: 'unsafe.Pointer' },
  ]);
  assert.ok(f.signature.usesUnsafe);
  const g = goSignature(scope.names.get('g')!.type as never, { scope });
  assert.ok(g.ok);
  assert.deepEqual(g.signature.params.map((p) => p.name), ['p0', 'p1']);
  // A file that imports unsafe under another name.
  assert.deepEqual(goParamType({ kind: 'pointer', to: { kind: 'void' } }, { unsafeName: 'u' }), { ok: true, text: 'u.Pointer', usesUnsafe: true });
});

test('cgo\'s names for C spellings, both ways', () => {
  const basics: [string, string][] = [
    ['char', 'char'], ['signed char', 'schar'], ['unsigned char', 'uchar'], ['short', 'short'], ['unsigned short', 'ushort'],
    ['int', 'int'], ['unsigned int', 'uint'], ['long', 'long'], ['unsigned long', 'ulong'], ['long long', 'longlong'],
    ['unsigned long long', 'ulonglong'], ['float', 'float'], ['double', 'double'], ['_Bool', '_Bool'],
  ];
  for (const [c, go] of basics) {
    assert.equal(cgoBasicName(c), go, c);
    assert.equal(cNameOf(go), c, go);
  }
  assert.equal(cgoBasicName('long double'), undefined);
  assert.equal(cNameOf('complexfloat'), 'float _Complex');
  assert.equal(cNameOf('struct_pt'), 'struct pt');
  assert.equal(cNameOf('union_u'), 'union u');
  assert.equal(cNameOf('enum_color'), 'enum color');
  assert.equal(cNameOf('sizeof_struct_pt'), 'sizeof(struct pt)');
  assert.equal(cNameOf('sizeof_ulong'), 'sizeof(unsigned long)');
  assert.equal(cNameOf('Animal'), 'Animal');
});

/** `type _Ctype_x = Y` lines of _cgo_gotypes.go. */
function cgoAliases(gotypes: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of gotypes.matchAll(/^type (_Ctype_\w+) = (.+)$/gm)) aliases.set(m[1], m[2].trim());
  return aliases;
}

/** A Go type with C.x written as cgo's _Ctype_x and every alias followed. */
function normalize(type: string, aliases: Map<string, string>): string {
  let text = type.replace(/\bC\.(\w+)/g, '_Ctype_$1');
  for (let i = 0; i < 16; i++) {
    const next = text.replace(/_Ctype_\w+/g, (name) => aliases.get(name) ?? name);
    if (next === text) break;
    text = next;
  }
  return text;
}

test('the table agrees with cmd/cgo (go tool cgo, go vet)', async (t) => {
  if (!requireGo('gotypes toolchain check')) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-gotypes-'));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/gotypes\n\ngo 1.19\n');
  const wrappers: string[] = [];
  for (const [i, row] of functions.entries()) {
    const params = row.params.map((type, k) => `p${k} ${type}`).join(', ');
    const args = row.params.map((_, k) => `p${k}`).join(', ');
    wrappers.push(row.result ? `func w${i}(${params}) ${row.result} { return C.${row.name}(${args}) }` : `func w${i}(${params}) { C.${row.name}(${args}) }`);
  }
  for (const [i, row] of variables.entries()) wrappers.push(`func v${i}() *${row.type} { return &C.${row.name} }`);
  for (const name of cgoBasicTypeNames) wrappers.push(`type t_${name} = C.${name}`);
  const source = `package gotypes\n\n/*\n${prelude}${[...functions, ...variables].map((r) => r.c).join('\n')}\n*/\nimport "C"\n\nimport "unsafe"\n\nvar _ unsafe.Pointer\n\n${wrappers.join('\n\n')}\n`;
  fs.writeFileSync(path.join(dir, 'gotypes.go'), source);
  const env = goEnv();

  await t.test('go vet compiles a wrapper per row', () => {
    const vet = spawnSync('go', ['vet', '.'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(vet.status, 0, `${vet.stderr}\n${source}`);
  });

  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));

  await t.test('go tool cgo declares C.f with these parameter and result types', () => {
    const objdir = path.join(dir, 'obj');
    fs.mkdirSync(objdir);
    const run = spawnSync('go', ['tool', 'cgo', '-objdir', objdir, 'gotypes.go'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const gotypes = fs.readFileSync(path.join(objdir, '_cgo_gotypes.go'), 'utf8');
    const aliases = cgoAliases(gotypes);
    for (const row of functions) {
      const m = new RegExp(`^func _Cfunc_${row.name}\\(([^)]*)\\) \\(r1 ([^)]*)\\)`, 'm').exec(gotypes);
      assert.ok(m, `no _Cfunc_${row.name} in _cgo_gotypes.go`);
      const params = m[1] === '' ? [] : m[1].split(', ').map((p) => p.replace(/^p\d+ /, ''));
      assert.deepEqual(params.map((p) => normalize(p, aliases)), row.params.map((p) => normalize(p, aliases)), `${row.c} parameters`);
      assert.equal(normalize(m[2], aliases), normalize(row.result ?? 'C.void', aliases), `${row.c} result`);
    }
  });
});
