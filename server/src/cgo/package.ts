// The package model: every .go file of one directory, parsed, with the imports of "C" and
// their preambles and #cgo directives, and whether the target builds the file.
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { fileIncluded, type BuildTarget } from './constraints';
import { parseDirectives, type CgoDirective } from './directives';
import { GoTokens } from './golex';
import { findImportsOfC, type ImportC } from './preamble';
import { LineIndex } from './text';

export interface CgoImport extends ImportC {
  directives: CgoDirective[];
}

export interface CgoFile {
  path: string;
  text: string;
  lines: LineIndex;
  tokens: GoTokens;
  /** The Go syntax tree; owned by the caller, alive while rules run. */
  tree: Tree;
  packageName: string | undefined;
  isTest: boolean;
  /** Whether go/build includes the file for the target (file name and build constraints). */
  included: boolean;
  imports: CgoImport[];
}

export interface CgoPackage {
  dir: string;
  target: BuildTarget;
  files: CgoFile[];
}

export function buildCgoFile(filePath: string, text: string, tree: Tree, target: BuildTarget): CgoFile {
  const lines = new LineIndex(text);
  const tokens = new GoTokens(lines);
  const root = tree.rootNode;
  const packageClause = root.namedChildren.find((n) => n?.type === 'package_clause');
  const dir = path.dirname(filePath);
  const imports = findImportsOfC(root, tokens).map((imp) => ({
    ...imp,
    directives: imp.preamble ? parseDirectives(imp.preamble, dir, target) : [],
  }));
  return {
    path: filePath,
    text,
    lines,
    tokens,
    tree,
    packageName: packageClause?.namedChildren[0]?.text,
    isTest: filePath.endsWith('_test.go'),
    included: fileIncluded(path.basename(filePath), text, target),
    imports,
  };
}
