// Which Go release the checks answer for, and what changes with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/cgo/findings';
import { goModFor, parseGoMinor, resolveGoVersion } from '../../server/src/cgo/goversion';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

test('parseGoMinor reads the ways Go versions are written', () => {
  assert.equal(parseGoMinor('1.24'), 24);
  assert.equal(parseGoMinor('1.24.3'), 24);
  assert.equal(parseGoMinor('go1.26.8'), 26);
  assert.equal(parseGoMinor('go1.26rc1'), 26);
  assert.equal(parseGoMinor('go1.26.8 X:boringcrypto'), 26);
  assert.equal(parseGoMinor('1.x'), undefined);
  assert.equal(parseGoMinor('2.0'), undefined);
  assert.equal(parseGoMinor('1.240'), 240);
});

test('goModFor reads the nearest go.mod, its toolchain and go lines', () => {
  const files: Record<string, string> = {
    '/m/go.mod': 'module example.com/m // a comment\n\ngo 1.24.0 // lower bound\n\ntoolchain go1.25.3\n',
    '/n/go.mod': 'module example.com/n\n',
  };
  const read = (file: string): string | undefined => files[file];
  assert.deepEqual(goModFor('/m/a/b', read), { file: '/m/go.mod', toolchain: 25, go: 24 });
  assert.deepEqual(goModFor('/n', read), { file: '/n/go.mod', toolchain: undefined, go: undefined });
  assert.equal(goModFor('/elsewhere', read), undefined);
});

test('resolveGoVersion: explicit, then the local go (switching to go.mod as the go command does), then go.mod, then the newest', () => {
  const goMod = { file: '/m/go.mod', toolchain: undefined, go: 24 };
  assert.equal(resolveGoVersion({ explicit: '1.19', localGoVersion: 'go1.26.8', goMod }).minor, 19);
  assert.equal(resolveGoVersion({ localGoVersion: 'go1.26.8', goToolchain: 'auto', goMod }).minor, 26);
  // Go 1.21+ switches to a newer toolchain that go.mod asks for, unless GOTOOLCHAIN=local.
  const newer = { file: '/m/go.mod', toolchain: 27, go: 24 };
  assert.equal(resolveGoVersion({ localGoVersion: 'go1.26.8', goToolchain: 'auto', goMod: newer }).minor, 27);
  assert.equal(resolveGoVersion({ localGoVersion: 'go1.26.8', goToolchain: 'local', goMod: newer }).minor, 26);
  // Go 1.19 never switches.
  assert.equal(resolveGoVersion({ localGoVersion: 'go1.19.8', goToolchain: 'auto', goMod: newer }).minor, 19);
  assert.equal(resolveGoVersion({ localGoVersion: 'go1.26.8', goToolchain: 'go1.24.2' }).minor, 24);
  assert.equal(resolveGoVersion({ goMod }).minor, 24);
  assert.match(resolveGoVersion({ goMod }).reason, /go\.mod says go 1\.24/);
  assert.equal(resolveGoVersion({}).minor, 27);
  // Outside what is modelled: the nearest modelled release, and the reason says so.
  const old = resolveGoVersion({ explicit: '1.16' });
  assert.equal(old.minor, 19);
  assert.match(old.reason, /oldest release modelled/);
});

async function check(files: Record<string, string>, goMinor: number): Promise<Finding[]> {
  const engine = await testEngine();
  const dir = '/virtual/p';
  const target = resolveTarget('linux', 'amd64', {}, goMinor);
  return engine.checkPackage(dir, Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text })), { target });
}

const noescape = `package p

/*
#cgo noescape twice
#cgo nocallback twice
#cgo LDFLAGS: -lm
static int twice(int x) { return 2 * x; }
*/
import "C"

func F() int { return int(C.twice(2)) }
`;

test('#cgo noescape/nocallback: invalid #cgo line before Go 1.22, refused by cmd/cgo in 1.22-1.23, fine from 1.24', async () => {
  const messages = async (minor: number): Promise<string[]> => (await check({ 'a.go': noescape }, minor)).map((f) => `${f.rule}: ${f.message.split('". ')[0]}"`);
  assert.deepEqual(await messages(19), [
    'invalid-cgo-directive: go build fails: "a.go: invalid #cgo line: #cgo noescape twice"',
    'invalid-cgo-directive: go build fails: "a.go: invalid #cgo line: #cgo nocallback twice"',
  ]);
  assert.deepEqual(await messages(23), [
    'invalid-cgo-directive: go build fails: "cgo: #cgo noescape disabled until Go 1.23"',
    'invalid-cgo-directive: go build fails: "cgo: #cgo nocallback disabled until Go 1.23"',
  ]);
  assert.deepEqual(await messages(24), []);
  assert.deepEqual(await messages(26), []);
});

test('#cgo noescape NAME that no Go code calls: "no matched C function" from Go 1.24', async () => {
  const source = noescape.replace('#cgo nocallback twice', '#cgo nocallback missing');
  const findings = await check({ 'a.go': source }, 26);
  assert.deepEqual(findings.map((f) => [f.rule, source.slice(f.start, f.end)]), [['invalid-cgo-directive', 'missing']]);
  assert.match(findings[0].message, /^go build fails: "cgo: #cgo nocallback missing: no matched C function"/);
});

test('a file the Go release does not build gets no finding (//go:build go1.24 under Go 1.19)', async () => {
  const gated = `//go:build go1.24\n\n${noescape}`;
  assert.deepEqual(await check({ 'a.go': gated }, 19), []);
  assert.deepEqual(await check({ 'a.go': gated }, 26), []);
  const other = `//go:build windows\n\n${noescape.replace('#cgo LDFLAGS: -lm', '#cgo LDFLAG: -lm')}`;
  assert.deepEqual(await check({ 'a.go': other }, 26), []);
});
