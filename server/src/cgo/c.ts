// C syntax over a preamble, through tree-sitter-c. Error recovery in tree-sitter can spread a
// single bad line over the lines after it, so lines that are not C are found one at a time:
// report the first broken line, blank it, parse again.
import type { Node, Parser, Range, Tree } from 'web-tree-sitter';
import { commonEnds, diffEdit, type CommonEnds } from './edits';
import { TextKeyedCache } from './textCache';

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

/**
 * What is wrong at file scope: an ERROR or MISSING node, or a statement C only allows in a
 * function. With `changed`, the parts of the tree outside those ranges are known to be fine.
 */
function firstProblem(root: Node, changed?: Range[]): Node | undefined {
  let first: Node | undefined;
  const consider = (node: Node): void => {
    if (!first || node.startIndex < first.startIndex) first = node;
  };
  const visitItem = (item: Node, scope: Node, isConditional: boolean, clean: boolean): void => {
    if (clean) {
      const type = item.type;
      if (conditionalBlocks.has(type)) visitScope(item, true);
      else if (!fileScopeItems.has(type) && item.isNamed && !(isConditional && isConditionPart(item, scope))) consider(item);
      return;
    }
    if (item.type === 'ERROR' || item.isMissing) consider(item);
    else if (conditionalBlocks.has(item.type)) visitScope(item, true);
    else if (!fileScopeItems.has(item.type) && item.isNamed && !(isConditional && isConditionPart(item, scope))) {
      consider(item);
    } else if (item.hasError) findErrorBelow(item, consider);
  };
  const visitScope = (scope: Node, isConditional: boolean): void => {
    // Without errors below, only items out of place can be wrong; asking each item less saves
    // time in a long preamble.
    const clean = !scope.hasError;
    for (const item of scope.children) if (item) visitItem(item, scope, isConditional, clean);
  };
  if (changed && !root.hasError) {
    // Only the top-level items in or next to a change: reading thousands of them through the
    // wasm bridge costs about as much as the reparse.
    for (const range of changed) {
      for (let item = root.firstChildForIndex(Math.max(0, range.startIndex - 1)); item && item.startIndex <= range.endIndex; item = item.nextSibling) {
        visitItem(item, root, false, true);
      }
    }
  } else visitScope(root, false);
  return first;
}

/** The condition of `#if X` and the `#ifdef NAME` identifier are not file-scope items. */
function isConditionPart(item: Node, scope: Node): boolean {
  return scope.childForFieldName('condition')?.id === item.id || scope.childForFieldName('name')?.id === item.id;
}

function findErrorBelow(node: Node, consider: (node: Node) => void): void {
  const cursor = node.walk();
  try {
    let descending = true;
    for (;;) {
      const current = cursor.currentNode;
      if (descending && (current.type === 'ERROR' || current.isMissing)) {
        consider(current);
        return;
      }
      if (descending && current.hasError && cursor.gotoFirstChild()) continue;
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

function lineOf(starts: number[], offset: number): number {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return line;
}

function blankLine(text: string, starts: number[], line: number): string {
  const start = starts[line];
  const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

export interface CSyntaxReport {
  /** 0-based lines of `text` that are not C. */
  badLines: number[];
  /** The text with those lines blanked: what is left that C accepts. */
  cleaned: string;
}

const reports = new TextKeyedCache<CSyntaxReport>(4 * 1024 * 1024);

/** The lines of a C text that are not C, found by repeated parsing (bounded by the line count). */
export function findNonCLines(parser: Parser, text: string): CSyntaxReport {
  return reports.get(text, () => scanNonCLines(parser, text));
}

function scanNonCLines(parser: Parser, text: string): CSyntaxReport {
  const starts = lineStartsOf(text);
  const badLines: number[] = [];
  let current = text;
  for (let round = 0; round <= starts.length; round++) {
    // The first parse, of the text as it is, is kept for the next version of the text.
    const reused = round === 0 ? parseReusing(parser, text) : undefined;
    const tree = round === 0 ? reused?.entry.tree : parser.parse(current);
    if (!tree) break;
    try {
      const problem = firstProblem(tree.rootNode, reused?.changed);
      if (reused) reused.entry.clean = !problem;
      if (!problem) break;
      // A MISSING token sits where it was expected; the culprit is the line of the text before it.
      const at = problem.isMissing ? Math.max(0, problem.startIndex - 1) : problem.startIndex;
      let line = lineOf(starts, at);
      while (line > 0 && current.slice(starts[line], at + 1).trim() === '') line--;
      if (badLines.includes(line)) break;
      badLines.push(line);
      current = blankLine(current, starts, line);
    } finally {
      if (round > 0) tree.delete();
    }
  }
  return { badLines: badLines.sort((a, b) => a - b), cleaned: current };
}

interface KeptTree {
  text: string;
  tree: Tree;
  /** The tree has nothing firstProblem reports. */
  clean: boolean;
}

/**
 * Trees of recently parsed texts, most recent last. The next version of a text (a preamble
 * after a keystroke) is parsed incrementally from its predecessor's tree, whose place it takes:
 * a one-character edit of a long preamble then costs a small reparse, not a full one.
 */
const recentTrees: KeptTree[] = [];
const maxRecentTrees = 8;

/**
 * A tree of `text`, owned by recentTrees; and when its predecessor was clean, the ranges where
 * the two trees differ (everywhere else the new one is as clean).
 */
function parseReusing(parser: Parser, text: string): { entry: KeptTree; changed: Range[] | undefined } | undefined {
  let base: { index: number; ends: CommonEnds } | undefined;
  recentTrees.forEach((entry, index) => {
    if (entry.tree.language !== parser.language) return;
    const ends = commonEnds(entry.text, text);
    if (ends.prefix + ends.suffix > (base ? base.ends.prefix + base.ends.suffix : 0)) base = { index, ends };
  });
  // Only a predecessor helps: a text sharing little would be reparsed almost whole anyway.
  const useBase = base && (base.ends.prefix + base.ends.suffix) * 2 >= text.length;
  const previous = useBase ? recentTrees.splice(base!.index, 1)[0] : undefined;
  previous?.tree.edit(diffEdit(previous.text, text, base!.ends));
  let tree: Tree | null;
  let changed: Range[] | undefined;
  try {
    tree = parser.parse(text, previous?.tree ?? null);
    if (tree && previous?.clean) changed = previous.tree.getChangedRanges(tree);
  } finally {
    previous?.tree.delete();
  }
  if (!tree) return undefined;
  const entry: KeptTree = { text, tree, clean: false };
  recentTrees.push(entry);
  if (recentTrees.length > maxRecentTrees) recentTrees.shift()!.tree.delete();
  return { entry, changed };
}

/**
 * Runs `use` on a syntax tree of the C text, taken from the recent trees when one has this
 * very text (the preamble's, parsed by findNonCLines a moment ago) or else parsed from the
 * closest one and kept. The tree belongs to the cache: `use` must not keep it.
 */
export function withCTree<T>(parser: Parser, text: string, use: (tree: Tree) => T): T | undefined {
  const index = recentTrees.findIndex((entry) => entry.text === text && entry.tree.language === parser.language);
  if (index >= 0) {
    const [entry] = recentTrees.splice(index, 1);
    recentTrees.push(entry);
    return use(entry.tree);
  }
  const parsed = parseReusing(parser, text);
  return parsed && use(parsed.entry.tree);
}

/** Whether the text holds C: a preprocessor line, or a declaration or definition at file scope. */
export function holdsC(parser: Parser, text: string): boolean {
  if (/^[ \t]*#[ \t]*(include|define|undef|if|ifdef|ifndef|pragma|cgo)\b/m.test(text)) return true;
  const { cleaned } = findNonCLines(parser, text);
  const tree = parser.parse(cleaned);
  if (!tree) return false;
  try {
    return tree.rootNode.children.some(
      (n) => !!n && ['function_definition', 'declaration', 'type_definition'].includes(n.type),
    );
  } finally {
    tree.delete();
  }
}
