// Go regexps (RE2 syntax, as regexp.Compile parses them with its Perl flags) as equivalent
// JavaScript RegExps, with Go's parse errors: the go command's #cgo flag allowlist and
// $CGO_<NAME>_ALLOW / $CGO_<NAME>_DISALLOW are Go regexps matched with
// `re.FindString(arg) == arg`. Ported from Go 1.19.8's regexp/syntax/parse.go and perl_groups.go.
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

import { BoundedCache } from './cache';

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

/** unicodeTable: the code points of a Go category or script (enumerated once per name, kept in `tables`). */
function unicodeTable(name: string, tables: BoundedCache<string, Runes>): Runes | undefined {
  if (name === 'Any') return [0, maxRune];
  let source: string;
  // Go's "C" is Cc|Cf|Co|Cs; JavaScript's \p{C} also holds the unassigned code points.
  if (name === 'C') source = '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]';
  else if (goCategories.has(name)) source = `\\p{${name}}`;
  else if (goScripts.has(name)) source = `\\p{Script=${name}}`;
  else return undefined;
  return tables.get(name, () => {
    const table: Runes = [];
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
    return table;
  });
}

/**
 * Built once for the process on first use: constant data of the JavaScript engine's Unicode
 * version (as a table of Go's unicode package), not a cache of inputs.
 */
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

  constructor(
    private readonly src: string,
    private readonly tables: BoundedCache<string, Runes>,
  ) {}

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
    const tab = unicodeTable(name, this.tables);
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

/** Go regexps compiled, with the Unicode tables they use: one per engine (its FlagChecks), freed with it. */
export class GoRegexps {
  /**
   * By source: the allowlists of every release (a pattern several releases share is compiled
   * once) and the user's $CGO_<NAME>_ALLOW/_DISALLOW values.
   */
  private readonly compiled = new BoundedCache<string, RegExp | GoRegexpError>({ maxWeight: 4096 });
  /** By Unicode category or script name: more than there are names, so none is enumerated twice. */
  private readonly tables = new BoundedCache<string, Runes>({ maxWeight: 1024 });

  /** regexp.Compile: the Go regexp as an equivalent JavaScript RegExp; throws GoRegexpError. */
  compile(expr: string): RegExp {
    const re = this.compiled.get(expr, () => {
      try {
        return new RegExp(new GoRegexpParser(expr, this.tables).parse(), 'u');
      } catch (e) {
        if (!(e instanceof GoRegexpError)) throw e;
        return e;
      }
    });
    if (re instanceof GoRegexpError) throw re;
    return re;
  }

  /** Regexps and Unicode tables kept. */
  get size(): number {
    return this.compiled.size + this.tables.size;
  }

  dispose(): void {
    this.compiled.dispose();
    this.tables.dispose();
  }
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
