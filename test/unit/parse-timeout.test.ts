// A Go parse that runs past its limit is abandoned and reported, and the parser still works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, ParseTimeoutError } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import { resolveTarget } from '../../server/src/cgo/target';
import { rules } from '../../server/src/rules';

test('a parse past its time limit throws ParseTimeoutError naming the file; the next parse is whole', async () => {
  const grammars = await loadGrammars(defaultGrammarDir(__dirname));
  const hurried = new Engine(grammars, rules, 0);
  // -Wall and calls without arguments make wall-false-positive read the calls (up to Go 1.25): the Go tree is needed.
  const big = `package p\n\n// #cgo CFLAGS: -Wall\n// void f(void);\nimport "C"\n${'func f() { C.f() }\n'.repeat(20_000)}`;
  assert.throws(
    () => hurried.checkPackage('/virtual/p', [{ path: '/virtual/p/a.go', text: big }], { target: resolveTarget('linux', 'amd64', {}, 25) }),
    (error: unknown) => error instanceof ParseTimeoutError && error.file === '/virtual/p/a.go' && /abandoned/.test(error.message),
  );
  const patient = new Engine(grammars, rules);
  const tree = patient.parseGo(big);
  try {
    assert.equal(tree.rootNode.hasError, false);
    assert.equal(tree.rootNode.endIndex, big.length);
  } finally {
    tree.delete();
    hurried.dispose();
    patient.dispose();
  }
});
