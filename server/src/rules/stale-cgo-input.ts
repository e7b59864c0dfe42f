// C inputs that the go command's cache does not see: a static archive or object named by path in
// #cgo LDFLAGS (the article's `${SRCDIR}/../c/libapi.a`), and -I header directories outside the
// module. (Headers elsewhere outside the package directory go unnoticed too, but those of one's
// own module, such as -I${SRCDIR}/include, are too common to flag; see the rule's doc.) cmd/go/internal/work (Go 1.19.8, 1.26.8, 1.27.3 alike) keys a
// package's build on its #cgo flags as text and on the files of its own directory
// (buildActionID: "CC=%q %q %q %q" and inputFiles), and a link on the build IDs of its packages
// (linkActionID): the contents of a file that a flag names are hashed nowhere. After such a file
// changes, `go build` keeps the old result until `go build -a`. Proven by test/oracle/stale-cgo-input.test.ts.
import * as path from 'node:path';
import type { CgoArgument } from '../cgo/directives';
import { goModFor } from '../cgo/goversion';
import type { CgoFile } from '../cgo/package';
import { toSource, toSourceEnd, type Preamble } from '../cgo/preamble';
import type { Rule, RuleFinding } from '../cgo/rule';

export const staleCgoInput: Rule = {
  id: 'stale-cgo-input',
  defaultSeverity: 'information',
  summary: 'A file named in #cgo LDFLAGS (a static archive or object) or a header directory outside the module: go build does not notice when it changes.',
  check({ pkg, readText }) {
    const findings: RuleFinding[] = [];
    let moduleRoot: string | null | undefined;
    const root = (): string | null => {
      if (moduleRoot === undefined) {
        const mod = goModFor(pkg.dir, readText);
        moduleRoot = mod ? path.dirname(mod.file) : null;
      }
      return moduleRoot;
    };
    for (const file of pkg.cgoFiles) {
      if (!file.included || file.isTest) continue;
      for (const imp of file.imports) {
        if (!imp.preamble) continue;
        for (const directive of imp.directives) {
          if (directive.error || !directive.active || !directive.verb) continue;
          const verb = directive.verb.text;
          if (verb === 'LDFLAGS') {
            for (const arg of directive.args) {
              if (isStaticInput(arg.value)) findings.push(archive(file, imp.preamble, arg, pkg.target.goMinor));
            }
          } else if (verb === 'CFLAGS' || verb === 'CPPFLAGS' || verb === 'CXXFLAGS') {
            for (const include of includeDirs(directive.args)) {
              if (!isProjectPath(include.arg)) continue;
              const module = root();
              const dir = path.resolve(pkg.dir, include.dir);
              if (module !== null && !within(dir, module)) findings.push(headers(file, imp.preamble, include.arg, dir));
            }
          }
        }
      }
    }
    return findings;
  },
};

/** A path (not a flag) to a static archive or an object file, which the external linker reads. */
function isStaticInput(value: string): boolean {
  return !value.startsWith('-') && /\.(a|o)$/.test(value);
}

/** The directories of -I flags, joined (-Idir) or as the next argument (-I dir). */
function includeDirs(args: readonly CgoArgument[]): { arg: CgoArgument; dir: string }[] {
  const dirs: { arg: CgoArgument; dir: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (value === '-I' && i + 1 < args.length) dirs.push({ arg: args[i + 1], dir: args[++i].value });
    else if (value.startsWith('-I') && value.length > 2) dirs.push({ arg: args[i], dir: value.slice(2) });
  }
  return dirs;
}

/** Written relative to the package (${SRCDIR} or a relative path): the project's own files, not the system's. */
function isProjectPath(arg: CgoArgument): boolean {
  const written = arg.raw.startsWith('-I') ? arg.raw.slice(2) : arg.raw;
  return written.includes('${SRCDIR}') || !path.isAbsolute(written);
}

function within(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function archive(file: CgoFile, preamble: Preamble, arg: CgoArgument, goMinor: number): RuleFinding {
  // Go 1.24 made go run cache the executable it links (run.go: CacheExecutable); before, it relinked every time.
  const run = goMinor >= 24 ? 'go build and go run (which caches its executables since Go 1.24) keep' : 'go build keeps (go run relinks every time before Go 1.24)';
  return {
    file: file.path,
    start: toSource(preamble, arg.start),
    end: toSourceEnd(preamble, arg.end),
    message:
      `go build does not notice when ${arg.raw} changes: the go command's cache hashes the #cgo flags as text and the package's own files, ` +
      `not the files that the flags name, so after this archive is rebuilt ${run} linking the old one. ` +
      'Run go build -a after changing it, or compile the C sources as .c files in the package directory, which the go command hashes.',
    fixes: [],
  };
}

function headers(file: CgoFile, preamble: Preamble, arg: CgoArgument, dir: string): RuleFinding {
  return {
    file: file.path,
    start: toSource(preamble, arg.start),
    end: toSourceEnd(preamble, arg.end),
    message:
      `go build does not notice changes to the headers in ${dir}, outside the module: the go command hashes the .h files of the package directory only, ` +
      'so after one of these headers changes, go build and go run keep the cgo code compiled from the old one. Run go build -a after changing them.',
    fixes: [],
  };
}
