// The go command's allowlist of #cgo flags and its check of pkg-config package names, ported
// line for line from Go 1.19.8 (the toolchain we pin):
//   cmd/go/internal/work/security.go  validCompilerFlags … checkFlags
//   cmd/go/internal/work/exec.go      CFlags/buildFlags (which list is checked, and how it is
//                                     named in the error), getPkgConfigFlags (package names)
//   cmd/go/internal/load/pkg.go       SafeArg
//   cmd/go/internal/cfg/cfg.go        Getenv: the environment, then the `go env -w` file
// The allowlist entries are Go regexps (RE2 syntax) matched with `re.FindString(arg) == arg`,
// and $CGO_<NAME>_ALLOW / $CGO_<NAME>_DISALLOW are Go regexps too, so this file also carries a
// translation of Go's regexp syntax (regexp/syntax/parse.go, regexp.Compile's Perl flags) into
// an equivalent JavaScript RegExp, with Go's parse errors.
import * as fs from 'node:fs';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Go regexps as JavaScript RegExps.
//
// The translation parses like regexp/syntax (same accepted syntax, same first error with the
// same text) and emits a RegExp with only the `u` flag whose leftmost-first match is Go's:
// every character class (., \d, [[:alpha:]], \pL, [^…], case folding under (?i)) becomes an
// explicit list of code-point ranges computed the way parse.go computes them; ^ and $ become
// JavaScript's input anchors or, under (?m), lookarounds for "\n"; groups become (?:…) (captures
// do not change what FindString returns); (?U) swaps greedy and lazy quantifiers.
// Not reproduced: Go's size limits on huge expressions ("expression too large", "expression
// nests too deeply"), and the rare patterns where an empty iteration of a loop is treated
// differently by RE2 and by backtracking (e.g. `(|a)*`). Unicode tables come from the
// JavaScript engine (Go 1.19 has Unicode 13.0.0).
// ---------------------------------------------------------------------------------------------

/** A parse error with regexp/syntax's text: "error parsing regexp: CODE: `EXPR`". */
export class GoRegexpError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'GoRegexpError';
  }
}

const ErrInvalidCharRange = 'invalid character class range';
const ErrInvalidEscape = 'invalid escape sequence';
const ErrInvalidNamedCapture = 'invalid named capture';
const ErrInvalidPerlOp = 'invalid or unsupported Perl syntax';
const ErrInvalidRepeatOp = 'invalid nested repetition operator';
const ErrInvalidRepeatSize = 'invalid repeat count';
const ErrMissingBracket = 'missing closing ]';
const ErrMissingParen = 'missing closing )';
const ErrMissingRepeatArgument = 'missing argument to repetition operator';
const ErrTrailingBackslash = 'trailing backslash at end of expression';
const ErrUnexpectedParen = 'unexpected )';

const FoldCase = 1;
const DotNL = 2;
const OneLine = 4;
const NonGreedy = 8;
/** regexp.Compile parses with syntax.Perl: ClassNL | OneLine | PerlX | UnicodeGroups. */
const perlFlags = OneLine;

const maxRune = 0x10ffff;
// parse.go: minimum and maximum runes involved in folding.
const minFold = 0x0041;
const maxFold = 0x1e943;

/** A class as parse.go keeps it: [lo0, hi0, lo1, hi1, …]. */
type Runes = number[];

// perl_groups.go
interface CharGroup {
  sign: number;
  class: Runes;
}
const perlClasses: Record<string, Runes> = {
  d: [0x30, 0x39],
  s: [0x9, 0xa, 0xc, 0xd, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};
const perlGroup = new Map<string, CharGroup>();
for (const [name, runes] of Object.entries(perlClasses)) {
  perlGroup.set(`\\${name}`, { sign: +1, class: runes });
  perlGroup.set(`\\${name.toUpperCase()}`, { sign: -1, class: runes });
}

const posixClasses: Record<string, Runes> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x0, 0x7f],
  blank: [0x9, 0x9, 0x20, 0x20],
  cntrl: [0x0, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x9, 0xd, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};
const posixGroup = new Map<string, CharGroup>();
for (const [name, runes] of Object.entries(posixClasses)) {
  posixGroup.set(`[:${name}:]`, { sign: +1, class: runes });
  posixGroup.set(`[:^${name}:]`, { sign: -1, class: runes });
}

// unicode.Categories and unicode.Scripts of Go 1.19 (the names \p{…} accepts).
const goCategories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
const goScripts = new Set(
  ('Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki ' +
    'Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee ' +
    'Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan ' +
    'Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi ' +
    'Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited ' +
    'Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi ' +
    'Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian ' +
    'Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui ' +
    'Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari ' +
    'New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian ' +
    'Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene ' +
    'Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham ' +
    'SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le ' +
    'Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Ugaritic Vai Wancho ' +
    'Warang_Citi Yezidi Yi Zanabazar_Square').split(' '),
);

const tableCache = new Map<string, Runes>();

/** unicodeTable: the code points of a Go category or script (enumerated once per name). */
function unicodeTable(name: string): Runes | undefined {
  if (name === 'Any') return [0, maxRune];
  let source: string;
  // Go's "C" is Cc|Cf|Co|Cs; JavaScript's \p{C} also holds the unassigned code points.
  if (name === 'C') source = '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]';
  else if (goCategories.has(name)) source = `\\p{${name}}`;
  else if (goScripts.has(name)) source = `\\p{Script=${name}}`;
  else return undefined;
  let table = tableCache.get(name);
  if (!table) {
    table = [];
    let re: RegExp;
    try {
      re = new RegExp(`^${source}$`, 'u');
    } catch {
      re = /[]/u; // a script this JavaScript engine does not know
    }
    let start = -1;
    for (let c = 0; c <= maxRune + 1; c++) {
      const inTable = c <= maxRune && re.test(String.fromCodePoint(c));
      if (inTable && start < 0) start = c;
      if (!inTable && start >= 0) {
        table.push(start, c - 1);
        start = -1;
      }
    }
    tableCache.set(name, table);
  }
  return table;
}

let foldOrbits: Map<number, number[]> | undefined;

/**
 * unicode.SimpleFold's orbits: the code points equivalent to c under Unicode simple case
 * folding, c included. JavaScript's /…/iu canonicalizes with the same simple case folding;
 * the candidates are the code points linked by single-code-point toLowerCase/toUpperCase.
 */
function orbit(c: number): number[] {
  if (c < minFold || c > maxFold) return [c];
  if (!foldOrbits) {
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      let r = x;
      while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
      parent.set(x, r);
      return r;
    };
    const union = (a: number, b: number): void => {
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    };
    for (let x = minFold; x <= maxFold; x++) {
      if (x >= 0xd800 && x <= 0xdfff) continue;
      const s = String.fromCodePoint(x);
      for (const t of [s.toLowerCase(), s.toUpperCase()]) {
        const y = t.codePointAt(0)!;
        if (t !== s && String.fromCodePoint(y) === t) union(x, y);
      }
    }
    const components = new Map<number, number[]>();
    for (const x of parent.keys()) {
      const r = find(x);
      let list = components.get(r);
      if (!list) components.set(r, (list = []));
      list.push(x);
    }
    foldOrbits = new Map();
    for (const members of components.values()) {
      for (const x of members) {
        const re = new RegExp(`^\\u{${x.toString(16)}}$`, 'iu');
        const same = members.filter((y) => re.test(String.fromCodePoint(y))).sort((a, b) => a - b);
        if (same.length > 1) foldOrbits.set(x, same);
      }
    }
  }
  return foldOrbits.get(c) ?? [c];
}

/** appendRange: appends lo-hi, merging with the last two ranges when they touch. */
function appendRange(r: Runes, lo: number, hi: number): Runes {
  const n = r.length;
  for (let i = 2; i <= 4; i += 2) {
    if (n >= i) {
      const rlo = r[n - i];
      const rhi = r[n - i + 1];
      if (lo <= rhi + 1 && rlo <= hi + 1) {
        if (lo < rlo) r[n - i] = lo;
        if (hi > rhi) r[n - i + 1] = hi;
        return r;
      }
    }
  }
  r.push(lo, hi);
  return r;
}

/** appendFoldedRange: lo-hi and every code point fold-equivalent to one of them. */
function appendFoldedRange(r: Runes, lo: number, hi: number): Runes {
  if (lo <= minFold && hi >= maxFold) return appendRange(r, lo, hi);
  if (hi < minFold || lo > maxFold) return appendRange(r, lo, hi);
  if (lo < minFold) {
    r = appendRange(r, lo, minFold - 1);
    lo = minFold;
  }
  if (hi > maxFold) {
    r = appendRange(r, maxFold + 1, hi);
    hi = maxFold;
  }
  for (let c = lo; c <= hi; c++) {
    r = appendRange(r, c, c);
    for (const f of orbit(c)) if (f !== c) r = appendRange(r, f, f);
  }
  return r;
}

function appendClass(r: Runes, x: Runes): Runes {
  for (let i = 0; i < x.length; i += 2) r = appendRange(r, x[i], x[i + 1]);
  return r;
}

function appendFoldedClass(r: Runes, x: Runes): Runes {
  for (let i = 0; i < x.length; i += 2) r = appendFoldedRange(r, x[i], x[i + 1]);
  return r;
}

function appendNegatedClass(r: Runes, x: Runes): Runes {
  let nextLo = 0;
  for (let i = 0; i < x.length; i += 2) {
    const lo = x[i];
    const hi = x[i + 1];
    if (nextLo <= lo - 1) r = appendRange(r, nextLo, lo - 1);
    nextLo = hi + 1;
  }
  if (nextLo <= maxRune) r = appendRange(r, nextLo, maxRune);
  return r;
}

/** cleanClass: sorted by lo (hi decreasing on ties), overlapping and abutting ranges merged. */
function cleanClass(r: Runes): Runes {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i], r[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Runes = [];
  for (const [lo, hi] of pairs) {
    const w = out.length;
    if (w >= 2 && lo <= out[w - 1] + 1) {
      if (hi > out[w - 1]) out[w - 1] = hi;
      continue;
    }
    out.push(lo, hi);
  }
  return out;
}

function negateClass(r: Runes): Runes {
  return appendNegatedClass([], r);
}

function isalnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

function unhex(c: string): number {
  return /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1;
}

function jsChar(c: number): string {
  return c < 0x80 && /[0-9A-Za-z]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : `\\u{${c.toString(16)}}`;
}

function jsClass(r: Runes): string {
  let s = '[';
  for (let i = 0; i < r.length; i += 2) s += r[i] === r[i + 1] ? jsChar(r[i]) : `${jsChar(r[i])}-${jsChar(r[i + 1])}`;
  return s + ']';
}

/** Nested counted repetitions, for repeatIsValid. */
interface RepeatNode {
  min: number;
  max: number;
  subs: RepeatNode[];
}

function repeatIsValid(re: RepeatNode, n: number): boolean {
  let m = re.max;
  if (m === 0) return true;
  if (m < 0) m = re.min;
  if (m > n) return false;
  if (m > 0) n = Math.trunc(n / m);
  return re.subs.every((sub) => repeatIsValid(sub, n));
}

/** One operand of a concatenation: JavaScript source that a quantifier may follow once wrapped. */
interface Item {
  js: string;
  /** The outermost counted repetitions inside. */
  repeats: RepeatNode[];
}

class GoRegexpParser {
  private pos = 0;
  private flags = perlFlags;
  /** Where the previous token started when it was a repetition operator, else -1. */
  private lastRepeat = -1;

  constructor(private readonly src: string) {}

  parse(): string {
    const js = this.alternation(0);
    return js.js;
  }

  /**
   * Parses alternatives until `)` (depth > 0) or the end. The `)` itself is left for the
   * caller; at depth 0 it is an error.
   */
  private alternation(depth: number): Item {
    const branches: Item[][] = [[]];
    const s = this.src;
    while (this.pos < s.length) {
      const items = branches[branches.length - 1];
      const start = this.pos;
      let repeat = -1;
      const c = s[this.pos];
      switch (c) {
        case '(': {
          if (s[this.pos + 1] === '?') {
            const group = this.perlFlags(depth);
            if (group) items.push(group);
            break;
          }
          this.pos++;
          items.push(this.group(depth, this.flags));
          break;
        }
        case '|':
          this.pos++;
          branches.push([]);
          break;
        case ')':
          if (depth === 0) throw new GoRegexpError(ErrUnexpectedParen, s);
          this.lastRepeat = -1;
          return this.joinBranches(branches);
        case '^':
          this.pos++;
          items.push({ js: this.flags & OneLine ? '^' : '(?<![^\\n])', repeats: [] });
          break;
        case '$':
          this.pos++;
          items.push({ js: this.flags & OneLine ? '$' : '(?![^\\n])', repeats: [] });
          break;
        case '.':
          this.pos++;
          items.push({ js: jsClass(this.flags & DotNL ? [0, maxRune] : [0, 0x9, 0xb, maxRune]), repeats: [] });
          break;
        case '[':
          items.push({ js: jsClass(this.charClass()), repeats: [] });
          break;
        case '*':
        case '+':
        case '?': {
          this.pos++;
          const [min, max] = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1];
          this.repeat(items, false, min, max, start);
          repeat = start;
          break;
        }
        case '{': {
          const parsed = this.parseRepeat(this.pos);
          if (!parsed) {
            this.literal(items, 0x7b);
            this.pos++;
            break;
          }
          const { min, max, end } = parsed;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
            throw new GoRegexpError(ErrInvalidRepeatSize, s.slice(start, end));
          }
          this.pos = end;
          this.repeat(items, true, min, max, start);
          repeat = start;
          break;
        }
        case '\\':
          this.backslash(items);
          break;
        default: {
          const cp = s.codePointAt(this.pos)!;
          this.pos += cp > 0xffff ? 2 : 1;
          this.literal(items, cp);
        }
      }
      this.lastRepeat = repeat;
    }
    if (depth > 0) throw new GoRegexpError(ErrMissingParen, s);
    return this.joinBranches(branches);
  }

  private joinBranches(branches: Item[][]): Item {
    const js = branches.map((items) => items.map((i) => i.js).join('')).join('|');
    return { js, repeats: branches.flatMap((items) => items.flatMap((i) => i.repeats)) };
  }

  /** After `(` or `(?:`: the group up to its `)`; flags come back as they were at the `(`. */
  private group(depth: number, flagsAtParen: number): Item {
    this.lastRepeat = -1;
    const inner = this.alternation(depth + 1);
    this.pos++; // the ')'
    this.flags = flagsAtParen;
    return { js: `(?:${inner.js})`, repeats: inner.repeats };
  }

  /** parsePerlFlags: (?P<name>…), (?flags), (?flags:…). Returns the group, or undefined for (?flags). */
  private perlFlags(depth: number): Item | undefined {
    const s = this.src;
    const start = this.pos;
    const t = s.slice(start);
    if (t.length > 4 && t[2] === 'P' && t[3] === '<') {
      const end = t.indexOf('>');
      if (end < 0) throw new GoRegexpError(ErrInvalidNamedCapture, t);
      const name = t.slice(4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new GoRegexpError(ErrInvalidNamedCapture, t.slice(0, end + 1));
      this.pos = start + end + 1;
      return this.group(depth, this.flags);
    }
    let i = start + 2;
    let flags = this.flags;
    let sign = +1;
    let sawFlag = false;
    // Go inverts the flags word after '-' so that setting turns into clearing; here `set` says which.
    const set = (bit: number, on: boolean): void => {
      flags = on ? flags | bit : flags & ~bit;
    };
    while (i < s.length) {
      const cp = s.codePointAt(i)!;
      const c = String.fromCodePoint(cp);
      i += c.length;
      const on = sign > 0;
      switch (c) {
        case 'i':
          set(FoldCase, on);
          sawFlag = true;
          continue;
        case 'm':
          set(OneLine, !on);
          sawFlag = true;
          continue;
        case 's':
          set(DotNL, on);
          sawFlag = true;
          continue;
        case 'U':
          set(NonGreedy, on);
          sawFlag = true;
          continue;
        case '-':
          if (sign < 0) break;
          sign = -1;
          sawFlag = false;
          continue;
        case ':':
        case ')': {
          if (sign < 0 && !sawFlag) break;
          this.pos = i;
          if (c === ':') {
            const outer = this.flags;
            this.flags = flags;
            return this.group(depth, outer);
          }
          this.flags = flags;
          return undefined;
        }
      }
      throw new GoRegexpError(ErrInvalidPerlOp, s.slice(start, i));
    }
    throw new GoRegexpError(ErrInvalidPerlOp, s.slice(start, i));
  }

  private literal(items: Item[], c: number): void {
    // Under (?i) a literal matches its whole SimpleFold orbit.
    const folded = this.flags & FoldCase ? orbit(c) : [c];
    items.push({ js: folded.length > 1 ? jsClass(cleanClass(folded.flatMap((x) => [x, x]))) : jsChar(c), repeats: [] });
  }

  /** repeat: wraps the last operand; `start` is where the operator began. */
  private repeat(items: Item[], counted: boolean, min: number, max: number, start: number): void {
    let flags = this.flags;
    if (this.src[this.pos] === '?') {
      this.pos++;
      flags ^= NonGreedy;
    }
    if (this.lastRepeat >= 0) throw new GoRegexpError(ErrInvalidRepeatOp, this.src.slice(this.lastRepeat, this.pos));
    if (items.length === 0) throw new GoRegexpError(ErrMissingRepeatArgument, this.src.slice(start, this.pos));
    const sub = items[items.length - 1];
    let quantifier: string;
    if (max < 0) quantifier = min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
    else if (min === 0 && max === 1) quantifier = '?';
    else quantifier = min === max ? `{${min}}` : `{${min},${max}}`;
    const js = `(?:${sub.js})${quantifier}${flags & NonGreedy ? '?' : ''}`;
    let repeats = sub.repeats;
    if (counted) {
      const node: RepeatNode = { min, max, subs: sub.repeats };
      if ((min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) {
        throw new GoRegexpError(ErrInvalidRepeatSize, this.src.slice(start, this.pos));
      }
      repeats = [node];
    }
    items[items.length - 1] = { js, repeats };
  }

  /** parseRepeat: {min} {min,} {min,max} at i, or undefined when `{` is a literal. min -1: too big. */
  private parseRepeat(i: number): { min: number; max: number; end: number } | undefined {
    const s = this.src;
    const int = (at: number): { n: number; end: number } | undefined => {
      if (!/[0-9]/.test(s[at] ?? '')) return undefined;
      if (s[at] === '0' && /[0-9]/.test(s[at + 1] ?? '')) return undefined;
      let end = at;
      while (/[0-9]/.test(s[end] ?? '')) end++;
      let n = 0;
      for (let k = at; k < end; k++) {
        if (n >= 1e8) {
          n = -1;
          break;
        }
        n = n * 10 + (s.charCodeAt(k) - 48);
      }
      return { n, end };
    };
    const lo = int(i + 1);
    if (!lo) return undefined;
    let min = lo.n;
    let max: number;
    let at = lo.end;
    if (at >= s.length) return undefined;
    if (s[at] !== ',') {
      max = min;
    } else {
      at++;
      if (at >= s.length) return undefined;
      if (s[at] === '}') {
        max = -1;
      } else {
        const hi = int(at);
        if (!hi) return undefined;
        max = hi.n;
        at = hi.end;
        if (max < 0) min = -1;
      }
    }
    if (s[at] !== '}') return undefined;
    return { min, max, end: at + 1 };
  }

  private backslash(items: Item[]): void {
    const s = this.src;
    const next = s[this.pos + 1];
    switch (next) {
      case 'A':
        this.pos += 2;
        items.push({ js: '^', repeats: [] });
        return;
      case 'b':
        this.pos += 2;
        items.push({ js: '\\b', repeats: [] });
        return;
      case 'B':
        this.pos += 2;
        items.push({ js: '\\B', repeats: [] });
        return;
      case 'C':
        throw new GoRegexpError(ErrInvalidEscape, '\\C');
      case 'Q': {
        const rest = s.slice(this.pos + 2);
        const end = rest.indexOf('\\E');
        const lit = end < 0 ? rest : rest.slice(0, end);
        this.pos = end < 0 ? s.length : this.pos + 2 + end + 2;
        for (const ch of lit) this.literal(items, ch.codePointAt(0)!);
        return;
      }
      case 'z':
        this.pos += 2;
        items.push({ js: '$', repeats: [] });
        return;
    }
    if (next === 'p' || next === 'P') {
      const r = this.unicodeClass([]);
      if (r) {
        items.push({ js: jsClass(r), repeats: [] });
        return;
      }
    }
    const perl = this.perlClassEscape([]);
    if (perl) {
      items.push({ js: jsClass(perl), repeats: [] });
      return;
    }
    this.literal(items, this.escape());
  }

  /** parseEscape: a single-character escape at pos (a backslash). */
  private escape(): number {
    const s = this.src;
    const start = this.pos;
    let i = start + 1;
    if (i >= s.length) throw new GoRegexpError(ErrTrailingBackslash, '');
    const take = (): string => {
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      i += ch.length;
      return ch;
    };
    const fail = (): never => {
      throw new GoRegexpError(ErrInvalidEscape, s.slice(start, i));
    };
    const c = take();
    if (c.length === 1 && c.charCodeAt(0) < 0x80 && !isalnum(c)) {
      this.pos = i;
      return c.charCodeAt(0);
    }
    const octal = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '7';
    if ((c >= '1' && c <= '7' && octal(s[i])) || c === '0') {
      let r = c.charCodeAt(0) - 48;
      for (let k = 1; k < 3; k++) {
        if (!octal(s[i])) break;
        r = r * 8 + s.charCodeAt(i) - 48;
        i++;
      }
      this.pos = i;
      return r;
    }
    if (c === 'x') {
      if (i >= s.length) fail();
      const d = take();
      if (d === '{') {
        let nhex = 0;
        let r = 0;
        for (;;) {
          if (i >= s.length) fail();
          const h = take();
          if (h === '}') break;
          const v = unhex(h);
          if (v < 0) fail();
          r = r * 16 + v;
          if (r > maxRune) fail();
          nhex++;
        }
        if (nhex === 0) fail();
        this.pos = i;
        return r;
      }
      const x = unhex(d);
      const e = i < s.length ? take() : '';
      const y = unhex(e);
      if (x < 0 || y < 0) fail();
      this.pos = i;
      return x * 16 + y;
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (c in simple) {
      this.pos = i;
      return simple[c];
    }
    return fail();
  }

  private appendGroup(r: Runes, g: CharGroup): Runes {
    if (!(this.flags & FoldCase)) return g.sign < 0 ? appendNegatedClass(r, g.class) : appendClass(r, g.class);
    const tmp = cleanClass(appendFoldedClass([], g.class));
    return g.sign < 0 ? appendNegatedClass(r, tmp) : appendClass(r, tmp);
  }

  /** parsePerlClassEscape: \d \D \s \S \w \W at pos. */
  private perlClassEscape(r: Runes): Runes | undefined {
    const g = perlGroup.get(this.src.slice(this.pos, this.pos + 2));
    if (!g) return undefined;
    this.pos += 2;
    return this.appendGroup(r, g);
  }

  /** parseUnicodeClass: \pL \p{Greek} \PL \p{^Greek} at pos; undefined when pos is not at \p or \P. */
  private unicodeClass(r: Runes): Runes | undefined {
    const s = this.src;
    const start = this.pos;
    if (s[start] !== '\\' || (s[start + 1] !== 'p' && s[start + 1] !== 'P')) return undefined;
    let sign = s[start + 1] === 'P' ? -1 : +1;
    let seq: string;
    let name: string;
    let end: number;
    if (s[start + 2] !== '{') {
      const c = start + 2 < s.length ? String.fromCodePoint(s.codePointAt(start + 2)!) : '';
      end = start + 2 + c.length;
      seq = s.slice(start, end);
      name = c;
    } else {
      const close = s.indexOf('}', start);
      if (close < 0) throw new GoRegexpError(ErrInvalidCharRange, s.slice(start));
      end = close + 1;
      seq = s.slice(start, end);
      name = s.slice(start + 3, close);
    }
    if (name.startsWith('^')) {
      sign = -sign;
      name = name.slice(1);
    }
    const tab = unicodeTable(name);
    if (!tab) throw new GoRegexpError(ErrInvalidCharRange, seq);
    this.pos = end;
    if (!(this.flags & FoldCase)) return sign > 0 ? appendClass(r, tab) : appendNegatedClass(r, tab);
    const tmp = cleanClass(appendFoldedClass([], tab));
    return sign > 0 ? appendClass(r, tmp) : appendNegatedClass(r, tmp);
  }

  /** parseClass: [ … ] at pos. */
  private charClass(): Runes {
    const s = this.src;
    const whole = s.slice(this.pos);
    this.pos++;
    let sign = +1;
    if (s[this.pos] === '^') {
      sign = -1;
      this.pos++;
    }
    let cls: Runes = [];
    let first = true;
    while (this.pos >= s.length || s[this.pos] !== ']' || first) {
      first = false;
      if (s.length - this.pos > 2 && s[this.pos] === '[' && s[this.pos + 1] === ':') {
        const rest = s.slice(this.pos);
        const close = rest.indexOf(':]', 2);
        if (close >= 0) {
          const name = rest.slice(0, close + 2);
          const g = posixGroup.get(name);
          if (!g) throw new GoRegexpError(ErrInvalidCharRange, name);
          this.pos += name.length;
          cls = this.appendGroup(cls, g);
          continue;
        }
      }
      const uni = this.unicodeClass(cls);
      if (uni) {
        cls = uni;
        continue;
      }
      const perl = this.perlClassEscape(cls);
      if (perl) {
        cls = perl;
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar(whole);
      let hi = lo;
      if (s.length - this.pos >= 2 && s[this.pos] === '-' && s[this.pos + 1] !== ']') {
        this.pos++;
        hi = this.classChar(whole);
        if (hi < lo) throw new GoRegexpError(ErrInvalidCharRange, s.slice(rangeStart, this.pos));
      }
      cls = this.flags & FoldCase ? appendFoldedRange(cls, lo, hi) : appendRange(cls, lo, hi);
    }
    this.pos++; // ']'
    cls = cleanClass(cls);
    return sign < 0 ? negateClass(cls) : cls;
  }

  private classChar(whole: string): number {
    const s = this.src;
    if (this.pos >= s.length) throw new GoRegexpError(ErrMissingBracket, whole);
    if (s[this.pos] === '\\') return this.escape();
    const cp = s.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

const compiled = new Map<string, RegExp | GoRegexpError>();

/** regexp.Compile: the Go regexp as an equivalent JavaScript RegExp; throws GoRegexpError. */
export function compileGoRegexp(expr: string): RegExp {
  let re = compiled.get(expr);
  if (!re) {
    try {
      re = new RegExp(new GoRegexpParser(expr).parse(), 'u');
    } catch (e) {
      if (!(e instanceof GoRegexpError)) throw e;
      re = e;
    }
    compiled.set(expr, re);
  }
  if (re instanceof GoRegexpError) throw re;
  return re;
}

/** Regexp.FindString: the text of the leftmost match, "" when there is none. */
export function findString(re: RegExp, s: string): string {
  re.lastIndex = 0;
  return re.exec(s)?.[0] ?? '';
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// security.go
// ---------------------------------------------------------------------------------------------

const validCompilerFlagSources = [
  String.raw`-D([A-Za-z_][A-Za-z0-9_]*)(=[^@\-]*)?`,
  String.raw`-U([A-Za-z_][A-Za-z0-9_]*)`,
  String.raw`-F([^@\-].*)`,
  String.raw`-I([^@\-].*)`,
  String.raw`-O`,
  String.raw`-O([^@\-].*)`,
  String.raw`-W`,
  String.raw`-W([^@,]+)`, // -Wall but not -Wa,-foo.
  String.raw`-Wa,-mbig-obj`,
  String.raw`-Wp,-D([A-Za-z_][A-Za-z0-9_]*)(=[^@,\-]*)?`,
  String.raw`-Wp,-U([A-Za-z_][A-Za-z0-9_]*)`,
  String.raw`-ansi`,
  String.raw`-f(no-)?asynchronous-unwind-tables`,
  String.raw`-f(no-)?blocks`,
  String.raw`-f(no-)builtin-[a-zA-Z0-9_]*`,
  String.raw`-f(no-)?common`,
  String.raw`-f(no-)?constant-cfstrings`,
  String.raw`-fdiagnostics-show-note-include-stack`,
  String.raw`-f(no-)?eliminate-unused-debug-types`,
  String.raw`-f(no-)?exceptions`,
  String.raw`-f(no-)?fast-math`,
  String.raw`-f(no-)?inline-functions`,
  String.raw`-finput-charset=([^@\-].*)`,
  String.raw`-f(no-)?fat-lto-objects`,
  String.raw`-f(no-)?keep-inline-dllexport`,
  String.raw`-f(no-)?lto`,
  String.raw`-fmacro-backtrace-limit=(.+)`,
  String.raw`-fmessage-length=(.+)`,
  String.raw`-f(no-)?modules`,
  String.raw`-f(no-)?objc-arc`,
  String.raw`-f(no-)?objc-nonfragile-abi`,
  String.raw`-f(no-)?objc-legacy-dispatch`,
  String.raw`-f(no-)?omit-frame-pointer`,
  String.raw`-f(no-)?openmp(-simd)?`,
  String.raw`-f(no-)?permissive`,
  String.raw`-f(no-)?(pic|PIC|pie|PIE)`,
  String.raw`-f(no-)?plt`,
  String.raw`-f(no-)?rtti`,
  String.raw`-f(no-)?split-stack`,
  String.raw`-f(no-)?stack-(.+)`,
  String.raw`-f(no-)?strict-aliasing`,
  String.raw`-f(un)signed-char`,
  String.raw`-f(no-)?use-linker-plugin`, // safe if -B is not used; we don't permit -B
  String.raw`-f(no-)?visibility-inlines-hidden`,
  String.raw`-fsanitize=(.+)`,
  String.raw`-ftemplate-depth-(.+)`,
  String.raw`-fvisibility=(.+)`,
  String.raw`-g([^@\-].*)?`,
  String.raw`-m32`,
  String.raw`-m64`,
  String.raw`-m(abi|arch|cpu|fpu|tune)=([^@\-].*)`,
  String.raw`-m(no-)?v?aes`,
  String.raw`-marm`,
  String.raw`-m(no-)?avx[0-9a-z]*`,
  String.raw`-mfloat-abi=([^@\-].*)`,
  String.raw`-mfpmath=[0-9a-z,+]*`,
  String.raw`-m(no-)?avx[0-9a-z.]*`,
  String.raw`-m(no-)?ms-bitfields`,
  String.raw`-m(no-)?stack-(.+)`,
  String.raw`-mmacosx-(.+)`,
  String.raw`-mios-simulator-version-min=(.+)`,
  String.raw`-miphoneos-version-min=(.+)`,
  String.raw`-mtvos-simulator-version-min=(.+)`,
  String.raw`-mtvos-version-min=(.+)`,
  String.raw`-mwatchos-simulator-version-min=(.+)`,
  String.raw`-mwatchos-version-min=(.+)`,
  String.raw`-mnop-fun-dllimport`,
  String.raw`-m(no-)?sse[0-9.]*`,
  String.raw`-m(no-)?ssse3`,
  String.raw`-mthumb(-interwork)?`,
  String.raw`-mthreads`,
  String.raw`-mwindows`,
  String.raw`--param=ssp-buffer-size=[0-9]*`,
  String.raw`-pedantic(-errors)?`,
  String.raw`-pipe`,
  String.raw`-pthread`,
  String.raw`-?-std=([^@\-].*)`,
  String.raw`-?-stdlib=([^@\-].*)`,
  String.raw`--sysroot=([^@\-].*)`,
  String.raw`-w`,
  String.raw`-x([^@\-].*)`,
  String.raw`-v`,
];

export const validCompilerFlagsWithNextArg: readonly string[] = [
  '-arch',
  '-D',
  '-U',
  '-I',
  '-F',
  '-framework',
  '-include',
  '-isysroot',
  '-isystem',
  '--sysroot',
  '-target',
  '-x',
];

const validLinkerFlagSources = [
  String.raw`-F([^@\-].*)`,
  String.raw`-l([^@\-].*)`,
  String.raw`-L([^@\-].*)`,
  String.raw`-O`,
  String.raw`-O([^@\-].*)`,
  String.raw`-f(no-)?(pic|PIC|pie|PIE)`,
  String.raw`-f(no-)?openmp(-simd)?`,
  String.raw`-fsanitize=([^@\-].*)`,
  String.raw`-flat_namespace`,
  String.raw`-g([^@\-].*)?`,
  String.raw`-headerpad_max_install_names`,
  String.raw`-m(abi|arch|cpu|fpu|tune)=([^@\-].*)`,
  String.raw`-mfloat-abi=([^@\-].*)`,
  String.raw`-mmacosx-(.+)`,
  String.raw`-mios-simulator-version-min=(.+)`,
  String.raw`-miphoneos-version-min=(.+)`,
  String.raw`-mthreads`,
  String.raw`-mwindows`,
  String.raw`-(pic|PIC|pie|PIE)`,
  String.raw`-pthread`,
  String.raw`-rdynamic`,
  String.raw`-shared`,
  String.raw`-?-static([-a-z0-9+]*)`,
  String.raw`-?-stdlib=([^@\-].*)`,
  String.raw`-v`,

  // Note that any wildcards in -Wl need to exclude comma,
  // since -Wl splits its argument at commas and passes
  // them all to the linker uninterpreted. Allowing comma
  // in a wildcard would allow tunneling arbitrary additional
  // linker arguments through one of these.
  String.raw`-Wl,--(no-)?allow-multiple-definition`,
  String.raw`-Wl,--(no-)?allow-shlib-undefined`,
  String.raw`-Wl,--(no-)?as-needed`,
  String.raw`-Wl,-Bdynamic`,
  String.raw`-Wl,-berok`,
  String.raw`-Wl,-Bstatic`,
  String.raw`-Wl,-Bsymbolic-functions`,
  String.raw`-Wl,-O([^@,\-][^,]*)?`,
  String.raw`-Wl,-d[ny]`,
  String.raw`-Wl,--disable-new-dtags`,
  String.raw`-Wl,-e[=,][a-zA-Z0-9]*`,
  String.raw`-Wl,--enable-new-dtags`,
  String.raw`-Wl,--end-group`,
  String.raw`-Wl,--(no-)?export-dynamic`,
  String.raw`-Wl,-E`,
  String.raw`-Wl,-framework,[^,@\-][^,]+`,
  String.raw`-Wl,--hash-style=(sysv|gnu|both)`,
  String.raw`-Wl,-headerpad_max_install_names`,
  String.raw`-Wl,--no-undefined`,
  String.raw`-Wl,-R([^@\-][^,@]*$)`,
  String.raw`-Wl,--just-symbols[=,]([^,@\-][^,@]+)`,
  String.raw`-Wl,-rpath(-link)?[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-s`,
  String.raw`-Wl,-search_paths_first`,
  String.raw`-Wl,-sectcreate,([^,@\-][^,]+),([^,@\-][^,]+),([^,@\-][^,]+)`,
  String.raw`-Wl,--start-group`,
  String.raw`-Wl,-?-static`,
  String.raw`-Wl,-?-subsystem,(native|windows|console|posix|xbox)`,
  String.raw`-Wl,-syslibroot[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-undefined[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-?-unresolved-symbols=[^,]+`,
  String.raw`-Wl,--(no-)?warn-([^,]+)`,
  String.raw`-Wl,-?-wrap[=,][^,@\-][^,]*`,
  String.raw`-Wl,-z,(no)?execstack`,
  String.raw`-Wl,-z,relro`,

  String.raw`[a-zA-Z0-9_/].*\.(a|o|obj|dll|dylib|so|tbd)`, // direct linker inputs: x.o or libfoo.so (but not -foo.o or @foo.o)
  String.raw`\./.*\.(a|o|obj|dll|dylib|so|tbd)`,
];

export const validLinkerFlagsWithNextArg: readonly string[] = [
  '-arch',
  '-F',
  '-l',
  '-L',
  '-framework',
  '-isysroot',
  '--sysroot',
  '-target',
  '-Wl,-framework',
  '-Wl,-rpath',
  '-Wl,-R',
  '-Wl,--just-symbols',
  '-Wl,-undefined',
];

/** The allowlists' Go regexps, as written in security.go. */
export const validCompilerFlagPatterns: readonly string[] = validCompilerFlagSources;
export const validLinkerFlagPatterns: readonly string[] = validLinkerFlagSources;

/**
 * A pattern compiled on first use, each on its own like cmd/go's lazyregexp: a flag is
 * usually allowed by one of the first patterns, and compiling all two hundred would cost
 * more than a whole check of a small package.
 */
class LazyRegExp {
  private compiled: RegExp | undefined;

  constructor(private readonly source: string) {}

  get regexp(): RegExp {
    return (this.compiled ??= compileGoRegexp(this.source));
  }
}

const compilerRegexps = validCompilerFlagSources.map((source) => new LazyRegExp(source));
const linkerRegexps = validLinkerFlagSources.map((source) => new LazyRegExp(source));

/** cfg.Getenv's view of the environment: a key's value, "" when unset. */
export type Getenv = (key: string) => string;

/** Where the overrides come from: a function like cfg.Getenv, or plain variables like process.env. */
export type FlagEnv = Getenv | Readonly<Record<string, string | undefined>>;

function getter(env: FlagEnv): Getenv {
  return typeof env === 'function' ? env : (key) => env[key] ?? '';
}

/** One argument the go command refuses. */
export interface FlagProblem {
  /** Index in the checked list of the offending argument. */
  index: number;
  /**
   * 'disallowed': not on the allowlist (or matched by $CGO_<NAME>_DISALLOW);
   * 'bad-next-arg': a flag that takes the next argument, followed by one that looks like a
   * flag or a response file (the message names both: index and index+1);
   * 'missing-next-arg': such a flag at the end of the list.
   */
  kind: 'disallowed' | 'bad-next-arg' | 'missing-next-arg';
  /** The go command's error for it, e.g. "invalid flag in #cgo CFLAGS: -fplugin=x". */
  message: string;
  /** $CGO_<NAME>_DISALLOW matched the argument ('disallowed' only). */
  byDisallow?: true;
}

export interface FlagCheck {
  /** What the go command reports: the first problem's message, or the environment error. */
  error: string | undefined;
  /** $CGO_<NAME>_ALLOW or _DISALLOW is not a valid Go regexp: the go command checks nothing else. */
  envError: string | undefined;
  /** Every problem, in order; the go command stops at the first. */
  problems: FlagProblem[];
}

/**
 * checkFlags, also collecting the problems after the first: after a refused argument it goes
 * on with the next one, also after a refused pair (so the argument the flag would have taken
 * is checked on its own, as it would be once the flag is removed). `env` undefined means
 * checkOverrides false.
 */
export function checkFlags(
  name: string,
  source: string,
  list: readonly string[],
  valid: readonly LazyRegExp[],
  validNext: readonly string[],
  env: FlagEnv | undefined,
): FlagCheck {
  // Let users override rules with $CGO_CFLAGS_ALLOW, $CGO_CFLAGS_DISALLOW, etc.
  let allow: RegExp | undefined;
  let disallow: RegExp | undefined;
  if (env !== undefined) {
    const getenv = getter(env);
    for (const which of ['ALLOW', 'DISALLOW'] as const) {
      const value = getenv(`CGO_${name}_${which}`);
      if (value === '') continue;
      try {
        const r = compileGoRegexp(value);
        if (which === 'ALLOW') allow = r;
        else disallow = r;
      } catch (e) {
        if (!(e instanceof GoRegexpError)) throw e;
        const envError = `parsing $CGO_${name}_${which}: ${e.message}`;
        return { error: envError, envError, problems: [] };
      }
    }
  }

  const problems: FlagProblem[] = [];
  Args: for (let i = 0; i < list.length; i++) {
    const arg = list[i];
    let byDisallow = false;
    bad: {
      if (disallow && findString(disallow, arg) === arg) {
        byDisallow = true;
        break bad;
      }
      if (allow && findString(allow, arg) === arg) continue Args;
      for (const re of valid) {
        if (findString(re.regexp, arg) === arg) continue Args; // must be complete match
      }
      for (const x of validNext) {
        if (arg !== x) continue;
        if (i + 1 < list.length && safeArg(list[i + 1])) {
          i++;
          continue Args;
        }

        // Permit -Wl,-framework -Wl,name.
        if (
          i + 1 < list.length &&
          arg.startsWith('-Wl,') &&
          list[i + 1].startsWith('-Wl,') &&
          safeArg(list[i + 1].slice(4)) &&
          !list[i + 1].slice(4).includes(',')
        ) {
          i++;
          continue Args;
        }

        // Permit -I= /path, -I $SYSROOT.
        if (i + 1 < list.length && arg === '-I') {
          if ((list[i + 1].startsWith('=') || list[i + 1].startsWith('$SYSROOT')) && safeArg(list[i + 1].slice(1))) {
            i++;
            continue Args;
          }
        }

        if (i + 1 < list.length) {
          problems.push({
            index: i,
            kind: 'bad-next-arg',
            message: `invalid flag in ${source}: ${arg} ${list[i + 1]} (see https://golang.org/s/invalidflag)`,
          });
          continue Args;
        }
        problems.push({
          index: i,
          kind: 'missing-next-arg',
          message: `invalid flag in ${source}: ${arg} without argument (see https://golang.org/s/invalidflag)`,
        });
        continue Args;
      }
    }
    problems.push({ index: i, kind: 'disallowed', message: `invalid flag in ${source}: ${arg}`, ...(byDisallow ? { byDisallow: true as const } : {}) });
  }
  return { error: problems[0]?.message, envError: undefined, problems };
}

/** The check of compiler flags (CPPFLAGS, CFLAGS, CXXFLAGS, FFLAGS) with every problem. */
export function compilerFlagProblems(name: string, source: string, list: readonly string[], env: FlagEnv = {}): FlagCheck {
  return checkFlags(name, source, list, compilerRegexps, validCompilerFlagsWithNextArg, env);
}

/** The check of linker flags (LDFLAGS) with every problem. */
export function linkerFlagProblems(name: string, source: string, list: readonly string[], env: FlagEnv = {}): FlagCheck {
  return checkFlags(name, source, list, linkerRegexps, validLinkerFlagsWithNextArg, env);
}

/** checkCompilerFlags: the go command's error, or undefined. */
export function checkCompilerFlags(name: string, source: string, list: readonly string[], env: FlagEnv = {}): string | undefined {
  return compilerFlagProblems(name, source, list, env).error;
}

/** checkLinkerFlags: the go command's error, or undefined. */
export function checkLinkerFlags(name: string, source: string, list: readonly string[], env: FlagEnv = {}): string | undefined {
  return linkerFlagProblems(name, source, list, env).error;
}

/**
 * checkCompilerFlagsForInternalLink: an error when the flags may not be fully supported by
 * internal linking (the go command then links externally); no environment overrides.
 */
export function checkCompilerFlagsForInternalLink(name: string, source: string, list: readonly string[]): string | undefined {
  const err = checkFlags(name, source, list, compilerRegexps, validCompilerFlagsWithNextArg, undefined).error;
  if (err !== undefined) return err;
  // Currently the only flag on the allow list that causes problems
  // for the linker is "-flto"; check for it manually here.
  for (const fl of list) {
    if (fl.startsWith('-flto')) return `flag ${JSON.stringify(fl)} triggers external linking`;
  }
  return undefined;
}

/** Which check the go command applies to the #cgo flags of each verb (exec.go, CFlags), in its order. */
export const flagVerbs = [
  { verb: 'CPPFLAGS', linker: false },
  { verb: 'CFLAGS', linker: false },
  { verb: 'CXXFLAGS', linker: false },
  { verb: 'FFLAGS', linker: false },
  { verb: 'LDFLAGS', linker: true },
] as const;

// ---------------------------------------------------------------------------------------------
// load.SafeArg and pkg-config package names (exec.go, getPkgConfigFlags)
// ---------------------------------------------------------------------------------------------

/**
 * load.SafeArg: arg does not look like a flag or a response file (@file): it starts with an
 * ASCII letter or digit, '.', '_', '/', or a non-ASCII character.
 */
export function safeArg(name: string): boolean {
  if (name === '') return false;
  const c = name.charCodeAt(0);
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x5f || c === 0x2f || c >= 0x80
  );
}

export interface PkgConfigProblem {
  /** Index of the package name in the #cgo pkg-config arguments. */
  index: number;
  message: string;
}

/**
 * getPkgConfigFlags: "--" is dropped, arguments starting with "--" are pkg-config options
 * (moved before the go command's own "--", not checked), every other argument is a package
 * name and must be a SafeArg. The go command reports the first bad name.
 */
export function pkgConfigProblems(args: readonly string[]): PkgConfigProblem[] {
  const problems: PkgConfigProblem[] = [];
  for (const [index, arg] of args.entries()) {
    if (arg === '--' || arg.startsWith('--')) continue;
    if (!safeArg(arg)) problems.push({ index, message: `invalid pkg-config package name: ${arg}` });
  }
  return problems;
}

/** The go command's pkg-config name error, or undefined. */
export function checkPkgConfigNames(args: readonly string[]): string | undefined {
  return pkgConfigProblems(args)[0]?.message;
}

// ---------------------------------------------------------------------------------------------
// cfg.Getenv: the environment first, then the file `go env -w` writes
// ---------------------------------------------------------------------------------------------

/** cfg.EnvFile: $GOENV, else os.UserConfigDir()/go/env; undefined for GOENV=off or no config dir. */
export function goEnvFile(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string | undefined {
  const file = env.GOENV ?? '';
  if (file !== '') return file === 'off' ? undefined : file;
  let dir: string;
  switch (platform) {
    case 'win32':
      dir = env.AppData ?? env.APPDATA ?? '';
      if (dir === '') return undefined;
      break;
    case 'darwin':
      dir = env.HOME ?? '';
      if (dir === '') return undefined;
      dir += '/Library/Application Support';
      break;
    default:
      dir = env.XDG_CONFIG_HOME ?? '';
      if (dir === '') {
        dir = env.HOME ?? '';
        if (dir === '') return undefined;
        dir += '/.config';
      }
  }
  return path.join(dir, 'go/env');
}

/** initEnvCache: KEY=VALUE lines; lines without '=' or not starting with A-Z are ignored. */
export function parseGoEnvFile(data: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of data.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0 || line[0] < 'A' || line[0] > 'Z') continue;
    m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/**
 * cfg.Getenv over `env` (default: this process's environment): a non-empty variable wins,
 * else the `go env -w` file is consulted (read once per Getenv).
 */
export function goGetenv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
  platform: NodeJS.Platform = process.platform,
): Getenv {
  let fileValues: Map<string, string> | undefined;
  return (key) => {
    const value = env[key] ?? '';
    if (value !== '') return value;
    if (!fileValues) {
      fileValues = new Map();
      const file = goEnvFile(env, platform);
      if (file) {
        try {
          fileValues = parseGoEnvFile(readFile(file));
        } catch {
          // A missing or unreadable file is an empty one, as for the go command.
        }
      }
    }
    return fileValues.get(key) ?? '';
  };
}
