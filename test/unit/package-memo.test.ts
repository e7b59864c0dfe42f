// What a check with a PackageMemo runs again. A file-scoped rule's findings on a file stand while
// the file, the package's flags and, when the rule read it, the file's preprocessed view stay: in
// a package of 5,000 files, the check after the first must not run every rule on every cgo file
// once more, and a header edit must re-run only the files whose rules read a view.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import { PackageMemo } from '../../server/src/cgo/packageMemo';
import type { Rule } from '../../server/src/cgo/rule';
import { resolveTarget } from '../../server/src/cgo/target';

const target = resolveTarget('linux', 'amd64', {});
const dir = '/virtual/memo';
const header = `${dir}/api.h`;
// One file's rule reads its includes (and so its view); the other's looks at its Go text only.
const reads = `${dir}/reads.go`;
const ignores = `${dir}/ignores.go`;
const sources = [
  { path: reads, text: 'package memo\n\n// #include "api.h"\nimport "C"\n\nfunc A() int { return int(C.api()) }\n' },
  { path: ignores, text: 'package memo\n\n// #include "api.h"\nimport "C"\n\nfunc B() int { return int(C.api()) }\n' },
];

test('a memo check runs a file-scoped rule again only on a file whose text changed, or whose view it read and that changed', async () => {
  const runs: string[] = [];
  const spy: Rule = {
    id: 'spy-rule',
    defaultSeverity: 'warning',
    summary: 'notes each file it runs on; reads the includes of reads.go only',
    scope: 'file',
    check: (ctx) => {
      for (const file of ctx.pkg.files) {
        runs.push(file.path.slice(dir.length + 1));
        if (file.path === reads) ctx.includes(file);
      }
      return [];
    },
  };
  const engine = new Engine(await loadGrammars(defaultGrammarDir(__dirname)), [spy]);
  let headerText = 'int api(void);\n';
  const readText = (file: string): string | undefined => (file === header ? headerText : undefined);
  const memo = new PackageMemo();
  const check = (files = sources): string[] => {
    runs.length = 0;
    engine.checkPackage(dir, files, { target, readText, memo });
    return [...runs].sort();
  };
  try {
    assert.deepEqual(check(), ['ignores.go', 'reads.go'], 'the first check runs the rule on every file');
    assert.deepEqual(check(), [], 'nothing changed: nothing runs');
    headerText = 'int api(void);\nint more(void);\n';
    assert.deepEqual(check(), ['reads.go'], 'the header changed: only the file whose view was read');
    assert.deepEqual(check(), [], 'and after that, nothing again');
    const edited = [sources[0], { ...sources[1], text: `${sources[1].text}// edited\n` }];
    assert.deepEqual(check(edited), ['ignores.go'], 'an edited file runs again');
    assert.deepEqual(check(edited), []);
  } finally {
    engine.dispose();
  }
});
