// `C.free` (`C.calloc`, `C.atoi`, `C.EXIT_FAILURE`, …) in a file whose preamble does not
// include <stdlib.h>: cgo fails with "could not determine kind of name for C.free". C names
// resolve per file, so an #include in another file's preamble does not help; a project header
// the preamble includes does. `C.malloc` is the exception: cgo maps it to its own _CMalloc,
// declared in the prolog it adds to every preamble, so it never needs <stdlib.h>.
//
// The helpers at the end (the #include walk, the Go uses of C names) are shared with
// export-with-definitions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { findPreambleProse, withCTree } from '../cgo/c';
import { TextKeyedCache } from '../cgo/textCache';
import { cText } from '../cgo/directives';
import type { Fix, TextEdit } from '../cgo/findings';
import { goGap } from '../cgo/gosyntax';
import { unknownCNameError } from '../cgo/goversion';
import { includeDirs } from '../cgo/headers';
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
      const walk = walkIncludes(ctx, file);
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
      const siblings = ctx.pkg.files.filter((other) => other !== file && other.imports.some((i) => i.preamble && includesStdlib(i.preamble.text)));
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
  const walk = walkIncludes(ctx, file);
  if (walk.unknown) return undefined;
  const systemHeaders = walk.system.map((s) => s.name);
  if (systemHeaders.some((header) => header === 'stdlib.h' || !knownNotDeclaring.has(header) || partialDeclarers[header]?.has(name))) return undefined;
  if (ctx.cScope(file).names.has(name)) return undefined;
  return addStdlibInclude(ctx.cParser, file, imp)?.edits[0] ?? null;
}

const allocators = new Set(['free', 'calloc', 'realloc', 'reallocarray', 'aligned_alloc', 'posix_memalign']);

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

// ---------------------------------------------------------------------------------------------
// Shared helpers.

export interface GoCUse {
  name: string;
  /** The whole `C.name` in the .go file. */
  start: number;
  end: number;
  /** `C.name(...)`: a call, as opposed to a value or a type. */
  isCall: boolean;
}

/** Every `C.name` of a file (selectors and qualified types), in source order. */
export function goUsesOfC(file: CgoFile): GoCUse[] {
  const uses: GoCUse[] = [];
  for (const node of file.tree.rootNode.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!node) continue;
    const isSelector = node.type === 'selector_expression';
    const qualifier = isSelector ? node.childForFieldName('operand') : node.childForFieldName('package');
    const name = isSelector ? node.childForFieldName('field') : node.childForFieldName('name');
    if (!qualifier || !name || qualifier.text !== 'C' || !(qualifier.type === 'identifier' || qualifier.type === 'package_identifier')) continue;
    const parent = node.parent;
    const isCall = isSelector && parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id;
    uses.push({ name: name.text, start: node.startIndex, end: node.endIndex, isCall });
  }
  return uses.sort((a, b) => a.start - b.start);
}

/** An `#include` directive of a preamble, in .go file offsets. */
export interface IncludeSite {
  start: number;
  end: number;
  /** The name as written, without quotes or brackets. */
  name: string;
}

export interface IncludeWalk {
  /** Project headers reached (found in the package directory or a -I directory), with the preamble #include that leads to each. */
  headers: { path: string; text: string; via: IncludeSite }[];
  /** Includes found in no project directory: system headers, by their name as written. */
  system: { name: string; via: IncludeSite }[];
  /** Some #include could not be followed: a computed include, or the walk's limits. */
  unknown: boolean;
}

const maxHeaders = 200;
const maxDepth = 16;

/**
 * The files a .go file's preamble includes, found as headers.ts finds them (package
 * directory, then -I flags; `"x"` also next to the including header). Every #include counts,
 * also under #if: without the preprocessor we cannot tell which branch is taken.
 */
export function walkIncludes(ctx: RuleContext, file: CgoFile): IncludeWalk {
  const dirs = includeDirs(ctx.pkg.dir, ctx.flags());
  const walk: IncludeWalk = { headers: [], system: [], unknown: false };
  const seen = new Set<string>();
  const visit = (text: string, fromDir: string, depth: number, site: (include: IncludeDirective) => IncludeSite): void => {
    for (const include of includesOf(ctx.cParser, text)) {
      const via = site(include);
      if (include.name === undefined) {
        walk.unknown = true;
        continue;
      }
      const name = include.name;
      const candidates = (include.system ? dirs : [fromDir, ...dirs]).map((dir) => path.resolve(dir, name));
      const found = candidates.find((candidate) => seen.has(candidate) || ctx.readText(candidate) !== undefined);
      if (!found) {
        walk.system.push({ name: path.posix.normalize(name), via });
        continue;
      }
      if (seen.has(found)) continue;
      const headerText = ctx.readText(found);
      if (headerText === undefined || depth >= maxDepth || walk.headers.length >= maxHeaders) {
        walk.unknown = true;
        continue;
      }
      seen.add(found);
      walk.headers.push({ path: found, text: headerText, via });
      visit(headerText, path.dirname(found), depth + 1, () => via);
    }
  };
  for (const imp of file.imports) {
    const preamble = imp.preamble;
    if (!preamble) continue;
    // Its prose lines blanked, so that an #include after a prose line is still read.
    visit(findPreambleProse(ctx.cParser, preamble).blanked, path.dirname(file.path), 0, (include) => ({
      start: toSource(preamble, include.start),
      end: toSource(preamble, include.end),
      name: include.name ?? include.written,
    }));
  }
  return walk;
}

interface IncludeDirective {
  /** The directive, without its newline. */
  start: number;
  end: number;
  /** The path between the quotes or brackets; undefined for a computed include. */
  name: string | undefined;
  written: string;
  system: boolean;
}

/** The #include directives of texts seen lately: a keystroke in the Go code changes no preamble or header. */
const includesByText = new TextKeyedCache<IncludeDirective[]>(2 * 1024 * 1024);

function includesOf(parser: Parser, text: string): IncludeDirective[] {
  return includesByText.get(
    text,
    () =>
      withCTree(parser, text, (tree) => {
        const found: IncludeDirective[] = [];
        // tree-sitter-c's `#include` token is /#[ \t]*include/: asking the tree only where the
        // text spells one is far cheaper than visiting every node of a long preamble.
        for (const match of text.matchAll(/#[ \t]*include/g)) {
          const token = tree.rootNode.descendantForIndex(match.index);
          const node = token?.type === '#include' ? token.parent : null;
          if (node?.type !== 'preproc_include' || node.startIndex !== match.index) continue;
          const pathNode = node.childForFieldName('path');
          const system = pathNode?.type === 'system_lib_string';
          const name = pathNode && (pathNode.type === 'string_literal' || system) ? pathNode.text.slice(1, -1) : undefined;
          const end = node.text.endsWith('\n') ? node.endIndex - 1 : node.endIndex;
          found.push({ start: node.startIndex, end, name, written: pathNode?.text ?? '', system });
        }
        return found;
      }) ?? [],
  );
}

/** The non-Go source files of the package directory the go command compiles or that C code includes. */
export function cSourceFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => /\.(c|cc|cpp|cxx|m|mm|s|S|sx|f|F|for|f90|swig|swigcxx|h|hh|hpp|hxx)$/.test(name))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** A whole-word occurrence of a C name in a text. */
export function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '')}($|[^A-Za-z0-9_])`).test(text);
}
