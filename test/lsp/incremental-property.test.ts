// Property: random edits applied incrementally (the server's tree cache: tree.edit, and a
// reparse from the old tree when a rule reads the Go code) give exactly the findings of a from-scratch analysis of the final text,
// never an exception, and every range and fix edit inside its document. Edits favour what breaks
// editors: preamble text, CRLF, non-ASCII, half comments, blank lines before import "C".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../../server/src/cgo/findings';
import { resolveTarget } from '../../server/src/cgo/target';
import { OpenDocuments } from '../../server/src/documents';
import { testEngine } from '../support/engine';
import { FakeConnection } from '../support/fakeConnection';
import { articleAppGo, articleCfuncsGo } from '../support/goSources';

const target = resolveTarget('linux', 'amd64', {});
const dir = '/virtual/prop';

const starts = [
  articleAppGo,
  articleCfuncsGo,
  articleAppGo.replace(/\n/g, '\r\n'),
  'package p\n\n// caf\u00e9 \u{1F600}\n// #cgo LDFLAG: -lm\n/*\n * #include <stdio.h>\n */\nimport c "C"\n\nfunc f() { _ = c.int(1) }\n',
];

const snippets = [
  '',
  '\n',
  '\r\n',
  '\n\n',
  ' ',
  '\t',
  '// NOTE: x.\n',
  '// #cgo CFLAGS: -Wall\n',
  '// #cgo LDFLAG: -lm\n',
  '// #include <stdlib.h>\n',
  '/*',
  '*/',
  '"C"',
  'import "C"\n',
  'C.free(nil)\n',
  '\u00e9\u{1F600}',
  'int x = 1;',
  '}',
  '`',
];

interface Edit {
  at: number;
  length: number;
  text: string;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat(12),
  text: fc.oneof(fc.constantFrom(...snippets), fc.string({ maxLength: 6 })),
}).map(({ at, length, text }) => ({ at: Math.floor(at * 1e9), length, text }));

/** Offsets never split a surrogate pair or a CRLF: no editor produces those. */
function boundary(text: string, offset: number): number {
  let at = Math.max(0, Math.min(text.length, offset));
  const code = text.charCodeAt(at - 1);
  if (at > 0 && at < text.length && ((code >= 0xd800 && code <= 0xdbff) || (code === 13 && text.charCodeAt(at) === 10))) at--;
  return at;
}

function key(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.start}-${f.end} ${f.severity} ${f.message} ${JSON.stringify(f.fixes)}`);
}

test('incremental edits give exactly the findings of a fresh analysis', async () => {
  const engine = await testEngine();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...starts.keys()), fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), async (startIndex, batches) => {
      const documents = new OpenDocuments(engine.parseGo.bind(engine), (message) => assert.fail(message));
      const connection = new FakeConnection();
      documents.documents.listen(connection);
      const uri = `file://${dir}/a.go`;
      const start = starts[startIndex];
      connection.open?.({ textDocument: { uri, languageId: 'go', version: 1, text: start } });
      const mirror = TextDocument.create(uri, 'go', 1, start);
      try {
        let version = 1;
        for (const batch of batches) {
          version++;
          const changes: TextDocumentContentChangeEvent[] = [];
          for (const edit of batch) {
            const text = mirror.getText();
            const a = boundary(text, edit.at % (text.length + 1));
            const b = boundary(text, a + edit.length);
            const change = { range: { start: mirror.positionAt(a), end: mirror.positionAt(Math.max(a, b)) }, text: edit.text };
            changes.push(change);
            TextDocument.update(mirror, [change], version);
          }
          connection.change?.({ textDocument: { uri, version }, contentChanges: changes });
          const document = documents.get(uri)!;
          const text = document.getText();
          assert.equal(text, mirror.getText());
          // As the server passes it: read only if a rule asks, so edits pile up on an unparsed tree.
          const incremental = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text, tree: () => documents.treeOf(document) }], { target, readText: () => undefined });
          const fresh = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text }], { target, readText: () => undefined });
          assert.deepEqual(key(incremental), key(fresh));
          for (const finding of incremental) {
            assert.ok(finding.start >= 0 && finding.start <= finding.end && finding.end <= text.length, `range ${finding.start}-${finding.end} of ${text.length}`);
            for (const fix of finding.fixes) {
              for (const edit of fix.edits) {
                if (fix.newFiles?.includes(edit.file)) continue;
                assert.ok(edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length, `${fix.title}: edit ${edit.start}-${edit.end} of ${text.length}`);
              }
            }
          }
        }
      } finally {
        documents.dispose();
      }
    }),
    { numRuns: 200, seed: 20261122 },
  );
});
