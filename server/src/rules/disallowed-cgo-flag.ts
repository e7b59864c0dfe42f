// Flags the go command of the target's Go release refuses in #cgo CPPFLAGS/CFLAGS/CXXFLAGS/FFLAGS/
// LDFLAGS ("invalid flag in #cgo CFLAGS: -fplugin=x"), and #cgo pkg-config package names and
// (Go 1.24+) options it refuses ("invalid pkg-config package name: -lfoo"), each with that
// release's message (cgo/flagAllowlist.ts). The go command checks the package's combined flags of each verb
// (go/build appends every active #cgo line of the non-test files it builds, in file-name order,
// making relative -I/-L paths absolute), so a flag that takes the next argument may find it on a
// later #cgo line; each problem is mapped back to the argument it comes from.
//
// $CGO_<VERB>_ALLOW and $CGO_<VERB>_DISALLOW are read as the go command reads them (cfg.Getenv,
// RuleContext.getenv): this process's environment (the editor's or the shell's that runs
// cgo-lint), else the file `go env -w` writes ($GOENV, default ~/.config/go/env).
import { makePathsAbsolute, type CgoDirective, type CgoVerb } from '../cgo/directives';
import { flagVerbs, pkgConfigProblems, type FlagChecks, type FlagProblem } from '../cgo/flags';
import { flagAllowlist } from '../cgo/flagAllowlist';
import { newestGoMinor } from '../cgo/goversion';
import { quoteMeta } from '../cgo/goregexp';
import type { CgoFile, CgoImport } from '../cgo/package';
import { toSource, type Preamble } from '../cgo/preamble';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

/** Where one argument of the package's combined flags comes from. */
interface Origin {
  file: CgoFile;
  preamble: Preamble;
  directive: CgoDirective;
  arg: number;
}

interface VerbArgs {
  values: string[];
  origins: Origin[];
}

export const disallowedCgoFlag: Rule = {
  id: 'disallowed-cgo-flag',
  defaultSeverity: 'error',
  caughtBy: 'cgo',
  summary: 'A #cgo flag the go command refuses ("invalid flag in #cgo CFLAGS"), or a pkg-config package name it refuses.',
  check(ctx) {
    const { imports, args } = packageArgs(ctx);
    if (imports.length === 0) return [];
    const findings: RuleFinding[] = [];
    const goMinor = ctx.pkg.target.goMinor;
    const getenv = ctx.getenv;

    // exec.go, getPkgConfigFlags (runs before CFlags): the package names, then (Go 1.24+) the options.
    const pc = args['pkg-config'];
    for (const problem of pkgConfigProblems(pc.values)) {
      const origin = pc.origins[problem.index];
      findings.push(finding(origin, problem.message, pkgConfigAdvice(pc.values[problem.index])));
    }
    for (const problem of ctx.flagChecks.pkgConfigOptionProblems(goMinor, pc.values, getenv)) {
      findings.push(finding(pc.origins[problem.index], problem.message, pkgConfigOptionAdvice(goMinor, pc.values[problem.index], problem)));
    }

    // exec.go, CFlags: CPPFLAGS, CFLAGS, CXXFLAGS, FFLAGS with checkCompilerFlags, LDFLAGS with checkLinkerFlags.
    for (const { verb, linker } of flagVerbs) {
      const { values, origins } = args[verb];
      const source = `#cgo ${verb}`;
      const check = linker ? ctx.flagChecks.linkerFlagProblems(goMinor, verb, source, values, getenv) : ctx.flagChecks.compilerFlagProblems(goMinor, verb, source, values, getenv);
      if (check.envError) {
        findings.push(envFinding(check.envError, origins[0], imports[0]));
        continue;
      }
      for (const problem of check.problems) {
        // A refused pair ("-I -foo") is reported on the flag; the argument is checked on its own too.
        const origin = origins[problem.index];
        findings.push(finding(origin, problem.message, flagAdvice(ctx.flagChecks, goMinor, verb, values, problem)));
      }
    }
    return findings;
  },
};

/**
 * The package's #cgo arguments per verb as packageFlags (and go/build) combine them, with the
 * argument each comes from; and the `import "C"`s of the files the go command builds.
 */
function packageArgs(ctx: RuleContext): { imports: { file: CgoFile; imp: CgoImport }[]; args: Record<CgoVerb, VerbArgs> } {
  const { pkg } = ctx;
  const args = {} as Record<CgoVerb, VerbArgs>;
  for (const verb of ['CFLAGS', 'CPPFLAGS', 'CXXFLAGS', 'FFLAGS', 'LDFLAGS', 'pkg-config'] as const) args[verb] = { values: [], origins: [] };
  const imports: { file: CgoFile; imp: CgoImport }[] = [];
  const files = pkg.cgoFiles.filter((f) => !f.isTest && f.included).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of files) {
    for (const imp of file.imports) {
      imports.push({ file, imp });
      if (!imp.preamble) continue;
      for (const directive of imp.directives) {
        if (directive.error) break;
        if (!directive.active || !directive.verb) continue;
        const verb = directive.verb.text as CgoVerb;
        const raw = directive.args.map((a) => a.value);
        args[verb].values.push(...(verb === 'pkg-config' ? raw : makePathsAbsolute(raw, pkg.dir)));
        for (let arg = 0; arg < raw.length; arg++) args[verb].origins.push({ file, preamble: imp.preamble, directive, arg });
      }
    }
  }
  // The engine's own combination is the reference when it agrees in shape with ours.
  if (imports.length > 0) {
    const flags = ctx.flags();
    for (const verb of Object.keys(args) as CgoVerb[]) {
      if (flags[verb].length === args[verb].values.length) args[verb].values = [...flags[verb]];
    }
  }
  return { imports, args };
}

function finding(origin: Origin, toolMessage: string, advice: string): RuleFinding {
  const arg = origin.directive.args[origin.arg];
  return {
    file: origin.file.path,
    start: toSource(origin.preamble, arg.start),
    // From the argument's last character: the preamble has no "\r", so its end could map past one.
    end: toSource(origin.preamble, arg.end - 1) + 1,
    message: `go build fails: "${toolMessage}". ${advice}`,
    fixes: [],
  };
}

function flagAdvice(checks: FlagChecks, goMinor: number, verb: string, values: string[], problem: FlagProblem): string {
  const arg = values[problem.index];
  switch (problem.kind) {
    case 'disallowed':
      if (problem.byDisallow) return `$CGO_${verb}_DISALLOW in the environment matches it.`;
      return (
        `The go command takes only allowlisted flags from #cgo lines${allowlistPage(goMinor)}. ` +
        allowedSince(checks, goMinor, verb, arg) +
        `If the flag is needed, set CGO_${verb}_ALLOW='${quoteMeta(arg)}' (a Go regexp that must match the whole flag) ` +
        `where go runs, or pass the flag in the CGO_${verb} environment variable instead, which is not checked.`
      );
    case 'bad-next-arg':
      return (
        `${arg} takes the next argument, and the go command refuses one that does not start with a letter, a digit, ` +
        `'.', '_', '/' or a non-ASCII character (it could be taken for a flag or an @file).`
      );
    case 'missing-next-arg':
      return `${arg} takes the next argument; add it after ${arg}.`;
  }
}

function pkgConfigAdvice(name: string): string {
  const advice =
    '#cgo pkg-config arguments that start with "--" are pkg-config options; every other one is a package name, ' +
    "which must start with a letter, a digit, '.', '_', '/' or a non-ASCII character.";
  return name.startsWith('-') && !name.startsWith('--')
    ? `${advice} Put compiler flags in #cgo CFLAGS and linker flags in #cgo LDFLAGS.`
    : advice;
}

/** "Go 1.N and later allow it. " when every release from a newer one on allows the flag alone. */
function allowedSince(checks: FlagChecks, goMinor: number, verb: string, arg: string): string {
  const check = (minor: number) => (verb === 'LDFLAGS' ? checks.linkerFlagProblems(minor, verb, `#cgo ${verb}`, [arg]) : checks.compilerFlagProblems(minor, verb, `#cgo ${verb}`, [arg]));
  let since: number | undefined;
  for (let minor = newestGoMinor; minor > goMinor; minor--) {
    if (check(minor).problems.length > 0) break;
    since = minor;
  }
  return since === undefined ? '' : `Go 1.${since} and later allow it (this check is for Go 1.${goMinor}). `;
}

/** The allowlist's page, unless the go command's message already names it (Go 1.26+). */
function allowlistPage(goMinor: number): string {
  const allowlist = flagAllowlist(goMinor);
  return allowlist.urlInEveryMessage ? '' : ` (${allowlist.invalidFlagURL})`;
}

function pkgConfigOptionAdvice(goMinor: number, option: string, problem: FlagProblem): string {
  if (problem.byDisallow) return `$CGO_CFLAGS_DISALLOW in the environment matches it (Go 1.${goMinor} checks pkg-config options as C compiler flags).`;
  if (flagAllowlist(goMinor).pkgConfigOptions === 'compiler-flags') {
    return (
      `Go 1.${goMinor} takes only pkg-config options that are on its C compiler flag allowlist. ` +
      `If the option is needed, set CGO_CFLAGS_ALLOW='${quoteMeta(option)}' where go runs, or drop it from #cgo pkg-config.`
    );
  }
  return 'The go command takes only the pkg-config options on its allowlist (they cannot be allowed with an environment variable); drop it from #cgo pkg-config.';
}

function envFinding(envError: string, origin: Origin | undefined, first: { file: CgoFile; imp: CgoImport }): RuleFinding {
  const message =
    `go build fails: "${envError}". Every cgo build fails until the variable (in the environment, or set with ` +
    `\`go env -w\`) is a valid Go regexp or is removed.`;
  if (origin?.directive.verb) {
    const v = origin.directive.verb;
    return { file: origin.file.path, start: toSource(origin.preamble, v.start), end: toSource(origin.preamble, v.end - 1) + 1, message, fixes: [] };
  }
  return { file: first.file.path, start: first.imp.path.start, end: first.imp.path.end, message, fixes: [] };
}
