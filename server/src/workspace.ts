// The package model of the server: every .go file of a directory. Open buffers win over disk;
// closed files are read from disk and cached with their trees by mtime and size. Documents
// that are not .go files on disk (untitled buffers) form a package of their own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { goFilesIn, mayImportC, maxSourceBytes, readGoSource } from './cgo/files';
import { readTextFromDisk, type ReadText } from './cgo/headers';
import type { OpenDocuments, ParseGo } from './documents';

export interface PackageFile {
  /** The path the engine reports findings against. */
  path: string;
  uri: string;
  text: string;
  /** The Go syntax tree of `text`, parsed when first asked for: most checks need none. */
  tree: () => Tree;
  /** The open document's version; null for a file read from disk. */
  version: number | null;
}

export interface LoadedPackage {
  /** The directory the engine resolves ${SRCDIR} and -I against. */
  dir: string;
  files: PackageFile[];
  /** How the engine reads headers: open buffers first, then the disk. */
  readText: ReadText;
}

/**
 * A closed file as last read. Every file goes to the engine (cgo-in-test's fix must not reuse a
 * name any file declares), but its tree is parsed only if a rule asks: a directory with hundreds
 * of plain Go files costs a stat per file on a keystroke, not a parse of each.
 */
interface DiskFile {
  mtimeMs: number;
  size: number;
  /** Absent when the file cannot be read as source: the analysis leaves it out. */
  source?: { uri: string; text: string; tree?: Tree };
}

/**
 * How long a package's file list and its closed files' stats are trusted. Typing checks a
 * package several times a second, and statting hundreds of files each time costs more than
 * the check; a change on disk is notified (workspace/didChangeWatchedFiles, see invalidate) or
 * seen by the first check after this.
 */
const trustListingMs = 1000;

/** Whether an open buffer would be read as source; the CLI skips the same files (readGoSource). */
/** Why an open document is not checked (too large, or binary), or undefined when it is. */
export function unreadableReason(text: string): string | undefined {
  if (text.length > maxSourceBytes) return `larger than ${maxSourceBytes / 1024 / 1024} MiB`;
  if (text.includes('\0')) return 'binary (it holds NUL bytes)';
  return undefined;
}

function readableSource(text: string): boolean {
  return unreadableReason(text) === undefined;
}

export class Workspace {
  /** Closed files of the packages with open documents, by path. */
  private readonly disk = new Map<string, DiskFile>();
  /** Per package directory, its .go files as last listed and when (performance.now()). */
  private readonly listings = new Map<string, { at: number; names: string[] }>();

  constructor(
    private readonly documents: OpenDocuments,
    private readonly parseGo: ParseGo,
    private readonly parseGoInBackground: (text: string, stillWanted: () => boolean) => Promise<Tree | undefined>,
  ) {}

  /** The key of a document's package: its directory for a .go file on disk, else its own URI. */
  packageOf(uri: string): string {
    const file = goFilePath(uri);
    return file ? path.dirname(file) : uri;
  }

  /** A URI settings are scoped to for a package: its directory, or the standalone document. */
  scopeUriOf(packageKey: string): string {
    return path.isAbsolute(packageKey) ? pathToFileURL(packageKey).href : packageKey;
  }

  openDocumentsOf(packageKey: string): TextDocument[] {
    return this.documents.all().filter((document) => this.packageOf(document.uri) === packageKey);
  }

  /** Every package with at least one open document. */
  openPackages(): string[] {
    return [...new Set(this.documents.all().map((document) => this.packageOf(document.uri)))];
  }

  /** Whether a document is open under this URI or its file exists on disk. */
  exists(uri: string): boolean {
    if (this.documents.get(uri)) return true;
    const file = filePath(uri);
    return file !== undefined && fs.existsSync(file);
  }

  /** The package's sources as they are now: synchronous, so no buffer changes while the engine runs. */
  load(packageKey: string): LoadedPackage {
    const open = this.openDocumentsOf(packageKey);
    const readText = this.readText();
    if (!path.isAbsolute(packageKey)) {
      const document = open[0];
      const file = standalonePath(packageKey);
      const files = document && readableSource(document.getText()) ? [this.openFile(document, file)] : [];
      return { dir: path.dirname(file), files, readText };
    }
    const openByPath = new Map(open.map((document) => [goFilePath(document.uri) ?? document.uri, document]));
    const now = performance.now();
    let listing = this.listings.get(packageKey);
    const trusted = listing !== undefined && now - listing.at < trustListingMs;
    if (!trusted) {
      listing = { at: now, names: goFilesIn(packageKey) };
      this.listings.set(packageKey, listing);
    }
    const paths = new Set([...listing!.names.map((name) => path.join(packageKey, name)), ...openByPath.keys()]);
    for (const cached of this.disk.keys()) {
      if (path.dirname(cached) === packageKey && (!paths.has(cached) || openByPath.has(cached))) this.forgetFile(cached);
    }
    const files: PackageFile[] = [];
    for (const file of [...paths].sort()) {
      const document = openByPath.get(file);
      if (document) {
        if (readableSource(document.getText())) files.push(this.openFile(document, file));
        continue;
      }
      const source = this.readClosed(file, trusted);
      if (source) files.push({ path: file, uri: source.uri, text: source.text, tree: () => (source.tree ??= this.parseGo(source.text)), version: null });
    }
    return { dir: packageKey, files, readText };
  }

  /**
   * Parses an open document's Go tree in the background, when it is readable source that may
   * import "C" (what editor features look at) and has no tree yet.
   */
  async parseTreeInBackground(uri: string): Promise<'parsed' | 'not needed' | 'interrupted'> {
    const document = this.documents.get(uri);
    if (!document || this.documents.hasTree(uri) || !readableSource(document.getText()) || !mayImportC(document.getText())) return 'not needed';
    const version = document.version;
    const changed = (): boolean => this.documents.get(uri) !== document || document.version !== version;
    // A hover may parse the tree meanwhile; then this one is not needed either.
    const tree = await this.parseGoInBackground(document.getText(), () => !changed() && !this.documents.hasTree(uri));
    if (!tree) return changed() && this.documents.get(uri) ? 'interrupted' : 'not needed';
    this.documents.adoptTree(document, version, tree);
    return 'parsed';
  }

  /** A file changed on disk (workspace/didChangeWatchedFiles): its package's files are listed and statted again. */
  invalidate(uri: string): void {
    const file = filePath(uri);
    if (file) this.listings.delete(path.dirname(file));
  }

  /** Drops the cached disk files of a package (when its last document closes). */
  forgetPackage(packageKey: string): void {
    this.listings.delete(packageKey);
    for (const cached of [...this.disk.keys()]) {
      if (path.dirname(cached) === packageKey) this.forgetFile(cached);
    }
  }

  dispose(): void {
    for (const cached of [...this.disk.keys()]) this.forgetFile(cached);
    this.listings.clear();
  }

  /** Reads files as the checks see them: open buffers win over disk. */
  readText(): ReadText {
    const openTexts = new Map<string, TextDocument>();
    for (const document of this.documents.all()) {
      const file = filePath(document.uri);
      if (file) openTexts.set(file, document);
    }
    return (file) => openTexts.get(file)?.getText() ?? readTextFromDisk(file);
  }

  private openFile(document: TextDocument, file: string): PackageFile {
    const version = document.version;
    const tree = (): Tree => {
      // A model outliving its analysis must not pair its text with a later version's tree.
      if (document.version !== version) throw new Error(`${document.uri} changed (version ${version} → ${document.version}) before its tree was read`);
      return this.documents.treeOf(document);
    };
    return { path: file, uri: document.uri, text: document.getText(), tree, version };
  }

  /** A closed file's source: as cached when its package listing is `trusted`, else statted and read if changed. */
  private readClosed(file: string, trusted: boolean): DiskFile['source'] {
    const known = trusted ? this.disk.get(file) : undefined;
    if (known) return known.source;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.forgetFile(file);
      return undefined;
    }
    const cached = this.disk.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.source;
    this.forgetFile(file);
    const read = readGoSource(file);
    const entry: DiskFile = { mtimeMs: stat.mtimeMs, size: stat.size };
    if (read.ok) entry.source = { uri: pathToFileURL(file).href, text: read.text };
    this.disk.set(file, entry);
    return entry.source;
  }

  private forgetFile(file: string): void {
    this.disk.get(file)?.source?.tree?.delete();
    this.disk.delete(file);
  }
}

/**
 * Paths by URI. Every check asks for the package of each open document, and parsing thousands
 * of URIs per keystroke cost more than the check itself with 2,000 files open.
 */
const pathsByUri = new Map<string, string | undefined>();
const maxPathsByUri = 20_000;

/** The path of a file: URI, else undefined. */
function filePath(uri: string): string | undefined {
  if (pathsByUri.has(uri)) return pathsByUri.get(uri);
  let file: string | undefined;
  try {
    file = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    file = undefined;
  }
  if (pathsByUri.size >= maxPathsByUri) pathsByUri.clear();
  pathsByUri.set(uri, file);
  return file;
}

/** The path of a file: URI naming a .go file, else undefined. */
function goFilePath(uri: string): string | undefined {
  const file = filePath(uri);
  return file?.endsWith('.go') ? file : undefined;
}

/**
 * A .go path for a document with no file on disk (untitled:Untitled-1 → /untitled/Untitled-1.go),
 * in a directory that does not exist, so no header is looked up in the server's working directory.
 */
function standalonePath(uri: string): string {
  const encoded = uri.slice(uri.indexOf(':') + 1);
  let decoded = encoded;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    // Keep a malformed escape as it is; the name only labels the buffer.
  }
  const name = path.posix.basename(decoded) || 'untitled';
  return path.join(path.sep, 'untitled', name.endsWith('.go') ? name : `${name}.go`);
}
