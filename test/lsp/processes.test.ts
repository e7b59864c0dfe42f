// No process the server started outlives it: a compile still running (a C compiler that starts
// a child of its own, as gcc starts cc1) is killed with its children on shutdown and exit, when
// the client goes away without a word, and on SIGTERM. And the go command is asked once per server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Hover } from 'vscode-languageserver';
import { fileUri, packageDir, withServer, type LspClient } from '../support/lspClient';
import { alive, waitUntilGone } from '../support/processes';

const realGcc = spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).stdout.trim();
const realGo = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
const skip = process.platform === 'win32' ? 'the fake tools are shell scripts' : !realGcc || !realGo ? 'needs gcc and go on PATH' : false;

/**
 * A `go` that notes each run in `goRuns`, and a CC that is gcc, except that a compile of a
 * preamble (`-S`) starts a child that sleeps, writes "its pid its child's pid" to `pids` and waits.
 */
function slowToolchain(): { env: NodeJS.ProcessEnv; pids: string; goRuns: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-slow-cc-'));
  process.on('exit', () => fs.rmSync(bin, { recursive: true, force: true }));
  const pids = path.join(bin, 'pids');
  const goRuns = path.join(bin, 'go-runs');
  fs.writeFileSync(path.join(bin, 'go'), `#!/bin/sh\necho "go $*" >> '${goRuns}'\nexec '${realGo}' "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(
    path.join(bin, 'slow-cc'),
    `#!/bin/sh\ncase " $* " in *" -S "*) ;; *) exec '${realGcc}' "$@" ;; esac\nsleep 300 &\necho "$$ $!" >> '${pids}'\nwait\n`,
    { mode: 0o755 },
  );
  return { env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, CC: path.join(bin, 'slow-cc') }, pids, goRuns };
}

const source = 'package p\n\n// static int answer(void) { return 42; }\nimport "C"\n\nvar _ = C.answer\n';

/** Opens a cgo file and waits until its preamble's compile runs; the pids of the compiler and its child. */
async function compiling(client: LspClient, pidsFile: string): Promise<number[]> {
  const dir = packageDir({});
  client.open(fileUri(dir, 'p.go'), source);
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(pidsFile) || !fs.readFileSync(pidsFile, 'utf8').endsWith('\n')) {
    if (Date.now() > deadline) throw new Error(`no compile started; server stderr:\n${client.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pids = fs.readFileSync(pidsFile, 'utf8').trim().split(/\s+/).map(Number);
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
