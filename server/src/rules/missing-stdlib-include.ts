// `C.free` (`C.calloc`, `C.atoi`, `C.EXIT_FAILURE`, …) in a file whose preamble does not
// include <stdlib.h>: cgo fails with "could not determine kind of name for C.free". C names
// resolve per file, so an #include in another file's preamble does not help; a project header
// the preamble includes does. `C.malloc` is the exception: cgo maps it to its own _CMalloc,
// declared in the prolog it adds to every preamble, so it never needs <stdlib.h>. Which
// headers a file includes is the preprocessor's answer (cpp.ts): only branches gcc compiles for
// the target count, and a branch it cannot decide counts as included.
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { cText } from '../cgo/directives';
import type { Fix, TextEdit } from '../cgo/findings';
import { goGap, goUsesOfC } from '../cgo/gosyntax';
import { unknownCNameError } from '../cgo/goversion';
import type { CgoFile, CgoImport } from '../cgo/package';
import { toSource, type Preamble } from '../cgo/preamble';
import type { Rule, RuleContext, RuleFinding } from './rule';

/**
 * What <stdlib.h> declares (glibc, default feature macros), each checked with gcc 12 to be
 * undeclared without it. `malloc` is left out: cgo provides C.malloc itself.
 */
export const stdlibNames: ReadonlySet<string> = new Set([
  'abort', 'abs', 'aligned_alloc', 'arc4random', 'at_quick_exit', 'atexit', 'atof', 'atoi', 'atol', 'atoll',
  'bsearch', 'calloc', 'clearenv', 'div', 'drand48', 'exit', 'free', 'getenv', 'labs', 'ldiv', 'llabs', 'lldiv',
  'lrand48', 'mblen', 'mbstowcs', 'mbtowc', 'mkdtemp', 'mkstemp', 'posix_memalign', 'putenv', 'qsort',
  'quick_exit', 'rand', 'rand_r', 'random', 'realloc', 'reallocarray', 'realpath', 'setenv', 'srand', 'srand48',
  'srandom', 'strtod', 'strtof', 'strtol', 'strtold', 'strtoll', 'strtoul', 'strtoull', 'system', 'unsetenv',
  'wcstombs', 'wctomb',
  'EXIT_FAILURE', 'EXIT_SUCCESS', 'RAND_MAX', 'MB_CUR_MAX',
  'div_t', 'ldiv_t', 'lldiv_t',
]);

/**
 * A text test that every file using one of those names passes (`C`, then the name, with only
 * spaces and comments around the dot): walking the whole Go tree for uses is far dearer.
 */
const mayUseStdlibName = new RegExp(String.raw`\bC${goGap}\.${goGap}(?:${[...stdlibNames].join('|')})\b`);

/** System headers other than <stdlib.h> that declare some of those names (glibc, checked with gcc). */
const partialDeclarers: Readonly<Record<string, ReadonlySet<string>>> = {
  'malloc.h': new Set(['calloc', 'free', 'realloc', 'reallocarray']),
};

/**
 * Standard C and common POSIX headers checked (glibc, gcc 12) to declare none of stdlibNames.
 * A system header outside this list may include <stdlib.h> itself (library headers often
 * do), so a file that includes one is not reported.
 */
const knownNotDeclaring: ReadonlySet<string> = new Set([
  'assert.h', 'complex.h', 'ctype.h', 'errno.h', 'fenv.h', 'float.h', 'inttypes.h', 'iso646.h', 'limits.h',
  'locale.h', 'math.h', 'setjmp.h', 'signal.h', 'stdalign.h', 'stdarg.h', 'stdatomic.h', 'stdbool.h',
  'stddef.h', 'stdint.h', 'stdio.h', 'stdnoreturn.h', 'string.h', 'tgmath.h', 'threads.h', 'time.h',
  'uchar.h', 'wchar.h', 'wctype.h',
  'unistd.h', 'fcntl.h', 'sys/types.h', 'sys/stat.h', 'pthread.h', 'dlfcn.h', 'dirent.h', 'sys/time.h',
  'sys/socket.h', 'netinet/in.h', 'arpa/inet.h', 'netdb.h', 'poll.h', 'termios.h', 'sys/mman.h', 'sys/wait.h',
  'strings.h', 'sys/ioctl.h', 'sys/uio.h', 'sys/resource.h', 'sys/select.h', 'sched.h', 'semaphore.h',
  'syslog.h', 'pwd.h', 'grp.h', 'glob.h', 'regex.h', 'fnmatch.h', 'libgen.h', 'utime.h', 'sys/utsname.h',
  'sys/un.h', 'net/if.h', 'ifaddrs.h', 'langinfo.h', 'iconv.h', 'spawn.h', 'err.h', 'getopt.h', 'alloca.h',
  'endian.h', 'search.h', 'sys/file.h', 'sys/param.h', 'sys/statvfs.h', 'sys/epoll.h', 'sys/eventfd.h',
]);

export const missingStdlibInclude: Rule = {
  id: 'missing-stdlib-include',
  defaultSeverity: 'error',
  caughtBy: 'cgo',
  summary: 'C.free, C.calloc, C.atoi, … used in a file whose preamble does not include <stdlib.h>.',
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const file of ctx.pkg.files) {
      if (file.isTest) continue;
      const imp = file.imports.find((i) => i.preamble && !i.name) ?? file.imports.find((i) => !i.name);
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
      const siblings = ctx.pkg.files.filter((other) => other !== file && other.imports.some((i) => i.preamble) && ctx.includes(other).system.some((s) => s.name === 'stdlib.h'));
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

/**
 * For a fix that adds a use of `C.<name>` (a stdlib name) to a file: the edit adding
 * `#include <stdlib.h>` when the file's preamble does not provide the name, undefined when it
 * does or may (a header not read, a system header that may include <stdlib.h>), null when the
 * include is needed but no edit can add it.
 */
export function stdlibIncludeFor(ctx: RuleContext, file: CgoFile, name: string): TextEdit | undefined | null {
  const imp = file.imports.find((i) => i.preamble && !i.name) ?? file.imports.find((i) => !i.name);
  if (!imp) return null;
  const walk = ctx.includes(file);
  if (walk.unknown) return undefined;
  const systemHeaders = walk.system.map((header) => header.name);
  if (systemHeaders.some((header) => header === 'stdlib.h' || !knownNotDeclaring.has(header) || partialDeclarers[header]?.has(name))) return undefined;
  if (ctx.cScope(file).names.has(name)) return undefined;
  return addStdlibInclude(ctx.cParser, file, imp)?.edits[0] ?? null;
}

const allocators = new Set(['free', 'calloc', 'realloc', 'reallocarray', 'aligned_alloc', 'posix_memalign']);

/** A comment cgo does not take as the preamble is not preprocessed: its #include lines as written. */
function includesStdlib(text: string): boolean {
  return /^[ \t]*#[ \t]*include[ \t]*[<"]stdlib\.h[>"]/m.test(text);
}

/** Top-level preamble items the new #include may follow: feature macros (`#define _GNU_SOURCE`) must stay first. */
const mayPrecedeInclude = new Set(['comment', 'preproc_def', 'preproc_function_def', 'preproc_call']);

/**
 * The one edit that adds `#include <stdlib.h>`: before the preamble's first item that is not a
 * #define, #undef, #pragma or comment (so feature-test macros still come before every system
 * header), else at the end of the preamble; with no preamble, a new `//` line above import "C".
 * Every use in the file gets this same edit, so applying all of them adds one line.
 */
function addStdlibInclude(parser: Parser, file: CgoFile, imp: CgoImport): Fix | undefined {
  const edit = imp.preamble ? insertIntoPreamble(parser, file, imp.preamble) : newPreamble(file, imp);
  return edit && { title: 'Add #include <stdlib.h>', preferred: true, edits: [edit] };
}

function insertIntoPreamble(parser: Parser, file: CgoFile, preamble: Preamble): TextEdit | undefined {
  const eol = file.lines.eol;
  const tree = parser.parse(cText(preamble));
  let anchor: number | undefined;
  try {
    const first = tree?.rootNode.namedChildren.find((item) => !!item && !mayPrecedeInclude.has(item.type));
    anchor = first?.startIndex;
  } finally {
    tree?.delete();
  }
  const line = anchor === undefined ? undefined : preamble.lines.find((l) => l.start <= anchor! && anchor! <= l.end);
  if (line) {
    const at = toSource(preamble, line.start);
    if (line.fromLineComment) {
      const slashes = at - 2;
      const lineStart = file.lines.lineStarts[file.lines.lineOf(slashes)];
      const indent = file.text.slice(lineStart, slashes);
      if (/^[ \t]*$/.test(indent)) return { file: file.path, start: lineStart, end: lineStart, newText: `${indent}// #include <stdlib.h>${eol}` };
      return { file: file.path, start: slashes, end: slashes, newText: `// #include <stdlib.h>${eol}` };
    }
    const indent = /^[ \t]*/.exec(line.text)![0];
    const start = toSource(preamble, line.start + indent.length);
    return { file: file.path, start, end: start, newText: `#include <stdlib.h>${eol}${indent}` };
  }
  // Nothing but macros and comments: append.
  const last = preamble.group.comments[preamble.group.comments.length - 1];
  if (!last.block) {
    const lineStart = file.lines.lineStarts[last.startLine];
    const indent = file.text.slice(lineStart, last.start);
    return { file: file.path, start: last.end, end: last.end, newText: `${eol}${/^[ \t]*$/.test(indent) ? indent : ''}// #include <stdlib.h>` };
  }
  const tail = preamble.text.slice(preamble.text.lastIndexOf('\n') + 1);
  if (preamble.text.includes('\n') && tail.trim() === '') {
    const start = toSource(preamble, preamble.text.length - tail.length);
    return { file: file.path, start, end: start, newText: `#include <stdlib.h>${eol}` };
  }
  const end = last.end - 2;
  return { file: file.path, start: end, end, newText: `${eol}#include <stdlib.h>${eol}` };
}

/** `// #include <stdlib.h>` on its own line right above the "C" spec (inside the parentheses when grouped). */
function newPreamble(file: CgoFile, imp: CgoImport): TextEdit | undefined {
  const at = imp.specList ? imp.spec.start : imp.decl.start;
  const lineStart = file.lines.lineStarts[file.lines.lineOf(at)];
  const indent = file.text.slice(lineStart, at);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  return { file: file.path, start: lineStart, end: lineStart, newText: `${indent}// #include <stdlib.h>${file.lines.eol}` };
}

