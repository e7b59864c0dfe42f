// union-unsafe-offset: where it reports, what it says, and the exact text its fixes produce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { unionUnsafeOffset as rule } from '../../server/src/rules/union-unsafe-offset';
import { articleApiH } from '../support/goSources';
import { fixed, findings as findingsOf, ruleTester, type PackageCase } from '../support/ruleTester';

const apiH = `${articleApiH}\nAnimal *animal_new(void);\n`;
/** The package /virtual/app (one file, app.go) and its headers in /virtual/c. */
const app = (source: string, goarch = 'amd64'): PackageCase => ({
  name: source,
  dir: '/virtual/app',
  files: { 'app.go': source },
  target: resolveTarget('linux', goarch, {}),
  elsewhere: {
    '/virtual/c/api.h': apiH,
    '/virtual/c/packed.h': '#include "api.h"\ntypedef struct __attribute__((packed)) { char c; int i; } P;\n',
    '/virtual/c/pragma.h': '#include "pack1.h"\n#include "api.h"\n',
    '/virtual/c/pack1.h': '#pragma pack(push, 1)\n',
  },
});
const check = (source: string, goarch?: string): Promise<Finding[]> => findingsOf(rule, app(source, goarch));
/** app.go after cgo-lint --fix. */
const fixAll = async (source: string): Promise<string> => (await fixed(rule, app(source)))['app.go'];

function lines(findings: Finding[], source: string): number[] {
  const index = new LineIndex(source);
  return findings.map((f) => index.lineOf(f.start) + 1);
}

const head = `package app

// #cgo CFLAGS: -I\${SRCDIR}/../c
// #include <api.h>
import "C"
import (
\t"fmt"
\t"unsafe"
)
`;
const fixedHead = (...helpers: string[]): string => `package app

// #cgo CFLAGS: -I\${SRCDIR}/../c
// #include <api.h>
${helpers.map((h) => `// ${h}\n`).join('')}import "C"
import (
\t"fmt"
)
`;
const getLen = 'static inline uint64_t animal_get_cat_name_len(Animal *p) { return p->cat_name.len; }';
const getTail = 'static inline uint16_t animal_get_dog_tail(Animal *p) { return p->dog_tail; }';
const setTail = 'static inline void animal_set_dog_tail(Animal *p, uint16_t v) { p->dog_tail = v; }';

test('the article\'s chain: message, fix, variables and import removed', async () => {
  const source = `${head}
func DoStuff() {
\tcat := C.animal_make_cat()

\tcat_ptr := unsafe.Pointer(&cat)
\tcat_name_ptr := unsafe.Add(cat_ptr, 8)
\tcat_name_len_ptr := unsafe.Add(cat_name_ptr, 8)
\tfmt.Println(*(*C.uint64_t)(cat_name_len_ptr))
}
`;
  const findings = await check(source);
  assert.deepEqual(lines(findings, source), [17]);
  const [f] = findings;
  assert.equal(source.slice(f.start, f.end), '*(*C.uint64_t)(cat_name_len_ptr)');
  assert.equal(
    f.message,
    'Hand-computed offset 16 into Animal lands on Animal.cat_name.len (uint64_t). cgo gives Go the anonymous union in Animal as an opaque [16]byte, ' +
      'so this offset is the C layout of Animal worked out by hand and nothing checks it: when the C declaration changes (a member added, ' +
      'reordered or resized, other alignment or padding) the code silently reads other bytes. Let the C compiler compute it: read the member ' +
      'through a static inline getter in the preamble.',
  );
  assert.equal(f.fixes[0].title, 'Read cat_name.len through a C getter animal_get_cat_name_len()');
  assert.equal(
    await fixAll(source),
    `${fixedHead(getLen)}
func DoStuff() {
\tcat := C.animal_make_cat()

\tfmt.Println(C.animal_get_cat_name_len(&cat))
}
`,
  );
});

const table: { name: string; body: string; fixed?: string; helpers?: string[]; keepsUnsafe?: boolean; message?: RegExp; noFix?: boolean }[] = [
  {
    name: 'one expression, unsafe.Add',
    body: '\tdog := C.animal_make_dog()\n\ttail := *(*C.uint16_t)(unsafe.Add(unsafe.Pointer(&dog), 8))\n\tfmt.Println(tail)\n',
    fixed: '\tdog := C.animal_make_dog()\n\ttail := C.animal_get_dog_tail(&dog)\n\tfmt.Println(tail)\n',
    helpers: [getTail],
    message: /offset 8 into Animal lands on Animal\.dog_tail \(uint16_t\)/,
  },
  {
    name: 'uintptr arithmetic, a Go type kept by a conversion',
    body: '\tdog := C.animal_make_dog()\n\tfmt.Println(*(*uint16)(unsafe.Pointer(uintptr(unsafe.Pointer(&dog)) + 8)))\n',
    fixed: '\tdog := C.animal_make_dog()\n\tfmt.Println(uint16(C.animal_get_dog_tail(&dog)))\n',
    helpers: [getTail],
  },
  {
    name: 'offsets added in several steps, 4 + 4 and uintptr(8)',
    body: '\tvar cat C.Animal\n\tp := unsafe.Pointer(uintptr(unsafe.Pointer(&cat)) + 4 + 4)\n\tfmt.Println(*(**C.char)(unsafe.Add(p, uintptr(0))), *(*C.uint64_t)(unsafe.Add(p, 8)))\n',
    fixed: '\tvar cat C.Animal\n\tfmt.Println(C.animal_get_cat_name_data(&cat), C.animal_get_cat_name_len(&cat))\n',
    helpers: ['static inline char *animal_get_cat_name_data(Animal *p) { return p->cat_name.data; }', getLen],
  },
  {
    name: 'a setter for a write; the Go value converted to the C type',
    body: '\tdog := C.Animal{}\n\t*(*uint16)(unsafe.Add(unsafe.Pointer(&dog), 8)) = 7\n\tfmt.Println(dog.kind)\n',
    fixed: '\tdog := C.Animal{}\n\tC.animal_set_dog_tail(&dog, C.uint16_t(7))\n\tfmt.Println(dog.kind)\n',
    helpers: [setTail],
    message: /silently writes other bytes.*static inline setter/,
  },
  {
    name: 'a shared variable goes with its last use; a helper already there is reused',
    body: '\tdog := C.animal_make_dog()\n\tp := unsafe.Add(unsafe.Pointer(&dog), 8)\n\t*(*C.uint16_t)(p) = 9\n\tfmt.Println(*(*C.uint16_t)(p), *(*C.uint16_t)(p))\n',
    fixed: '\tdog := C.animal_make_dog()\n\tC.animal_set_dog_tail(&dog, 9)\n\tfmt.Println(C.animal_get_dog_tail(&dog), C.animal_get_dog_tail(&dog))\n',
    helpers: [setTail, getTail],
  },
  {
    name: 'a pointer to the record: a parameter',
    body: '}\n\nfunc tail(a *C.Animal) C.uint16_t {\n\treturn *(*C.uint16_t)(unsafe.Add(unsafe.Pointer(a), 8))\n',
    fixed: '}\n\nfunc tail(a *C.Animal) C.uint16_t {\n\treturn C.animal_get_dog_tail(a)\n',
    helpers: [getTail],
  },
  {
    name: 'a pointer from a C function\'s result',
    body: '\ta := C.animal_new()\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(a), 16)))\n',
    fixed: '\ta := C.animal_new()\n\tfmt.Println(C.animal_get_cat_name_len(a))\n',
    helpers: [getLen],
  },
  {
    name: 'unsafe still used elsewhere: the import stays',
    body: '\tdog := C.animal_make_dog()\n\tfmt.Println(*(*C.uint16_t)(unsafe.Add(unsafe.Pointer(&dog), 8)), unsafe.Sizeof(dog))\n',
    fixed: '\tdog := C.animal_make_dog()\n\tfmt.Println(C.animal_get_dog_tail(&dog), unsafe.Sizeof(dog))\n',
    helpers: [getTail],
    keepsUnsafe: true,
  },
  {
    name: 'a whole String at offset 8, read as C.String',
    body: '\tcat := C.animal_make_cat()\n\ts := *(*C.String)(unsafe.Add(unsafe.Pointer(&cat), 8))\n\tfmt.Println(s.len)\n',
    fixed: '\tcat := C.animal_make_cat()\n\ts := C.animal_get_cat_name(&cat)\n\tfmt.Println(s.len)\n',
    helpers: ['static inline String animal_get_cat_name(Animal *p) { return p->cat_name; }'],
  },
  {
    name: 'read as another C type of the same size: the name says so',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*C.uint)(unsafe.Add(unsafe.Pointer(&cat), 0)), *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(&cat), 8)))\n',
    fixed: '\tcat := C.animal_make_cat()\n\tfmt.Println(C.animal_get_kind_as_unsigned_int(&cat), C.animal_get_cat_name_data_as_void_ptr(&cat))\n',
    helpers: [
      'static inline unsigned int animal_get_kind_as_unsigned_int(Animal *p) { return p->kind; }',
      'static inline void *animal_get_cat_name_data_as_void_ptr(Animal *p) { return p->cat_name.data; }',
    ],
  },
  {
    name: 'inside a member: reported, no fix',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*uint32)(unsafe.Pointer(uintptr(unsafe.Pointer(&cat)) + 20)))\n',
    message: /offset 20 into Animal lands inside Animal\.cat_name\.len \(uint64_t, bytes 16–23\), not on a member boundary\..*No automatic fix/,
    noFix: true,
  },
  {
    name: 'the start of a member but not its size: reported, no fix',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*C.uint32_t)(unsafe.Add(unsafe.Pointer(&cat), 16)))\n',
    message: /lands on Animal\.cat_name\.len \(uint64_t, 8 bytes\) but reads 4 bytes as C\.uint32_t/,
    noFix: true,
  },
  {
    name: 'padding: reported, no fix',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*uint32)(unsafe.Add(unsafe.Pointer(&cat), 4)))\n',
    message: /lands on padding: no member of Animal is at offset 4/,
    noFix: true,
  },
  {
    name: 'past the end: reported, no fix',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*uint32)(unsafe.Add(unsafe.Pointer(&cat), 24)))\n',
    message: /offset 24 into Animal is past the end of Animal \(24 bytes\)/,
    noFix: true,
  },
  {
    name: 'a compound assignment: reported, no fix',
    body: '\tdog := C.animal_make_dog()\n\t*(*C.uint16_t)(unsafe.Add(unsafe.Pointer(&dog), 8)) += 1\n',
    message: /no automatic fix: it is not a plain read or `=` write/,
    noFix: true,
  },
  {
    name: 'a float read of an integer member: reported, no fix',
    body: '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*float64)(unsafe.Add(unsafe.Pointer(&cat), 16)))\n',
    message: /no automatic fix: float64 is not the member's type/,
    noFix: true,
  },
];

for (const c of table) {
  test(`union-unsafe-offset: ${c.name}`, async () => {
    const source = `${head}\nfunc DoStuff() {\n${c.body}}\n`;
    const findings = await check(source);
    assert.ok(findings.length > 0, 'reported');
    if (c.message) assert.match(findings.map((f) => f.message).join('\n'), c.message);
    assert.ok(findings.every((f) => f.severity === 'warning'));
    if (c.noFix) {
      assert.deepEqual(findings.map((f) => f.fixes.length), findings.map(() => 0));
      return;
    }
    const fixed = await fixAll(source);
    const expectedHead = c.keepsUnsafe ? fixedHead(...c.helpers!).replace('\t"fmt"\n', '\t"fmt"\n\t"unsafe"\n') : fixedHead(...c.helpers!);
    assert.equal(fixed, `${expectedHead}\nfunc DoStuff() {\n${c.fixed}}\n`);
    assert.deepEqual(await check(fixed), []);
  });
}

test('a /* */ preamble gets plain lines; import "unsafe" on its own goes; CRLF kept', async () => {
  const source = `package main

/*
#include <stdint.h>
typedef struct {
\tuint32_t type;
\tunion {
\t\tstruct { int32_t x, y; } motion;
\t\tstruct { uint16_t code; uint8_t pressed; } key;
\t};
} Event;
*/
import "C"
import "unsafe"

func main() {
\tvar ev C.Event
\tx := *(*C.int32_t)(unsafe.Pointer(uintptr(unsafe.Pointer(&ev)) + 4))
\tprintln(x)
}
`;
  const findings = await check(source);
  assert.deepEqual(lines(findings, source), [18]);
  assert.match(findings[0].message, /offset 4 into Event lands on Event\.motion\.x \(int32_t\)/);
  const expected = source
    .replace('} Event;\n*/', '} Event;\nstatic inline int32_t event_get_motion_x(Event *p) { return p->motion.x; }\n*/')
    .replace('import "unsafe"\n', '')
    .replace('*(*C.int32_t)(unsafe.Pointer(uintptr(unsafe.Pointer(&ev)) + 4))', 'C.event_get_motion_x(&ev)');
  assert.equal(await fixAll(source), expected);
  const crlf = source.replace(/\n/g, '\r\n');
  assert.equal(await fixAll(crlf), expected.replace(/\n/g, '\r\n'));
  // A one-line block preamble.
  const oneLine = 'package main\n\n/* typedef struct { int a; union { int b; float c; }; } T; */\nimport "C"\nimport "unsafe"\n\nfunc main() {\n\tvar t C.T\n\tprintln(*(*C.int)(unsafe.Add(unsafe.Pointer(&t), 4)))\n}\n';
  assert.equal(
    await fixAll(oneLine),
    'package main\n\n/* typedef struct { int a; union { int b; float c; }; } T; \nstatic inline int t_get_b(T *p) { return p->b; }\n*/\nimport "C"\n\nfunc main() {\n\tvar t C.T\n\tprintln(C.t_get_b(&t))\n}\n',
  );
});

test('struct tags, named unions, a union at the top, members sharing bytes', async () => {
  const source = `package main

// typedef struct shape {
// \tint kind;
// \tunion { struct { double w, h; } rect; double radius; } u;
// } shape;
// typedef union { int64_t i; double d; } num;
import "C"
import "unsafe"

func area(s *C.struct_shape) float64 {
\treturn *(*float64)(unsafe.Add(unsafe.Pointer(s), 8)) * *(*float64)(unsafe.Add(unsafe.Pointer(s), 16))
}

func main() {
\tvar n C.num
\tprintln(*(*C.double)(unsafe.Add(unsafe.Pointer(&n), 0)))
}
`;
  const findings = await check(source);
  assert.deepEqual(lines(findings, source), [12, 12, 17]);
  assert.match(findings[0].message, /offset 8 into struct shape lands on shape\.u\.rect\.w \(double; shape\.u\.radius shares these bytes\)\. cgo gives Go the union shape\.u as an opaque \[16\]byte/);
  assert.match(findings[2].message, /offset 0 into num lands on num\.d \(double\)\. cgo gives Go the union num as an opaque \[8\]byte/);
  assert.equal(
    await fixAll(source),
    `package main

// typedef struct shape {
// \tint kind;
// \tunion { struct { double w, h; } rect; double radius; } u;
// } shape;
// typedef union { int64_t i; double d; } num;
// static inline double shape_get_u_rect_w(struct shape *p) { return p->u.rect.w; }
// static inline double shape_get_u_rect_h(struct shape *p) { return p->u.rect.h; }
// static inline double num_get_d(num *p) { return p->d; }
import "C"

func area(s *C.struct_shape) float64 {
\treturn float64(C.shape_get_u_rect_w(s)) * float64(C.shape_get_u_rect_h(s))
}

func main() {
\tvar n C.num
\tprintln(C.num_get_d(&n))
}
`,
  );
});

test('a name already taken by another C function gets a suffix', async () => {
  const source = head.replace('// #include <api.h>\n', '// #include <api.h>\n// static int animal_get_dog_tail(void) { return 0; }\n') +
    '\nfunc DoStuff() {\n\tdog := C.animal_make_dog()\n\tfmt.Println(*(*C.uint16_t)(unsafe.Add(unsafe.Pointer(&dog), 8)))\n}\n';
  const fixed = await fixAll(source);
  assert.match(fixed, /\/\/ static inline uint16_t animal_get_dog_tail_2\(Animal \*p\) \{ return p->dog_tail; \}\n/);
  assert.match(fixed, /fmt\.Println\(C\.animal_get_dog_tail_2\(&dog\)\)/);
});

test('silence: Go values, C scalars, unknown layouts, unknown offsets, reassigned pointers', async () => {
  const bodies = [
    // A Go struct and a Go array.
    '\ttype pair struct{ a, b int32 }\n\tp := pair{1, 2}\n\tfmt.Println(*(*int32)(unsafe.Add(unsafe.Pointer(&p), 4)))\n',
    '\tvar buf [8]byte\n\tfmt.Println(*(*uint32)(unsafe.Add(unsafe.Pointer(&buf), 4)))\n',
    // A C scalar is not a struct or union.
    '\tn := C.uint64_t(5)\n\tfmt.Println(*(*uint32)(unsafe.Add(unsafe.Pointer(&n), 4)))\n',
    // A struct from a system header that is not read: its layout is unknown.
    '\tvar ts C.struct_timespec\n\tfmt.Println(*(*C.long)(unsafe.Add(unsafe.Pointer(&ts), 8)))\n',
    // An offset that is not a constant.
    '\tcat := C.animal_make_cat()\n\toff := 16\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(&cat), off)))\n',
    // A pointer variable assigned twice.
    '\tcat := C.animal_make_cat()\n\tp := unsafe.Pointer(&cat)\n\tp = unsafe.Add(p, 8)\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(p, 8)))\n',
    // The record's own address, no arithmetic: not a hand-computed offset.
    '\tcat := C.animal_make_cat()\n\tfmt.Println(*(*C.uint32_t)(unsafe.Pointer(&cat)))\n',
    // From a pointer, past the end: the next element of an array, perhaps.
    '\ta := C.animal_new()\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(a), 24+16)))\n',
    // A name declared twice in the function: which one is meant is not followed.
    '\tcat := C.animal_make_cat()\n\t{\n\t\tcat := [4]int{}\n\t\t_ = cat\n\t}\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(&cat), 16)))\n',
  ];
  await ruleTester.run(rule, { valid: bodies.map((body) => app(`${head}\nfunc DoStuff() {\n${body}}\n`)) });
  // Layout attributes anywhere in what the file reads: nothing is trusted.
  const packed = head.replace('<api.h>', '<packed.h>') + '\nfunc DoStuff() {\n\tcat := C.animal_make_cat()\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(&cat), 16)))\n}\n';
  assert.deepEqual(await check(packed), []);
  assert.deepEqual(await check(packed.replace('<packed.h>', '<pragma.h>')), []);
  // A bitfield in the record: no layout.
  const bits = 'package main\n\n// typedef struct { int a : 3; union { int b; float c; }; } T;\nimport "C"\nimport "unsafe"\n\nfunc main() {\n\tvar t C.T\n\tprintln(*(*C.int)(unsafe.Add(unsafe.Pointer(&t), 4)))\n}\n';
  assert.deepEqual(await check(bits), []);
  // 32-bit targets are not modelled.
  const article = `${head}\nfunc DoStuff() {\n\tcat := C.animal_make_cat()\n\tfmt.Println(*(*C.uint64_t)(unsafe.Add(unsafe.Pointer(&cat), 16)))\n}\n`;
  assert.equal((await check(article, 'arm64')).length, 1);
  assert.deepEqual(await check(article, '386'), []);
});

test('array elements, a record array typedef, a negative total', async () => {
  const source = `package main

// typedef struct { int n; char name[16]; struct { short x, y; } pts[2]; } rec;
import "C"
import "unsafe"

func main() {
\tvar r C.rec
\tp := unsafe.Add(unsafe.Pointer(&r), 24)
\tprintln(*(*C.char)(unsafe.Add(unsafe.Pointer(&r), 6)), *(*int16)(unsafe.Add(p, -2)))
\tprintln(*(*C.int)(unsafe.Add(unsafe.Pointer(&r), -4)))
}
`;
  const findings = await check(source);
  assert.deepEqual(
    findings.map((f) => f.message.replace(/\. .*/, '')),
    ['Hand-computed offset 6 into rec lands on rec.name[2] (char)', 'Hand-computed offset 22 into rec lands on rec.pts[0].y (short)', 'Hand-computed offset -4 into rec is before the start of rec'],
  );
  assert.equal(
    await fixAll(source),
    `package main

// typedef struct { int n; char name[16]; struct { short x, y; } pts[2]; } rec;
// static inline char rec_get_name_2(rec *p) { return p->name[2]; }
// static inline short rec_get_pts_0_y(rec *p) { return p->pts[0].y; }
import "C"
import "unsafe"

func main() {
\tvar r C.rec
\tprintln(C.rec_get_name_2(&r), int16(C.rec_get_pts_0_y(&r)))
\tprintln(*(*C.int)(unsafe.Add(unsafe.Pointer(&r), -4)))
}
`,
  );
});
