// Go parses done a slice at a time in the background (trees for editor features, parsed while
// the server is idle): the same tree as one parse, and an abandoned parse leaves nothing behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testEngine } from '../support/engine';

const source = (n: number): string => `package p\n\n// #include <stdlib.h>\nimport "C"\n\n${Array.from({ length: n }, (_, i) => `func f${i}(x int) int {\n\treturn x + ${i}\n}\n`).join('\n')}`;

test('a parse in slices, resumed turn after turn, gives the tree of a single parse', async () => {
  const engine = await testEngine();
  const text = source(3000);
  let turns = 0;
  const sliced = await engine.parseGoInBackground(text, () => ++turns > 0, 0.2);
  const whole = engine.parseGo(text);
  try {
    assert.ok(sliced);
    assert.ok(turns > 1, `the parse took ${turns} turns`);
    assert.equal(sliced.rootNode.toString(), whole.rootNode.toString());
  } finally {
    sliced?.delete();
    whole.delete();
  }
});

test('an abandoned parse gives nothing, and the next one parses its own text from the start', async () => {
  const engine = await testEngine();
  assert.equal(await engine.parseGoInBackground(source(3000), () => false, 0.2), undefined);
  const other = 'package q\n\nfunc g() {}\n';
  const tree = await engine.parseGoInBackground(other, () => true);
  try {
    assert.equal(tree?.rootNode.text, other);
    assert.equal(tree?.rootNode.hasError, false);
  } finally {
    tree?.delete();
  }
});
