// Whether a line of a preamble reads as natural language: a positive judgement on the line's
// own text, made without the C parse (which cannot tell prose from C it fails on: tree-sitter
// does not preprocess, nor know Objective-C or every GNU extension). A line that reads as code
// is never prose, however badly it parses.

/** What a preamble line is, as the C compiler's lexer sees it, before any parse. */
export interface LexedLine {
  /** The line with comments blanked and the insides of string and character literals blanked. */
  code: string;
  /** The line is a preprocessor directive or a continuation of one. */
  directive: boolean;
  /** The line ends in `\`: the C compiler joins the next line to it. */
  continues: boolean;
  /** Under an #if that is known false (`#if 0`, `#ifdef __cplusplus`): the C compiler skips it. */
  skipped: boolean;
  /** Under an #if whose value is not known here. */
  conditional: boolean;
}

export interface LexedText {
  lines: LexedLine[];
  /** Names `#define`d in the text. */
  macros: Set<string>;
}

type Truth = 'yes' | 'no' | 'maybe';
interface Conditional {
  /** Whether an earlier branch of this #if was taken. */
  taken: Truth;
  current: Truth;
}

/** A condition's value where it is plain: `0`, `1`, and cgo compiling C, not C++ (cmd/cgo runs gcc on C). */
function conditionValue(directive: string, argument: string): Truth {
  const arg = argument.trim();
  if (directive === 'ifdef') return arg === '__cplusplus' ? 'no' : 'maybe';
  if (directive === 'ifndef') return arg === '__cplusplus' ? 'yes' : 'maybe';
  if (/^0+$/.test(arg)) return 'no';
  if (/^[1-9]\d*$/.test(arg)) return 'yes';
  if (/^defined\s*\(?\s*__cplusplus\s*\)?$/.test(arg)) return 'no';
  return 'maybe';
}

function applyDirective(stack: Conditional[], directive: string, argument: string): void {
  const top = stack[stack.length - 1];
  switch (directive) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      const value = conditionValue(directive, argument);
      stack.push({ taken: value, current: value });
      return;
    }
    case 'elif':
    case 'elifdef':
    case 'elifndef': {
      if (!top) return;
      const value = conditionValue(directive === 'elif' ? 'if' : directive.slice(2), argument);
      top.current = top.taken === 'yes' ? 'no' : top.taken === 'no' ? value : value === 'no' ? 'no' : 'maybe';
      if (top.current === 'yes') top.taken = 'yes';
      else if (top.current === 'maybe' && top.taken === 'no') top.taken = 'maybe';
      return;
    }
    case 'else':
      if (!top) return;
      top.current = top.taken === 'yes' ? 'no' : top.taken === 'no' ? 'yes' : 'maybe';
      top.taken = 'yes';
      return;
    case 'endif':
      stack.pop();
      return;
  }
}

const charLiteral = /^'(?:\\(?:[0-7]{1,3}|x[0-9A-Fa-f]+|.)|[^'\\\n]){1,4}'/;

/**
 * Lexes a C text line by line the way the C compiler's first phases do: comments, string and
 * character literals, line continuations, directives and the #if nesting. One pass, linear.
 */
export function lexC(text: string): LexedText {
  const lines: LexedLine[] = [];
  const macros = new Set<string>();
  const stack: Conditional[] = [];
  let inComment = false;
  let continuedDirective = false;
  let start = 0;
  for (;;) {
    const lineBreak = text.indexOf('\n', start);
    const end = lineBreak === -1 ? text.length : lineBreak;
    const raw = text.slice(start, end);
    const skipped = stack.some((c) => c.current === 'no');
    const conditional = stack.some((c) => c.current === 'maybe');
    let code = '';
    let i = 0;
    // Ordinary characters are copied a stretch at a time, up to the next one that may start a
    // comment or a literal.
    const special = /[/"']/g;
    while (i < raw.length) {
      if (inComment) {
        const close = raw.indexOf('*/', i);
        if (close === -1) {
          code += ' '.repeat(raw.length - i);
          break;
        }
        code += ' '.repeat(close + 2 - i);
        i = close + 2;
        inComment = false;
        continue;
      }
      special.lastIndex = i;
      const next = special.exec(raw);
      const at = next ? next.index : raw.length;
      code += raw.slice(i, at);
      i = at;
      if (!next) break;
      const ch = raw[i];
      if (ch === '/' && raw[i + 1] === '/') {
        code += ' '.repeat(raw.length - i);
        break;
      }
      if (ch === '/' && raw[i + 1] === '*') {
        inComment = true;
        code += '  ';
        i += 2;
        continue;
      }
      if (ch === '"') {
        let j = i + 1;
        while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
        const closed = j < raw.length;
        code += '"' + ' '.repeat(Math.min(j, raw.length) - i - 1) + (closed ? '"' : '');
        i = closed ? j + 1 : raw.length;
        continue;
      }
      // An apostrophe inside a word (`don't`) is prose; a character literal has its C shape.
      if (ch === "'" && !/\p{L}/u.test(raw[i - 1] ?? '')) {
        const literal = charLiteral.exec(raw.slice(i, i + 16));
        if (literal) {
          code += "'" + ' '.repeat(literal[0].length - 2) + "'";
          i += literal[0].length;
          continue;
        }
      }
      code += ch;
      i++;
    }
    const continues = raw.endsWith('\\');
    const directiveStart: boolean = !continuedDirective && /^\s*#/.test(code);
    const directive: boolean = continuedDirective || directiveStart;
    if (directiveStart) {
      const match = /^\s*#\s*(\w+)\s*(.*)$/.exec(code);
      if (match) {
        applyDirective(stack, match[1], match[2]);
        const defined = match[1] === 'define' ? /^(\w+)/.exec(match[2]) : null;
        if (defined) macros.add(defined[1]);
      }
    }
    continuedDirective = directive && continues;
    lines.push({ code, directive, continues, skipped, conditional });
    if (lineBreak === -1) break;
    start = lineBreak + 1;
  }
  return { lines, macros };
}

export type ProseKind = 'note' | 'licence' | 'markdown' | 'sentence' | 'decoration';

// C words that make a line read as code wherever they stand: types, storage classes, qualifiers.
const cTypeWords = new Set([
  'auto', 'bool', 'char', 'const', 'double', 'enum', 'extern', 'float', 'inline', 'int', 'long', 'register',
  'restrict', 'short', 'signed', 'sizeof', 'static', 'struct', 'typedef', 'union', 'unsigned', 'void', 'volatile',
  '_Bool', '_Complex', '_Atomic', '_Thread_local', '_Noreturn', '_Alignas', '_Static_assert', 'complex',
  '__attribute__', '__extension__', '__inline', '__inline__', '__restrict', '__asm__', 'asm', 'return', 'goto',
]);

// Words found in English sentences, rarely alone as C identifiers. Compared in lower case.
const stopwords = new Set([
  'the', 'an', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'to', 'of', 'in', 'on', 'at', 'by', 'with', 'from',
  'this', 'that', 'these', 'those', 'it', 'its', "it's", 'and', 'or', 'not', 'as', 'we', 'you', 'our', 'your', 'they',
  'their', 'should', 'must', 'can', 'will', 'may', 'would', 'could', 'has', 'have', 'had', 'use', 'see', 'when',
  'which', 'who', 'what', 'how', 'than', 'then', 'there', 'here', 'only', 'also', 'but', 'so', 'because', 'about',
  'into', 'over', 'after', 'before', 'all', 'any', 'each', 'no', 'does', "don't", "doesn't", 'just', 'like', 'such',
  'more', 'most', 'some', 'very', 'etc', 'if', 'for', 'do', 'us', 'my', 'me', 'his', 'her', 'them',
]);

const noteMarker = /^(?:NOTE|TODO|FIXME|XXX|HACK|BUG|WARNING|IMPORTANT)(?:\([^)]*\))?(?::|\s+\p{L}|\s*$)/u;
const capitalizedNote = /^(?:Note|Todo|Warning|Important|Caution|Example|Examples|Usage|See also)(?:\s*\([^)]*\))?:/;
const licence =
  /^(?:Copyright\b|\(c\)\s|©|SPDX-License-Identifier:|Licensed under\b|All rights reserved|Permission is hereby granted|THE SOFTWARE IS PROVIDED|Use of this source code is governed|This (?:program|file|library|software) is free software|Redistribution and use\b)/i;

/**
 * Whether a line's code (comments and literal contents blanked, see lexC) reads as natural
 * language, and how. `blockLine`: the line comes from a `/* *\/` preamble, where a leading
 * `*` is comment decoration.
 */
export function proseKind(code: string, blockLine = false): ProseKind | undefined {
  const line = code.trim();
  if (line === '') return undefined;
  if (blockLine && /^\*/.test(line) && !line.startsWith('*/')) {
    const rest = line.replace(/^\*+/, '').trim();
    if (rest === '' || rest.startsWith('#') || proseKind(rest) !== undefined) return 'decoration';
    return undefined;
  }
  if (noteMarker.test(line) || capitalizedNote.test(line)) return 'note';
  if (licence.test(line)) return 'licence';
  // A URL: its `//` was taken for a comment.
  if (/(?:^|\s)<?(?:https?|ftp):$/.test(line) && !cShaped(line)) return 'note';
  if (cShaped(line)) return undefined;
  if (line.includes('`') || /\]\((?:https?:|#)/.test(line) || /(?:^|\s)\*\*\p{L}[\p{L} ]*\*\*(?:$|[\s.,:])/u.test(line)) return 'markdown';
  const bullet = /^(?:[-+>]|\d{1,2}[.)])\s+(?=\p{L})/u.exec(line);
  if (bullet) return readsAsSentence(line.slice(bullet[0].length)) ? 'markdown' : undefined;
  return readsAsSentence(line) ? 'sentence' : undefined;
}

/** C shapes: statements and blocks, directives, Objective-C (`@interface`, `[obj msg]`, `- (id)x`). */
function cShaped(line: string): boolean {
  return (
    /[;{}\\]$/.test(line) ||
    /^[{}#@[]/.test(line) ||
    /^[-+]\s*\(/.test(line) ||
    /[={}]|->|::|&&|\|\||\b(?:if|while|for|switch|return|sizeof)\s*\(|\bcase\b.*:|\bdefault\s*:/.test(line)
  );
}

/** Words separated by spaces, mostly plain words, with a stopword or a sentence's last mark. */
function readsAsSentence(line: string): boolean {
  if (cShaped(line)) return false;
  const chunks = line.split(/\s+/);
  if (/^[A-Za-z_]\w*\(/.test(chunks[0])) return false;
  let plain = 0;
  let code = 0;
  let stops = 0;
  chunks.forEach((chunk, index) => {
    const word = chunk.replace(/^[("'“‘]+/, '').replace(/[.,;:!?)"'”’]+$/, '');
    if (word === '' || /^[\d.,%x]+$/.test(word)) return;
    if (cTypeWords.has(word)) {
      code++;
      return;
    }
    // Flags (-Wall), file names and C names mentioned in a sentence (stdlib.h, C.free).
    if (/^--?[A-Za-z][\w=,.-]*$/.test(word) || /^\w+(?:\.\w+)+$/.test(word) || /^\w+\(\)$/.test(word)) return;
    if (/^\p{L}\p{Ll}*(?:['’-]\p{L}+)*$/u.test(word)) {
      // One letter is a C name (`int a, b`), except the article before a word.
      if (word.length === 1 && !(/^[aAI]$/.test(word) && /^\p{Ll}{3,}/u.test(chunks[index + 1] ?? ''))) return;
      plain++;
      if (stopwords.has(word.toLowerCase()) || word === 'a' || word === 'A' || word === 'I') stops++;
      return;
    }
    // Acronyms (API, GCC) are neither.
    if (/^\p{Lu}{2,5}s?$/u.test(word)) return;
    code++;
  });
  if (plain < 2 || plain < 3 * code) return false;
  return stops > 0 || /[.!?:]$/.test(line);
}
