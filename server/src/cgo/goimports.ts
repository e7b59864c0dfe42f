// The import declarations of a Go file, found by scanning its head. go/parser reads imports
// only between the package clause and the first other declaration (an import after that is a
// syntax error), so nothing past them is looked at and no syntax tree is needed: a keystroke
// in a function body costs no Go parse. Spans are those of go/ast (and of tree-sitter-go):
// a declaration runs from `import` to its last spec or its `)`, a spec from its name (or path)
// to the end of its path.

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

type TokenKind = 'identifier' | 'string' | '(' | ')' | ';' | '.' | 'other' | 'end';

interface Token extends Span {
  kind: TokenKind;
  text: string;
}

/** The tokens of Go source without comments; a newline that ends a statement counts as `;`. */
class HeadScanner {
  private position: number;
  /** Whether the last token ends a statement at a line break (go/scanner's insertSemi, for what imports hold). */
  private semicolonAtNewline = false;

  constructor(private readonly text: string) {
    // go/scanner skips a byte order mark at the start of the file.
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  next(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.position;
    for (;;) {
      const ch = text.charCodeAt(i);
      if (i < n && (ch === 32 || ch === 9 || ch === 13)) {
        i++;
      } else if (i < n && ch === 10) {
        if (this.semicolonAtNewline) return this.token(';', i, i + 1);
        i++;
      } else if (ch === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
        const lineBreak = text.indexOf('\n', i);
        i = lineBreak < 0 ? n : lineBreak;
      } else if (ch === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
        const close = text.indexOf('*/', i + 2);
        const end = close < 0 ? n : close + 2;
        // A block comment spanning lines acts like a newline.
        if (this.semicolonAtNewline && text.slice(i, end).includes('\n')) return this.token(';', i, i);
        i = end;
      } else break;
    }
    if (i >= n) return this.token('end', n, n);
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 92 /* \ */) j += 2;
        else if (c === 34) {
          j++;
          break;
        } else if (c === 10) break;
        else j++;
      }
      return this.token('string', i, Math.min(j, n));
    }
    if (ch === 96 /* ` */) {
      const close = text.indexOf('`', i + 1);
      return this.token('string', i, close < 0 ? n : close + 1);
    }
    if (isIdentifierChar(ch)) {
      let j = i + 1;
      while (j < n && isIdentifierChar(text.charCodeAt(j))) j++;
      return this.token('identifier', i, j);
    }
    const single = text[i];
    return this.token(single === '(' || single === ')' || single === ';' || single === '.' ? single : 'other', i, i + 1);
  }

  private token(kind: TokenKind, start: number, end: number): Token {
    const text = this.text.slice(start, end);
    this.position = end;
    // Keywords end no statement: `import` and `package` may stand alone on their line.
    this.semicolonAtNewline = (kind === 'identifier' && text !== 'import' && text !== 'package') || kind === 'string' || kind === ')';
    return { kind, start, end, text };
  }
}

/** Letters, digits and `_`; any non-ASCII character counts as a letter (go/scanner's isLetter for what files hold). */
function isIdentifierChar(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 57) || ch === 95 || ch >= 0x80;
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

function scanImports(text: string): { decls: ImportDeclSyntax[]; stoppedAt: Token } {
  const scanner = new HeadScanner(text);
  const result: ImportDeclSyntax[] = [];
  let token = scanner.next();
  const skipSemicolons = (): void => {
    while (token.kind === ';') token = scanner.next();
  };
  skipSemicolons();
  if (token.kind === 'identifier' && token.text === 'package') {
    token = scanner.next();
    if (token.kind === 'identifier') token = scanner.next();
  }
  /** `[name] "path"` at the current token, consumed; undefined when the tokens are not a spec. */
  const readSpec = (): ImportSpecSyntax | undefined => {
    let name: ImportSpecSyntax['name'];
    if (token.kind === 'identifier' || token.kind === '.') {
      name = { start: token.start, end: token.end, text: token.text };
      token = scanner.next();
    }
    if (token.kind !== 'string') return undefined;
    const path = { start: token.start, end: token.end, text: token.text };
    token = scanner.next();
    return { spec: { start: name?.start ?? path.start, end: path.end }, name, path };
  };
  for (;;) {
    skipSemicolons();
    if (token.kind !== 'identifier' || token.text !== 'import') return { decls: result, stoppedAt: token };
    const declStart = token.start;
    token = scanner.next();
    if (token.kind !== '(') {
      const spec = readSpec();
      if (!spec) return { decls: result, stoppedAt: token };
      result.push({ decl: { start: declStart, end: spec.spec.end }, specList: undefined, specs: [spec] });
      continue;
    }
    const listStart = token.start;
    token = scanner.next();
    const specs: ImportSpecSyntax[] = [];
    for (;;) {
      skipSemicolons();
      if (token.kind === ')') break;
      const spec = readSpec();
      if (!spec) return { decls: result, stoppedAt: token };
      specs.push(spec);
    }
    result.push({ decl: { start: declStart, end: token.end }, specList: { start: listStart, end: token.end }, specs });
    token = scanner.next();
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
