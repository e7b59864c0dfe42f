// `C.free` (`C.calloc`, `C.atoi`, `C.EXIT_FAILURE`, …) in a file whose preamble does not
// include <stdlib.h>: cgo fails with "could not determine kind of name for C.free". C names
// resolve per file, so an #include in another file's preamble does not help; a project header
// the preamble includes does. `C.malloc` is the exception: cgo maps it to its own _CMalloc,
// declared in the prolog it adds to every preamble, so it never needs <stdlib.h>. Which
// headers a file includes is the preprocessor's answer (cpp.ts): only branches gcc compiles for
// the target count, and a branch it cannot decide counts as included.
import * as path from 'node:path';
import { goGap, goUsesOfC } from '../cgo/gosyntax';
import { unknownCNameError } from '../cgo/goversion';
import type { Rule, RuleFinding } from '../cgo/rule';
import { addStdlibInclude, knownNotDeclaring, partialDeclarers, stdlibImport, stdlibNames } from '../cgo/stdlibHeaders';

/**
 * A text test that every file using one of <stdlib.h>'s names passes (`C`, then the name, with only
 * spaces and comments around the dot): walking the whole Go tree for uses is far dearer.
 */
const mayUseStdlibName = new RegExp(String.raw`\bC${goGap}\.${goGap}(?:${[...stdlibNames].join('|')})\b`);

export const missingStdlibInclude: Rule = {
  id: 'missing-stdlib-include',
  defaultSeverity: 'error',
  caughtBy: 'cgo',
  summary: 'C.free, C.calloc, C.atoi, … used in a file whose preamble does not include <stdlib.h>.',
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const file of ctx.pkg.cgoFiles) {
      if (file.isTest) continue;
      const imp = stdlibImport(file);
      if (!imp || !mayUseStdlibName.test(file.text)) continue;
      // A detached comment that includes <stdlib.h> is preamble-detached's finding.
      if (imp.ignored.some((ignored) => includesStdlib(ignored.preamble.text))) continue;
      // What the includes settle comes first: most files include <stdlib.h>, and then neither
      // the Go code nor the C scope need reading.
      const walk = ctx.includes(file);
      if (walk.unknown) continue;
      const systemHeaders = walk.system.map((s) => s.name);
      if (systemHeaders.includes('stdlib.h') || systemHeaders.some((name) => !knownNotDeclaring.has(name) && !partialDeclarers[name])) continue;
      const candidates = goUsesOfC(file).filter((use) => stdlibNames.has(use.name));
      if (candidates.length === 0) continue;
      const scope = ctx.cScope(file);
      const uses = candidates.filter((use) => !scope.names.has(use.name));
      if (uses.length === 0) continue;
      const declared = new Set(systemHeaders.flatMap((name) => [...(partialDeclarers[name] ?? [])]));
      const missing = uses.filter((use) => !declared.has(use.name));
      if (missing.length === 0) continue;
      const siblings = ctx.pkg.cgoFiles.filter((other) => other !== file && other.imports.some((i) => i.preamble) && ctx.includes(other).system.some((s) => s.name === 'stdlib.h'));
      const fix = addStdlibInclude(ctx.cParser, file, imp);
      for (const use of missing) {
        const sibling = siblings.length > 0 ? ` ${path.basename(siblings[0].path)} includes it, but C names resolve per file: each file's preamble must declare what that file uses.` : '';
        findings.push({
          file: file.path,
          start: use.start,
          end: use.end,
          message:
            `cgo fails: ${unknownCNameError(ctx.pkg.target.goMinor, use.name)}. ${use.name} is declared in <stdlib.h>, which ` +
            `this file's preamble does not include.${sibling} Add #include <stdlib.h> to the preamble.` +
            (allocators.has(use.name) ? ' (C.malloc alone works without it: cgo provides its own.)' : ''),
          fixes: fix ? [fix] : [],
        });
      }
    }
    return findings;
  },
};

const allocators = new Set(['free', 'calloc', 'realloc', 'reallocarray', 'aligned_alloc', 'posix_memalign']);

/** A comment cgo does not take as the preamble is not preprocessed: its #include lines as written. */
function includesStdlib(text: string): boolean {
  return /^[ \t]*#[ \t]*include[ \t]*[<"]stdlib\.h[>"]/m.test(text);
}
