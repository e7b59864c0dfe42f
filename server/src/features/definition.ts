// Go to definition, and the C-aware view of a document that hover, definition and completion
// share: the package as the engine models it for the configured target, the C names each
// file sees (its preamble plus the project headers it includes, cached until the file or any
// header it read changes), and what `C.name` or a field access on a C value under a position
// refers to.
//
// A view holds the package's syntax trees, which the document cache may free on the next
// change: it is built and used in one synchronous stretch (withView), never across an await.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location, Range, TextDocumentPositionParams } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node } from 'web-tree-sitter';
import type { CDecl, CField, CScope, CType } from '../cgo/cdecl';
import type { BuildTarget } from '../cgo/constraints';
import type { Engine, FileScope } from '../cgo/engine';
import { mayImportC } from '../cgo/files';
import { cNameOf, cgoBasicTypeNames, cgoBuiltinFunctions } from '../cgo/gotypes';
import type { CppConfig } from '../cgo/cpp';
import { cppConfig, type ReadText } from '../cgo/headers';
import { buildCgoFile, packageFlags, withTree, type CgoFile, type CgoImport, type CgoPackage, type PackageFlags } from '../cgo/package';
import type { PkgConfig } from '../cgo/pkgconfig';
import { toSource, toSourceEnd, type Preamble } from '../cgo/preamble';
import type { GoVersion, LocalGo } from '../cgo/goversion';
import { resolvePackageTarget, targetProblem } from '../cgo/target';
import type { OpenDocuments } from '../documents';
import type { CgoSettings, Settings } from '../settings';
import type { PackageFile, Workspace } from '../workspace';

/** What the hover, definition, completion and semantic-token handlers need from the server. */
export interface FeatureServices {
  engine: Engine;
  documents: OpenDocuments;
  workspace: Workspace;
  settings: Settings;
  /** Workspace Trust as the client reported it; true when the client said nothing. */
  isTrusted(): boolean;
  pkgConfig: PkgConfig;
  /** The local go command's answer, in trusted workspaces. */
  goEnv: { current(): LocalGo | undefined };
  /** Where a feature's unexpected failure is reported (it then answers null). */
  warn(message: string): void;
}

export interface DocumentView {
  uri: string;
  document: TextDocument;
  settings: CgoSettings;
  target: BuildTarget;
  /** The Go release the answers are for, and why (hovers say it). */
  goVersion: GoVersion;
  pkg: CgoPackage;
  /** The requested document's file. */
  file: CgoFile;
  readText: ReadText;
  /** The package's effective #cgo flags for the target. */
  flags(): PackageFlags;
  /** Where #include looks: the package directory, then the -I flags. */
  includeDirs(): string[];
  scopeOf(file: CgoFile): FileScope;
  /** What the system headers the file includes declare (read on first use). */
  systemScopeOf(file: CgoFile): CScope;
  /** systemScopeOf when its headers were read before; undefined rather than reading them now. */
  systemScopeIfRead(file: CgoFile): CScope | undefined;
  /** Reads one system header the file includes that is not read yet; true when one was. */
  readSystemHeader(file: CgoFile): boolean;
  /** Where a system header is found for the file; undefined when in no system directory. */
  systemHeaderPath(name: string): string | undefined;
}

/**
 * Builds the document's view and runs `body` on it, synchronously. Undefined when the
 * document is not open, cgo is disabled for it, or it cannot be read as Go source.
 */
export async function withView<T>(services: FeatureServices, uri: string, body: (view: DocumentView) => T): Promise<T | undefined> {
  const key = services.workspace.packageOf(uri);
  const settings = await services.settings.get(services.workspace.scopeUriOf(key));
  // From here on, synchronous: the trees belong to the texts loaded now.
  const document = services.documents.get(uri);
  if (!document || !settings.enable || !mayImportC(document.getText())) return undefined;
  const loaded = services.workspace.load(key);
  const { target, goVersion } = packageTarget(settings, loaded.dir, loaded.readText, services.goEnv.current());
  const files = loaded.files.map((source) => cgoFileOf(source, target));
  const file = files[loaded.files.findIndex((source) => source.uri === uri)];
  if (!file) return undefined;
  const pkg: CgoPackage = { dir: loaded.dir, target, files };
  let flags: PackageFlags | undefined;
  let config: CppConfig | undefined;
  const view: DocumentView = {
    uri,
    document,
    settings,
    target,
    goVersion,
    pkg,
    file,
    readText: loaded.readText,
    flags: () => (flags ??= packageFlags(pkg)),
    includeDirs: () => (config ??= cppConfig(pkg, view.flags())).dirs,
    scopeOf: (of) => services.engine.fileScope(of, (config ??= cppConfig(pkg, view.flags())), loaded.readText),
    systemScopeOf: (of) => services.engine.systemScope(of, (config ??= cppConfig(pkg, view.flags())), loaded.readText),
    systemScopeIfRead: (of) => services.engine.systemScopeIfRead(of, (config ??= cppConfig(pkg, view.flags())), loaded.readText),
    readSystemHeader: (of) => services.engine.readSystemHeader(of, (config ??= cppConfig(pkg, view.flags())), loaded.readText),
    systemHeaderPath: (name) => services.engine.systemHeaderPath(file, (config ??= cppConfig(pkg, view.flags())), loaded.readText, name),
  };
  return guarded(services, uri, () => body(view));
}

function guarded<T>(services: FeatureServices, uri: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    services.warn(`cgo: a hover, definition, completion or token request for ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return undefined;
  }
}

/**
 * The cgo model of one open document alone (no package, no headers), for what needs only its
 * own preambles; run synchronously like withView.
 */
export async function withFileView<T>(services: FeatureServices, uri: string, body: (file: CgoFile, document: TextDocument) => T): Promise<T | undefined> {
  const settings = await services.settings.get(services.workspace.scopeUriOf(services.workspace.packageOf(uri)));
  const document = services.documents.get(uri);
  if (!document || !settings.enable || !mayImportC(document.getText())) return undefined;
  const text = document.getText();
  const source: PackageFile = { path: pathOfUri(uri) ?? uri, uri, text, tree: () => services.documents.treeOf(document), version: document.version };
  const dir = path.dirname(source.path);
  return guarded(services, uri, () => body(cgoFileOf(source, targetOf(settings, dir, services.workspace.readText(), services.goEnv.current())), document));
}

/**
 * The target of the package in dir: cgo.goos/cgo.goarch (the host's when they name none Go
 * knows) and the Go release of cgo.goVersion, the local go command or the package's go.mod.
 */
export function targetOf(settings: CgoSettings, dir: string, readText: ReadText, localGo: LocalGo | undefined): BuildTarget {
  return packageTarget(settings, dir, readText, localGo).target;
}

export function packageTarget(settings: CgoSettings, dir: string, readText: ReadText, localGo: LocalGo | undefined): { target: BuildTarget; goVersion: GoVersion } {
  const inputs = { goos: settings.goos || undefined, goarch: settings.goarch || undefined, goVersion: settings.goVersion, localGo };
  const resolved = resolvePackageTarget(dir, inputs, readText);
  return targetProblem(resolved.target) ? resolvePackageTarget(dir, { ...inputs, goos: undefined, goarch: undefined }, readText) : resolved;
}

// ---------------------------------------------------------------------------------------------
// The cgo model of each file, by text and target (each file's C scope is cached by the engine).
// ---------------------------------------------------------------------------------------------

const maxCached = 256;
const cgoFiles = new Map<string, { text: string; targetKey: string; file: CgoFile }>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > maxCached) map.delete(map.keys().next().value as string);
}

function cgoFileOf(source: PackageFile, target: BuildTarget): CgoFile {
  const targetKey = JSON.stringify(target);
  // Untitled buffers share no path: key them by URI.
  const key = path.isAbsolute(source.path) ? source.path : source.uri;
  const cached = cgoFiles.get(key);
  // The model depends only on the text (and the target); the tree of this moment is swapped in.
  if (cached && cached.text === source.text && cached.targetKey === targetKey) return withTree(cached.file, source.tree);
  const file = buildCgoFile(source.path, source.text, source.tree, target);
  remember(cgoFiles, key, { text: source.text, targetKey, file });
  return file;
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/** The preamble under a .go file offset, with the preamble index of that offset. */
export function preambleAt(file: CgoFile, offset: number): { imp: CgoImport; preamble: Preamble; index: number } | undefined {
  for (const imp of file.imports) {
    const preamble = imp.preamble;
    if (!preamble) continue;
    const comments = preamble.group.comments;
    if (offset < comments[0].start || offset > comments[comments.length - 1].end) continue;
    const index = preambleIndexOf(preamble, offset);
    if (index !== undefined) return { imp, preamble, index };
  }
  return undefined;
}

/** The preamble index whose character stands at the file offset; undefined in comment markers. */
export function preambleIndexOf(preamble: Preamble, offset: number): number | undefined {
  const offsets = preamble.sourceOffsets;
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return offsets[low] === offset ? low : undefined;
}

/** A text's LSP range (UTF-16, with the protocol's line breaks). */
export function rangeIn(text: TextDocument, start: number, end: number): Range {
  return { start: text.positionAt(start), end: text.positionAt(end) };
}

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

const goKeywords = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto',
  'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

/** Names cdecl reads as primitive types (tree-sitter-c treats them so) that cgo calls C.name. */
const primitiveTypedefs = new Set([
  'size_t', 'ssize_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'wchar_t', 'char16_t', 'char32_t', 'off_t',
]);

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
  if ((cgoBasicTypeNames as readonly string[]).includes(goName) || primitiveTypedefs.has(goName)) return { kind: 'basic', goName };
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

/** The C type `C.<goName>` stands for as a type. */
export function cTypeForGoName(goName: string, scope: CScope): CType | undefined {
  const decl = scope.names.get(goName);
  if (decl?.kind === 'typedef') return { kind: 'typedef', name: goName };
  const tag = /^(struct|union|enum)_(.+)$/.exec(goName);
  if (tag) {
    const known = scope.tags.get(`${tag[1]} ${tag[2]}`);
    if (known) return known;
    return tag[1] === 'enum' ? { kind: 'enum', tag: tag[2], constants: undefined } : { kind: 'record', union: tag[1] === 'union', tag: tag[2], fields: undefined, id: -1 };
  }
  if (goName === 'void') return { kind: 'void' };
  if ((cgoBasicTypeNames as readonly string[]).includes(goName) || primitiveTypedefs.has(goName)) return { kind: 'builtin', name: cNameOf(goName) };
  return undefined;
}

/** cgo's Go names for the fields of a C struct: keywords get a leading `_`, anonymous members are anon0, anon1, … */
export function goFields(record: Extract<CType, { kind: 'record' }>): { goName: string; field: CField; anonymous: boolean }[] {
  const result: { goName: string; field: CField; anonymous: boolean }[] = [];
  let anon = 0;
  for (const field of record.fields ?? []) {
    if (field.bitWidth !== undefined) continue;
    if (field.name === undefined) result.push({ goName: `anon${anon++}`, field, anonymous: true });
    else result.push({ goName: goKeywords.has(field.name) ? `_${field.name}` : field.name, field, anonymous: false });
  }
  return result;
}

function fieldAccess(view: DocumentView, operand: Node, goName: string): CReference | undefined {
  const scope = view.scopeOf(view.file).scope;
  const base = exprType(operand, scope, 0);
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

/** The C type of a Go expression, where it is plainly one (declared with C types in the same file). */
function exprType(node: Node, scope: CScope, depth: number): CType | undefined {
  if (depth > 16) return undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? exprType(inner, scope, depth + 1) : undefined;
    }
    case 'identifier':
      return identifierType(node, scope, depth);
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const op = node.childForFieldName('operator')?.text ?? node.children[0]?.text;
      if (!operand) return undefined;
      const type = exprType(operand, scope, depth + 1);
      if (!type) return undefined;
      if (op === '&') return { kind: 'pointer', to: type };
      if (op === '*') {
        const resolved = scope.resolve(type);
        return resolved.kind === 'pointer' ? resolved.to : undefined;
      }
      return undefined;
    }
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field');
      if (!operand || !field) return undefined;
      if (operand.type === 'identifier' && operand.text === 'C') {
        const decl = scope.names.get(field.text);
        return decl?.kind === 'variable' ? decl.type : undefined;
      }
      const base = exprType(operand, scope, depth + 1);
      if (!base) return undefined;
      let owner = scope.resolve(base);
      if (owner.kind === 'pointer') owner = scope.resolve(owner.to);
      if (owner.kind !== 'record') return undefined;
      return goFields(owner).find((f) => f.goName === field.text)?.field.type;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (!fn) return undefined;
      if (fn.type === 'selector_expression') {
        const operand = fn.childForFieldName('operand');
        const name = fn.childForFieldName('field')?.text;
        if (operand?.text !== 'C' || !name) return undefined;
        const decl = scope.names.get(name);
        if (decl?.kind === 'function' && decl.type?.kind === 'function') return decl.type.returns;
        if (name === 'CString') return { kind: 'pointer', to: { kind: 'builtin', name: 'char' } };
        // A conversion: C.size_t(n), C.Animal(x).
        return cTypeForGoName(name, scope);
      }
      // (*C.T)(p)
      if (fn.type === 'parenthesized_expression') {
        const inner = fn.namedChildren[0];
        if (inner?.type === 'unary_expression') {
          const target = inner.childForFieldName('operand');
          if (target?.type === 'selector_expression' && target.childForFieldName('operand')?.text === 'C') {
            const to = cTypeForGoName(target.childForFieldName('field')?.text ?? '', scope);
            return to ? { kind: 'pointer', to } : undefined;
          }
        }
        return inner ? goTypeNode(inner, scope) : undefined;
      }
      return undefined;
    }
    case 'composite_literal': {
      const type = node.childForFieldName('type');
      return type ? goTypeNode(type, scope) : undefined;
    }
    case 'index_expression': {
      const operand = node.childForFieldName('operand');
      const type = operand ? exprType(operand, scope, depth + 1) : undefined;
      const resolved = type ? scope.resolve(type) : undefined;
      return resolved?.kind === 'array' ? resolved.of : undefined;
    }
    default:
      return undefined;
  }
}

/** The C type a Go type expression names (C.T, *C.T, [N]C.T). */
function goTypeNode(node: Node, scope: CScope): CType | undefined {
  switch (node.type) {
    case 'qualified_type': {
      if (node.childForFieldName('package')?.text !== 'C') return undefined;
      const name = node.childForFieldName('name')?.text;
      return name ? cTypeForGoName(name, scope) : undefined;
    }
    case 'pointer_type': {
      const inner = node.namedChildren[0];
      const to = inner ? goTypeNode(inner, scope) : undefined;
      return to ? { kind: 'pointer', to } : undefined;
    }
    case 'array_type': {
      const element = node.childForFieldName('element');
      const of = element ? goTypeNode(element, scope) : undefined;
      const length = Number(node.childForFieldName('length')?.text);
      return of ? { kind: 'array', of, length: Number.isInteger(length) ? length : undefined } : undefined;
    }
    case 'parenthesized_type': {
      const inner = node.namedChildren[0];
      return inner ? goTypeNode(inner, scope) : undefined;
    }
    default:
      return undefined;
  }
}

const declarationTypes = ['short_var_declaration', 'var_spec', 'parameter_declaration'];
const scopeTypes = new Set(['block', 'function_declaration', 'method_declaration', 'func_literal', 'source_file', 'if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement']);

/** The C type of a local variable, parameter or package variable, from its declaration. */
function identifierType(ident: Node, scope: CScope, depth: number): CType | undefined {
  const name = ident.text;
  let container: Node | null = ident.parent;
  while (container && !['function_declaration', 'method_declaration', 'func_literal', 'source_file'].includes(container.type)) container = container.parent;
  for (; container; container = container.parent) {
    if (!['function_declaration', 'method_declaration', 'func_literal', 'source_file'].includes(container.type)) continue;
    let best: { node: Node; index: number } | undefined;
    for (const decl of container.descendantsOfType(declarationTypes)) {
      if (!decl || decl.startIndex >= ident.startIndex) continue;
      const index = declaredIndex(decl, name);
      if (index < 0 || !visibleAt(decl, ident)) continue;
      if (!best || decl.startIndex > best.node.startIndex) best = { node: decl, index };
    }
    if (best) return declarationType(best.node, best.index, scope, depth);
  }
  return undefined;
}

/** Where `name` stands among the names the declaration declares; -1 when it is not one. */
function declaredIndex(decl: Node, name: string): number {
  const names = decl.type === 'short_var_declaration' ? (decl.childForFieldName('left')?.namedChildren ?? []) : decl.childrenForFieldName('name');
  return names.findIndex((n) => n?.text === name);
}

/** A declaration is visible from its point on to the end of the block around it. */
function visibleAt(decl: Node, use: Node): boolean {
  let block: Node | null = decl.parent;
  if (decl.type === 'parameter_declaration') {
    while (block && !['function_declaration', 'method_declaration', 'func_literal'].includes(block.type)) block = block.parent;
  } else {
    while (block && !scopeTypes.has(block.type)) block = block.parent;
  }
  return !!block && block.startIndex <= use.startIndex && use.endIndex <= block.endIndex;
}

function declarationType(decl: Node, index: number, scope: CScope, depth: number): CType | undefined {
  const typeNode = decl.childForFieldName('type');
  if (typeNode) return goTypeNode(typeNode, scope);
  const values = (decl.type === 'short_var_declaration' ? decl.childForFieldName('right') : decl.childForFieldName('value'))?.namedChildren ?? [];
  // `r, err := C.f()`: the first is the result, the second errno.
  const value = values.length === 1 ? (index === 0 ? values[0] : undefined) : values[index];
  return value ? exprType(value, scope, depth + 1) : undefined;
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

// ---------------------------------------------------------------------------------------------
// textDocument/definition
// ---------------------------------------------------------------------------------------------

export async function definition(services: FeatureServices, params: TextDocumentPositionParams): Promise<Location | null> {
  const result = await withView(services, params.textDocument.uri, (view): Location | null => {
    const offset = view.document.offsetAt(params.position);
    const include = includeAt(view, offset);
    if (include) {
      const header = include.resolved ?? (include.compiled ? view.systemHeaderPath(include.name) : undefined);
      if (!header) return null;
      return { uri: pathToFileURL(header).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    }
    const at = cReferenceAt(view, offset);
    if (!at) return null;
    const span = referenceSpan(view, at.ref);
    return span ? (spanLocation(view, span) ?? null) : null;
  });
  return result ?? null;
}

/** The path of a file: URI. */
export function pathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
