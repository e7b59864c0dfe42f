// Workspace diagnostics (cgo.diagnostics.scope "workspace", the default): every cgo package of
// the workspace folders is checked in the background with progress, and files nobody opened
// get diagnostics with version null, pulled (workspace/diagnostic) or pushed; a file changed
// on disk re-checks its package; a file that is opened is checked before the rest.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import { articleAppGo } from '../support/goSources';
import { fileUri, withServer, type LspClient } from '../support/lspClient';

/** A test in a _test.go file: "use of cgo in test … not supported". */
const cgoTestGo = 'package app\n\nimport "testing"\nimport "C"\n\nfunc TestSetup(t *testing.T) { C.initial_setup() }\n';
const plainTestGo = 'package app\n\nimport "testing"\n\nfunc TestNothing(t *testing.T) {}\n';

/** A workspace folder of files by relative path, removed when the test process exits. */
function workspaceDir(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-workspace-'));
  process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(root, path.dirname(name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** The article's traps in a module, and the same traps where the go command never looks. */
function articleWorkspace(): string {
  return workspaceDir({
    'go.mod': 'module example.com/ws\n\ngo 1.22\n',
    'app/app.go': articleAppGo,
    'app/app_test.go': cgoTestGo,
    'plain/plain.go': 'package plain\n\nfunc F() {}\n',
    'vendor/example.com/v/v_test.go': cgoTestGo,
    'testdata/t/t_test.go': cgoTestGo,
    '.hidden/h/h_test.go': cgoTestGo,
    'node_modules/n/n_test.go': cgoTestGo,
  });
}

type Progress = { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };

/** The workDoneProgress values the server sent, in order, once the scan's `end` came. */
async function scanProgress(client: LspClient, since = 0): Promise<Progress[]> {
  await client.waitFor<{ value: Progress }>('$/progress', (p) => p.value?.kind === 'end', since);
  return client.received
    .slice(since)
    .filter((m) => m.method === '$/progress' && typeof (m.params as { value?: { kind?: unknown } }).value?.kind === 'string')
    .map((m) => (m.params as { value: Progress }).value);
}

function byName(reports: WorkspaceDocumentDiagnosticReport[]): Record<string, WorkspaceDocumentDiagnosticReport> {
  return Object.fromEntries(reports.map((report) => [path.basename(new URL(report.uri).pathname), report]));
}

function codes(report: WorkspaceDocumentDiagnosticReport | undefined): unknown[] {
  return report?.kind === 'full' ? report.items.map((d) => d.code) : [];
}

test('pull: files never opened get full reports with version null; a fixed file on disk gets an empty one, the rest unchanged', { timeout: 30_000 }, async () => {
  const root = articleWorkspace();
  await withServer({ pull: true, workspaceFolders: [root] }, async (client) => {
    assert.equal((client.initializeResult?.capabilities.diagnosticProvider as { workspaceDiagnostics?: boolean }).workspaceDiagnostics, true);
    const first = byName(await client.pullWorkspace());
    // Only the module's own package: vendor, testdata, hidden folders and node_modules are not walked.
    assert.deepEqual(Object.keys(first).sort(), ['app.go', 'app_test.go']);
    assert.deepEqual(codes(first['app.go']), ['preamble-comment-bleed']);
    assert.deepEqual(codes(first['app_test.go']), ['cgo-in-test']);
    for (const report of Object.values(first)) {
      assert.equal(report.version, null);
      assert.equal(report.kind, 'full');
    }

    // The test is fixed outside the editor (git checkout, another tool): the watcher says so.
    fs.writeFileSync(path.join(root, 'app', 'app_test.go'), plainTestGo);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, 'app/app_test.go'), type: 2 }] });
    const held = Object.values(first).map((report) => ({ uri: report.uri, value: report.resultId ?? '' }));
    const second = byName(await client.pullWorkspace(held));
    assert.deepEqual(second['app_test.go'], { kind: 'full', uri: first['app_test.go'].uri, version: null, items: [] });
    assert.deepEqual(second['app.go'], { kind: 'unchanged', uri: first['app.go'].uri, version: null, resultId: first['app.go'].resultId });
  });
});

test('pull with partial results: each package comes as it is checked; the open file is left to its document', { timeout: 30_000 }, async () => {
  const root = articleWorkspace();
  await withServer({ pull: true, workspaceFolders: [root] }, async (client) => {
    const app = fileUri(root, 'app/app.go');
    client.open(app, articleAppGo);
    assert.deepEqual((await client.pull(app)).map((d) => d.code), ['preamble-comment-bleed']);
    const partial: WorkspaceDocumentDiagnosticReport[] = [];
    const final = await client.pullWorkspace([], (items) => partial.push(...items));
    const all = byName([...partial, ...final]);
    assert.deepEqual(Object.keys(all), ['app_test.go']);
    assert.deepEqual(codes(all['app_test.go']), ['cgo-in-test']);
  });
});

test('push: closed files are published without a version while the scan reports its progress; scope openFiles takes them back', { timeout: 30_000 }, async () => {
  const root = articleWorkspace();
  await withServer({ pull: false, workspaceFolders: [root] }, async (client) => {
    const test = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === fileUri(root, 'app/app_test.go'));
    assert.equal(test.version, undefined);
    assert.deepEqual(test.diagnostics.map((d) => d.code), ['cgo-in-test']);
    const progress = await scanProgress(client);
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress[0].title, 'cgo');
    assert.ok(progress.some((p) => p.kind === 'report' && p.message === 'checking 1/1 packages with import "C"'), JSON.stringify(progress));
    assert.equal(progress.at(-1)?.kind, 'end');
    const published = client.received.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => (m.params as PublishDiagnosticsParams).uri);
    assert.deepEqual(published.sort(), [fileUri(root, 'app/app.go'), fileUri(root, 'app/app_test.go')]);

    const since = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: { cgo: { diagnostics: { scope: 'openFiles' } } } });
    for (const name of ['app/app.go', 'app/app_test.go']) {
      const cleared = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === fileUri(root, name), since);
      assert.deepEqual(cleared.diagnostics, []);
    }
  });
});

test('a folder added to the workspace gets its packages checked, a folder removed takes its diagnostics along', { timeout: 30_000 }, async () => {
  const first = articleWorkspace();
  const second = articleWorkspace();
  await withServer({ pull: false, workspaceFolders: [first] }, async (client) => {
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === fileUri(first, 'app/app_test.go') && p.diagnostics.length === 1);
    await scanProgress(client);
    const since = client.mark();
    const folder = (dir: string): { uri: string; name: string } => ({ uri: pathToFileURL(dir).href, name: path.basename(dir) });
    client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [folder(second)], removed: [folder(first)] } });
    const added = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === fileUri(second, 'app/app_test.go'), since);
    assert.deepEqual(added.diagnostics.map((d) => d.code), ['cgo-in-test']);
    const removed = await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === fileUri(first, 'app/app_test.go'), since);
    assert.deepEqual(removed.diagnostics, []);
  });
});

/** 60 packages, each with the article's NOTE trap and a test with import "C". */
function manyPackages(): { root: string; files: Record<string, string> } {
  const files: Record<string, string> = { 'go.mod': 'module example.com/many\n\ngo 1.22\n' };
  for (let i = 0; i < 60; i++) {
    const name = `pkg${String(i).padStart(2, '0')}`;
    files[`${name}/a.go`] = articleAppGo.replace('package app', `package ${name}`);
    files[`${name}/a_test.go`] = cgoTestGo.replace('package app', `package ${name}`);
  }
  return { root: workspaceDir(files), files };
}

/** The package directories in the order the server logged their checks. */
function checkOrder(client: LspClient, root: string): string[] {
  return client.received
    .filter((m) => m.method === 'window/logMessage' && (m.params as { message: string }).message.startsWith(`checked ${root}`))
    .map((m) => path.basename((m.params as { message: string }).message.slice('checked '.length).split(' for ')[0]));
}

test('a file opened at start-up is checked before any package of the workspace', { timeout: 60_000 }, async () => {
  const { root, files } = manyPackages();
  await withServer({ pull: false, workspaceFolders: [root] }, async (client) => {
    const last = fileUri(root, 'pkg59/a_test.go');
    client.open(last, files['pkg59/a_test.go']);
    assert.deepEqual((await client.published(last, 1)).map((d) => d.code), ['cgo-in-test']);
    await scanProgress(client);
    const order = checkOrder(client, root);
    assert.equal(order[0], 'pkg59');
    assert.equal(order.length, 61, order.join(' '));
  });
});

test('a file opened while the workspace is being checked is checked next, before the packages still waiting', { timeout: 60_000 }, async () => {
  const { root, files } = manyPackages();
  await withServer({ pull: false, workspaceFolders: [root] }, async (client) => {
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.version === undefined);
    // The last package in the scan's order.
    const last = fileUri(root, 'pkg59/a_test.go');
    const opened = client.mark();
    client.open(last, files['pkg59/a_test.go']);
    assert.deepEqual((await client.published(last, 1, opened)).map((d) => d.code), ['cgo-in-test']);
    const progress = await scanProgress(client);
    assert.equal(progress.filter((p) => p.kind === 'report').length, 60);
    const order = checkOrder(client, root);
    assert.ok(order.indexOf('pkg59') < order.indexOf('pkg58'), order.join(' '));
    // The open file's package reports its closed file; the open one keeps its document's diagnostics.
    const isClosedReport = (m: { method: string; params: unknown }): boolean =>
      m.method === 'textDocument/publishDiagnostics' && (m.params as PublishDiagnosticsParams).version === undefined;
    const closed = client.received.filter(isClosedReport).map((m) => (m.params as PublishDiagnosticsParams).uri);
    assert.ok(closed.includes(fileUri(root, 'pkg59/a.go')));
    assert.ok(!closed.includes(last));
  });
});
