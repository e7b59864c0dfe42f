// The import declarations of a Go file, found by scanning its head with the one Go scanner
// (golex.ts). go/parser reads imports only between the package clause and the first other
// declaration (an import after that is a syntax error), so nothing past them is looked at and
// no syntax tree is needed: a keystroke in a function body costs no Go parse. Spans are those of go/ast (and of tree-sitter-go):
// a declaration runs from `import` to its last spec or its `)`, a spec from its name (or path)
// to the end of its path.

import { GoScanner, type GoTokenKind } from './golex';

export interface Span {
  start: number;
  end: number;
}

export interface ImportSpecSyntax {
  spec: Span;
  /** `c` in `import c "C"`, also `_` and `.`. */
  name: (Span & { text: string }) | undefined;
  /** The path as written, quotes included: cmd/cgo compares exactly this with `"C"`. */
  path: Span & { text: string };
}

export interface ImportDeclSyntax {
  decl: Span;
  /** The `(` … `)` of a grouped declaration. */
  specList: Span | undefined;
  specs: ImportSpecSyntax[];
}

/**
 * The file's import declarations, in order. A declaration go/parser would reject (a group
 * left open, a spec without a path) ends the scan, as the build fails there anyway.
 */
export function importDeclarations(text: string): ImportDeclSyntax[] {
  return scanImports(text).decls;
}

/**
 * Whether a file's head shows where its imports end: the scan stopped at a token the head
 * does not cut off. A head that stops inside a comment, a string or an import says nothing.
 */
export function importsEndWithin(head: string): boolean {
  const { stoppedAt } = scanImports(head);
  return stoppedAt.kind !== 'end' && stoppedAt.end < head.length;
}

interface ImportScan {
  decls: ImportDeclSyntax[];
  /** The token the scan stopped at. */
  stoppedAt: { kind: GoTokenKind; end: number };
}

function scanImports(text: string): ImportScan {
  const scanner = new GoScanner(text);
  const result: ImportDeclSyntax[] = [];
  // Read through a call: each next() changes it, which TypeScript's narrowing would not see.
  const kind = (): GoTokenKind => scanner.kind;
  const stopped = (): ImportScan => ({ decls: result, stoppedAt: { kind: scanner.kind, end: scanner.end } });
  const spanText = (): Span & { text: string } => ({ start: scanner.start, end: scanner.end, text: scanner.tokenText });
  const isWord = (word: string): boolean => kind() === 'identifier' && scanner.end - scanner.start === word.length && text.startsWith(word, scanner.start);
  scanner.next();
  const skipSemicolons = (): void => {
    while (kind() === ';') scanner.next();
  };
  skipSemicolons();
  if (isWord('package')) {
    scanner.next();
    if (kind() === 'identifier') scanner.next();
  }
  /** `[name] "path"` at the current token, consumed; undefined when the tokens are not a spec. */
  const readSpec = (): ImportSpecSyntax | undefined => {
    let name: ImportSpecSyntax['name'];
    if (kind() === 'identifier' || kind() === '.') {
      name = spanText();
      scanner.next();
    }
    if (kind() !== 'string') return undefined;
    const path = spanText();
    scanner.next();
    return { spec: { start: name?.start ?? path.start, end: path.end }, name, path };
  };
  for (;;) {
    skipSemicolons();
    if (!isWord('import')) return stopped();
    const declStart = scanner.start;
    scanner.next();
    if (kind() !== '(') {
      const spec = readSpec();
      if (!spec) return stopped();
      result.push({ decl: { start: declStart, end: spec.spec.end }, specList: undefined, specs: [spec] });
      continue;
    }
    const listStart = scanner.start;
    scanner.next();
    const specs: ImportSpecSyntax[] = [];
    for (;;) {
      skipSemicolons();
      if (kind() === ')') break;
      const spec = readSpec();
      if (!spec) return stopped();
      specs.push(spec);
    }
    result.push({ decl: { start: declStart, end: scanner.end }, specList: { start: listStart, end: scanner.end }, specs });
    scanner.next();
  }
}

/** How the file imports `importPath` (quoted, as written): the name to use, null for `.` or `_`, undefined when it does not. */
export function importedName(text: string, importPath: string): string | null | undefined {
  for (const { specs } of importDeclarations(text)) {
    for (const { name, path } of specs) {
      if (path.text.slice(1, -1) !== importPath) continue;
      if (name?.text === '.' || name?.text === '_') return null;
      return name?.text ?? importPath.slice(importPath.lastIndexOf('/') + 1);
    }
  }
  return undefined;
}

/**
 * The insertion that imports `importPath`: a spec in the file's first grouped import without
 * "C" (in sorted place, indented like its specs), else a declaration after the last import
 * declaration; undefined when the file has no import to stand next to.
 */
export function addImportInsertion(text: string, importPath: string, eol: string): { at: number; newText: string } | undefined {
  const decls = importDeclarations(text);
  const group = decls.find((d) => d.specList && d.specs.length > 0 && !d.specs.some((s) => s.path.text === '"C"'));
  if (group) {
    // Before the first spec that sorts after it (as gofmt keeps a sorted group), else last.
    const quoted = `"${importPath}"`;
    const next = group.specs.find((s) => s.path.text > quoted);
    if (next) {
      const lineStart = text.lastIndexOf('\n', next.spec.start - 1) + 1;
      const indent = text.slice(lineStart, next.spec.start);
      if (/^[ \t]*$/.test(indent)) return { at: lineStart, newText: `${indent}${quoted}${eol}` };
    }
    const last = group.specs[group.specs.length - 1];
    const lineStart = text.lastIndexOf('\n', last.spec.start - 1) + 1;
    const indent = text.slice(lineStart, last.spec.start);
    if (!/^[ \t]*$/.test(indent)) return undefined;
    return { at: last.spec.end, newText: `${eol}${indent}"${importPath}"` };
  }
  const last = decls[decls.length - 1];
  if (!last) return undefined;
  return { at: last.decl.end, newText: `${eol}${eol}import "${importPath}"` };
}

export interface NamedImport {
  /** The name uses are qualified with. */
  name: string;
  spec: ImportSpecSyntax;
  decl: ImportDeclSyntax;
}

/** How a file imports package unsafe. Go lets one file import it more than once, under other names. */
export interface UnsafeImport {
  /** The first spec that imports it under a name (`"unsafe"`, `u "unsafe"`): uses read `name.Pointer`. */
  named: NamedImport | undefined;
  /** Whether a spec imports it with `.`: then `Pointer` may stand alone, and uses cannot all be told. */
  dotted: boolean;
}

/** The file's imports of "unsafe" (or `unsafe`: the path is compared unquoted, as go/build does). */
export function unsafeImport(text: string): UnsafeImport {
  const found: UnsafeImport = { named: undefined, dotted: false };
  for (const decl of importDeclarations(text)) {
    for (const spec of decl.specs) {
      if (spec.path.text !== '"unsafe"' && spec.path.text !== '`unsafe`') continue;
      const name = spec.name?.text;
      if (name === '.') found.dotted = true;
      else if (name !== '_') found.named ??= { name: name ?? 'unsafe', spec, decl };
    }
  }
  return found;
}
