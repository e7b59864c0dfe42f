// The C-aware view of a document that hover, definition, completion and semantic tokens
// share: the package as the engine models it for the configured target, the C names each
// file sees (its preamble plus the project headers it includes, cached until the file or any
// header it read changes), and positions in its preambles.
//
// A view holds the package's syntax trees, which the document cache may free on the next
// change: it is built and used in one synchronous stretch (withView), never across an await.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CScope } from '../cgo/cdecl';
import type { BuildTarget } from '../cgo/constraints';
import { BoundedCache } from '../cgo/cache';
import type { Engine, FileScope } from '../cgo/engine';
import { mayImportC } from '../cgo/files';
import type { CppConfig } from '../cgo/cpp';
import { cppConfig, type ReadText } from '../cgo/headers';
import { buildCgoFile, cgoPackage, packageFlags, withTree, type CgoFile, type CgoImport, type CgoPackage, type PackageFlags } from '../cgo/package';
import type { PkgConfig } from '../cgo/pkgconfig';
import type { Preamble, PreambleCache } from '../cgo/preamble';
import type { GoVersion, LocalGo } from '../cgo/goversion';
import { resolvePackageTarget, targetProblem } from '../cgo/target';
import type { OpenDocuments } from '../documents';
import type { CgoSettings, Settings } from '../settings';
import type { PackageFile, Workspace } from '../workspace';

/** What the hover, definition, completion and semantic-token handlers need from the server. */
export interface FeatureServices {
  engine: Engine;
  /** The cgo models of the files the features read. */
  models: FileModels;
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
  const targetKey = JSON.stringify(target);
  services.models.keepFor(loaded.files.length);
  const files = loaded.files.map((source) => services.models.modelOf(source, target, targetKey));
  const file = files[loaded.files.findIndex((source) => source.uri === uri)];
  if (!file) return undefined;
  const pkg = cgoPackage(loaded.dir, target, files);
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
  const target = targetOf(settings, dir, services.workspace.readText(), services.goEnv.current());
  return guarded(services, uri, () => body(services.models.modelOf(source, target, JSON.stringify(target)), document));
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

/** Models kept at least; as many as the package has files when it has more (see keepFor). */
const minModelsKept = 256;

interface KeptModel {
  text: string;
  targetKey: string;
  /** Built over the first tree; other trees of the same text see it through withTree. */
  file: CgoFile;
  /** The model over the tree (or the way to it) it was last asked with: the same object while that stays. */
  retreed: { tree: PackageFile['tree']; file: CgoFile };
}

/**
 * The cgo model of each file the features looked at, by path (untitled buffers by URI), kept
 * while its text and the target stay. One per server, disposed with it.
 */
export class FileModels {
  private readonly models = new BoundedCache<string, KeptModel>({ maxWeight: minModelsKept });

  /** @param preambles the engine's preambles by comment text, which the checks share. */
  constructor(private readonly preambles: PreambleCache) {}

  /** Keeps a model for every file of a package: read in file order, a smaller LRU cache would keep none of them. */
  keepFor(files: number): void {
    this.models.resize(Math.max(minModelsKept, files));
  }

  /** The model of a source for a target (`targetKey`: the target as JSON, computed once per request). */
  modelOf(source: PackageFile, target: BuildTarget, targetKey: string): CgoFile {
    const key = path.isAbsolute(source.path) ? source.path : source.uri;
    const kept = this.models.peek(key);
    // The model depends only on the text (and the target); the tree of this moment is swapped in.
    if (kept && kept.text === source.text && kept.targetKey === targetKey) {
      if (kept.retreed.tree !== source.tree) kept.retreed = { tree: source.tree, file: withTree(kept.file, source.tree) };
      return kept.retreed.file;
    }
    const file = buildCgoFile(source.path, source.text, source.tree, target, this.preambles);
    this.models.set(key, { text: source.text, targetKey, file, retreed: { tree: source.tree, file } });
    return file;
  }

  dispose(): void {
    this.models.dispose();
  }
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

/** The path of a file: URI. */
export function pathOfUri(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
