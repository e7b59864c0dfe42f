// `#cgo` lines exactly as go/build's saveCgo reads them (build.go), and as cmd/cgo's
// DiscardCgoDirectives removes them from the text the C compiler sees (gcc.go).
import * as path from 'node:path';
import { matchAuto, type BuildTarget } from './constraints';
import type { Preamble, PreambleLine } from './preamble';

export const cgoVerbs = ['CFLAGS', 'CPPFLAGS', 'CXXFLAGS', 'FFLAGS', 'LDFLAGS', 'pkg-config'] as const;
export type CgoVerb = (typeof cgoVerbs)[number];

export type DirectiveError =
  | { kind: 'invalid-line' }
  | { kind: 'malformed-argument'; argument: string; argumentIndex: number }
  | { kind: 'invalid-verb' };

export interface CgoArgument {
  /** The argument after unquoting, before ${SRCDIR} expansion. */
  raw: string;
  /** After ${SRCDIR} expansion. */
  value: string;
  /** Where the argument stands in the preamble text. */
  start: number;
  end: number;
}

/**
 * `#cgo noescape NAME` / `#cgo nocallback NAME`: exactly three fields. go/build skips them
 * since Go 1.22 (earlier: "invalid #cgo line", no colon); cmd/cgo's ProcessCgoDirectives
 * stops with "#cgo noescape disabled until Go 1.23" in 1.22.12 and 1.23.12 and honours them
 * from 1.24.0, where a NAME that is not a C function called from Go fails the build with
 * "#cgo noescape NAME: no matched C function" (main.go, 1.24.13 through 1.27.3).
 */
export interface CgoAnnotation {
  kind: 'noescape' | 'nocallback';
  name: { text: string; start: number; end: number };
  /** Go 1.22 and 1.23: cmd/cgo refuses it. */
  disabled: boolean;
}

export interface CgoDirective {
  line: PreambleLine;
  /** Set for a noescape/nocallback line that the target's go/build accepts (Go 1.22+). */
  annotation?: CgoAnnotation;
  /** The line as go/build quotes it in its errors: trimmed as go/ast's CommentGroup.Text leaves it. */
  quoted: string;
  /** Preamble-text spans of the parts, for ranges and hovers. */
  conditions: { text: string; start: number; end: number }[];
  verb: { text: string; start: number; end: number } | undefined;
  args: CgoArgument[];
  /** Whether the conditions hold for the target (true when there are none). */
  active: boolean;
  error: DirectiveError | undefined;
}

const goSpace = /[\t\n\v\f\r \u0085\u00a0]/;

/** go/build: TrimSpace(line) starts with "#cgo" followed by a space or a tab. */
export function isCgoDirectiveLine(text: string): boolean {
  const line = text.trim();
  return line.length >= 5 && line.startsWith('#cgo') && (line[4] === ' ' || line[4] === '\t');
}

/** cmd/cgo's DiscardCgoDirectives test, which accepts any Unicode space after "#cgo". */
function isDiscardedByCgo(text: string): boolean {
  const line = text.trim();
  return line.length >= 5 && line.startsWith('#cgo') && goSpace.test(line[4]);
}

/** cText by preamble: several rules ask for it on every check, and a preamble's lines are shared while its text is unchanged. */
const cTexts = new WeakMap<Preamble['lines'], string>();

/** The preamble as the C compiler sees it: #cgo lines blanked, every offset kept in place. */
export function cText(preamble: Preamble): string {
  const known = cTexts.get(preamble.lines);
  if (known !== undefined) return known;
  let out = '';
  let cursor = 0;
  for (const line of preamble.lines) {
    if (!isDiscardedByCgo(line.text)) continue;
    out += preamble.text.slice(cursor, line.start) + ' '.repeat(line.end - line.start);
    cursor = line.end;
  }
  const text = out + preamble.text.slice(cursor);
  cTexts.set(preamble.lines, text);
  return text;
}

const safeString = '+-.,/0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz:$@%! ~^';

export function safeCgoName(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 && !safeString.includes(s[i])) return false;
  }
  return true;
}

/** go/build.expandSrcDir: expands ${SRCDIR}; false when the result is unsafe for the shell. */
export function expandSrcDir(arg: string, srcDir: string): { value: string; ok: boolean } {
  const dir = srcDir.replace(/\\/g, '/');
  const chunks = arg.split('${SRCDIR}');
  if (chunks.length < 2) return { value: arg, ok: safeCgoName(arg) };
  let ok = chunks.every((chunk) => chunk === '' || safeCgoName(chunk));
  ok = ok && (dir === '' || safeCgoName(dir));
  const value = chunks.join(dir);
  return { value, ok: ok && value !== '' };
}

interface SplitArgument {
  value: string;
  start: number;
  end: number;
}

/** go/build.splitQuoted, also reporting where each argument stands in `s`. */
export function splitQuoted(s: string): { args: SplitArgument[]; error: string | undefined } {
  const args: SplitArgument[] = [];
  let arg = '';
  let argStart = -1;
  let escaped = false;
  let quoted = false;
  let quote = '';
  let i = 0;
  for (const rune of s) {
    const at = i;
    i += rune.length;
    if (argStart < 0 && !/\s/u.test(rune)) argStart = at;
    if (escaped) {
      escaped = false;
    } else if (rune === '\\') {
      escaped = true;
      continue;
    } else if (quote !== '') {
      if (rune === quote) {
        quote = '';
        continue;
      }
    } else if (rune === '"' || rune === "'") {
      quoted = true;
      quote = rune;
      continue;
    } else if (/\s/u.test(rune)) {
      if (quoted || arg.length > 0) {
        quoted = false;
        args.push({ value: arg, start: argStart, end: at });
        arg = '';
      }
      argStart = -1;
      continue;
    }
    arg += rune;
  }
  if (quoted || arg.length > 0) args.push({ value: arg, start: argStart, end: s.length });
  const error = quote !== '' ? 'unclosed quote' : escaped ? 'unfinished escaping' : undefined;
  return { args, error };
}

/** Reads one preamble line as go/build's saveCgo does; undefined when it is not a #cgo line. */
export function parseDirective(line: PreambleLine, srcDir: string, target: BuildTarget): CgoDirective | undefined {
  if (!isCgoDirectiveLine(line.text)) return undefined;
  const lead = line.text.length - line.text.trimStart().length;
  const quoted = (line.fromLineComment ? line.text.replace(/^ /, '') : line.text).trimEnd();
  const directive: CgoDirective = { line, quoted, conditions: [], verb: undefined, args: [], active: true, error: undefined };
  const afterCgo = line.start + lead + 4;
  const rest = line.text.slice(lead + 4);
  const words = [...rest.matchAll(/\S+/gu)];
  if (target.goMinor >= 22 && words.length === 2 && (words[0][0] === 'noescape' || words[0][0] === 'nocallback')) {
    const at = afterCgo + (words[1].index ?? 0);
    directive.annotation = { kind: words[0][0], name: { text: words[1][0], start: at, end: at + words[1][0].length }, disabled: target.goMinor < 24 };
    return directive;
  }
  const colon = rest.indexOf(':');
  if (colon < 0) {
    directive.error = { kind: 'invalid-line' };
    return directive;
  }
  const fields: { text: string; start: number; end: number }[] = [];
  for (const match of rest.slice(0, colon).matchAll(/\S+/gu)) {
    const start = afterCgo + (match.index ?? 0);
    fields.push({ text: match[0], start, end: start + match[0].length });
  }
  if (fields.length < 1) {
    directive.error = { kind: 'invalid-line' };
    return directive;
  }
  directive.verb = fields[fields.length - 1];
  directive.conditions = fields.slice(0, -1);
  if (directive.conditions.length > 0) {
    directive.active = directive.conditions.some((c) => matchAuto(c.text, target));
  }
  const argsOffset = afterCgo + colon + 1;
  const split = splitQuoted(rest.slice(colon + 1));
  directive.args = split.args.map((a) => {
    const expanded = expandSrcDir(a.value, srcDir);
    return { raw: a.value, value: expanded.value, start: argsOffset + a.start, end: argsOffset + a.end };
  });
  // Past this point go/build only complains about lines whose conditions hold.
  if (!directive.active) return directive;
  if (split.error) {
    directive.error = { kind: 'invalid-line' };
    return directive;
  }
  for (const [index, a] of split.args.entries()) {
    const expanded = expandSrcDir(a.value, srcDir);
    if (!expanded.ok) {
      directive.error = { kind: 'malformed-argument', argument: expanded.value, argumentIndex: index };
      return directive;
    }
  }
  if (!(cgoVerbs as readonly string[]).includes(directive.verb.text)) {
    directive.error = { kind: 'invalid-verb' };
  }
  return directive;
}

export function parseDirectives(preamble: Preamble, srcDir: string, target: BuildTarget): CgoDirective[] {
  const result: CgoDirective[] = [];
  for (const line of preamble.lines) {
    const directive = parseDirective(line, srcDir, target);
    if (directive) result.push(directive);
  }
  return result;
}

/** go/build's error text for a directive, without the leading file name. */
export function directiveErrorMessage(directive: CgoDirective): string | undefined {
  const error = directive.error;
  if (!error) return undefined;
  switch (error.kind) {
    case 'invalid-line':
      return `invalid #cgo line: ${directive.quoted}`;
    case 'malformed-argument':
      return `malformed #cgo argument: ${error.argument}`;
    case 'invalid-verb':
      return `invalid #cgo verb: ${directive.quoted}`;
  }
}

/** go/build.makePathsAbsolute: relative -I and -L paths are made absolute against the package directory. */
export function makePathsAbsolute(args: string[], srcDir: string): string[] {
  const join = (p: string): string => {
    const joined = path.join(srcDir, p);
    return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
  };
  const result = [...args];
  let nextPath = false;
  for (const [i, arg] of result.entries()) {
    if (nextPath) {
      if (!path.isAbsolute(arg)) result[i] = join(arg);
      nextPath = false;
    } else if (arg.startsWith('-I') || arg.startsWith('-L')) {
      if (arg.length === 2) nextPath = true;
      else if (!path.isAbsolute(arg.slice(2))) result[i] = arg.slice(0, 2) + join(arg.slice(2));
    }
  }
  return result;
}
