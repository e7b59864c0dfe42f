// A small LSP client for the tests: spawns the bundled server (node dist/server.js --stdio),
// speaks JSON-RPC over its stdio, answers the server's requests, and records everything the
// server sends so tests wait for a message instead of sleeping.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  CompletionItem,
  CompletionList,
  CompletionParams,
  ConfigurationParams,
  Diagnostic,
  DocumentDiagnosticReport,
  InitializeResult,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticReportPartialResult,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * A reader of a server's stdout for tests that kill servers. Killed while writing, a server leaves
 * a partial message, and vscode-jsonrpc re-arms that message's 10 s timer forever, even after
 * dispose: the test process then never exits. Tests need no partial-message events.
 */
export function serverReader(stdout: NodeJS.ReadableStream): StreamMessageReader {
  const reader = new StreamMessageReader(stdout);
  reader.partialMessageTimeout = 0;
  return reader;
}
const serverBundle = path.join(repoRoot, 'dist', 'server.js');

/** How long any single wait may take before the test fails with what was received. */
const waitMs = 10_000;

export interface ClientOptions {
  /** Announce textDocument.diagnostic (pull) and workspace.diagnostics.refreshSupport. */
  pull: boolean;
  /** Announce workspace.configuration; the server then asks configurationFor. */
  configuration?: boolean;
  /** Announce workspace.workspaceEdit.documentChanges (default true). */
  documentChanges?: boolean;
  /** Announce workspace.workspaceEdit.resourceOperations ["create"], as VS Code does. */
  createFiles?: boolean;
  /** Sent as initialize's initializationOptions, as the VS Code client does. */
  initializationOptions?: Record<string, unknown>;
  /**
   * The machine's C compiler for the preambles (cgo (gcc) diagnostics). Off by default: the
   * other suites check what the rules report, as on a machine without a compiler.
   */
  compiler?: boolean;
  /** Added to the server's environment. */
  env?: NodeJS.ProcessEnv;
  /** Directories sent as initialize's workspaceFolders (none by default: only open files are checked). */
  workspaceFolders?: string[];
}

/** Something the server sent: a notification, or a request the client answered. */
export interface Received {
  method: string;
  params: unknown;
}

export class LspClient {
  readonly received: Received[] = [];
  /** The `cgo` section returned for workspace/configuration; tests change it, then notify. */
  configurationFor: (scopeUri: string | undefined) => unknown = () => ({});
  stderr = '';
  initializeResult: InitializeResult | undefined;
  private readonly listeners = new Set<() => void>();
  private partialTokens = 0;
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    // Writes racing a killed server fail with EPIPE; the test has its verdict by then.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const record = (method: string, params: unknown): void => {
      this.received.push({ method, params });
      for (const listener of [...this.listeners]) listener();
    };
    connection.onNotification((method, params) => record(method, params));
    // vscode-jsonrpc hands $/progress to progress handlers only; none is registered, so all are recorded.
    connection.onUnhandledProgress((params) => record('$/progress', params));
    connection.onRequest('workspace/configuration', (params: ConfigurationParams) => {
      record('workspace/configuration', params);
      return params.items.map((item) => (item.section === 'cgo' ? this.configurationFor(item.scopeUri) : null));
    });
    connection.onRequest('workspace/diagnostic/refresh', () => void record('workspace/diagnostic/refresh', null));
    connection.onRequest('client/registerCapability', (params: unknown) => void record('client/registerCapability', params));
    connection.onRequest('window/workDoneProgress/create', (params: unknown) => void record('window/workDoneProgress/create', params));
    connection.listen();
  }

  static async start(options: ClientOptions): Promise<LspClient> {
    // `go env CC` then names a compiler that is not there, so none is found.
    const noCompiler = options.compiler ? {} : { CC: 'cgo-test-no-compiler' };
    const child = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...noCompiler, ...options.env } });
    const connection = createMessageConnection(serverReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration ?? false,
        workspaceEdit: { documentChanges: options.documentChanges ?? true, ...(options.createFiles ? { resourceOperations: ['create'] } : {}) },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: options.workspaceFolders !== undefined,
        ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      window: { workDoneProgress: true },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        publishDiagnostics: { versionSupport: true, dataSupport: true, codeDescriptionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
    };
    client.initializeResult = await client.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders?.map((dir) => ({ uri: pathToFileURL(dir).href, name: path.basename(dir) })) ?? null,
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    client.notify('initialized', {});
    return client;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return withTimeout(this.connection.sendRequest<R>(method, params), `${method} ${JSON.stringify(params).slice(0, 200)}`, this);
  }

  notify(method: string, params: unknown): void {
    this.connection.sendNotification(method, params).catch((error: unknown) => {
      this.stderr += `client: sending ${method} failed: ${String(error)}\n`;
    });
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** textDocument/diagnostic, expecting a full report. */
  async pull(uri: string): Promise<Diagnostic[]> {
    const report = await this.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    if (report.kind !== 'full') throw new Error(`expected a full report for ${uri}, got ${JSON.stringify(report)}`);
    return report.items;
  }

  /**
   * workspace/diagnostic with the result ids the client holds; with `partial`, partial results
   * are asked for and each batch handed to it as it comes ($/progress with the request's token).
   */
  async pullWorkspace(previousResultIds: { uri: string; value: string }[] = [], partial?: (items: WorkspaceDocumentDiagnosticReport[]) => void): Promise<WorkspaceDocumentDiagnosticReport[]> {
    const partialResultToken = partial ? `partial-${++this.partialTokens}` : undefined;
    let seen = this.received.length;
    const listener = (): void => {
      for (const message of this.received.slice(seen)) {
        const params = message.params as { token?: unknown; value?: WorkspaceDiagnosticReportPartialResult };
        if (message.method === '$/progress' && params.token === partialResultToken && params.value) partial?.(params.value.items);
      }
      seen = this.received.length;
    };
    if (partial) this.listeners.add(listener);
    try {
      const report = await this.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds, ...(partialResultToken ? { partialResultToken } : {}) });
      return report.items;
    } finally {
      this.listeners.delete(listener);
    }
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    return this.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** Index of the next message the server sends; pass it to waitFor to ignore earlier ones. */
  mark(): number {
    return this.received.length;
  }

  /** The first message from `since` on with this method whose params satisfy the predicate. */
  waitFor<P>(method: string, predicate: (params: P) => boolean = () => true, since = 0): Promise<P> {
    const find = (): P | undefined => {
      for (const message of this.received.slice(since)) {
        if (message.method === method && predicate(message.params as P)) return message.params as P;
      }
      return undefined;
    };
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return withTimeout(
      new Promise<P>((resolve) => {
        const listener = (): void => {
          const match = find();
          if (match === undefined) return;
          this.listeners.delete(listener);
          resolve(match);
        };
        this.listeners.add(listener);
      }),
      `a ${method} notification`,
      this,
    );
  }

  /** The diagnostics published for a document version (push mode). */
  async published(uri: string, version: number, since = 0): Promise<Diagnostic[]> {
    const params = await this.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version, since);
    return params.diagnostics;
  }

  /** Messages the server logged at error level (window/logMessage type 1). */
  loggedErrors(): string[] {
    return this.received
      .filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 1)
      .map((m) => (m.params as { message: string }).message);
  }

  /** shutdown, then exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    const code = await withTimeout(this.exited, 'the server to exit', this);
    this.connection.dispose();
    return code;
  }

  /** Closes the server's stdin as a crashed client would; resolves with the server's exit code. */
  async disconnect(): Promise<number | null> {
    this.connection.dispose();
    this.child.stdin.end();
    return withTimeout(this.exited, 'the server to exit', this);
  }

  /** The server's process id. */
  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends the server a signal; resolves with its exit code (null when the signal ended it). */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return withTimeout(this.exited, 'the server to exit', this);
  }

  /** For after a failed test: make sure the process is gone. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }
}

function withTimeout<T>(promise: Promise<T>, what: string, client: LspClient): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const recent = client.received.slice(-5).map((m) => `${m.method} ${JSON.stringify(m.params).slice(0, 300)}`);
      reject(new Error(`timed out after ${waitMs} ms waiting for ${what}\nlast messages:\n${recent.join('\n')}\nserver stderr:\n${client.stderr}`));
    }, waitMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const temporaryDirs: string[] = [];
process.on('exit', () => {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary package directory with these files, removed when the test process exits. */
export function packageDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-lsp-'));
  temporaryDirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

export function fileUri(dir: string, name: string): string {
  return pathToFileURL(path.join(dir, name)).href;
}

/**
 * Completion at a position, asked again while the server answers that its list is incomplete
 * (system headers not read yet), as an editor does at the next keystroke; the last items.
 */
export async function completeAll(client: LspClient, params: CompletionParams, timeoutMs = 15_000): Promise<CompletionItem[] | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', params);
    if (answer === null || Array.isArray(answer)) return answer;
    if (!answer.isIncomplete || Date.now() > deadline) return answer.items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs a test body with a started client, always stopping (or killing) the server. */
export async function withServer(options: ClientOptions, body: (client: LspClient) => Promise<void>): Promise<void> {
  const client = await LspClient.start(options);
  try {
    await body(client);
  } finally {
    client.kill();
  }
}
