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

/** Go's integer types, by name. */
export const goIntegerTypes: ReadonlySet<string> = new Set(['int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'uint32', 'rune', 'int64', 'uint64', 'int', 'uint', 'uintptr']);

export function unparen(node: Node | null): Node | null {
  let n = node;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'parenthesized_type')) n = n.namedChildren.find((c) => c?.type !== 'comment') ?? null;
  return n;
}

/** An integer constant expression of literals: `8`, `0x10`, `4 + 4`, `uintptr(8)`. */
export function constValue(node: Node | null | undefined): number | undefined {
  const n = unparen(node ?? null);
  if (!n) return undefined;
  switch (n.type) {
    case 'int_literal': {
      const t = n.text.replace(/_/g, '').toLowerCase();
      const v = t.startsWith('0x') ? parseInt(t.slice(2), 16) : t.startsWith('0b') ? parseInt(t.slice(2), 2) : t.startsWith('0o') ? parseInt(t.slice(2), 8) : /^0\d/.test(t) ? parseInt(t.slice(1), 8) : Number(t);
      return Number.isSafeInteger(v) ? v : undefined;
    }
    case 'unary_expression': {
      const v = constValue(n.childForFieldName('operand'));
      const op = n.childForFieldName('operator')?.text;
      return v === undefined ? undefined : op === '-' ? -v : op === '+' ? v : undefined;
    }
    case 'binary_expression': {
      const l = constValue(n.childForFieldName('left'));
      const r = constValue(n.childForFieldName('right'));
      if (l === undefined || r === undefined) return undefined;
      switch (n.childForFieldName('operator')?.text) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '<<': return r < 32 ? l * 2 ** r : undefined;
        default: return undefined;
      }
    }
    case 'call_expression': {
      const fn = n.childForFieldName('function');
      const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
      return fn?.type === 'identifier' && goIntegerTypes.has(fn.text) && args.length === 1 ? constValue(args[0]) : undefined;
    }
    default:
      return undefined;
  }
}
