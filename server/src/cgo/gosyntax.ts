// Small questions about a Go syntax tree that several rules ask.
import type { Node } from 'web-tree-sitter';
import type { CgoFile } from './package';

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

export interface GoCUse {
  name: string;
  /** The whole `C.name` in the .go file. */
  start: number;
  end: number;
  /** `C.name(...)`: a call, as opposed to a value or a type. */
  isCall: boolean;
}

/** Every `C.name` of a file (selectors and qualified types), in source order. */
export function goUsesOfC(file: CgoFile): GoCUse[] {
  const uses: GoCUse[] = [];
  for (const node of file.tree.rootNode.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!node) continue;
    const isSelector = node.type === 'selector_expression';
    const qualifier = isSelector ? node.childForFieldName('operand') : node.childForFieldName('package');
    const name = isSelector ? node.childForFieldName('field') : node.childForFieldName('name');
    if (!qualifier || !name || qualifier.text !== 'C' || !(qualifier.type === 'identifier' || qualifier.type === 'package_identifier')) continue;
    const parent = node.parent;
    const isCall = isSelector && parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id;
    uses.push({ name: name.text, start: node.startIndex, end: node.endIndex, isCall });
  }
  return uses.sort((a, b) => a.start - b.start);
}
