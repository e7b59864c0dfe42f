// unpinned-go-pointer against Go's own test of the cgo pointer check: the cases of
// cmd/cgo/internal/testerrors/ptr_test.go (Go 1.26.8, BSD licence; copied with its names), each
// built as its own package. Where go run passes (fail false there, or only the cgocheck2
// experiment fails it) the rule must be silent; where go run panics, the rule reports the ones
// listed (`reported`): the others hold the Go pointer where the rule does not look (an exported
// function's result, a global, a string made at run time, a deferred call, `&p.f` of a pointer
// variable, unsafe.SliceData, a union).
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { unpinnedGoPointer as rule } from '../../server/src/rules/unpinned-go-pointer';
import { ruleTester, type Files } from '../support/ruleTester';

interface PtrTest {
  name: string;
  c: string;
  c1?: string;
  support?: string;
  imports?: string[];
  body: string;
  panics: boolean;
  reported?: boolean;
  /** Where the rule reports a reported case: the argument of the C call on the body's line. */
  argument?: string;
  /** The kind of Go memory Go 1.26's check names in its panic (runtime/cgocall.go cgoCheckArg). */
  kind?: string;
}

const ptrTests: PtrTest[] = [
  {
    "name": "ptr1",
    "c": "typedef struct s1 { int *p; } s1; void f1(s1 *ps) {}",
    "body": "C.f1(&C.s1{new(C.int)})",
    "panics": true,
    "reported": true,
    "argument": "&C.s1{new(C.int)}",
    "kind": "pointer"
  },
  {
    "name": "ptr2",
    "c": "typedef struct s2 { int *p; } s2; void f2(s2 *ps) {}",
    "body": "p := &C.s2{new(C.int)}; C.f2(p)",
    "panics": true,
    "reported": true,
    "argument": "p",
    "kind": "pointer"
  },
  {
    "name": "ok1",
    "c": "struct s3 { int i; int *p; }; void f3(int *p) {}",
    "body": "p := &C.struct_s3{i: 0, p: new(C.int)}; C.f3(&p.i)",
    "panics": false
  },
  {
    "name": "ptrfield",
    "c": "struct s4 { int i; int *p; }; void f4(int **p) {}",
    "body": "p := &C.struct_s4{i: 0, p: new(C.int)}; C.f4(&p.p)",
    "panics": true,
    "reported": false
  },
  {
    "name": "ptrfieldok",
    "c": "struct s5 { int *p1; int *p2; }; void f5(int **p) {}",
    "body": "p := &C.struct_s5{p1: nil, p2: new(C.int)}; C.f5(&p.p1)",
    "panics": false
  },
  {
    "name": "sliceok1",
    "c": "void f6(void **p) {}",
    "body": "s := []unsafe.Pointer{nil}; C.f6(&s[0])",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "sliceptr1",
    "c": "void f7(void **p) {}",
    "body": "i := 0; s := []unsafe.Pointer{unsafe.Pointer(&i)}; C.f7(&s[0])",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": true,
    "argument": "&s[0]",
    "kind": "unsafe pointer"
  },
  {
    "name": "sliceptr2",
    "c": "void f8(void **p) {}",
    "body": "i := 0; s := []unsafe.Pointer{nil, unsafe.Pointer(&i)}; C.f8(&s[0])",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": true,
    "argument": "&s[0]",
    "kind": "unsafe pointer"
  },
  {
    "name": "sliceok2",
    "c": "void f9(void **p) {}",
    "body": "i := 0; p := &S9{p:&i, s:[]unsafe.Pointer{nil}}; C.f9(&p.s[0])",
    "support": "type S9 struct { p *int; s []unsafe.Pointer }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "sliceok3",
    "c": "void f10(void* p) {}",
    "body": "i := 0; p := &S10{p:&i}; s := p.a[:]; C.f10(unsafe.Pointer(&s[0]))",
    "support": "type S10 struct { p *int; a [4]byte }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "sliceok4",
    "c": "typedef void* PV11; void f11(PV11 p) {}",
    "body": "i := 0; p := &S11{p:&i}; C.f11(C.PV11(unsafe.Pointer(&p.a[0])))",
    "support": "type S11 struct { p *int; a [4]byte }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "varok",
    "c": "void f12(char** parg) {}",
    "body": "parg := [1]*C.char{&hello12[0]}; C.f12(&parg[0])",
    "support": "var hello12 = [...]C.char{'h', 'e', 'l', 'l', 'o'}",
    "panics": false
  },
  {
    "name": "var1",
    "c": "void f13(char*** parg) {}",
    "body": "parg := [1]**C.char{&hello13[0]}; C.f13(&parg[0])",
    "support": "var hello13 = [...]*C.char{new(C.char)}",
    "panics": true,
    "reported": false
  },
  {
    "name": "barrier",
    "c": "#include <stdlib.h>\n\t\t    char **f14a() { return malloc(sizeof(char*)); }\n\t\t    void f14b(char **p) {}",
    "body": "p := C.f14a(); *p = new(C.char); C.f14b(p)",
    "panics": false
  },
  {
    "name": "barrierpinnedok",
    "c": "#include <stdlib.h>\n\t\t    char **f14a2() { return malloc(sizeof(char*)); }\n\t\t    void f14b2(char **p) {}",
    "body": "var pinr runtime.Pinner; p := C.f14a2(); x := new(C.char); pinr.Pin(x); *p = x; C.f14b2(p); pinr.Unpin()",
    "imports": [
      "runtime"
    ],
    "panics": false
  },
  {
    "name": "barrierstruct",
    "c": "#include <stdlib.h>\n\t\t    struct s15 { char *a[10]; };\n\t\t    struct s15 *f15() { return malloc(sizeof(struct s15)); }\n\t\t    void f15b(struct s15 *p) {}",
    "body": "p := C.f15(); p.a = [10]*C.char{new(C.char)}; C.f15b(p)",
    "panics": false
  },
  {
    "name": "barrierslice",
    "c": "#include <stdlib.h>\n\t\t    struct s16 { char *a[10]; };\n\t\t    struct s16 *f16() { return malloc(sizeof(struct s16)); }\n\t\t    void f16b(struct s16 *p) {}",
    "body": "p := C.f16(); copy(p.a[:], []*C.char{new(C.char)}); C.f16b(p)",
    "panics": false
  },
  {
    "name": "barriergcprogarray",
    "c": "#include <stdlib.h>\n\t\t    struct s17 { char *a[32769]; };\n\t\t    struct s17 *f17() { return malloc(sizeof(struct s17)); }\n\t\t    void f17b(struct s17 *p) {}",
    "body": "p := C.f17(); p.a = [32769]*C.char{new(C.char)}; C.f17b(p)",
    "panics": false
  },
  {
    "name": "barriergcprogarrayheap",
    "c": "#include <stdlib.h>\n\t\t    struct s18 { char *a[32769]; };\n\t\t    struct s18 *f18() { return malloc(sizeof(struct s18)); }\n\t\t    void f18b(struct s18 *p) {}\n\t\t    void f18c(void *p) {}",
    "body": "p := C.f18(); n := &[32769]*C.char{new(C.char)}; p.a = *n; C.f18b(p); n[0] = nil; C.f18c(unsafe.Pointer(n))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "barriergcprogstruct",
    "c": "#include <stdlib.h>\n\t\t    struct s19a { char *a[32769]; };\n\t\t    struct s19b { struct s19a f; };\n\t\t    struct s19b *f19() { return malloc(sizeof(struct s19b)); }\n\t\t    void f19b(struct s19b *p) {}",
    "body": "p := C.f19(); p.f = C.struct_s19a{[32769]*C.char{new(C.char)}}; C.f19b(p)",
    "panics": false
  },
  {
    "name": "barriergcprogstructheap",
    "c": "#include <stdlib.h>\n\t\t    struct s20a { char *a[32769]; };\n\t\t    struct s20b { struct s20a f; };\n\t\t    struct s20b *f20() { return malloc(sizeof(struct s20b)); }\n\t\t    void f20b(struct s20b *p) {}\n\t\t    void f20c(void *p) {}",
    "body": "p := C.f20(); n := &C.struct_s20a{[32769]*C.char{new(C.char)}}; p.f = *n; C.f20b(p); n.a[0] = nil; C.f20c(unsafe.Pointer(n))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "export1",
    "c": "#ifdef _WIN32\n\t\t    __declspec(dllexport)\n\t\t\t#endif\n\t\t    extern unsigned char *GoFn21();",
    "body": "C.GoFn21()",
    "support": "//export GoFn21\n\t\t          func GoFn21() *byte { return new(byte) }",
    "panics": true,
    "reported": false
  },
  {
    "name": "exportok",
    "c": "#include <stdlib.h>\n\t\t    #ifdef _WIN32\n\t\t    __declspec(dllexport)\n\t\t\t#endif\n\t\t    extern unsigned char *GoFn22();",
    "body": "C.GoFn22()",
    "support": "//export GoFn22\n\t\t          func GoFn22() *byte { return (*byte)(C.malloc(1)) }",
    "panics": false
  },
  {
    "name": "passstring",
    "c": "#include <stddef.h>\n\t\t    typedef struct { const char *p; ptrdiff_t n; } gostring23;\n\t\t    gostring23 f23(gostring23 s) { return s; }",
    "body": "s := \"a\"; r := C.f23(*(*C.gostring23)(unsafe.Pointer(&s))); if *(*string)(unsafe.Pointer(&r)) != s { panic(r) }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "passstringslice",
    "c": "void f24(void *p) {}",
    "body": "s := S24{a:[1]string{strings.Repeat(\"a\", 2)}}; C.f24(unsafe.Pointer(&s.a[0]))",
    "support": "type S24 struct { a [1]string }",
    "imports": [
      "strings",
      "unsafe"
    ],
    "panics": true,
    "reported": false
  },
  {
    "name": "retstring",
    "c": "extern void f25();",
    "body": "C.f25()",
    "c1": "#include <stddef.h>\n\t\t     typedef struct { const char *p; ptrdiff_t n; } gostring25;\n\t\t     extern gostring25 GoStr25();\n\t\t     void f25() { GoStr25(); }",
    "support": "//export GoStr25\n\t\t          func GoStr25() string { return strings.Repeat(\"a\", 2) }",
    "imports": [
      "strings"
    ],
    "panics": true,
    "reported": false
  },
  {
    "name": "ptrdata1",
    "c": "#include <stdlib.h>\n\t\t    void f26(void* p) {}",
    "body": "i := 0; p := &S26{u:uintptr(unsafe.Pointer(&i))}; q := (*S26)(C.malloc(C.size_t(unsafe.Sizeof(*p)))); *q = *p; C.f26(unsafe.Pointer(q))",
    "support": "type S26 struct { p *int; a [8*8]byte; u uintptr }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "ptrdata2",
    "c": "#include <stdlib.h>\n\t\t    void f27(void* p) {}",
    "body": "i := 0; p := S27{u:uintptr(unsafe.Pointer(&i))}; q := (*S27)(C.malloc(C.size_t(unsafe.Sizeof(p)))); *q = p; C.f27(unsafe.Pointer(q))",
    "support": "type S27 struct { p *int; a [32769*8]byte; q *int; u uintptr }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "defer1",
    "c": "typedef struct s28 { int *p; } s28; void f28(s28 *ps) {}",
    "body": "p := &C.s28{}; defer C.f28(p); p.p = new(C.int)",
    "panics": true,
    "reported": false
  },
  {
    "name": "union1",
    "c": "typedef union { char **p; unsigned long i; } u29; void f29(u29 *pu) {}",
    "body": "var b C.char; p := &b; C.f29((*C.u29)(unsafe.Pointer(&p)))",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": false
  },
  {
    "name": "union2",
    "c": "typedef union { unsigned long i; } u39; void f39(u39 *pu) {}",
    "body": "var b C.char; p := &b; C.f39((*C.u39)(unsafe.Pointer(&p)))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "preemptduringcall",
    "c": "void f30() {}",
    "body": "var wg sync.WaitGroup; wg.Add(100); for i := 0; i < 100; i++ { go func(i int) { for j := 0; j < 100; j++ { C.f30(); runtime.GOMAXPROCS(i) }; wg.Done() }(i) }; wg.Wait()",
    "imports": [
      "runtime",
      "sync"
    ],
    "panics": false
  },
  {
    "name": "deadline",
    "c": "#define US31 10",
    "body": "r, _, _ := os.Pipe(); r.SetDeadline(time.Now().Add(C.US31 * time.Microsecond))",
    "imports": [
      "os",
      "time"
    ],
    "panics": false
  },
  {
    "name": "chanrecv",
    "c": "void f32(char** p) {}",
    "body": "c := make(chan []*C.char, 2); c <- make([]*C.char, 1); go func() { time.Sleep(10 * time.Second); panic(\"received twice from chan\") }(); C.f32(&(<-c)[0]);",
    "imports": [
      "time"
    ],
    "panics": false
  },
  {
    "name": "structfield",
    "c": "void f33(void* p) {}",
    "body": "s := &S33{p: new(int)}; C.f33(unsafe.Pointer(&s.a))",
    "support": "type S33 struct { p *int; a [8]byte; u uintptr }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "structfield2",
    "c": "void f34(void* p, int r, void* s) {}",
    "body": "s := &S34{p: new(int)}; C.f34(unsafe.Pointer(&s.a), 32, unsafe.Pointer(&s.b))",
    "support": "type S34 struct { a [8]byte; p *int; b int64; }",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "defer2",
    "c": "void f35(char **pc) {}",
    "body": "p := &S35b{&S35a{[]*C.char{nil}}}; defer C.f35(&p.ps.s[0]); p.ps = nil",
    "support": "type S35a struct { s []*C.char }; type S35b struct { ps *S35a }",
    "panics": false
  },
  {
    "name": "buffer",
    "c": "void f36(void *p) {}",
    "body": "var b bytes.Buffer; b.WriteString(\"a\"); C.f36(unsafe.Pointer(&b.Bytes()[0]))",
    "imports": [
      "bytes",
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "finalizer",
    "c": "// Nothing to declare.",
    "body": "for i := 0; i < 10000; i++ { G37 = append(G37, make([]byte, 4096)); if i % 100 == 0 { G37 = nil; open37() } }",
    "support": "func open37() { os.Open(os.Args[0]) }; var G37 [][]byte",
    "imports": [
      "os"
    ],
    "panics": false
  },
  {
    "name": "structof",
    "c": "// Nothing to declare.",
    "body": "t := reflect.StructOf([]reflect.StructField{{Name: \"MyInt38\", Type: reflect.TypeOf(MyInt38(0)), Anonymous: true}}); v := reflect.New(t).Elem(); v.Interface().(Getter38).Get()",
    "support": "type MyInt38 int; func (i MyInt38) Get() int { return int(i) }; type Getter38 interface { Get() int }",
    "imports": [
      "reflect"
    ],
    "panics": false
  },
  {
    "name": "structfieldcast",
    "c": "struct S40i { int i; int* p; }; void f40(struct S40i* p) {}",
    "body": "s := &S40{p: new(int)}; C.f40((*C.struct_S40i)(&s.a))",
    "support": "type S40 struct { p *int; a C.struct_S40i }",
    "panics": false
  },
  {
    "name": "stringdata",
    "c": "void f41(void* p) {}",
    "body": "s := struct { a [4]byte; p *int }{p: new(int)}; str := unsafe.String(&s.a[0], 4); C.f41(unsafe.Pointer(unsafe.StringData(str)))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "slicedata",
    "c": "void f42(void* p) {}",
    "body": "s := []*byte{nil, new(byte)}; C.f42(unsafe.Pointer(unsafe.SliceData(s)))",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": false
  },
  {
    "name": "slicedata2",
    "c": "void f43(void* p) {}",
    "body": "s := struct { a [4]byte; p *int }{p: new(int)}; C.f43(unsafe.Pointer(unsafe.SliceData(s.a[:])))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "arraypointer",
    "c": "void f44(void* p) {}",
    "body": "a := new([10]byte); C.f44(unsafe.Pointer(&a[0]))",
    "imports": [
      "unsafe"
    ],
    "panics": false
  },
  {
    "name": "arraypointer2",
    "c": "void f45(void** p) {}",
    "body": "i := 0; a := &[2]unsafe.Pointer{nil, unsafe.Pointer(&i)}; C.f45(&a[0])",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": false
  },
  {
    "name": "argmap",
    "c": "void f46(void* p) {}",
    "body": "m := map[int]int{0: 1,}; C.f46(unsafe.Pointer(&m))",
    "imports": [
      "unsafe"
    ],
    "panics": true,
    "reported": true,
    "argument": "unsafe.Pointer(&m)",
    "kind": "map"
  },
  {
    "name": "retmap",
    "c": "extern void f47();",
    "body": "C.f47()",
    "c1": "extern void* GoMap47();\n\t\t     void f47() { GoMap47(); }",
    "support": "//export GoMap47\n\t\t          func GoMap47() map[int]int { return map[int]int{0: 1,} }",
    "panics": true,
    "reported": false
  }
];

/** The panic go run prints for a reported case (runtime/cgocall.go of Go 1.19 and 1.26.8). */
function panicOf(t: PtrTest, goMinor: number): RegExp {
  const text = goMinor >= 26 ? `argument of cgo function has Go pointer to unpinned Go ${t.kind}` : 'cgo argument has Go pointer to Go pointer';
  return new RegExp(`"panic: runtime error: ${text}"`);
}

/** The package ptr_test.go's buildPtrTests writes for one case (cgo2.go for //export support). */
function packageOf(t: PtrTest): Files {
  const imports = (t.imports ?? []).map((i) => `import "${i}"\n`).join('');
  const fn = `${t.support ?? ''}\nfunc ${t.name}() {\n${t.body}\n}\n`;
  if ((t.support ?? '').includes('//export')) {
    return {
      'cgo1.go': `package main\n\n/*\n${t.c1 ?? ''}\n*/\nimport "C"\n\nfunc main() { ${t.name}() }\n`,
      'cgo2.go': `package main\n\n/*\n${t.c}\n*/\nimport "C"\n\n${imports}${fn}`,
    };
  }
  return { 'cgo1.go': `package main\n\n/*\n${t.c}\n${t.c1 ?? ''}\n*/\nimport "C"\n\n${imports}${fn}\nfunc main() { ${t.name}() }\n` };
}

test('unpinned-go-pointer: silent on every case of Go\'s ptr_test.go that go run passes, reports the panics it can see', async () => {
  for (const goMinor of [19, 26]) {
    const target = resolveTarget('linux', 'amd64', {}, goMinor);
    const cases = ptrTests.map((t) => ({ name: `${t.name} (go1.${goMinor})`, dir: `/virtual/ptrtest/${t.name}`, files: packageOf(t), target }));
    const reported = (t: PtrTest): boolean => t.panics && t.reported === true;
    await ruleTester.run(rule, {
      valid: cases.filter((_, i) => !reported(ptrTests[i])),
      invalid: cases.flatMap((c, i) => {
        const t = ptrTests[i];
        if (!reported(t)) return [];
        const line = c.files['cgo1.go'].split('\n').indexOf(t.body) + 1;
        return [{ ...c, errors: [{ at: `cgo1.go:${line}:${t.argument}`, message: panicOf(t, goMinor) }] }];
      }),
    });
  }
});
