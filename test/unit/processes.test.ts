// The one tracker of child processes: what it started dies with it, the children those started
// included (gcc's cc1, go build's cgo and gcc), on dispose, on a time limit and on cancel; and
// cgo-lint's compiles, its worker threads' included, end with it on Ctrl+C and SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { ChildProcesses } from '../../server/src/cgo/processes';
import { alive, compilesStarted, realGcc, realGo, slowToolchain, waitUntilGone } from '../support/processes';

const skip = process.platform === 'win32' ? 'the command is a shell script' : false;

/** A command that starts a grandchild and waits for it; the pids are written to `pids` once both run. */
function parentOfSleeper(): { command: string; pids: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-procs-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const pids = path.join(dir, 'pids');
  const command = path.join(dir, 'parent');
  fs.writeFileSync(command, `#!/bin/sh\nsleep 300 &\necho "$$ $!" > '${pids}.tmp' && mv '${pids}.tmp' '${pids}'\nwait\n`, { mode: 0o755 });
  return { command, pids };
}

async function startedPids(pids: string): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(pids)) {
    if (Date.now() > deadline) throw new Error('the command did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return fs.readFileSync(pids, 'utf8').trim().split(' ').map(Number);
}

test('dispose kills every running child and the processes it started, and starts nothing after', { skip, timeout: 20_000 }, async () => {
  const processes = new ChildProcesses();
  const { command, pids } = parentOfSleeper();
  const run = processes.run(command, [], { env: process.env, timeoutMs: 60_000 });
  const [parent, grandchild] = await startedPids(pids);
  assert.ok(alive(parent) && alive(grandchild));
  assert.equal(processes.size, 1);
  processes.dispose();
  assert.equal((await run).kind, 'exited');
  await waitUntilGone([parent, grandchild]);
  assert.equal(processes.size, 0);
  assert.equal((await processes.run(command, [], { env: process.env, timeoutMs: 60_000 })).kind, 'stopped');
});

test('a time limit or a cancel kills the child with its group', { skip, timeout: 20_000 }, async () => {
  const processes = new ChildProcesses();
  const timed = parentOfSleeper();
  const timedRun = processes.run(timed.command, [], { env: process.env, timeoutMs: 1500 });
  const timedPids = await startedPids(timed.pids);
  assert.equal((await timedRun).kind, 'timeout');
  await waitUntilGone(timedPids);

  const cancelled = parentOfSleeper();
  const controller = new AbortController();
  const cancelledRun = processes.run(cancelled.command, [], { env: process.env, timeoutMs: 60_000, signal: controller.signal });
  const cancelledPids = await startedPids(cancelled.pids);
  controller.abort();
  assert.equal((await cancelledRun).kind, 'cancelled');
  await waitUntilGone(cancelledPids);
  processes.dispose();
});

test('a worker thread\'s tracker joins the owner\'s: the owner kills its children too', { skip, timeout: 20_000 }, async () => {
  const owner = new ChildProcesses();
  const { command, pids } = parentOfSleeper();
  // As cgo-lint's worker threads do: a tracker of their own on the owner's table of groups.
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { ChildProcesses } = require(workerData.module);
    const joined = new ChildProcesses(new Int32Array(workerData.groups));
    joined.run(workerData.command, [], { env: process.env, timeoutMs: 60_000 }).then((result) => parentPort.postMessage(result.kind));
  `;
  const worker = new Worker(code, { eval: true, workerData: { module: require.resolve('../../server/src/cgo/processes'), groups: owner.groups.buffer, command } });
  const ended = new Promise((resolve) => worker.once('message', resolve));
  try {
    const started = await startedPids(pids);
    owner.killAll();
    await waitUntilGone(started);
    assert.equal(await ended, 'exited');
  } finally {
    await worker.terminate();
  }
});

test('stdin, stdout, stderr and the exit status; a missing command is not-found', { skip, timeout: 20_000 }, async () => {
  const processes = new ChildProcesses();
  const echoed = await processes.run('sh', ['-c', 'cat; echo err >&2; exit 3'], { env: process.env, timeoutMs: 5000, input: 'in' });
  assert.deepEqual(echoed, { kind: 'exited', code: 3, stdout: 'in', stderr: 'err\n', truncated: false });
  const big = await processes.run('sh', ['-c', 'head -c 5000 /dev/zero'], { env: process.env, timeoutMs: 5000, maxOutput: { stdout: 1000, stderr: 1000 } });
  assert.equal(big.kind === 'exited' && big.truncated, true);
  assert.equal((await processes.run('cgo-test-no-such-command', [], { env: process.env, timeoutMs: 5000 })).kind, 'not-found');
});

const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`cgo-lint on ${signal}: its running compiles end with it`, { skip: skip || (!realGcc || !realGo ? 'needs gcc and go on PATH' : false), timeout: 30_000 }, async () => {
    const { env, pids } = slowToolchain();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-procs-cli-'));
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    const names = ['a', 'b'];
    for (const name of names) {
      fs.mkdirSync(path.join(root, name));
      fs.writeFileSync(path.join(root, name, `${name}.go`), `package ${name}\n\n// static int answer(void) { return 42; }\nimport "C"\n\nvar _ = C.answer\n`);
    }
    const run = spawn(process.execPath, [cli, ...names], { cwd: root, env: { ...process.env, ...env, GOOS: '', GOARCH: '' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
    try {
      const running = await compilesStarted(pids, 2);
      assert.ok(running.every(alive));
      run.kill(signal);
      assert.equal(await exited, signal === 'SIGINT' ? 130 : 143);
      await waitUntilGone(running);
    } finally {
      run.kill('SIGKILL');
    }
  });
}
