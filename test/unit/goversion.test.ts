// Which Go release the checks answer for, and what changes with it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goModFor, parseGoMinor, resolveGoVersion } from '../../server/src/cgo/goversion';
import { resolveTarget } from '../../server/src/cgo/target';
import { rules } from '../../server/src/rules';
import { invalidCgoDirective } from '../../server/src/rules/invalid-cgo-directive';
import { ruleTester } from '../support/ruleTester';

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

const go = (minor: number) => resolveTarget('linux', 'amd64', {}, minor);

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
  const files = { 'a.go': noescape };
  await ruleTester.run(invalidCgoDirective, {
    invalid: [
      {
        name: 'Go 1.19',
        files,
        target: go(19),
        errors: [
          { at: 'a.go:4', message: /^go build fails: "a\.go: invalid #cgo line: #cgo noescape twice"(\. |$)/ },
          { at: 'a.go:5', message: /^go build fails: "a\.go: invalid #cgo line: #cgo nocallback twice"(\. |$)/ },
        ],
      },
      {
        name: 'Go 1.23',
        files,
        target: go(23),
        errors: [
          { at: 'a.go:4', message: /^go build fails: "cgo: #cgo noescape disabled until Go 1\.23"(\. |$)/ },
          { at: 'a.go:5', message: /^go build fails: "cgo: #cgo nocallback disabled until Go 1\.23"(\. |$)/ },
        ],
      },
    ],
  });
  await ruleTester.silent(rules, [19, 23].map((minor) => ({ name: `Go 1.${minor}`, files, target: go(minor) })), invalidCgoDirective);
  await ruleTester.silent(rules, [24, 26].map((minor) => ({ name: `Go 1.${minor}`, files, target: go(minor) })));
});

test('#cgo noescape NAME that no Go code calls: "no matched C function" from Go 1.24', async () => {
  const source = noescape.replace('#cgo nocallback twice', '#cgo nocallback missing');
  const c = { name: 'nocallback missing', files: { 'a.go': source }, target: go(26) };
  await ruleTester.run(invalidCgoDirective, { invalid: [{ ...c, errors: [{ at: 'a.go:5:missing', message: /^go build fails: "cgo: #cgo nocallback missing: no matched C function"/ }] }] });
  await ruleTester.silent(rules, [c], invalidCgoDirective);
});

test('a file the Go release does not build gets no finding (//go:build go1.24 under Go 1.19)', async () => {
  const gated = `//go:build go1.24\n\n${noescape}`;
  const other = `//go:build windows\n\n${noescape.replace('#cgo LDFLAGS: -lm', '#cgo LDFLAG: -lm')}`;
  await ruleTester.silent(rules, [
    { name: 'go1.24 file, Go 1.19', files: { 'a.go': gated }, target: go(19) },
    { name: 'go1.24 file, Go 1.26', files: { 'a.go': gated }, target: go(26) },
    { name: 'windows file', files: { 'a.go': other }, target: go(26) },
  ]);
});
