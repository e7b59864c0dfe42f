// The cgo language server: wires LSP requests and notifications to the documents, the package
// model, the analysis scheduler and the features. Started with --stdio or over node-ipc
// (createConnection picks the transport from the command line). External processes (go env,
// pkg-config for hovers, the C compiler for the preambles) start only in a trusted workspace.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  createConnection,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { PreambleCompiler } from './cgo/compiler';
import { Engine } from './cgo/engine';
import { GoEnvironment } from './goEnv';
import { defaultGrammarDir, loadGrammars } from './cgo/grammars';
import { PkgConfig } from './cgo/pkgconfig';
import { ChildProcesses, killWhenProcessEnds, type ProcessRun } from './cgo/processes';
import { OpenDocuments } from './documents';
import { Analyzer } from './features/analysis';
import { CompilerRuns } from './features/compilerRuns';
import { quickFixes } from './features/codeActions';
import { completion } from './features/completion';
import { definition } from './features/definition';
import { FileModels, type FeatureServices } from './features/documentView';
import { hover } from './features/hover';
import { SemanticTokenProvider, semanticTokensLegend } from './features/semanticTokens';
import { SystemHeaderIndexer } from './features/systemIndex';
import { WorkspaceDiagnostics, type Progress } from './features/workspaceDiagnostics';
import { rules } from './rules';
import { Settings } from './settings';
import { unreadableReason, Workspace } from './workspace';

/** Pause after typing before a package is checked again; initializationOptions.debounceMs overrides it (benchmarks). */
const defaultDebounceMs = 200;
/** docs/rules/ of the extension, next to dist/ where this bundle runs. */
const ruleDocsDir = path.join(__dirname, '..', 'docs', 'rules');

const connection = createConnection(ProposedFeatures.all);
/** Every process the server starts; none outlives it (shutdown, exit, the connection closing, SIGTERM/SIGINT). */
const processes = new ChildProcesses();
killWhenProcessEnds(processes);
// Info lines say what was analysed and how long it took, every process started and the settings
// in force; the VS Code client writes them to a log channel, so VS Code's log level filters them.
const log = {
  error: (message: string): void => connection.console.error(message),
  warn: (message: string): void => connection.console.warn(message),
  info: (message: string): void => connection.console.info(message),
};

interface Services {
  engine: Engine;
  documents: OpenDocuments;
  workspace: Workspace;
  settings: Settings;
  analyzer: Analyzer;
  goEnv: GoEnvironment;
  workspaceDiagnostics: WorkspaceDiagnostics;
}
let services: Services | undefined;
let watchFiles = false;
/** The workspace folders, and whether the client has taken the watchers of their .go and .h files. */
let watchedFolders: string[] = [];
let fileWatchers = false;
/** The client tells of workspace folders added and removed. */
let workspaceFoldersChange = false;
/** What the first line in the output channel says. */
let started = 'cgo language server started';
/**
 * Workspace Trust: the VS Code client sends initializationOptions {trusted} and the
 * cgo/trustGranted notification; other clients say nothing, which counts as trusted.
 */
let trusted = true;
/** Frees what the editor features keep (created with the services, freed with them). */
let disposeFeatures: (() => void) | undefined;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const options = (params.initializationOptions ?? {}) as { debounceMs?: unknown; goplsRuns?: unknown; ignoreCommand?: unknown };
  const capabilities = params.capabilities;
  const pull = capabilities.textDocument?.diagnostic !== undefined;
  const refreshSupported = capabilities.workspace?.diagnostics?.refreshSupport === true;
  const documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  const createFiles = documentChanges && (capabilities.workspace?.workspaceEdit?.resourceOperations ?? []).includes('create');
  watchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  workspaceFoldersChange = capabilities.workspace?.workspaceFolders === true;
  trusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false;

  const engine = new Engine(await loadGrammars(defaultGrammarDir(__dirname)), rules);
  const parseGo = engine.parseGo.bind(engine);
  const documents = new OpenDocuments(parseGo, log.warn);
  const workspace = new Workspace(documents, parseGo, engine.parseGoInBackground.bind(engine));
  const settings = new Settings(
    rules,
    capabilities.workspace?.configuration === true
      ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'cgo' })
      : undefined,
    log.warn,
    (scopeUri, inForce) => log.info(`settings for ${scopeUri ?? 'all files'}: ${JSON.stringify(inForce)}`),
  );
  const logRun = (run: ProcessRun): void => log.info(`ran ${[run.command, ...run.args].join(' ')}${run.cwd ? ` in ${run.cwd}` : ''}: ${run.outcome} (${run.ms} ms)`);
  const goEnv = new GoEnvironment(() => trusted, processes, logRun);
  const pkgConfig = new PkgConfig({ mayRun: () => trusted, processes, onRun: logRun });
  const compilerRuns = new CompilerRuns(
    new PreambleCompiler({
      mayRun: () => trusted,
      processes,
      // The one `go env` answer of the server, the one that said GOVERSION.
      goEnv: () => goEnv.settled(),
      onRun: logRun,
      // Until the compiler says where system headers are (or where it may not run), the standard directories.
      onFound: (compiler) => engine.systemHeaders.useCompilerSearchList(compiler.searchList.length > 0 ? compiler.searchList : undefined),
    }),
  );
  const progressShown = capabilities.window?.workDoneProgress === true;
  const workspaceDiagnostics = new WorkspaceDiagnostics({
    folders: (watchedFolders = workspaceFolderPaths(params)),
    settings,
    clientPulls: pull,
    isOpen: (file) => workspace.openDocumentsOf(path.dirname(file)).some((document) => document.uri.startsWith('file:') && fileURLToPath(document.uri) === file),
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined),
    progress: async (): Promise<Progress> => (progressShown ? connection.window.createWorkDoneProgress() : { begin: () => undefined, report: () => undefined, done: () => undefined }),
    log,
  });
  const analyzer = new Analyzer(
    engine,
    documents,
    workspace,
    settings,
    {
      mode: pull ? 'pull' : 'push',
      // A failed send means the client is gone; the process ends with the connection.
      publish: (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined),
      refresh: refreshSupported
        ? () => void connection.languages.diagnostics.refresh().catch((error: unknown) => log.warn(`diagnostic refresh failed: ${String(error)}`))
        : undefined,
      status: (status) => void connection.sendNotification('cgo/status', status).catch(() => undefined),
    },
    {
      debounceMs: typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? options.debounceMs : defaultDebounceMs,
      ruleDocsDir,
      log,
      goplsRuns: options.goplsRuns === true,
      localGo: () => goEnv.current(),
      compiler: { runs: compilerRuns, pkgConfig },
      closedFiles: workspaceDiagnostics,
    },
  );
  workspaceDiagnostics.attach(analyzer);
  services = { engine, documents, workspace, settings, analyzer, goEnv, workspaceDiagnostics };
  const folders = (params.workspaceFolders ?? []).map((folder) => folder.uri).join(', ') || 'none';
  started = `cgo language server started (pid ${process.pid}, Node ${process.version}); workspace folders: ${folders}; ${trusted ? 'trusted' : 'untrusted: no external process is started'}; diagnostics ${pull ? 'pulled' : 'pushed'}`;
  // Before the first check, so the first diagnostics already follow the local Go (trusted only).
  await goEnv.refresh();

  const toldUnreadable = new Set<string>();
  documents.documents.onDidOpen((e) => {
    // Said once per file: the checks skip it, and an empty Problems list should not look like "all clear".
    const reason = unreadableReason(e.document.getText());
    if (reason && !toldUnreadable.has(e.document.uri)) {
      toldUnreadable.add(e.document.uri);
      void connection
        .sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `cgo: ${path.basename(e.document.uri)} is ${reason}; it is not checked.` })
        .catch(() => undefined);
    }
    analyzer.opened(e.document.uri);
  });
  documents.onDidChange((document) => analyzer.changedDocument(document.uri));
  documents.documents.onDidClose((e) => analyzer.closed(e.document.uri));
  documents.documents.listen(connection);

  const features: FeatureServices = {
    engine,
    models: new FileModels(engine.preambles),
    documents,
    workspace,
    settings,
    isTrusted: () => trusted,
    pkgConfig,
    goEnv,
    warn: log.warn,
  };
  const systemIndex = new SystemHeaderIndexer(features);
  documents.documents.onDidOpen((e) => systemIndex.touched(e.document.uri));
  documents.onDidChange((document) => systemIndex.touched(document.uri));
  documents.documents.onDidClose((e) => systemIndex.closed(e.document.uri));
  const semanticTokens = new SemanticTokenProvider(features);
  disposeFeatures = () => {
    systemIndex.dispose();
    semanticTokens.dispose();
    features.models.dispose();
  };
  connection.onHover((request) => hover(features, request));
  connection.onDefinition((request) => definition(features, request));
  connection.onCompletion((request) => completion(features, request));
  connection.languages.semanticTokens.on((request) => semanticTokens.full(request));

  connection.onCodeAction((request) =>
    quickFixes(request, {
      versionOf: (uri) => documents.get(uri)?.version ?? null,
      exists: (uri) => workspace.exists(uri),
      documentChanges,
      createFiles,
      ignoreCommand: typeof options.ignoreCommand === 'string' ? options.ignoreCommand : undefined,
    }),
  );
  if (pull) {
    connection.languages.diagnostics.on(async (request, token): Promise<DocumentDiagnosticReport> => {
      const result = await analyzer.diagnose(request.textDocument.uri, () => token.isCancellationRequested);
      if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      if (request.previousResultId === result.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: result.resultId };
      return { kind: DocumentDiagnosticReportKind.Full, resultId: result.resultId, items: result.diagnostics };
    });
    connection.languages.diagnostics.onWorkspace((request, token, _workDone, partial) =>
      workspaceDiagnostics.pull(request.previousResultIds, partial && ((items) => partial.report({ items })), token),
    );
  }

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      hoverProvider: true,
      definitionProvider: true,
      completionProvider: { triggerCharacters: ['.'] },
      semanticTokensProvider: { legend: semanticTokensLegend, full: true },
      ...(pull ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'cgo' },
  };
});

connection.onInitialized(() => {
  // One line per start in the output channel: what a restart did is visible there.
  log.info(started);
  // Every cgo package of the workspace folders, in the background (cgo.diagnostics.scope).
  services?.workspaceDiagnostics.checkAll();
  if (workspaceFoldersChange) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const paths = (folders: { uri: string }[]): string[] => folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
      services?.workspaceDiagnostics.foldersChanged(paths(event.added), paths(event.removed));
      const removed = new Set(paths(event.removed));
      watchedFolders = [...watchedFolders.filter((folder) => !removed.has(folder)), ...paths(event.added)];
      if (fileWatchers) services?.workspace.watchFolders(watchedFolders);
    });
  }
  // Closed files and headers edited by other tools (git checkout, go generate) change what open files see.
  if (!watchFiles) return;
  connection.client
    .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/*.h' }] })
    // From now on the client tells of .go files changed in the workspace folders: none of them is statted by the clock.
    .then(() => {
      fileWatchers = true;
      services?.workspace.watchFolders(watchedFolders);
    })
    .catch((error: unknown) => log.warn(`cannot watch .go and .h files: ${String(error)}`));
});

connection.onNotification('cgo/trustGranted', () => {
  trusted = true;
  log.info('the workspace is now trusted: pkg-config and go env may run');
  askLocalGo();
  // The C compiler may run now.
  services?.analyzer.configurationChanged();
});

/** Which Go builds the code, from the go command itself where it may run: re-check when that changes the answer. */
function askLocalGo(): void {
  void services?.goEnv.refresh().then((changed) => {
    if (changed) services?.analyzer.configurationChanged();
  });
}

connection.onDidChangeWatchedFiles((params) => {
  const uris = params.changes.map((change) => change.uri);
  services?.analyzer.filesChanged(uris);
  services?.workspaceDiagnostics.filesChanged(uris);
});

connection.onDidChangeConfiguration((params) => {
  services?.settings.changed(params);
  services?.analyzer.configurationChanged();
});

connection.onShutdown(() => {
  processes.dispose();
  if (!services) return;
  disposeFeatures?.();
  services.workspaceDiagnostics.dispose();
  services.analyzer.dispose();
  services.workspace.dispose();
  services.documents.dispose();
  services.engine.dispose();
  services = undefined;
});

/** The workspace folders on disk (or the root of a client that names no folders). */
function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}

connection.listen();
