// The C compiler's own view of each preamble: the file's preamble compiled the way cmd/cgo and
// the go command compile it, with `-fsyntax-only`, and the compiler's errors and warnings mapped
// back to the .go file. Starting the compiler runs a program of the machine's: callers allow it
// in trusted workspaces only (`mayRun`, asked right before any process starts).
//
// What the go command does (Go 1.19.8 and 1.26.8 alike):
// - The compiler is `go env CC` (cmd/go's cfg, $CC, else gcc), split like a shell would
//   without expansions (cmd/internal/quoted.Split). Without a go command: $CC, else gcc, else
//   clang on PATH.
// - cmd/cgo (gcc.go, gccErrors) compiles builtinProlog + the file's preamble with `-w`, so a
//   build that fails on the preamble prints only errors; when it passes, cmd/go compiles each
//   `x.cgo2.c` (builtinProlog, the preamble, cgo's wrappers for the C functions Go calls) with
//   `gcc -I <pkgdir> -fPIC -m64 -pthread … -fmessage-length=0 … CGO_CPPFLAGS #cgo CPPFLAGS
//   pkg-config --cflags CGO_CFLAGS #cgo CFLAGS` (exec.go, compilerCmd and getCgoFlags;
//   CGO_CFLAGS defaults to "-O2 -g"), which prints the warnings. So: errors, else warnings.
// - The preamble is preceded by `#line N "<abs path of the .go file>"`, N the line of the
//   comment's first line (ast.go, ParseGo): gcc's lines count preamble lines from there.
// Compiled to assembly thrown away (`-S -o /dev/null`), not `-fsyntax-only`: gcc 12 gives some
// of the warnings go build prints only when it generates code (-Wunused-function, "defined but
// not used", and its optimisers' -Wmaybe-uninitialized and friends).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostTarget, type BuildTarget } from './constraints';
import { cText } from './directives';
import type { CompilerFinding, CompilerSource, RelatedLocation } from './findings';
import { goGetenv } from './goGetenv';
import { cNameOf, isCgoOwnFunction } from './gotypes';
import type { GoEnvAnswer } from './goversion';
import { readRegularFile } from './files';
import { parseSearchList } from './sysdirs';
import { includeDirs, maxHeaderBytes } from './cpp';
import type { CgoFile, CgoPackage, PackageFlags } from './package';
import type { PkgConfig } from './pkgconfig';
import type { ChildProcesses, ProcessRun } from './processes';
import { toSource, toSourceEnd, type Preamble } from './preamble';
import { LineIndex } from './text';
import { TextKeyedCache } from './cache';

/** cmd/cgo's builtinProlog (out.go; identical in Go 1.19.8 and 1.26.8): what every preamble is compiled after. */
const builtinProlog = `
#line 1 "cgo-builtin-prolog"
#include <stddef.h>

/* Define intgo when compiling with GCC.  */
typedef ptrdiff_t intgo;

#define GO_CGO_GOSTRING_TYPEDEF
typedef struct { const char *p; intgo n; } _GoString_;
typedef struct { char *p; intgo n; intgo c; } _GoBytes_;
_GoString_ GoString(char *p);
_GoString_ GoStringN(char *p, int l);
_GoBytes_ GoBytes(void *p, int n);
char *CString(_GoString_);
void *CBytes(_GoBytes_);
void *_CMalloc(size_t);

__attribute__ ((unused))
static size_t _GoStringLen(_GoString_ s) { return (size_t)s.n; }

__attribute__ ((unused))
static const char *_GoStringPtr(_GoString_ s) { return s.p; }
`;

/**
 * Where our own lines go: cgo's wrappers call every C function Go calls, so a `static`
 * function called only from Go is used. A use per called name stands in for them; whatever
 * the compiler says about these lines (a name that is a type, say) is ours, not the user's.
 */
const usesFile = 'cgo-lint-uses';
const generatedFiles = new Set(['cgo-builtin-prolog', 'cgo-generated-wrapper', 'cgo-dwarf-inference', 'cgo-gcc-prolog', usesFile, '<stdin>']);
const cSelector = /\bC(?:\s|\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\/)*\.\s*([A-Za-z_]\w*)(\s*\()?/g;
/** The C spelling of a `C.name` (cmd/cgo's Name.C), undefined for cgo's own names. */
function cSpelling(name: string): string | undefined {
  // cgo's own names and the ones it rewrites: nothing of the preamble's.
  if (isCgoOwnFunction(name) || name.startsWith('sizeof_')) return undefined;
  return cNameOf(name);
}

export interface CCompiler {
  /** The command and the arguments that came with it (`go env CC` may say "gcc -m32"). */
  argv: string[];
  kind: 'gcc' | 'clang';
  /** __GNUC__ / __clang_major__. */
  major: number;
  /** CGO_CPPFLAGS and CGO_CFLAGS as the go command sees them. */
  envCppFlags: string[];
  envCFlags: string[];
  /** Where `#include <…>` looks, as `cc -E -v` printed it with those flags; empty when it printed none. */
  searchList: string[];
}

export function compilerSource(compiler: CCompiler): CompilerSource {
  return compiler.kind === 'clang' ? 'cgo (clang)' : 'cgo (gcc)';
}

/** cmd/internal/quoted.Split: fields split at spaces, '…' and "…" keep spaces, no escapes. */
export function splitQuotedFields(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quote = '';
  let inField = false;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
      else field += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inField = true;
    } else if (/\s/.test(c)) {
      if (inField) fields.push(field);
      field = '';
      inField = false;
    } else {
      field += c;
      inField = true;
    }
  }
  if (inField) fields.push(field);
  return fields;
}

/** One file's preamble(s) as the compiler gets them, and how to map its answer back. */
export interface CompileUnit {
  file: CgoFile;
  dir: string;
  input: string;
  /** Compiler arguments without the compiler itself. */
  args: string[];
  preambles: { preamble: Preamble; firstLine: number }[];
  /** Where #include looks in the project (the package dir, -I flags): errors there are the user's. */
  projectDirs: string[];
  /**
   * Whether cmd/cgo compiles the preamble itself (it does to look up C names, with -w): then a
   * failing preamble shows only errors. Without names, cmd/go's compile (no -w) shows both.
   */
  looksUpNames: boolean;
}

/** What the compiler printed for one diagnostic, as it printed it. */
export interface RawDiagnostic {
  file: string;
  line: number;
  /** 1-based byte column; 0 when none was printed. */
  column: number;
  severity: 'error' | 'warning' | 'note';
  /** `fatal error` stops the compiler: nothing after it was checked. */
  fatal: boolean;
  message: string;
  /** "In file included from", innermost first. */
  includedFrom: { file: string; line: number }[];
  notes: RawDiagnostic[];
}

export interface UnitResult {
  file: string;
  findings: CompilerFinding[];
  /** Whether the compiler read the whole preamble (no fatal error stopped it). */
  complete: boolean;
  /** 0-based .go lines holding a compiler error in the preamble itself. */
  errorLines: number[];
  /** Headers read, with their mtimes, for the cache. */
  headers: { path: string; mtimeMs: number }[];
}

/**
 * cmd/go's gccArchArgs (exec.go, Go 1.26.8) for the hosts a compiler here builds for; the MIPS
 * ones, which depend on GOMIPS, are left out.
 */
function archArgs(target: BuildTarget): string[] {
  const darwin = target.goos === 'darwin';
  switch (target.goarch) {
    case '386':
      return ['-m32'];
    case 'amd64':
      return darwin ? ['-arch', 'x86_64', '-m64'] : ['-m64'];
    case 'arm64':
      return darwin ? ['-arch', 'arm64'] : [];
    case 'arm':
      return ['-marm'];
    case 's390x':
      return ['-m64', '-march=z13'];
    case 'loong64':
      return ['-mabi=lp64d'];
    case 'ppc64':
      return target.goos === 'aix' ? ['-maix64'] : [];
    default:
      return [];
  }
}

/**
 * The compile units of a package: one per non-test file the target builds that has a
 * preamble, each compiled with the package's flags.
 */
export function compileUnits(pkg: CgoPackage, flags: PackageFlags, compiler: CCompiler, pkgConfigCFlags: string[]): CompileUnit[] {
  const target: BuildTarget = pkg.target;
  const units: CompileUnit[] = [];
  const projectDirs = includeDirs(pkg.dir, flags);
  const args = [
    // C unless the user's flags say otherwise: cmd/cgo's gccCmd (gcc.go, Go 1.26.8 and 1.19.8)
    // puts -xc before p.GccOptions, so `#cgo CFLAGS: -x objective-c` makes the preamble
    // Objective-C in every compile of the build.
    '-x',
    'c',
    '-I',
    pkg.dir,
    ...(target.goos === 'windows' ? ['-mthreads'] : ['-fPIC', '-pthread']),
    ...archArgs(target),
    '-fmessage-length=0',
    ...compiler.envCppFlags,
    ...flags.CPPFLAGS,
    ...pkgConfigCFlags,
    ...compiler.envCFlags,
    ...flags.CFLAGS,
    // Ours come last, so that nothing of the user's undoes them.
    '-S',
    '-o',
    os.devNull,
    '-fdiagnostics-color=never',
    ...(compiler.kind === 'clang'
      ? ['-fno-caret-diagnostics', '-ferror-limit=0', '-Qunused-arguments', '-fno-builtin']
      : ['-fno-diagnostics-show-caret', ...(compiler.major >= 11 ? ['-fdiagnostics-column-unit=byte'] : [])]),
    '-H',
    '-',
  ];
  for (const file of pkg.files) {
    if (file.isTest || !file.included) continue;
    const preambles = file.imports.filter((imp) => imp.preamble && !imp.name).map((imp) => imp.preamble as Preamble);
    if (preambles.length === 0) continue;
    let input = builtinProlog;
    const mapped: CompileUnit['preambles'] = [];
    for (const preamble of preambles) {
      const firstLine = preamble.group.startLine + 1;
      input += `#line ${firstLine} ${JSON.stringify(file.path)}\n${cText(preamble)}\n#line 1 "cgo-generated-wrapper"\n`;
      mapped.push({ preamble, firstLine });
    }
    const called = new Set<string>();
    const named = new Set<string>();
    for (const match of file.text.matchAll(cSelector)) {
      const spelling = cSpelling(match[1]);
      if (!spelling) continue;
      named.add(match[1]);
      if (match[2] && spelling === match[1]) called.add(match[1]);
    }
    // What the compiler reads right after the preamble decides its message for an unfinished
    // last line. With C names to look up, go build prints cmd/cgo's DWARF run (gcc.go,
    // loadDWARF: `__typeof__(name) *__cgo__0;` for the first name in sorted order); without,
    // cmd/go's compile of x.cgo2.c, where gccProlog's first declaration follows.
    const first = [...named].sort()[0];
    input += first
      ? `#line 1 "cgo-dwarf-inference"\n__typeof__(${cSpelling(first)}) *__cgo__0;\n`
      : `#line 1 "cgo-gcc-prolog"\ntypedef char _cgo_sizeof_char_is_not_1[1];\n`;
    input += `#line 1 "${usesFile}"\n`;
    let n = 0;
    for (const name of called) input += `void __cgo_lint_use_${n++}(void) { (void)(${name}); }\n`;
    units.push({ file, dir: pkg.dir, input, args, preambles: mapped, projectDirs, looksUpNames: named.size > 0 });
  }
  return units;
}

const diagnosticLine = /^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning|note): (.*)$/;
const includedFromLine = /^(?:In file included from|\s+from) (.+?):(\d+)(?::\d+)?[,:]$/;
const headerTraceLine = /^\.+ (.+)$/;

/** gcc's and clang's diagnostics (LC_ALL=C, no carets), and the headers -H listed. */
export function parseCompilerOutput(stderr: string): { diagnostics: RawDiagnostic[]; headers: string[] } {
  const diagnostics: RawDiagnostic[] = [];
  const headers: string[] = [];
  // Both print the include chain before a header's first diagnostic only (gcc: "In file
  // included from a.h:1,\n from x.go:5:", clang: one "In file included from" line per level);
  // the diagnostics after it in the same header share it.
  let pending: RawDiagnostic['includedFrom'] = [];
  let lastChain: RawDiagnostic['includedFrom'] = [];
  let lastFile = '';
  let previous: RawDiagnostic | undefined;
  for (const line of stderr.split('\n')) {
    const trace = headerTraceLine.exec(line);
    if (trace) {
      headers.push(trace[1]);
      continue;
    }
    const from = includedFromLine.exec(line);
    if (from) {
      pending.push({ file: from[1], line: Number(from[2]) });
      continue;
    }
    const m = diagnosticLine.exec(line);
    if (!m) continue;
    const includedFrom = pending.length > 0 ? pending : m[1] === lastFile ? lastChain : [];
    pending = [];
    lastFile = m[1];
    lastChain = includedFrom;
    const severity = m[4] === 'note' ? 'note' : m[4] === 'warning' ? 'warning' : 'error';
    const diagnostic: RawDiagnostic = {
      file: m[1],
      line: Number(m[2]),
      column: m[3] ? Number(m[3]) : 0,
      severity,
      fatal: m[4] === 'fatal error',
      message: m[5],
      includedFrom,
      notes: [],
    };
    if (severity === 'note' && previous) previous.notes.push(diagnostic);
    else {
      diagnostics.push(diagnostic);
      previous = diagnostic;
    }
  }
  return { diagnostics, headers };
}

/** A 1-based byte column of a line as an index into the line's text. */
function byteColumnToIndex(text: string, column: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length && bytes < column - 1) {
    const code = text.codePointAt(index) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code >= 0x10000 ? 2 : 1;
  }
  return index;
}

/** The span a compiler column points at: the identifier or number there, else one character. */
function tokenEnd(text: string, index: number): number {
  const word = /^[A-Za-z0-9_]+/.exec(text.slice(index));
  return index + (word ? word[0].length : Math.min(1, text.length - index));
}

function within(file: string, dirs: string[]): boolean {
  return dirs.some((dir) => {
    const relative = path.relative(dir, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}

/** Turns the compiler's output for a unit into findings on the .go file. */
export function unitResult(unit: CompileUnit, stderr: string, source: CompilerSource, readText: (file: string) => string | undefined): UnitResult {
  const { diagnostics, headers } = parseCompilerOutput(stderr);
  const goPath = unit.file.path;
  const resolve = (file: string): string => path.resolve(unit.dir, file);
  /** The preamble line a compiler line of the .go file is, and that line's text span. */
  const preambleLine = (line: number): { preamble: Preamble; index: number } | undefined => {
    for (const { preamble, firstLine } of unit.preambles) {
      const index = line - firstLine;
      if (index >= 0 && index < preamble.lines.length) return { preamble, index };
    }
    return undefined;
  };
  const inPreamble = (line: number, column: number): { start: number; end: number } | undefined => {
    const at = preambleLine(line);
    if (!at) return undefined;
    const preambleText = cText(at.preamble);
    const pline = at.preamble.lines[at.index];
    const text = preambleText.slice(pline.start, pline.end);
    if (column === 0) {
      const indent = text.length - text.trimStart().length;
      return { start: toSource(at.preamble, pline.start + indent), end: toSourceEnd(at.preamble, pline.start + Math.max(indent + 1, text.trimEnd().length)) };
    }
    const index = Math.min(byteColumnToIndex(text, column), text.length);
    return { start: toSource(at.preamble, pline.start + index), end: toSourceEnd(at.preamble, pline.start + Math.max(tokenEnd(text, index), index)) };
  };
  const headerLocation = (d: RawDiagnostic): RelatedLocation | undefined => {
    const file = resolve(d.file);
    const text = readText(file);
    if (text === undefined) return undefined;
    const lines = new LineIndex(text);
    const lineNumber = Math.min(Math.max(d.line - 1, 0), lines.lineCount - 1);
    const lineStart = lines.lineStarts[lineNumber];
    const lineText = lines.lineText(lineNumber);
    const index = d.column > 0 ? byteColumnToIndex(lineText, d.column) : 0;
    return { file, start: lineStart + index, end: lineStart + tokenEnd(lineText, index), message: d.message };
  };
  const related = (d: RawDiagnostic): RelatedLocation[] => {
    const out: RelatedLocation[] = [];
    for (const note of d.notes) {
      if (generatedFiles.has(note.file)) continue;
      if (resolve(note.file) === goPath) {
        const span = inPreamble(note.line, note.column);
        if (span) out.push({ file: goPath, ...span, message: note.message });
      } else {
        const location = headerLocation(note);
        if (location) out.push(location);
      }
    }
    return out;
  };
  // Our own lines fail for names that are types (`C.size_t(n)` looks like a call): not the user's errors.
  const hasErrors = diagnostics.some((d) => d.severity === 'error' && !generatedFiles.has(d.file));
  const findings: CompilerFinding[] = [];
  const errorLines = new Set<number>();
  const systemHeaderLines = new Set<number>();
  for (const d of diagnostics) {
    // go build shows warnings only when nothing failed (cgo compiles with -w first).
    if (d.severity === 'note' || (hasErrors && unit.looksUpNames && d.severity === 'warning')) continue;
    if (generatedFiles.has(d.file)) continue;
    const severity = d.severity === 'error' ? 'error' : 'warning';
    if (resolve(d.file) === goPath) {
      const span = inPreamble(d.line, d.column);
      if (!span) continue;
      if (severity === 'error') errorLines.add(unit.file.lines.lineOf(span.start));
      findings.push({ source, severity, file: goPath, ...span, message: d.message, related: related(d) });
      continue;
    }
    // In a header: shown on the #include line of the preamble that brought it in.
    const include = d.includedFrom.find((from) => !generatedFiles.has(from.file) && resolve(from.file) === goPath);
    if (!include) continue;
    const span = inPreamble(include.line, 0);
    if (!span) continue;
    const header = resolve(d.file);
    const project = within(header, unit.projectDirs);
    // A system header breaks because of what came before it: its first complaint says enough.
    if (!project) {
      if (systemHeaderLines.has(include.line)) continue;
      systemHeaderLines.add(include.line);
    }
    const location = headerLocation(d);
    const shown = project ? path.relative(unit.dir, header) : header;
    findings.push({
      source,
      severity,
      file: goPath,
      ...span,
      message: `${d.message} (in ${shown}:${d.line}${d.column ? `:${d.column}` : ''})`,
      related: [...(location ? [location] : []), ...related(d)],
    });
  }
  const seenHeaders = new Set<string>();
  const headerStamps: UnitResult['headers'] = [];
  for (const header of headers) {
    const file = resolve(header);
    if (seenHeaders.has(file)) continue;
    seenHeaders.add(file);
    headerStamps.push({ path: file, mtimeMs: mtimeOf(file) });
  }
  return {
    file: goPath,
    findings,
    complete: !diagnostics.some((d) => d.fatal),
    errorLines: [...errorLines].sort((a, b) => a - b),
    headers: headerStamps,
  };
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export interface CompilerOptions {
  /** Asked right before a process would start; false means none is started. */
  mayRun: () => boolean;
  /** The owner's processes: every process is started through them. */
  processes: ChildProcesses;
  /** The owner's one `go env` answer (CC, CGO_CPPFLAGS, CGO_CFLAGS); undefined without a go command. */
  goEnv: () => Promise<GoEnvAnswer | undefined>;
  env?: NodeJS.ProcessEnv;
  /** How long one compile may take before it is killed. */
  timeoutMs?: number;
  /** Compiler processes at a time. */
  maxProcesses?: number;
  /** Told once when the compiler is found (the system headers' search list comes with it). */
  onFound?: (compiler: CCompiler) => void;
  /** Told of every process started (the compiler), once it ended: the server logs them. */
  onRun?: (run: ProcessRun) => void;
}

/** The C compiler of the machine, found once and asked per preamble, with results cached. */
export class PreambleCompiler {
  private found: Promise<CCompiler | undefined> | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly maxProcesses: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** Per compile (command line + input), the last result and the headers it read. */
  private readonly cache = new TextKeyedCache<{ result?: Omit<UnitResult, 'findings'> & { stderr: string } }>(8 * 1024 * 1024);

  constructor(private readonly options: CompilerOptions) {
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxProcesses = options.maxProcesses ?? 2;
  }

  /** The compiler, once found; undefined before, without one, or where none may run. */
  known: CCompiler | undefined;
  /** Whether the search for a compiler has ended (found or not). */
  searched = false;

  /** Whether a compiler may be started now (Workspace Trust). */
  allowed(): boolean {
    return this.options.mayRun();
  }

  /** The compiler to use; undefined when none is found or none may run. Found once. */
  compiler(): Promise<CCompiler | undefined> {
    if (!this.options.mayRun()) return Promise.resolve(undefined);
    this.found ??= this.find().then((compiler) => {
      this.searched = true;
      if (compiler) this.options.onFound?.(compiler);
      return (this.known = compiler);
    });
    return this.found;
  }

  /** The result for a unit if it is known and no header it read has changed since; never starts a process. */
  cached(unit: CompileUnit, compiler: CCompiler, readText: (file: string) => string | undefined): UnitResult | undefined {
    const holder = this.cache.get(cacheKey(unit, compiler), () => ({}));
    const known = holder.result;
    if (!known || !known.headers.every((h) => mtimeOf(h.path) === h.mtimeMs)) return undefined;
    return unitResult(unit, known.stderr, compilerSource(compiler), readText);
  }

  /** Compiles a unit (at most maxProcesses at a time); undefined when aborted, timed out or not allowed. */
  async compile(unit: CompileUnit, compiler: CCompiler, readText: (file: string) => string | undefined, signal?: AbortSignal): Promise<UnitResult | undefined> {
    const hit = this.cached(unit, compiler, readText);
    if (hit) return hit;
    if (!includesEnd(unit)) return undefined;
    await this.slot();
    try {
      if (signal?.aborted || !this.options.mayRun()) return undefined;
      const stderr = await this.run(compiler.argv[0], [...compiler.argv.slice(1), ...unit.args], unit.input, unit.dir, signal);
      if (stderr === undefined) return undefined;
      const result = unitResult(unit, stderr, compilerSource(compiler), readText);
      // A missing header may be created any moment: such an answer is not kept.
      if (!/No such file or directory|file not found/.test(stderr)) {
        const { findings: _findings, ...kept } = result;
        this.cache.get(cacheKey(unit, compiler), () => ({})).result = { ...kept, stderr };
      }
      return result;
    } finally {
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.maxProcesses) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(() => resolve()));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  /**
   * `go env` CC, CGO_CPPFLAGS and CGO_CFLAGS (the owner's one ask), else $CC, gcc or clang on
   * PATH; then what it is (cgo asks `-E -dM` too) and where it finds system headers (`-E -v`).
   */
  private async find(): Promise<CCompiler | undefined> {
    const goEnv = await this.options.goEnv();
    const getenv = goGetenv(this.env);
    let cc: string[];
    let cppflags: string[];
    let cflags: string[];
    if (goEnv !== undefined) {
      cc = splitQuotedFields(goEnv.cc);
      cppflags = splitQuotedFields(goEnv.cppflags);
      cflags = splitQuotedFields(goEnv.cflags);
    } else {
      const fromEnv = splitQuotedFields(getenv('CC'));
      cc = fromEnv.length > 0 ? fromEnv : [onPath('gcc', this.env) ? 'gcc' : onPath('clang', this.env) ? 'clang' : ''].filter(Boolean);
      cppflags = splitQuotedFields(getenv('CGO_CPPFLAGS'));
      cflags = splitQuotedFields(getenv('CGO_CFLAGS') || '-O2 -g');
    }
    if (cc.length === 0 || !this.options.mayRun()) return undefined;
    const probe = await this.output(cc[0], [...cc.slice(1), '-E', '-dM', '-x', 'c', '-'], '', undefined);
    if (!probe || probe.code !== 0) return undefined;
    const define = (name: string): number | undefined => {
      const m = new RegExp(`^#define ${name} (\\d+)$`, 'm').exec(probe.stdout);
      return m ? Number(m[1]) : undefined;
    };
    const clang = define('__clang__') !== undefined;
    // The system headers' search list as go build's compiles have it (the flags can add to it: -isystem, --sysroot).
    const verbose = this.options.mayRun() ? await this.output(cc[0], [...cc.slice(1), ...archArgs(hostTarget()), ...cppflags, ...cflags, '-E', '-v', '-x', 'c', os.devNull], '', undefined) : undefined;
    const searchList = verbose?.code === 0 ? parseSearchList(verbose.stderr) : [];
    return { argv: cc, kind: clang ? 'clang' : 'gcc', major: (clang ? define('__clang_major__') : define('__GNUC__')) ?? 0, envCppFlags: cppflags, envCFlags: cflags, searchList };
  }

  private async run(command: string, args: string[], input: string, cwd: string, signal?: AbortSignal): Promise<string | undefined> {
    const out = await this.output(command, args, input, cwd, signal);
    return out?.stderr;
  }

  /** Runs a command with a time limit, killed on abort; undefined when it could not run to the end. */
  private async output(command: string, args: string[], input: string, cwd: string | undefined, signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string } | undefined> {
    if (!this.options.mayRun() || signal?.aborted) return undefined;
    const started = performance.now();
    // English messages ("error:", "warning:") whatever the user's locale.
    const env = { ...this.env, LC_ALL: 'C', TERM: 'dumb' };
    const result = await this.options.processes.run(command, args, { cwd: cwd && isDirectory(cwd) ? cwd : undefined, env, input, timeoutMs: this.timeoutMs, signal });
    const outcome = result.kind !== 'exited' ? result.message : result.code === 0 ? 'ok' : `exit status ${result.code}`;
    this.options.onRun?.({ command, args, cwd, ms: Math.round(performance.now() - started), outcome });
    return result.kind === 'exited' ? result : undefined;
  }
}

const includeLine = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;

/**
 * Whether every project header the unit includes is a file a compiler reads to its end: gcc
 * would block on a FIFO or /dev/stdin, and read /dev/zero or a sparse file of gigabytes for as
 * long as it is let. Found as gcc finds them (the includer's directory for "…", then the
 * package directory and -I flags; system directories are the compiler's own), each read as
 * the include reader reads headers (regular files, bounded).
 */
function includesEnd(unit: CompileUnit): boolean {
  const seen = new Set<string>();
  const pending: { text: string; dir: string; depth: number }[] = unit.preambles.map(({ preamble }) => ({ text: cText(preamble), dir: path.dirname(unit.file.path), depth: 0 }));
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const [, delimiter, name] of next.text.matchAll(includeLine)) {
      const candidates = path.isAbsolute(name) ? [name] : (delimiter === '"' ? [next.dir, ...unit.projectDirs] : unit.projectDirs).map((dir) => path.join(dir, name));
      for (const candidate of candidates) {
        if (seen.has(candidate)) break;
        const read = readRegularFile(candidate, maxHeaderBytes);
        if (!read.ok && read.reason === 'no such file') continue;
        if (!read.ok) return false;
        seen.add(candidate);
        if (seen.size > 200) return false;
        if (next.depth < 16) pending.push({ text: read.data.toString('utf8'), dir: path.dirname(candidate), depth: next.depth + 1 });
        break;
      }
    }
  }
  return true;
}

function cacheKey(unit: CompileUnit, compiler: CCompiler): string {
  return JSON.stringify([compiler.argv, unit.dir, unit.args, unit.input]);
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a command is on PATH, found without starting anything. */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      try {
        fs.accessSync(path.join(dir, command + extension), fs.constants.X_OK);
        return true;
      } catch {
        // Not here.
      }
    }
  }
  return false;
}

/**
 * Where the compiler ran over a whole preamble, it is the judge of preamble-comment-bleed: a
 * finding it does not confirm is dropped. Lines of non-C text next to each other stand or fall
 * together, as gcc reports such text once and then skips what follows while it recovers (a
 * three-line licence: one error, on its first line). Confirmed: a compiler error on one of
 * them or on the line after them, where gcc meets what the text lacks (`/**` then
 * ` * #include`: "stray '#'" on the second line).
 */
export function confirmedByCompiler<F extends { file: string; start: number; rule?: string }>(findings: F[], results: UnitResult[], lineOf: (file: string, offset: number) => number): F[] {
  const judged = new Map(results.filter((r) => r.complete).map((r) => [r.file, new Set(r.errorLines)]));
  const bleedLines = new Map<string, Set<number>>();
  for (const f of findings) {
    if (f.rule !== 'preamble-comment-bleed' || !judged.has(f.file)) continue;
    const lines = bleedLines.get(f.file) ?? new Set<number>();
    lines.add(lineOf(f.file, f.start));
    bleedLines.set(f.file, lines);
  }
  return findings.filter((f) => {
    const errors = judged.get(f.file);
    if (f.rule !== 'preamble-comment-bleed' || !errors) return true;
    const lines = bleedLines.get(f.file) as Set<number>;
    let line = lineOf(f.file, f.start);
    while (lines.has(line - 1)) line--;
    for (; lines.has(line); line++) if (errors.has(line)) return true;
    return errors.has(line);
  });
}

export interface PackageCompileOptions {
  /** pkg-config for `#cgo pkg-config:` lines; without it such a package is not compiled. */
  pkgConfig?: PkgConfig;
  readText: (file: string) => string | undefined;
  signal?: AbortSignal;
}

/**
 * Why a package is not compiled, or its units: only for the host's GOOS/GOARCH (the machine's
 * compiler builds for the host; a cross build would use another), and only with the flags
 * pkg-config gives, when the package asks for them.
 */
async function packageUnits(pkg: CgoPackage, flags: PackageFlags, compiler: CCompiler, pkgConfig: PkgConfig | undefined): Promise<CompileUnit[] | undefined> {
  const host = hostTarget(pkg.target.goMinor);
  if (pkg.target.goos !== host.goos || pkg.target.goarch !== host.goarch || !pkg.target.cgoEnabled) return undefined;
  let pkgConfigCFlags: string[] = [];
  if (flags['pkg-config'].length > 0) {
    // A bad #cgo line in any file the target builds: go/build's Import returns saveCgo's error
    // (badGoError, Go 1.26.8 and 1.19.8 build.go) and the go command never runs pkg-config; no
    // flags from it, so no compile either.
    if (pkg.files.some((file) => !file.isTest && file.included && file.imports.some((imp) => imp.directives.some((directive) => directive.error)))) return undefined;
    const answer = pkgConfig ? await pkgConfig.query(flags['pkg-config'], pkg.dir) : undefined;
    if (!answer?.ok) return undefined;
    pkgConfigCFlags = answer.cflags;
  }
  return compileUnits(pkg, flags, compiler, pkgConfigCFlags);
}

/**
 * The package's results if every unit is known and its headers unchanged: no process, no
 * waiting (a keystroke in Go code leaves every preamble as it was). Packages that need
 * pkg-config are always asked for again, as asking it is asynchronous.
 */
export function cachedPackage(preambles: PreambleCompiler, compiler: CCompiler, pkg: CgoPackage, flags: PackageFlags, readText: (file: string) => string | undefined): UnitResult[] | undefined {
  const host = hostTarget(pkg.target.goMinor);
  if (flags['pkg-config'].length > 0 || pkg.target.goos !== host.goos || pkg.target.goarch !== host.goarch) return undefined;
  const results: UnitResult[] = [];
  for (const unit of compileUnits(pkg, flags, compiler, [])) {
    const known = preambles.cached(unit, compiler, readText);
    if (!known) return undefined;
    results.push(known);
  }
  return results;
}

/** Every preamble of the package compiled; undefined when none may be (no compiler, another target, aborted). */
export async function compilePackage(preambles: PreambleCompiler, pkg: CgoPackage, flags: PackageFlags, options: PackageCompileOptions): Promise<UnitResult[] | undefined> {
  const compiler = await preambles.compiler();
  if (!compiler) return undefined;
  const units = await packageUnits(pkg, flags, compiler, options.pkgConfig);
  if (!units) return undefined;
  const results = await Promise.all(units.map((unit) => preambles.compile(unit, compiler, options.readText, options.signal)));
  return results.every((r): r is UnitResult => r !== undefined) ? results : undefined;
}
