// Hovers through the spawned bundled server: #cgo verbs (the package's combined value),
// conditions (for the configured target), flags (${SRCDIR} expanded, the path checked, the go
// command's allowlist), pkg-config (only when the workspace is trusted: a fake pkg-config
// proves whether a process was started), import "C", and C.name / field accesses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Hover, MarkupContent, Position } from 'vscode-languageserver';
import { createMessageConnection, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { PkgConfig, splitPkgConfigOutput } from '../../server/src/cgo/pkgconfig';
import { ChildProcesses } from '../../server/src/cgo/processes';
import { fileUri, packageDir, repoRoot, serverReader, withServer, type LspClient } from '../support/lspClient';

/** The position of `needle` (its `delta`-th character) in text, in UTF-16 columns. */
function at(text: string, needle: string, delta = 0, occurrence = 0): Position {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} not in the text`);
  const before = text.slice(0, index + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function hoverText(client: LspClient, uri: string, position: Position): Promise<string> {
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  assert.ok(hover, `no hover at ${JSON.stringify(position)}`);
  return (hover.contents as MarkupContent).value;
}

const apiHeader = `#pragma once
#include <stdint.h>

typedef struct {
  char *data;
  uint64_t len;
} String;

typedef enum { ANIMAL_KIND_DOG, ANIMAL_KIND_CAT } AnimalKind;

typedef struct {
  AnimalKind kind;
  union {
    String cat_name;
    uint16_t dog_tail;
  };
} Animal;

Animal animal_make_dog(void);
`;

const appGo = `package app

// #cgo CFLAGS: -DA=1 -I\${SRCDIR}/inc -I\${SRCDIR}/nowhere
// #cgo linux CFLAGS: -DLINUX
// #cgo LDFLAGS: \${SRCDIR}/lib/libapi.a -fplugin=evil.so
// #include <stdlib.h>
// #include "api.h"
// static int twice(int x) { return 2 * x; }
import "C"

func Use() int {
	dog := C.animal_make_dog()
	_ = dog.kind
	_ = dog.anon0
	var name C.String
	_ = name.len
	return int(C.twice(2))
}

func Later() uint64 {
	return uint64(later.len)
}

// Declared below its use: package-level names are visible in the whole package.
var later C.String
`;

const otherGo = `package app

// #cgo CFLAGS: -DB=2
import "C"
`;

function appPackage(): string {
  const dir = packageDir({ 'app.go': appGo, 'other.go': otherGo });
  fs.mkdirSync(path.join(dir, 'inc'));
  fs.writeFileSync(path.join(dir, 'inc', 'api.h'), apiHeader);
  return dir;
}

test('hover on a #cgo verb: what it does, CGO_CFLAGS, and the value combined from every file of the package', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    client.configurationFor = () => ({ goos: 'linux', goarch: 'amd64' });
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const text = await hoverText(client, uri, at(appGo, 'CFLAGS', 2));
    assert.match(text, /#cgo CFLAGS/);
    assert.match(text, /CGO_CFLAGS/);
    assert.match(text, /-g -O2/);
    // app.go's lines first, then other.go's: file-name order, ${SRCDIR} expanded.
    assert.ok(text.includes(`-DA=1 -I${dir}/inc -I${dir}/nowhere -DLINUX -DB=2`), text);
    assert.match(text, /`app\.go:3`/);
    assert.match(text, /`other\.go:3` `-DB=2`/);
  });
});

test('hover on import "C" and a #cgo verb says which Go release the answers are for, and why', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    const dir = appPackage();
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.24\n');
    const uri = fileUri(dir, 'app.go');
    client.configurationFor = () => ({ goVersion: '1.19' });
    client.open(uri, appGo);
    assert.match(await hoverText(client, uri, at(appGo, 'import "C"', 8)), /Answers for \*\*Go 1\.19\*\*: set to 1\.19/);
    client.configurationFor = () => ({});
    client.notify('workspace/didChangeConfiguration', { settings: null });
    // The go command on PATH, or go.mod where it cannot be asked.
    const text = await hoverText(client, uri, at(appGo, 'CFLAGS', 2));
    assert.match(text, /Answers for \*\*Go 1\.(2[4-9])\*\*: (go env GOVERSION \(go1\.\d+|go\.mod says go 1\.24)/);
  });
});

test('hover on a #cgo condition: in words, and whether it holds for cgo.goos (linux, then windows)', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    client.configurationFor = () => ({ goos: 'linux', goarch: 'amd64' });
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const position = at(appGo, 'linux CFLAGS', 1);
    let text = await hoverText(client, uri, position);
    assert.match(text, /the target OS is linux/);
    assert.match(text, /linux\/amd64.*\*\*matches\*\*/);
    assert.match(text, /\*\*active\*\* for linux\/amd64/);

    client.configurationFor = () => ({ goos: 'windows', goarch: 'amd64' });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    text = await hoverText(client, uri, position);
    assert.match(text, /windows\/amd64.*\*\*does not match\*\*/);
    assert.match(text, /\*\*inactive\*\* for windows\/amd64/);
    // The verb's effective value follows the target too.
    const verb = await hoverText(client, uri, at(appGo, 'CFLAGS: -DLINUX', 1));
    assert.ok(!verb.split('Effective')[1].split('```')[1].includes('-DLINUX'), verb);
    assert.match(verb, /inactive/);
  });
});

test('hover on a #cgo condition with spaces around && explains that go/build reads each word alone', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const source = 'package p\n\n// #cgo linux && !android CFLAGS: -DX\nimport "C"\n';
    const dir = packageDir({ 'p.go': source });
    const uri = fileUri(dir, 'p.go');
    client.open(uri, source);
    const text = await hoverText(client, uri, at(source, '&&'));
    assert.match(text, /any one/);
    assert.match(text, /linux&&!android/);
  });
});

test('hover on a flag: -I${SRCDIR}/inc expanded, whether the path exists, and the allowlist verdict', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    let text = await hoverText(client, uri, at(appGo, '-I${SRCDIR}/inc', 3));
    assert.match(text, /header search path/);
    assert.ok(text.includes(`\`${path.join(dir, 'inc')}\` — ✓ exists (directory)`), text);
    assert.match(text, /✓ Allowed/);

    text = await hoverText(client, uri, at(appGo, '-I${SRCDIR}/nowhere', 3));
    assert.ok(text.includes(`\`${path.join(dir, 'nowhere')}\` — ✗ does not exist`), text);

    // A static archive: the build-cache caveat from the cgo-pains article.
    text = await hoverText(client, uri, at(appGo, 'libapi.a'));
    assert.match(text, /static archive/);
    assert.match(text, /go build -a/);
    assert.match(text, /✗ does not exist/);

    text = await hoverText(client, uri, at(appGo, '-fplugin', 2));
    assert.match(text, /✗ The go command refuses it: `invalid flag in #cgo LDFLAGS: -fplugin=evil\.so \(see https:\/\/go\.dev\/s\/invalidflag\)`/);
  });
});

test('hover on import "C": the effective flags, the headers and the files with preambles', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    client.configurationFor = () => ({ goos: 'linux', goarch: 'amd64' });
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const text = await hoverText(client, uri, at(appGo, '"C"', 1));
    assert.match(text, /import "C"/);
    assert.match(text, /`app\.go` — this file/);
    assert.match(text, /`other\.go`/);
    assert.ok(text.includes(`CFLAGS: -DA=1 -I${dir}/inc`), text);
    assert.ok(text.includes(`LDFLAGS: ${dir}/lib/libapi.a -fplugin=evil.so`), text);
    assert.match(text, /`"api\.h"` → `inc\/api\.h`/);
    assert.match(text, /`<stdlib\.h>` → system header `\/usr\/include\/stdlib\.h`/);
  });
});

test('hover on an #include: where it resolves, and a branch not compiled for cgo.goos says so (never "not found")', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    client.configurationFor = () => ({ goos: 'linux', goarch: 'amd64' });
    const source = `package app

// #cgo CFLAGS: -I\${SRCDIR}/inc
// #include "api.h"
// #ifdef _WIN32
// #include "missing_win.h"
// #endif
import "C"
`;
    const dir = packageDir({ 'app.go': source });
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'api.h'), apiHeader);
    const uri = fileUri(dir, 'app.go');
    client.open(uri, source);
    let text = await hoverText(client, uri, at(source, 'api.h'));
    assert.ok(text.includes(`Resolves to \`${path.join(dir, 'inc', 'api.h')}\``), text);
    text = await hoverText(client, uri, at(source, 'missing_win.h'));
    assert.match(text, /Not compiled for linux\/amd64/);
    assert.doesNotMatch(text, /Not found/);
    client.configurationFor = () => ({ goos: 'windows', goarch: 'amd64' });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    text = await hoverText(client, uri, at(source, 'missing_win.h'));
    assert.match(text, /Not found in the file's directory/);
  });
});

test('hover on C.name: a preamble function and a header typedef (found through -I${SRCDIR}/inc), with their Go types', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    let text = await hoverText(client, uri, at(appGo, 'twice(2', 1));
    assert.match(text, /C\.twice.*static function.*preamble/);
    assert.match(text, /```c\nstatic int twice\(int x\);\n```/);
    assert.match(text, /func C\.twice\(x C\.int\) C\.int/);

    text = await hoverText(client, uri, at(appGo, 'C.String', 3));
    assert.match(text, /C\.String.*header \[inc\/api\.h:7\]/);
    assert.match(text, /```c\ntypedef struct \{\n  char \*data;\n  uint64_t len;\n\} String;\n```/);
    assert.match(text, /data \*C\.char/);
    assert.match(text, /16 bytes/);

    text = await hoverText(client, uri, at(appGo, 'animal_make_dog'));
    assert.match(text, /func C\.animal_make_dog\(\) C\.Animal/);

    // Field accesses on C values: the variable's type comes from C.animal_make_dog's result.
    text = await hoverText(client, uri, at(appGo, 'dog.kind', 4));
    assert.match(text, /field of `C\.Animal`/);
    assert.match(text, /kind C\.AnimalKind/);
    text = await hoverText(client, uri, at(appGo, 'dog.anon0', 4));
    assert.match(text, /anon0 \[16\]byte/);
    text = await hoverText(client, uri, at(appGo, 'name.len', 5));
    assert.match(text, /len C\.uint64_t` · offset 8/);
    text = await hoverText(client, uri, at(appGo, 'later.len', 6));
    assert.match(text, /len C\.uint64_t` · offset 8/);
  });
});

// ---------------------------------------------------------------------------------------------
// pkg-config and Workspace Trust
// ---------------------------------------------------------------------------------------------

/** A fake pkg-config first on PATH: it records every run in `marker`. */
function fakePkgConfig(): { bin: string; marker: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-fake-pkg-config-'));
  const marker = path.join(bin, 'ran');
  fs.writeFileSync(
    path.join(bin, 'pkg-config'),
    `#!/bin/sh
echo "$@" >> '${marker}'
case "$*" in *nosuchlib*) echo "Package nosuchlib was not found in the pkg-config search path." >&2; exit 1;; esac
case "$1" in
  --cflags) echo "-I/opt/fake/include -DFAKE_RDKAFKA=1";;
  --libs) echo "-L/opt/fake/lib -lrdkafka";;
esac
`,
    { mode: 0o755 },
  );
  process.on('exit', () => fs.rmSync(bin, { recursive: true, force: true }));
  return { bin, marker };
}

const kafkaGo = `package kafka

// #cgo pkg-config: rdkafka
// #include <stdlib.h>
import "C"
`;

/** Starts the bundled server with these initializationOptions, PATH and cgo settings. */
async function startServer(initializationOptions: unknown, pathPrefix: string, cgo: unknown = {}) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], {
    stdio: 'pipe',
    env: { ...process.env, PATH: `${pathPrefix}${path.delimiter}${process.env.PATH ?? ''}`, PKG_CONFIG: '' },
  });
  const connection = createMessageConnection(serverReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => (item.section === 'cgo' ? cgo : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  const capabilities = { workspace: { configuration: true } };
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities, ...(initializationOptions === undefined ? {} : { initializationOptions }) });
  await connection.sendNotification('initialized', {});
  return {
    open: (uri: string, text: string) => connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } }),
    notify: (method: string) => connection.sendNotification(method, {}),
    hover: async (uri: string, position: Position): Promise<string> => {
      const hover = await connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
      assert.ok(hover);
      return (hover.contents as MarkupContent).value;
    },
    stop: () => {
      connection.dispose();
      child.kill();
    },
  };
}

const skipOnWindows = process.platform === 'win32' ? 'the fake pkg-config is a shell script' : false;

test('Workspace Trust: {trusted:false} starts no pkg-config; after cgo/trustGranted it runs and its flags show', { timeout: 20_000, skip: skipOnWindows }, async () => {
  const { bin, marker } = fakePkgConfig();
  const server = await startServer({ trusted: false }, bin);
  try {
    const dir = packageDir({ 'kafka.go': kafkaGo });
    const uri = fileUri(dir, 'kafka.go');
    await server.open(uri, kafkaGo);
    let text = await server.hover(uri, at(kafkaGo, 'rdkafka'));
    assert.match(text, /not run in an untrusted workspace/);
    assert.match(text, /-tags dynamic/);
    // The verb and import "C" hovers do not run it either.
    await server.hover(uri, at(kafkaGo, 'pkg-config:', 1));
    await server.hover(uri, at(kafkaGo, '"C"', 1));
    assert.equal(fs.existsSync(marker), false, 'pkg-config ran in an untrusted workspace');

    await server.notify('cgo/trustGranted');
    text = await server.hover(uri, at(kafkaGo, 'rdkafka'));
    assert.ok(fs.existsSync(marker), 'pkg-config did not run after trust was granted');
    assert.match(text, /CPPFLAGS \+= -I\/opt\/fake\/include -DFAKE_RDKAFKA=1/);
    assert.match(text, /LDFLAGS {2}\+= -L\/opt\/fake\/lib -lrdkafka/);
    assert.deepEqual(fs.readFileSync(marker, 'utf8').trim().split('\n').sort(), ['--cflags -- rdkafka', '--libs -- rdkafka']);
    // Cached: a second hover starts nothing.
    await server.hover(uri, at(kafkaGo, 'rdkafka'));
    assert.equal(fs.readFileSync(marker, 'utf8').trim().split('\n').length, 2);
  } finally {
    server.stop();
  }
});

test('hover on a pkg-config option: refused or allowed by the chosen Go (1.24+), no verdict before', { timeout: 20_000, skip: skipOnWindows }, async () => {
  const { bin } = fakePkgConfig();
  const source = 'package kafka\n\n// #cgo pkg-config: --static --foo rdkafka\nimport "C"\n';
  const dir = packageDir({ 'kafka.go': source });
  const uri = fileUri(dir, 'kafka.go');
  for (const [goVersion, foo, option] of [
    ['1.26', /✗ The go command \(Go 1\.26\) refuses this pkg-config option: `invalid flag in pkg-config: --foo \(see https:\/\/go\.dev\/s\/invalidflag\)`/, /✓ Go 1\.26 allows this pkg-config option/],
    ['1.24', /✗ The go command \(Go 1\.24\) refuses this pkg-config option: `invalid flag in pkg-config --cflags: --foo`/, /✓ Go 1\.24 allows this pkg-config option/],
  ] as const) {
    const server = await startServer({ trusted: false }, bin, { goVersion });
    try {
      await server.open(uri, source);
      assert.match(await server.hover(uri, at(source, '--foo', 2)), foo);
      assert.match(await server.hover(uri, at(source, '--static', 2)), option);
    } finally {
      server.stop();
    }
  }
  const server = await startServer({ trusted: false }, bin, { goVersion: '1.19' });
  try {
    await server.open(uri, source);
    assert.doesNotMatch(await server.hover(uri, at(source, '--foo', 2)), /✓|✗/);
  } finally {
    server.stop();
  }
});

test('pkg-config: a client that says nothing about trust (Neovim) is trusted; cgo.pkgConfig.enable=false runs nothing', { timeout: 20_000, skip: skipOnWindows }, async () => {
  const trusted = fakePkgConfig();
  const server = await startServer(undefined, trusted.bin);
  try {
    const source = kafkaGo.replace('rdkafka', 'rdkafka nosuchlib');
    const dir = packageDir({ 'kafka.go': source });
    const uri = fileUri(dir, 'kafka.go');
    await server.open(uri, source);
    let text = await server.hover(uri, at(source, 'rdkafka'));
    assert.match(text, /-lrdkafka/);
    text = await server.hover(uri, at(source, 'nosuchlib'));
    assert.match(text, /`nosuchlib` not found/);
    assert.match(text, /PKG_CONFIG_PATH/);
    assert.ok(fs.existsSync(trusted.marker));
  } finally {
    server.stop();
  }

  const disabled = fakePkgConfig();
  const off = await startServer(undefined, disabled.bin, { pkgConfig: { enable: false } });
  try {
    const dir = packageDir({ 'kafka.go': kafkaGo });
    const uri = fileUri(dir, 'kafka.go');
    await off.open(uri, kafkaGo);
    const text = await off.hover(uri, at(kafkaGo, 'rdkafka'));
    assert.match(text, /cgo\.pkgConfig\.enable/);
    assert.equal(fs.existsSync(disabled.marker), false);
  } finally {
    off.stop();
  }
});

test('pkg-config output is split as the go command splits it; a hung pkg-config times out', { timeout: 20_000, skip: skipOnWindows }, async () => {
  assert.deepEqual(splitPkgConfigOutput(`-I/opt/a\\ b -DX="y z" 'q r'\n-lfoo\n`), ['-I/opt/a b', '-DX=y z', 'q r', '-lfoo']);
  assert.equal(splitPkgConfigOutput('-DX="open'), 'unterminated quoted string in pkgconf output');

  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-slow-pkg-config-'));
  process.on('exit', () => fs.rmSync(bin, { recursive: true, force: true }));
  fs.writeFileSync(path.join(bin, 'pkg-config'), '#!/bin/sh\nexec sleep 5\n', { mode: 0o755 });
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, PKG_CONFIG: '' };
  const processes = new ChildProcesses();
  const started = Date.now();
  const result = await new PkgConfig({ mayRun: () => true, processes, timeoutMs: 300, env }).query(['slow'], bin);
  assert.equal(result.ok ? 'ok' : result.reason, 'timeout');
  assert.ok(Date.now() - started < 3000);

  // An argument the go command refuses as a package name is never passed on.
  const refused = await new PkgConfig({ mayRun: () => true, processes, env }).query(['-Wl,--evil'], bin);
  assert.equal(refused.ok ? 'ok' : refused.reason, 'invalid-name');
  // And nothing starts when it may not run.
  const denied = await new PkgConfig({ mayRun: () => false, processes, env }).query(['slow'], bin);
  assert.equal(denied.ok ? 'ok' : denied.reason, 'not-allowed');
});

test('pkg-config never runs for a #cgo line go/build rejects, nor while another line of the package is rejected', { timeout: 20_000, skip: skipOnWindows }, async () => {
  const { bin, marker } = fakePkgConfig();
  const server = await startServer(undefined, bin);
  try {
    // An unclosed quote: go/build's "invalid #cgo line"; the words must not reach pkg-config.
    const malformed = kafkaGo.replace('rdkafka', 'rdkafka "--define-variable=prefix=/x');
    const dir = packageDir({ 'kafka.go': malformed });
    const uri = fileUri(dir, 'kafka.go');
    await server.open(uri, malformed);
    let text = await server.hover(uri, at(malformed, 'rdkafka'));
    assert.match(text, /pkg-config is not run: go\/build rejects the `#cgo` line at kafka\.go:3 \(`invalid #cgo line: #cgo pkg-config: rdkafka "--define-variable=prefix=\/x`\)/);
    await server.hover(uri, at(malformed, 'pkg-config:', 1));

    // A good line here, a bad one in another file of the package: the go command stops at the bad one.
    const other = 'package kafka\n\n// #cgo CFLAGS "-O2"\nimport "C"\n';
    const second = packageDir({ 'kafka.go': kafkaGo, 'other.go': other });
    const secondUri = fileUri(second, 'kafka.go');
    await server.open(secondUri, kafkaGo);
    text = await server.hover(secondUri, at(kafkaGo, 'rdkafka'));
    assert.match(text, /pkg-config is not run: go\/build rejects the `#cgo` line at other\.go:3/);
    assert.equal(fs.existsSync(marker), false, 'pkg-config ran for a rejected #cgo line');
  } finally {
    server.stop();
  }
});

test('cgo.goos of another platform: import "C" says cgo is off and why, and cgo-disabled-for-target reports it as information', { timeout: 20_000 }, async () => {
  const source = 'package main\n\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n';
  await withServer({ pull: true, configuration: true, env: { CGO_ENABLED: '' } }, async (client) => {
    const host = process.arch === 'arm64' ? 'amd64' : 'arm64';
    client.configurationFor = () => ({ goos: 'linux', goarch: host, goVersion: '1.26' });
    const dir = packageDir({ 'main.go': source });
    const uri = fileUri(dir, 'main.go');
    client.open(uri, source);
    const text = await hoverText(client, uri, at(source, 'import "C"', 8));
    assert.match(text, new RegExp(`cgo is off for go1\\.26 linux/${host}|cgo is off for .*linux/${host} \\(cross-compiling from `));
    const diagnostics = await client.pull(uri);
    const found = diagnostics.filter((d) => d.code === 'cgo-disabled-for-target');
    assert.equal(found.length, 1, JSON.stringify(diagnostics));
    assert.equal(found[0].severity, 3);
    assert.equal(found[0].range.start.line, 3);
    assert.match(String(found[0].message), /build constraints exclude all Go files/);
  });
});
