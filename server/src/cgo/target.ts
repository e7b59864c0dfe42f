// The build target for #cgo conditions and build constraints: explicit settings first, then
// GOOS/GOARCH from the environment (as `go env` honours them), then the host; and the Go
// release whose go command builds (goversion.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultReleaseTags, defaultToolTags, hostTarget, knownArch, knownOS, type BuildTarget, type CgoOff } from './constraints';
import { goGetenv, type Getenv } from './goGetenv';
import { goModFor, newestGoMinor, resolveGoVersion, type GoVersion } from './goversion';

/** GOOS/GOARCH as explicit settings, $GOOS/$GOARCH or the host say, with cgo on (see cgoDefault). */
export function resolveTarget(
  goos: string | undefined,
  goarch: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  goMinor: number = newestGoMinor,
): BuildTarget {
  const host = hostTarget(goMinor);
  const os = goos || env.GOOS || host.goos;
  const arch = goarch || env.GOARCH || host.goarch;
  return {
    ...host,
    goos: os,
    goarch: arch,
    releaseTags: defaultReleaseTags(goMinor),
    toolTags: defaultToolTags(arch, goMinor, os),
  };
}

/** A reason the target names no GOOS/GOARCH Go knows, or undefined. */
export function targetProblem(target: BuildTarget): string | undefined {
  if (!knownOS.has(target.goos)) return `unknown GOOS "${target.goos}"`;
  if (!knownArch.has(target.goarch)) return `unknown GOARCH "${target.goarch}"`;
  return undefined;
}

export interface PackageTargetInputs {
  goos?: string;
  goarch?: string;
  /** cgo.goVersion / --go, when set. */
  goVersion?: string;
  /** What the local go command said (askGoEnv), where asking was allowed. */
  localGo?: { goVersion: string; goToolchain: string };
  env?: NodeJS.ProcessEnv;
}

/** The target for the package in dir: goos/goarch as resolveTarget, the Go release of its module. */
export function resolvePackageTarget(
  dir: string,
  inputs: PackageTargetInputs,
  readText: (file: string) => string | undefined,
): { target: BuildTarget; goVersion: GoVersion } {
  const goVersion = resolveGoVersion({
    explicit: inputs.goVersion,
    localGoVersion: inputs.localGo?.goVersion,
    goToolchain: inputs.localGo?.goToolchain,
    goMod: goModFor(dir, readText),
  });
  const env = inputs.env ?? process.env;
  const target = resolveTarget(inputs.goos, inputs.goarch, env, goVersion.minor);
  const cgoOff = cgoDefault(target, goGetenv(env), env);
  return { target: cgoOff ? { ...target, cgoEnabled: false, cgoOff } : target, goVersion };
}

/**
 * Whether the go command builds the target without cgo, and why; undefined when cgo is on. As
 * cmd/go/internal/cfg (defaultContext) and go/build (defaultContext) decide it, read in Go
 * 1.19.8 (/usr/lib/go-1.19/src), 1.20.14 and 1.27.3 (golang.org/toolchain) and 1.26.8
 * (/usr/local/go/src), checked with `go env CGO_ENABLED` on each:
 *  1. CGO_ENABLED of cfg.Getenv (the environment, then the `go env -w` file), if "0" or "1", wins;
 *  2. else cgo is off when GOOS/GOARCH is not the host's; $CC does not turn it on there;
 *  3. else the host's own default: the target's cgo port (cgoSupported);
 *  4. since Go 1.20, with $CC unset (os.Getenv, not the env file), cgo is off when the default C
 *     compiler (cfg.DefaultCC) is not found on PATH.
 */
export function cgoDefault(
  target: Pick<BuildTarget, 'goos' | 'goarch' | 'goMinor'>,
  getenv: Getenv,
  env: NodeJS.ProcessEnv,
  findExecutable: (name: string, env: NodeJS.ProcessEnv) => boolean = onPath,
): CgoOff | undefined {
  const explicit = getenv('CGO_ENABLED');
  if (explicit === '1') return undefined;
  if (explicit === '0') return { reason: 'CGO_ENABLED=0' };
  const host = hostTarget(target.goMinor);
  if (target.goos !== host.goos || target.goarch !== host.goarch) return { reason: 'cross-compiling', host: `${host.goos}/${host.goarch}` };
  if (!cgoSupported(target.goos, target.goarch, target.goMinor)) return { reason: 'no cgo port' };
  if (target.goMinor >= 20 && (env.CC ?? '') === '') {
    const compiler = defaultCC(target.goos);
    if (!findExecutable(compiler, env)) return { reason: 'no C compiler', compiler };
  }
  return undefined;
}

/**
 * cfg.DefaultCC of the go command as released (cmd/dist writes zdefaultcc.go; the same in
 * Go 1.20.14, 1.26.8 and 1.27.3): clang on darwin, ios, freebsd and openbsd, gcc elsewhere.
 */
export function defaultCC(goos: string): string {
  return ['darwin', 'ios', 'freebsd', 'openbsd'].includes(goos) ? 'clang' : 'gcc';
}

/**
 * The GOOS/GOARCH pairs with a cgo port: go/build's cgoEnabled table (zcgo.go) in Go 1.19.8
 * and 1.20.14, internal/platform's CgoSupported (zosarch.go) from Go 1.21 (1.21.13 through
 * 1.27.3 read). 1.20 adds freebsd/riscv64, 1.23 openbsd/riscv64; 1.27 adds linux/ppc64 and
 * drops openbsd/mips64.
 */
export function cgoSupported(goos: string, goarch: string, goMinor: number): boolean {
  const pair = `${goos}/${goarch}`;
  if (pair === 'freebsd/riscv64') return goMinor >= 20;
  if (pair === 'openbsd/riscv64') return goMinor >= 23;
  if (pair === 'linux/ppc64') return goMinor >= 27;
  if (pair === 'openbsd/mips64') return goMinor < 27;
  return cgoPorts119.has(pair);
}

const cgoPorts119: ReadonlySet<string> = new Set([
  'aix/ppc64', 'android/386', 'android/amd64', 'android/arm', 'android/arm64', 'darwin/amd64',
  'darwin/arm64', 'dragonfly/amd64', 'freebsd/386', 'freebsd/amd64', 'freebsd/arm',
  'freebsd/arm64', 'illumos/amd64', 'ios/amd64', 'ios/arm64', 'linux/386', 'linux/amd64',
  'linux/arm', 'linux/arm64', 'linux/loong64', 'linux/mips', 'linux/mips64', 'linux/mips64le',
  'linux/mipsle', 'linux/ppc64le', 'linux/riscv64', 'linux/s390x', 'linux/sparc64', 'netbsd/386',
  'netbsd/amd64', 'netbsd/arm', 'netbsd/arm64', 'openbsd/386', 'openbsd/amd64', 'openbsd/arm',
  'openbsd/arm64', 'openbsd/mips64', 'solaris/amd64', 'windows/386', 'windows/amd64', 'windows/arm64',
]);

/**
 * exec.LookPath as cfg's pathcache uses it: an executable regular file in a directory of $PATH
 * (with a $PATHEXT extension on Windows). Relative directories count as not found, as
 * LookPath's ErrDot (Go 1.19+) makes them.
 */
export function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  const windows = platform === 'win32';
  const list = (windows ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const exts = windows ? (env.PATHEXT ?? '.com;.exe;.bat;.cmd').split(';').filter((ext) => ext !== '') : [''];
  for (const dir of list.split(windows ? ';' : ':')) {
    if (!path.isAbsolute(dir)) continue;
    for (const ext of exts) {
      try {
        const stat = fs.statSync(path.join(dir, name + ext));
        if (stat.isFile() && (windows || (stat.mode & 0o111) !== 0)) return true;
      } catch {
        // Not there: the next directory.
      }
    }
  }
  return false;
}
