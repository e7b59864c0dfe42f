// Next to gopls (the Go extension), a finding gopls also reports on the same line becomes a hint:
// one squiggle, ours still carrying the quick fix. Seen with gopls itself: `gopls check` says
// `main.go:4:8-9: cannot rename import "C"` for the file below.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileUri, packageDir, withServer } from '../support/lspClient';

const renamed = 'package main\n\n// #define ONE 1\nimport c "C"\n\nfunc main() { println(c.ONE) }\n';

for (const goplsRuns of [false, true]) {
  test(`rename-import-c is ${goplsRuns ? 'a hint next to gopls' : 'an error without gopls'}, with its fix either way`, async () => {
    await withServer({ pull: true, initializationOptions: { goplsRuns } }, async (client) => {
      const uri = fileUri(packageDir({ 'main.go': renamed }), 'main.go');
      client.open(uri, renamed);
      const [diagnostic] = await client.pull(uri);
      assert.equal(diagnostic.code, 'rename-import-c');
      assert.equal(diagnostic.severity, goplsRuns ? 4 : 1);
      assert.deepEqual(diagnostic.range.start, { line: 3, character: 7 });
      const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
      assert.deepEqual(actions.map((a) => a.title), ['Import "C" without a name and change c.x to C.x', 'Ignore here…']);
    });
  });
}
