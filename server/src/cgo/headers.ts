// The C scope of a .go file and the #include facts the rules share, both read from the
// preprocessor's view (cpp.ts): the declarations of what gcc compiles of the preambles and of
// the project headers they include, for the target. What system headers declare is read apart
// (systemHeaders.ts) and kept out of this scope, which the rules take as the project's.
import type { Parser, Tree } from 'web-tree-sitter';
import { findPreambleProse, withCTree } from './c';
import { CScope, DeclarationReader, evalConstant, type CSourceMap, type DeclarationSink } from './cdecl';
import { includeDirs, preprocess, type CppConfig, type IncludeDirective, type PreprocessedUnit, type PreprocessedView, type ReadText } from './cpp';
import { HeaderLayer, type HeaderReadings, type ReadingStep } from './headerReadings';
import type { CgoFile, CgoPackage, PackageFlags } from './package';
import type { PredefinedMacros } from './predefined';
import { toSource, toSourceEnd, type Preamble } from './preamble';

export { includeDirs, readTextFromDisk, type ReadText } from './cpp';

/** The preprocessor's configuration for a package: its include dirs and flags, its target. */
export function cppConfig(pkg: Pick<CgoPackage, 'dir' | 'target'>, flags: PackageFlags): CppConfig {
  return { dirs: includeDirs(pkg.dir, flags), flags: [...flags.CPPFLAGS, ...flags.CFLAGS], target: pkg.target };
}

/** An `#include` of a preamble, in .go file offsets. */
export interface IncludeSite {
  start: number;
  end: number;
  /** The name as written, without quotes or brackets. */
  name: string;
}

/** What a file's preambles include, for the target: the facts the rules share. */
export interface IncludeWalk {
  /** Project headers reached, in include order, with the preamble #include that leads to each and what gcc compiles of it. */
  headers: { path: string; text: string; unit: PreprocessedUnit; via: IncludeSite }[];
  /** Includes found in no project directory (system headers), by their name as written. */
  system: { name: string; via: IncludeSite; certain: boolean }[];
  /** Some #include could not be followed: a computed include, or the reader's limits. */
  unknown: boolean;
}

/** A file's preambles as the preprocessor reads them, and how their units map to the .go file. */
export interface FileView {
  view: PreprocessedView;
  /** The preamble of each preamble unit (the first units of every variant). */
  preambles: Preamble[];
  walk: IncludeWalk;
}

export function buildFileView(file: CgoFile, config: CppConfig, readText: ReadText, parser: Parser, predefined: PredefinedMacros): FileView {
  const preambles = file.imports.flatMap((imp) => (imp.preamble ? [imp.preamble] : []));
  const view = preprocess(
    // Prose lines blanked (preamble-comment-bleed's finding), so that the C after one is read as C.
    preambles.map((preamble) => ({ file: file.path, text: findPreambleProse(parser, preamble).blanked })),
    config,
    readText,
    predefined,
  );
  return { view, preambles, walk: includeWalk(view, preambles) };
}

function includeWalk(view: PreprocessedView, preambles: Preamble[]): IncludeWalk {
  const walk: IncludeWalk = { headers: [], system: [], unknown: view.incomplete };
  const site = (include: IncludeDirective): IncludeSite => {
    const root = include.via ?? include;
    const preamble = preambles[root.unit];
    return { start: toSource(preamble, root.start), end: toSourceEnd(preamble, root.end), name: root.name };
  };
  const seen = new Set<string>();
  for (const include of view.includes) {
    if (!include.resolved) {
      walk.system.push({ name: include.name.replace(/\/\.\//g, '/').replace(/^\.\//, ''), via: site(include), certain: include.certain });
      continue;
    }
    if (seen.has(include.resolved)) continue;
    seen.add(include.resolved);
    const unit = unitOf(view, include.resolved);
    if (unit) walk.headers.push({ path: include.resolved, text: unit.source, unit, via: site(include) });
  }
  return walk;
}

/** The first reading of a header. */
function unitOf(view: PreprocessedView, file: string): PreprocessedUnit | undefined {
  for (const variant of view.variants) {
    const unit = variant.units.find((u) => u.file === file);
    if (unit) return unit;
  }
  return undefined;
}

/** How offsets of a unit's produced text map to the file the user edits, and its source text. */
export function unitSourceMap(fileView: FileView, unit: PreprocessedUnit, index: number): CSourceMap {
  const preamble = index < fileView.preambles.length ? fileView.preambles[index] : undefined;
  if (!preamble) {
    return {
      file: unit.file,
      toFile: (offset) => unit.map.toSource(offset),
      toFileEnd: (offset) => unit.map.toSourceEnd(offset),
      textOf: (start, end) => unit.source.slice(unit.map.toSource(start), unit.map.toSourceEnd(end)),
    };
  }
  return {
    file: unit.file,
    toFile: (offset) => toSource(preamble, unit.map.toSource(offset)),
    toFileEnd: (offset) => toSourceEnd(preamble, unit.map.toSourceEnd(offset)),
    textOf: (start, end) => unit.source.slice(unit.map.toSource(start), unit.map.toSourceEnd(end)),
  };
}

/**
 * The C names a file sees: the declarations of its first reading in include order, then what
 * other readings (branches of undecided conditions) add. A project header whose text was read
 * for another file before is replayed from `readings` (headerReadings.ts).
 */
export function buildFileScope(fileView: FileView, parser: Parser, readings?: HeaderReadings): CScope {
  const scope = new CScope();
  const { variants } = fileView.view;
  const preambleCount = fileView.preambles.length;
  const withTree = (unit: PreprocessedUnit, index: number, use: (tree: Tree) => void): void => {
    // A preamble's tree is usually at hand (findPreambleProse parsed the same text); headers are parsed here.
    if (index < preambleCount) {
      withCTree(parser, unit.text, use);
      return;
    }
    const tree = parser.parse(unit.text);
    if (!tree) return;
    try {
      use(tree);
    } finally {
      tree.delete();
    }
  };
  const first = variants[0];
  if (!first) return scope;
  const read = new Set<string>();
  /** At an #include of `unit`: the header it names, read into `into` if not read yet. */
  const included = (unit: PreprocessedUnit, at: number, into: HeaderLayer | CScope): void => {
    const include = unit.includes.find((i) => i.at === at);
    if (!include?.resolved || read.has(include.resolved)) return;
    const headerIndex = first.units.findIndex((u) => u.file === include.resolved);
    if (headerIndex < 0) return;
    read.add(include.resolved);
    readHeader(first.units[headerIndex], headerIndex, into).mergeInto(into);
  };
  const replay = (unit: PreprocessedUnit, steps: ReadingStep[], below: HeaderLayer | CScope): HeaderLayer | undefined => {
    const layer = new HeaderLayer(below);
    const readBefore = new Set(read);
    for (const step of steps) {
      if (step.kind === 'add') layer.add(step.decl);
      else if (step.kind === 'tag') layer.addTag(step.type);
      else if (step.kind === 'include') included(unit, step.at, layer);
      else if (layer.answer(step.name) !== step.answer) {
        // Something read before this header answers otherwise here: read it anew.
        read.clear();
        for (const file of readBefore) read.add(file);
        return undefined;
      }
    }
    return layer;
  };
  const readHeader = (unit: PreprocessedUnit, index: number, below: HeaderLayer | CScope): HeaderLayer => {
    const kept = readings?.find(unit);
    const replayed = kept && replay(unit, kept, below);
    if (replayed) return replayed;
    const steps: ReadingStep[] = [];
    const layer = new HeaderLayer(below, steps);
    withTree(unit, index, (tree) => {
      const onInclude = (at: number): void => {
        steps.push({ kind: 'include', at });
        included(unit, at, layer);
      };
      new DeclarationReader(layer, unitSourceMap(fileView, unit, index), unit.text, constantParser(layer, parser), onInclude).read(tree.rootNode);
    });
    readings?.keep(unit, steps);
    return layer;
  };
  const parseConstant = constantParser(scope, parser);
  for (let i = 0; i < preambleCount && i < first.units.length; i++) {
    const unit = first.units[i];
    withTree(unit, i, (tree) => new DeclarationReader(scope, unitSourceMap(fileView, unit, i), unit.text, parseConstant, (at) => included(unit, at, scope)).read(tree.rootNode));
  }
  // Headers the trees do not show as an #include (`#include_next`, an include in a line the C
  // grammar cannot place) come after, in the order they were read.
  first.units.forEach((unit, index) => {
    if (index < preambleCount || read.has(unit.file)) return;
    read.add(unit.file);
    readHeader(unit, index, scope).mergeInto(scope);
  });
  for (const variant of variants.slice(1)) {
    variant.units.forEach((unit, index) => {
      const same = index < preambleCount ? first.units[index] : first.units.find((u) => u.file === unit.file);
      if (same?.text === unit.text) return;
      withTree(unit, index, (tree) => new DeclarationReader(scope, unitSourceMap(fileView, unit, index), unit.text, parseConstant).read(tree.rootNode));
    });
  }
  return scope;
}

/** Evaluates a macro's replacement text as an integer constant, with the names of a scope. */
function constantParser(scope: DeclarationSink, parser: Parser): (text: string) => number | undefined {
  let constantDepth = 0;
  const parseConstant = (text: string): number | undefined => {
    // Macros that expand to themselves (`#define A A`) must not recurse forever.
    if (constantDepth > 16) return undefined;
    constantDepth++;
    const tree = parser.parse(`int __cgo_constant = (${text});`);
    try {
      const init = tree?.rootNode.descendantsOfType('init_declarator')[0];
      return evalConstant(init?.childForFieldName('value') ?? null, scope, parseConstant);
    } finally {
      constantDepth--;
      tree?.delete();
    }
  };
  return parseConstant;
}

/**
 * The declarations of a header's first reading, added to a scope one unit (a header) at a time
 * in the order they were read (an includer before what it includes), for a reading that must
 * let other work run in between: `step` reads the next unit and says whether one is left.
 */
export function unitByUnitScope(fileView: FileView, parser: Parser): { scope: CScope; step(): boolean } {
  const scope = new CScope();
  const parseConstant = constantParser(scope, parser);
  const units = fileView.view.variants[0]?.units ?? [];
  let next = 0;
  return {
    scope,
    step: () => {
      if (next >= units.length) return false;
      const index = next++;
      const unit = units[index];
      const tree = parser.parse(unit.text);
      if (tree) {
        try {
          new DeclarationReader(scope, unitSourceMap(fileView, unit, index), unit.text, parseConstant).read(tree.rootNode);
        } finally {
          tree.delete();
        }
      }
      return next < units.length;
    },
  };
}
