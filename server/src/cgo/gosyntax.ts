// Small questions about a Go syntax tree that several rules ask.
import type { Node } from 'web-tree-sitter';

/** What may stand between two Go tokens, for regular expressions over Go text: spaces and comments. */
export const goGap = String.raw`(?:\s|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*`;

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
