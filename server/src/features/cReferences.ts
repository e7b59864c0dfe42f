// What a position in Go code refers to (`C.name`, or a field of a C value), where that C
// entity is declared (preamble or header), and the #include directive under a position:
// the answers hover, definition and completion give, read off a DocumentView.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node } from 'web-tree-sitter';
import type { CDecl, CField, CType } from '../cgo/cdecl';
import { cTypeForGoName, cTypeOfExpression, goFields, isCBasicName } from '../cgo/goctypes';
import { cgoBuiltinFunctions } from '../cgo/gotypes';
import type { CgoFile } from '../cgo/package';
import { toSource, toSourceEnd } from '../cgo/preamble';
import { preambleAt, rangeIn, type DocumentView } from './documentView';

function documentFor(view: DocumentView, file: string, text: string): TextDocument {
  if (file === view.file.path) return view.document;
  return TextDocument.create(pathToFileURL(file).href, file.endsWith('.go') ? 'go' : 'c', 0, text);
}

/** The URI of a path: the document's own URI when it is this view's file. */
function uriOf(view: DocumentView, file: string): string {
  return file === view.file.path ? view.uri : pathToFileURL(file).href;
}

// ---------------------------------------------------------------------------------------------
// What a position in Go code refers to
// ---------------------------------------------------------------------------------------------

export type CReference =
  | { kind: 'decl'; goName: string; decl: CDecl; system?: true }
  | { kind: 'tag'; goName: string; type: Extract<CType, { kind: 'record' } | { kind: 'enum' }> | undefined }
  | { kind: 'basic'; goName: string }
  | { kind: 'helper'; goName: string }
  | { kind: 'sizeof'; goName: string; of: CType | undefined }
  | { kind: 'field'; goName: string; field: CField; owner: CType; anonymous: boolean }
  | { kind: 'unknown'; goName: string; elsewhere: string | undefined };

export interface CReferenceAt {
  ref: CReference;
  /** The identifier's span in the .go file. */
  start: number;
  end: number;
}

/** Whether the file can say `C.x` at all: it imports "C" under its own name. */
function usesC(file: CgoFile): boolean {
  return file.imports.some((imp) => !imp.name);
}

/** The `C.name` or `x.field` (x a C value) under the offset. */
export function cReferenceAt(view: DocumentView, offset: number): CReferenceAt | undefined {
  const file = view.file;
  if (!usesC(file)) return undefined;
  let node: Node | null = file.tree.rootNode.descendantForIndex(offset);
  for (let up = 0; node && up < 3; up++, node = node.parent) {
    if (node.type === 'selector_expression') {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field');
      if (!operand || !field) return undefined;
      if (operand.type === 'identifier' && operand.text === 'C') {
        return { ref: resolveCName(view, field.text), start: field.startIndex, end: field.endIndex };
      }
      if (offset < field.startIndex || offset > field.endIndex) return undefined;
      const found = fieldAccess(view, operand, field.text);
      return found ? { ref: found, start: field.startIndex, end: field.endIndex } : undefined;
    }
    if (node.type === 'qualified_type') {
      const pkg = node.childForFieldName('package');
      const name = node.childForFieldName('name');
      if (pkg?.text !== 'C' || !name) return undefined;
      return { ref: resolveCName(view, name.text), start: name.startIndex, end: name.endIndex };
    }
  }
  return undefined;
}

/** What `C.<goName>` names in the view's file. */
export function resolveCName(view: DocumentView, goName: string): CReference {
  const scope = view.scopeOf(view.file).scope;
  const decl = scope.names.get(goName);
  if (decl) return { kind: 'decl', goName, decl };
  const tag = /^(struct|union|enum)_(.+)$/.exec(goName);
  if (tag) return { kind: 'tag', goName, type: scope.tags.get(`${tag[1]} ${tag[2]}`) ?? view.systemScopeOf(view.file).tags.get(`${tag[1]} ${tag[2]}`) };
  if (goName.startsWith('sizeof_')) return { kind: 'sizeof', goName, of: cTypeForGoName(goName.slice(7), scope) };
  if (isCBasicName(goName)) return { kind: 'basic', goName };
  if (goName in cgoBuiltinFunctions) return { kind: 'helper', goName };
  const system = view.systemScopeOf(view.file).names.get(goName);
  if (system) return { kind: 'decl', goName, decl: system, system: true };
  // C names resolve per file: say where else in the package the name is declared.
  let elsewhere: string | undefined;
  for (const other of view.pkg.files) {
    if (other === view.file || !other.imports.some((imp) => imp.preamble)) continue;
    if (view.scopeOf(other).scope.names.has(goName)) {
      elsewhere = other.path;
      break;
    }
  }
  return { kind: 'unknown', goName, elsewhere };
}

function fieldAccess(view: DocumentView, operand: Node, goName: string): CReference | undefined {
  const scope = view.scopeOf(view.file).scope;
  const base = cTypeOfExpression(operand, scope);
  if (!base) return undefined;
  let owner = scope.resolve(base);
  // Go dereferences one pointer level for a selector.
  if (owner.kind === 'pointer') owner = scope.resolve(owner.to);
  if (owner.kind !== 'record') return undefined;
  const match = goFields(owner).find((f) => f.goName === goName);
  // Bit fields are left out of the Go struct; name one anyway so the hover can say so.
  const bitField = match ? undefined : owner.fields?.find((f) => f.name === goName && f.bitWidth !== undefined);
  if (bitField) return { kind: 'field', goName, field: bitField, owner: base.kind === 'pointer' ? base.to : base, anonymous: false };
  return match ? { kind: 'field', goName, field: match.field, owner: base.kind === 'pointer' ? base.to : base, anonymous: match.anonymous } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Where things are declared
// ---------------------------------------------------------------------------------------------

export interface SourceSpan {
  file: string;
  /** The whole declaration. */
  start: number;
  end: number;
  /** The declared name. */
  nameStart: number;
  nameEnd: number;
}

/** The text of a file the view knows: a .go file of the package or a header a scope read. */
function textOf(view: DocumentView, file: string): string | undefined {
  if (file === view.file.path) return view.file.text;
  const go = view.pkg.files.find((f) => f.path === file);
  if (go) return go.text;
  return view.scopeOf(view.file).headerTexts.get(file) ?? view.readText(file);
}

function wordIn(text: string, word: string, start: number, end: number, last: boolean): number | undefined {
  const re = new RegExp(`(?<![A-Za-z0-9_])${word.replace(/[$]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
  re.lastIndex = start;
  let found: number | undefined;
  for (let m = re.exec(text); m && m.index + word.length <= end; m = re.exec(text)) {
    found = m.index;
    if (!last) break;
  }
  return found;
}

/** Where a declaration is, with its name: the preamble (.go file) or the header. */
export function declarationSpan(view: DocumentView, decl: CDecl): SourceSpan | undefined {
  const text = textOf(view, decl.location.file);
  if (text === undefined) return undefined;
  const { start, end } = decl.location;
  // A typedef's name comes last (`typedef struct { … } Name;`), anything else's first.
  const found = wordIn(text, decl.name, start, end, decl.kind === 'typedef');
  return found === undefined
    ? { file: decl.location.file, start, end, nameStart: start, nameEnd: start }
    : { file: decl.location.file, start, end, nameStart: found, nameEnd: found + decl.name.length };
}

/** The texts to search for a tag's definition: the file's preambles, then its headers in include order. */
function searchTexts(view: DocumentView): { file: string; text: string; from: number; to: number }[] {
  const texts: { file: string; text: string; from: number; to: number }[] = [];
  for (const imp of view.file.imports) {
    const comments = imp.preamble?.group.comments;
    if (comments) texts.push({ file: view.file.path, text: view.file.text, from: comments[0].start, to: comments[comments.length - 1].end });
  }
  const scope = view.scopeOf(view.file);
  for (const header of scope.headers) {
    const text = scope.headerTexts.get(header);
    if (text !== undefined) texts.push({ file: header, text, from: 0, to: text.length });
  }
  return texts;
}

/** Where `struct tag { … }` (or union, enum) is defined. */
export function tagSpan(view: DocumentView, kind: string, tag: string): SourceSpan | undefined {
  const re = new RegExp(`\\b${kind}\\s+(${tag})\\s*\\{`, 'g');
  for (const { file, text, from, to } of searchTexts(view)) {
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m || m.index >= to) continue;
    const nameStart = m.index + m[0].indexOf(tag, kind.length);
    return { file, start: m.index, end: matchingBrace(text, m.index + m[0].length - 1), nameStart, nameEnd: nameStart + tag.length };
  }
  return undefined;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Where the record a C type names is defined: its typedef or its tag. */
function recordSpan(view: DocumentView, type: CType): SourceSpan | undefined {
  const scope = view.scopeOf(view.file).scope;
  if (type.kind === 'typedef') {
    const decl = scope.names.get(type.name);
    const resolved = scope.resolve(type);
    if (resolved.kind === 'record' && resolved.tag) {
      const tagged = tagSpan(view, resolved.union ? 'union' : 'struct', resolved.tag);
      if (tagged) return tagged;
    }
    return decl ? declarationSpan(view, decl) : undefined;
  }
  if (type.kind === 'record' && type.tag) return tagSpan(view, type.union ? 'union' : 'struct', type.tag);
  return undefined;
}

/** Where a referenced C entity is declared. */
export function referenceSpan(view: DocumentView, ref: CReference): SourceSpan | undefined {
  switch (ref.kind) {
    case 'decl':
      return declarationSpan(view, ref.decl);
    case 'tag': {
      const m = /^(struct|union|enum)_(.+)$/.exec(ref.goName);
      return m ? tagSpan(view, m[1], m[2]) : undefined;
    }
    case 'field': {
      const owner = recordSpan(view, ref.owner);
      if (!owner || ref.field.name === undefined) return owner;
      const text = textOf(view, owner.file);
      const at = text === undefined ? undefined : wordIn(text, ref.field.name, text.indexOf('{', owner.start) + 1 || owner.start, owner.end, false);
      return at === undefined ? owner : { ...owner, nameStart: at, nameEnd: at + ref.field.name.length };
    }
    default:
      return undefined;
  }
}

export function spanLocation(view: DocumentView, span: SourceSpan): Location | undefined {
  const text = textOf(view, span.file);
  if (text === undefined) return undefined;
  const doc = documentFor(view, span.file, text);
  return { uri: uriOf(view, span.file), range: rangeIn(doc, span.nameStart, span.nameEnd) };
}

/** Where a span is, as `file:line` for hovers, with a link that opens it there. */
export function spanLink(view: DocumentView, span: SourceSpan, absolute = false): string {
  const text = textOf(view, span.file);
  const line = text === undefined ? 1 : documentFor(view, span.file, text).positionAt(span.nameStart).line + 1;
  const shown = span.file === view.file.path ? path.basename(span.file) : absolute ? span.file : relativeName(view, span.file);
  return `[${shown}:${line}](${uriOf(view, span.file)}#L${line})`;
}

export function relativeName(view: DocumentView, file: string): string {
  const relative = path.relative(view.pkg.dir, file);
  return relative.startsWith('..') && relative.split(path.sep).filter((p) => p === '..').length > 2 ? file : relative;
}

// ---------------------------------------------------------------------------------------------
// #include lines
// ---------------------------------------------------------------------------------------------

export interface IncludeAt {
  name: string;
  system: boolean;
  /** The span of the name in the .go file. */
  start: number;
  end: number;
  /** The header it resolves to among the files the engine reads; undefined when none. */
  resolved: string | undefined;
  /** False when the directive is in a branch the preprocessor does not take for the target (never looked up). */
  compiled: boolean;
}

/** The #include directive of a preamble under the offset, as the preprocessor read it. */
export function includeAt(view: DocumentView, offset: number): IncludeAt | undefined {
  const at = preambleAt(view.file, offset);
  if (!at) return undefined;
  const unit = view.file.imports.filter((imp) => imp.preamble).indexOf(at.imp);
  const { view: preprocessed } = view.scopeOf(view.file);
  const within = (d: { unit: number; start: number; end: number }): boolean => d.unit === unit && d.start <= at.index && at.index <= d.end;
  const include = preprocessed.includes.find((d) => d.via === undefined && within(d));
  if (include) {
    return {
      name: include.name,
      system: include.system,
      start: toSource(at.preamble, include.nameStart),
      end: toSourceEnd(at.preamble, include.nameEnd),
      resolved: include.resolved,
      compiled: true,
    };
  }
  const skipped = preprocessed.skippedIncludes.find(within);
  if (!skipped) return undefined;
  return {
    name: skipped.name,
    system: skipped.system,
    start: toSource(at.preamble, skipped.nameStart),
    end: toSourceEnd(at.preamble, skipped.nameEnd),
    resolved: undefined,
    compiled: false,
  };
}
