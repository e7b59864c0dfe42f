// The VS Code side: starts the cgo language server (dist/server.js), shows its state in the
// status bar, and offers the restart and show-output commands. Everything else is the server's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for the server's log and, as cgo.trace.server asks, the protocol trace.
  const output = vscode.window.createOutputChannel('cgo', { log: true });
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
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
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, goplsRuns: vscode.extensions.getExtension('golang.go') !== undefined }),
    outputChannel: output,
    traceOutputChannel: output,
  };
  // The id 'cgo' makes the client read the trace level from cgo.trace.server.
  const languageClient = new LanguageClient('cgo', 'cgo', serverOptions, clientOptions);
  client = languageClient;

  const status = vscode.window.createStatusBarItem('cgo.status', vscode.StatusBarAlignment.Right, 0);
  status.name = 'cgo language server';
  status.command = 'cgo.showOutput';
  let cgoFiles: number | undefined;
  let state = State.Starting;
  const showState = (newState: State): void => {
    state = newState;
    const [icon, words] =
      state === State.Running ? ['$(check)', 'running'] : state === State.Starting ? ['$(sync~spin)', 'starting'] : ['$(circle-slash)', 'stopped'];
    const files = cgoFiles === undefined ? '' : ` ${cgoFiles}`;
    status.text = `${icon} cgo${state === State.Running ? files : ''}`;
    const counted = cgoFiles === undefined ? '' : `; ${cgoFiles} .go file${cgoFiles === 1 ? '' : 's'} with import "C" in the checked packages`;
    status.tooltip = `cgo language server: ${words}${counted} (click for output)`;
  };
  showState(State.Starting);
  status.show();

  context.subscriptions.push(
    output,
    status,
    languageClient.onDidChangeState((e) => showState(e.newState)),
    languageClient.onNotification('cgo/status', (params: { cgoFiles: number }) => {
      cgoFiles = params.cgoFiles;
      showState(state);
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

export async function deactivate(): Promise<void> {
  if (client?.needsStop()) await client.stop();
  client = undefined;
}
