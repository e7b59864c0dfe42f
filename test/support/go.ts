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
