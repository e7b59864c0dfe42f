// Incremental edits (tree.edit + reparse from the edited tree) must give exactly the
// diagnostics a fresh open of the same text gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { articleCfuncsGo, twiceGo } from '../support/goSources';
import { fileUri, packageDir, withServer } from '../support/lspClient';

/** What a user sees of a diagnostic and its fixes, without the URIs and versions in `data`. */
function visible(diagnostics: Diagnostic[]): unknown[] {
  return diagnostics.map(({ range, severity, code, message, data }) => ({
    range,
    severity,
    code,
    message,
    fixes: (data as { fixes: { title: string; preferred: boolean; edits: { range: unknown; newText: string }[] }[] }).fixes.map((fix) => ({
      title: fix.title,
      preferred: fix.preferred,
      edits: fix.edits.map(({ range: editRange, newText }) => ({ range: editRange, newText })),
    })),
  }));
}

interface Step {
  what: string;
  changes: TextDocumentContentChangeEvent[];
  /** Rule ids expected on the second file after the step. */
  expect: string[];
}

const steps: Step[] = [
  {
    what: 'insert a blank line between the C comment and import "C"',
    changes: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '\n' }],
    expect: ['preamble-detached'],
  },
  {
    what: 'delete the blank line again',
    changes: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' }],
    expect: [],
  },
  {
    what: 'two changes in one notification: prose with non-ASCII text above the C, then a rename inside it',
    changes: [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '// NOTE: é😀 keep this in sync.\n' },
      { range: { start: { line: 4, character: 14 }, end: { line: 4, character: 19 } }, text: 'dbl' },
    ],
    expect: ['preamble-comment-bleed'],
  },
  {
    what: 'type a character right after the emoji (UTF-16 column 12)',
    changes: [{ range: { start: { line: 2, character: 12 }, end: { line: 2, character: 12 } }, text: '!' }],
    expect: ['preamble-comment-bleed'],
  },
  {
    what: 'replace three lines with a /** */ block: the opener and both star lines bleed',
    changes: [
      {
        range: { start: { line: 2, character: 0 }, end: { line: 5, character: 0 } },
        text: '/**\n * #include <stdlib.h>\n * static int dbl(int x) { return 2 * x; }\n */\n',
      },
    ],
    expect: ['preamble-comment-bleed', 'preamble-comment-bleed', 'preamble-comment-bleed'],
  },
  {
    what: 'replace the whole text (no range), then edit incrementally again',
    changes: [
      { text: twiceGo },
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '\n\n' },
    ],
    expect: ['preamble-detached'],
  },
  {
    what: 'half-typed identifier in Go code, then the blank lines removed',
    changes: [
      { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: 'func Thr' },
      { range: { start: { line: 4, character: 0 }, end: { line: 6, character: 0 } }, text: '' },
    ],
    expect: [],
  },
];

test('incremental edits of a package\'s second file give the diagnostics of a fresh open', { timeout: 25_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const edited = packageDir({ 'a.go': articleCfuncsGo, 'b.go': twiceGo });
    const fresh = packageDir({ 'a.go': articleCfuncsGo, 'b.go': twiceGo });
    const editedUri = fileUri(edited, 'b.go');
    const freshUri = fileUri(fresh, 'b.go');
    client.open(editedUri, twiceGo);
    assert.deepEqual(await client.pull(editedUri), []);

    const expected = TextDocument.create(editedUri, 'go', 1, twiceGo);
    let version = 1;
    for (const step of steps) {
      version++;
      client.change(editedUri, version, step.changes);
      TextDocument.update(expected, step.changes, version);
      const incremental = await client.pull(editedUri);
      client.open(freshUri, expected.getText(), version);
      const reparsed = await client.pull(freshUri);
      client.close(freshUri);
      assert.deepEqual(
        incremental.map((d) => d.code),
        step.expect,
        `${step.what}:\n${expected.getText()}\n${JSON.stringify(incremental, null, 2)}`,
      );
      assert.deepEqual(visible(incremental), visible(reparsed), `${step.what}: incremental and fresh parse differ`);
    }
  });
});
