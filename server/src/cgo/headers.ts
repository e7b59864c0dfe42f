// The C scope of a .go file: its preamble plus the project headers it includes, found the way
// gcc finds them under the go command (the package directory first, then the package's -I
// flags). System headers are not read: what they declare is not modelled.
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';
import { findPreambleProse, withCTree } from './c';
import { CScope, DeclarationReader, evalConstant } from './cdecl';
import { readRegularFile } from './files';
import type { CgoFile, PackageFlags } from './package';
import { toSource } from './preamble';

/** Reads a file's current text: open editor buffers first, then the disk. */
export type ReadText = (file: string) => string | undefined;

/** Larger headers are not read: their declarations would cost more than they tell. */
export const maxHeaderBytes = 4 * 1024 * 1024;

/** A header from disk: a regular file of at most maxHeaderBytes, else undefined (as if absent). */
export const readTextFromDisk: ReadText = (file) => {
  const read = readRegularFile(file, maxHeaderBytes);
  return read.ok ? read.data.toString('utf8') : undefined;
};

const maxHeaders = 200;
const maxDepth = 16;

/** Where `#include` looks: the package directory (the go command's `-I <pkgdir>`), then -I flags. */
export function includeDirs(pkgDir: string, flags: PackageFlags): string[] {
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

export interface ScopeResult {
  scope: CScope;
  /** Headers read, in include order. */
  headers: string[];
}

export function buildFileScope(file: CgoFile, dirs: string[], parser: Parser, readText: ReadText): ScopeResult {
  const scope = new CScope();
  const headers: string[] = [];
  const seen = new Set<string>();
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
  const readUnit = (text: string, source: { file: string; toFile: (offset: number) => number }, fromDir: string, depth: number): void => {
    // A preamble's tree is usually at hand (findPreambleProse parsed it); headers are parsed here.
    if (depth === 0) {
      withCTree(parser, text, (tree) => readTree(tree, text, source, fromDir, depth));
      return;
    }
    const tree = parser.parse(text);
    if (!tree) return;
    try {
      readTree(tree, text, source, fromDir, depth);
    } finally {
      tree.delete();
    }
  };
  const readTree = (tree: Tree, text: string, source: { file: string; toFile: (offset: number) => number }, fromDir: string, depth: number): void => {
    const onInclude = (name: string, system: boolean): void => {
      if (depth >= maxDepth || headers.length >= maxHeaders) return;
      const candidates = (system ? dirs : [fromDir, ...dirs]).map((dir) => path.resolve(dir, name));
      for (const candidate of candidates) {
        if (seen.has(candidate)) return;
        const headerText = readText(candidate);
        if (headerText === undefined) continue;
        seen.add(candidate);
        headers.push(candidate);
        readUnit(headerText, { file: candidate, toFile: (offset) => offset }, path.dirname(candidate), depth + 1);
        return;
      }
    };
    new DeclarationReader(scope, source, text, parseConstant, onInclude).read(tree.rootNode);
  };
  for (const imp of file.imports) {
    const preamble = imp.preamble;
    if (!preamble) continue;
    // Its prose lines blanked, so that the C after a prose line is read as C.
    readUnit(findPreambleProse(parser, preamble).blanked, { file: file.path, toFile: (offset) => toSource(preamble, offset) }, path.dirname(file.path), 0);
  }
  return { scope, headers };
}
