// CGO_ENABLED's default (target.ts cgoDefault) and the rule cgo-disabled-for-target: which
// targets build without cgo, and what the files left out still get.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { hostTarget, type BuildTarget } from '../../server/src/cgo/constraints';
import { goGetenv } from '../../server/src/cgo/goGetenv';
import { cgoDefault, cgoSupported, onPath, resolvePackageTarget, resolveTarget } from '../../server/src/cgo/target';
import { rules } from '../../server/src/rules';
import { cgoDisabledForTarget as rule } from '../../server/src/rules/cgo-disabled-for-target';
import { cgoInTest } from '../../server/src/rules/cgo-in-test';
import { invalidCgoDirective } from '../../server/src/rules/invalid-cgo-directive';
import { renameImportC } from '../../server/src/rules/rename-import-c';
import type { Rule } from '../../server/src/cgo/rule';
import { ruleTester, type PackageCase } from '../support/ruleTester';

const host = hostTarget();
/** A target that is not the host: the go command cross-compiles to it. */
const other = host.goarch === 'arm64' ? { goos: 'linux', goarch: 'amd64' } : { goos: 'linux', goarch: 'arm64' };
const found = (): boolean => true;
const missing = (): boolean => false;

function off(goos: string, goarch: string, goMinor: number, env: NodeJS.ProcessEnv, findExecutable = found): string | undefined {
  return cgoDefault({ goos, goarch, goMinor }, goGetenv(env, () => ''), env, findExecutable)?.reason;
}

test('cgoDefault: CGO_ENABLED wins; cross-compiling turns cgo off, CC does not turn it back on', () => {
  for (const minor of [19, 26, 27]) {
    assert.equal(off(other.goos, other.goarch, minor, {}), 'cross-compiling');
    assert.equal(off(other.goos, other.goarch, minor, { CC: 'aarch64-linux-gnu-gcc' }), 'cross-compiling');
    assert.equal(off(other.goos, other.goarch, minor, { CGO_ENABLED: '1' }), undefined);
    assert.equal(off(host.goos, host.goarch, minor, {}), undefined);
    assert.equal(off(host.goos, host.goarch, minor, { CGO_ENABLED: '0' }), 'CGO_ENABLED=0');
    // Only "0" and "1" count (cmd/go/internal/cfg): anything else is the default.
    assert.equal(off(host.goos, host.goarch, minor, { CGO_ENABLED: 'yes' }), undefined);
  }
});

test('cgoDefault: with no C compiler on PATH and CC unset, cgo is off from Go 1.20 on', () => {
  assert.equal(off(host.goos, host.goarch, 19, {}, missing), undefined);
  assert.equal(off(host.goos, host.goarch, 20, {}, missing), 'no C compiler');
  assert.equal(off(host.goos, host.goarch, 27, {}, missing), 'no C compiler');
  assert.equal(off(host.goos, host.goarch, 26, { CC: '/opt/cc' }, missing), undefined);
  assert.equal(off(host.goos, host.goarch, 26, { CGO_ENABLED: '1' }, missing), undefined);
  const asked: string[] = [];
  cgoDefault({ goos: 'darwin', goarch: 'arm64', goMinor: 26 }, () => '', {}, (name) => (asked.push(name), true));
  cgoDefault({ goos: 'linux', goarch: 'amd64', goMinor: 26 }, () => '', {}, (name) => (asked.push(name), true));
  // Only the host is looked at; on it, the default compiler of cfg.DefaultCC.
  assert.deepEqual(asked, host.goos === 'linux' && host.goarch === 'amd64' ? ['gcc'] : host.goos === 'darwin' && host.goarch === 'arm64' ? ['clang'] : []);
});

test('cgoDefault: CGO_ENABLED from the go env -w file counts, as cfg.Getenv reads it', () => {
  const env = { GOENV: '/virtual/go/env' };
  const getenv = goGetenv(env, () => 'CGO_ENABLED=1\n');
  assert.equal(cgoDefault({ ...other, goMinor: 26 }, getenv, env), undefined);
});

test('cgoSupported: the cgo ports of each release', () => {
  assert.equal(cgoSupported('linux', 'amd64', 19), true);
  assert.equal(cgoSupported('windows', 'arm64', 19), true);
  assert.equal(cgoSupported('js', 'wasm', 26), false);
  assert.equal(cgoSupported('freebsd', 'riscv64', 19), false);
  assert.equal(cgoSupported('freebsd', 'riscv64', 20), true);
  assert.equal(cgoSupported('openbsd', 'riscv64', 22), false);
  assert.equal(cgoSupported('openbsd', 'riscv64', 23), true);
  assert.equal(cgoSupported('linux', 'ppc64', 26), false);
  assert.equal(cgoSupported('linux', 'ppc64', 27), true);
  assert.equal(cgoSupported('openbsd', 'mips64', 26), true);
  assert.equal(cgoSupported('openbsd', 'mips64', 27), false);
});

test('onPath: an executable regular file in an absolute PATH directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-onpath-'));
  try {
    fs.writeFileSync(path.join(dir, 'cc-exec'), '', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'cc-plain'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'cc-dir'));
    assert.equal(onPath('cc-exec', { PATH: `/nonexistent:${dir}` }, 'linux'), true);
    assert.equal(onPath('cc-plain', { PATH: dir }, 'linux'), false);
    assert.equal(onPath('cc-dir', { PATH: dir }, 'linux'), false);
    assert.equal(onPath('cc-exec', { PATH: path.relative(process.cwd(), dir) }, 'linux'), false);
    assert.equal(onPath('cc-exec', {}, 'linux'), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('resolvePackageTarget: $GOOS/$GOARCH of another platform build without cgo, and the cgo tag follows', () => {
  const { target } = resolvePackageTarget('/virtual/p', { goVersion: '1.26', env: { GOOS: other.goos, GOARCH: other.goarch } }, () => undefined);
  assert.equal(target.cgoEnabled, false);
  assert.deepEqual(target.cgoOff, { reason: 'cross-compiling', host: `${host.goos}/${host.goarch}` });
  const on = resolvePackageTarget('/virtual/p', { goVersion: '1.26', env: { GOOS: other.goos, GOARCH: other.goarch, CGO_ENABLED: '1' } }, () => undefined);
  assert.equal(on.target.cgoEnabled, true);
});

const dir = '/virtual/app';
const cgoOnly = `package main

// #cgo LDFLAG: -lm
import "C"

import c "C"

func main() {}
`;

function crossTarget(goMinor = 26): BuildTarget {
  return { ...resolveTarget(other.goos, other.goarch, {}, goMinor), cgoEnabled: false, cgoOff: { reason: 'cross-compiling', host: `${host.goos}/${host.goarch}` } };
}

/** No rule of the registry but `speaking` reports anything on these packages. */
function othersSilent(cases: PackageCase[], ...speaking: Rule[]): Promise<void> {
  return ruleTester.silent(
    rules.filter((r) => !speaking.includes(r)),
    cases,
  );
}

test('cgo-disabled-for-target: on import "C" of a file cgo-off leaves out; only the #cgo lines go/build reads are still judged', async () => {
  const off: PackageCase = { name: 'cross-compiling', dir, files: { 'main.go': cgoOnly }, target: crossTarget() };
  await ruleTester.run(rule, {
    invalid: [
      {
        ...off,
        errors: [
          {
            at: 'main.go:4',
            message:
              /cgo is off for linux\/(arm64|amd64): the go command turns cgo off when cross-compiling[\s\S]*"build constraints exclude all Go files in \/virtual\/app"[\s\S]*CGO_ENABLED=1 CC="zig cc --target=(aarch64|x86_64)-linux-gnu" GOOS=linux[\s\S]*CC=(aarch64|x86_64)-linux-gnu-gcc/,
          },
        ],
      },
    ],
  });
  await ruleTester.run(invalidCgoDirective, { invalid: [{ ...off, errors: ['main.go:3'] }] });
  await othersSilent([off], rule, invalidCgoDirective);
  // The same files with cgo on: rename-import-c speaks, this rule does not.
  const on: PackageCase = { name: 'cgo on', dir, files: { 'main.go': cgoOnly }, target: resolveTarget(other.goos, other.goarch, {}, 26) };
  await ruleTester.run(invalidCgoDirective, { invalid: [{ ...on, errors: ['main.go:3'] }] });
  await ruleTester.run(renameImportC, { invalid: [{ ...on, errors: ['main.go:6'] }] });
  await othersSilent([on], invalidCgoDirective, renameImportC);
});

test('cgo-disabled-for-target: a !cgo file left in the package changes what go build does; a cgo-tagged file is not built at all', async () => {
  const c: PackageCase = {
    name: 'a !cgo file and a cgo file',
    dir,
    files: {
      'a.go': 'package p\n\n// static int one(void) { return 1; }\nimport "C"\n\nfunc One() int { return int(C.one()) }\n',
      'b.go': '//go:build !cgo\n\npackage p\n\nfunc One() int { return 1 }\n',
      'c.go': '//go:build cgo\n\npackage p\n\nimport "C"\n',
    },
    target: crossTarget(),
  };
  await ruleTester.run(rule, { invalid: [{ ...c, errors: [{ at: 'a.go:4', message: /builds the package from its other files, without this one/ }] }] });
  await othersSilent([c], rule);
});

test('cgo-disabled-for-target: silent for CGO_ENABLED=0 set on purpose and for test files', async () => {
  const onPurpose: PackageCase = {
    name: 'CGO_ENABLED=0',
    dir,
    files: { 'main.go': 'package main\n\nimport "C"\n\nfunc main() {}\n' },
    target: { ...resolveTarget(host.goos, host.goarch, {}, 26), cgoEnabled: false, cgoOff: { reason: 'CGO_ENABLED=0' } },
  };
  await ruleTester.run(rule, { valid: [onPurpose] });
  await othersSilent([onPurpose], rule);
  const testFile: PackageCase = { name: 'a test file', dir, files: { 'a.go': 'package p\n', 'a_test.go': 'package p\n\nimport "C"\n' }, target: crossTarget() };
  await ruleTester.run(rule, { valid: [testFile] });
  await ruleTester.run(cgoInTest, { invalid: [{ ...testFile, errors: ['a_test.go:3'] }] });
  await othersSilent([testFile], cgoInTest);
});

test('cgo-disabled-for-target: no C compiler names the compiler and the Go release', async () => {
  await ruleTester.run(rule, {
    invalid: [
      {
        name: 'no gcc',
        dir,
        files: { 'main.go': 'package main\n\nimport "C"\n\nfunc main() {}\n' },
        target: { ...resolveTarget(host.goos, host.goarch, {}, 26), cgoEnabled: false, cgoOff: { reason: 'no C compiler', compiler: 'gcc' } },
        errors: [{ at: '3', message: /^cgo is off: Go 1\.26 turns cgo off when CC is unset and gcc is not on PATH[\s\S]*Install gcc, or set CC/ }],
      },
    ],
  });
});
