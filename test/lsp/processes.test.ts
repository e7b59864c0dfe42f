// No process the server started outlives it: a compile still running (a C compiler that starts
// a child of its own, as gcc starts cc1) is killed with its children on shutdown and exit, when
// the client goes away without a word, and on SIGTERM. And the go command is asked once per server.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import { fileUri, packageDir, withServer, type LspClient } from '../support/lspClient';
import { alive, compilesStarted, realGcc, realGo, slowToolchain, waitUntilGone } from '../support/processes';

const skip = process.platform === 'win32' ? 'the fake tools are shell scripts' : !realGcc || !realGo ? 'needs gcc and go on PATH' : false;

const source = 'package p\n\n// static int answer(void) { return 42; }\nimport "C"\n\nvar _ = C.answer\n';

/** Opens a cgo file and waits until its preamble's compile runs; the pids of the compiler and its child. */
async function compiling(client: LspClient, pidsFile: string): Promise<number[]> {
  const dir = packageDir({});
  client.open(fileUri(dir, 'p.go'), source);
  const pids = await compilesStarted(pidsFile, 1, () => `; server stderr:\n${client.stderr}`);
  assert.ok(pids.length >= 2 && pids.every(alive), `compiler processes ${pids.join(', ')} should run`);
  return pids;
}

for (const [how, end] of [
  ['shutdown and exit', (client: LspClient) => client.stop()],
  ['the client closing the connection without a word', (client: LspClient) => client.disconnect()],
  ['SIGTERM', (client: LspClient) => client.signal('SIGTERM')],
] as const) {
  test(`a compile still running is killed, with the compiler's own child, on ${how}`, { timeout: 30_000, skip }, async () => {
    const { env, pids } = slowToolchain();
    await withServer({ pull: false, compiler: true, env, initializationOptions: { debounceMs: 0 } }, async (client) => {
      const running = await compiling(client, pids);
      await end(client);
      await waitUntilGone(running);
    });
  });
}

test('the go command is asked once per server: GOVERSION and the C compiler come from one go env', { timeout: 30_000, skip }, async () => {
  const { env, pids, goRuns } = slowToolchain();
  await withServer({ pull: false, compiler: true, env, initializationOptions: { debounceMs: 0 } }, async (client) => {
    await compiling(client, pids);
    // Hover on the preamble asks which Go answers, as every check does.
    const dir = packageDir({});
    const uri = fileUri(dir, 'q.go');
    client.open(uri, source);
    await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 10 } });
    assert.deepEqual(fs.readFileSync(goRuns, 'utf8').trim().split('\n'), ['go env GOVERSION CC CGO_CPPFLAGS CGO_CFLAGS']);
  });
});
