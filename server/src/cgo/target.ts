// The build target for #cgo conditions and build constraints: explicit settings first, then
// GOOS/GOARCH from the environment (as `go env` honours them), then the host; and the Go
// release whose go command builds (goversion.ts).
import { defaultReleaseTags, defaultToolTags, hostTarget, knownArch, knownOS, type BuildTarget } from './constraints';
import { goModFor, newestGoMinor, resolveGoVersion, type GoVersion } from './goversion';

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
  /** What the local go command said (askLocalGo), where asking was allowed. */
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
  return { target: resolveTarget(inputs.goos, inputs.goarch, inputs.env ?? process.env, goVersion.minor), goVersion };
}
