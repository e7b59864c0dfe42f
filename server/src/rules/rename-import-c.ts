// `import c "C"` (or `_`, `.`): cmd/cgo refuses it with `cannot rename import "C"`.
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../cgo/findings';
import type { CgoFile, CgoImport } from '../cgo/package';
import type { Rule, RuleFinding } from '../cgo/rule';
import { declaresName } from '../cgo/gosyntax';

export const renameImportC: Rule = {
  id: 'rename-import-c',
  defaultSeverity: 'error',
  scope: 'file',
  caughtBy: 'type-check',
  summary: 'import "C" cannot be renamed.',
  check({ pkg }) {
    const findings: RuleFinding[] = [];
    for (const file of pkg.files) {
      for (const imp of file.imports) {
        if (imp.name) findings.push(report(file, imp, imp.name));
      }
    }
    return findings;
  },
};

function report(file: CgoFile, imp: CgoImport, name: NonNullable<CgoImport['name']>): RuleFinding {
  // The name and the blanks after it: a comment between the name and "C" stays.
  const blanks = /^[ \t]*/.exec(file.text.slice(name.end, imp.path.start))![0].length;
  const removeName: TextEdit = { file: file.path, start: name.start, end: name.end + blanks, newText: '' };
  const fixes: Fix[] = [];
  let note = '';
  if (name.text === '_') {
    fixes.push({ title: 'Remove the _', preferred: true, edits: [removeName] });
  } else if (name.text === '.') {
    note = ' With a dot import, every C name used unqualified must become C.name; no automatic fix.';
  } else {
    const uses = qualifiedUses(file.tree.rootNode, name.text);
    if (declaresName(file.tree.rootNode, name.text)) {
      note = ` "${name.text}" is also declared in this file, so the uses are not rewritten automatically.`;
    } else {
      fixes.push({
        title: `Import "C" without a name and change ${name.text}.x to C.x`,
        preferred: true,
        edits: [removeName, ...uses.map((use) => ({ file: file.path, start: use.startIndex, end: use.endIndex, newText: 'C' }))],
      });
    }
  }
  return {
    file: file.path,
    start: name.start,
    end: imp.path.end,
    message: `cgo fails: cannot rename import "C". The C pseudo-package must be imported as plain import "C" and its names used as C.name.${note}`,
    fixes,
  };
}

/** The `c` of every `c.x` (selector or qualified type) in the file. */
function qualifiedUses(root: Node, name: string): Node[] {
  const uses: Node[] = [];
  for (const node of root.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!node) continue;
    const qualifier = node.type === 'selector_expression' ? node.childForFieldName('operand') : node.childForFieldName('package');
    if (qualifier && (qualifier.type === 'identifier' || qualifier.type === 'package_identifier') && qualifier.text === name) {
      uses.push(qualifier);
    }
  }
  return uses;
}

