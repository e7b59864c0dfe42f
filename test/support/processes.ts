// Processes in tests: whether one still runs (a zombie, ended but not yet reaped by whoever
// inherited it, counts as gone), and a C compiler whose compiles hang with a child of their own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const realGcc = spawnSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).stdout.trim();
export const realGo = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();

/**
 * A `go` that notes each run in `goRuns`, and a CC that is gcc, except that a compile of a
 * preamble (`-S`) starts a child that sleeps, adds a line "its pid its child's pid" to `pids`
 * and waits: as gcc waits for cc1, or go build for cgo and gcc.
 */
export function slowToolchain(): { env: NodeJS.ProcessEnv; pids: string; goRuns: string } {
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

/** The pids in `pids` (slowToolchain) once `compiles` compiles have started. */
export async function compilesStarted(pids: string, compiles: number, why: () => string = () => ''): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  const lines = (): string[] => (fs.existsSync(pids) ? fs.readFileSync(pids, 'utf8').split('\n').slice(0, -1) : []);
  while (lines().length < compiles) {
    if (Date.now() > deadline) throw new Error(`${lines().length} of ${compiles} compiles started ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return lines().join(' ').split(' ').map(Number);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the command name in parentheses: "1234 (sleep) S ...".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Resolves once none of the processes runs; rejects naming those still running after `ms`. */
export async function waitUntilGone(pids: number[], ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = pids.filter(alive);
    if (running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still running after ${ms} ms: ${running.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
