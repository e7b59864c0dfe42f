// The C compiler in the editor: its errors at the preamble line with source `cgo (gcc)`, and
// Workspace Trust: in an untrusted workspace no compiler (nor go, which names it) is started,
// and system headers are found without either.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { articleApiH, articleAppGo } from '../support/goSources';
import { completeAll, fileUri, packageDir, withServer } from '../support/lspClient';

const realGcc = spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).stdout.trim();
const realGo = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
const skip = process.platform === 'win32' ? 'the fake compiler is a shell script' : !realGcc || !realGo ? 'needs gcc and go on PATH' : false;

/** `go` and `gcc` that write their arguments to a marker file, then run the real ones. */
function recordingToolchain(): { bin: string; marker: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-fake-cc-'));
  const marker = path.join(bin, 'ran');
  for (const [name, real] of [['go', realGo], ['gcc', realGcc]]) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${marker}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  }
  process.on('exit', () => fs.rmSync(bin, { recursive: true, force: true }));
  return { bin, marker };
}

/** The article's app package with its c/api.h next to it, as -I${SRCDIR}/../c/ finds it. */
function articleApp(): { appUri: string } {
  const root = packageDir({});
  fs.mkdirSync(path.join(root, 'app'));
  fs.mkdirSync(path.join(root, 'c'));
  fs.writeFileSync(path.join(root, 'c', 'api.h'), articleApiH);
  fs.writeFileSync(path.join(root, 'app', 'app.go'), articleAppGo);
  return { appUri: fileUri(path.join(root, 'app'), 'app.go') };
}

const withGcc = (diagnostics: Diagnostic[]): boolean => diagnostics.some((d) => d.source === 'cgo (gcc)');

test('the compiler confirms the article NOTE line: gcc\'s own error on line 3, next to the rule\'s', { timeout: 30_000, skip }, async () => {
  await withServer({ pull: false, compiler: true }, async (client) => {
    const { appUri } = articleApp();
    client.open(appUri, articleAppGo);
    const { diagnostics } = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === appUri && withGcc(p.diagnostics));
    const gcc = diagnostics.filter((d) => d.source === 'cgo (gcc)');
    assert.deepEqual(
      gcc.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.message, d.code]),
      // `// NOTE: Do not use -Wall.`: gcc stops at the colon, column 8 of the .go line.
      [[2, 7, 1, "expected '=', ',', ';', 'asm' or '__attribute__' before ':' token", undefined]],
    );
    assert.deepEqual(diagnostics.filter((d) => d.source === 'cgo').map((d) => d.code), ['preamble-comment-bleed']);
  });
});

test('the Output channel logs every process the compiler side starts: go env, the probe, each compile, with outcome and time', { timeout: 30_000, skip }, async () => {
  await withServer({ pull: false, compiler: true }, async (client) => {
    const { appUri } = articleApp();
    client.open(appUri, articleAppGo);
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === appUri && withGcc(p.diagnostics));
    const ran = client.received
      .filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 3)
      .map((m) => (m.params as { message: string }).message)
      .filter((message) => message.startsWith('ran '));
    assert.ok(ran.some((line) => /^ran go env GOVERSION CC CGO_CPPFLAGS CGO_CFLAGS: ok \(\d+ ms\)$/.test(line)), ran.join('\n'));
    assert.ok(ran.some((line) => /^ran \S*gcc -E -dM -x c -: ok \(\d+ ms\)$/.test(line)), ran.join('\n'));
    // The preamble with the NOTE line does not compile: gcc exits 1, in the package directory.
    assert.ok(ran.some((line) => /^ran \S*gcc .* in \S*app: exit status 1 \(\d+ ms\)$/.test(line)), ran.join('\n'));
  });
});

test('an error in a project header is shown on the #include line, with the header line as related information', { timeout: 30_000, skip }, async () => {
  await withServer({ pull: false, compiler: true }, async (client) => {
    const dir = packageDir({ 'api.h': 'typedef struct { int x; } point;\nnot_a_type broken;\n' });
    const source = 'package p\n\n// #include "api.h"\nimport "C"\n';
    const uri = fileUri(dir, 'p.go');
    client.open(uri, source);
    const { diagnostics } = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && withGcc(p.diagnostics));
    const [error] = diagnostics;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.deepEqual(error.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 19 } });
    assert.equal(error.message, "unknown type name 'not_a_type' (in api.h:2:1)");
    assert.deepEqual(error.relatedInformation?.map((r) => [r.location.uri, r.location.range.start, r.message]), [
      [fileUri(dir, 'api.h'), { line: 1, character: 0 }, "unknown type name 'not_a_type'"],
    ]);
  });
});

test('Workspace Trust: untrusted, neither go nor the C compiler is started; once trust is granted, gcc runs', { timeout: 30_000, skip }, async () => {
  const { bin, marker } = recordingToolchain();
  const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, CC: '' };
  await withServer({ pull: false, compiler: true, env, initializationOptions: { trusted: false } }, async (client) => {
    const { appUri } = articleApp();
    client.open(appUri, articleAppGo);
    const first = await client.published(appUri, 1);
    assert.deepEqual(first.map((d) => d.code), ['preamble-comment-bleed']);
    // An edit re-checks: still nothing may start.
    client.change(appUri, 2, [{ text: `${articleAppGo}\n` }]);
    const second = await client.published(appUri, 2);
    assert.equal(withGcc(second), false);
    // System headers are read all the same, from the standard directories: api.h's <stdint.h>.
    const text = `${articleAppGo}\n`;
    const offset = text.indexOf('C.animal_print') + 2;
    const before = text.slice(0, offset).split('\n');
    const items = await completeAll(client, { textDocument: { uri: appUri }, position: { line: before.length - 1, character: before[before.length - 1].length } });
    if (fs.existsSync('/usr/include/stdint.h')) assert.ok(items?.some((item) => item.label === 'INT64_MAX'), 'INT64_MAX from <stdint.h> not offered');
    assert.equal(fs.existsSync(marker), false, `started in an untrusted workspace: ${fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : ''}`);

    client.notify('cgo/trustGranted', {});
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === appUri && withGcc(p.diagnostics));
    const ran = fs.readFileSync(marker, 'utf8');
    assert.match(ran, /^go env GOVERSION CC CGO_CPPFLAGS CGO_CFLAGS$/m);
    assert.match(ran, /^gcc .* -S -o \/dev\/null /m);
    // Where the compiler may run, it says where system headers are.
    assert.match(ran, /^gcc .*-E -v -x c \/dev\/null$/m);
  });
});
