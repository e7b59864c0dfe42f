// A project header is read once for the files of a package that include the same text of it,
// and replayed for the others: each file's C scope must come out as if read on its own.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CScope, CType } from '../../server/src/cgo/cdecl';
import { Engine } from '../../server/src/cgo/engine';
import { buildCgoFile } from '../../server/src/cgo/package';
import { resolveTarget } from '../../server/src/cgo/target';
import { rules } from '../../server/src/rules';
import { testEngine } from '../support/engine';

const dir = '/virtual/readings';
const target = resolveTarget('linux', 'amd64', {});
const headers: Record<string, string> = {
  // Reads nothing of its includer: the same declarations wherever it is included.
  'shared.h': '#pragma once\ntypedef struct { int a[4]; } shared;\nenum { SHARED_MAX = 16 };\nint shared_len(const shared *s);\n',
  // Its array's size is the includer's N, and its own bound comes from shared.h.
  'box.h': '#include "shared.h"\ntypedef struct { int v[N]; char name[SHARED_MAX]; } box;\nvoid box_put(box *b, int i);\n',
};
const readText = (file: string): string | undefined => headers[path.relative(dir, file)];

function preamble(n: number): string {
  return `package p\n\n/*\nenum { N = ${n} };\n#include "box.h"\n*/\nimport "C"\n`;
}

/** A scope's names and tags as plain data: the record ids each reading draws are left out. */
function plain(scope: CScope): unknown {
  const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' ? undefined : v)));
  return strip({ names: [...scope.names].sort(([a], [b]) => a.localeCompare(b)), tags: [...scope.tags].sort(([a], [b]) => a.localeCompare(b)) });
}

function fieldType(scope: CScope, typedef: string, field: string): CType | undefined {
  const type = scope.names.get(typedef)?.type;
  return type?.kind === 'record' ? type.fields?.find((f) => f.name === field)?.type : undefined;
}

test('files including the same header get what reading it alone gives: replayed where nothing before it changes it, read anew where it does', async () => {
  const shared = await testEngine();
  const languages = { go: shared.goParser.language!, c: shared.cParser.language! };
  const engine = new Engine(languages, rules);
  const scopeOf = (of: Engine, name: string, n: number): CScope => {
    const text = preamble(n);
    const tree = of.parseGo(text);
    try {
      const file = buildCgoFile(path.join(dir, name), text, tree, target, of.preambles);
      return of.fileScope(file, { dirs: [dir], flags: [], target }, readText).scope;
    } finally {
      tree.delete();
    }
  };
  try {
    const two = scopeOf(engine, 'a.go', 2);
    const three = scopeOf(engine, 'b.go', 3);
    assert.deepEqual(fieldType(two, 'box', 'v'), { kind: 'array', of: { kind: 'builtin', name: 'int' }, length: 2 });
    assert.deepEqual(fieldType(three, 'box', 'v'), { kind: 'array', of: { kind: 'builtin', name: 'int' }, length: 3 });
    assert.deepEqual(fieldType(three, 'box', 'name'), { kind: 'array', of: { kind: 'builtin', name: 'char' }, length: 16 });
    // shared.h was replayed into b.go's scope: the very declarations a.go's reading made.
    assert.equal(three.names.get('shared_len'), two.names.get('shared_len'));
    assert.notEqual(three.names.get('box'), two.names.get('box'));
    // Each scope is what an engine that never saw the other file reads.
    for (const [name, n, scope] of [['a.go', 2, two], ['b.go', 3, three]] as const) {
      const alone = new Engine(languages, rules);
      try {
        assert.deepEqual(plain(scope), plain(scopeOf(alone, name, n)), name);
      } finally {
        alone.dispose();
      }
    }
  } finally {
    engine.dispose();
  }
});
