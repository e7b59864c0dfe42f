// The one tracker of child processes: what it started dies with it, the children those started
// included (gcc's cc1, go build's cgo and gcc), on dispose, on a time limit and on cancel.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ChildProcesses } from '../../server/src/cgo/processes';
import { alive, waitUntilGone } from '../support/processes';

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
  const joined = new ChildProcesses(owner.groups);
  const { command, pids } = parentOfSleeper();
  const run = joined.run(command, [], { env: process.env, timeoutMs: 60_000 });
  const started = await startedPids(pids);
  owner.killAll();
  await run;
  await waitUntilGone(started);
  // The owner's kill of a group does not stop the joined tracker from starting more.
  assert.equal((await joined.run('true', [], { env: process.env, timeoutMs: 5000 })).kind, 'exited');
});

test('stdin, stdout, stderr and the exit status; a missing command is not-found', { skip, timeout: 20_000 }, async () => {
  const processes = new ChildProcesses();
  const echoed = await processes.run('sh', ['-c', 'cat; echo err >&2; exit 3'], { env: process.env, timeoutMs: 5000, input: 'in' });
  assert.deepEqual(echoed, { kind: 'exited', code: 3, stdout: 'in', stderr: 'err\n', truncated: false });
  const big = await processes.run('sh', ['-c', 'head -c 5000 /dev/zero'], { env: process.env, timeoutMs: 5000, maxOutput: { stdout: 1000, stderr: 1000 } });
  assert.equal(big.kind === 'exited' && big.truncated, true);
  assert.equal((await processes.run('cgo-test-no-such-command', [], { env: process.env, timeoutMs: 5000 })).kind, 'not-found');
});
