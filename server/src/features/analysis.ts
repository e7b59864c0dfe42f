// When packages are analysed and where their diagnostics go. Changes are debounced per
// package; packages are analysed one at a time. A check runs in slices with a turn of the
// event loop between them, so requests are answered meanwhile, and an edit cancels a check it
// makes moot; what it computed per file is kept (the package's memo, cgo/packageMemo.ts), so
// the next check goes on from there, and an edit re-checks the edited file and the facts files
// share, not every file. Results are kept
// per open document and version: pulled by the client (textDocument/diagnostic) or pushed
// (textDocument/publishDiagnostics), depending on what it supports. Packages of the workspace
// (workspaceDiagnostics.ts) are checked in the background, after every open file's check that
// is due; their closed files' diagnostics go to that side.
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { BuildTarget } from '../cgo/constraints';
import { ParseTimeoutError, type CheckOptions, type Engine } from '../cgo/engine';
import { mayImportC } from '../cgo/files';
import type { Reported } from '../cgo/findings';
import { importDeclarations } from '../cgo/goimports';
import type { LocalGo } from '../cgo/goversion';
import { resolveTarget, targetProblem } from '../cgo/target';
import { packageTarget } from './documentView';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OpenDocuments } from '../documents';
import type { CgoSettings, Settings } from '../settings';
import type { CgoPackage, PackageFlags } from '../cgo/package';
import { PackageMemo } from '../cgo/packageMemo';
import type { PkgConfig } from '../cgo/pkgconfig';
import type { LoadedPackage, Workspace } from '../workspace';
import type { CompilerRuns } from './compilerRuns';
import { diagnosticSource, toDiagnostics } from './diagnostics';
import type { BackgroundChecks, ClosedFiles } from './workspaceDiagnostics';

export interface DiagnosticsDelivery {
  /** Pull: the client asks for each document's diagnostics; push: they are published. */
  mode: 'pull' | 'push';
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** Asks a pulling client to pull again (workspace/diagnostic/refresh); undefined when unsupported. */
  refresh: (() => void) | undefined;
  /** Tells the client what the server is doing and what it has checked (the status item). */
  status(status: AnalysisStatus): void;
}

export interface AnalysisStatus {
  state: 'analysing' | 'ready';
  /** Packages checked since start, and the .go files with import "C" they hold. */
  packages: number;
  cgoFiles: number;
  /** The Go release and GOOS/GOARCH of the last check, e.g. "go1.26 linux/amd64". */
  target: string | undefined;
  /** The last check: its package directory, files, findings and time. */
  last: { dir: string; files: number; findings: number; ms: number } | undefined;
}

export interface AnalyzerOptions {
  debounceMs: number;
  ruleDocsDir: string;
  /** The client runs gopls too (VS Code with the Go extension): see goplsSeesCgoFailure in diagnostics.ts. */
  goplsRuns: boolean;
  log: { error(message: string): void; warn(message: string): void; info(message: string): void };
  /** The local go command's answer (trusted workspaces), for which Go release to answer for. */
  localGo(): LocalGo | undefined;
  /** The C compiler's runs (cgo.compiler.enable), and pkg-config for the packages that need it. */
  compiler?: { runs: CompilerRuns; pkgConfig: PkgConfig };
  /** Where closed files' diagnostics go (cgo.diagnostics.scope "workspace"). */
  closedFiles?: ClosedFiles;
}

export interface DocumentResult {
  version: number;
  /** Identifies the diagnostics' content, for `unchanged` pull reports. */
  resultId: string;
  diagnostics: Diagnostic[];
}

interface StoredResult extends DocumentResult {
  settingsGeneration: number;
}

/** How long the server must have had nothing to do before it parses trees ahead of time. */
const quietMs = 300;
/** How long a slice of a check's work may run before requests get their turn: a request may wait this long plus one step. */
const sliceMs = 5;
/** Checks shorter than this never show "analysing": a keystroke's check would only flicker. */
const analysingShownAfterMs = 250;

/** Whether the file imports "C" (the scan reads only the file's head). */
function importsC(text: string): boolean {
  return mayImportC(text) && importDeclarations(text).some((decl) => decl.specs.some((spec) => spec.path.text === '"C"'));
}

/** On the first line of each open file of a package whose Go parse was abandoned. */
function notCheckedDiagnostic(error: ParseTimeoutError): Diagnostic {
  const which = error.file ? `${path.basename(error.file)} took` : 'a file took';
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    source: diagnosticSource,
    message: `cgo checks were skipped for this package: parsing ${which} longer than ${error.limitMs} ms and was abandoned. Edit or reopen the file to try again.`,
  };
}

export class Analyzer implements BackgroundChecks {
  private readonly results = new Map<string, StoredResult>();
  /** Packages to check when nothing else is due, each with who waits for it. */
  private readonly background = new Map<string, () => void>();
  /** Per package waiting out its debounce, how to cancel the wait. */
  private readonly timers = new Map<string, () => void>();
  /** Packages due for analysis, in order. */
  private readonly due = new Set<string>();
  private running: string | undefined;
  private pumping = false;
  private readonly waiters = new Map<string, (() => void)[]>();
  /** Per package, the documents changed since its last analysis. */
  private readonly changed = new Map<string, Set<string>>();
  /** Per package, what its checks computed per file (packageMemo.ts). */
  private readonly memos = new Map<string, PackageMemo>();
  /** Bumped by every configuration change; results of older generations are stale. */
  private settingsGeneration = 0;
  private nextResultId = 1;
  private readonly reportedTargetProblems = new Set<string>();
  private disposed = false;
  /** Files with import "C", per package checked, for the status item. */
  private readonly cgoFilesByPackage = new Map<string, number>();
  private lastCheck: AnalysisStatus['last'];
  private lastTarget: string | undefined;
  private reportedStatus = '';
  private analysingTimer: NodeJS.Timeout | undefined;
  /**
   * Opened documents whose Go tree is parsed when no check is due. The checks seldom need it,
   * but hovers, definitions and completions in Go code do, and the first full parse of a long
   * file would otherwise fall on them; after it, every parse is incremental.
   */
  private readonly treesToParse = new Set<string>();
  private parsingTree = false;
  /** Starts parseTreesWhileIdle once no change has come for a moment: typing never waits behind it. */
  private idleTimer: NodeJS.Timeout | undefined;
  /** Starts restatWhileIdle when the stats of an open package are no longer trusted (no file watcher covers it). */
  private restatTimer: NodeJS.Timeout | undefined;
  /** Restats since the last check that found nothing: each waits longer than the one before, up to 8 s more. */
  private quietRestats = 0;

  constructor(
    private readonly engine: Engine,
    private readonly documents: OpenDocuments,
    private readonly workspace: Workspace,
    private readonly settings: Settings,
    private readonly delivery: DiagnosticsDelivery,
    private readonly options: AnalyzerOptions,
  ) {}

  opened(uri: string): void {
    this.options.closedFiles?.opened(uri);
    this.treesToParse.add(uri);
    this.schedule(this.workspace.packageOf(uri), 0);
  }

  changedDocument(uri: string): void {
    const key = this.workspace.packageOf(uri);
    // The compiler is reading text that is gone.
    this.options.compiler?.runs.cancel(key);
    this.recheck(key, uri);
  }

  /** After the document left the open set: clear its diagnostics, re-check the rest of its package from disk. */
  closed(uri: string): void {
    this.treesToParse.delete(uri);
    this.results.delete(uri);
    if (this.delivery.mode === 'push') this.delivery.publish(uri, undefined, []);
    const key = this.workspace.packageOf(uri);
    if (this.workspace.openDocumentsOf(key).length > 0 || this.options.closedFiles?.has(key)) this.recheck(key, uri);
    else this.workspace.forgetPackage(key);
    if (this.workspace.openDocumentsOf(key).length === 0) this.memos.delete(key);
  }

  checkInBackground(key: string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.background.get(key);
      this.background.set(key, () => {
        waiting?.();
        resolve();
      });
      void this.pump();
    });
  }

  packageChanged(key: string): void {
    this.options.compiler?.runs.cancel(key);
    this.schedule(key, this.options.debounceMs);
  }

  /**
   * Files changed on disk (workspace/didChangeWatchedFiles): a .go file re-checks the open
   * package it belongs to; a header, every open package, as any of them may include it.
   */
  filesChanged(uris: string[]): void {
    const open = new Set(this.workspace.openPackages());
    for (const uri of uris) {
      this.workspace.invalidate(uri);
      // An open buffer wins over its file on disk, so only closed files matter.
      if (this.documents.get(uri)) continue;
      if (uri.endsWith('.go')) {
        const key = this.workspace.packageOf(uri);
        if (open.has(key)) this.recheck(key, uri);
      } else {
        for (const key of open) this.recheck(key, uri);
      }
    }
  }

  configurationChanged(): void {
    this.settingsGeneration++;
    for (const key of this.workspace.openPackages()) this.schedule(key, 0);
    // Pulls wait for the analyses just scheduled.
    this.delivery.refresh?.();
    this.options.closedFiles?.configurationChanged();
  }

  /** The diagnostics of an open document's current version; undefined when it is not open. */
  async diagnose(uri: string, isCancelled: () => boolean): Promise<DocumentResult | undefined> {
    for (;;) {
      const document = this.documents.get(uri);
      if (!document || this.disposed) return undefined;
      const result = this.results.get(uri);
      const current = result && result.version === document.version && result.settingsGeneration === this.settingsGeneration;
      // A cancelled pull gets whatever is known; the client discards it anyway.
      if (current || (result && isCancelled())) return result;
      const key = this.workspace.packageOf(uri);
      if (!this.isPending(key)) this.schedule(key, 0);
      await new Promise<void>((resolve) => this.waiters.set(key, [...(this.waiters.get(key) ?? []), resolve]));
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.restatTimer);
    clearTimeout(this.analysingTimer);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.memos.clear();
    this.options.compiler?.runs.dispose();
    this.due.clear();
    for (const key of [...this.waiters.keys()]) this.wake(key);
    for (const waiting of this.background.values()) waiting();
    this.background.clear();
  }

  /** Debounced analysis of a package because one of its files changed. */
  private recheck(key: string, changedUri: string): void {
    const changed = this.changed.get(key) ?? new Set<string>();
    changed.add(changedUri);
    this.changed.set(key, changed);
    this.schedule(key, this.options.debounceMs);
  }

  private isPending(key: string): boolean {
    return this.timers.has(key) || this.due.has(key) || this.running === key;
  }

  /** What to check next: what is due (open files, changes) before the background. */
  private next(): string | undefined {
    return first(this.due) ?? first(this.background.keys());
  }

  /** (Re)starts the package's debounce timer: it is analysed once changes pause for `delayMs`. */
  private schedule(key: string, delayMs: number): void {
    if (this.disposed) return;
    clearTimeout(this.idleTimer);
    this.timers.get(key)?.();
    this.due.delete(key);
    const run = (): void => {
      this.timers.delete(key);
      this.due.add(key);
      void this.pump();
    };
    // setTimeout waits at least 1 ms even for 0; no delay means the next turn of the loop.
    if (delayMs > 0) {
      const timer = setTimeout(run, delayMs);
      this.timers.set(key, () => clearTimeout(timer));
    } else {
      const immediate = setImmediate(run);
      this.timers.set(key, () => clearImmediate(immediate));
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.analysingTimer = setTimeout(() => this.sendStatus('analysing'), analysingShownAfterMs);
    try {
      for (let key = this.next(); key !== undefined && !this.disposed; key = this.next()) {
        this.due.delete(key);
        const waiting = this.background.get(key);
        this.background.delete(key);
        this.running = key;
        this.quietRestats = 0;
        let compiled: Promise<unknown> | undefined;
        try {
          compiled = (await this.analyse(key)).compiled;
        } catch (error) {
          this.options.log.error(`cgo: analysis of ${key} failed: ${describe(error)}`);
        } finally {
          this.running = undefined;
          this.wake(key);
        }
        if (waiting) this.settleBackground(key, compiled, waiting);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.pumping = false;
      clearTimeout(this.analysingTimer);
    }
    if (!this.disposed) this.sendStatus('ready');
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.parseTreesWhileIdle(), quietMs).unref();
    this.armRestat();
  }

  /** Nothing to check, or about to be: what is done while idle gives way. */
  private readonly busy = (): boolean => this.disposed || this.pumping || this.due.size > 0 || this.timers.size > 0;

  /** Times restatWhileIdle for the open package whose stats are trusted the shortest, and not before a quiet moment. */
  private armRestat(): void {
    clearTimeout(this.restatTimer);
    let soonest: number | undefined;
    for (const key of this.workspace.openPackages()) {
      const trustedFor = this.workspace.statsTrustedFor(key);
      if (trustedFor !== undefined) soonest = Math.min(soonest ?? trustedFor, trustedFor);
    }
    // An idle editor polls less and less: 5,000 stats cost 30 ms.
    const backOffMs = (2 ** Math.min(this.quietRestats, 3) - 1) * 1000;
    if (soonest !== undefined && !this.disposed) this.restatTimer = setTimeout(() => void this.restatWhileIdle(), Math.max(quietMs, soonest + backOffMs)).unref();
  }

  /**
   * Stats again the closed files of the open packages that no file watcher covers, once their
   * stats are no longer trusted (Workspace.restat); a package where something changed is
   * checked again. Only while nothing is due: a check that comes meanwhile stops it, and the
   * pump's end times it again.
   */
  private async restatWhileIdle(): Promise<void> {
    if (this.busy()) return;
    for (const key of this.workspace.openPackages()) {
      const trustedFor = this.workspace.statsTrustedFor(key);
      if (trustedFor === undefined || trustedFor > 0) continue;
      try {
        // The package itself as the change: every open file of it is checked again, and pulled again.
        if (await this.workspace.restat(key, this.busy)) this.recheck(key, key);
        else this.quietRestats++;
      } catch (error) {
        this.options.log.error(`cgo: statting the files of ${key} failed: ${describe(error)}`);
      }
      if (this.busy()) return;
    }
    this.armRestat();
  }

  /**
   * A background check is over once the compiler answered too; then a package nobody has open
   * drops its files' texts and trees: a workspace of thousands of files is not kept in memory.
   */
  private settleBackground(key: string, compiled: Promise<unknown> | undefined, waiting: () => void): void {
    const settle = (): void => {
      if (!this.disposed && this.workspace.openDocumentsOf(key).length === 0 && !this.isPending(key)) this.workspace.forgetPackage(key);
      waiting();
    };
    if (compiled) void compiled.then(settle, settle);
    else settle();
  }

  /** One tree at a time, each parsed a slice per turn of the event loop, starting only while no check is waiting or due. */
  private parseTreesWhileIdle(): void {
    const uri = first(this.treesToParse);
    if (uri === undefined || this.disposed || this.parsingTree || this.pumping || this.due.size > 0 || this.timers.size > 0) return;
    this.treesToParse.delete(uri);
    this.parsingTree = true;
    this.workspace.parseTreeInBackground(uri).then(
      (outcome) => {
        this.parsingTree = false;
        // An edit came: the document's next quiet moment will do.
        if (outcome === 'interrupted') this.treesToParse.add(uri);
        else this.parseTreesWhileIdle();
      },
      (error: unknown) => {
        this.parsingTree = false;
        this.options.log.warn(`cgo: parsing ${uri} ahead of time failed: ${describe(error)}`);
      },
    );
  }

  /** Checks a package; resolves with the compiler's pending answer, if one is awaited (wrapped: awaiting it would wait for it). */
  private async analyse(key: string): Promise<{ compiled?: Promise<unknown> }> {
    // Taken before the wait: a configuration change during it makes these results stale.
    const generation = this.settingsGeneration;
    const settings = await this.settings.get(this.workspace.scopeUriOf(key));
    // Closed files changed on disk since their last stat are read again by the load below.
    await this.workspace.refresh(key);
    if (this.disposed) return {};
    // From here to the end, synchronous but for the turns the check takes between its steps, after
    // each of which it gives up if an edit came: the texts, trees and versions belong together.
    const open = this.workspace.openDocumentsOf(key);
    const changed = this.changed.get(key) ?? new Set<string>();
    this.changed.delete(key);
    const closedFiles = this.options.closedFiles;
    const reportClosed = settings.enable && closedFiles?.covers(key, settings) === true;
    let diagnostics = new Map<string, Diagnostic[]>();
    let later: Promise<Reported[] | undefined> | undefined;
    let loaded: LoadedPackage | undefined;
    let checked = false;
    if (settings.enable && (open.length > 0 || reportClosed)) {
      try {
        const started = performance.now();
        const pkg = (loaded = this.workspace.load(key));
        let model: { pkg: CgoPackage; flags: PackageFlags } | undefined;
        const result = await this.check(key, pkg, open, settings, (cgoPackage, flags) => (model = { pkg: cgoPackage, flags }));
        if (!result) {
          // Moot: the package is due again, and that check hears of these changes too.
          const since = this.changed.get(key);
          this.changed.set(key, since ? new Set([...changed, ...since]) : changed);
          return {};
        }
        const cgoFiles = this.countCgoFiles(key, pkg, model);
        let findings: Reported[] = result.findings;
        const compiler = this.options.compiler;
        if (compiler && settings.compiler.enable && model) {
          const answer = compiler.runs.withCompiler(key, findings, {
            ...model,
            readText: pkg.readText,
            pkgConfig: settings.pkgConfig.enable ? compiler.pkgConfig : undefined,
          });
          if (answer.kind === 'known') findings = answer.findings;
          else if (answer.kind === 'pending') later = answer.later;
        }
        diagnostics = this.diagnosticsOf(pkg, findings, reportClosed);
        checked = true;
        const target = result.target;
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const reported = [...diagnostics.values()].reduce((n, list) => n + list.length, 0);
        this.lastTarget = `go1.${target.goMinor} ${target.goos}/${target.goarch}`;
        this.lastCheck = { dir: pkg.dir, files: pkg.files.length, findings: reported, ms };
        this.options.log.info(
          `checked ${pkg.dir} for ${this.lastTarget}: ${pkg.files.length} .go file${pkg.files.length === 1 ? '' : 's'} (${cgoFiles} with import "C"), ` +
            `${reported} finding${reported === 1 ? '' : 's'}${reportClosed ? '' : ' in open files'}, ${ms} ms`,
        );
      } catch (error) {
        if (error instanceof ParseTimeoutError) {
          if (loaded) this.countCgoFiles(key, loaded, undefined);
          // Said where the user looks: a package left unchecked must not pass for a clean one.
          diagnostics = new Map(open.map((document) => [document.uri, [notCheckedDiagnostic(error)]]));
        } else {
          // Carry on with no diagnostics for this package rather than stale or none at all.
          this.options.log.error(`cgo: analysis of ${key} failed: ${describe(error)}`);
        }
      }
    }
    this.deliver(open, generation, diagnostics);
    // Closed files wait for the compiler's verdict: a finding it overrules is never shown there.
    if (!reportClosed) closedFiles?.report(key, new Map());
    else if (checked && !later) closedFiles?.report(key, diagnostics);
    // The other open files of the package were re-checked too; a pulling client must ask again.
    if (this.delivery.mode === 'pull' && changed.size > 0 && open.some((document) => !changed.has(document.uri))) {
      this.delivery.refresh?.();
    }
    if (!later || !loaded) return {};
    const pkg = loaded;
    // The compiler answers later, for these versions only: an edit since has cancelled it, or will be re-checked.
    const compiled = later.then(
      (findings) => {
        if (!findings || this.disposed || generation !== this.settingsGeneration) return;
        const diagnostics = this.diagnosticsOf(pkg, findings, reportClosed);
        if (reportClosed) closedFiles?.report(key, diagnostics);
        if (open.some((document) => this.documents.get(document.uri)?.version !== document.version)) return;
        const same = open.every((document) => JSON.stringify(this.results.get(document.uri)?.diagnostics) === JSON.stringify(diagnostics.get(document.uri) ?? []));
        if (same) return;
        this.deliver(open, generation, diagnostics);
        if (this.delivery.mode === 'pull') this.delivery.refresh?.();
      },
      (error: unknown) => this.options.log.error(`cgo: compiling the preambles of ${key} failed: ${describe(error)}`),
    );
    return { compiled };
  }

  /** The memo of a package with open documents; background checks of closed packages keep none. */
  private memoOf(key: string, open: TextDocument[]): PackageMemo | undefined {
    if (open.length === 0) return undefined;
    let memo = this.memos.get(key);
    if (!memo) this.memos.set(key, (memo = new PackageMemo()));
    return memo;
  }

  /** The open files' diagnostics, and the closed files' when they are reported; other closed files need no ranges. */
  private diagnosticsOf(pkg: LoadedPackage, findings: Reported[], withClosed: boolean): Map<string, Diagnostic[]> {
    let reportedPaths: Set<string> | undefined;
    const reported = (file: string): boolean => (reportedPaths ??= new Set(pkg.files.filter((each) => withClosed || each.version !== null).map((each) => each.path))).has(file);
    return toDiagnostics(
      findings.filter((finding) => reported(finding.file)),
      pkg.files,
      this.options.ruleDocsDir,
      this.options.goplsRuns,
      pkg.readText,
    );
  }

  private deliver(open: { uri: string; version: number }[], generation: number, diagnostics: Map<string, Diagnostic[]>): void {
    for (const document of open) {
      const list = diagnostics.get(document.uri) ?? [];
      this.store(document.uri, document.version, generation, list);
      if (this.delivery.mode === 'push') this.delivery.publish(document.uri, document.version, list);
    }
  }

  /** Counts, keeps and returns the package's files with import "C". */
  private countCgoFiles(key: string, pkg: LoadedPackage, model: { pkg: CgoPackage } | undefined): number {
    // The model the check built knows; without one (a parse was abandoned), the files' heads are read.
    const count = model ? model.pkg.files.filter((file) => file.imports.length > 0).length : pkg.files.filter((file) => importsC(file.text)).length;
    this.cgoFilesByPackage.set(key, count);
    return count;
  }

  /** Sends the status when it says something new. */
  private sendStatus(state: AnalysisStatus['state']): void {
    let cgoFiles = 0;
    for (const count of this.cgoFilesByPackage.values()) cgoFiles += count;
    const status: AnalysisStatus = { state, packages: this.cgoFilesByPackage.size, cgoFiles, target: this.lastTarget, last: this.lastCheck };
    const said = JSON.stringify(status);
    if (said === this.reportedStatus) return;
    this.reportedStatus = said;
    this.delivery.status(status);
  }

  /**
   * The package's check, in slices of its steps (Engine.checkSteps) with a turn of the event
   * loop between them; undefined when an edit, a file changed on disk or a configuration change
   * came meanwhile: the package is then due again, and its next check goes on from the memo.
   */
  private async check(
    key: string,
    pkg: LoadedPackage,
    open: TextDocument[],
    settings: CgoSettings,
    withModel: (pkg: CgoPackage, flags: PackageFlags) => void,
  ): Promise<{ findings: Reported[]; target: BuildTarget } | undefined> {
    const problem = targetProblem(resolveTarget(settings.goos || undefined, settings.goarch || undefined));
    if (problem && !this.reportedTargetProblems.has(problem)) {
      this.reportedTargetProblems.add(problem);
      this.options.log.warn(`cgo.goos/cgo.goarch: ${problem}; using the host's target`);
    }
    const options = this.checkOptions(pkg, settings);
    const versions = open.map((document) => document.version);
    const steps = this.engine.checkSteps(pkg.dir, pkg.files, { ...options, memo: this.memoOf(key, open), withModel });
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return { findings: step.value, target: options.target };
      if (performance.now() - sliceStart < sliceMs) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      const moot = this.disposed || this.timers.has(key) || this.due.has(key) || open.some((document, i) => this.documents.get(document.uri) !== document || document.version !== versions[i]);
      if (moot) {
        steps.return([]);
        return undefined;
      }
      sliceStart = performance.now();
    }
  }

  private checkOptions(pkg: LoadedPackage, settings: CgoSettings): CheckOptions {
    return {
      target: packageTarget(settings, pkg.dir, pkg.readText, this.options.localGo()).target,
      severities: settings.rules,
      readText: pkg.readText,
      onInvalidFix: (message) => this.options.log.error(`cgo: ${message}`),
    };
  }

  private store(uri: string, version: number, settingsGeneration: number, diagnostics: Diagnostic[]): void {
    const previous = this.results.get(uri);
    const unchanged = previous !== undefined && JSON.stringify(previous.diagnostics) === JSON.stringify(diagnostics);
    const resultId = unchanged ? previous.resultId : String(this.nextResultId++);
    this.results.set(uri, { version, resultId, diagnostics, settingsGeneration });
  }

  private wake(key: string): void {
    const waiting = this.waiters.get(key) ?? [];
    this.waiters.delete(key);
    for (const resolve of waiting) resolve();
  }
}

function first<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item;
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
