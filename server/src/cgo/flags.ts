// The go command's check of #cgo flags and of pkg-config arguments, for the Go minor the engine
// answers for, ported from each release's
//   cmd/go/internal/work/security.go  checkCompilerFlags, checkLinkerFlags, checkFlags,
//                                     checkCompilerFlagsForInternalLink, checkPkgConfigFlags
//   cmd/go/internal/work/exec.go      CFlags/buildFlags (which list is checked, and how it is
//                                     named in the error), getPkgConfigFlags
//   cmd/go/internal/load/pkg.go       SafeArg
// The allowlists of each release are in flagAllowlist.ts, the Go regexps in goregexp.ts, and
// cfg.Getenv (where $CGO_<NAME>_ALLOW / _DISALLOW come from) in goGetenv.ts.
import { flagAllowlist, type FlagAllowlist } from './flagAllowlist';
import type { Getenv } from './goGetenv';
import { BoundedCache } from './cache';
import { findString, GoRegexpError, GoRegexps } from './goregexp';

/**
 * A pattern compiled on first use, each on its own like cmd/go's lazyregexp: a flag is
 * usually allowed by one of the first patterns, and compiling all two hundred would cost
 * more than a whole check of a small package. GoRegexps keeps them by source, so a pattern
 * that several releases share is compiled once.
 */
class LazyRegExp {
  private compiled: RegExp | undefined;

  constructor(
    private readonly source: string,
    private readonly regexps: GoRegexps,
  ) {}

  get regexp(): RegExp {
    return (this.compiled ??= this.regexps.compile(this.source));
  }
}

/** One release's lists as checkFlags takes them. */
interface CheckLists {
  allowlist: FlagAllowlist;
  compiler: readonly LazyRegExp[];
  linker: readonly LazyRegExp[];
  invalidLinker: readonly LazyRegExp[];
  pkgConfig: readonly LazyRegExp[];
}

/** Where the overrides come from: a function like cfg.Getenv, or plain variables like process.env. */
export type FlagEnv = Getenv | Readonly<Record<string, string | undefined>>;

function getter(env: FlagEnv): Getenv {
  return typeof env === 'function' ? env : (key) => env[key] ?? '';
}

/** One argument the go command refuses. */
export interface FlagProblem {
  /** Index in the checked list of the offending argument. */
  index: number;
  /**
   * 'disallowed': not on the allowlist (or matched by $CGO_<NAME>_DISALLOW);
   * 'bad-next-arg': a flag that takes the next argument, followed by one that looks like a
   * flag or a response file (the message names both: index and index+1);
   * 'missing-next-arg': such a flag at the end of the list.
   */
  kind: 'disallowed' | 'bad-next-arg' | 'missing-next-arg';
  /** The go command's error for it, e.g. "invalid flag in #cgo CFLAGS: -fplugin=x". */
  message: string;
  /** $CGO_<NAME>_DISALLOW matched the argument ('disallowed' only). */
  byDisallow?: true;
}

export interface FlagCheck {
  /** What the go command reports: the first problem's message, or the environment error. */
  error: string | undefined;
  /** $CGO_<NAME>_ALLOW or _DISALLOW is not a valid Go regexp: the go command checks nothing else. */
  envError: string | undefined;
  /** Every problem, in order; the go command stops at the first. */
  problems: FlagProblem[];
}

/** The lists one call of checkFlags uses. */
interface FlagRules {
  allowlist: FlagAllowlist;
  invalid: readonly LazyRegExp[];
  valid: readonly LazyRegExp[];
  validNext: readonly string[];
}

function matchesWhole(res: readonly LazyRegExp[], arg: string): boolean {
  return res.some((re) => findString(re.regexp, arg) === arg); // must be complete match
}

/**
 * checkFlags, also collecting the problems after the first: after a refused argument it goes
 * on with the next one, also after a refused pair (so the argument the flag would have taken
 * is checked on its own, as it would be once the flag is removed). `env` undefined means
 * checkOverrides false.
 */
function checkFlags(regexps: GoRegexps, name: string, source: string, list: readonly string[], rules: FlagRules, env: FlagEnv | undefined): FlagCheck {
  const { allowlist, invalid, valid, validNext } = rules;
  const see = `(see ${allowlist.invalidFlagURL})`;
  // Let users override rules with $CGO_CFLAGS_ALLOW, $CGO_CFLAGS_DISALLOW, etc.
  let allow: RegExp | undefined;
  let disallow: RegExp | undefined;
  if (env !== undefined) {
    const getenv = getter(env);
    for (const which of ['ALLOW', 'DISALLOW'] as const) {
      const value = getenv(`CGO_${name}_${which}`);
      if (value === '') continue;
      try {
        const r = regexps.compile(value);
        if (which === 'ALLOW') allow = r;
        else disallow = r;
      } catch (e) {
        if (!(e instanceof GoRegexpError)) throw e;
        const envError = `parsing $CGO_${name}_${which}: ${e.message}`;
        return { error: envError, envError, problems: [] };
      }
    }
  }

  const problems: FlagProblem[] = [];
  Args: for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    let byDisallow = false;
    bad: {
      if (disallow && findString(disallow, arg) === arg) {
        byDisallow = true;
        break bad;
      }
      if (allow && findString(allow, arg) === arg) continue Args;
      if (matchesWhole(invalid, arg)) break bad;
      // Go 1.24+: at the first allowlist entry that does not match "-Wl,--push-state,…",
      // checkFlags decides on its parts: each must be allowed, and not refused, as a -Wl flag
      // of its own.
      if (allowlist.splitPushState && arg.startsWith('-Wl,--push-state,') && valid.length > 0 && !matchesWhole(valid.slice(0, 1), arg)) {
        for (const part of arg.split(',').slice(1)) {
          const a = `-Wl,${part}`;
          if (!matchesWhole(valid, a) || matchesWhole(invalid, a)) break bad;
        }
        continue Args;
      }
      if (matchesWhole(valid, arg)) continue Args;
      for (const x of validNext) {
        if (arg !== x) continue;
        if (i + 1 < list.length && safeArg(list[i + 1])) {
          i++;
          continue Args;
        }

        // Permit -Wl,-framework -Wl,name.
        if (
          i + 1 < list.length &&
          arg.startsWith('-Wl,') &&
          list[i + 1].startsWith('-Wl,') &&
          safeArg(list[i + 1].slice(4)) &&
          !list[i + 1].slice(4).includes(',')
        ) {
          i++;
          continue Args;
        }

        // Permit -I= /path, -I $SYSROOT.
        if (i + 1 < list.length && arg === '-I') {
          if ((list[i + 1].startsWith('=') || list[i + 1].startsWith('$SYSROOT')) && safeArg(list[i + 1].slice(1))) {
            i++;
            continue Args;
          }
        }

        if (i + 1 < list.length) {
          problems.push({ index: i, kind: 'bad-next-arg', message: `invalid flag in ${source}: ${arg} ${list[i + 1]} ${see}` });
          continue Args;
        }
        problems.push({ index: i, kind: 'missing-next-arg', message: `invalid flag in ${source}: ${arg} without argument ${see}` });
        continue Args;
      }
    }
    const message = `invalid flag in ${source}: ${arg}${allowlist.urlInEveryMessage ? ` ${see}` : ''}`;
    problems.push({ index: i, kind: 'disallowed', message, ...(byDisallow ? { byDisallow: true as const } : {}) });
  }
  return { error: problems[0]?.message, envError: undefined, problems };
}

function compilerRules(lists: CheckLists): FlagRules {
  return { allowlist: lists.allowlist, invalid: [], valid: lists.compiler, validNext: lists.allowlist.compilerFlagsWithNextArg };
}

function linkerRules(lists: CheckLists): FlagRules {
  return { allowlist: lists.allowlist, invalid: lists.invalidLinker, valid: lists.linker, validNext: lists.allowlist.linkerFlagsWithNextArg };
}

/**
 * The go command's checks of flags for each Go minor, with the allowlist patterns compiled as
 * they are first needed: one per engine, which disposes it with itself.
 */
export class FlagChecks {
  private readonly regexps = new GoRegexps();
  /** By the allowlist's Go minor: one per release there is, a few dozen at most. */
  private readonly listsByMinor = new BoundedCache<number, CheckLists>({ maxWeight: 64 });

  /** One release's lists as checkFlags takes them. */
  private lists(goMinor: number): CheckLists {
    const allowlist = flagAllowlist(goMinor);
    return this.listsByMinor.get(allowlist.goMinor, () => {
      const lazy = (sources: readonly string[]): LazyRegExp[] => sources.map((source) => new LazyRegExp(source, this.regexps));
      return {
        allowlist,
        compiler: lazy(allowlist.compilerFlags),
        linker: lazy(allowlist.linkerFlags),
        invalidLinker: lazy(allowlist.invalidLinkerFlags),
        pkgConfig: lazy(allowlist.pkgConfigFlags),
      };
    });
  }

  /** The check of compiler flags (CPPFLAGS, CFLAGS, CXXFLAGS, FFLAGS) of Go 1.<goMinor>, with every problem. */
  compilerFlagProblems(goMinor: number, name: string, source: string, list: readonly string[], env: FlagEnv = {}): FlagCheck {
    return checkFlags(this.regexps, name, source, list, compilerRules(this.lists(goMinor)), env);
  }

  /** The check of linker flags (LDFLAGS) of Go 1.<goMinor>, with every problem. */
  linkerFlagProblems(goMinor: number, name: string, source: string, list: readonly string[], env: FlagEnv = {}): FlagCheck {
    return checkFlags(this.regexps, name, source, list, linkerRules(this.lists(goMinor)), env);
  }

  /** checkCompilerFlags: the go command's error, or undefined. */
  checkCompilerFlags(goMinor: number, name: string, source: string, list: readonly string[], env: FlagEnv = {}): string | undefined {
    return this.compilerFlagProblems(goMinor, name, source, list, env).error;
  }

  /** checkLinkerFlags: the go command's error, or undefined. */
  checkLinkerFlags(goMinor: number, name: string, source: string, list: readonly string[], env: FlagEnv = {}): string | undefined {
    return this.linkerFlagProblems(goMinor, name, source, list, env).error;
  }

  /**
   * checkCompilerFlagsForInternalLink: an error when the flags may not be fully supported by
   * internal linking (the go command then links externally); no environment overrides.
   */
  checkCompilerFlagsForInternalLink(goMinor: number, name: string, source: string, list: readonly string[]): string | undefined {
    const rules = compilerRules(this.lists(goMinor));
    const err = checkFlags(this.regexps, name, source, list, rules, undefined).error;
    if (err !== undefined) return err;
    // Currently the only flag on the allow list that causes problems
    // for the linker is "-flto"; check for it manually here.
    // Go 1.27: also -static/--static, which some toolchains accept as a compiler flag.
    for (const fl of list) {
      if (fl.startsWith('-flto')) return `flag ${JSON.stringify(fl)} triggers external linking`;
      if (rules.allowlist.staticNeedsExternalLink && (fl === '-static' || fl === '--static')) return `flag ${JSON.stringify(fl)} triggers external linking`;
    }
    return undefined;
  }

  /**
   * getPkgConfigFlags' check of the pkg-config options (the arguments that start with "--", "--"
   * itself dropped), made after the package names: none before Go 1.24; in 1.24 as compiler
   * flags ("invalid flag in pkg-config --cflags: …", $CGO_CFLAGS_ALLOW/_DISALLOW apply); since
   * 1.25 against validPkgConfigFlags ("invalid flag in pkg-config: …", no overrides). Problem
   * indexes are those of `args`. An invalid $CGO_CFLAGS_ALLOW/_DISALLOW is left to the CFLAGS
   * check, which reports the same error.
   */
  pkgConfigOptionProblems(goMinor: number, args: readonly string[], env: FlagEnv = {}): FlagProblem[] {
    const lists = this.lists(goMinor);
    const { pkgConfigOptions } = lists.allowlist;
    if (pkgConfigOptions === 'unchecked') return [];
    const at: number[] = [];
    for (const [index, arg] of args.entries()) if (arg !== '--' && arg.startsWith('--')) at.push(index);
    const options = at.map((index) => args[index]);
    const check =
      pkgConfigOptions === 'compiler-flags'
        ? checkFlags(this.regexps, 'CFLAGS', 'pkg-config --cflags', options, compilerRules(lists), env)
        : checkFlags(this.regexps, '', 'pkg-config', options, { allowlist: lists.allowlist, invalid: [], valid: lists.pkgConfig, validNext: [] }, undefined);
    return check.problems.map((problem) => ({ ...problem, index: at[problem.index] }));
  }

  /** Releases' lists and compiled regexps kept. */
  get size(): number {
    return this.listsByMinor.size + this.regexps.size;
  }

  dispose(): void {
    this.listsByMinor.dispose();
    this.regexps.dispose();
  }
}

/** Which check the go command applies to the #cgo flags of each verb (exec.go, CFlags), in its order. */
export const flagVerbs = [
  { verb: 'CPPFLAGS', linker: false },
  { verb: 'CFLAGS', linker: false },
  { verb: 'CXXFLAGS', linker: false },
  { verb: 'FFLAGS', linker: false },
  { verb: 'LDFLAGS', linker: true },
] as const;

// ---------------------------------------------------------------------------------------------
// load.SafeArg and pkg-config package names (exec.go, getPkgConfigFlags)
// ---------------------------------------------------------------------------------------------

/**
 * load.SafeArg: arg does not look like a flag or a response file (@file): it starts with an
 * ASCII letter or digit, '.', '_', '/', or a non-ASCII character.
 */
export function safeArg(name: string): boolean {
  if (name === '') return false;
  const c = name.charCodeAt(0);
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x5f || c === 0x2f || c >= 0x80
  );
}

export interface PkgConfigProblem {
  /** Index of the package name in the #cgo pkg-config arguments. */
  index: number;
  message: string;
}

/**
 * getPkgConfigFlags: "--" is dropped, arguments starting with "--" are pkg-config options
 * (moved before the go command's own "--", not checked), every other argument is a package
 * name and must be a SafeArg. The go command reports the first bad name.
 */
export function pkgConfigProblems(args: readonly string[]): PkgConfigProblem[] {
  const problems: PkgConfigProblem[] = [];
  for (const [index, arg] of args.entries()) {
    if (arg === '--' || arg.startsWith('--')) continue;
    if (!safeArg(arg)) problems.push({ index, message: `invalid pkg-config package name: ${arg}` });
  }
  return problems;
}

/** The go command's pkg-config name error, or undefined. */
export function checkPkgConfigNames(args: readonly string[]): string | undefined {
  return pkgConfigProblems(args)[0]?.message;
}
