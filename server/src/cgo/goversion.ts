// Which Go release the engine answers for. The go command's behaviour that rules depend on
// (the #cgo verbs go/build accepts, cmd/cgo's messages and generated prolog, the flag
// allowlist, release tags) changes between releases, so every answer is for one Go 1.N.
//
// The order (issue "Follow the user's Go"): an explicit choice (cgo.goVersion, --go), then the
// local go command's GOVERSION (a process: trusted workspaces and the CLI only), raised to
// go.mod's toolchain or go line when the go command would switch to that (Go 1.21+ with
// GOTOOLCHAIN=auto, cmd/go/internal/toolchain), then go.mod alone, then the newest release
// modelled here.
import * as path from 'node:path';
import { readRegularFile } from './files';
import type { ChildProcesses, ProcessRun } from './processes';

/** The oldest and newest Go 1.N whose facts are modelled (each read from that release's source). */
export const oldestGoMinor = 19;
export const newestGoMinor = 27;

export interface GoVersion {
  /** N of Go 1.N, within oldestGoMinor..newestGoMinor. */
  minor: number;
  /** Why this version, for hovers and logs: "go env GOVERSION (go1.26.8)", "go.mod: go 1.24", … */
  reason: string;
}

/**
 * N of a Go version as written by users and tools: "1.24", "1.24.3", "go1.24", "go1.24rc1",
 * "go1.26.8 X:boringcrypto". Undefined for anything else, and for Go 2 or Go 1.0.
 */
export function parseGoMinor(text: string): number | undefined {
  const m = /^(?:go)?1\.(\d+)(?:[.\s]|rc|beta|$)/.exec(text.trim());
  if (!m) return undefined;
  const minor = Number(m[1]);
  return minor >= 1 ? minor : undefined;
}

function clamp(minor: number): number {
  return Math.min(Math.max(minor, oldestGoMinor), newestGoMinor);
}

function modelled(minor: number, reason: string): GoVersion {
  const used = clamp(minor);
  if (used === minor) return { minor, reason };
  const bound = used === oldestGoMinor ? 'oldest' : 'newest';
  return { minor: used, reason: `${reason}; Go 1.${used} is the ${bound} release modelled` };
}

export interface GoModVersion {
  file: string;
  /** The `toolchain goX.Y.Z` line, if any. */
  toolchain: number | undefined;
  /** The `go X.Y` line, if any: the oldest Go that may build the module. */
  go: number | undefined;
}

/**
 * The go.mod that governs dir (the nearest one in dir or above it) and its go and toolchain
 * lines, read the way cmd/go/internal/modfile does for these two directives: first word after
 * the keyword, comments ignored.
 */
export function goModFor(dir: string, readText: (file: string) => string | undefined): GoModVersion | undefined {
  for (let at = path.resolve(dir); ; ) {
    const file = path.join(at, 'go.mod');
    const text = readText(file);
    if (text !== undefined) {
      const directive = (keyword: string): number | undefined => {
        const m = new RegExp(`^[ \\t]*${keyword}[ \\t]+(\\S+)`, 'm').exec(text.replace(/\/\/.*$/gm, ''));
        return m ? parseGoMinor(m[1]) : undefined;
      };
      return { file, toolchain: directive('toolchain'), go: directive('go') };
    }
    const up = path.dirname(at);
    if (up === at) return undefined;
    at = up;
  }
}

export interface GoVersionInputs {
  /** cgo.goVersion or --go, as the user wrote it; empty or undefined when not set. */
  explicit?: string;
  /** `go env GOVERSION` of the go command that would build, when it may be asked (trusted). */
  localGoVersion?: string;
  /** GOTOOLCHAIN as the go command sees it ("local" stops it switching to go.mod's version). */
  goToolchain?: string;
  goMod?: GoModVersion;
}

/** The Go release to answer for, and why. An explicit choice that is not a version is ignored. */
export function resolveGoVersion(inputs: GoVersionInputs): GoVersion {
  const explicit = inputs.explicit?.trim() ? parseGoMinor(inputs.explicit) : undefined;
  if (explicit !== undefined) return modelled(explicit, `set to ${inputs.explicit?.trim()}`);
  const mod = inputs.goMod;
  const modWants = mod ? Math.max(mod.toolchain ?? 0, mod.go ?? 0) : 0;
  const modReason = mod ? (mod.toolchain !== undefined && mod.toolchain >= (mod.go ?? 0) ? `toolchain go1.${mod.toolchain}` : `go 1.${mod.go}`) : '';
  const local = inputs.localGoVersion ? parseGoMinor(inputs.localGoVersion) : undefined;
  if (local !== undefined) {
    // Go 1.21+ runs the newer toolchain a go.mod asks for unless GOTOOLCHAIN=local.
    const switches = local >= 21 && !/^local\b/.test(inputs.goToolchain ?? '') && !/^go1\.\d+/.test(inputs.goToolchain ?? '');
    if (switches && modWants > local) {
      return modelled(modWants, `${path.basename(mod?.file ?? 'go.mod')} says ${modReason}, which the local ${inputs.localGoVersion} switches to`);
    }
    const pinned = /^(go1\.\d+)/.exec(inputs.goToolchain ?? '');
    if (pinned && local >= 21) return modelled(parseGoMinor(pinned[1]) ?? local, `GOTOOLCHAIN=${inputs.goToolchain}`);
    return modelled(local, `go env GOVERSION (${inputs.localGoVersion})`);
  }
  if (mod && modWants > 0) return modelled(modWants, `go.mod says ${modReason}`);
  return { minor: newestGoMinor, reason: `no go command or go.mod to ask; Go 1.${newestGoMinor} is the newest release modelled` };
}

export interface LocalGo {
  goVersion: string;
  goToolchain: string;
}

/**
 * The one question the go command on PATH is asked: `go env GOVERSION CC CGO_CPPFLAGS
 * CGO_CFLAGS` (one value a line, in that order), run with GOTOOLCHAIN=local so that asking never
 * downloads a toolchain. GOVERSION says which Go release the checks answer for; the rest name
 * the C compiler and the flags go build compiles preambles with (PreambleCompiler). Starting it
 * is running a program of the machine's: callers ask only where that is allowed (the CLI,
 * trusted workspaces).
 */
export const goEnvCommand = {
  file: 'go',
  args: ['env', 'GOVERSION', 'CC', 'CGO_CPPFLAGS', 'CGO_CFLAGS'],
  env: (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, GOTOOLCHAIN: 'local' }),
};

/** What goEnvCommand said. */
export interface GoEnvAnswer {
  /** The local Go; undefined when GOVERSION is no release name (a development build says "devel …"). */
  local: LocalGo | undefined;
  /** CC, CGO_CPPFLAGS and CGO_CFLAGS as the go command prints them (unsplit). */
  cc: string;
  cppflags: string;
  cflags: string;
}

/** The answer to goEnvCommand, with the GOTOOLCHAIN the user has (ours was only for asking). */
export function goEnvFromOutput(stdout: string, env: NodeJS.ProcessEnv): GoEnvAnswer {
  const [version = '', cc = '', cppflags = '', cflags = ''] = stdout.split('\n').map((line) => line.trim());
  const local = version.startsWith('go') ? { goVersion: version, goToolchain: env.GOTOOLCHAIN ?? goEnvFileToolchain(env) ?? 'auto' } : undefined;
  return { local, cc, cppflags, cflags };
}

/** Asks goEnvCommand through the owner's processes; undefined when there is no go command or it failed. */
export async function askGoEnv(processes: ChildProcesses, env: NodeJS.ProcessEnv = process.env, onRun?: (run: ProcessRun) => void): Promise<GoEnvAnswer | undefined> {
  const started = performance.now();
  const result = await processes.run(goEnvCommand.file, goEnvCommand.args, { env: goEnvCommand.env(env), timeoutMs: 10_000 });
  const outcome = result.kind !== 'exited' ? result.message : result.code === 0 ? 'ok' : `exit status ${result.code}`;
  onRun?.({ command: goEnvCommand.file, args: goEnvCommand.args, cwd: undefined, ms: Math.round(performance.now() - started), outcome });
  return result.kind === 'exited' && result.code === 0 ? goEnvFromOutput(result.stdout, env) : undefined;
}

/** GOTOOLCHAIN from the go env file (`go env -w`), which `go env` would have printed. */
function goEnvFileToolchain(env: NodeJS.ProcessEnv): string | undefined {
  const file =
    env.GOENV ??
    (env.XDG_CONFIG_HOME ? path.join(env.XDG_CONFIG_HOME, 'go', 'env') : env.HOME ? path.join(env.HOME, '.config', 'go', 'env') : undefined);
  if (!file || file === 'off') return undefined;
  // Bounded and regular files only, as every read: the go command writes a few lines here.
  const read = readRegularFile(file, 1024 * 1024);
  return read.ok ? /^GOTOOLCHAIN=(.*)$/m.exec(read.data.toString('utf8'))?.[1]?.trim() : undefined;
}

/**
 * cmd/cgo's error for `C.name` when nothing declares name (gcc.go, guessKinds): "could not
 * determine kind of name for C.%s" through Go 1.23.12, "could not determine what C.%s refers
 * to" from Go 1.24.0 (1.24.13, 1.25.14, 1.26.8, 1.27.3 alike).
 */
export function unknownCNameError(goMinor: number, name: string): string {
  return goMinor >= 24 ? `could not determine what C.${name} refers to` : `could not determine kind of name for C.${name}`;
}
