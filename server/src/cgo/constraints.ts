// Build constraints as Go 1.19's go/build evaluates them: which files belong to a package for a
// target (Context.MatchFile) and which `#cgo` lines apply (matchAuto). Ported from
// go/build/{build,read,syslist}.go and go/build/constraint/expr.go; the Go names are kept in the
// comments so the two can be read side by side.
//
// Go works on bytes, we work on UTF-16 strings. Apart from Unicode spaces, letters and digits,
// which we match by code point as Go does by rune, every character tested for is ASCII, and a
// non-ASCII UTF-16 unit stands for UTF-8 bytes that are all >= 0x80, so the decisions come out
// the same. Where Go reports a byte offset (BuildSyntaxError.offset) we convert.
import * as os from 'os';

export interface BuildTarget {
  goos: string;
  goarch: string;
  /** N of the Go 1.N whose go command builds (goversion.ts); its release tags are releaseTags. */
  goMinor: number;
  cgoEnabled: boolean;
  /** Why cgo is off, when the go command's default turned it off (target.ts cgoDefault). */
  cgoOff?: CgoOff;
  compiler: 'gc';
  buildTags: string[];
  releaseTags: string[];
  /** go/build's ToolTags: `goexperiment.*` tags. See defaultToolTags. */
  toolTags?: string[];
}

/**
 * Why the go command builds a target without cgo: CGO_ENABLED=0 was set; the target is not the
 * host (cross-compiling); the host's default C compiler is not on PATH (Go 1.20+); or the
 * target has no cgo port.
 */
export type CgoOff =
  | { reason: 'CGO_ENABLED=0' }
  | { reason: 'cross-compiling'; host: string }
  | { reason: 'no C compiler'; compiler: string }
  | { reason: 'no cgo port' };

/** The release tags of Go 1.<goMinor>: go1.1 through go1.<goMinor> (go/build defaultContext). */
export function defaultReleaseTags(goMinor: number): string[] {
  const tags: string[] = [];
  for (let minor = 1; minor <= goMinor; minor++) tags.push(`go1.${minor}`);
  return tags;
}

/**
 * go/build's ToolTags for Go 1.<goMinor> on goos/goarch with GOEXPERIMENT and the GO$GOARCH
 * variables unset: the experiments on by default (internal/buildcfg exp.go, `baseline`) and,
 * since Go 1.20, the architecture feature levels (internal/buildcfg cfg.go, gogoarchTags).
 * Read from each release's source: 1.19.8 (Debian), 1.20.14, 1.21.13, 1.22.12, 1.23.12,
 * 1.24.13, 1.25.14, 1.26.8, 1.27.3.
 */
export function defaultToolTags(goarch: string, goMinor = 19, goos = 'linux'): string[] {
  const regabiArchs =
    goMinor >= 26
      ? ['amd64', 'arm64', 'loong64', 'ppc64le', 'ppc64', 'riscv64', 's390x']
      : goMinor >= 22
        ? ['amd64', 'arm64', 'loong64', 'ppc64le', 'ppc64', 'riscv64']
        : goMinor >= 20
          ? ['amd64', 'arm64', 'ppc64le', 'ppc64', 'riscv64']
          : ['amd64', 'arm64', 'ppc64le', 'ppc64', 'riscv64'];
  const experiments: string[] = [];
  if (regabiArchs.includes(goarch)) experiments.push('regabiwrappers', 'regabiargs');
  if (goMinor === 20) experiments.push('unified');
  if (goMinor >= 20 && goMinor <= 24) experiments.push('coverageredesign');
  if (goMinor === 22) experiments.push('allocheaders', 'exectracer2');
  if (goMinor === 24 || goMinor === 25) experiments.push('aliastypeparams', 'swissmap', 'synchashtriemap');
  if (goMinor === 24 && ['386', 'amd64', 'arm', 'arm64', 'ppc64le', 'ppc64'].includes(goarch)) experiments.push('spinbitmutex');
  if (goMinor >= 25 && !['darwin', 'ios', 'aix'].includes(goos)) experiments.push('dwarf5');
  if (goMinor >= 26) experiments.push('randomizedheapbase64', 'greenteagc');
  if (goMinor >= 27) experiments.push('jsonv2', 'sizespecializedmalloc');
  const tags = experiments.map((name) => `goexperiment.${name}`);
  if (goMinor >= 20) {
    // The default levels: GOAMD64=v1, GO386=sse2, GOPPC64=power8, and (Go 1.23+) GOARM64=v8.0.
    if (goarch === 'amd64') tags.push('amd64.v1');
    if (goarch === '386') tags.push('386.sse2');
    if (goarch === 'ppc64' || goarch === 'ppc64le') tags.push(`${goarch}.power8`);
    if (goarch === 'arm64' && goMinor >= 23) tags.push('arm64.v8.0');
  }
  return tags;
}

/** Node platform names that differ from GOOS. Node says "sunos" for illumos too; Go would say "illumos" there. */
const goosForNodePlatform: Record<string, string> = { win32: 'windows', cygwin: 'windows', sunos: 'solaris' };

function hostGoarch(): string {
  switch (process.arch) {
    case 'x64':
      return 'amd64';
    case 'ia32':
      return '386';
    case 'mipsel':
      return 'mipsle';
    case 'ppc64':
      // Node names both byte orders ppc64.
      return os.endianness() === 'LE' ? 'ppc64le' : 'ppc64';
    default:
      return process.arch;
  }
}

/** The host as `go env GOOS GOARCH` would describe it, with cgo enabled and Go 1.19's tags. */
export function hostTarget(goMinor = 19): BuildTarget {
  const goarch = hostGoarch();
  const goos = goosForNodePlatform[process.platform] ?? process.platform;
  return {
    goos,
    goarch,
    goMinor,
    cgoEnabled: true,
    compiler: 'gc',
    buildTags: [],
    releaseTags: defaultReleaseTags(goMinor),
    toolTags: defaultToolTags(goarch, goMinor, goos),
  };
}

// syslist.go

/** Past, present and future GOOS values; used for file name matching. */
export const knownOS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux',
  'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos',
]);

/** The GOOS values matched by the "unix" build tag (not used for file name matching). */
export const unixOS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux',
  'netbsd', 'openbsd', 'solaris',
]);

/** Past, present and future GOARCH values; used for file name matching. */
export const knownArch: ReadonlySet<string> = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv',
  'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

// Go's unicode.IsSpace, strings.TrimSpace and strings.Fields. JavaScript's trim differs: it
// strips U+FEFF and keeps U+0085.

function isSpace(c: number): boolean {
  if (c <= 0xff) return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function trimSpace(s: string): string {
  let start = 0;
  let stop = s.length;
  while (start < stop && isSpace(s.charCodeAt(start))) start++;
  while (stop > start && isSpace(s.charCodeAt(stop - 1))) stop--;
  return s.slice(start, stop);
}

function fields(s: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || isSpace(s.charCodeAt(i))) {
      if (start >= 0) words.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  return words;
}

// constraint/expr.go

/** A build constraint expression (constraint.Expr). */
export type Expr =
  | { kind: 'tag'; tag: string }
  | { kind: 'not'; x: Expr }
  | { kind: 'and'; x: Expr; y: Expr }
  | { kind: 'or'; x: Expr; y: Expr };

const tag = (name: string): Expr => ({ kind: 'tag', tag: name });
const not = (x: Expr): Expr => ({ kind: 'not', x });
const and = (x: Expr, y: Expr): Expr => ({ kind: 'and', x, y });
const or = (x: Expr, y: Expr): Expr => ({ kind: 'or', x, y });

/** The expression in //go:build syntax (Expr.String). */
export function exprString(x: Expr): string {
  switch (x.kind) {
    case 'tag':
      return x.tag;
    case 'not': {
      const s = exprString(x.x);
      return x.x.kind === 'and' || x.x.kind === 'or' ? `!(${s})` : `!${s}`;
    }
    case 'and':
      return `${operandString(x.x, 'or')} && ${operandString(x.y, 'or')}`;
    case 'or':
      return `${operandString(x.x, 'and')} || ${operandString(x.y, 'and')}`;
  }
}

/** andArg / orArg: parenthesize the other binary operator. */
function operandString(x: Expr, parenthesized: 'and' | 'or'): string {
  const s = exprString(x);
  return x.kind === parenthesized ? `(${s})` : s;
}

/**
 * Expr.Eval. Both operands of && and || are always evaluated so that `ok` sees every tag, which
 * is how go/build collects the tags a file consults.
 */
export function evalExpr(x: Expr, ok: (tag: string) => boolean): boolean {
  switch (x.kind) {
    case 'tag':
      return ok(x.tag);
    case 'not':
      return !evalExpr(x.x, ok);
    case 'and': {
      const xok = evalExpr(x.x, ok);
      const yok = evalExpr(x.y, ok);
      return xok && yok;
    }
    case 'or': {
      const xok = evalExpr(x.x, ok);
      const yok = evalExpr(x.y, ok);
      return xok || yok;
    }
  }
}

/** constraint.SyntaxError. `offset` counts UTF-8 bytes, as Go's does; `message` is Go's Err. */
export class BuildSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'BuildSyntaxError';
  }
}

const notConstraintMessage = 'not a build constraint';

/**
 * constraint.Parse: a single `//go:build ...` or `// +build ...` line as an expression.
 * Throws BuildSyntaxError for a bad //go:build expression, Error('not a build constraint') for
 * any other line.
 */
export function parseConstraint(line: string): Expr {
  const goBuild = splitGoBuild(line);
  if (goBuild !== undefined) return parseExpr(goBuild);
  const plusBuild = splitPlusBuild(line);
  if (plusBuild !== undefined) return parsePlusBuildExpr(plusBuild);
  throw new Error(notConstraintMessage);
}

/** constraint.IsGoBuild: only the prefix is checked, not the expression. */
export function isGoBuild(line: string): boolean {
  return splitGoBuild(line) !== undefined;
}

/** constraint.IsPlusBuild: only the prefix is checked, not the expression. */
export function isPlusBuild(line: string): boolean {
  return splitPlusBuild(line) !== undefined;
}

/** A single trailing newline is allowed; any other newline means several lines, not a constraint. */
function singleLine(line: string): string | undefined {
  if (line.endsWith('\n')) line = line.slice(0, -1);
  return line.includes('\n') ? undefined : line;
}

/** The expression after `//go:build`, or undefined if line is not a //go:build line. */
function splitGoBuild(input: string): string | undefined {
  let line = singleLine(input);
  if (line === undefined || !line.startsWith('//go:build')) return undefined;
  line = trimSpace(line).slice('//go:build'.length);
  // Trimming more after the prefix means a space followed it (not //go:buildsomething);
  // an empty rest is a bare //go:build, which counts too.
  const trimmed = trimSpace(line);
  if (line.length === trimmed.length && line !== '') return undefined;
  return trimmed;
}

/** The expression after `// +build` (the space is optional), or undefined if line is not one. */
function splitPlusBuild(input: string): string | undefined {
  let line = singleLine(input);
  if (line === undefined || !line.startsWith('//')) return undefined;
  line = trimSpace(line.slice(2));
  if (!line.startsWith('+build')) return undefined;
  line = line.slice('+build'.length);
  const trimmed = trimSpace(line);
  if (line.length === trimmed.length && line !== '') return undefined;
  return trimmed;
}

/**
 * The characters a tag is made of: unicode.IsLetter, unicode.IsDigit, '_' and '.'. Node's Unicode
 * tables are newer than Go 1.19's (13.0), so letters added since then are accepted here only.
 */
const tagRun = /[\p{L}\p{Nd}_.]*/uy;

function isValidTag(word: string): boolean {
  tagRun.lastIndex = 0;
  return word !== '' && tagRun.exec(word)![0].length === word.length;
}

/**
 * constraint.parseExpr: a //go:build expression (without the prefix). Throws BuildSyntaxError.
 * Grammar: or = and {"||" and}; and = not {"&&" not}; not = ["!"] atom; atom = tag | "(" or ")".
 */
export function parseExpr(text: string): Expr {
  const parser = new ExprParser(text);
  const x = parser.or();
  if (parser.tok !== '') throw parser.error(parser.pos, `unexpected token ${parser.tok}`);
  return x;
}

/** constraint.exprParser. Indices are UTF-16 offsets into `s`; errors convert them to bytes. */
class ExprParser {
  private i = 0;
  /** The last token read; '' at the end of the input. */
  tok = '';
  private isTag = false;
  /** Where the last token starts. */
  pos = 0;

  constructor(private readonly s: string) {}

  error(index: number, message: string): BuildSyntaxError {
    return new BuildSyntaxError(Buffer.byteLength(this.s.slice(0, index), 'utf8'), message);
  }

  // On entry to or, and and not the next token has not been lexed; on exit it is in tok.

  or(): Expr {
    let x = this.and();
    while (this.tok === '||') x = or(x, this.and());
    return x;
  }

  private and(): Expr {
    let x = this.not();
    while (this.tok === '&&') x = and(x, this.not());
    return x;
  }

  private not(): Expr {
    this.lex();
    if (this.tok === '!') {
      this.lex();
      if (this.tok === '!') throw this.error(this.pos, 'double negation not allowed');
      return not(this.atom());
    }
    return this.atom();
  }

  /** On entry the first token has been lexed; on exit the next one has. */
  private atom(): Expr {
    if (this.tok === '(') return this.parenthesized();
    if (!this.isTag) {
      if (this.tok === '') throw this.error(this.pos, 'unexpected end of expression');
      throw this.error(this.pos, `unexpected token ${this.tok}`);
    }
    const name = this.tok;
    this.lex();
    return tag(name);
  }

  /** The rest of atom, after "(". */
  private parenthesized(): Expr {
    const pos = this.pos;
    let x: Expr;
    try {
      x = this.or();
    } catch (e) {
      if (e instanceof BuildSyntaxError && e.message === 'unexpected end of expression') {
        e.message = 'missing close paren';
      }
      throw e;
    }
    if (this.tok !== ')') throw this.error(pos, 'missing close paren');
    this.lex();
    return x;
  }

  private lex(): void {
    const s = this.s;
    this.isTag = false;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
    if (this.i >= s.length) {
      this.tok = '';
      this.pos = this.i;
      return;
    }
    switch (s[this.i]) {
      case '(':
      case ')':
      case '!':
        this.pos = this.i;
        this.i++;
        this.tok = s.slice(this.pos, this.i);
        return;
      case '&':
      case '|':
        if (this.i + 1 >= s.length || s[this.i + 1] !== s[this.i]) {
          throw this.error(this.i, `invalid syntax at ${s[this.i]}`);
        }
        this.pos = this.i;
        this.i += 2;
        this.tok = s.slice(this.pos, this.i);
        return;
    }
    tagRun.lastIndex = this.i;
    const name = tagRun.exec(s)![0];
    if (name === '') {
      throw this.error(this.i, `invalid syntax at ${String.fromCodePoint(s.codePointAt(this.i)!)}`);
    }
    this.pos = this.i;
    this.i += name.length;
    this.tok = name;
    this.isTag = true;
  }
}

/**
 * constraint.parsePlusBuildExpr: space-separated clauses are ORed, comma-separated literals
 * ANDed. Never fails: a malformed literal becomes the tag "ignore".
 */
function parsePlusBuildExpr(text: string): Expr {
  let x: Expr | undefined;
  for (const clause of fields(text)) {
    let y: Expr | undefined;
    for (let lit of clause.split(',')) {
      let z: Expr;
      if (lit.startsWith('!!') || lit === '!') {
        z = tag('ignore');
      } else {
        const negated = lit.startsWith('!');
        if (negated) lit = lit.slice(1);
        z = isValidTag(lit) ? tag(lit) : tag('ignore');
        if (negated) z = not(z);
      }
      y = y === undefined ? z : and(y, z);
    }
    x = x === undefined ? y : or(x, y!);
  }
  return x ?? tag('ignore');
}

// build.go: tag and file name matching

/**
 * Context.matchTag: whether name is cgo (when enabled), the target's GOOS, GOARCH or compiler,
 * a GOOS implied by GOOS (linux by android, solaris by illumos, darwin by ios), unix for a Unix
 * GOOS, or one of the build, tool or release tags. Records name in allTags.
 */
export function matchTag(name: string, target: BuildTarget, allTags?: Set<string>): boolean {
  allTags?.add(name);
  if (target.cgoEnabled && name === 'cgo') return true;
  if (name === target.goos || name === target.goarch || name === target.compiler) return true;
  if (target.goos === 'android' && name === 'linux') return true;
  if (target.goos === 'illumos' && name === 'solaris') return true;
  if (target.goos === 'ios' && name === 'darwin') return true;
  if (name === 'unix' && unixOS.has(target.goos)) return true;
  // boringcrypto is the old name of goexperiment.boringcrypto.
  if (name === 'boringcrypto') name = 'goexperiment.boringcrypto';
  return (
    target.buildTags.includes(name) ||
    (target.toolTags ?? []).includes(name) ||
    target.releaseTags.includes(name)
  );
}

function evalForTarget(x: Expr, target: BuildTarget, allTags?: Set<string>): boolean {
  return evalExpr(x, (name) => matchTag(name, target, allTags));
}

/**
 * Context.matchAuto: a `#cgo` condition word in either syntax. Any of "&|()" makes it a
 * //go:build expression, otherwise it is +build syntax; a malformed expression matches nothing.
 */
export function matchAuto(text: string, target: BuildTarget, allTags?: Set<string>): boolean {
  const line = /[&|()]/.test(text) ? `//go:build ${text}` : `// +build ${text}`;
  let x: Expr;
  try {
    x = parseConstraint(line);
  } catch {
    return false;
  }
  return evalForTarget(x, target, allTags);
}

/**
 * Context.goodOSArchFile: false if the name, up to its first '.' and after its first '_', ends
 * in _GOOS, _GOARCH or _GOOS_GOARCH (optionally followed by _test) for known values that do not
 * match the target. "linux.go" has no such suffix: the part before the first '_' never counts.
 */
export function goodOSArchFile(fileName: string, target: BuildTarget, allTags?: Set<string>): boolean {
  const dot = fileName.indexOf('.');
  let name = dot < 0 ? fileName : fileName.slice(0, dot);
  const underscore = name.indexOf('_');
  if (underscore < 0) return true;
  name = name.slice(underscore);

  const parts = name.split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && knownOS.has(parts[n - 2]) && knownArch.has(parts[n - 1])) {
    // Record the GOOS even when the GOARCH check short-circuits.
    allTags?.add(parts[n - 2]);
    return matchTag(parts[n - 1], target, allTags) && matchTag(parts[n - 2], target, allTags);
  }
  if (n >= 1 && (knownOS.has(parts[n - 1]) || knownArch.has(parts[n - 1]))) {
    return matchTag(parts[n - 1], target, allTags);
  }
  return true;
}

// build.go: shouldBuild and parseFileHeader

/** Result of shouldBuild; `error` is go/build's error text, and then ok is false. */
export interface ShouldBuildResult {
  ok: boolean;
  error?: string;
}

/**
 * Whether a Go file's header build constraints accept the target: matchFile's readGoInfo
 * followed by Context.shouldBuild. A //go:build line, if any, decides; otherwise every
 * `// +build` line in the leading comments that is followed by a blank line must match.
 */
export function shouldBuild(content: string, target: BuildTarget, allTags?: Set<string>): ShouldBuildResult {
  const read = readGoHeader(content);
  if (read.error !== undefined) return { ok: false, error: read.error };
  return shouldBuildHeader(read.header, target, allTags);
}

/** Context.shouldBuild, given the header matchFile read. */
function shouldBuildHeader(header: string, target: BuildTarget, allTags?: Set<string>): ShouldBuildResult {
  const parsed = parseFileHeader(header);
  if ('error' in parsed) return { ok: false, error: parsed.error };

  if (parsed.goBuild !== undefined) {
    let x: Expr;
    try {
      x = parseConstraint(parsed.goBuild);
    } catch (e) {
      return { ok: false, error: `parsing //go:build line: ${(e as Error).message}` };
    }
    return { ok: evalForTarget(x, target, allTags) };
  }

  let ok = true;
  for (const rawLine of parsed.trimmed.split('\n')) {
    const line = trimSpace(rawLine);
    if (!line.startsWith('//') || !line.includes('+build') || !isPlusBuild(line)) continue;
    // A +build line always parses; a failing one still lets the others record their tags.
    if (!evalForTarget(parseConstraint(line), target, allTags)) ok = false;
  }
  return { ok };
}

function isGoBuildComment(line: string): boolean {
  if (!line.startsWith('//go:build')) return false;
  const rest = trimSpace(line).slice('//go:build'.length);
  return rest.length === 0 || trimSpace(rest).length < rest.length;
}

/**
 * parseFileHeader: `trimmed` is the leading run of // comments and blank lines up to its last
 * blank line (where +build lines count); `goBuild` is the //go:build line found before the first
 * non-comment text, outside /* comments.
 */
function parseFileHeader(content: string): { trimmed: string; goBuild?: string } | { error: string } {
  let end = 0;
  let p = 0;
  // Seen a non-blank, non-// line: no more +build lines.
  let ended = false;
  let inSlashStar = false;
  let goBuild: string | undefined;

  lines: while (p < content.length) {
    const newline = content.indexOf('\n', p);
    let line: string;
    if (newline >= 0) {
      line = content.slice(p, newline);
      p = newline + 1;
    } else {
      line = content.slice(p);
      p = content.length;
    }
    line = trimSpace(line);
    if (line.length === 0 && !ended) {
      // The latest place a +build line can end: before a blank line that precedes the first
      // non-blank, non-// line. (!ended implies !inSlashStar: a /* sets ended.)
      end = p;
      continue;
    }
    if (!line.startsWith('//')) ended = true;

    if (!inSlashStar && isGoBuildComment(line)) {
      if (goBuild !== undefined) return { error: 'multiple //go:build comments' };
      goBuild = line;
    }

    while (line.length > 0) {
      if (inSlashStar) {
        const close = line.indexOf('*/');
        if (close < 0) continue lines;
        inSlashStar = false;
        line = trimSpace(line.slice(close + 2));
        continue;
      }
      if (line.startsWith('//')) continue lines;
      if (line.startsWith('/*')) {
        inSlashStar = true;
        line = trimSpace(line.slice(2));
        continue;
      }
      // Non-comment text.
      break lines;
    }
  }
  return { trimmed: content.slice(0, end), goBuild };
}

// read.go: the header matchFile hands to shouldBuild

type ReadError = 'syntax' | 'nul';

const nulMessage = 'unexpected NUL in input';

/**
 * read.go's importReader. Its buffer is always a prefix of the input, so we keep only how much
 * has been consumed. A char code of 0 means "none", as Go's zero byte does.
 */
class ImportReader {
  private readonly text: string;
  consumed = 0;
  private peek = 0;
  err: ReadError | undefined;
  eof = false;

  constructor(content: string) {
    // A leading UTF-8 byte order mark is dropped, as the spec allows.
    this.text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  }

  get buffer(): string {
    return this.text.slice(0, this.consumed);
  }

  syntaxError(): void {
    this.err ??= 'syntax';
  }

  readByte(): number {
    if (this.consumed >= this.text.length) {
      this.eof = true;
      return 0;
    }
    const c = this.text.charCodeAt(this.consumed++);
    if (c === 0) this.err ??= 'nul';
    return c;
  }

  /** The next byte without consuming it; with skipSpace, after spaces, semicolons and comments. */
  peekByte(skipSpace: boolean): number {
    if (this.err !== undefined) return 0;
    let c = this.peek;
    if (c === 0) c = this.readByte();
    while (this.err === undefined && !this.eof) {
      if (skipSpace) {
        if (c === 0x20 || c === 0x0c || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x3b /* ; */) {
          c = this.readByte();
          continue;
        }
        if (c === 0x2f /* / */) {
          c = this.readByte();
          if (c === 0x2f) {
            // Straight to the end of the line unless a NUL (which readByte reports) is on the
            // way: a long preamble is thousands of these comments.
            const lineBreak = this.text.indexOf('\n', this.consumed);
            const end = lineBreak === -1 ? this.text.length : lineBreak;
            if (!this.text.slice(this.consumed, end).includes('\0')) this.consumed = end;
            while (c !== 0x0a && this.err === undefined && !this.eof) c = this.readByte();
          } else if (c === 0x2a /* * */) {
            let c1 = 0;
            while ((c !== 0x2a || c1 !== 0x2f) && this.err === undefined) {
              if (this.eof) this.syntaxError();
              c = c1;
              c1 = this.readByte();
            }
          } else {
            this.syntaxError();
          }
          c = this.readByte();
          continue;
        }
      }
      break;
    }
    this.peek = c;
    return c;
  }

  nextByte(skipSpace: boolean): number {
    const c = this.peekByte(skipSpace);
    this.peek = 0;
    return c;
  }

  readKeyword(keyword: string): void {
    this.peekByte(true);
    for (let i = 0; i < keyword.length; i++) {
      if (this.nextByte(false) !== keyword.charCodeAt(i)) {
        this.syntaxError();
        return;
      }
    }
    if (isIdent(this.peekByte(false))) this.syntaxError();
  }

  readIdent(): void {
    if (!isIdent(this.peekByte(true))) {
      this.syntaxError();
      return;
    }
    while (isIdent(this.peekByte(false))) this.peek = 0;
  }

  readString(): void {
    switch (this.nextByte(true)) {
      case 0x60 /* ` */:
        while (this.err === undefined) {
          if (this.nextByte(false) === 0x60) break;
          if (this.eof) this.syntaxError();
        }
        return;
      case 0x22 /* " */:
        while (this.err === undefined) {
          const c = this.nextByte(false);
          if (c === 0x22) break;
          if (this.eof || c === 0x0a) this.syntaxError();
          if (c === 0x5c /* \ */) this.nextByte(false);
        }
        return;
      default:
        this.syntaxError();
    }
  }

  /** An import spec: an optional name or '.', then the quoted path. */
  readImport(): void {
    const c = this.peekByte(true);
    if (c === 0x2e /* . */) this.peek = 0;
    else if (isIdent(c)) this.readIdent();
    this.readString();
  }
}

function isIdent(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c >= 0x80;
}

/**
 * readGoInfo without the parsing: the file up to and including its imports. Syntax errors are
 * left to the compiler (the header is then the whole file); a NUL byte is an error.
 */
function readGoHeader(content: string): { header: string; error?: string } {
  const r = new ImportReader(content);
  r.readKeyword('package');
  r.readIdent();
  while (r.peekByte(true) === 0x69 /* i */) {
    r.readKeyword('import');
    if (r.peekByte(true) === 0x28 /* ( */) {
      r.nextByte(false);
      while (r.peekByte(true) !== 0x29 /* ) */ && r.err === undefined) r.readImport();
      r.nextByte(false);
    } else {
      r.readImport();
    }
  }

  let header = r.buffer;
  // Stopping before EOF means one byte too many was read.
  if (r.err === undefined && !r.eof) header = header.slice(0, -1);

  if (r.err === 'syntax') {
    r.err = undefined;
    while (r.err === undefined && !r.eof) r.readByte();
    header = r.buffer;
  }
  return r.err === 'nul' ? { header, error: nulMessage } : { header };
}

/** readComments: the leading comments of a non-Go file. Here a syntax error is an error too. */
function readCommentHeader(content: string): { header: string; error?: string } {
  const r = new ImportReader(content);
  r.peekByte(true);
  let header = r.buffer;
  if (r.err === undefined && !r.eof) header = header.slice(0, -1);
  if (r.err === undefined) return { header };
  return { header, error: r.err === 'nul' ? nulMessage : 'syntax error' };
}

/** Extensions other than .go that go/build lists in a Package (fileListForExt). */
const packageFileExts: ReadonlySet<string> = new Set([
  '.c', '.cc', '.cpp', '.cxx', '.m', '.h', '.hh', '.hpp', '.hxx', '.f', '.F', '.for', '.f90',
  '.s', '.S', '.sx', '.swig', '.swigcxx', '.syso',
]);

/**
 * Context.MatchFile: whether the file belongs to the package for the target. baseName is the
 * name without its directory, as in a directory listing. A file go/build cannot read or whose
 * constraints are malformed is not included.
 */
export function fileIncluded(baseName: string, content: string, target: BuildTarget): boolean {
  if (baseName.startsWith('_') || baseName.startsWith('.')) return false;
  const dot = baseName.lastIndexOf('.');
  const ext = dot < 0 ? '' : baseName.slice(dot);
  if (!goodOSArchFile(baseName, target)) return false;
  if (ext !== '.go' && !packageFileExts.has(ext)) return false;
  // Binary object files are not read.
  if (ext === '.syso') return true;

  const read = ext === '.go' ? readGoHeader(content) : readCommentHeader(content);
  if (read.error !== undefined) return false;
  return shouldBuildHeader(read.header, target).ok;
}
