// Small questions about a Go syntax tree that several rules ask.
import type { Node } from 'web-tree-sitter';

const declaringNodes = [
  'short_var_declaration',
  'var_spec',
  'const_spec',
  'parameter_declaration',
  'range_clause',
  'function_declaration',
  'method_declaration',
  'type_spec',
  'type_alias',
];

/** Whether the file declares `name` anywhere (so some `name.x` may not mean the import). */
export function declaresName(root: Node, name: string): boolean {
  for (const node of root.descendantsOfType(declaringNodes)) {
    if (!node) continue;
    const names =
      node.type === 'short_var_declaration' || node.type === 'range_clause'
        ? (node.childForFieldName('left')?.namedChildren ?? [])
        : node.childrenForFieldName('name');
    if (names.some((n) => n?.text === name)) return true;
  }
  return false;
}

/**
 * The top-level import declarations of a file, in order. Each starts with the keyword, so only
 * where the text spells `import` is the tree asked: a large file has thousands of top-level
 * nodes, and visiting each through the wasm bridge costs more than the rest of a check.
 */
export function importDeclarations(root: Node, text: string): Node[] {
  const result: Node[] = [];
  for (const match of text.matchAll(/\bimport\b/g)) {
    const decl = root.firstNamedChildForIndex(match.index);
    if (decl?.type === 'import_declaration' && decl.startIndex === match.index) result.push(decl);
  }
  return result;
}
