// The preamble's map back into the .go file: every character of the text cmd/cgo builds must
// come from the place the map names, whatever the line endings, tabs or non-ASCII text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTokens } from '../../server/src/cgo/golex';
import { findImportsOfC, PreambleCache, toSource } from '../../server/src/cgo/preamble';
import { buildCgoFile, withTree } from '../../server/src/cgo/package';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const sources = [
  'package p\n\n// #include <stdio.h>\n// int x;\nimport "C"\n',
  'package p\r\n\r\n// #include <stdio.h>\r\n/*\r\n\tint caf\u00e9 = 1; // \u{1F600}\r\n*/\r\nimport "C"\r\n',
  '\ufeffpackage p\n\n/* a */ /* b */\n//\tx\nimport (\n\t// inside\n\t"C"\n)\n',
  'package p\n\n/**\n * \u00e9\u00e9\n */\nimport "C"\n',
];

test('every preamble character maps back to the same character in the .go file', () => {
  for (const source of sources) {
    const imports = findImportsOfC(new GoTokens(new LineIndex(source)), new PreambleCache());
    assert.ok(imports.length > 0 && imports.every((imp) => imp.preamble), JSON.stringify(source));
    for (const imp of imports) {
      const preamble = imp.preamble!;
      for (let i = 0; i < preamble.text.length; i++) {
        const at = toSource(preamble, i);
        const expected = preamble.text[i];
        // The "\n" cgo appends to a // comment stands at the end of that comment.
        if (expected === '\n') assert.ok(['\n', '\r', undefined].includes(source[at]), `${JSON.stringify(source)} @${i}`);
        else assert.equal(source[at], expected, `${JSON.stringify(source)} @${i}`);
      }
      const lines = new LineIndex(source);
      for (const line of preamble.lines) {
        // A preamble line never spans two lines of the file.
        assert.equal(lines.lineOf(toSource(preamble, line.start)), lines.lineOf(toSource(preamble, Math.max(line.start, line.end - 1))));
      }
    }
  }
});

test('LineIndex: UTF-16 positions, CRLF line ends and byte columns', () => {
  const lines = new LineIndex('a\u00e9\u{1F600}b\r\nsecond\nthird');
  assert.equal(lines.lineCount, 3);
  assert.deepEqual(lines.positionAt(4), { line: 0, character: 4 });
  assert.equal(lines.lineText(0), 'a\u00e9\u{1F600}b');
  assert.equal(lines.lineEnd(0), 5);
  assert.equal(lines.byteColumn(4), 1 + 1 + 2 + 4);
  assert.equal(lines.offsetAt({ line: 1, character: 3 }), 10);
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 5);
  assert.equal(lines.eol, '\r\n');
});

test('a file model moved onto a new tree reads nothing through its old, freed tree', async () => {
  const engine = await testEngine();
  const text = 'package app\n\n// #include <stdio.h>\nimport "C"\n';
  const old = engine.parseGo(text);
  const file = buildCgoFile('/virtual/app/a.go', text, old, resolveTarget('linux', 'amd64', {}), engine.preambles);
  old.delete();
  const current = engine.parseGo(text);
  try {
    const moved = withTree(file, current);
    assert.equal(moved.tree, current);
    assert.equal(moved.packageName, 'app');
    assert.equal(moved.imports, file.imports);
  } finally {
    current.delete();
  }
});
