// The VS Code side: starts the cgo language server (dist/server.js), shows its state in the
// status bar, opens rule docs rendered, asks for the reason of a suppression, and offers the
// restart and show-output commands. Everything else is the server's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** What the server's cgo/status notification carries (server/src/features/analysis.ts, AnalysisStatus). */
interface AnalysisStatus {
  state: 'analysing' | 'ready';
  packages: number;
  cgoFiles: number;
  target: string | undefined;
  last: { dir: string; files: number; findings: number; ms: number } | undefined;
}

/** The arguments of cgo.ignoreHere (server/src/features/diagnostics.ts, IgnoreData). */
interface IgnoreData {
  uri: string;
  version: number | null;
  position: { line: number; character: number };
  before: string;
  after: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for the server's log and, as cgo.trace.server asks, the protocol trace. A log
  // channel: VS Code's log level (Developer: Set Log Level) filters the server's info lines.
  const output = vscode.window.createOutputChannel('cgo', { log: true });
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const ruleDocsDir = vscode.Uri.file(context.asAbsolutePath(path.join('docs', 'rules')));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  // The server links each diagnostic to its rule's .md file, which VS Code would open as text:
  // the link becomes a command that shows the doc rendered.
  const renderedDocLinks = (diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] => {
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      if (typeof code !== 'object' || code.target.scheme !== 'file' || path.dirname(code.target.fsPath) !== ruleDocsDir.fsPath) continue;
      const rule = path.basename(code.target.fsPath, '.md');
      diagnostic.code = { value: code.value, target: vscode.Uri.parse(`command:cgo.showRuleDoc?${encodeURIComponent(JSON.stringify([rule]))}`) };
    }
    return diagnostics;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    synchronize: { configurationSection: 'cgo' },
    // Workspace Trust: an untrusted folder never makes the server start a process (pkg-config).
    // A function, so a restarted server gets the trust of that moment.
    // goplsRuns: the Go extension is installed and enabled, so gopls checks the same files.
    // ignoreCommand: "Ignore here…" runs cgo.ignoreHere, which asks for the reason.
    initializationOptions: () => ({
      trusted: vscode.workspace.isTrusted,
      goplsRuns: vscode.extensions.getExtension('golang.go') !== undefined,
      ignoreCommand: 'cgo.ignoreHere',
    }),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      handleDiagnostics: (uri, diagnostics, next) => next(uri, renderedDocLinks(diagnostics)),
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (report && 'items' in report) renderedDocLinks(report.items);
        return report;
      },
      // Files never opened (workspace diagnostics) come in chunks.
      provideWorkspaceDiagnostics: (resultIds, token, resultReporter, next) =>
        next(resultIds, token, (chunk) => {
          for (const report of chunk?.items ?? []) if ('items' in report) renderedDocLinks(report.items);
          resultReporter(chunk);
        }),
    },
  };
  // The id 'cgo' makes the client read the trace level from cgo.trace.server.
  const languageClient = new LanguageClient('cgo', 'cgo', serverOptions, clientOptions);
  client = languageClient;

  const status = vscode.window.createStatusBarItem('cgo.status', vscode.StatusBarAlignment.Right, 0);
  status.name = 'cgo language server';
  status.command = 'cgo.showOutput';
  let analysis: AnalysisStatus | undefined;
  let state = State.Starting;
  const enabledHere = (): boolean => vscode.workspace.getConfiguration('cgo', vscode.window.activeTextEditor?.document).get<boolean>('enable', true);
  const showState = (newState: State): void => {
    state = newState;
    const target = analysis?.target ? ` · ${analysis.target}` : '';
    let words: string;
    if (state === State.Starting) [status.text, words] = ['$(sync~spin) cgo: starting', 'starting'];
    else if (state === State.Stopped) [status.text, words] = ['$(error) cgo: stopped', 'stopped (run cgo: Restart Server)'];
    else if (!enabledHere()) [status.text, words] = ['$(circle-slash) cgo: disabled', 'disabled here by cgo.enable'];
    else if (analysis?.state === 'analysing') [status.text, words] = [`$(sync~spin) cgo: analysing${target}`, 'analysing'];
    else [status.text, words] = [`$(check) cgo: ready${target}`, 'ready'];
    const tooltip = new vscode.MarkdownString(`**cgo language server: ${words}**\n\n`);
    if (analysis?.target) tooltip.appendMarkdown(`Go release and target: ${analysis.target}\n\n`);
    if (analysis) {
      tooltip.appendText(`Checked ${plural(analysis.packages, 'package')} holding ${plural(analysis.cgoFiles, '.go file')} with import "C".`);
      tooltip.appendMarkdown('\n\n');
    }
    if (analysis?.last) {
      const last = analysis.last;
      tooltip.appendText(`Last check: ${last.dir}, ${plural(last.files, 'file')}, ${plural(last.findings, 'finding')}, ${last.ms} ms.`);
      tooltip.appendMarkdown('\n\n');
    }
    tooltip.appendMarkdown('Click for the output.');
    status.tooltip = tooltip;
  };
  showState(State.Starting);
  status.show();

  context.subscriptions.push(
    output,
    status,
    languageClient.onDidChangeState((e) => showState(e.newState)),
    languageClient.onNotification('cgo/status', (params: AnalysisStatus) => {
      analysis = params;
      showState(state);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => showState(state)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('cgo.enable')) showState(state);
    }),
    vscode.commands.registerCommand('cgo.restartServer', async () => {
      try {
        await languageClient.restart();
      } catch (error) {
        showState(languageClient.state);
        output.error(`restart failed: ${error instanceof Error ? error.message : String(error)}`);
        output.show(true);
      }
    }),
    vscode.commands.registerCommand('cgo.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('cgo.showRuleDoc', async (rule: unknown) => {
      if (typeof rule !== 'string' || !/^[a-z-]+$/.test(rule)) return;
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(ruleDocsDir, `${rule}.md`));
    }),
    vscode.commands.registerCommand('cgo.ignoreHere', (ignore: IgnoreData) => ignoreHere(ignore)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (languageClient.isRunning()) languageClient.sendNotification('cgo/trustGranted').catch(() => undefined);
    }),
  );

  try {
    await languageClient.start();
  } catch (error) {
    // The commands stay available: the user can read the output and restart.
    showState(languageClient.state);
    output.error(`the cgo language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Asks why the finding is wrong here, then writes the suppression comment with that reason. */
async function ignoreHere(ignore: IgnoreData): Promise<void> {
  const uri = vscode.Uri.parse(ignore.uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const stillCurrent = (): boolean => ignore.version === null || document.version === ignore.version;
  if (!stillCurrent()) return;
  const reason = await vscode.window.showInputBox({
    title: 'Ignore here',
    prompt: `Why is this finding wrong here? It follows "${ignore.before.trim()}".`,
    placeHolder: 'the reason, e.g. the header defines it',
    // The comment is one line, and may sit inside a /* */ preamble that */ would close.
    validateInput: (value) => (value.trim() === '' ? 'A suppression needs a reason.' : value.includes('*/') ? 'The reason cannot hold */.' : undefined),
  });
  if (reason === undefined) return;
  if (!stillCurrent()) {
    void vscode.window.showWarningMessage('cgo: the file changed meanwhile; use Ignore here… again.');
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(ignore.position.line, ignore.position.character), `${ignore.before}${reason.trim()}${ignore.after}`);
  await vscode.workspace.applyEdit(edit);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export async function deactivate(): Promise<void> {
  if (client?.needsStop()) await client.stop();
  client = undefined;
}
