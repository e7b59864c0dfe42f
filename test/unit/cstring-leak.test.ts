// cstring-leak on small functions: which allocations it reports (and where the path leaks),
// where it stays silent because ownership may move or the flow is out of sight, and the exact
// text its fix produces.
import { test } from 'node:test';
import { cstringLeak as rule } from '../../server/src/rules/cstring-leak';
import { ruleTester } from '../support/ruleTester';

const head = 'package p\n\n// #include <stdlib.h>\n// #include <stdio.h>\n// void keep_take(char *s);\n// void result_text(char *s);\nimport "C"\n\nimport "unsafe"\n\nvar _ unsafe.Pointer\n\n';

/** A file whose body is `body` (line 13 is its first line). */
const file = (body: string): string => head + body;

test('cstring-leak: paths that leak are reported at the allocation', async () => {
  const cases: { name: string; body: string; where: string[]; message?: RegExp }[] = [
    {
      name: 'never freed',
      body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.puts(cs)\n}\n',
      where: ['14:C.CString(…'],
      message: /not freed on the path through the end of the function \(line 16\).*defer C\.free\(unsafe\.Pointer\(cs\)\)/,
    },
    {
      name: 'early return before the free',
      body: 'func f(s string) int {\n\tcs := C.CString(s)\n\tif C.puts(cs) < 0 {\n\t\treturn -1\n\t}\n\tC.free(unsafe.Pointer(cs))\n\treturn 0\n}\n',
      where: ['14:C.CString(…'],
      message: /the return at line 16/,
    },
    {
      name: 'freed in the if branch only',
      body: 'func f(s string, ok bool) {\n\tp := C.malloc(8)\n\tif ok {\n\t\tC.free(p)\n\t}\n}\n',
      where: ['14:C.malloc(…'],
    },
    {
      name: 'freed in one switch case, the others fall out',
      body: 'func f(s string, n int) {\n\tcs := C.CString(s)\n\tswitch n {\n\tcase 1:\n\t\tC.free(unsafe.Pointer(cs))\n\tdefault:\n\t\tC.puts(cs)\n\t}\n}\n',
      where: ['14:C.CString(…'],
    },
    {
      name: 'declared in a loop body, freed after a continue',
      body: 'func f(ss []string) {\n\tfor _, s := range ss {\n\t\tcs := C.CString(s)\n\t\tif s == "" {\n\t\t\tcontinue\n\t\t}\n\t\tC.free(unsafe.Pointer(cs))\n\t}\n}\n',
      where: ['15:C.CString(…'],
    },
    {
      name: 'return C.GoString(x) without a free',
      body: 'func f(s string) string {\n\tcs := C.CString(s)\n\treturn C.GoString(cs)\n}\n',
      where: ['14:C.CString(…'],
    },
    {
      name: 'a shadowing x freed in an inner block does not free the outer one',
      body: 'func f(a, b string) {\n\tx := C.CString(a)\n\tC.puts(x)\n\t{\n\t\tx := C.CString(b)\n\t\tC.free(unsafe.Pointer(x))\n\t}\n}\n',
      where: ['14:C.CString(…'],
    },
    {
      name: 'var with a type and a conversion',
      body: 'func f() {\n\tvar buf *C.char = (*C.char)(C.calloc(1, 64))\n\tC.puts(buf)\n}\n',
      where: ['14:C.calloc(…'],
    },
    {
      name: 'assigned to a variable declared earlier, leaked after an if',
      body: 'func f(s string, v bool) {\n\tvar cs *C.char\n\tif v {\n\t\tC.puts(nil)\n\t}\n\tcs = C.CString(s)\n\tC.puts(cs)\n}\n',
      where: ['18:C.CString(…'],
    },
    {
      name: 'C.CBytes, leaked when a loop breaks out',
      body: 'func f(b []byte) {\n\tp := C.CBytes(b)\n\tfor {\n\t\tif C.puts((*C.char)(p)) > 0 {\n\t\t\tbreak\n\t\t}\n\t\tC.free(p)\n\t\treturn\n\t}\n}\n',
      where: ['14:C.CBytes(…'],
    },
    {
      name: 'a defer in a closure that frees something else',
      body: 'func f(a string) {\n\tcs := C.CString(a)\n\tother := C.CString(a)\n\tdefer func() { C.free(unsafe.Pointer(other)) }()\n\tC.puts(cs)\n}\n',
      where: ['14:C.CString(…'],
    },
  ];
  await ruleTester.run(rule, {
    invalid: cases.map((c) => ({ name: c.name, files: { 'a.go': file(c.body) }, errors: c.where.map((at, i) => (i === 0 && c.message ? { at, message: c.message } : at)) })),
  });
});

test('cstring-leak: silent when every path frees it or ownership may move', async () => {
  const cases: { name: string; body: string }[] = [
    { name: 'deferred free', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\tif s == "" {\n\t\treturn\n\t}\n\tC.puts(cs)\n}\n' },
    { name: 'defer in a closure', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tdefer func() {\n\t\tC.free(unsafe.Pointer(cs))\n\t}()\n\tC.puts(cs)\n}\n' },
    { name: 'freed on every path with early returns', body: 'func f(s string) int {\n\tcs := C.CString(s)\n\tif C.puts(cs) < 0 {\n\t\tC.free(unsafe.Pointer(cs))\n\t\treturn -1\n\t}\n\tC.free(unsafe.Pointer(cs))\n\treturn 0\n}\n' },
    { name: 'if/else both free', body: 'func f(s string, v bool) {\n\tcs := C.CString(s)\n\tif v {\n\t\tC.free(unsafe.Pointer(cs))\n\t} else {\n\t\tC.puts(cs)\n\t\tC.free(unsafe.Pointer(cs))\n\t}\n}\n' },
    { name: 'every switch case frees, with default', body: 'func f(s string, n int) {\n\tcs := C.CString(s)\n\tswitch n {\n\tcase 1:\n\t\tC.free(unsafe.Pointer(cs))\n\tdefault:\n\t\tC.free(unsafe.Pointer(cs))\n\t}\n}\n' },
    { name: 'returned', body: 'func f(s string) *C.char {\n\tcs := C.CString(s)\n\treturn cs\n}\n' },
    { name: 'returned converted', body: 'func f(n int) unsafe.Pointer {\n\tp := (*C.char)(C.malloc(C.size_t(n)))\n\treturn unsafe.Pointer(p)\n}\n' },
    { name: 'stored in a field', body: 'type T struct{ p *C.char }\n\nfunc (t *T) f(s string) {\n\tcs := C.CString(s)\n\tt.p = cs\n}\n' },
    { name: 'stored in a global', body: 'var g *C.char\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tg = cs\n}\n' },
    { name: 'stored in a map', body: 'var m = map[string]*C.char{}\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tm[s] = cs\n}\n' },
    { name: 'in a composite literal', body: 'type T struct{ p *C.char }\n\nfunc f(s string) *T {\n\tcs := C.CString(s)\n\treturn &T{p: cs}\n}\n' },
    { name: 'sent on a channel', body: 'func f(s string, ch chan *C.char) {\n\tcs := C.CString(s)\n\tch <- cs\n}\n' },
    { name: 'captured by a goroutine', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tgo func() { C.puts(cs) }()\n}\n' },
    { name: 'passed to a Go function (freed in a helper)', body: 'func free(p *C.char) { C.free(unsafe.Pointer(p)) }\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tC.puts(cs)\n\tfree(cs)\n}\n' },
    { name: "the project's own C wrapper (go-sqlite3's _sqlite3_result_text passes &free on)", body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.result_text(cs)\n}\n' },
    { name: 'a C function that takes ownership', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.keep_take(cs)\n}\n' },
    { name: 'putenv keeps its argument', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.putenv(cs)\n}\n' },
    { name: 'C.free given as destructor', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.use_with(cs, (*[0]byte)(C.free))\n}\n' },
    { name: 'runtime.SetFinalizer on a holder', body: 'type H struct{ p *C.char }\n\nfunc f(s string) *H {\n\tcs := C.CString(s)\n\th := &H{p: cs}\n\truntime.SetFinalizer(h, func(h *H) { C.free(unsafe.Pointer(h.p)) })\n\treturn h\n}\n' },
    { name: 'nil check returns early', body: 'func f(n C.size_t) {\n\tp := C.calloc(1, n)\n\tif p == nil {\n\t\treturn\n\t}\n\tdefer C.free(p)\n}\n' },
    { name: 'panic path', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tif C.puts(cs) < 0 {\n\t\tpanic("puts")\n\t}\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'reassigned', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tcs = C.CString(s + "!")\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'x, err := redeclares in the same scope', body: 'func g() (*C.char, error) { return nil, nil }\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tcs, err := g()\n\t_ = err\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'goto', body: 'func f(s string) {\n\tcs := C.CString(s)\nagain:\n\tif C.puts(cs) < 0 {\n\t\tgoto again\n\t}\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'freed inside a conditional loop', body: 'func f(s string, n int) {\n\tcs := C.CString(s)\n\tfor i := 0; i < n; i++ {\n\t\tC.free(unsafe.Pointer(cs))\n\t}\n}\n' },
    { name: 'assignment in a loop to an outer variable', body: 'func f(ss []string) {\n\tvar cs *C.char\n\tfor _, s := range ss {\n\t\tcs = C.CString(s)\n\t}\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'not assigned to a local', body: 'var g = C.CString("x")\n\nfunc f(s string) {\n\tC.puts(C.CString(s))\n}\n' },
    { name: 'a named result', body: 'func f(s string) (cs *C.char) {\n\tcs = C.CString(s)\n\treturn\n}\n' },
    { name: 'unsafe.Slice over it', body: 'func f(n int) []byte {\n\tp := C.malloc(C.size_t(n))\n\treturn unsafe.Slice((*byte)(p), n)\n}\n' },
    { name: 'freed by a C helper', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.my_free_string(cs)\n}\n' },
    { name: 'infinite loop that frees before every return', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tfor {\n\t\tif C.puts(cs) > 0 {\n\t\t\tbreak\n\t\t}\n\t}\n\tC.free(unsafe.Pointer(cs))\n}\n' },
    { name: 'os.Exit', body: 'func f(s string) {\n\tcs := C.CString(s)\n\tC.puts(cs)\n\tos.Exit(1)\n}\n' },
  ];
  await ruleTester.run(rule, { valid: cases.map((c) => ({ name: c.name, files: { 'a.go': file(c.body) } })) });
});

test('cstring-leak: the fix frees with a defer, adding <stdlib.h> and the unsafe import when missing', async () => {
  const cases: { name: string; source: string; fixed: string }[] = [
    {
      name: 'all present: one line after the allocation, indented like it',
      source: file('func f(s string) {\n\tif s != "" {\n\t\tcs := C.CString(s) // the name\n\t\tC.puts(cs)\n\t}\n}\n'),
      fixed: file('func f(s string) {\n\tif s != "" {\n\t\tcs := C.CString(s) // the name\n\t\tdefer C.free(unsafe.Pointer(cs))\n\t\tC.puts(cs)\n\t}\n}\n'),
    },
    {
      name: 'no <stdlib.h>, no unsafe import, grouped imports',
      source: 'package p\n\n// #include <stdio.h>\nimport "C"\n\nimport (\n\t"fmt"\n)\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tfmt.Println(C.puts(cs))\n}\n',
      fixed: 'package p\n\n// #include <stdlib.h>\n// #include <stdio.h>\nimport "C"\n\nimport (\n\t"fmt"\n\t"unsafe"\n)\n\nfunc f(s string) {\n\tcs := C.CString(s)\n\tdefer C.free(unsafe.Pointer(cs))\n\tfmt.Println(C.puts(cs))\n}\n',
    },
    {
      name: 'only import "C": a new import declaration after it',
      source: 'package p\n\n/*\n#include <stdio.h>\n*/\nimport "C"\n\nfunc f() {\n\tp := C.malloc(4)\n\tC.puts((*C.char)(p))\n}\n',
      fixed: 'package p\n\n/*\n#include <stdlib.h>\n#include <stdio.h>\n*/\nimport "C"\n\nimport "unsafe"\n\nfunc f() {\n\tp := C.malloc(4)\n\tdefer C.free(unsafe.Pointer(p))\n\tC.puts((*C.char)(p))\n}\n',
    },
    {
      name: 'CRLF, spaces and non-ASCII survive; a renamed unsafe import is used',
      source: 'package p\r\n\r\n// #include <stdlib.h>\r\n// #include <stdio.h>\r\nimport "C"\r\n\r\nimport u "unsafe"\r\n\r\nvar _ u.Pointer\r\n\r\nfunc f() {\r\n    név := C.CString("héllo ✓")\r\n    C.puts(név)\r\n}\r\n',
      fixed: 'package p\r\n\r\n// #include <stdlib.h>\r\n// #include <stdio.h>\r\nimport "C"\r\n\r\nimport u "unsafe"\r\n\r\nvar _ u.Pointer\r\n\r\nfunc f() {\r\n    név := C.CString("héllo ✓")\r\n    defer C.free(u.Pointer(név))\r\n    C.puts(név)\r\n}\r\n',
    },
  ];
  // One finding each, at the allocation; nothing left after the fix.
  await ruleTester.run(rule, { invalid: cases.map((c) => ({ name: c.name, files: { 'a.go': c.source }, errors: [`${allocationLine(c.source)}:C.…`], output: { 'a.go': c.fixed } })) });
});

/** The 1-based line of a source's one C allocation. */
function allocationLine(source: string): number {
  return source.slice(0, source.search(/C\.(CString|CBytes|malloc|calloc)\(/)).split('\n').length;
}

test('cstring-leak: no fix where some path already frees it (a defer would free twice)', async () => {
  const source = file('func f(s string) int {\n\tcs := C.CString(s)\n\tif C.puts(cs) < 0 {\n\t\treturn -1\n\t}\n\tC.free(unsafe.Pointer(cs))\n\treturn 0\n}\n');
  await ruleTester.run(rule, { invalid: [{ name: 'freed on one path', files: { 'a.go': source }, errors: [{ at: '14', message: /Free it on that path too/, fixes: [] }] }] });
});
