// unpinned-go-pointer on small functions: which C calls it reports (only where go run's pointer
// check surely panics), the runtime's text for each Go release, where it stays silent because
// the value or the type is out of sight, and the exact text of its fix.
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { unpinnedGoPointer as rule } from '../../server/src/rules/unpinned-go-pointer';
import { ruleTester, type Files, type PackageCase } from '../support/ruleTester';

const dir = '/virtual/unpinned';

/** The package of `source` as a.go (and `more` files), checked for linux/amd64 of Go 1.goMinor. */
function pkg(name: string, source: string, goMinor = 26, more: Files = {}): PackageCase {
  return { name, dir, files: { 'a.go': source, ...more }, target: resolveTarget('linux', 'amd64', {}, goMinor) };
}

const head = `package p

/*
#include <stddef.h>
struct request { const char *buf; size_t len; void *data; };
struct point { int x, y; };
int submit(struct request *r);
int take(void *p);
int sum_all(int **v, int n);
int manhattan(struct point *p);
int name_len(char *s);
void init_request(struct request *r);
*/
import "C"

import "unsafe"

var _ unsafe.Pointer

type node struct {
	value C.int
	next  *node
}

type config struct {
	version C.int
	extra   map[string]string
}

`;

/** A file whose body is `body` (line 30 is its first line). */
const file = (body: string): string => head + body;
/** The same file after the fix added the runtime import (the body's lines move down by two). */
const pinned = (body: string): string => file(body).replace('import "unsafe"\n', 'import "unsafe"\n\nimport "runtime"\n');

test('unpinned-go-pointer: Go memory holding a Go pointer, given to C, is reported at the argument', async () => {
  const cases: { name: string; body: string; where: string; message?: RegExp }[] = [
    {
      name: 'a C struct field set to a Go buffer',
      body: 'func f(n int) int {\n\tbuf := make([]byte, n)\n\tvar req C.struct_request\n\treq.buf = (*C.char)(unsafe.Pointer(&buf[0]))\n\treturn int(C.submit(&req))\n}\n',
      where: '34:&req',
      message: /"panic: runtime error: argument of cgo function has Go pointer to unpinned Go pointer".*C\.submit is given &req.*req\.buf holds a Go pointer \(line 33\)/,
    },
    {
      name: 'an unsafe.Pointer field set to &x: the 1.26 text names the kind',
      body: 'func f() int {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treturn int(C.submit(&req))\n}\n',
      where: '33:&req',
      message: /unpinned Go unsafe pointer"/,
    },
    {
      name: 'a Go struct of the package through unsafe.Pointer',
      body: 'func f() int {\n\ttail := node{value: 2}\n\thead := node{value: 1, next: &tail}\n\treturn int(C.take(unsafe.Pointer(&head)))\n}\n',
      where: '33:unsafe.Pointer(&head)',
    },
    {
      name: '&ptrs[0] of pointers to Go variables',
      body: 'func f() int {\n\ta, b := C.int(1), C.int(2)\n\tptrs := []*C.int{&a, &b}\n\treturn int(C.sum_all(&ptrs[0], 2))\n}\n',
      where: '33:&ptrs[0]',
      message: /given &ptrs\[…\] \(every element of ptrs is checked\).*ptrs\[0\] holds a Go pointer/,
    },
    {
      name: 'an element stored on the way to the call',
      body: 'func f() int {\n\tx := C.int(1)\n\tptrs := make([]*C.int, 2)\n\tptrs[1] = &x\n\treturn int(C.sum_all(&ptrs[0], 2))\n}\n',
      where: '34:&ptrs[0]',
    },
    {
      name: 'a map field, nil: refused whatever its value',
      body: 'func f() int {\n\tvar cfg config\n\treturn int(C.take(unsafe.Pointer(&cfg)))\n}\n',
      where: '32:unsafe.Pointer(&cfg)',
      message: /unpinned Go map".*cfg\.extra is a map, which the check refuses whatever its value/,
    },
    {
      name: 'a map field of a parameter: the type alone decides',
      body: 'func f(cfg config) int {\n\treturn int(C.take(unsafe.Pointer(&cfg)))\n}\n',
      where: '31:unsafe.Pointer(&cfg)',
    },
    {
      name: 'a pointer variable from new, by address',
      body: 'func f() int {\n\tp := new(int)\n\treturn int(C.take(unsafe.Pointer(&p)))\n}\n',
      where: '32:unsafe.Pointer(&p)',
    },
    {
      name: 'an interface field holding &x, and an array field element: 1.26 names the interface',
      body: 'type holder struct {\n\tn  C.int\n\tv  any\n\tps [2]*int\n}\n\nfunc f() int {\n\tx := 1\n\tvar h holder\n\th.v = &x\n\th.ps[1] = &x\n\treturn int(C.take(unsafe.Pointer(&h)))\n}\n',
      where: '41:unsafe.Pointer(&h)',
      message: /unpinned Go interface".*h\.v holds a Go pointer \(line 39\)/,
    },
    {
      name: 'a literal given directly, its fields in order',
      body: 'func f() int {\n\tx := 1\n\treturn int(C.submit(&C.struct_request{nil, 0, unsafe.Pointer(&x)}))\n}\n',
      where: '32:&C.struct_request{nil, 0, unsafe.Pointer(&x)}',
      message: /its field data holds a Go pointer/,
    },
    {
      name: 'a pointer to a fresh C struct, given as it is: the object is scanned, every word a "pointer"',
      body: 'func f() int {\n\tx := 1\n\treq := &C.struct_request{len: 1}\n\treq.data = unsafe.Pointer(&x)\n\treturn int(C.submit(req))\n}\n',
      where: '34:req',
      message: /unpinned Go pointer".*given req, a pointer to a Go object that the check scans whole, and req\.data holds a Go pointer \(line 33\)/,
    },
    {
      name: 'in a loop, the store before the call in the same round',
      body: 'func f(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tx := i\n\t\tvar req C.struct_request\n\t\treq.data = unsafe.Pointer(&x)\n\t\tC.submit(&req)\n\t}\n}\n',
      where: '35:&req',
    },
  ];
  await ruleTester.run(rule, {
    invalid: cases.map((c) => ({ ...pkg(c.name, file(c.body)), errors: [{ at: `error@${c.where}`, message: c.message }] })),
  });
});

test('unpinned-go-pointer: the message quotes the panic of the chosen Go release', async () => {
  const source = file('func f() int {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treturn int(C.submit(&req))\n}\n');
  const texts: [number, RegExp][] = [
    [19, /"panic: runtime error: cgo argument has Go pointer to Go pointer".*Keep the memory it points to in C \(C\.malloc\) and copy, or, from Go 1\.21, pin it/],
    [20, /"panic: runtime error: cgo argument has Go pointer to Go pointer"/],
    [21, /"panic: runtime error: cgo argument has Go pointer to unpinned Go pointer".*Pin what it points to with a runtime\.Pinner/],
    [25, /"panic: runtime error: cgo argument has Go pointer to unpinned Go pointer"/],
    [26, /"panic: runtime error: argument of cgo function has Go pointer to unpinned Go unsafe pointer"/],
    [27, /"panic: runtime error: argument of cgo function has Go pointer to unpinned Go unsafe pointer"/],
  ];
  await ruleTester.run(rule, {
    invalid: texts.map(([minor, message]) => ({
      ...pkg(`go1.${minor}`, source, minor),
      // runtime.Pinner exists since Go 1.21: no fix before.
      errors: [{ at: '33:&req', message, fixes: minor >= 21 ? ['Pin req.data with a runtime.Pinner for the call'] : [] }],
    })),
  });
});

test('unpinned-go-pointer: silent where the check passes or the value is out of sight', async () => {
  const cases: { name: string; body: string }[] = [
    { name: 'a struct of scalars', body: 'func f() int {\n\tp := C.struct_point{x: 1, y: 2}\n\treturn int(C.manhattan(&p))\n}\n' },
    { name: 'a []byte buffer', body: 'func f() int {\n\tbuf := make([]byte, 4)\n\treturn int(C.take(unsafe.Pointer(&buf[0])))\n}\n' },
    { name: 'nil fields', body: 'func f() int {\n\tvar req C.struct_request\n\treq.len = 3\n\treq.data = nil\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'C memory in the field', body: 'func f(s string) int {\n\tvar req C.struct_request\n\treq.buf = C.CString(s)\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'C fills the struct first', body: 'func f() int {\n\tvar req C.struct_request\n\tC.init_request(&req)\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'a field written after a store, through its address', body: 'func f() int {\n\tx := 1\n\tvar req C.struct_request\n\treq.data = unsafe.Pointer(&x)\n\tclear(&req.data)\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'stored in a branch only', body: 'func f(ok bool) int {\n\tx := 1\n\tvar req C.struct_request\n\tif ok {\n\t\treq.data = unsafe.Pointer(&x)\n\t}\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'stored after the call in a loop (the first round passes nil)', body: 'func f() {\n\tx := 1\n\tvar req C.struct_request\n\tfor i := 0; i < 1; i++ {\n\t\tC.submit(&req)\n\t\treq.data = unsafe.Pointer(&x)\n\t}\n}\n' },
    { name: 'stored into a loop round by round', body: 'func f(xs []C.int) int {\n\tptrs := make([]*C.int, len(xs))\n\tfor i := range xs {\n\t\tptrs[i] = &xs[i]\n\t}\n\treturn int(C.sum_all(&ptrs[0], C.int(len(ptrs))))\n}\n' },
    { name: 'the address of a global', body: 'var counter int\n\nfunc f() int {\n\tvar req C.struct_request\n\treq.data = unsafe.Pointer(&counter)\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'a slice parameter (its memory may be C\'s)', body: 'func f(buf []byte) int {\n\tvar req C.struct_request\n\treq.buf = (*C.char)(unsafe.Pointer(&buf[0]))\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'a struct parameter with pointer fields (values unknown)', body: 'func f(n node) int {\n\treturn int(C.take(unsafe.Pointer(&n)))\n}\n' },
    { name: 'a parameter that C cannot see pointers through (char *)', body: 'func f() int {\n\ttail := node{}\n\thead := node{next: &tail}\n\treturn int(C.name_len((*C.char)(unsafe.Pointer(&head))))\n}\n' },
    { name: 'the address of a field without pointers', body: 'func f() int {\n\ttail := node{}\n\thead := node{next: &tail}\n\treturn int(C.take(unsafe.Pointer(&head.value)))\n}\n' },
    { name: 'pinned', body: 'func f() int {\n\tx := 1\n\tvar p runtime.Pinner\n\tdefer p.Unpin()\n\tp.Pin(&x)\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'captured by a closure', body: 'func f() int {\n\tx := 1\n\tvar req C.struct_request\n\treset := func() { req.data = nil }\n\treq.data = unsafe.Pointer(&x)\n\treset()\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'a type from another package', body: 'func f() int {\n\tvar b bytes.Buffer\n\treturn int(C.take(unsafe.Pointer(&b)))\n}\n' },
    { name: 'a string field holding a literal', body: 'type label struct{ id C.int; text string }\n\nfunc f() int {\n\tl := label{id: 1, text: "x"}\n\treturn int(C.take(unsafe.Pointer(&l)))\n}\n' },
    { name: 'deferred: runs at the return, after the field is cleared', body: 'func f() {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\tdefer C.submit(&req)\n\treq.data = nil\n}\n' },
    { name: 'the address of a field behind a pointer (C memory here)', body: 'func f() int {\n\tp := (*C.struct_point)(C.malloc(8))\n\tvar req C.struct_request\n\treq.data = unsafe.Pointer(&p.x)\n\treturn int(C.submit(&req))\n}\n' },
    { name: 'a pointer to a fresh Go struct with a nil map: scanned word by word, a nil map passes', body: 'func f() int {\n\tcfg := &config{version: 1}\n\treturn int(C.take(unsafe.Pointer(cfg)))\n}\n' },
    { name: 'a pointer variable from a call (C memory, or anything)', body: 'func f() int {\n\treq := (*C.struct_request)(C.malloc(24))\n\treturn int(C.submit(req))\n}\n' },
    { name: 'go statement', body: 'func f() {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\tgo C.submit(&req)\n}\n' },
    { name: 'a name declared twice', body: 'func f(ok bool) int {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\tif ok {\n\t\treq := C.struct_request{}\n\t\t_ = req\n\t}\n\treturn int(C.submit(&req))\n}\n' },
  ];
  await ruleTester.run(rule, { valid: cases.map((c) => pkg(c.name, file(c.body))) });
});

test('unpinned-go-pointer: //go:debug cgocheck=0 turns the check, and the rule, off', async () => {
  const source = file('func f() int {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treturn int(C.submit(&req))\n}\n');
  await ruleTester.run(rule, {
    valid: [pkg('cgocheck=0', source, 26, { 'main.go': '//go:debug cgocheck=0\n\npackage p\n' })],
    invalid: [{ ...pkg('the check on', source), errors: ['33:&req'] }],
  });
});

test('unpinned-go-pointer: the fix pins every Go pointer before the statement and adds the runtime import', async () => {
  const elements = pinned('func f() int {\n\ta, b := C.int(1), C.int(2)\n\tptrs := []*C.int{&a, &b}\n\tvar pinner runtime.Pinner\n\tdefer pinner.Unpin()\n\tpinner.Pin(ptrs[0])\n\tpinner.Pin(ptrs[1])\n\treturn int(C.sum_all(&ptrs[0], 2))\n}\n');
  const fields = pinned('type holder struct {\n\tn  C.int\n\tv  any\n\tps [2]*int\n}\n\nfunc f() int {\n\tx := 1\n\tvar h holder\n\th.v = &x\n\th.ps[1] = &x\n\tvar pinner runtime.Pinner\n\tdefer pinner.Unpin()\n\tpinner.Pin(h.v)\n\tpinner.Pin(h.ps[1])\n\treturn int(C.take(unsafe.Pointer(&h)))\n}\n');
  await ruleTester.run(rule, {
    invalid: [
      {
        ...pkg('two elements', file('func f() int {\n\ta, b := C.int(1), C.int(2)\n\tptrs := []*C.int{&a, &b}\n\treturn int(C.sum_all(&ptrs[0], 2))\n}\n')),
        errors: [{ at: '33:&ptrs[0]', fixes: ['Pin ptrs[0], ptrs[1] with a runtime.Pinner for the call'], applying: { output: { 'a.go': elements } } }],
        output: { 'a.go': elements },
      },
      {
        ...pkg('two fields', file('type holder struct {\n\tn  C.int\n\tv  any\n\tps [2]*int\n}\n\nfunc f() int {\n\tx := 1\n\tvar h holder\n\th.v = &x\n\th.ps[1] = &x\n\treturn int(C.take(unsafe.Pointer(&h)))\n}\n')),
        errors: [{ at: '41:unsafe.Pointer(&h)', fixes: ['Pin h.v, h.ps[1] with a runtime.Pinner for the call'], applying: { output: { 'a.go': fields } } }],
        output: { 'a.go': fields },
      },
    ],
  });
});

test('unpinned-go-pointer: the fix uses a renamed runtime import, a free name, and keeps CRLF', async () => {
  const renamed = (body: string): string =>
    file(body)
      .replace('import "unsafe"', 'import (\n\trt "runtime"\n\t"unsafe"\n)\n\nvar _ = rt.NumCPU')
      .replace(/\n/g, '\r\n');
  const fixedText = renamed('func f() int {\n\tpinner := 0\n\t_ = pinner\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\tvar pinner2 rt.Pinner\n\tdefer pinner2.Unpin()\n\tpinner2.Pin(req.data)\n\treturn int(C.submit(&req))\n}\n');
  await ruleTester.run(rule, {
    invalid: [
      {
        ...pkg('rt, pinner taken, CRLF', renamed('func f() int {\n\tpinner := 0\n\t_ = pinner\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treturn int(C.submit(&req))\n}\n')),
        errors: [{ at: '40:&req', applying: { output: { 'a.go': fixedText } } }],
        output: { 'a.go': fixedText },
      },
    ],
  });
});

test('unpinned-go-pointer: no fix for a map field, nor where pinning one pointer would not be enough', async () => {
  await ruleTester.run(rule, {
    invalid: [
      { ...pkg('a map field', file('func f() int {\n\tvar cfg config\n\treturn int(C.take(unsafe.Pointer(&cfg)))\n}\n')), errors: [{ at: '32:unsafe.Pointer(&cfg)', fixes: [] }] },
      // req.buf may hold a Go pointer the rule cannot see: pinning req.data alone would not do.
      {
        ...pkg('a field of unknown value', file('func f(p unsafe.Pointer) int {\n\tx := 1\n\treq := C.struct_request{data: unsafe.Pointer(&x)}\n\treq.buf = (*C.char)(p)\n\treturn int(C.submit(&req))\n}\n')),
        errors: [{ at: '34:&req', fixes: [] }],
      },
      // The check scans what a pinned pointer points into: a string there is another Go pointer.
      {
        ...pkg('a string behind the pointer', file('func f(name string) int {\n\tlabel := "a:" + name\n\treq := C.struct_request{data: unsafe.Pointer(&label)}\n\treturn int(C.submit(&req))\n}\n')),
        errors: [{ at: '33:&req', fixes: [] }],
      },
    ],
  });
});

test('unpinned-go-pointer: a []byte behind a const C field is copied to C memory: the one fix before Go 1.21, the second after', async () => {
  const source = `package p

/*
#include <stdlib.h>
#include <stddef.h>
struct request { const char *buf; size_t len; };
int submit(struct request *r);
*/
import "C"

import "unsafe"

func f(n int) int {
\tbuf := make([]byte, n)
\tvar req C.struct_request
\treq.buf = (*C.char)(unsafe.Pointer(&buf[0]))
\treq.len = C.size_t(len(buf))
\treturn int(C.submit(&req))
}
`;
  const copied = source.replace('\treq.buf = (*C.char)(unsafe.Pointer(&buf[0]))\n', '\treq.buf = (*C.char)(C.CBytes(buf))\n\tdefer C.free(unsafe.Pointer(req.buf))\n');
  const copy = 'Copy buf to C memory for req.buf (C.CBytes), freed with a defer';
  await ruleTester.run(rule, {
    // C memory passes the check.
    valid: [pkg('copied (go1.19)', copied, 19)],
    invalid: [
      { ...pkg('go1.19', source, 19), errors: [{ at: '18:&req', fixes: [copy], preferredFix: copy, applying: { output: { 'a.go': copied } } }], output: { 'a.go': copied } },
      { ...pkg('go1.26', source, 26), errors: [{ at: '18:&req', fixes: ['Pin req.buf with a runtime.Pinner for the call', copy], preferredFix: 'Pin req.buf with a runtime.Pinner for the call' }] },
      // Not for a field C may write through, nor when buf is written between the store and the call.
      { ...pkg('a writable field', source.replace('const char *buf', 'char *buf'), 19), errors: [{ at: '18:&req', fixes: [] }] },
      { ...pkg('buf written before the call', source.replace('\treq.len = C.size_t(len(buf))\n', '\tbuf[0] = 1\n'), 19), errors: [{ at: '18:&req', fixes: [] }] },
    ],
  });
});
