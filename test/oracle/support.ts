// Helpers for the oracle suite: running processes, temporary copies of fixtures,
// and the environment the Go toolchain runs in.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RunResult {
  /** Exit status; null when the process was killed (timeout) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr followed by stdout (go writes its diagnostics to stderr). */
  combined: string;
  /** Set when the process could not be started or timed out. */
  error?: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a command to completion without a shell; never rejects. */
export function run(command: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let error: string | undefined;
    let settled = false;
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      error = `timed out after ${timeoutMs} ms: ${command} ${args.join(' ')}`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      resolve({ code, stdout: out, stderr: err, combined: err + out, error });
    };
    child.on('error', (e) => {
      error = `cannot run ${command}: ${e.message}`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

/** True when a `go` binary can be started from PATH. */
export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Recursively copies a directory (regular files and directories only). */
export function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const ent of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, ent.name);
    const dst = path.join(to, ent.name);
    if (ent.isDirectory()) copyDir(src, dst);
    else if (ent.isFile()) fs.copyFileSync(src, dst);
  }
}

/** Every regular file under dir, as sorted '/'-separated relative paths. */
export function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const ent of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(dir, rel));
    else if (ent.isFile()) out.push(rel);
  }
  return out.sort();
}

/** A scratch area for one suite run: shared GOCACHE, HOME, GOPATH, and the case copies. */
export class Scratch {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  private n = 0;

  constructor() {
    // A plain prefix: the copies' paths end up in ${SRCDIR}, which go/build only
    // accepts when made of its "safe" characters.
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-oracle-'));
    for (const d of ['gocache', 'home', 'gopath', 'tmp', 'cases']) {
      fs.mkdirSync(path.join(this.root, d));
    }
    this.env = goEnv(this.root);
  }

  /** A fresh copy of a fixture directory; the fixture itself is never written. */
  copy(fixtureDir: string, name: string): string {
    const dir = path.join(this.root, 'cases', `${String(++this.n).padStart(2, '0')}-${name}`);
    copyDir(fixtureDir, dir);
    return dir;
  }

  dispose(): void {
    if (process.env.ORACLE_KEEP_TMP === '1') {
      console.log(`oracle: kept scratch directory ${this.root}`);
      return;
    }
    // Module downloads are off (GOPROXY=off), but make anything read-only writable anyway.
    const chmod = (p: string): void => {
      try {
        const st = fs.lstatSync(p);
        if (st.isDirectory()) {
          fs.chmodSync(p, 0o755);
          for (const e of fs.readdirSync(p)) chmod(path.join(p, e));
        }
      } catch {
        // ignore; rmSync reports what matters
      }
    };
    chmod(this.root);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The environment for every go command: hermetic (no network, no user config,
 * no toolchain switching), cgo on, a shared build cache, C locale so gcc quotes
 * with ASCII apostrophes.
 */
export function goEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    // Anything that would change what go/cgo/gcc do: target, flags, compilers, workspace.
    if (/^(GO[A-Z0-9_]*|CGO_[A-Z_]+|CC|CXX|CFLAGS|CPPFLAGS|LDFLAGS|PKG_CONFIG[A-Z_]*|LANGUAGE|LC_[A-Z_]+)$/.test(k)) {
      delete env[k];
    }
  }
  Object.assign(env, {
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GO111MODULE: 'on',
    GOENV: 'off',
    CGO_ENABLED: '1',
    GOCACHE: path.join(root, 'gocache'),
    GOPATH: path.join(root, 'gopath'),
    GOTMPDIR: path.join(root, 'tmp'),
    HOME: path.join(root, 'home'),
    LANG: 'C',
    LC_ALL: 'C',
  });
  return env;
}
