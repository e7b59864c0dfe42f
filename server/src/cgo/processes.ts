// Every process the server or a cgo-lint run starts (go env, the C compiler, pkg-config) is
// started here, by the one ChildProcesses its owner holds, so that none outlives its owner:
// dispose() (the server's shutdown) and the end of the owner's process (exit, the connection
// closing, SIGTERM, SIGINT: see killWhenProcessEnds) kill whatever still runs. On POSIX each
// child leads a process group of its own (detached), and the whole group is killed: gcc's cc1
// and as, or go build's cgo and gcc, die with the command that started them.
//
// cgo-lint's worker threads start processes too. Their trackers join the main thread's through
// a shared table of process-group ids, so the main thread kills the workers' children as well
// when the run is interrupted (a thread cannot run code once the process is exiting).
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Killed (with its group) after this long. */
  timeoutMs: number;
  /** Killed (with its group) when this aborts. */
  signal?: AbortSignal;
  /** Characters of stdout and of stderr kept; the rest is dropped and the result says so. */
  maxOutput?: { stdout: number; stderr: number };
}

export type RunResult =
  /** It ran to its end: its exit status (null when a signal ended it) and what it printed. */
  | { kind: 'exited'; code: number | null; stdout: string; stderr: string; truncated: boolean }
  /** not-found: no such command; failed: it could not start; stopped: the owner is disposed. */
  | { kind: 'not-found' | 'failed' | 'timeout' | 'cancelled' | 'stopped'; message: string };

/** What a log says of one finished process. */
export interface ProcessRun {
  command: string;
  args: string[];
  cwd: string | undefined;
  ms: number;
  /** "ok", or why it failed. */
  outcome: string;
}

const posix = process.platform !== 'win32';
/** Process groups one run can have at a time across threads: a few per thread (compilers, pkg-config, go env). */
const sharedSlots = 512;

export class ChildProcesses {
  private readonly running = new Set<ChildProcess>();
  private disposed = false;
  /** Process-group ids of every thread's children (0: a free slot). */
  readonly groups: Int32Array;
  private readonly owner: boolean;

  /** The owner's tracker; a worker thread joins it with the owner's `groups`. */
  constructor(groups?: Int32Array) {
    this.owner = groups === undefined;
    this.groups = groups ?? new Int32Array(new SharedArrayBuffer(sharedSlots * Int32Array.BYTES_PER_ELEMENT));
  }

  /** How many children run now (started here, not yet closed). */
  get size(): number {
    return this.running.size;
  }

  /** Starts a command (never through a shell) and resolves when it ended, or was killed. Never rejects. */
  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    if (this.disposed) return Promise.resolve({ kind: 'stopped', message: 'the language server is stopping' });
    if (options.signal?.aborted) return Promise.resolve({ kind: 'cancelled', message: 'cancelled' });
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          cwd: options.cwd,
          env: options.env,
          stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
          detached: posix,
          windowsHide: true,
        });
      } catch (error) {
        resolve({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
        return;
      }
      const slot = child.pid === undefined ? -1 : this.claim(child.pid);
      this.running.add(child);
      let stdout = '';
      let stderr = '';
      let truncated = false;
      let result: RunResult | undefined;
      const limits = options.maxOutput ?? { stdout: 1 << 20, stderr: 4 << 20 };
      const end = (value: RunResult): void => {
        if (result) return;
        result = value;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        resolve(value);
      };
      const killWith = (value: RunResult): void => {
        killGroup(child);
        end(value);
      };
      const abort = (): void => killWith({ kind: 'cancelled', message: 'cancelled' });
      const timer = setTimeout(() => killWith({ kind: 'timeout', message: `killed after ${options.timeoutMs} ms` }), options.timeoutMs);
      options.signal?.addEventListener('abort', abort);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        if (stdout.length + chunk.length <= limits.stdout) stdout += chunk;
        else truncated = true;
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        if (stderr.length + chunk.length <= limits.stderr) stderr += chunk;
        else truncated = true;
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        this.forget(child, slot);
        end({ kind: error.code === 'ENOENT' ? 'not-found' : 'failed', message: error.message });
      });
      child.on('close', (code) => {
        this.forget(child, slot);
        end({ kind: 'exited', code, stdout, stderr, truncated });
      });
      if (child.stdin) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(options.input);
      }
    });
  }

  /** Kills every child still running (with its group); the owner's kills the worker threads' too. Synchronous. */
  killAll(): void {
    for (const child of this.running) killGroup(child);
    if (!this.owner || !posix) return;
    for (let slot = 0; slot < this.groups.length; slot++) {
      const group = Atomics.load(this.groups, slot);
      if (group === 0) continue;
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }

  /** Kills what runs and starts nothing more. */
  dispose(): void {
    this.disposed = true;
    this.killAll();
  }

  private claim(pid: number): number {
    for (let slot = 0; slot < this.groups.length; slot++) if (Atomics.compareExchange(this.groups, slot, 0, pid) === 0) return slot;
    // Every slot taken: this thread still kills the child itself (dispose, timeouts).
    return -1;
  }

  private forget(child: ChildProcess, slot: number): void {
    this.running.delete(child);
    if (slot >= 0 && child.pid !== undefined) Atomics.compareExchange(this.groups, slot, child.pid, 0);
  }
}

/** SIGKILL to the child's process group (POSIX), else to the child. */
function killGroup(child: ChildProcess): void {
  if (posix && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // The group is gone; the child may not have been reaped yet.
    }
  }
  child.kill('SIGKILL');
}

/**
 * Kills the tracker's children when this process ends: on exit (process.exit, as the LSP
 * library calls when the connection closes or after `exit`), and on SIGTERM and SIGINT, which
 * would otherwise end the process without its exit handlers; those then exit as the signal would.
 */
export function killWhenProcessEnds(processes: ChildProcesses): void {
  process.on('exit', () => processes.dispose());
  for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    process.on(signal, () => {
      processes.dispose();
      process.exit(status);
    });
  }
}
