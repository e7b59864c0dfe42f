// method-on-c-type: which receivers each Go release refuses, and where the finding sits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

const dir = '/virtual/p';

async function receivers(files: Record<string, string>, goMinor: number): Promise<string[]> {
  const engine = await testEngine();
  const target = resolveTarget('linux', 'amd64', {}, goMinor);
  const findings = engine.checkPackage(dir, Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text })), { target });
  return findings.filter((f) => f.rule === 'method-on-c-type').map((f) => `${f.file.slice(dir.length + 1)}:${files[f.file.slice(dir.length + 1)].slice(f.start, f.end)}`);
}

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
  assert.deepEqual(await receivers({ 'a.go': cgo }, 20), []);
  assert.deepEqual(await receivers({ 'a.go': cgo }, 21), ['a.go:C.point', 'a.go:C.point', 'a.go:C.point']);
  assert.deepEqual(await receivers({ 'a.go': cgo }, 26), ['a.go:C.point', 'a.go:C.point', 'a.go:C.point', 'a.go:Point', 'a.go:Chained']);
});

test('method-on-c-type: an alias declared in a cgo file counts for methods in a plain Go file; comments and strings do not', async () => {
  const files = {
    'a.go': 'package p\n\n// typedef int handle;\nimport "C"\n\ntype Handle = C.handle\n',
    'b.go': 'package p\n\n// func (h Handle) Close() {} in a comment\nvar s = "func (h *C.handle) X()"\n\nfunc (h Handle) Close() {}\n',
  };
  assert.deepEqual(await receivers(files, 24), ['b.go:Handle']);
});

test('method-on-c-type: the message quotes the toolchain and says which release refuses it', async () => {
  const engine = await testEngine();
  const text = 'package p\n\n// typedef struct { int x; } point;\nimport "C"\n\nfunc (p *C.point) X() int { return int(p.x) }\n';
  const [finding] = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text }], { target: resolveTarget('linux', 'amd64', {}, 26) }).filter((f) => f.rule === 'method-on-c-type');
  assert.match(finding.message, /^go build fails \(Go 1\.21 and later\): "cannot define new methods on non-local type \*C\.point"\. C\.point is cgo's type/);
});
