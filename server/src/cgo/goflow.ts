// Function-local Go data flow on tree-sitter-go trees, shared by the rules that follow a value
// through one function (cstring-leak, string-over-c-memory): which identifier means the variable
// followed (gobindings' resolution), the conversions around a pointer, C.name calls, and the
// import name of "unsafe". Rules stop following a value the moment its flow leaves what they can see:
// such code throws OutOfSight, and the rule says nothing.
import type { Node } from 'web-tree-sitter';
import type { Binding, GoBindings } from './gobindings';
import { unsafeImport } from './goimports';

/** The flow left what a rule can see: say nothing about this value. */
export class OutOfSight extends Error {}

/**
 * The name the file imports "unsafe" as (goimports' unsafeImport); undefined when no spec
 * names it; null for a `.` import, through which a bare Pointer(p) cannot be told from another.
 */
export function unsafeImportName(text: string): string | undefined | null {
  const unsafe = unsafeImport(text);
  return unsafe.dotted ? null : unsafe.named?.name;
}

export function isCSelector(node: Node): boolean {
  const operand = node.childForFieldName('operand');
  return node.type === 'selector_expression' && operand?.type === 'identifier' && operand.text === 'C' && !!node.childForFieldName('field');
}

export function cName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  return fn && isCSelector(fn) ? fn.childForFieldName('field')!.text : undefined;
}

/** Strips `unsafe.Pointer(…)`, `(*T)(…)` and parentheses around an expression, going up. */
export function outerConversion(node: Node, unsafeName: string | undefined): Node {
  let e = node;
  for (;;) {
    const parent = e.parent;
    if (parent?.type === 'parenthesized_expression') {
      e = parent;
      continue;
    }
    const call = parent?.type === 'argument_list' ? parent.parent : null;
    if (call?.type === 'call_expression' && parent!.namedChildCount === 1 && isPointerConversion(call.childForFieldName('function'), unsafeName)) {
      e = call;
      continue;
    }
    return e;
  }
}

/** `unsafe.Pointer` or a parenthesized pointer type `(*T)`. */
export function isPointerConversion(fn: Node | null, unsafeName: string | undefined): boolean {
  if (!fn) return false;
  if (fn.type === 'selector_expression') return unsafeName !== undefined && fn.childForFieldName('operand')?.text === unsafeName && fn.childForFieldName('field')?.text === 'Pointer';
  if (fn.type !== 'parenthesized_expression') return false;
  const inner = fn.namedChildren[0];
  return (inner?.type === 'unary_expression' && inner.childForFieldName('operator')?.text === '*') || inner?.type === 'pointer_type';
}

export function stripConversions(node: Node, unsafeName: string | undefined): string | undefined {
  let n: Node | null = node;
  for (;;) {
    if (!n) return undefined;
    if (n.type === 'identifier') return n.text;
    if (n.type === 'parenthesized_expression') n = n.namedChildren[0];
    else if (n.type === 'call_expression' && isPointerConversion(n.childForFieldName('function'), unsafeName) && n.childForFieldName('arguments')?.namedChildCount === 1) n = n.childForFieldName('arguments')!.namedChildren[0];
    else return undefined;
  }
}

export function enclosingFuncLiteral(node: Node, limit: Node): Node | undefined {
  for (let n = node.parent; n && !n.equals(limit); n = n.parent) if (n.type === 'func_literal') return n;
  return undefined;
}

/**
 * Whether the identifier `use` means the binding's variable (by gobindings' Go scoping);
 * OutOfSight when it declares the name again with `:=` in the variable's own scope, which
 * assigns it.
 */
export function refersToBinding(bindings: GoBindings, use: Node, binding: Binding): boolean {
  if (bindings.bindingOf(use) !== binding) return false;
  if (bindings.isRedeclaration(use)) throw new OutOfSight();
  return true;
}
