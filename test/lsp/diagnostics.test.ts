// Diagnostics and quick fixes over LSP, pulled and pushed, with exact UTF-16 ranges.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { articleAppGo, articleCfuncsGo } from '../support/goSources';
import { fileUri, packageDir, repoRoot, withServer, type LspClient } from '../support/lspClient';

const bleedDocHref = pathToFileURL(path.join(repoRoot, 'docs', 'rules', 'preamble-comment-bleed.md')).href;

function articlePackage(): { appUri: string } {
  const dir = packageDir({ 'app.go': articleAppGo, 'cfuncs.go': articleCfuncsGo });
  return { appUri: fileUri(dir, 'app.go') };
}

function assertArticleDiagnostic(diagnostics: Diagnostic[]): Diagnostic {
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 2));
  const [diagnostic] = diagnostics;
  assert.equal(diagnostic.source, 'cgo');
  assert.equal(diagnostic.code, 'preamble-comment-bleed');
  assert.equal(diagnostic.codeDescription?.href, bleedDocHref);
  assert.equal(diagnostic.severity, 1);
  // `// NOTE: Do not use -Wall.` is line 2; the prose starts after "// ".
  assert.deepEqual(diagnostic.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 26 } });
  const message = diagnostic.message;
  assert.ok(typeof message === 'string');
  assert.match(message, /NOTE: Do not use -Wall\./);
  return diagnostic;
}

/** Applies an action's edit for one document as the client would: a didChange with ranges. */
function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit;
  assert.ok(edit, `action "${action.title}" has no edit`);
  if (edit.documentChanges) {
    return edit.documentChanges
      .filter((change): change is TextDocumentEdit => 'textDocument' in change && change.textDocument.uri === uri)
      .flatMap((change) => change.edits.filter((e): e is TextEdit => 'range' in e));
  }
  return edit.changes?.[uri] ?? [];
}

async function applyPreferredFix(client: LspClient, uri: string, diagnostic: Diagnostic, text: string): Promise<{ action: CodeAction; text: string }> {
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  const preferred = actions.filter((a) => a.isPreferred);
  assert.equal(preferred.length, 1, JSON.stringify(actions, null, 2));
  const [action] = preferred;
  assert.equal(action.kind, 'quickfix');
  assert.deepEqual(action.diagnostics, [diagnostic]);
  const edits = editsFor(action, uri);
  assert.ok(edits.length > 0);
  client.change(uri, 2, edits.map((e) => ({ range: e.range, text: e.newText })));
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, text), edits);
  return { action, text: fixed };
}

test('pull: the article note gets one preamble-comment-bleed diagnostic; its preferred fix removes it', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const capabilities = client.initializeResult?.capabilities;
    assert.deepEqual(capabilities?.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: true });
    assert.deepEqual(capabilities?.textDocumentSync, { openClose: true, change: 2 });
    const { appUri } = articlePackage();
    client.open(appUri, articleAppGo);
    const diagnostic = assertArticleDiagnostic(await client.pull(appUri));

    const again = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri: appUri },
      previousResultId: (await client.request<{ resultId?: string }>('textDocument/diagnostic', { textDocument: { uri: appUri } })).resultId,
    });
    assert.equal(again.kind, 'unchanged');

    const { action, text } = await applyPreferredFix(client, appUri, diagnostic, articleAppGo);
    assert.equal(action.title, 'Turn into a C comment');
    assert.ok(action.edit?.documentChanges, 'versioned documentChanges when the client supports them');
    assert.match(text, /^\/\/ \/\/ NOTE: Do not use -Wall\.$/m);
    assert.deepEqual(await client.pull(appUri), []);
    // The fix was computed for version 1: offering it against version 2 would corrupt the text.
    assert.deepEqual(await client.codeActions(appUri, diagnostic.range, [diagnostic]), []);
  });
});

test('push: the same diagnostic is published with its version; plain `changes` edits without documentChanges', { timeout: 20_000 }, async () => {
  await withServer({ pull: false, documentChanges: false }, async (client) => {
    assert.equal(client.initializeResult?.capabilities.diagnosticProvider, undefined);
    const { appUri } = articlePackage();
    client.open(appUri, articleAppGo);
    const diagnostic = assertArticleDiagnostic(await client.published(appUri, 1));
    const { action } = await applyPreferredFix(client, appUri, diagnostic, articleAppGo);
    assert.equal(action.edit?.documentChanges, undefined);
    assert.deepEqual(await client.published(appUri, 2), []);
  });
});

test('UTF-16 columns with non-ASCII text, tabs and CRLF line endings', { timeout: 20_000 }, async () => {
  const text = ['package app // é😀', '', '//\té😀 NOTE: Do not use -Wall.', '// #cgo CFLAGS: -g -O2', 'import "C"', ''].join('\r\n');
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': text });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, text);
    const diagnostics = await client.pull(uri);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 2));
    const [diagnostic] = diagnostics;
    // "é" is one UTF-16 unit, "😀" two: the prose spans 3 .. 3 + 1 + 2 + 1 + 23.
    assert.deepEqual(diagnostic.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 30 } });
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const moveAbove = actions.find((a) => a.title === 'Move the note above the preamble');
    assert.ok(moveAbove, JSON.stringify(actions, null, 2));
    // The inserted line break ends the line before its "\r\n" and uses the file's CRLF.
    assert.deepEqual(editsFor(moveAbove, uri), [{ range: { start: { line: 2, character: 30 }, end: { line: 2, character: 30 } }, newText: '\r\n' }]);
  });
});

test('an untitled Go buffer is checked on its own', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const uri = 'untitled:Untitled-1';
    client.open(uri, articleAppGo);
    assertArticleDiagnostic(await client.pull(uri));
  });
});
