// The package model: every .go file of one directory, parsed, with the imports of "C" and
// their preambles and #cgo directives, and whether the target builds the file.
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { fileIncluded, type BuildTarget } from './constraints';
import { cgoVerbs, makePathsAbsolute, parseDirectives, type CgoDirective, type CgoVerb } from './directives';
import { GoTokens } from './golex';
import { findImportsOfC, type ImportC, type PreambleCache } from './preamble';
import { LineIndex } from './text';

export interface CgoImport extends ImportC {
  directives: CgoDirective[];
}

export interface CgoFile {
  path: string;
  text: string;
  lines: LineIndex;
  /** Lexed on first use. */
  readonly tokens: GoTokens;
  /** The Go syntax tree, parsed on first use; owned by the caller, alive while rules run. */
  readonly tree: Tree;
  readonly packageName: string | undefined;
  isTest: boolean;
  /**
   * Whether go/build includes the file for the target (file name and build constraints); read
   * on first use, from the file's header: test cheaper things first in a package of many files.
   */
  readonly included: boolean;
  /**
   * go/build leaves the file out because cgo is off for the target (target.cgoOff): it imports
   * "C", is not a test and is included, so go/build lists it in IgnoredGoFiles (Go 1.19.8 and
   * 1.26.8 build.go) yet still reads its #cgo lines (saveCgo runs before that decision).
   */
  readonly ignoredWithoutCgo: boolean;
  imports: CgoImport[];
}

export interface CgoPackage {
  dir: string;
  target: BuildTarget;
  files: CgoFile[];
  /**
   * The files with import "C", in the order of `files`: all that most rules read. A package of
   * 5,000 files may have 500, and every rule goes over them at every keystroke.
   */
  cgoFiles: CgoFile[];
}

/** A package model of these files. */
export function cgoPackage(dir: string, target: BuildTarget, files: CgoFile[]): CgoPackage {
  return { dir, target, files, cgoFiles: files.filter((file) => file.imports.length > 0) };
}

/**
 * The model of one .go file. A file whose text never spells "C" cannot import it (cmd/cgo only
 * takes the literal "C"): it is neither lexed nor parsed unless a rule asks for its tree, which
 * keeps a large package of plain Go files cheap. Preambles come from (and go to) `preambles`,
 * the engine's.
 */
export function buildCgoFile(filePath: string, text: string, tree: Tree | (() => Tree), target: BuildTarget, preambles: PreambleCache): CgoFile {
  const lines = new LineIndex(text);
  let parsed = typeof tree === 'function' ? undefined : tree;
  let tokens: GoTokens | undefined;
  const treeOf = (): Tree => (parsed ??= (tree as () => Tree)());
  const tokensOf = (): GoTokens => (tokens ??= new GoTokens(lines));
  const dir = path.dirname(filePath);
  let included: boolean | undefined;
  const imports = text.includes('"C"')
    ? findImportsOfC(tokensOf(), preambles).map((imp) => ({
        ...imp,
        directives: imp.preamble ? parseDirectives(imp.preamble, dir, target) : [],
      }))
    : [];
  return {
    path: filePath,
    text,
    lines,
    get tokens() {
      return tokensOf();
    },
    get tree() {
      return treeOf();
    },
    get packageName() {
      return packageNameOf(treeOf());
    },
    isTest: filePath.endsWith('_test.go'),
    get included() {
      return (included ??= fileIncluded(path.basename(filePath), text, target));
    },
    get ignoredWithoutCgo() {
      return !target.cgoEnabled && imports.length > 0 && !this.isTest && this.included;
    },
    imports,
  };
}

function packageNameOf(tree: Tree): string | undefined {
  return tree.rootNode.namedChildren.find((n) => n?.type === 'package_clause')?.namedChildren[0]?.text;
}

/**
 * The same model over another tree of the same text (the editor's current one). Nothing is read
 * through the model's old tree, which its owner may have freed since. A class: checks of big
 * packages make one per file per keystroke.
 */
export function withTree(file: CgoFile, tree: Tree | (() => Tree)): CgoFile {
  return new RetreedFile(file, tree);
}

class RetreedFile implements CgoFile {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly isTest: boolean;
  readonly imports: CgoImport[];
  private parsed: Tree | undefined;
  private includedByTarget: boolean | undefined;

  constructor(
    private readonly base: CgoFile,
    private readonly source: Tree | (() => Tree),
  ) {
    this.path = base.path;
    this.text = base.text;
    this.lines = base.lines;
    this.isTest = base.isTest;
    this.imports = base.imports;
  }

  get tokens(): GoTokens {
    return this.base.tokens;
  }

  get tree(): Tree {
    return (this.parsed ??= typeof this.source === 'function' ? this.source() : this.source);
  }

  get packageName(): string | undefined {
    return packageNameOf(this.tree);
  }

  get included(): boolean {
    // Asked by every package-wide rule of every check, for every file: kept here, one call less.
    return (this.includedByTarget ??= this.base.included);
  }

  get ignoredWithoutCgo(): boolean {
    return this.base.ignoredWithoutCgo;
  }
}

export type PackageFlags = Record<CgoVerb, string[]>;

/**
 * The #cgo flags the go command uses for the package: go/build reads the non-test files it
 * includes in file-name order and appends each active line's arguments; a file's first bad
 * #cgo line ends the reading of that import's comment.
 */
export function packageFlags(pkg: CgoPackage): PackageFlags {
  const flags = Object.fromEntries(cgoVerbs.map((verb) => [verb, [] as string[]])) as PackageFlags;
  const files = pkg.cgoFiles.filter((f) => !f.isTest && f.included).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of files) {
    for (const imp of file.imports) {
      for (const directive of imp.directives) {
        if (directive.error) break;
        if (!directive.active || !directive.verb) continue;
        const verb = directive.verb.text as CgoVerb;
        const values = directive.args.map((a) => a.value);
        flags[verb].push(...(verb === 'pkg-config' ? values : makePathsAbsolute(values, pkg.dir)));
      }
    }
  }
  return flags;
}
