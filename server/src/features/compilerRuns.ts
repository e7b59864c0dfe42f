// The C compiler in the background (cgo/compiler.ts does the compiling): after a package's
// rules ran, its preambles are compiled, and the compiler's findings join the rules' when it
// answers. An edit to the package kills its compiler run (the analysis that follows the edit's
// debounce starts the next one); results are cached, so an edit in Go code finds them at once.
// The PreambleCompiler starts nothing where it may not (untrusted workspaces), and at most two
// compilers run at a time, each with a time limit.
import { cachedPackage, compilePackage, confirmedByCompiler, type PreambleCompiler, type UnitResult } from '../cgo/compiler';
import type { Reported } from '../cgo/findings';
import type { ReadText } from '../cgo/headers';
import type { CgoPackage, PackageFlags } from '../cgo/package';
import type { PkgConfig } from '../cgo/pkgconfig';

export interface CompileRequest {
  pkg: CgoPackage;
  flags: PackageFlags;
  readText: ReadText;
  /** pkg-config for `#cgo pkg-config:` lines, where cgo.pkgConfig.enable allows it. */
  pkgConfig: PkgConfig | undefined;
}

export type CompileAnswer =
  /** Known now: the findings to show. */
  | { kind: 'known'; findings: Reported[] }
  /** Being compiled: `later` resolves with the full set, or undefined when the run was cancelled. */
  | { kind: 'pending'; later: Promise<Reported[] | undefined> }
  /** No compiler here (none found, not trusted, another target): the rules stand alone. */
  | { kind: 'none' };

export class CompilerRuns {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly preambles: PreambleCompiler) {}

  /** An edit came: the package's compiler run answers for text that is gone. */
  cancel(key: string): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
  }

  dispose(): void {
    for (const key of [...this.running.keys()]) this.cancel(key);
  }

  /**
   * The findings of a package with the compiler's: from the cache when its preambles and
   * headers are unchanged, else after a compiler run (meanwhile the rules' findings are shown;
   * a preamble-comment-bleed finding the compiler then does not confirm goes away).
   */
  withCompiler(key: string, ruleFindings: Reported[], request: CompileRequest): CompileAnswer {
    this.cancel(key);
    const lineOf = lineOfIn(request.pkg);
    const merge = (results: UnitResult[]): Reported[] => sortFindings([...confirmedByCompiler(ruleFindings, results, lineOf), ...results.flatMap((r) => r.findings)]);
    const compiler = this.preambles.known;
    if (!this.preambles.allowed() || (this.preambles.searched && !compiler)) return { kind: 'none' };
    if (compiler) {
      const known = cachedPackage(this.preambles, compiler, request.pkg, request.flags, request.readText);
      if (known) return { kind: 'known', findings: merge(known) };
    }
    const controller = new AbortController();
    this.running.set(key, controller);
    const later = compilePackage(this.preambles, request.pkg, request.flags, {
      pkgConfig: request.pkgConfig,
      readText: request.readText,
      signal: controller.signal,
    }).then((results) => {
      if (this.running.get(key) === controller) this.running.delete(key);
      if (controller.signal.aborted) return undefined;
      return results ? merge(results) : ruleFindings;
    });
    return { kind: 'pending', later };
  }
}

function lineOfIn(pkg: CgoPackage): (file: string, offset: number) => number {
  // Built on first use: a check whose findings the compiler need not confirm builds none.
  let lines: Map<string, CgoPackage['files'][number]['lines']> | undefined;
  return (file, offset) => (lines ??= new Map(pkg.files.map((each) => [each.path, each.lines]))).get(file)?.lineOf(offset) ?? -1;
}

function sortFindings(findings: Reported[]): Reported[] {
  return findings.sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
}
