// The package model of the server: every .go file of a directory. Open buffers win over disk;
// closed files are read from disk and cached with their trees by mtime and size. Documents
// that are not .go files on disk (untitled buffers) form a package of their own.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { goFilesIn, mayImportC, maxSourceBytes, readGoSource } from './cgo/files';
import { BoundedCache } from './cgo/cache';
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
 * of plain Go files costs a stat per file now and then, not a parse of each.
 */
interface DiskFile {
  mtimeMs: number;
  size: number;
  /**
   * Absent when the file cannot be read as source: the analysis leaves it out. The same object
   * goes to every check while the file is unchanged, so the engine's memo knows it at a glance.
   */
  source?: PackageFile;
  tree?: Tree;
}

/** A package directory's .go files as last listed, and when its closed files were last statted. */
interface Listing {
  /** performance.now() of the last stat of every closed file. */
  at: number;
  /** The paths, sorted. */
  paths: string[];
  has: Set<string>;
  /** A watched file was created or deleted: list again before the next load. */
  relist: boolean;
}

/**
 * How long a package's closed files' stats are trusted when no file watcher covers the package.
 * Typing checks a package several times a second; a change on disk is notified
 * (workspace/didChangeWatchedFiles, see invalidate) or found by a restat after this, which the
 * server runs while idle, a slice at a time: never in a keystroke's check, which in a 5,000-file
 * package it would make 5 times longer.
 */
const trustListingMs = 1000;
/** How long one slice of stats may run before requests get their turn. */
const statSliceMs = 4;
/** Paths by URI kept: every check asks for the package of each open document. */
const maxPathsByUri = 20_000;

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
  /** Per package directory, its .go files as last listed. */
  private readonly listings = new Map<string, Listing>();
  /**
   * Paths by URI. Every check asks for the package of each open document, and parsing thousands
   * of URIs per keystroke cost more than the check itself with 2,000 files open.
   */
  private readonly pathsByUri = new BoundedCache<string, string | null>({ maxWeight: maxPathsByUri });
  /** Folders whose .go files the client watches (didChangeWatchedFiles): their listings are trusted until an event. */
  private watchedFolders: string[] = [];

  constructor(
    private readonly documents: OpenDocuments,
    private readonly parseGo: ParseGo,
    private readonly parseGoInBackground: (text: string, stillWanted: () => boolean) => Promise<Tree | undefined>,
  ) {}

  /** The key of a document's package: its directory for a .go file on disk, else its own URI. */
  packageOf(uri: string): string {
    const file = this.goFilePath(uri);
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
    const file = this.filePath(uri);
    return file !== undefined && fs.existsSync(file);
  }

  /**
   * The client watches the .go files of these folders: a package inside them is listed and
   * statted again only when an event says a file changed (invalidate), never by the clock.
   */
  watchFolders(folders: string[]): void {
    this.watchedFolders = folders.map((folder) => path.resolve(folder));
  }

  private watched(dir: string): boolean {
    return this.watchedFolders.some((folder) => dir === folder || dir.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep));
  }

  /**
   * Brings what is known of the package's closed files up to date before a check, a slice at a
   * time so that requests are answered meanwhile: a first listing reads every file, a listing
   * an event marked is listed again (its new files read). The load that follows finds all of it
   * cached. Stats that are no longer trusted are restat's, not this.
   */
  async refresh(packageKey: string): Promise<void> {
    if (!path.isAbsolute(packageKey)) return;
    const known = this.listings.get(packageKey);
    if (known && !known.relist) return;
    const listing = this.relist(packageKey, known);
    const open = this.openPathsOf(packageKey);
    await this.sliced(packageKey, listing, (file) => {
      if (!open.has(file) && !this.disk.has(file)) this.readClosed(file);
    });
  }

  /**
   * How long the stats of the package's closed files are still trusted, in ms (≤ 0: no longer;
   * see restat); undefined when a file watcher covers the package or it is not listed.
   */
  statsTrustedFor(packageKey: string): number | undefined {
    const known = this.listings.get(packageKey);
    if (!known || this.watched(packageKey)) return undefined;
    return trustListingMs - (performance.now() - known.at);
  }

  /**
   * Lists the package again and stats its closed files, a slice at a time: a file created or
   * whose stat changed is read again, one gone is forgotten. Gives up at a slice's end when
   * `interrupted` says so, the stats still untrusted (the next load reads what is left to read).
   * Whether it found a change.
   */
  async restat(packageKey: string, interrupted: () => boolean): Promise<boolean> {
    const known = this.listings.get(packageKey);
    if (!known) return false;
    const started = performance.now();
    const listing = this.relist(packageKey, known);
    let changed = listing.paths.length !== known.paths.length || listing.paths.some((file, i) => file !== known.paths[i]);
    const open = this.openPathsOf(packageKey);
    const complete = await this.sliced(
      packageKey,
      listing,
      (file) => {
        if (open.has(file)) return;
        if (this.restatFile(file)) changed = true;
        if (!this.disk.has(file)) this.readClosed(file);
      },
      interrupted,
    );
    if (complete) listing.at = started;
    return changed;
  }

  /**
   * Calls `each` on the listing's files, a slice at a time with a turn of the event loop between
   * slices; false when it stopped early: `interrupted`, or the listing no longer in force.
   */
  private async sliced(packageKey: string, listing: Listing, each: (file: string) => void, interrupted?: () => boolean): Promise<boolean> {
    let sliceStart = performance.now();
    for (const file of listing.paths) {
      each(file);
      if (performance.now() - sliceStart < statSliceMs) continue;
      await new Promise((resolve) => setImmediate(resolve));
      // Forgotten or listed again meanwhile: that one is in force now.
      if (this.listings.get(packageKey) !== listing || interrupted?.()) return false;
      sliceStart = performance.now();
    }
    return true;
  }

  private openPathsOf(packageKey: string): Set<string | undefined> {
    return new Set(this.openDocumentsOf(packageKey).map((document) => this.goFilePath(document.uri)));
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
    const openByPath = new Map(open.map((document) => [this.goFilePath(document.uri) ?? document.uri, document]));
    let listing = this.listings.get(packageKey);
    if (!listing || listing.relist) listing = this.relist(packageKey, listing);
    // An open buffer wins over its file on disk.
    for (const file of openByPath.keys()) this.forgetFile(file);
    const unlisted = [...openByPath.keys()].filter((file) => !listing.has.has(file));
    const paths = unlisted.length > 0 ? [...listing.paths, ...unlisted].sort() : listing.paths;
    const files: PackageFile[] = [];
    for (const file of paths) {
      const document = openByPath.get(file);
      if (document) {
        if (readableSource(document.getText())) files.push(this.openFile(document, file));
        continue;
      }
      const source = this.disk.has(file) ? this.disk.get(file)!.source : this.readClosed(file);
      if (source) files.push(source);
    }
    return { dir: packageKey, files, readText };
  }

  /**
   * Lists the directory's .go files again, or for the first time when there is no `old`; the
   * closed files no longer there are forgotten. Returns the listing now in force.
   */
  private relist(packageKey: string, old: Listing | undefined): Listing {
    const paths = goFilesIn(packageKey).map((name) => path.join(packageKey, name));
    const listing: Listing = { at: old?.at ?? performance.now(), paths, has: new Set(paths), relist: false };
    for (const file of old?.paths ?? []) if (!listing.has.has(file)) this.forgetFile(file);
    this.listings.set(packageKey, listing);
    return listing;
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

  /**
   * A file changed on disk (workspace/didChangeWatchedFiles): a .go file is read again, and its
   * directory listed again (it may be new or gone).
   */
  invalidate(uri: string): void {
    const file = this.goFilePath(uri);
    if (!file) return;
    this.forgetFile(file);
    const listing = this.listings.get(path.dirname(file));
    if (listing) listing.relist = true;
  }

  /** Drops the cached disk files of a package (when its last document closes). */
  forgetPackage(packageKey: string): void {
    const listing = this.listings.get(packageKey);
    this.listings.delete(packageKey);
    for (const file of listing?.paths ?? []) this.forgetFile(file);
  }

  dispose(): void {
    for (const cached of [...this.disk.keys()]) this.forgetFile(cached);
    this.listings.clear();
    this.pathsByUri.dispose();
  }

  /** Reads files as the checks see them: open buffers win over disk. */
  readText(): ReadText {
    const openTexts = new Map<string, TextDocument>();
    for (const document of this.documents.all()) {
      const file = this.filePath(document.uri);
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

  /** A closed file's source, statted and read. */
  private readClosed(file: string): PackageFile | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      // Gone since the listing: known as absent until a stat finds it again.
      this.disk.set(file, { mtimeMs: -1, size: -1 });
      return undefined;
    }
    const read = readGoSource(file);
    const entry: DiskFile = { mtimeMs: stat.mtimeMs, size: stat.size };
    if (read.ok) {
      const text = read.text;
      entry.source = { path: file, uri: pathToFileURL(file).href, text, tree: () => (entry.tree ??= this.parseGo(text)), version: null };
    }
    this.disk.set(file, entry);
    return entry.source;
  }

  /** Forgets a closed file whose stat changed (or that is gone): the next load reads it again. Whether it did. */
  private restatFile(file: string): boolean {
    const cached = this.disk.get(file);
    if (!cached) return false;
    let now = { mtimeMs: -1, size: -1 };
    try {
      now = fs.statSync(file);
    } catch {
      // Absent: as a file that could not be statted is kept.
    }
    if (cached.mtimeMs === now.mtimeMs && cached.size === now.size) return false;
    this.forgetFile(file);
    return true;
  }

  private forgetFile(file: string): void {
    this.disk.get(file)?.tree?.delete();
    this.disk.delete(file);
  }

  /** The path of a file: URI, else undefined. */
  private filePath(uri: string): string | undefined {
    const known = this.pathsByUri.find(uri);
    if (known !== undefined) return known ?? undefined;
    let file: string | null;
    try {
      file = uri.startsWith('file:') ? fileURLToPath(uri) : null;
    } catch {
      file = null;
    }
    this.pathsByUri.set(uri, file);
    return file ?? undefined;
  }

  /** The path of a file: URI naming a .go file, else undefined. */
  private goFilePath(uri: string): string | undefined {
    const file = this.filePath(uri);
    return file?.endsWith('.go') ? file : undefined;
  }
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
