// stale-cgo-input: which #cgo arguments name inputs the go command's cache does not hash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

const moduleRoot = '/virtual/mod';
const dir = `${moduleRoot}/app`;

async function stale(preamble: string, goMinor = 26, name = 'main.go'): Promise<{ text: string; message: string }[]> {
  const engine = await testEngine();
  const text = `package main\n\n${preamble
    .split('\n')
    .map((line) => `// ${line}`)
    .join('\n')}\nimport "C"\n\nfunc main() {}\n`;
  const readText = (file: string): string | undefined => (file === `${moduleRoot}/go.mod` ? 'module example.com/mod\n\ngo 1.19\n' : undefined);
  const findings = engine.checkPackage(dir, [{ path: `${dir}/${name}`, text }], { target: resolveTarget('linux', 'amd64', {}, goMinor), readText });
  return findings.filter((f) => f.rule === 'stale-cgo-input').map((f) => ({ text: text.slice(f.start, f.end), message: f.message }));
}

test('stale-cgo-input: a static archive or object named by path in #cgo LDFLAGS', async () => {
  const found = await stale('#cgo LDFLAGS: ${SRCDIR}/../c/libapi.a -lm ${SRCDIR}/../c/extra.o');
  assert.deepEqual(found.map((f) => f.text), ['${SRCDIR}/../c/libapi.a', '${SRCDIR}/../c/extra.o']);
  assert.match(found[0].message, /^go build does not notice when \$\{SRCDIR\}\/\.\.\/c\/libapi\.a changes/);
  assert.match(found[0].message, /go build -a/);
});

test('stale-cgo-input: go run is named only from Go 1.24, which caches its executables', async () => {
  const [old] = await stale('#cgo LDFLAGS: ${SRCDIR}/libapi.a', 23);
  assert.match(old.message, /go build keeps \(go run relinks every time before Go 1\.24\)/);
  const [now] = await stale('#cgo LDFLAGS: ${SRCDIR}/libapi.a', 24);
  assert.match(now.message, /go build and go run \(which caches its executables since Go 1\.24\) keep/);
});

test('stale-cgo-input: libraries by name, shared libraries, flags and other targets are not reported', async () => {
  assert.deepEqual(await stale('#cgo LDFLAGS: -L${SRCDIR}/lib -lapi -lm -Wl,-rpath,${SRCDIR}/lib'), []);
  assert.deepEqual(await stale('#cgo LDFLAGS: ${SRCDIR}/lib/libapi.so'), []);
  assert.deepEqual(await stale('#cgo windows LDFLAGS: ${SRCDIR}/lib/libapi.a'), []);
  assert.deepEqual(await stale('#cgo LDFLAGS: ${SRCDIR}/libapi.a', 26, 'main_test.go'), []);
});

test('stale-cgo-input: -I directories outside the module, not inside it nor the system', async () => {
  const found = await stale('#cgo CFLAGS: -I${SRCDIR}/../../other/include -I ../../sibling/include -I${SRCDIR}/include -I${SRCDIR}/../c -I/usr/include/foo');
  assert.deepEqual(found.map((f) => f.text), ['-I${SRCDIR}/../../other/include', '../../sibling/include']);
  assert.match(found[0].message, /^go build does not notice changes to the headers in \/virtual\/other\/include, outside the module/);
  assert.deepEqual(await stale('#cgo CPPFLAGS: -I${SRCDIR}/../c'), []);
});
