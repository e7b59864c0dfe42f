// What <stdlib.h> declares and which other system headers may declare it too, and the edit that
// adds `#include <stdlib.h>` to a preamble: facts missing-stdlib-include reports on and that
// any rule whose fix adds a use of C.free needs (served to rules as RuleContext.stdlibIncludeFor).
import type { Parser } from 'web-tree-sitter';
import { cText } from './directives';
import type { Fix, TextEdit } from './findings';
import type { CgoFile, CgoImport } from './package';
import { toSource, type Preamble } from './preamble';
import type { RuleContext } from './rule';

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

/** System headers other than <stdlib.h> that declare some of those names (glibc, checked with gcc). */
export const partialDeclarers: Readonly<Record<string, ReadonlySet<string>>> = {
  'malloc.h': new Set(['calloc', 'free', 'realloc', 'reallocarray']),
};

/**
 * Standard C and common POSIX headers checked (glibc, gcc 12) to declare none of stdlibNames.
 * A system header outside this list may include <stdlib.h> itself (library headers often
 * do), so a file that includes one is not reported.
 */
export const knownNotDeclaring: ReadonlySet<string> = new Set([
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

/** The import "C" whose preamble gets the #include: the first with a preamble, else the first at all (renamed ones aside). */
export function stdlibImport(file: CgoFile): CgoImport | undefined {
  return file.imports.find((i) => i.preamble && !i.name) ?? file.imports.find((i) => !i.name);
}

/**
 * For a fix that adds a use of `C.<name>` (a stdlib name) to a file: the edit adding
 * `#include <stdlib.h>` when the file's preamble does not provide the name, undefined when it
 * does or may (a header not read, a system header that may include <stdlib.h>), null when the
 * include is needed but no edit can add it.
 */
export function stdlibIncludeFor(ctx: Pick<RuleContext, 'includes' | 'cScope' | 'cParser'>, file: CgoFile, name: string): TextEdit | undefined | null {
  const imp = stdlibImport(file);
  if (!imp) return null;
  const walk = ctx.includes(file);
  if (walk.unknown) return undefined;
  const systemHeaders = walk.system.map((header) => header.name);
  if (systemHeaders.some((header) => header === 'stdlib.h' || !knownNotDeclaring.has(header) || partialDeclarers[header]?.has(name))) return undefined;
  if (ctx.cScope(file).names.has(name)) return undefined;
  return addStdlibInclude(ctx.cParser, file, imp)?.edits[0] ?? null;
}

/** Top-level preamble items the new #include may follow: feature macros (`#define _GNU_SOURCE`) must stay first. */
const mayPrecedeInclude = new Set(['comment', 'preproc_def', 'preproc_function_def', 'preproc_call']);

/**
 * The one edit that adds `#include <stdlib.h>`: before the preamble's first item that is not a
 * #define, #undef, #pragma or comment (so feature-test macros still come before every system
 * header), else at the end of the preamble; with no preamble, a new `//` line above import "C".
 * Every use in the file gets this same edit, so applying all of them adds one line.
 */
export function addStdlibInclude(parser: Parser, file: CgoFile, imp: CgoImport): Fix | undefined {
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

