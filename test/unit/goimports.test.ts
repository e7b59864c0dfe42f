// The import scanner against tree-sitter-go: on random file heads that parse without errors,
// the scanner finds the import declarations, specs, names and paths the tree holds, at the same
// offsets; on any text it never throws and every span lies inside the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Node } from 'web-tree-sitter';
import { importDeclarations, importsEndWithin } from '../../server/src/cgo/goimports';
import { testEngine } from '../support/engine';

const pieces = [
  'package p', 'package p;', 'import', '(', ')', ';', ' ', '\t', '\n', '\r\n', '"C"', '"fmt"', '`C`', '"a/b"', 'c', '_', '.', 'x ',
  '// #include <stdio.h>\n', '/* x */', '/*\nint y;\n*/', '// caf\u00e9\n', 'func f() {}\n', 'var v = "import \\"C\\""\n', 'const s = `\nimport "C"\n`\n',
];

const headArb = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((parts) => parts.join(''));

/** What tree-sitter-go says: each import declaration with its specs. */
function fromTree(root: Node): unknown[] {
  return root.namedChildren
    .filter((n): n is Node => n?.type === 'import_declaration')
    .map((decl) => {
      const list = decl.namedChildren.find((n) => n?.type === 'import_spec_list') ?? undefined;
      const specs = (list ?? decl).namedChildren.filter((n): n is Node => n?.type === 'import_spec');
      return {
        decl: [decl.startIndex, decl.endIndex],
        specList: list ? [list.startIndex, list.endIndex] : undefined,
        specs: specs.map((spec) => {
          const name = spec.childForFieldName('name');
          const path = spec.childForFieldName('path')!;
          return { spec: [spec.startIndex, spec.endIndex], name: name?.text, path: [path.startIndex, path.endIndex, path.text] };
        }),
      };
    });
}

test('the import scanner finds what tree-sitter-go finds in heads without syntax errors', async () => {
  const engine = await testEngine();
  let compared = 0;
  fc.assert(
    fc.property(headArb, (head) => {
      const text = `package p\n${head.replace(/^package p;?/, '')}`;
      const tree = engine.parseGo(text);
      try {
        // go/parser rejects imports after other declarations, tree-sitter does not: compare files where they agree.
        const root = tree.rootNode;
        const firstOther = root.namedChildren.findIndex((n, i) => !!n && !(['import_declaration', 'comment'].includes(n.type) || (i === 0 && n.type === 'package_clause')));
        if (root.hasError || (firstOther >= 0 && root.namedChildren.slice(firstOther).some((n) => n?.type === 'import_declaration'))) return;
        compared++;
        const ours = importDeclarations(text).map(({ decl, specList, specs }) => ({
          decl: [decl.start, decl.end],
          specList: specList ? [specList.start, specList.end] : undefined,
          specs: specs.map(({ spec, name, path }) => ({ spec: [spec.start, spec.end], name: name?.text, path: [path.start, path.end, path.text] })),
        }));
        assert.deepEqual(ours, fromTree(root), JSON.stringify(text));
      } finally {
        tree.delete();
      }
    }),
    { numRuns: 2000, seed: 20261122 },
  );
  assert.ok(compared > 300, `only ${compared} heads parsed cleanly`);
});

test('the import scanner never throws and keeps every span inside the text', () => {
  fc.assert(
    fc.property(fc.oneof(headArb, fc.string({ maxLength: 40 })), (text) => {
      for (const { decl, specList, specs } of importDeclarations(text)) {
        for (const span of [decl, specList, ...specs.flatMap((s) => [s.spec, s.name, s.path])]) {
          if (span) assert.ok(span.start >= 0 && span.start <= span.end && span.end <= text.length, JSON.stringify(text));
        }
      }
    }),
    { numRuns: 2000, seed: 20261122 },
  );
});

test('a head that importsEndWithin accepts holds every import of the whole file', () => {
  fc.assert(
    fc.property(headArb, headArb, fc.nat(), (head, rest, cut) => {
      const text = head + rest;
      const prefix = text.slice(0, cut % (text.length + 1));
      if (!importsEndWithin(prefix)) return;
      assert.deepEqual(importDeclarations(prefix), importDeclarations(text));
    }),
    { numRuns: 2000 },
  );
});
