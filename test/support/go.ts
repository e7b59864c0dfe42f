// Finding and running the Go toolchain from tests. Without go, suites that need it print one
// loud SKIPPED line and pass, except under CI=true, where a missing toolchain is a failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
}

/** Call at the top of a suite that needs go: returns false (after saying so) when it must skip. */
export function requireGo(suite: string): boolean {
  if (goAvailable()) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: go not found, and CI=true requires the toolchain`);
  process.stdout.write(`SKIPPED: go not found (${suite})\n`);
  return false;
}

/** An environment for go commands that never touches the network or the user's caches. */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = path.join(os.tmpdir(), 'vscode-cgo-go');
  fs.mkdirSync(path.join(base, 'cache'), { recursive: true });
  fs.mkdirSync(path.join(base, 'path'), { recursive: true });
  return {
    ...process.env,
    GOCACHE: path.join(base, 'cache'),
    GOPATH: path.join(base, 'path'),
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '1',
    ...extra,
  };
}

/** A Go toolchain the oracle and the agreement tests run under. */
export interface Toolchain {
  /** The go binary: a path, or "go" from PATH. */
  go: string;
  /** GOVERSION, e.g. go1.26.8. */
  version: string;
  /** N of Go 1.N: what cgo-lint is told with --go. */
  minor: number;
  /** Not one a CI run must have (Go 1.27.3 from the module cache): proven in a step of its own. */
  extra: boolean;
}

/** GOVERSION of a go binary (never switching toolchains), or undefined when it does not run. */
export function goVersionOf(go: string): string | undefined {
  const r = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' }, stdio: ['ignore', 'pipe', 'ignore'] });
  const version = r.status === 0 ? r.stdout.trim() : '';
  return version.startsWith('go') ? version : undefined;
}

/**
 * The toolchains to prove the engine on: the go on PATH (the machine's current Go), Debian's
 * Go 1.19 (golang-1.19-go), and Go 1.27.3 where .ci/run has fetched it into the module cache.
 * `required` lists those a CI run must have.
 */
export function goToolchains(): { found: Toolchain[]; required: { go: string; found: boolean }[] } {
  const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [
    { go: 'go', required: true },
    { go: '/usr/lib/go-1.19/bin/go', required: true },
    ...(modCache ? [{ go: path.join(modCache, 'golang.org', 'toolchain@v0.0.1-go1.27.3.linux-amd64', 'bin', 'go'), required: false }] : []),
  ];
  const found: Toolchain[] = [];
  const required: { go: string; found: boolean }[] = [];
  for (const candidate of candidates) {
    const version = goVersionOf(candidate.go);
    const minor = version ? Number(/^go1\.(\d+)/.exec(version)?.[1]) : NaN;
    const usable = version !== undefined && Number.isInteger(minor) && !found.some((t) => t.version === version);
    if (usable) found.push({ go: candidate.go, version, minor, extra: !candidate.required });
    if (candidate.required) required.push({ go: candidate.go, found: usable });
  }
  return { found, required };
}


/**
 * The toolchains the oracle suites prove fixtures on: those ORACLE_GO names (`1.19,1.27`: Go
 * releases, comma-separated), else the required ones (the current Go and Go 1.19). `.ci/run`
 * runs the extra Go 1.27.3 in a step of its own (npm run test:go1.27), which keeps npm test
 * within its ten minutes.
 */
export function oracleToolchains(found: readonly Toolchain[]): Toolchain[] {
  const wanted = (process.env.ORACLE_GO ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const missing = wanted.filter((w) => !found.some((t) => t.version.startsWith(`go${w}`)));
  if (missing.length > 0 && process.env.CI === 'true') throw new Error(`ORACLE_GO names Go ${missing.join(', ')}, not found, and CI=true (.ci/run fetches Go 1.27.3 into the module cache)`);
  return found.filter((t) => (wanted.length === 0 ? !t.extra : wanted.some((w) => t.version.startsWith(`go${w}`))));
}
