// A change in one file of a package re-checks the other open files of that package.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams, RegistrationParams } from 'vscode-languageserver';
import { articleAppGo, twiceGo } from '../support/goSources';
import { fileUri, packageDir, withServer } from '../support/lspClient';

const insertComment = [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// edited\n' }];

test('push: changing one file publishes fresh diagnostics for the other open file of its package', { timeout: 20_000 }, async () => {
  await withServer({ pull: false }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo, 'twice.go': twiceGo });
    const app = fileUri(dir, 'app.go');
    const twice = fileUri(dir, 'twice.go');
    const elsewhere = fileUri(packageDir({ 'twice.go': twiceGo }), 'twice.go');
    client.open(app, articleAppGo);
    client.open(twice, twiceGo);
    client.open(elsewhere, twiceGo);
    assert.equal((await client.published(app, 1)).length, 1);
    assert.deepEqual(await client.published(twice, 1), []);
    await client.published(elsewhere, 1);

    const since = client.mark();
    client.change(twice, 2, insertComment);
    assert.deepEqual(await client.published(twice, 2, since), []);
    // Same package: re-checked, with the version it was checked at.
    assert.equal((await client.published(app, 1, since)).length, 1);
    // Another package is left alone.
    assert.equal(client.received.slice(since).some((m) => (m.params as { uri?: string }).uri === elsewhere), false);

    // Closing clears the file's diagnostics and re-checks the package with the file from disk.
    const closedAt = client.mark();
    client.close(twice);
    await client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === twice && p.diagnostics.length === 0, closedAt);
    await client.published(app, 1, closedAt);
  });
});

test('a closed file or header changed on disk (workspace/didChangeWatchedFiles) re-checks open packages', { timeout: 20_000 }, async () => {
  await withServer({ pull: false }, async (client) => {
    const registration = await client.waitFor<RegistrationParams>('client/registerCapability');
    assert.deepEqual(registration.registrations.map((r) => [r.method, r.registerOptions]), [
      ['workspace/didChangeWatchedFiles', { watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/*.h' }] }],
    ]);
    const dir = packageDir({ 'app.go': articleAppGo, 'twice.go': twiceGo });
    const app = fileUri(dir, 'app.go');
    client.open(app, articleAppGo);
    await client.published(app, 1);
    const since = client.mark();
    fs.writeFileSync(path.join(dir, 'twice.go'), twiceGo.replace('\nimport "C"', '\n\nimport "C"'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, 'twice.go'), type: 2 }] });
    assert.equal((await client.published(app, 1, since)).length, 1);
    // A header may be included from any package: every open package is re-checked.
    const headerSince = client.mark();
    fs.writeFileSync(path.join(dir, 'api.h'), 'typedef int Animal;\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, 'api.h'), type: 1 }] });
    assert.equal((await client.published(app, 1, headerSince)).length, 1);
  });
});

test('in a watched workspace folder, a closed file created on disk is seen as soon as the watcher tells, without a second of waiting', { timeout: 20_000 }, async () => {
  const testGo = 'package p\n\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc f() { _ = C.twice(2) }\n';
  const dir = packageDir({ 'x_test.go': testGo });
  await withServer({ pull: true, createFiles: true, workspaceFolders: [dir] }, async (client) => {
    await client.waitFor<RegistrationParams>('client/registerCapability');
    const uri = fileUri(dir, 'x_test.go');
    client.open(uri, testGo);
    assert.match(JSON.stringify(await client.pull(uri)), /func cTwice\(/);
    // A new closed file declares the wrapper's name; the client's watcher tells of it.
    fs.writeFileSync(path.join(dir, 'a.go'), 'package p\n\nfunc cTwice() {}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(dir, 'a.go'), type: 1 }] });
    client.change(uri, 2, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '// edited\n' }]);
    assert.match(JSON.stringify(await client.pull(uri)), /func cTwice2\(/);
  });
});

test('pull: changing one file asks the client to pull again (workspace/diagnostic/refresh)', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo, 'twice.go': twiceGo });
    const app = fileUri(dir, 'app.go');
    const twice = fileUri(dir, 'twice.go');
    client.open(app, articleAppGo);
    client.open(twice, twiceGo);
    assert.equal((await client.pull(app)).length, 1);
    assert.deepEqual(await client.pull(twice), []);

    const since = client.mark();
    client.change(twice, 2, insertComment);
    await client.waitFor('workspace/diagnostic/refresh', () => true, since);
    assert.equal((await client.pull(app)).length, 1);
  });
});

test('a package directory with hundreds of files stays responsive', { timeout: 25_000 }, async (t) => {
  const body = Array.from({ length: 120 }, (_, i) => `func F${i}(x int) int {\n\treturn x + ${i} // "not C"\n}\n`).join('\n');
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) files[`plain${i}.go`] = `package app\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n\n${body}`;
  for (let i = 0; i < 20; i++) files[`cgo${i}.go`] = twiceGo.replace('twice', `twice${i}`) + body;
  files['app.go'] = articleAppGo;
  const dir = packageDir(files);
  await withServer({ pull: true }, async (client) => {
    const app = fileUri(dir, 'app.go');
    let started = Date.now();
    client.open(app, articleAppGo);
    assert.equal((await client.pull(app)).length, 1);
    const firstMs = Date.now() - started;
    const cycles: number[] = [];
    for (let version = 2; version <= 6; version++) {
      started = Date.now();
      client.change(app, version, insertComment);
      assert.equal((await client.pull(app)).length, 1);
      cycles.push(Date.now() - started);
    }
    t.diagnostic(`421 files: first diagnostics after ${firstMs} ms; edit to diagnostics ${cycles.join(', ')} ms`);
    // Each cycle is the 200 ms debounce plus the analysis; generous bounds for slow machines.
    assert.ok(firstMs < 5_000, `first analysis took ${firstMs} ms`);
    assert.ok(Math.max(...cycles) < 1_500, `edit-to-diagnostics took ${cycles.join(', ')} ms`);
  });
});

test("a fix never declares a name a closed file without cgo declares (cgo-in-test's wrappers)", { timeout: 20_000 }, async () => {
  const testGo = 'package p\n\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc f() { _ = C.twice(2) }\n';
  await withServer({ pull: true, createFiles: true }, async (client) => {
    // a.go never mentions C, is never opened, and already declares the first wrapper name.
    const dir = packageDir({ 'a.go': 'package p\n\nfunc cTwice() {}\n', 'x_test.go': testGo });
    const uri = fileUri(dir, 'x_test.go');
    client.open(uri, testGo);
    const [diagnostic] = await client.pull(uri);
    assert.equal(diagnostic?.code, 'cgo-in-test');
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const texts = JSON.stringify(actions);
    assert.match(texts, /"newText":"cTwice2"/);
    assert.match(texts, /func cTwice2\(/);
    assert.doesNotMatch(texts, /"newText":"cTwice"|func cTwice\(/);
  });
});

test('a closed file changed on disk without a notification is found while idle, and the open package checked again with no edit', { timeout: 20_000 }, async () => {
  const testGo = 'package p\n\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc f() { _ = C.twice(2) }\n';
  await withServer({ pull: true, createFiles: true }, async (client) => {
    const dir = packageDir({ 'a.go': 'package p\n', 'x_test.go': testGo });
    const uri = fileUri(dir, 'x_test.go');
    client.open(uri, testGo);
    assert.match(JSON.stringify(await client.pull(uri)), /func cTwice\(/);
    const since = client.mark();
    // A closed file now declares the wrapper's name; no didChangeWatchedFiles tells the server.
    fs.writeFileSync(path.join(dir, 'a.go'), 'package p\n\nfunc cTwice() {}\n');
    // Its stats are trusted for a second; then the server stats the package's files by itself and asks for a pull.
    await client.waitFor('workspace/diagnostic/refresh', () => true, since);
    assert.match(JSON.stringify(await client.pull(uri)), /func cTwice2\(/);
  });
});
