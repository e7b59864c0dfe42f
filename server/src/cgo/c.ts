// C syntax over a preamble, through tree-sitter-c, and the lines in it that read as prose.
// tree-sitter does not preprocess, so a broken parse alone does not mean the C compiler fails:
// a line is prose only when it reads as natural language (prose.ts) and the parse breaks on it.
// One parse per text (incremental from the text's predecessor), every line judged on its own.
import type { Edit, Node, Parser, Range, Tree } from 'web-tree-sitter';
import { cText } from './directives';
import { commonEnds, diffEdit, type CommonEnds } from './edits';
import type { Preamble } from './preamble';
import { lexC, proseKind, type LexedLine, type ProseKind } from './prose';
import { BoundedCache, TextKeyedCache } from './cache';
import { lastAtOrBefore } from './text';

/** Top-level C constructs that are fine at file scope. */
const fileScopeItems = new Set([
  'function_definition',
  'declaration',
  'type_definition',
  'linkage_specification',
  // `struct rect { int w, h; };` at file scope: a specifier followed by `;`.
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
  'preproc_include',
  'preproc_def',
  'preproc_function_def',
  'preproc_call',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'comment',
  ';',
]);
const conditionalBlocks = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

/** Where the parse breaks: an ERROR or MISSING node, or a statement C only allows in a function. */
interface Problem {
  start: number;
  end: number;
  missing: boolean;
}

/**
 * Every place the parse breaks; with `within`, only those in top-level items that overlap these
 * ranges (the rest of the tree is known to be as it was).
 */
interface Span {
  start: number;
  end: number;
}

function problemsOf(root: Node, within?: Span[]): { problems: Problem[]; visited: Span[] } {
  const found: Problem[] = [];
  const visited: Span[] = [];
  const add = (node: Node): void => {
    found.push({ start: node.startIndex, end: node.endIndex, missing: node.isMissing });
  };
  const visitItem = (item: Node, scope: Node, isConditional: boolean): void => {
    const type = item.type;
    if (type === 'ERROR' || item.isMissing) add(item);
    else if (conditionalBlocks.has(type)) visitScope(item, true);
    else if (!fileScopeItems.has(type) && item.isNamed && !(isConditional && isConditionPart(item, scope))) add(item);
    else if (item.hasError) errorsBelow(item, add);
  };
  const visitScope = (scope: Node, isConditional: boolean): void => {
    for (const item of scope.children) if (item) visitItem(item, scope, isConditional);
  };
  if (within) {
    // Only the top-level items in or next to a change: reading thousands of them through the
    // wasm bridge costs about as much as the reparse.
    let lastVisited = -1;
    for (const range of within) {
      for (let item = root.firstChildForIndex(Math.max(0, range.start - 1)); item && item.startIndex <= range.end; item = item.nextSibling) {
        if (item.startIndex <= lastVisited) continue;
        lastVisited = item.startIndex;
        visited.push({ start: item.startIndex, end: item.endIndex });
        visitItem(item, root, false);
      }
    }
  } else visitScope(root, false);
  return { problems: found, visited };
}

/**
 * The problems of a tree parsed incrementally after `edit`: the old tree's problems outside the
 * items that changed, moved by the edit, and the problems of those items read anew.
 */
function problemsAfterEdit(old: Problem[], edit: Edit, root: Node, changed: Range[]): Problem[] {
  const ranges = [...changed.map((r) => ({ start: r.startIndex, end: r.endIndex })), { start: edit.startIndex, end: edit.newEndIndex }].sort((a, b) => a.start - b.start);
  const { problems, visited } = problemsOf(root, ranges);
  // What was read anew, as sorted disjoint spans (a range touching a problem counts).
  const fresh: Span[] = [];
  for (const span of [...visited, ...ranges.map((r) => ({ start: r.start - 1, end: r.end + 1 }))].sort((a, b) => a.start - b.start)) {
    const last = fresh[fresh.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else fresh.push({ ...span });
  }
  const shift = edit.newEndIndex - edit.oldEndIndex;
  const kept: Problem[] = [];
  let next = 0;
  for (const p of old) {
    let moved: Problem;
    if (p.end <= edit.startIndex && !(p.missing && p.start === edit.startIndex)) moved = p;
    else if (p.start >= edit.oldEndIndex && p.start > edit.startIndex) moved = { ...p, start: p.start + shift, end: p.end + shift };
    else continue;
    // old is sorted by start, and so are the moved problems.
    while (next < fresh.length && fresh[next].end <= moved.start) next++;
    const overlaps = next < fresh.length && fresh[next].start < Math.max(moved.end, moved.start + 1);
    if (!overlaps) kept.push(moved);
  }
  return [...kept, ...problems].sort((a, b) => a.start - b.start);
}

/** The condition of `#if X` and the `#ifdef NAME` identifier are not file-scope items. */
function isConditionPart(item: Node, scope: Node): boolean {
  return scope.childForFieldName('condition')?.id === item.id || scope.childForFieldName('name')?.id === item.id;
}

/** The ERROR and MISSING nodes below a node, visiting only subtrees that hold one. */
function errorsBelow(node: Node, add: (node: Node) => void): void {
  const cursor = node.walk();
  try {
    let descending = true;
    for (;;) {
      const current = cursor.currentNode;
      if (descending && current.id !== node.id && (current.type === 'ERROR' || current.isMissing)) add(current);
      else if (descending && current.hasError && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent() || cursor.currentNode.id === node.id) return;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The lines a problem covers; a MISSING token stands for the text before it. */
function problemLines(text: string, starts: number[], problem: Problem): [number, number] {
  if (problem.missing) {
    let at = problem.start - 1;
    while (at > 0 && /\s/.test(text[at])) at--;
    const line = lastAtOrBefore(starts, Math.max(0, at));
    return [line, line];
  }
  return [lastAtOrBefore(starts, problem.start), lastAtOrBefore(starts, Math.max(problem.start, problem.end - 1))];
}

/** The sorted 0-based lines of `text` that some problem covers. */
function brokenLinesOf(text: string, problems: Problem[]): number[] {
  const starts = lineStartsOf(text);
  const lines = new Set<number>();
  for (const problem of problems) {
    const [first, last] = problemLines(text, starts, problem);
    for (let line = first; line <= last; line++) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
}

/** Where the parse of a C text breaks: one parse, from the text's predecessor when there is one. */
function problemsOfText(parser: Parser, text: string): Problem[] {
  const known = keptTree(parser, text);
  if (known?.problems) return known.problems;
  const parsed = parseReusing(parser, text);
  if (!parsed) return [];
  const { entry, previous } = parsed;
  entry.problems = previous ? problemsAfterEdit(previous.problems, previous.edit, entry.tree.rootNode, previous.changed) : problemsOf(entry.tree.rootNode).problems;
  return entry.problems;
}

/** The 0-based lines of a C text where its parse breaks, prose or not. */
export function brokenCLines(parser: Parser, text: string): number[] {
  return brokenLinesOf(text, problemsOfText(parser, text));
}

export interface ProseLine {
  /** 0-based line of the text. */
  line: number;
  kind: ProseKind;
  /**
   * The C compiler certainly reads the line: it is under no #if whose value is unknown, and none
   * of its words is a macro the text defines.
   */
  certain: boolean;
  /** Where the line's prose starts (its first character outside comments). */
  start: number;
  /** How it can be turned into a C comment: a `// ` before it, `/* … *\/` around it, or not at all. */
  comment: 'line' | 'block' | undefined;
  /** For decoration: removing its leading `*` (and one space) makes the line parse. */
  starRemovable: boolean;
}

export interface ProseReport {
  lines: ProseLine[];
  /** The text with the prose lines blanked, every offset in place: the C the compiler would read. */
  blanked: string;
}

/**
 * The lines of a C text that read as natural language where the C parse breaks.
 * `blockLines[i]`: line i comes from a `/* *\/` comment (where `*` decoration is possible and a
 * `*\/` cannot be written).
 */
export function findProseLines(parser: Parser, text: string, blockLines: readonly boolean[] = []): ProseReport {
  const key = blockLines.includes(true) ? `${text}\u0000${blockLines.map(Number).join('')}` : text;
  return syntaxOf(parser).prose.get(key, () => scanProse(parser, text, (line) => blockLines[line] ?? false));
}

/** The prose lines of a preamble, as the C compiler sees it (#cgo lines blanked). */
export function findPreambleProse(parser: Parser, preamble: Preamble): ProseReport {
  return findProseLines(parser, cText(preamble), preamble.lines.map((line) => !line.fromLineComment));
}

function scanProse(parser: Parser, text: string, blockLines: (line: number) => boolean): ProseReport {
  const problems = problemsOfText(parser, text);
  if (problems.length === 0) return { lines: [], blanked: text };
  const lexed = lexC(text);
  const starts = lineStartsOf(text);
  const found: { line: number; kind: ProseKind; lexedLine: LexedLine; starredC: boolean; checkStar: boolean }[] = [];
  for (const line of brokenLinesOf(text, problems)) {
    const lexedLine = lexed.lines[line];
    if (!lexedLine || lexedLine.directive || lexedLine.skipped) continue;
    // A continuation belongs to the line above it: judged with it, not alone.
    if (line > 0 && lexed.lines[line - 1].continues) continue;
    // A trailing `\` (it joins the next line on) says nothing about what the line is.
    const code = lexedLine.code.replace(/\\\s*$/, '');
    const kind = proseKind(code, blockLines(line));
    // ` * int f(void);` in a /* */ preamble: C behind comment decoration, which only the
    // parse can tell (below) from C that starts with `*`.
    const behindStar = blockLines(line) && /^\s*\*(?!\/)/.test(code) ? code.replace(/^\s*\*+/, '').trim() : '';
    const starredC = behindStar !== '' && proseKind(behindStar) === undefined;
    if (kind || starredC) found.push({ line, kind: kind ?? 'decoration', lexedLine, starredC, checkStar: starredC && !behindStar.startsWith('#') });
  }
  if (found.length === 0) return { lines: [], blanked: text };
  const lineEnd = (line: number): number => (line + 1 < starts.length ? starts[line + 1] - 1 : text.length);
  const lines: ProseLine[] = [];
  let blanked = text;
  for (const { line, kind, lexedLine, starredC, checkStar } of found) {
    const start = starts[line] + (lexedLine.code.length - lexedLine.code.trimStart().length);
    const raw = text.slice(start, lineEnd(line));
    let starRemovable = false;
    const star = kind === 'decoration' ? /^\*( ?)/.exec(raw) : null;
    if (star) {
      const withoutStar = text.slice(0, start) + ' '.repeat(star[0].length) + text.slice(start + star[0].length);
      const after = problemsOfCandidate(parser, text, withoutStar);
      starRemovable = after !== undefined && !brokenLinesOf(withoutStar, after).includes(line);
    }
    // A `#` behind the star is decoration whatever the parse says: no C line starts `* #`.
    if (checkStar && !starRemovable) continue;
    const words = lexedLine.code.match(/[A-Za-z_]\w*/g) ?? [];
    const certain = !lexedLine.conditional && !words.some((w) => lexed.macros.has(w));
    // Never a comment over C: a decorated #include or declaration loses only its star.
    let comment: ProseLine['comment'];
    if (starredC) comment = undefined;
    else if (!lexedLine.continues) comment = 'line';
    else if (!blockLines(line) && !raw.includes('*/')) comment = 'block';
    if (comment) {
      const commented = comment === 'line' ? insertAt(text, start, '// ') : insertAt(insertAt(text, lineEnd(line), ' */'), start, '/* ');
      if (!parsesNoWorse(parser, text, commented)) comment = undefined;
    }
    lines.push({ line, kind, certain, start, comment, starRemovable });
    const [from, to] = starredC && star ? [start, start + star[0].length] : [starts[line], lineEnd(line)];
    blanked = blanked.slice(0, from) + ' '.repeat(to - from) + blanked.slice(to);
  }
  return { lines, blanked };
}

function insertAt(text: string, at: number, inserted: string): string {
  return text.slice(0, at) + inserted + text.slice(at);
}

/**
 * The problems of a variant of a parsed text (a fix applied), parsed incrementally from the
 * text's tree and read only where the two trees differ.
 */
function problemsOfCandidate(parser: Parser, text: string, candidate: string): Problem[] | undefined {
  const problems = problemsOfText(parser, text);
  return withCTree(parser, text, (tree) => {
    const copy = tree.copy();
    try {
      const edit = diffEdit(text, candidate, commonEnds(text, candidate));
      copy.edit(edit);
      const next = parser.parse(candidate, copy);
      if (!next) return undefined;
      try {
        return problemsAfterEdit(problems, edit, next.rootNode, copy.getChangedRanges(next));
      } finally {
        next.delete();
      }
    } finally {
      copy.delete();
    }
  });
}

/** Whether a variant of a text (a fix applied) parses at least as well: no more problems. */
export function parsesNoWorse(parser: Parser, text: string, candidate: string): boolean {
  const after = problemsOfCandidate(parser, text, candidate);
  return after !== undefined && after.length <= problemsOfText(parser, text).length;
}

interface KeptTree {
  text: string;
  tree: Tree;
  /** Where its parse breaks, once read. */
  problems: Problem[] | undefined;
}

/**
 * What one parser has read lately (the engine's C parser; kept per parser, as a tree belongs
 * to its language): the trees of recently parsed texts, most recent last, and the prose found
 * in them. The next version of a text (a preamble after a keystroke) is parsed incrementally
 * from its predecessor's tree, whose place it takes: a one-character edit of a long preamble
 * then costs a small reparse, not a full one. The parser's owner frees it all with disposeCSyntax.
 */
interface CSyntax {
  trees: BoundedCache<string, KeptTree>;
  prose: TextKeyedCache<ProseReport>;
}

const syntaxByParser = new WeakMap<Parser, CSyntax>();
const maxRecentTrees = 8;

function syntaxOf(parser: Parser): CSyntax {
  let syntax = syntaxByParser.get(parser);
  if (!syntax) {
    syntax = { trees: new BoundedCache({ maxWeight: maxRecentTrees, release: (kept) => kept.tree.delete() }), prose: new TextKeyedCache(4 * 1024 * 1024) };
    syntaxByParser.set(parser, syntax);
  }
  return syntax;
}

/** Frees the trees and reports kept for a parser (before the parser itself is deleted). */
export function disposeCSyntax(parser: Parser): void {
  const syntax = syntaxByParser.get(parser);
  syntax?.trees.dispose();
  syntax?.prose.dispose();
  syntaxByParser.delete(parser);
}

/** The kept tree of this very text, now the most recent. */
function keptTree(parser: Parser, text: string): KeptTree | undefined {
  return syntaxOf(parser).trees.peek(text);
}

/**
 * A tree of `text`, owned by the parser's kept trees; and when its predecessor's problems were read, those,
 * the edit from it and the ranges where the two trees differ (elsewhere the problems are the same).
 */
function parseReusing(parser: Parser, text: string): { entry: KeptTree; previous: { problems: Problem[]; edit: Edit; changed: Range[] } | undefined } | undefined {
  const trees = syntaxOf(parser).trees;
  let base: { text: string; ends: CommonEnds } | undefined;
  for (const [kept] of trees) {
    const ends = commonEnds(kept, text);
    if (ends.prefix + ends.suffix > (base ? base.ends.prefix + base.ends.suffix : 0)) base = { text: kept, ends };
  }
  // Only a predecessor helps: a text sharing little would be reparsed almost whole anyway.
  const useBase = base && (base.ends.prefix + base.ends.suffix) * 2 >= text.length;
  const previous = useBase ? trees.take(base!.text) : undefined;
  const edit = previous ? diffEdit(previous.text, text, base!.ends) : undefined;
  if (edit) previous!.tree.edit(edit);
  let tree: Tree | null;
  let known: { problems: Problem[]; edit: Edit; changed: Range[] } | undefined;
  try {
    tree = parser.parse(text, previous?.tree ?? null);
    if (tree && edit && previous?.problems) known = { problems: previous.problems, edit, changed: previous.tree.getChangedRanges(tree) };
  } finally {
    previous?.tree.delete();
  }
  if (!tree) return undefined;
  const entry: KeptTree = { text, tree, problems: undefined };
  trees.set(text, entry);
  return { entry, previous: known };
}

/**
 * Runs `use` on a syntax tree of the C text, taken from the recent trees when one has this
 * very text (the preamble's, parsed by findProseLines a moment ago) or else parsed from the
 * closest one and kept. The tree belongs to the cache: `use` must not keep it.
 */
export function withCTree<T>(parser: Parser, text: string, use: (tree: Tree) => T): T | undefined {
  const kept = keptTree(parser, text);
  if (kept) return use(kept.tree);
  const parsed = parseReusing(parser, text);
  return parsed && use(parsed.entry.tree);
}

/** Whether a comment holds C: a preprocessor line, or a declaration or definition at file scope. */
export function holdsC(parser: Parser, comment: Preamble): boolean {
  const text = cText(comment);
  if (/^[ \t]*#[ \t]*(include|define|undef|if|ifdef|ifndef|pragma|cgo)\b/m.test(text)) return true;
  const { blanked } = findPreambleProse(parser, comment);
  return (
    withCTree(parser, blanked, (tree) =>
      // Only what parses whole: two words on two lines (`edited` twice) are no declaration.
      tree.rootNode.children.some((n) => !!n && !n.hasError && ['function_definition', 'declaration', 'type_definition'].includes(n.type)),
    ) ?? false
  );
}
