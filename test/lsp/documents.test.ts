// The tree cache of the open documents, driven directly: after random incremental edits
// (CRLF, tabs, surrogate pairs, several changes per notification) the reparsed tree equals a
// fresh parse node for node, indices and points alike; and every tree is freed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node, Tree } from 'web-tree-sitter';
import { OpenDocuments } from '../../server/src/documents';
import { testEngine } from '../support/engine';
import { FakeConnection } from '../support/fakeConnection';
import { twiceGo } from '../support/goSources';

function assertSameTree(actual: Node, expected: Node, where: string): void {
  const shape = (node: Node) => ({
    type: node.type,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    startPosition: node.startPosition,
    endPosition: node.endPosition,
    children: node.childCount,
  });
  assert.deepEqual(shape(actual), shape(expected), where);
  for (let i = 0; i < expected.childCount; i++) {
    const a = actual.child(i);
    const e = expected.child(i);
    assert.ok(a && e, where);
    assertSameTree(a, e, `${where} > ${e.type}[${i}]`);
  }
}

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const snippets = ['', '\n', '\r\n', '\t', 'é😀', '"C"', '// NOTE: prose\n', 'import "C"\n', '/* x */', 'func f() {\r\n\treturn\r\n}\r\n', '"unterminated', '😀😀\n\n', 'x'];

/** An offset that splits neither a surrogate pair nor a "\r\n", as an editor never does. */
function boundary(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && at < text.length && ((text.charCodeAt(at) & 0xfc00) === 0xdc00 || (text[at - 1] === '\r' && text[at] === '\n'))) at--;
  return at;
}

test('incremental reparses equal fresh parses node for node, and every tree is freed', { timeout: 20_000 }, async () => {
  const engine = await testEngine();
  const live = new Set<Tree>();
  const parseGo = (text: string, oldTree?: Tree): Tree => {
    const tree = engine.parseGo(text, oldTree);
    live.add(tree);
    const free = tree.delete.bind(tree);
    tree.delete = () => {
      live.delete(tree);
      free();
    };
    return tree;
  };
  const documents = new OpenDocuments(parseGo, (message) => assert.fail(message));
  const connection = new FakeConnection();
  documents.documents.listen(connection);
  const uri = 'file:///virtual/b.go';
  const start = twiceGo.replace(/\n/g, '\r\n');
  connection.open?.({ textDocument: { uri, languageId: 'go', version: 1, text: start } });
  const mirror = TextDocument.create(uri, 'go', 1, start);
  const next = random(20240611);

  for (let version = 2; version <= 120; version++) {
    const changes: TextDocumentContentChangeEvent[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let i = 0; i < count; i++) {
      const text = mirror.getText();
      const a = boundary(text, Math.floor(next() * (text.length + 1)));
      const b = boundary(text, Math.min(text.length, a + Math.floor(next() * 12)));
      const change = { range: { start: mirror.positionAt(a), end: mirror.positionAt(b) }, text: snippets[Math.floor(next() * snippets.length)] };
      changes.push(change);
      TextDocument.update(mirror, [change], version);
    }
    connection.change?.({ textDocument: { uri, version }, contentChanges: changes });
    const document = documents.get(uri);
    assert.ok(document);
    assert.equal(document.getText(), mirror.getText());
    // Reparse only now and then, so edits also pile up on one tree between parses.
    if (version % 3 !== 0) continue;
    const fresh = engine.parseGo(mirror.getText());
    try {
      assertSameTree(documents.treeOf(document).rootNode, fresh.rootNode, `version ${version}: ${JSON.stringify(mirror.getText())}`);
    } finally {
      fresh.delete();
    }
  }

  assert.equal(live.size, 1, 'one tree per open document: each reparse freed the tree it started from');
  connection.close?.({ textDocument: { uri } });
  assert.equal(live.size, 0, 'closing a document frees its tree');
  connection.open?.({ textDocument: { uri, languageId: 'go', version: 1, text: start } });
  const reopened = documents.get(uri);
  assert.ok(reopened);
  documents.treeOf(reopened);
  documents.dispose();
  assert.equal(live.size, 0, 'dispose frees every tree');
});
