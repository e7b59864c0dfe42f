// The one Go scanner against tree-sitter-go: on random files that parse without errors, the
// comments it finds are the comment nodes of the tree, at the same offsets, and on any text it
// ends, with every token inside the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GoScanner, GoTokens } from '../../server/src/cgo/golex';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const pieces = [
  ' ', '\t', '\n', '\r\n', 'x', 'y := 1', 'return', 'a.b(c)', 'x++', 'x--', '[]', '{', '}', ';', '/', 'x / y', '"s"', '"a//b"', '"a/*b"',
  "'a'", "'\\''", "'/'", '`raw // not a comment`', '`\n/* raw */\n`', '// line\n', '//\r\n', '/* block */', '/*\nspans\n*/', '/**/', '// caf\u00e9\n', '"\\"//"',
];

const bodyArb = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));

test('the Go scanner finds the comments tree-sitter-go finds in files without syntax errors', async () => {
  const engine = await testEngine();
  let compared = 0;
  fc.assert(
    fc.property(bodyArb, (body) => {
      const text = `package p\n\nfunc f() {\n${body}\n}\n`;
      const tree = engine.parseGo(text);
      try {
        if (tree.rootNode.hasError) return;
        compared++;
        const fromTree = tree.rootNode.descendantsOfType('comment').map((c) => [c!.startIndex, c!.text.replace(/\r$/, '').length + c!.startIndex]);
        const ours = new GoTokens(new LineIndex(text)).allComments().map((c) => [c.start, c.end]);
        assert.deepEqual(ours, fromTree, JSON.stringify(text));
      } finally {
        tree.delete();
      }
    }),
    { numRuns: 1500, seed: 20261201 },
  );
  assert.ok(compared > 300, `only ${compared} files parsed cleanly`);
});

test('the Go scanner ends on any text, every token inside it and in order', () => {
  fc.assert(
    fc.property(fc.oneof(bodyArb, fc.string({ maxLength: 60 })), (text) => {
      const scanner = new GoScanner(text);
      let last = 0;
      for (let steps = 0; scanner.next() !== 'end'; steps++) {
        assert.ok(steps <= text.length * 2 + 2, JSON.stringify(text));
        assert.ok(scanner.start >= last && scanner.start <= scanner.end && scanner.end <= text.length, JSON.stringify(text));
        last = scanner.start;
      }
    }),
    { numRuns: 2000, seed: 20261201 },
  );
});
