// The C preprocessor's view of a .go file's preambles: which lines the C compiler compiles for
// the target, the project headers they include, and the code with the project's macros
// expanded, every position mapped back to the text it came from. It is the one #include reader
// of the engine: the C scope, the rules and the editor features all read includes from here.
//
// Conditions are decided with the macros of the preambles and of the project headers they
// include (in order), the package's -D/-U flags and the target's predefined macros
// (predefined.ts). A preamble's reading does not follow system headers, so a condition on a
// name only they could define, or on `__has_include` of a system header, is undecided: then
// each branch is read in turn, in a reading ("variant") of its own, never glued to another
// branch. System headers are read apart, each on its own (`closedWorld`, systemHeaders.ts). cmd/cgo (out.go,
// builtinProlog; Go 1.19 and 1.26) puts `#include <stddef.h>` before the preamble, which
// defines NULL and offsetof and no name a preamble tests otherwise.
import * as path from 'node:path';
import type { BuildTarget } from './constraints';
import { readRegularFile } from './files';
import { targetMacroNames, type PredefinedMacros, type PredefinedValue } from './predefined';
import { lastAtOrBefore } from './text';

/** Reads a file's current text: open editor buffers first, then the disk. */
export type ReadText = (file: string) => string | undefined;

/** Larger headers are not read: their declarations would cost more than they tell. */
export const maxHeaderBytes = 4 * 1024 * 1024;

/** A header from disk: a regular file of at most maxHeaderBytes, else undefined (as if absent). */
export const readTextFromDisk: ReadText = (file) => {
  const read = readRegularFile(file, maxHeaderBytes);
  return read.ok ? read.data.toString('utf8') : undefined;
};

/** What the preprocessor is given besides the texts: where headers are, the flags, the target. */
export interface CppConfig {
  /** Where `#include` looks: the package directory (the go command's `-I <pkgdir>`), then -I flags. */
  dirs: string[];
  /** CPPFLAGS then CFLAGS, as the go command passes them to gcc: -D, -U, -std=, -x. */
  flags: string[];
  target: BuildTarget;
  /**
   * A system header read on its own, as gcc reads it: `dirs` are the compiler's search list, so
   * every header it names is read and a name no header defines is undefined (the compiler's
   * predefined macros beyond predefined.ts's are taken as undefined). One reading: an
   * undecided condition takes its first branch.
   */
  closedWorld?: boolean;
}

/** Where `#include` looks: the package directory (the go command's `-I <pkgdir>`), then -I flags. */
export function includeDirs(pkgDir: string, flags: { CPPFLAGS: string[]; CFLAGS: string[] }): string[] {
  const dirs = [pkgDir];
  for (const list of [flags.CPPFLAGS, flags.CFLAGS]) {
    for (let i = 0; i < list.length; i++) {
      const flag = list[i];
      if (flag === '-I' || flag === '-iquote' || flag === '-isystem') {
        if (i + 1 < list.length) dirs.push(list[++i]);
      } else if (flag.startsWith('-I')) dirs.push(flag.slice(2));
    }
  }
  return dirs.map((dir) => path.resolve(pkgDir, dir));
}

export interface Macro {
  name: string;
  /** Parameter names of a function-like macro (`__VA_ARGS__` for `...`); undefined when object-like. */
  params: string[] | undefined;
  variadic: boolean;
  /** Replacement text, comments removed; undefined for a predefined macro whose value is not known. */
  body: string | undefined;
  /** Where it is defined: a unit's file and the offset of its `#define` there; undefined for predefined and -D macros. */
  file: string | undefined;
  start: number;
  origin: 'predefined' | 'flag' | 'source';
}

export interface SourceRange {
  start: number;
  end: number;
}

export interface IncludeDirective {
  /** The unit holding the directive: index into the variant's units (preambles first). */
  unit: number;
  /** The directive in that unit's source, without its newline. */
  start: number;
  end: number;
  /** The name between the quotes or brackets, and where it is written in the source. */
  name: string;
  nameStart: number;
  nameEnd: number;
  system: boolean;
  /** The project header it resolves to (package directory, -I directories, next to the includer). */
  resolved: string | undefined;
  /** False under a condition the preprocessor could not decide. */
  certain: boolean;
  /** Offset of the directive in the unit's produced text. */
  at: number;
  /** The preamble #include through which this one is reached; undefined in a preamble. */
  via: IncludeDirective | undefined;
}

/** A preamble or a header as the compiler reads it in one variant. */
export interface PreprocessedUnit {
  file: string;
  /** The text read: a preamble's C text, a header's text. */
  source: string;
  /**
   * What the compiler compiles of it: lines of branches not taken and conditional directives
   * blank (their line breaks kept), the project's macros expanded in code; #define, #include and
   * the other directives kept as written. The line count is the source's.
   */
  text: string;
  map: PositionMap;
  /** Source lines compiled in this variant; `certain` false under an undecided condition. */
  active: (SourceRange & { certain: boolean })[];
  /** #include directives compiled in this variant, in order. */
  includes: IncludeDirective[];
}

export interface Variant {
  /** The preambles in order, then each header the first time it is included. */
  units: PreprocessedUnit[];
  /** The macros defined at the end of the reading. */
  macros: ReadonlyMap<string, Macro>;
}

export interface PreprocessedView {
  /**
   * Readings of the file: the first takes the first branch of every undecided conditional, the
   * n-th its n-th (or its last); identical readings are dropped. Most files have one.
   */
  variants: Variant[];
  /** Every #include compiled in some variant, first seen first; the same directive once. */
  includes: IncludeDirective[];
  /** #include directives of preambles in branches that are not compiled: never looked up. */
  skippedIncludes: { unit: number; start: number; end: number; name: string; nameStart: number; nameEnd: number; system: boolean }[];
  /** Project headers read, in include order, with their texts. */
  headers: string[];
  headerTexts: Map<string, string>;
  /** Some #include could not be followed (a computed one, or the limits below). */
  incomplete: boolean;
  /** Some condition could not be decided. */
  undecided: boolean;
}

/** Names C reserves for the implementation (C17 7.1.3): the compiler or the C library may define them. */
const reservedName = /^_[A-Z_]/;

/** Limits that keep hostile input linear. */
const maxHeaders = 200;
const maxIncludeDepth = 16;
const maxExpansionDepth = 64;
const maxVariants = 4;

/**
 * Produced offsets to source offsets, as runs: a verbatim run maps offset for offset, an
 * expansion maps every produced offset to the macro invocation's start.
 */
export class PositionMap {
  constructor(
    private readonly outStarts: number[],
    private readonly srcStarts: number[],
    /** End of the invocation for an expansion run, -1 for a verbatim run. */
    private readonly srcEnds: number[],
    /** Produced length. */
    readonly length: number,
  ) {}

  private runOf(index: number): number {
    return lastAtOrBefore(this.outStarts, index);
  }

  private runsText: string | undefined;

  /** The runs as text: two maps with the same fingerprint map every offset alike. */
  fingerprint(): string {
    return (this.runsText ??= `${this.outStarts.join(',')}|${this.srcStarts.join(',')}|${this.srcEnds.join(',')}|${this.length}`);
  }

  /** The source offset of a produced offset (an expansion's offsets give its invocation's start). */
  toSource(index: number): number {
    if (this.outStarts.length === 0) return index;
    const run = this.runOf(Math.max(0, index));
    if (this.srcEnds[run] >= 0) return this.srcStarts[run];
    return this.srcStarts[run] + index - this.outStarts[run];
  }

  /** The source offset just past the produced character before `endIndex`: an exclusive end. */
  toSourceEnd(endIndex: number): number {
    if (endIndex <= 0 || this.outStarts.length === 0) return endIndex;
    const run = this.runOf(endIndex - 1);
    if (this.srcEnds[run] >= 0) return this.srcEnds[run];
    return this.srcStarts[run] + endIndex - this.outStarts[run];
  }

  /** The source range a produced range was copied from, when it was copied verbatim in one piece. */
  verbatim(start: number, end: number): SourceRange | undefined {
    if (this.outStarts.length === 0) return { start, end };
    const run = this.runOf(start);
    if (this.srcEnds[run] >= 0) return undefined;
    const runEnd = run + 1 < this.outStarts.length ? this.outStarts[run + 1] : this.length;
    if (end > runEnd) return undefined;
    const offset = this.srcStarts[run] - this.outStarts[run];
    return { start: start + offset, end: end + offset };
  }
}

/** The produced text of a unit and its map, built in order. */
class Output {
  private readonly parts: string[] = [];
  length = 0;
  private readonly outStarts: number[] = [];
  private readonly srcStarts: number[] = [];
  private readonly srcEnds: number[] = [];

  constructor(private readonly source: string) {}

  copy(from: number, to: number): void {
    if (to <= from) return;
    const last = this.outStarts.length - 1;
    const contiguous = last >= 0 && this.srcEnds[last] < 0 && this.srcStarts[last] + this.length - this.outStarts[last] === from;
    if (!contiguous) this.run(from, -1);
    this.parts.push(this.source.slice(from, to));
    this.length += to - from;
  }

  /** The line breaks of source[from, to), each in its place: a blanked region. */
  blank(from: number, to: number): void {
    for (let i = this.source.indexOf('\n', from); i !== -1 && i < to; i = this.source.indexOf('\n', i + 1)) this.copy(i, i + 1);
  }

  expansion(text: string, from: number, to: number): void {
    if (text.length > 0) {
      this.run(from, to);
      this.parts.push(text);
      this.length += text.length;
    }
    // The invocation's line breaks stay, so the produced text keeps the source's lines.
    this.blank(from, to);
  }

  private run(src: number, srcEnd: number): void {
    this.outStarts.push(this.length);
    this.srcStarts.push(src);
    this.srcEnds.push(srcEnd);
  }

  finish(): { text: string; map: PositionMap } {
    const whole = this.outStarts.length === 1 && this.srcEnds[0] < 0 && this.srcStarts[0] === 0 && this.length === this.source.length;
    const text = whole ? this.source : this.parts.join('');
    return { text, map: new PositionMap(this.outStarts, this.srcStarts, this.srcEnds, this.length) };
  }
}

// ---------------------------------------------------------------------------------------------
// Lexing

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

/** Comment state at a line end: none, inside a block comment, or in a `//` comment continued by a backslash. */
const enum Comment {
  None,
  Block,
  Line,
}

/**
 * Scans source[from, to) (one line) for comments and literals; the comment state at its end.
 * A block comment left open is searched to its end once: `blockClose` keeps where it closes
 * (-1: never), so a long comment costs one pass, not one per line.
 */
function scanLine(source: string, from: number, to: number, state: Comment, blockClose: { at: number }): Comment {
  let i = from;
  if (state === Comment.Line) {
    return lineContinues(source, from, to) ? Comment.Line : Comment.None;
  }
  if (state === Comment.Block) {
    const close = blockClose.at;
    if (close === -1 || close + 2 > to) return Comment.Block;
    i = close + 2;
  }
  while (i < to) {
    const c = source.charCodeAt(i);
    if (c === 47 /* / */) {
      const next = source.charCodeAt(i + 1);
      if (next === 42 /* * */) {
        const close = source.indexOf('*/', i + 2);
        if (close === -1 || close + 2 > to) {
          blockClose.at = close;
          return Comment.Block;
        }
        i = close + 2;
        continue;
      }
      if (next === 47) return lineContinues(source, i, to) ? Comment.Line : Comment.None;
    } else if (c === 34 || c === 39) {
      i = literalEnd(source, i, to);
      continue;
    }
    i++;
  }
  return Comment.None;
}

/** A line ending in a backslash continues onto the next (before any other processing). */
function lineContinues(source: string, from: number, to: number): boolean {
  let end = to;
  while (end > from && source.charCodeAt(end - 1) === 13) end--;
  return end > from && source.charCodeAt(end - 1) === 92;
}

/** The end of a string or character literal starting at `start` (its line end when unterminated). */
function literalEnd(source: string, start: number, to: number): number {
  const quote = source.charCodeAt(start);
  for (let i = start + 1; i < to; i++) {
    const c = source.charCodeAt(i);
    if (c === 92) i++;
    else if (c === quote) return i + 1;
  }
  return to;
}

/**
 * The logical directive line starting at `start` (a `#`): it runs on over backslash-newlines and
 * over block comments that span lines. `end` is its terminating line break (or the text's end);
 * `text` is what follows the `#`, splices joined and comments turned to spaces.
 */
function readDirective(source: string, start: number): { end: number; text: string } {
  let text = '';
  let i = start + 1;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 10) break;
    if (c === 92 && (source.charCodeAt(i + 1) === 10 || (source.charCodeAt(i + 1) === 13 && source.charCodeAt(i + 2) === 10))) {
      i += source.charCodeAt(i + 1) === 10 ? 2 : 3;
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      text += ' ';
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 47) {
      // A `//` comment ends the directive, unless a backslash continues it.
      let j = source.indexOf('\n', i);
      while (j !== -1 && lineContinues(source, i, j)) j = source.indexOf('\n', j + 1);
      return { end: j === -1 ? n : j, text };
    }
    if (c === 34 || c === 39) {
      const lineEnd = source.indexOf('\n', i);
      const to = literalEnd(source, i, lineEnd === -1 ? n : lineEnd);
      text += source.slice(i, to);
      i = to;
      continue;
    }
    text += c === 13 || c === 9 || c === 12 || c === 11 ? ' ' : source[i];
    i++;
  }
  return { end: i, text };
}

interface Token {
  kind: 'ident' | 'number' | 'string' | 'punct' | 'space';
  text: string;
}

/** Preprocessing tokens: literals first, so `L"x"` and `u8"x"` are one string, not a name and a string. */
const tokenPattern = /((?:L|u8|u|U)?(?:"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?))|([A-Za-z_$][\w$]*)|(\.?\d(?:[eEpP][+-]|[\w.])*)|(\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*|\s+)|(\.\.\.|<<=|>>=|->|##|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[\s\S])/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  for (let m = tokenPattern.exec(text); m; m = tokenPattern.exec(text)) {
    const kind = m[1] ? 'string' : m[2] ? 'ident' : m[3] ? 'number' : m[4] ? 'space' : 'punct';
    tokens.push({ kind, text: m[0] });
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Macro expansion

/** Expands macros in a text, within a budget of produced characters; `filter` says which macros may expand. */
class Expander {
  /** Characters expansions may still produce; past it, text is left as written. */
  budget: number;
  exhausted = false;

  constructor(
    private readonly macros: Map<string, Macro>,
    private readonly expandable: (macro: Macro) => boolean,
    budget: number,
  ) {
    this.budget = budget;
  }

  lookup(name: string): Macro | undefined {
    const macro = this.macros.get(name);
    return macro && macro.body !== undefined && this.expandable(macro) ? macro : undefined;
  }

  /** Fully expands a text (an argument, a rescanned replacement, an #if expression). */
  expandText(text: string, disabled: ReadonlySet<string>, depth: number): string {
    if (depth > maxExpansionDepth || this.exhausted) return text;
    const tokens = tokenize(text);
    let out = '';
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const macro = token.kind === 'ident' && !disabled.has(token.text) ? this.lookup(token.text) : undefined;
      if (!macro) {
        out += token.text;
        continue;
      }
      if (!macro.params) {
        out += this.replace(macro, undefined, disabled, depth);
        continue;
      }
      const call = collectArgs(tokens, i + 1);
      if (!call) {
        out += token.text;
        continue;
      }
      out += this.replace(macro, call.args, disabled, depth);
      i = call.next - 1;
    }
    return out;
  }

  /** A macro's replacement for one invocation, rescanned with the macro disabled. */
  replace(macro: Macro, args: string[] | undefined, disabled: ReadonlySet<string>, depth: number): string {
    if (depth > maxExpansionDepth || this.exhausted) return macro.name;
    const body = macro.body ?? '';
    let substituted: string;
    if (!macro.params) substituted = body;
    else {
      const params = macro.params;
      const values = new Map<string, string>();
      params.forEach((param, index) => {
        if (macro.variadic && index === params.length - 1) values.set(param, (args ?? []).slice(index).join(','));
        else values.set(param, (args ?? [])[index] ?? '');
      });
      const tokens = tokenize(body);
      const parts: Part[] = [];
      const nextNonSpace = (from: number): number => {
        let j = from;
        while (j < tokens.length && tokens[j].kind === 'space') j++;
        return j;
      };
      const prevNonSpace = (from: number): number => {
        let j = from;
        while (j >= 0 && tokens[j].kind === 'space') j--;
        return j;
      };
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        if (token.text === '#' && token.kind === 'punct') {
          const j = nextNonSpace(i + 1);
          if (j < tokens.length && values.has(tokens[j].text)) {
            parts.push({ text: stringify(values.get(tokens[j].text)!), argument: true });
            i = j;
            continue;
          }
        }
        if (token.kind === 'ident' && values.has(token.text)) {
          const pasted = tokens[prevNonSpace(i - 1)]?.text === '##' || tokens[nextNonSpace(i + 1)]?.text === '##';
          const value = values.get(token.text)!;
          // GNU `, ## __VA_ARGS__` only drops the comma when nothing is passed; otherwise the arguments are expanded.
          const gnuComma = macro.variadic && token.text === params[params.length - 1] && tokens[prevNonSpace(prevNonSpace(i - 1) - 1)]?.text === ',';
          parts.push({ text: pasted && !gnuComma ? value.trim() : this.expandText(value, disabled, depth + 1), argument: true, gnuComma });
          continue;
        }
        parts.push({ text: token.text, argument: false });
      }
      substituted = paste(parts);
    }
    this.budget -= substituted.length;
    if (this.budget < 0) {
      this.exhausted = true;
      return macro.name;
    }
    const inner = new Set(disabled);
    inner.add(macro.name);
    return this.expandText(substituted, inner, depth + 1);
  }
}

/** A piece of a macro's replacement: a token of its body, or what an argument put there. */
interface Part {
  text: string;
  argument: boolean;
  /** The variadic argument after GNU's `, ##`. */
  gnuComma?: boolean;
}

/** `a ## b` joins the tokens on either side; GNU `, ## __VA_ARGS__` drops the comma when nothing is passed. */
function paste(parts: Part[]): string {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].argument || parts[i].text !== '##') {
      out.push(parts[i].text);
      continue;
    }
    while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
    let j = i + 1;
    while (j < parts.length && !parts[j].argument && parts[j].text.trim() === '') j++;
    const right = parts[j];
    if (right?.gnuComma) {
      if (right.text.trim() === '') out.pop();
      else out.push(right.text);
    } else out.push((out.pop() ?? '') + (right?.text ?? ''));
    i = j;
  }
  return out.join('');
}

function stringify(value: string): string {
  return `"${value.trim().replace(/\s+/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The arguments of a function-like invocation whose `(` is the next non-space token at `from`. */
function collectArgs(tokens: Token[], from: number): { args: string[]; next: number } | undefined {
  let i = from;
  while (i < tokens.length && tokens[i].kind === 'space') i++;
  if (tokens[i]?.text !== '(') return undefined;
  const args: string[] = [];
  let current = '';
  let depth = 0;
  for (i++; i < tokens.length; i++) {
    const text = tokens[i].text;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if ((text === ')' || text === ']' || text === '}') && depth > 0) depth--;
    else if (text === ')') {
      args.push(current);
      return { args: args.length === 1 && args[0].trim() === '' ? [] : args, next: i + 1 };
    } else if (text === ',' && depth === 0) {
      args.push(current);
      current = '';
      continue;
    }
    current += tokens[i].kind === 'space' && tokens[i].text.startsWith('/') ? ' ' : text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// #if expressions: values are 64-bit integers, or undefined when undecided.

type Value = bigint | undefined;

class ConditionParser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Value | 'error' {
    const value = this.conditional();
    return this.i < this.tokens.length ? 'error' : value;
  }

  private peek(): string | undefined {
    return this.tokens[this.i]?.text;
  }

  private conditional(): Value {
    const condition = this.binary(0);
    if (this.peek() !== '?') return condition;
    this.i++;
    const yes = this.conditional();
    if (this.peek() === ':') this.i++;
    const no = this.conditional();
    if (condition === undefined) return yes === no ? yes : undefined;
    return condition !== 0n ? yes : no;
  }

  private static readonly precedence: Record<string, number> = {
    '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
  };

  private binary(min: number): Value {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const prec = op === undefined ? undefined : ConditionParser.precedence[op];
      if (prec === undefined || prec <= min) return left;
      this.i++;
      const right = this.binary(prec);
      left = applyBinary(op!, left, right);
    }
  }

  private unary(): Value {
    const token = this.tokens[this.i++];
    if (!token) return undefined;
    switch (token.text) {
      case '!': {
        const v = this.unary();
        return v === undefined ? undefined : v === 0n ? 1n : 0n;
      }
      case '-': {
        const v = this.unary();
        return v === undefined ? undefined : BigInt.asIntN(64, -v);
      }
      case '+':
        return this.unary();
      case '~': {
        const v = this.unary();
        return v === undefined ? undefined : BigInt.asIntN(64, ~v);
      }
      case '(': {
        const v = this.conditional();
        if (this.peek() === ')') this.i++;
        return v;
      }
    }
    if (token.kind === 'number') return parseInteger(token.text);
    if (token.kind === 'string' && token.text.startsWith("'")) return charValue(token.text);
    // Undecided names were replaced by `?`.
    return undefined;
  }
}

function applyBinary(op: string, left: Value, right: Value): Value {
  if (op === '&&') {
    if (left === 0n || right === 0n) return 0n;
    return left === undefined || right === undefined ? undefined : 1n;
  }
  if (op === '||') {
    if ((left !== undefined && left !== 0n) || (right !== undefined && right !== 0n)) return 1n;
    return left === undefined || right === undefined ? undefined : 0n;
  }
  if (left === undefined || right === undefined) return undefined;
  const bool = (b: boolean): bigint => (b ? 1n : 0n);
  switch (op) {
    case '|': return left | right;
    case '^': return left ^ right;
    case '&': return left & right;
    case '==': return bool(left === right);
    case '!=': return bool(left !== right);
    case '<': return bool(left < right);
    case '>': return bool(left > right);
    case '<=': return bool(left <= right);
    case '>=': return bool(left >= right);
    case '<<': return right < 0n || right > 63n ? undefined : BigInt.asIntN(64, left << right);
    case '>>': return right < 0n || right > 63n ? undefined : left >> right;
    case '+': return BigInt.asIntN(64, left + right);
    case '-': return BigInt.asIntN(64, left - right);
    case '*': return BigInt.asIntN(64, left * right);
    case '/': return right === 0n ? undefined : BigInt.asIntN(64, left / right);
    case '%': return right === 0n ? undefined : BigInt.asIntN(64, left % right);
  }
  return undefined;
}

function parseInteger(text: string): Value {
  const digits = text.replace(/(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)$/, '').replace(/'/g, '');
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(digits)) return BigInt.asIntN(64, BigInt(digits));
    if (/^0[bB][01]+$/.test(digits)) return BigInt.asIntN(64, BigInt(digits));
    if (/^0[0-7]*$/.test(digits)) return BigInt.asIntN(64, BigInt(`0o${digits.slice(1) || '0'}`));
    if (/^[1-9]\d*$/.test(digits)) return BigInt.asIntN(64, BigInt(digits));
  } catch {
    return undefined;
  }
  return undefined;
}

function charValue(text: string): Value {
  const inner = text.slice(1, -1);
  if (inner.length === 1) return BigInt(inner.charCodeAt(0));
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };
  if (inner.length === 2 && inner[0] === '\\' && inner[1] in escapes) return BigInt(escapes[inner[1]]);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The reading of one variant

/** An open #if group. */
interface Group {
  /** The region around the group is compiled, and whether that is certain. */
  outer: boolean;
  outerCertain: boolean;
  /** The current branch is compiled, and whether that is certain. */
  taking: boolean;
  certain: boolean;
  /** A branch of the group has been taken in this variant (or one is certain to be). */
  done: boolean;
  /** Some earlier branch's condition was undecided: later branches are uncertain. */
  undecided: boolean;
  /** Undecided candidate branches seen so far. */
  candidates: number;
  sawElse: boolean;
}

export interface CppInput {
  /** The file the text belongs to (the .go file for a preamble). */
  file: string;
  text: string;
}

class Reading {
  readonly units: PreprocessedUnit[] = [];
  readonly macros: Map<string, Macro>;
  /** Names #undef'd by the source: known not to be defined (until defined again). */
  private readonly undefinedNames = new Set<string>();
  private readonly headerUnits = new Set<string>();
  /** A header cgo-lint does not read was included: names it does not know may be defined by it. */
  private systemIncluded = false;
  /** The most candidates one undecided group had: how many variants are worth reading. */
  maxCandidates = 1;
  undecided = false;
  incomplete = false;
  readonly skipped: PreprocessedView['skippedIncludes'] = [];
  private readonly expander: Expander;
  private readonly conditionExpander: Expander;
  private readonly knownTargetNames = targetMacroNames();
  private headerCount = 0;
  /** Some macro of the source or the flags exists: code may need expanding. */
  private sourceMacros: boolean;

  constructor(
    private readonly config: CppConfig,
    private readonly readText: ReadText,
    /** Which candidate branch of each undecided group this variant takes. */
    private readonly choice: number,
    budget: number,
    predefined: PredefinedMacros,
  ) {
    this.macros = initialMacros(config, predefined);
    this.sourceMacros = [...this.macros.values()].some((macro) => macro.origin === 'flag');
    this.expander = new Expander(this.macros, (macro) => macro.origin !== 'predefined', budget);
    this.conditionExpander = new Expander(this.macros, () => true, budget);
  }

  readPreambles(inputs: CppInput[]): void {
    for (const input of inputs) this.readUnit(input.file, input.text, path.dirname(input.file), 0, undefined, true);
  }

  private readUnit(file: string, source: string, fromDir: string, depth: number, via: IncludeDirective | undefined, isPreamble: boolean): void {
    const unitIndex = this.units.length;
    const unit: PreprocessedUnit = { file, source, text: '', map: new PositionMap([], [], [], 0), active: [], includes: [] };
    this.units.push(unit);
    const out = new Output(source);
    const groups: Group[] = [];
    const compiled = (): boolean => groups.length === 0 || groups[groups.length - 1].taking;
    const certain = (): boolean => groups.length === 0 || groups[groups.length - 1].certain;
    let chunkStart = -1;
    const flush = (to: number): void => {
      if (chunkStart < 0) return;
      this.expandCode(source, chunkStart, to, out);
      addActive(unit.active, chunkStart, to, certain());
      chunkStart = -1;
    };
    let state = Comment.None;
    const blockClose = { at: -1 };
    const n = source.length;
    for (let pos = 0; pos < n; ) {
      let lineEnd = source.indexOf('\n', pos);
      if (lineEnd === -1) lineEnd = n;
      let hash = pos;
      while (hash < lineEnd && isSpace(source.charCodeAt(hash))) hash++;
      if (state === Comment.None && source.charCodeAt(hash) === 35 /* # */) {
        flush(pos);
        const directive = readDirective(source, hash);
        const end = directive.end;
        const wasCompiled = compiled();
        const kind = this.directive(directive.text, groups, source, hash, end, fromDir, wasCompiled);
        if (kind === 'conditional' || !wasCompiled) out.blank(pos, end + 1);
        else {
          const at = out.length;
          out.copy(pos, Math.min(end + 1, n));
          addActive(unit.active, pos, end, certain());
          if (kind === 'include') this.include(directive.text, unit, unitIndex, source, hash, end, at + hash - pos, certain(), fromDir, depth, via, isPreamble);
        }
        if (!wasCompiled && kind === 'include' && isPreamble) this.skip(unitIndex, source, hash, end);
        pos = end + 1;
        continue;
      }
      state = scanLine(source, pos, lineEnd, state, blockClose);
      if (compiled()) {
        if (chunkStart < 0) chunkStart = pos;
      } else out.blank(pos, lineEnd + 1);
      pos = lineEnd + 1;
    }
    flush(n);
    if (groups.length > 0) this.incomplete = true;
    const finished = out.finish();
    unit.text = finished.text;
    unit.map = finished.map;
  }

  /** Runs a directive; says whether it was a conditional one (blanked) or an #include. */
  private directive(text: string, groups: Group[], source: string, hash: number, end: number, fromDir: string, compiled: boolean): 'conditional' | 'include' | 'other' {
    const m = /^\s*([A-Za-z_]\w*)/.exec(text);
    const name = m?.[1] ?? '';
    const rest = m ? text.slice(m[0].length) : '';
    const top = groups[groups.length - 1];
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const group: Group = { outer: compiled, outerCertain: groups.length === 0 || top.certain, taking: false, certain: false, done: false, undecided: false, candidates: 0, sawElse: false };
        groups.push(group);
        if (compiled) this.branch(group, this.condition(name, rest, source, end, fromDir));
        return 'conditional';
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        if (!top || top.sawElse) return 'conditional';
        top.taking = false;
        // After a branch certain to be taken, later conditions are not even evaluated (as in gcc).
        if (top.outer && !(top.done && !top.undecided)) this.branch(top, this.condition(name.slice(2), rest, source, end, fromDir));
        return 'conditional';
      }
      case 'else': {
        if (!top || top.sawElse) return 'conditional';
        top.sawElse = true;
        top.taking = false;
        if (top.outer) this.branch(top, 1n);
        return 'conditional';
      }
      case 'endif':
        if (top) groups.pop();
        return 'conditional';
    }
    if (!compiled) return name === 'include' || name === 'include_next' || name === 'import' ? 'include' : 'other';
    switch (name) {
      case 'define':
        this.define(rest, hash);
        return 'other';
      case 'undef': {
        const undefined_ = /^\s*([A-Za-z_$][\w$]*)/.exec(rest)?.[1];
        if (undefined_) {
          this.macros.delete(undefined_);
          this.undefinedNames.add(undefined_);
        }
        return 'other';
      }
      case 'include':
      case 'include_next':
      case 'import':
        return 'include';
    }
    return 'other';
  }

  /** Enters a branch whose condition has the value `value` (undefined: undecided). */
  private branch(group: Group, value: Value): void {
    if (group.done && !group.undecided) {
      group.taking = false;
      return;
    }
    if (value === undefined) {
      this.undecided = true;
      group.undecided = true;
      const candidate = group.candidates++;
      this.maxCandidates = Math.max(this.maxCandidates, group.candidates + 1);
      group.taking = !group.done && candidate === this.choice;
      group.certain = false;
      if (group.taking) group.done = true;
      return;
    }
    if (value === 0n) {
      group.taking = false;
      return;
    }
    // A condition that holds: taken unless an undecided branch before it was taken in this variant.
    group.taking = !group.done;
    group.certain = group.outerCertain && !group.undecided;
    group.done = true;
  }

  /** The value of an #if/#ifdef/#ifndef condition; undefined when undecided. */
  private condition(kind: string, rest: string, source: string, end: number, fromDir: string): Value {
    if (kind === 'ifdef' || kind === 'ifndef') {
      const name = /^\s*([A-Za-z_$][\w$]*)/.exec(rest)?.[1];
      if (!name) return 0n;
      const defined = this.isDefined(name, kind === 'ifndef' && this.guards(source, end, name));
      if (defined === undefined) return undefined;
      return (kind === 'ifdef') === defined ? 1n : 0n;
    }
    const guard = /^\s*!\s*defined\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*$/.exec(rest)?.[1];
    const tokens = this.conditionTokens(rest, fromDir, guard !== undefined && this.guards(source, end, guard) ? guard : undefined);
    const value = new ConditionParser(tokens).parse();
    return value === 'error' ? undefined : value;
  }

  /** Whether `#ifndef NAME` is an include guard: the next directive defines NAME. */
  private guards(source: string, end: number, name: string): boolean {
    // A guard's #define follows within a few lines; a bounded look keeps hostile input linear.
    const next = /(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*)*#[ \t]*define[ \t]+([A-Za-z_$][\w$]*)/y;
    return next.exec(source.slice(end, end + 4096))?.[1] === name;
  }

  /**
   * Whether a name is defined here: undefined when only what is not read could tell — a system
   * header included before, or for a reserved name (`__SSE2__`, `_GNU_SOURCE`) the compiler, its
   * implicit <stdc-predef.h> and cmd/cgo's prolog.
   */
  private isDefined(name: string, guard: boolean): boolean | undefined {
    if (this.macros.has(name)) return true;
    if (this.undefinedNames.has(name) || this.knownTargetNames.has(name) || guard) return false;
    // cmd/cgo's prolog includes <stddef.h>.
    if (name === 'NULL' || name === 'offsetof') return true;
    return this.unknownIsUndefined(name) ? false : undefined;
  }

  /** A name no macro read defines is known to be undefined: not reserved, and no unread header came before. */
  private unknownIsUndefined(name: string): boolean {
    if (this.config.closedWorld) return true;
    return !this.systemIncluded && !reservedName.test(name);
  }

  /** An #if expression's tokens after `defined`, `__has_include` and macro expansion; undecided names become `?`. */
  private conditionTokens(text: string, fromDir: string, guard: string | undefined): Token[] {
    const raw = tokenize(text);
    let resolved = '';
    for (let i = 0; i < raw.length; i++) {
      const token = raw[i];
      if (token.kind !== 'ident') {
        resolved += token.text;
        continue;
      }
      if (token.text === 'defined') {
        let j = i + 1;
        while (raw[j]?.kind === 'space') j++;
        const paren = raw[j]?.text === '(';
        if (paren) j++;
        while (raw[j]?.kind === 'space') j++;
        const name = raw[j]?.kind === 'ident' ? raw[j].text : undefined;
        if (paren) {
          j++;
          while (raw[j]?.kind === 'space') j++;
        }
        if (!name) return [{ kind: 'punct', text: '?' }];
        const defined = this.isDefined(name, name === guard);
        resolved += defined === undefined ? ' ? ' : defined ? ' 1 ' : ' 0 ';
        i = j;
        continue;
      }
      if (/^__has_(include|include_next|attribute|builtin|feature|extension|c_attribute|cpp_attribute|warning)$/.test(token.text)) {
        let j = i + 1;
        while (raw[j]?.kind === 'space') j++;
        if (raw[j]?.text !== '(') {
          resolved += ' ? ';
          continue;
        }
        let depth = 0;
        let argument = '';
        for (; j < raw.length; j++) {
          const text = raw[j].text;
          if (text === '(' && depth++ === 0) continue;
          if (text === ')' && --depth === 0) break;
          argument += text;
        }
        i = j;
        resolved += token.text === '__has_include' && this.findHeader(argument.trim(), fromDir) ? ' 1 ' : ' ? ';
        continue;
      }
      resolved += token.text;
    }
    const expanded = this.conditionExpander.expandText(resolved, new Set(), 0);
    const tokens: Token[] = [];
    for (const token of tokenize(expanded)) {
      if (token.kind === 'space') continue;
      if (token.kind === 'ident') {
        const macro = this.macros.get(token.text);
        // What is left: names no macro defines (0 in C, unless an unread header may define them),
        // `true`/`false` keywords are not macros in C17, and predefined names of unknown value.
        const known = macro === undefined && (this.undefinedNames.has(token.text) || this.knownTargetNames.has(token.text) || this.unknownIsUndefined(token.text));
        tokens.push(known ? { kind: 'number', text: '0' } : { kind: 'punct', text: '?' });
        continue;
      }
      tokens.push(token);
    }
    return tokens;
  }

  private define(rest: string, hash: number): void {
    const m = /^\s*([A-Za-z_$][\w$]*)(\(([^)]*)\))?/.exec(rest);
    if (!m) return;
    const name = m[1];
    let params: string[] | undefined;
    let variadic = false;
    if (m[2] !== undefined) {
      params = m[3].split(',').map((p) => p.trim()).filter((p) => p !== '');
      const last = params[params.length - 1];
      if (last === '...') {
        params[params.length - 1] = '__VA_ARGS__';
        variadic = true;
      } else if (last?.endsWith('...')) {
        params[params.length - 1] = last.slice(0, -3).trim();
        variadic = true;
      }
    }
    const body = rest.slice(m[0].length).trim();
    this.undefinedNames.delete(name);
    const unit = this.units[this.units.length - 1];
    this.macros.set(name, { name, params, variadic, body, file: unit.file, start: hash, origin: 'source' });
    this.sourceMacros = true;
  }

  /** Follows an #include compiled in this variant. */
  private include(text: string, unit: PreprocessedUnit, unitIndex: number, source: string, hash: number, end: number, at: number, certain: boolean, fromDir: string, depth: number, via: IncludeDirective | undefined, isPreamble: boolean): void {
    let spec = parseIncludeName(source, hash, end);
    if (!spec) {
      // A computed include: `#include HEADER` with HEADER a macro of the project.
      const argument = text.replace(/^\s*\w+/, '');
      const expanded = this.conditionExpander.expandText(argument, new Set(), 0).trim();
      const m = /^(?:"([^"]+)"|<([^>]+)>)$/.exec(expanded);
      if (!m) {
        this.incomplete = true;
        return;
      }
      spec = { name: m[1] ?? m[2], system: m[2] !== undefined, nameStart: hash, nameEnd: end };
    }
    const isNext = /^\s*include_next/.test(text);
    const resolved = isNext ? this.findNextHeader(spec.name, unit.file) : this.findHeader(spec.system ? `<${spec.name}>` : `"${spec.name}"`, fromDir);
    const record: IncludeDirective = {
      unit: unitIndex,
      start: hash,
      end,
      name: spec.name,
      nameStart: spec.nameStart,
      nameEnd: spec.nameEnd,
      system: spec.system,
      resolved,
      certain: certain && (via?.certain ?? true),
      at,
      via,
    };
    unit.includes.push(record);
    if (!resolved) {
      this.systemIncluded = true;
      return;
    }
    if (this.headerUnits.has(resolved)) return;
    const headerText = this.readText(resolved);
    if (headerText === undefined) return;
    if (depth >= maxIncludeDepth || this.headerCount >= maxHeaders) {
      this.incomplete = true;
      return;
    }
    this.headerCount++;
    this.headerUnits.add(resolved);
    this.readUnit(resolved, headerText, path.dirname(resolved), depth + 1, isPreamble ? record : via, false);
  }

  private skip(unitIndex: number, source: string, hash: number, end: number): void {
    const spec = parseIncludeName(source, hash, end);
    if (spec) this.skipped.push({ unit: unitIndex, start: hash, end, ...spec });
  }

  /** The project header a `"name"` or `<name>` resolves to: next to the includer for quotes, then the include dirs. */
  private findHeader(spec: string, fromDir: string): string | undefined {
    const m = /^(?:"([^"]+)"|<([^>]+)>)$/.exec(spec);
    if (!m) return undefined;
    const name = m[1] ?? m[2];
    const dirs = m[1] !== undefined ? [fromDir, ...this.config.dirs] : this.config.dirs;
    for (const dir of dirs) {
      const candidate = path.resolve(dir, name);
      if (this.headerUnits.has(candidate) || this.readText(candidate) !== undefined) return candidate;
    }
    return undefined;
  }

  /**
   * `#include_next <name>`: gcc searches the directories after the one the including file was
   * found in (the most specific one holding it); from a file in none of them, all of them.
   */
  private findNextHeader(name: string, includer: string): string | undefined {
    const dirs = this.config.dirs;
    let after = -1;
    let longest = -1;
    dirs.forEach((dir, index) => {
      const resolved = path.resolve(dir);
      if (includer.startsWith(resolved + path.sep) && resolved.length > longest) {
        longest = resolved.length;
        after = index;
      }
    });
    for (const dir of dirs.slice(after + 1)) {
      const candidate = path.resolve(dir, name);
      if (candidate !== includer && (this.headerUnits.has(candidate) || this.readText(candidate) !== undefined)) return candidate;
    }
    return undefined;
  }

  /** Copies compiled code, expanding the project's macros; most code has none to expand. */
  private expandCode(source: string, from: number, to: number, out: Output): void {
    if (!this.sourceMacros) {
      out.copy(from, to);
      return;
    }
    const pattern = /[A-Za-z_$][\w$]*|(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|\/\*[\s\S]*?(?:\*\/|$)|\/\/[^\n]*/g;
    const text = source.slice(from, to);
    let copied = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const word = m[0];
      if (!isIdentStart(word.charCodeAt(0))) continue;
      const macro = this.expander.lookup(word);
      if (!macro) continue;
      let invocationEnd = m.index + word.length;
      let args: string[] | undefined;
      if (macro.params) {
        const call = scanArgs(text, invocationEnd);
        if (!call) continue;
        invocationEnd = call.end;
        args = call.args;
      }
      if (this.expander.exhausted) break;
      // Arguments written over several lines expand onto one: the invocation's line breaks follow it.
      const replacement = this.expander.replace(macro, args, new Set(), 0).replace(/\n/g, ' ');
      out.copy(from + copied, from + m.index);
      out.expansion(replacement, from + m.index, from + invocationEnd);
      copied = invocationEnd;
      pattern.lastIndex = invocationEnd;
    }
    out.copy(from + copied, to);
  }

}

/**
 * The arguments of a function-like invocation in code, when the next thing after `from` (past
 * spaces, line breaks and comments) is `(`; scanned once, so a long file of invocations stays linear.
 */
function scanArgs(text: string, from: number): { args: string[]; end: number } | undefined {
  let i = from;
  // An invocation never closed is not looked for to the end of a long text again and again.
  const n = Math.min(text.length, from + 64 * 1024);
  for (;;) {
    while (i < n && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 10)) i++;
    if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      i = close + 2;
    } else if (text.startsWith('//', i)) {
      const lineEnd = text.indexOf('\n', i);
      if (lineEnd === -1) return undefined;
      i = lineEnd + 1;
    } else break;
  }
  if (text.charCodeAt(i) !== 40 /* ( */) return undefined;
  const args: string[] = [];
  let depth = 0;
  let argStart = i + 1;
  let current = '';
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      const lineEnd = text.indexOf('\n', i);
      i = literalEnd(text, i, lineEnd === -1 ? n : lineEnd) - 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      current += text.slice(argStart, i) + ' ';
      i = close + 1;
      argStart = i + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const lineEnd = text.indexOf('\n', i);
      if (lineEnd === -1) return undefined;
      current += text.slice(argStart, i) + ' ';
      i = lineEnd;
      argStart = i;
    } else if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    else if (c === 41 || (c === 44 && depth === 0)) {
      args.push(current + text.slice(argStart, i));
      current = '';
      argStart = i + 1;
      if (c === 41) return { args: args.length === 1 && args[0].trim() === '' ? [] : args, end: i + 1 };
    }
  }
  return undefined;
}

/** Appends a compiled source range, joined to the previous one when they touch with the same certainty. */
function addActive(active: PreprocessedUnit['active'], start: number, end: number, certain: boolean): void {
  const last = active[active.length - 1];
  if (last && last.certain === certain && last.end + 1 >= start) last.end = Math.max(last.end, end);
  else active.push({ start, end, certain });
}

/** Whether gcc compiles the source offset of a unit in this reading: certainly, only under an undecided condition, or not. */
export function compiledAt(unit: PreprocessedUnit, offset: number): 'certain' | 'undecided' | undefined {
  const active = unit.active;
  let low = 0;
  let high = active.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (active[mid].end < offset) low = mid + 1;
    else if (active[mid].start > offset) high = mid - 1;
    else return active[mid].certain ? 'certain' : 'undecided';
  }
  return undefined;
}

/** The name of `#include "x"` / `<x>` as written, with its position; undefined when computed. */
function parseIncludeName(source: string, hash: number, end: number): { name: string; system: boolean; nameStart: number; nameEnd: number } | undefined {
  const m = /^#[ \t]*(?:include_next|include|import)[ \t]*(?:"([^"\n]*)"|<([^>\n]*)>)/.exec(source.slice(hash, end));
  if (!m) return undefined;
  const name = m[1] ?? m[2];
  const nameStart = hash + m[0].length - 1 - name.length;
  return { name, system: m[2] !== undefined, nameStart, nameEnd: nameStart + name.length };
}

/** Predefined macros, then the -D and -U flags in order. */
function initialMacros(config: CppConfig, predefinedMacros: PredefinedMacros): Map<string, Macro> {
  const macros = new Map<string, Macro>();
  const predefined = (name: string, value: PredefinedValue, origin: Macro['origin']): void =>
    void macros.set(name, { name, params: undefined, variadic: false, body: value, file: undefined, start: 0, origin });
  for (const [name, value] of predefinedMacros.of(config.target, config.flags)) predefined(name, value, 'predefined');
  const flags = config.flags;
  for (let i = 0; i < flags.length; i++) {
    let flag = flags[i];
    if ((flag === '-D' || flag === '-U') && i + 1 < flags.length) flag += flags[++i];
    if (flag.startsWith('-D') && flag.length > 2) {
      const definition = flag.slice(2);
      const eq = definition.indexOf('=');
      const head = eq === -1 ? definition : definition.slice(0, eq);
      const body = eq === -1 ? '1' : definition.slice(eq + 1);
      const fn = /^([A-Za-z_$][\w$]*)\(([^)]*)\)$/.exec(head);
      const name = fn ? fn[1] : head;
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
      const params = fn ? fn[2].split(',').map((p) => p.trim()).filter((p) => p !== '') : undefined;
      macros.set(name, { name, params, variadic: false, body, file: undefined, start: 0, origin: 'flag' });
    } else if (flag.startsWith('-U') && flag.length > 2) macros.delete(flag.slice(2));
  }
  return macros;
}

/**
 * The preprocessor's view of a file's preambles (given in order, as cmd/cgo joins them). Cost
 * is linear in the text read, times the variants (at most maxVariants); expansions produce at
 * most a few times the source's size. `predefined` is the engine's.
 */
export function preprocess(inputs: CppInput[], config: CppConfig, readText: ReadText, predefined: PredefinedMacros): PreprocessedView {
  const sourceSize = inputs.reduce((sum, input) => sum + input.text.length, 0);
  const budget = 4 * sourceSize + 1024 * 1024;
  const view: PreprocessedView = { variants: [], includes: [], skippedIncludes: [], headers: [], headerTexts: new Map(), incomplete: false, undecided: false };
  const seenTexts = new Set<string>();
  const seenIncludes = new Set<string>();
  let wanted = 1;
  for (let choice = 0; choice < Math.min(wanted, config.closedWorld ? 1 : maxVariants); choice++) {
    const reading = new Reading(config, readText, choice, budget, predefined);
    reading.readPreambles(inputs);
    wanted = Math.max(wanted, reading.maxCandidates);
    view.undecided ||= reading.undecided;
    view.incomplete ||= reading.incomplete;
    if (choice === 0) view.skippedIncludes = reading.skipped;
    const key = reading.units.map((u) => `${u.file}\0${u.text}`).join('\0\0');
    if (seenTexts.has(key)) continue;
    seenTexts.add(key);
    view.variants.push({ units: reading.units, macros: reading.macros });
    reading.units.forEach((unit, index) => {
      if (index >= inputs.length && !view.headerTexts.has(unit.file)) {
        view.headers.push(unit.file);
        view.headerTexts.set(unit.file, unit.source);
      }
      for (const include of unit.includes) {
        const id = `${index < inputs.length ? index : unit.file}\0${include.start}`;
        if (seenIncludes.has(id)) continue;
        seenIncludes.add(id);
        view.includes.push(include);
      }
    });
  }
  return view;
}
