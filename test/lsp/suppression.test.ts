// Suppression over LSP: "Ignore here…" next to the fixes, the comment it writes removing the
// squiggle, and what an unused suppression looks like in the editor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { IgnoreData } from '../../server/src/features/diagnostics';
import { articleAppGo, articleCfuncsGo } from '../support/goSources';
import { fileUri, packageDir, withServer } from '../support/lspClient';

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const changes = action.edit?.documentChanges ?? [];
  return changes.filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri).flatMap((c) => c.edits.filter((e): e is TextEdit => 'range' in e));
}

test('"Ignore here…" without a client prompt writes the comment; its missing reason is a hint until one is typed', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo, 'cfuncs.go': articleCfuncsGo });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, articleAppGo);
    const [bleed] = await client.pull(uri);
    assert.equal(bleed.code, 'preamble-comment-bleed');
    const actions = await client.codeActions(uri, bleed.range, [bleed]);
    assert.deepEqual(actions.map((a) => a.title), ['Turn into a C comment', 'Move the note above the preamble', 'Ignore here…']);
    const ignore = actions[2];
    assert.equal(ignore.isPreferred, undefined);
    const edits = editsOf(ignore, uri);
    // Above the NOTE line, inside the // preamble: a C comment.
    assert.deepEqual(edits, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '// // cgo-lint:ignore preamble-comment-bleed\n' }]);
    let text = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, articleAppGo), edits);
    client.change(uri, 2, [{ text }]);
    const [hint] = await client.pull(uri);
    assert.equal(hint.code, 'suppression');
    assert.equal(hint.severity, 4);
    assert.match(String(hint.message), /needs a reason/);
    text = text.replace('cgo-lint:ignore preamble-comment-bleed', 'cgo-lint:ignore preamble-comment-bleed the note is ours');
    client.change(uri, 3, [{ text }]);
    assert.deepEqual(await client.pull(uri), []);
  });
});

test('with the VS Code client, "Ignore here…" runs cgo.ignoreHere with where to write and what', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, initializationOptions: { ignoreCommand: 'cgo.ignoreHere' } }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo, 'cfuncs.go': articleCfuncsGo });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, articleAppGo);
    const [bleed] = await client.pull(uri);
    const ignore = (await client.codeActions(uri, bleed.range, [bleed])).find((a) => a.title === 'Ignore here…');
    assert.ok(ignore?.command && !ignore.edit);
    assert.equal(ignore.command.command, 'cgo.ignoreHere');
    const [args] = ignore.command.arguments as IgnoreData[];
    assert.deepEqual(args, { uri, version: 1, position: { line: 2, character: 0 }, before: '// // cgo-lint:ignore preamble-comment-bleed ', after: '\n' });
    // What the client does with the reason the user gives.
    const text = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, articleAppGo), [{ range: { start: args.position, end: args.position }, newText: `${args.before}kept${args.after}` }]);
    client.change(uri, 2, [{ text }]);
    assert.deepEqual(await client.pull(uri), []);
  });
});

test('an unused suppression is a hint with a fix to remove it, linked to the suppression doc', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const source = 'package app\n\n// #include <stdlib.h>\nimport "C"\n\n//cgo-lint:ignore missing-stdlib-include stdlib.h is included\nfunc f() { C.free(nil) }\n';
    const dir = packageDir({ 'a.go': source });
    const uri = fileUri(dir, 'a.go');
    client.open(uri, source);
    const diagnostics: Diagnostic[] = await client.pull(uri);
    assert.equal(diagnostics.length, 1);
    const [hint] = diagnostics;
    assert.equal(hint.code, 'suppression');
    assert.equal(hint.severity, 4);
    assert.match(hint.codeDescription?.href ?? '', /docs\/rules\/suppression\.md$/);
    assert.deepEqual(hint.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 2 + 'cgo-lint:ignore missing-stdlib-include stdlib.h is included'.length } });
    const actions = await client.codeActions(uri, hint.range, [hint]);
    assert.deepEqual(actions.map((a) => a.title), ['Remove the unused suppression']);
    const text = TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, source), editsOf(actions[0], uri));
    assert.equal(text, source.replace('//cgo-lint:ignore missing-stdlib-include stdlib.h is included\n', ''));
  });
});
