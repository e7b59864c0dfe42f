// The Output channel and the status item, as the server feeds them: info lines for the start,
// the settings in force, each check (what, for which target, how long) and every process it
// starts; cgo/status with the state, the target and the numbers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Hover, LogMessageParams } from 'vscode-languageserver';
import { createMessageConnection, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { AnalysisStatus } from '../../server/src/features/analysis';
import { articleAppGo, articleCfuncsGo } from '../support/goSources';
import { fileUri, packageDir, repoRoot, serverReader } from '../support/lspClient';

const info = 3;

async function until<T>(what: string, find: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('info lines: start, settings in force, each check with its target and time, and every pkg-config run; cgo/status says ready', { timeout: 20_000, skip: process.platform === 'win32' ? 'the fake pkg-config is a shell script' : false }, async () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-output-'));
  fs.writeFileSync(path.join(bin, 'pkg-config'), '#!/bin/sh\necho "-lfake"\n', { mode: 0o755 });
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], {
    stdio: 'pipe',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, PKG_CONFIG: '', GOOS: '', GOARCH: '' },
  });
  const connection = createMessageConnection(serverReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logged: LogMessageParams[] = [];
  const statuses: AnalysisStatus[] = [];
  connection.onNotification('window/logMessage', (params: LogMessageParams) => void logged.push(params));
  connection.onNotification('cgo/status', (params: AnalysisStatus) => void statuses.push(params));
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({ goos: 'linux', goarch: 'arm64' })));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, workspaceFolders: null });
    await connection.sendNotification('initialized', {});
    const infoLine = (pattern: RegExp): Promise<string> =>
      until(`an info line ${pattern}`, () => logged.find((m) => m.type === info && pattern.test(m.message))?.message);

    assert.match(await infoLine(/^cgo language server started/), /pid \d+, Node v\d+.*; trusted; diagnostics pushed/);

    const source = `${articleAppGo.replace('// #include <api.h>', '// #cgo pkg-config: fake\n// #include <api.h>')}`;
    const dir = packageDir({ 'app.go': source, 'cfuncs.go': articleCfuncsGo });
    const uri = fileUri(dir, 'app.go');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: source } });

    assert.match(await infoLine(/^settings for /), /"goos":"linux","goarch":"arm64"/);
    const checked = await infoLine(/^checked /);
    assert.match(checked, new RegExp(`^checked ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} for go1\\.\\d+ linux/arm64: 2 \\.go files \\(2 with import "C"\\), 1 finding in open files, [\\d.]+ ms$`));

    const ready = await until('cgo/status ready', () => statuses.find((s) => s.state === 'ready'));
    assert.match(ready.target ?? '', /^go1\.\d+ linux\/arm64$/);
    assert.equal(ready.packages, 1);
    assert.equal(ready.cgoFiles, 2);
    assert.equal(ready.last?.dir, dir);
    assert.equal(ready.last?.files, 2);
    assert.equal(ready.last?.findings, 1);

    const line = source.split('\n').findIndex((l) => l.includes('pkg-config: fake'));
    await connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: source.split('\n')[line].indexOf('fake') + 1 } });
    const runs = await until('two pkg-config runs logged', () => {
      const lines = logged.filter((m) => m.type === info && m.message.startsWith('ran pkg-config'));
      return lines.length === 2 ? lines.map((m) => m.message).sort() : undefined;
    });
    assert.match(runs[0], new RegExp(`^ran pkg-config --cflags -- fake in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ok \\(\\d+ ms\\)$`));
    assert.match(runs[1], /^ran pkg-config --libs -- fake in .*: ok \(\d+ ms\)$/);
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
