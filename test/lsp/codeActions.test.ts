// Quick fixes from diagnostic data, driven directly: fixes that create files (no rule over
// LSP makes one yet), stale versions, clients without resource operations, and `only`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeActionParams, Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../../server/src/cgo/findings';
import { quickFixes, type CodeActionOptions } from '../../server/src/features/codeActions';
import { toDiagnostics, type AnalysedFile } from '../../server/src/features/diagnostics';

const testFile = '/work/pkg/app_test.go';
const newFile = '/work/pkg/app_cgo.go';
const testUri = pathToFileURL(testFile).href;
const newUri = pathToFileURL(newFile).href;
const testText = 'package app\n\n// int answer(void) { return 42; }\nimport "C"\n';

/** A cgo-in-test style finding whose preferred fix moves the preamble into a new file. */
const finding: Finding = {
  rule: 'cgo-in-test',
  severity: 'error',
  file: testFile,
  start: testText.indexOf('import "C"'),
  end: testText.indexOf('import "C"') + 'import "C"'.length,
  message: 'use of cgo in test not supported',
  fixes: [
    {
      title: 'Move the preamble to app_cgo.go',
      preferred: true,
      newFiles: [newFile],
      edits: [
        { file: newFile, start: 0, end: 0, newText: 'package app\n\n// int answer(void) { return 42; }\nimport "C"\n' },
        { file: testFile, start: testText.indexOf('// int'), end: testText.length, newText: '' },
      ],
    },
  ],
};

const files: AnalysedFile[] = [{ path: testFile, uri: testUri, text: testText, version: 7 }];

function diagnostic(): Diagnostic {
  const diagnostics = toDiagnostics([finding], files, '/ext/docs/rules').get(testUri);
  assert.ok(diagnostics?.length === 1);
  // What the client sends back: JSON, as over the wire.
  return JSON.parse(JSON.stringify(diagnostics[0])) as Diagnostic;
}

function params(diagnostics: Diagnostic[], only?: string[]): CodeActionParams {
  return { textDocument: { uri: testUri }, range: diagnostics[0].range, context: { diagnostics, ...(only ? { only } : {}) } };
}

const options: CodeActionOptions = {
  versionOf: (uri) => (uri === testUri ? 7 : null),
  exists: (uri) => uri === testUri,
  documentChanges: true,
  createFiles: true,
  ignoreCommand: undefined,
};

test('a fix that creates a file: CreateFile (never overwriting) first, then versioned edits', () => {
  const d = diagnostic();
  assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 10 } });
  assert.equal(d.codeDescription?.href, 'file:///ext/docs/rules/cgo-in-test.md');
  const [action] = quickFixes(params([d]), options);
  assert.deepEqual(action.edit?.documentChanges, [
    { kind: 'create', uri: newUri, options: { overwrite: false, ignoreIfExists: false } },
    {
      textDocument: { uri: newUri, version: null },
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: finding.fixes[0].edits[0].newText }],
    },
    {
      textDocument: { uri: testUri, version: 7 },
      edits: [{ range: { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, newText: '' }],
    },
  ]);
  assert.equal(action.isPreferred, true);
  assert.deepEqual(action.diagnostics, [d]);
});

test('file-creating fixes are dropped when the client cannot create files or the file appeared', () => {
  const d = diagnostic();
  assert.deepEqual(quickFixes(params([d]), { ...options, createFiles: false }), []);
  assert.deepEqual(quickFixes(params([d]), { ...options, exists: () => true }), []);
});

test('stale versions, foreign diagnostics, malformed data and `only` give no actions', () => {
  const d = diagnostic();
  assert.deepEqual(quickFixes(params([d]), { ...options, versionOf: (uri) => (uri === testUri ? 8 : null) }), []);
  assert.deepEqual(quickFixes(params([{ ...d, source: 'gopls' }]), options), []);
  assert.deepEqual(quickFixes(params([{ ...d, data: { fixes: [{ title: 1 }] } }]), options), []);
  assert.deepEqual(quickFixes(params([d], ['refactor']), options), []);
  assert.equal(quickFixes(params([d], ['quickfix']), options).length, 1);
});

test('a fix creating a file the package already has is not offered', () => {
  const existing: AnalysedFile = { path: newFile, uri: newUri, text: 'package app\n', version: null };
  const diagnostics = toDiagnostics([finding], [...files, existing], '/ext/docs/rules').get(testUri);
  assert.deepEqual((diagnostics?.[0].data as { fixes: unknown[] }).fixes, []);
});
