// Runs pkg-config the way the go command does for `#cgo pkg-config:` lines (cmd/go/internal/
// work/exec.go, getPkgConfigFlags, Go 1.19): options starting with "--" go before a "--" of our
// own, every other argument is a package name and must be a safe argument; the command is
// `$PKG_CONFIG` (default pkg-config; `go env -w` counts too), run twice, once for --cflags (which the go command
// appends to CPPFLAGS) and once for --libs (appended to LDFLAGS), in the package directory,
// with this process's environment (so PKG_CONFIG_PATH is honoured).
//
// The process is started through the owner's ChildProcesses, never through a shell, with a time limit. Results are
// cached per command, PKG_CONFIG_PATH and arguments; failures only for a short while, so a
// package installed after a failed hover shows up on the next one.
//
// Whether pkg-config may run at all (Workspace Trust, cgo.pkgConfig.enable) is the caller's
// decision, asked again through `mayRun` right before any process starts.
import * as fs from 'node:fs';
import { pkgConfigProblems } from './flags';
import { goGetenv } from './goGetenv';
import { BoundedCache } from './cache';
import type { ChildProcesses, ProcessRun } from './processes';

export type PkgConfigResult =
  | { ok: true; command: string; cflags: string[]; libs: string[] }
  | {
      ok: false;
      command: string;
      /** not-installed: the command was not found; missing-package and failed: it exited non-zero. */
      reason: 'not-allowed' | 'not-installed' | 'missing-package' | 'timeout' | 'invalid-name' | 'failed' | 'bad-output';
      message: string;
    };

export interface PkgConfigOptions {
  /** Asked right before a process would start; false means none is started. */
  mayRun: () => boolean;
  /** The owner's processes: every process is started through them. */
  processes: ChildProcesses;
  timeoutMs?: number;
  /** How long a failure is remembered. */
  failureTtlMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Told of every process started, once it ended: the server logs them. */
  onRun?: (run: ProcessRun) => void;
}

type ExecOutcome = { ok: true; out: string } | { ok: false; reason: 'not-installed' | 'missing-package' | 'timeout' | 'failed'; message: string };

interface CacheEntry {
  result: Promise<PkgConfigResult>;
  /** When a failure stops being served from the cache; Infinity for a success. */
  expires: number;
}

export class PkgConfig {
  private readonly cache = new BoundedCache<string, CacheEntry>({ maxWeight: 200 });
  private readonly timeoutMs: number;
  private readonly failureTtlMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;

  constructor(private readonly options: PkgConfigOptions) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.failureTtlMs = options.failureTtlMs ?? 30_000;
    this.env = options.env ?? process.env;
    this.now = options.now ?? Date.now;
  }

  /** The command the go command would run: the first field of $PKG_CONFIG (environment, then `go env -w`), else pkg-config. */
  command(): string {
    return goGetenv(this.env)('PKG_CONFIG').trim().split(/\s+/)[0] || 'pkg-config';
  }

  /** PKG_CONFIG_PATH as pkg-config will see it; undefined when unset. */
  searchPath(): string | undefined {
    return this.env.PKG_CONFIG_PATH;
  }

  /** The flags pkg-config gives for the arguments of `#cgo pkg-config:` lines (options and names). */
  query(args: readonly string[], cwd: string): Promise<PkgConfigResult> {
    const command = this.command();
    const problem = pkgConfigProblems(args)[0];
    if (problem) return Promise.resolve({ ok: false, command, reason: 'invalid-name', message: problem.message });
    const options = args.filter((a) => a !== '--' && a.startsWith('--'));
    const names = args.filter((a) => a !== '--' && !a.startsWith('--'));
    if (names.length === 0) return Promise.resolve({ ok: true, command, cflags: [], libs: [] });
    if (!this.options.mayRun()) {
      return Promise.resolve({ ok: false, command, reason: 'not-allowed', message: 'pkg-config is not run here' });
    }
    const key = JSON.stringify([command, this.env.PKG_CONFIG_PATH ?? null, options, names]);
    const now = this.now();
    const cached = this.cache.peek(key);
    if (cached && cached.expires > now) return cached.result;
    const entry: CacheEntry = { result: this.run(command, options, names, cwd), expires: Infinity };
    this.cache.set(key, entry);
    void entry.result.then((result) => {
      if (!result.ok) entry.expires = this.now() + this.failureTtlMs;
    });
    return entry.result;
  }

  private async run(command: string, options: string[], names: string[], cwd: string): Promise<PkgConfigResult> {
    const dir = isDirectory(cwd) ? cwd : undefined;
    const [cflags, libs] = await Promise.all([
      this.exec(command, ['--cflags', ...options, '--', ...names], dir),
      this.exec(command, ['--libs', ...options, '--', ...names], dir),
    ]);
    for (const outcome of [cflags, libs]) if (!outcome.ok) return { ok: false, command, reason: outcome.reason, message: outcome.message };
    const cflagList = splitPkgConfigOutput((cflags as { out: string }).out);
    const libList = splitPkgConfigOutput((libs as { out: string }).out);
    if (typeof cflagList === 'string' || typeof libList === 'string') {
      return { ok: false, command, reason: 'bad-output', message: typeof cflagList === 'string' ? cflagList : (libList as string) };
    }
    return { ok: true, command, cflags: cflagList, libs: libList };
  }

  private exec(
    command: string,
    args: string[],
    cwd: string | undefined,
  ): Promise<ExecOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      const done = (result: ExecOutcome): void => {
        const ms = Math.round(performance.now() - started);
        this.options.onRun?.({ command, args, cwd, ms, outcome: result.ok ? 'ok' : `${result.reason}: ${result.message}` });
        resolve(result);
      };
      void this.options.processes.run(command, args, { cwd, env: this.env, timeoutMs: this.timeoutMs, maxOutput: { stdout: 1 << 20, stderr: 1 << 20 } }).then((result) => {
        if (result.kind === 'not-found') return done({ ok: false, reason: 'not-installed', message: `${command} was not found on the PATH of the language server` });
        if (result.kind === 'timeout') return done({ ok: false, reason: 'timeout', message: `${command} did not answer within ${this.timeoutMs / 1000} s` });
        if (result.kind !== 'exited') return done({ ok: false, reason: 'failed', message: result.message });
        if (result.truncated) return done({ ok: false, reason: 'failed', message: `${command} printed more than 1 MiB` });
        if (result.code === 0) return done({ ok: true, out: result.stdout });
        const text = (result.stderr || result.stdout).trim();
        const missing = /was not found in the pkg-config search path|No package '[^']*' found|could not find package/i.test(text);
        done({ ok: false, reason: missing ? 'missing-package' : 'failed', message: text || `${command} failed` });
      });
    });
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * splitPkgConfigOutput (exec.go): pkg-config output as a list of flags, with pkgconf's quoting
 * and escaping rules; a string (the go command's error) when the output is malformed.
 */
export function splitPkgConfigOutput(out: string): string[] | string {
  const flags: string[] = [];
  let flag = '';
  let escaped = false;
  let quote = '';
  for (const c of out) {
    if (escaped) {
      if (quote !== '' && !'$`"\\'.includes(c)) flag += '\\';
      flag += c;
      escaped = false;
    } else if (quote !== '') {
      if (c === quote) quote = '';
      else if (c === '\\') escaped = true;
      else flag += c;
    } else if (!' \t\n\v\f\r'.includes(c)) {
      if (c === '\\') escaped = true;
      else if (c === "'" || c === '"') quote = c;
      else flag += c;
    } else if (flag !== '') {
      flags.push(flag);
      flag = '';
    }
  }
  if (escaped) return 'broken character escaping in pkgconf output';
  if (quote !== '') return 'unterminated quoted string in pkgconf output';
  if (flag !== '') flags.push(flag);
  return flags;
}
