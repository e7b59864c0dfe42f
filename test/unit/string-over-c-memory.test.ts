// string-over-c-memory on small functions: which unsafe.String calls it reports (the memory
// written while the string is still used), where it stays silent (a copy, Go memory, no write,
// a write before the string or after its last use, const parameters, flow out of sight), the
// Go releases it answers for, and the exact text of its fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { stringOverCMemory as rule } from '../../server/src/rules/string-over-c-memory';
import { fixed, findings as findingsOf, type PackageCase } from '../support/ruleTester';

const one = (source: string, goMinor = 26): PackageCase => ({ name: source, files: { 'a.go': source }, target: resolveTarget('linux', 'amd64', {}, goMinor) });
const check = (source: string, goMinor?: number): Promise<Finding[]> => findingsOf(rule, one(source, goMinor));

function lines(findings: Finding[], source: string): number[] {
  const index = new LineIndex(source);
  return findings.map((f) => index.lineOf(f.start) + 1);
}

const head = [
  'package p',
  '',
  '// #include <stdlib.h>',
  '// #include <string.h>',
  '// typedef struct { char *data; size_t len; } String;',
  '// String get_name(void);',
  '// char *get_buffer(void);',
  '// void upcase(char *s);',
  '// void upcase_void(void *s);',
  '// size_t count(const char *s);',
  '// size_t count_bytes(const void *s, size_t n);',
  '// typedef const char cchar;',
  '// void show(cchar *s);',
  'import "C"',
  '',
  'import (',
  '\t"fmt"',
  '\t"unsafe"',
  ')',
  '',
  'var _ = fmt.Sprint',
  '',
  '',
].join('\n');

/** A file whose body is `body`; its first line is line 23. */
const file = (body: string): string => head + body;

test('string-over-c-memory: the memory written while the string is still used is reported at unsafe.String', async () => {
  const cases: { name: string; body: string; line: number; message?: RegExp }[] = [
    {
      name: "the article's slice[0] -= 32",
      body: 'func f() {\n\tcat_name := C.get_name()\n\tslice := unsafe.Slice(cat_name.data, cat_name.len)\n\tstr := unsafe.String((*byte)(unsafe.Pointer(cat_name.data)), cat_name.len)\n\tfmt.Println(slice, str)\n\tslice[0] -= 32\n\tfmt.Println(str)\n}\n',
      line: 26,
      message: /over the C memory at cat_name\.data, and slice\[0\] -= 32 \(line 28\) writes it through slice, an unsafe\.Slice over the same pointer, while str is still used \(line 29\).*C\.GoStringN\(cat_name\.data, C\.int\(cat_name\.len\)\)\.$/,
    },
    {
      name: 'a C function taking char *',
      body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.upcase(p)\n\tfmt.Println(s)\n}\n',
      line: 25,
      message: /C\.upcase\(p\) \(line 26\) may write it: C\.upcase takes it as a pointer to non-const/,
    },
    {
      name: 'a C function taking void *, given unsafe.Pointer(p)',
      body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.upcase_void(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n',
      line: 25,
    },
    {
      name: 'C.free, then the string is printed',
      body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.free(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n',
      line: 25,
      message: /C\.free\(unsafe\.Pointer\(p\)\) \(line 26\) frees it, while s is still used \(line 27\)/,
    },
    {
      name: 'a deferred C.free and the string returned',
      body: 'func f() string {\n\tp := C.get_buffer()\n\tdefer C.free(unsafe.Pointer(p))\n\treturn unsafe.String((*byte)(unsafe.Pointer(p)), C.strlen(p))\n}\n',
      line: 26,
      message: /the deferred C\.free\(unsafe\.Pointer\(p\)\) \(line 25\) frees it after the return at line 26 has handed the string to the caller/,
    },
    {
      name: 'a deferred closure that frees, the string variable returned',
      body: 'func f() (string, error) {\n\tp := C.get_buffer()\n\tdefer func() { C.free(unsafe.Pointer(p)) }()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\treturn s, nil\n}\n',
      line: 26,
    },
    {
      name: 'copy into the slice, the string used in a later if',
      body: 'func f(ok bool) {\n\tp := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(p)), 5)\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tcopy(b, "HELLO")\n\tif ok {\n\t\tfmt.Println(s)\n\t}\n}\n',
      line: 26,
    },
    {
      name: 'a write in one branch, the use after the if',
      body: 'func f(shout bool) {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tif shout {\n\t\tC.upcase(p)\n\t}\n\tfmt.Println(s)\n}\n',
      line: 25,
    },
    {
      name: 'every index of a slice as long as the string, in a loop',
      body: 'func f(n C.size_t) {\n\tp := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), n)\n\tfor i := range b {\n\t\tb[i] = \'x\'\n\t}\n\tfmt.Println(s)\n}\n',
      line: 26,
    },
    {
      name: 'a *C.char parameter, *p written',
      body: 'func f(p *C.char, n C.int) {\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), n)\n\t*p = 0\n\tfmt.Println(s)\n}\n',
      line: 24,
    },
  ];
  for (const c of cases) {
    const source = file(c.body);
    const found = await check(source);
    assert.deepEqual(lines(found, source), [c.line], c.name);
    if (c.message) assert.match(found[0].message, c.message, c.name);
    assert.equal(found[0].severity, 'warning', c.name);
  }
});

test('string-over-c-memory: silent on copies, Go memory, no later write, no later use, const parameters and flow out of sight', async () => {
  const cases: { name: string; body: string }[] = [
    { name: 'C.GoStringN copies', body: 'func f() {\n\tp := C.get_buffer()\n\ts := C.GoStringN(p, 5)\n\tC.upcase(p)\n\tfmt.Println(s)\n}\n' },
    { name: 'string(unsafe.Slice(…)) copies', body: 'func f() {\n\tp := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(p)), 5)\n\ts := string(b)\n\tb[0] = 0\n\tfmt.Println(s)\n}\n' },
    { name: 'over a []byte (Go memory)', body: 'func f(b []byte) {\n\ts := unsafe.String(&b[0], len(b))\n\tfmt.Println(s)\n}\n' },
    { name: 'over a *byte parameter', body: 'func f(p *byte, n int) string {\n\treturn unsafe.String(p, n)\n}\n' },
    { name: 'C memory never written (a library-owned error string)', body: 'func f() string {\n\tcstr := C.get_buffer()\n\treturn unsafe.String((*byte)(unsafe.Pointer(cstr)), int(C.strlen(cstr)))\n}\n' },
    { name: 'written before the string is made', body: 'func f() {\n\tp := C.get_buffer()\n\tC.upcase(p)\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tfmt.Println(s)\n}\n' },
    { name: 'freed after the last use', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tfmt.Println(s)\n\tC.free(unsafe.Pointer(p))\n}\n' },
    { name: 'deferred free, the string used only inside', body: 'func f() int {\n\tp := C.get_buffer()\n\tdefer C.free(unsafe.Pointer(p))\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\treturn len(s) + len(fmt.Sprint(s))\n}\n' },
    { name: 'only len(s) after the free', body: 'func f() int {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.free(unsafe.Pointer(p))\n\treturn len(s)\n}\n' },
    { name: 'const char * parameter', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.count(p)\n\tfmt.Println(s)\n}\n' },
    { name: 'const void * parameter', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.count_bytes(unsafe.Pointer(p), 5)\n\tfmt.Println(s)\n}\n' },
    { name: 'a const typedef pointee', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.show(p)\n\tfmt.Println(s)\n}\n' },
    { name: 'a system function the rule cannot read', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.memset(unsafe.Pointer(p), 0, 5)\n\tfmt.Println(s)\n}\n' },
    { name: 'the write and the use in different branches', body: 'func f(free bool) {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tif free {\n\t\tC.free(unsafe.Pointer(p))\n\t} else {\n\t\tfmt.Println(s)\n\t}\n}\n' },
    { name: 'the write on a path that returns', body: 'func f(free bool) {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tif free {\n\t\tC.free(unsafe.Pointer(p))\n\t\treturn\n\t}\n\tfmt.Println(s)\n}\n' },
    { name: 'the pointer reassigned', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tp = C.get_buffer()\n\tC.free(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n' },
    { name: 'the struct address taken', body: 'func f() {\n\tn := C.get_name()\n\ts := unsafe.String((*byte)(unsafe.Pointer(n.data)), n.len)\n\tC.free(unsafe.Pointer(n.data))\n\tg(&n)\n\tfmt.Println(s)\n}\n\nfunc g(*C.String) {}\n' },
    { name: 'the string read in a closure', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tprint := func() { fmt.Println(s) }\n\tC.free(unsafe.Pointer(p))\n\tprint()\n}\n' },
    { name: 'a write in a goroutine', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tgo C.upcase(p)\n\tfmt.Println(s)\n}\n' },
    { name: 'a slice longer than the string, written past it', body: 'func f(n int) {\n\tp := C.get_buffer()\n\tbuf := unsafe.Slice((*byte)(unsafe.Pointer(p)), 64)\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), n)\n\tbuf[n] = 0\n\tfmt.Println(s)\n}\n' },
    { name: 'the same length text, its variable reassigned in between', body: 'func f(n int) {\n\tp := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(p)), n)\n\tn = 2\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), n)\n\tb[3] = 0\n\tfmt.Println(s)\n}\n' },
    { name: 'the same C.strlen(p) text, the memory shortened in between', body: 'func f() {\n\tp := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(p)), C.strlen(p))\n\tb[2] = 0\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), C.strlen(p))\n\tb[3] = 1\n\tfmt.Println(s)\n}\n' },
    { name: 'a slice over another pointer', body: 'func f() {\n\tp := C.get_buffer()\n\tq := C.get_buffer()\n\tb := unsafe.Slice((*byte)(unsafe.Pointer(q)), 5)\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tb[0] = 0\n\tfmt.Println(s)\n}\n' },
    { name: 'a shadowing p freed in an inner block', body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\t{\n\t\tp := C.get_buffer()\n\t\tC.free(unsafe.Pointer(p))\n\t}\n\tfmt.Println(s)\n}\n' },
    { name: 'a map lookup with a temporary key', body: 'var m = map[string]int{}\n\nfunc f(p *C.char, n C.size_t) int {\n\tv := m[unsafe.String((*byte)(unsafe.Pointer(p)), int(n))]\n\tC.free(unsafe.Pointer(p))\n\treturn v\n}\n' },
  ];
  for (const c of cases) {
    const found = await check(file(c.body));
    assert.deepEqual(found.map((f) => f.message), [], c.name);
  }
});

test('string-over-c-memory: silent before Go 1.20, which has no unsafe.String; quotes the doc of the release checked', async () => {
  const source = file('func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.free(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n');
  assert.deepEqual(lines(await check(source, 19), source), []);
  const go120 = await check(source, 20);
  assert.deepEqual(lines(go120, source), [25]);
  // src/unsafe/unsafe.go's wording of each release.
  assert.match(go120[0].message, /"the bytes passed to String must not be modified afterwards"/);
  assert.match((await check(source, 23))[0].message, /"the bytes passed to String must not be modified as long as the returned string value exists"/);
});

test('string-over-c-memory: the fix copies with C.GoStringN, given a *C.char and a C.int', async () => {
  const cases: { name: string; body: string; fixed: string }[] = [
    {
      name: 'a char * from a C function, unsafe used elsewhere: the pointer as it is',
      body: 'func f() {\n\tp := C.get_buffer()\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.free(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n',
      fixed: 'func f() {\n\tp := C.get_buffer()\n\ts := C.GoStringN(p, C.int(5))\n\tC.free(unsafe.Pointer(p))\n\tfmt.Println(s)\n}\n',
    },
    {
      name: 'a *C.char parameter, unsafe used nowhere else: the conversion keeps the import used',
      body: 'func f(p *C.char) string {\n\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 5)\n\tC.upcase(p)\n\treturn s\n}\n',
      fixed: 'func f(p *C.char) string {\n\ts := C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(5))\n\tC.upcase(p)\n\treturn s\n}\n',
    },
    {
      name: 'a *byte from (*byte)(C.malloc(n)), a C.int length kept',
      body: 'func f(n C.int) {\n\tb := (*byte)(C.malloc(C.size_t(n)))\n\ts := unsafe.String(b, n)\n\tC.free(unsafe.Pointer(b))\n\tfmt.Println(s)\n}\n',
      fixed: 'func f(n C.int) {\n\tb := (*byte)(C.malloc(C.size_t(n)))\n\ts := C.GoStringN((*C.char)(unsafe.Pointer(b)), C.int(n))\n\tC.free(unsafe.Pointer(b))\n\tfmt.Println(s)\n}\n',
    },
    {
      name: 'an int(…) length',
      body: 'func f() string {\n\tp := C.get_buffer()\n\tdefer C.free(unsafe.Pointer(p))\n\treturn unsafe.String((*byte)(unsafe.Pointer(p)), int(C.strlen(p)))\n}\n',
      fixed: 'func f() string {\n\tp := C.get_buffer()\n\tdefer C.free(unsafe.Pointer(p))\n\treturn C.GoStringN(p, C.int(int(C.strlen(p))))\n}\n',
    },
  ];
  for (const c of cases) {
    const source = file(c.body);
    const found = await check(source);
    assert.equal(found.length, 1, c.name);
    assert.equal((await fixed(rule, one(source)))['a.go'], file(c.fixed), c.name);
    assert.deepEqual(await check(file(c.fixed)), [], `${c.name}: silent after the fix`);
  }
});

test('string-over-c-memory: a C call given the pointer twice writes it when one of those parameters is non-const', async () => {
  const source = [
    'package p',
    '',
    '// #include <stdlib.h>',
    '// void move_within(char *dst, const char *src, size_t n);',
    '// int same(const char *a, const char *b);',
    'import "C"',
    '',
    'import (',
    '\t"fmt"',
    '\t"unsafe"',
    ')',
    '',
    'func f() {',
    '\tp := (*C.char)(C.malloc(8))',
    '\ts := unsafe.String((*byte)(unsafe.Pointer(p)), 8)',
    '\tC.same(p, p)',
    '\tfmt.Println(s)',
    '\tC.move_within(p, p, 4)',
    '\tfmt.Println(s)',
    '}',
    '',
  ].join('\n');
  const found = await check(source);
  assert.deepEqual(lines(found, source), [15]);
  assert.match(found[0].message, /C\.move_within\(p, p, 4\) \(line 18\) may write it/);
});
