// method-on-c-type: which receivers each Go release refuses, and where the finding sits.
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { methodOnCType as rule } from '../../server/src/rules/method-on-c-type';
import { ruleTester } from '../support/ruleTester';

const go = (minor: number) => resolveTarget('linux', 'amd64', {}, minor);

const cgo = `package p

// typedef struct { int x; } point;
import "C"

type Point = C.point
type Chained = Point
type Local C.point
type Wrapper struct{ c C.point }

func (p *C.point) A() {}
func (p (C.point)) B() {}
func (C.point) C() {}
func (p Point) D() {}
func (p *Chained) E() {}
func (p Local) F() {}
func (w Wrapper) G() {}
func H(p C.point) {}
`;

test('method-on-c-type: direct receivers from Go 1.21, aliases (also chained) from Go 1.24', async () => {
  await ruleTester.run(rule, {
    valid: [{ name: 'Go 1.20', files: { 'a.go': cgo }, target: go(20) }],
    invalid: [
      { name: 'Go 1.21', files: { 'a.go': cgo }, target: go(21), errors: ['a.go:11:C.point', 'a.go:12:C.point', 'a.go:13:C.point'] },
      { name: 'Go 1.26', files: { 'a.go': cgo }, target: go(26), errors: ['a.go:11:C.point', 'a.go:12:C.point', 'a.go:13:C.point', 'a.go:14:Point', 'a.go:15:Chained'] },
    ],
  });
});

test('method-on-c-type: an alias declared in a cgo file counts for methods in a plain Go file; comments and strings do not', async () => {
  const files = {
    'a.go': 'package p\n\n// typedef int handle;\nimport "C"\n\ntype Handle = C.handle\n',
    'b.go': 'package p\n\n// func (h Handle) Close() {} in a comment\nvar s = "func (h *C.handle) X()"\n\nfunc (h Handle) Close() {}\n',
  };
  await ruleTester.run(rule, { invalid: [{ name: 'alias in a.go', files, target: go(24), errors: ['b.go:6:Handle'] }] });
});

test('method-on-c-type: the message quotes the toolchain and says which release refuses it', async () => {
  // The message, on the line of the method, in analysistest's form.
  const text = String.raw`package p

// typedef struct { int x; } point;
import "C"

func (p *C.point) X() int { return int(p.x) } // want "^go build fails \\(Go 1\\.21 and later\\): \"cannot define new methods on non-local type \\*C\\.point\"\\. C\\.point is cgo's type"
`;
  await ruleTester.run(rule, { invalid: [{ name: 'the message', files: { 'a.go': text }, target: go(26) }] });
});
