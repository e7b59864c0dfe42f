// The build target for #cgo conditions and build constraints: explicit settings first, then
// GOOS/GOARCH from the environment (as `go env` honours them), then the host.
import { defaultToolTags, hostTarget, knownArch, knownOS, type BuildTarget } from './constraints';

export function resolveTarget(goos: string | undefined, goarch: string | undefined, env: NodeJS.ProcessEnv = process.env): BuildTarget {
  const host = hostTarget();
  const arch = goarch || env.GOARCH || host.goarch;
  return {
    ...host,
    goos: goos || env.GOOS || host.goos,
    goarch: arch,
    toolTags: defaultToolTags(arch),
  };
}

/** A reason the target names no GOOS/GOARCH Go knows, or undefined. */
export function targetProblem(target: BuildTarget): string | undefined {
  if (!knownOS.has(target.goos)) return `unknown GOOS "${target.goos}"`;
  if (!knownArch.has(target.goarch)) return `unknown GOARCH "${target.goarch}"`;
  return undefined;
}
