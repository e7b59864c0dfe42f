// Diagnostics of files nobody opened (cgo.diagnostics.scope "workspace"). Every package of the
// workspace folders with a .go file that imports "C" is found by the ./... walk of cgo-lint,
// reading only each file's head; each is then checked in the background by the Analyzer, one
// at a time, with window/workDoneProgress; a file changed on disk re-checks its package, a
// header or a setting all of them. Closed files' diagnostics carry version null: pulled
// (workspace/diagnostic, LSP 3.17) once the client asks for them, pushed until then.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  Diagnostic,
  WorkspaceDocumentDiagnosticReport,
  WorkspaceDiagnosticReport,
} from 'vscode-languageserver';
import { fileMayImportC, skippedDirectory, walkStep } from '../cgo/files';
import type { CgoSettings, Settings } from '../settings';

/** What the Analyzer needs of the closed files' side. */
export interface ClosedFiles {
  /** Whether a check of this package reports its closed files. */
  covers(packageKey: string, settings: CgoSettings): boolean;
  /** Whether the package is one of the workspace's cgo packages (a closed file's change re-checks it). */
  has(packageKey: string): boolean;
  /** The diagnostics of the package's files after a check, by URI; open files among them are left to the Analyzer. */
  report(packageKey: string, diagnostics: Map<string, Diagnostic[]>): void;
  /** A document was opened: its diagnostics are its document's from now on. */
  opened(uri: string): void;
  /** Settings (or the trust) changed: every package is found and checked again. */
  configurationChanged(): void;
}

/** What the workspace side asks of the Analyzer. */
export interface BackgroundChecks {
  /** Checks a package after every open file's pending check; resolves once its diagnostics are reported. */
  checkInBackground(packageKey: string): Promise<void>;
  /** Re-checks a package after the usual debounce (a file of it changed on disk). */
  packageChanged(packageKey: string): void;
}

/** A progress bar in the client (window/workDoneProgress), or one that shows nothing. */
export interface Progress {
  begin(title: string, percentage?: number, message?: string): void;
  report(percentage: number, message: string): void;
  done(): void;
}

export interface WorkspaceOptions {
  /** Paths of the workspace folders. */
  folders: string[];
  settings: Settings;
  /** The client pulls open documents' diagnostics: pushed ones of a file it opens would stand beside them. */
  clientPulls: boolean;
  isOpen(file: string): boolean;
  /** Push: publishDiagnostics for a closed file (version null). */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  /** Asks the client for a progress bar. */
  progress(): Promise<Progress>;
  log: { info(message: string): void; error(message: string): void };
}

interface ClosedReport {
  uri: string;
  resultId: string;
  diagnostics: Diagnostic[];
}

/** Directories walked between two turns of the event loop, at most this long. */
const walkSliceMs = 5;

export class WorkspaceDiagnostics implements ClosedFiles {
  /** The cgo package directories found in the workspace folders. */
  private readonly packages = new Set<string>();
  /** Closed files with diagnostics, by path. */
  private readonly reports = new Map<string, ClosedReport>();
  /** Per package, the paths of its closed files in `reports`. */
  private readonly reportedBy = new Map<string, Set<string>>();
  /** Once the client pulls workspace diagnostics, nothing is pushed for closed files. */
  private pulling = false;
  /** Closed files whose pushed diagnostics are not empty. */
  private readonly pushed = new Set<string>();
  private nextResultId = 1;
  /** The running scan; its `cancelled` turns true when a newer one starts. */
  private scan: { cancelled: boolean } | undefined;
  private readonly listeners = new Set<() => void>();
  private checks: BackgroundChecks | undefined;
  private disposed = false;
  private folders: string[];

  constructor(private readonly options: WorkspaceOptions) {
    this.folders = [...options.folders];
  }

  /** The Analyzer, once both exist. */
  attach(checks: BackgroundChecks): void {
    this.checks = checks;
  }

  covers(packageKey: string, settings: CgoSettings): boolean {
    return settings.diagnostics.scope === 'workspace' && this.packages.has(packageKey);
  }

  has(packageKey: string): boolean {
    return this.packages.has(packageKey);
  }

  report(packageKey: string, diagnostics: Map<string, Diagnostic[]>): void {
    const now = new Set<string>();
    for (const [uri, list] of diagnostics) {
      const file = pathOf(uri);
      if (file === undefined || list.length === 0 || this.options.isOpen(file)) continue;
      now.add(file);
      const previous = this.reports.get(file);
      if (previous && JSON.stringify(previous.diagnostics) === JSON.stringify(list)) continue;
      this.reports.set(file, { uri, resultId: `w${this.nextResultId++}`, diagnostics: list });
      if (!this.pulling) {
        this.options.publish(uri, list);
        this.pushed.add(file);
      }
    }
    for (const file of this.reportedBy.get(packageKey) ?? []) {
      if (now.has(file)) continue;
      const gone = this.reports.get(file);
      this.reports.delete(file);
      // An open file's diagnostics are its document's now.
      if (gone && this.pushed.delete(file) && !this.options.isOpen(file)) this.options.publish(gone.uri, []);
    }
    if (now.size > 0) this.reportedBy.set(packageKey, now);
    else this.reportedBy.delete(packageKey);
    this.changed();
  }

  opened(uri: string): void {
    const file = pathOf(uri);
    if (file !== undefined && this.pushed.delete(file) && this.options.clientPulls) this.options.publish(this.reports.get(file)?.uri ?? uri, []);
  }

  /** Finds the cgo packages and checks every one of them (after start-up). */
  checkAll(): void {
    if (this.folders.length > 0) void this.run(true);
  }

  /** Folders were added to or removed from the workspace: their packages come or go. */
  foldersChanged(added: string[], removed: string[]): void {
    this.folders = [...this.folders.filter((folder) => !removed.includes(folder)), ...added.filter((folder) => !this.folders.includes(folder))];
    void this.run(true);
  }

  configurationChanged(): void {
    this.checkAll();
  }

  /**
   * Files changed on disk: a .go file re-checks its package, which may have become a cgo
   * package or stopped being one; a header re-checks every package, anything else (a folder
   * created or deleted) finds them again.
   */
  filesChanged(uris: string[]): void {
    let again: 'check' | 'find' | undefined;
    for (const uri of uris) {
      const file = pathOf(uri);
      if (file === undefined) continue;
      if (!file.endsWith('.go')) {
        // A header may be included anywhere; a folder's packages may have come or gone.
        again = file.endsWith('.h') && again !== 'find' ? 'check' : 'find';
        continue;
      }
      const dir = path.dirname(file);
      if (!this.inWorkspace(dir)) continue;
      const cgo = walkStep(dir).goFiles.some((name) => fileMayImportC(path.join(dir, name)));
      if (cgo) {
        this.packages.add(dir);
        this.checks?.packageChanged(dir);
      } else if (this.packages.delete(dir)) {
        this.report(dir, new Map());
      }
    }
    if (again) void this.run(again === 'find');
  }

  /**
   * workspace/diagnostic: reports of the closed files whose diagnostics the client does not
   * have (full, version null), an empty one for each it has that are gone, `unchanged` for the
   * rest. While packages are being checked their reports come as partial results where the
   * client takes them; with nothing new to say, the answer waits until there is.
   */
  async pull(
    previousResultIds: { uri: string; value: string }[],
    partial: ((items: WorkspaceDocumentDiagnosticReport[]) => void) | undefined,
    token: { isCancellationRequested: boolean; onCancellationRequested(listener: () => void): unknown },
  ): Promise<WorkspaceDiagnosticReport> {
    this.switchToPull();
    const previous = new Map<string, { uri: string; resultId: string }>();
    for (const { uri, value } of previousResultIds) {
      const file = pathOf(uri);
      if (file !== undefined) previous.set(file, { uri, resultId: value });
    }
    const known = new Map(previous);
    const said: WorkspaceDocumentDiagnosticReport[] = [];
    let saidPartially = false;
    token.onCancellationRequested(() => this.changed());
    for (;;) {
      if (token.isCancellationRequested || this.disposed) return { items: [] };
      const items = this.changesSince(known);
      if (this.scan) {
        if (partial && items.length > 0) {
          partial(items);
          saidPartially = true;
        } else said.push(...items);
      } else {
        said.push(...items);
        if (said.length > 0 || saidPartially) break;
      }
      await this.nextChange();
    }
    const resent = new Set(said.map((report) => pathOf(report.uri)));
    const unchanged: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [file, { uri, resultId }] of previous) {
      if (!resent.has(file) && known.get(file)?.resultId === resultId) unchanged.push({ kind: 'unchanged', uri, version: null, resultId });
    }
    return { items: [...said, ...unchanged] };
  }

  dispose(): void {
    this.disposed = true;
    if (this.scan) this.scan.cancelled = true;
    this.changed();
  }

  /** Reports that differ from what `known` says the client has; `known` is updated to them. */
  private changesSince(known: Map<string, { uri: string; resultId: string }>): WorkspaceDocumentDiagnosticReport[] {
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [file, report] of this.reports) {
      if (this.options.isOpen(file) || known.get(file)?.resultId === report.resultId) continue;
      items.push({ kind: 'full', uri: report.uri, version: null, resultId: report.resultId, items: report.diagnostics });
      known.set(file, { uri: report.uri, resultId: report.resultId });
    }
    for (const [file, { uri }] of known) {
      if (this.reports.has(file) || this.options.isOpen(file)) continue;
      items.push({ kind: 'full', uri, version: null, items: [] });
      known.delete(file);
    }
    return items;
  }

  /** The client pulls: what was pushed for closed files is taken back, the pulls report it. */
  private switchToPull(): void {
    if (this.pulling) return;
    this.pulling = true;
    for (const file of this.pushed) this.options.publish(this.reports.get(file)?.uri ?? pathToFileURL(file).href, []);
    this.pushed.clear();
  }

  /** One scan: finds the packages (when `discover`), then checks them one by one, with progress. */
  private async run(discover: boolean): Promise<void> {
    if (this.scan) this.scan.cancelled = true;
    const scan = { cancelled: false };
    this.scan = scan;
    this.changed();
    const progress = await this.options.progress();
    const started = performance.now();
    try {
      progress.begin('cgo', 0, discover ? 'looking for packages with import "C"' : 'checking the workspace');
      if (discover) {
        const found = new Set<string>();
        for (const folder of this.folders) {
          const settings = await this.options.settings.get(pathToFileURL(folder).href);
          if (scan.cancelled) return;
          if (!settings.enable || settings.diagnostics.scope !== 'workspace') continue;
          for (const dir of await this.findCgoPackages(folder, scan)) found.add(dir);
        }
        if (scan.cancelled) return;
        for (const dir of [...this.packages]) {
          if (found.has(dir)) continue;
          this.packages.delete(dir);
          this.report(dir, new Map());
        }
        for (const dir of found) this.packages.add(dir);
      }
      const keys = [...this.packages].sort();
      for (const [index, key] of keys.entries()) {
        progress.report(Math.round((index / keys.length) * 100), `checking ${index + 1}/${keys.length} packages with import "C"`);
        await this.checks?.checkInBackground(key);
        if (scan.cancelled) return;
      }
      const ms = Math.round(performance.now() - started);
      this.options.log.info(
        `checked the workspace: ${keys.length} package${keys.length === 1 ? '' : 's'} with import "C", ` +
          `findings in ${this.reports.size} closed file${this.reports.size === 1 ? '' : 's'}, ${ms} ms`,
      );
    } catch (error) {
      this.options.log.error(`cgo: checking the workspace failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      progress.done();
      if (this.scan === scan) this.scan = undefined;
      this.changed();
    }
  }

  /** The directories below root (./... as the go command walks it) with a .go file that may import "C". */
  private async findCgoPackages(root: string, scan: { cancelled: boolean }): Promise<string[]> {
    const found: string[] = [];
    const stack = [root];
    let sliceStart = performance.now();
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      if (scan.cancelled || this.disposed) return found;
      const { goFiles, subdirs } = walkStep(dir);
      const here = dir;
      if (goFiles.some((name) => fileMayImportC(path.join(here, name)))) found.push(dir);
      stack.push(...subdirs.reverse());
      if (performance.now() - sliceStart > walkSliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return found;
  }

  /** Whether a directory is one the walk reaches: inside a folder, through no skipped directory. */
  private inWorkspace(dir: string): boolean {
    return this.folders.some((folder) => {
      const relative = path.relative(folder, dir);
      if (relative === '') return true;
      if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
      return !relative.split(path.sep).some(skippedDirectory);
    });
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => this.listeners.add(resolve));
  }

  private changed(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** The path of a file: URI, else undefined. */
function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
