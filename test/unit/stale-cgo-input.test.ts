// stale-cgo-input: which #cgo arguments name inputs the go command's cache does not hash.
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { staleCgoInput as rule } from '../../server/src/rules/stale-cgo-input';
import { ruleTester, type PackageCase } from '../support/ruleTester';

const moduleRoot = '/virtual/mod';

/** A package of the module at /virtual/mod (go 1.19) whose one file has `preamble` (its lines from line 3). */
function pkg(name: string, preamble: string, goMinor = 26, file = 'main.go'): PackageCase {
  const text = `package main\n\n${preamble
    .split('\n')
    .map((line) => `// ${line}`)
    .join('\n')}\nimport "C"\n\nfunc main() {}\n`;
  return {
    name,
    dir: `${moduleRoot}/app`,
    files: { [file]: text },
    elsewhere: { [`${moduleRoot}/go.mod`]: 'module example.com/mod\n\ngo 1.19\n' },
    target: resolveTarget('linux', 'amd64', {}, goMinor),
  };
}

test('stale-cgo-input: a static archive or object named by path in #cgo LDFLAGS', async () => {
  await ruleTester.run(rule, {
    invalid: [
      {
        ...pkg('archive and object', '#cgo LDFLAGS: ${SRCDIR}/../c/libapi.a -lm ${SRCDIR}/../c/extra.o'),
        errors: [{ at: '3:${SRCDIR}/../c/libapi.a', message: /^go build does not notice when \$\{SRCDIR\}\/\.\.\/c\/libapi\.a changes[\s\S]*go build -a/ }, '3:${SRCDIR}/../c/extra.o'],
      },
    ],
  });
});

test('stale-cgo-input: go run is named only from Go 1.24, which caches its executables', async () => {
  await ruleTester.run(rule, {
    invalid: [
      { ...pkg('go1.23', '#cgo LDFLAGS: ${SRCDIR}/libapi.a', 23), errors: [{ at: '3', message: /go build keeps \(go run relinks every time before Go 1\.24\)/ }] },
      { ...pkg('go1.24', '#cgo LDFLAGS: ${SRCDIR}/libapi.a', 24), errors: [{ at: '3', message: /go build and go run \(which caches its executables since Go 1\.24\) keep/ }] },
    ],
  });
});

test('stale-cgo-input: libraries by name, shared libraries, flags and other targets are not reported', async () => {
  await ruleTester.run(rule, {
    valid: [
      pkg('libraries by name and flags', '#cgo LDFLAGS: -L${SRCDIR}/lib -lapi -lm -Wl,-rpath,${SRCDIR}/lib'),
      pkg('a shared library', '#cgo LDFLAGS: ${SRCDIR}/lib/libapi.so'),
      pkg('another target', '#cgo windows LDFLAGS: ${SRCDIR}/lib/libapi.a'),
      pkg('a test file', '#cgo LDFLAGS: ${SRCDIR}/libapi.a', 26, 'main_test.go'),
    ],
  });
});

test('stale-cgo-input: -I directories outside the module, not inside it nor the system', async () => {
  await ruleTester.run(rule, {
    valid: [pkg('inside the module, CPPFLAGS', '#cgo CPPFLAGS: -I${SRCDIR}/../c')],
    invalid: [
      {
        ...pkg('outside, inside, system', '#cgo CFLAGS: -I${SRCDIR}/../../other/include -I ../../sibling/include -I${SRCDIR}/include -I${SRCDIR}/../c -I/usr/include/foo'),
        errors: [{ at: '3:-I${SRCDIR}/../../other/include', message: /^go build does not notice changes to the headers in \/virtual\/other\/include, outside the module/ }, '3:../../sibling/include'],
      },
    ],
  });
});
