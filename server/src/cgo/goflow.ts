// Function-local Go data flow on tree-sitter-go trees, shared by the rules that follow a value
// through one function (cstring-leak, string-over-c-memory): which identifier means which local
// variable (Go's block scoping), the conversions around a pointer, C.name calls, and the import
// name of "unsafe". Rules stop following a value the moment its flow leaves what they can see:
// such code throws OutOfSight, and the rule says nothing.
import type { Node } from 'web-tree-sitter';
import { unsafeImport } from './goimports';

/** The flow left what a rule can see: say nothing about this value. */
export class OutOfSight extends Error {}

/**
 * A local variable: its name, the statement declaring it, and the statement list that statement
 * stands in. A parameter has no declaring statement; its scopeList is the function body's list.
 */
export interface LocalBinding {
  name: string;
  scopeList: Node;
  declaration: Node | undefined;
}

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

export function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal') return n;
  }
  return null;
}

export function enclosingFuncLiteral(node: Node, limit: Node): Node | undefined {
  for (let n = node.parent; n && !n.equals(limit); n = n.parent) if (n.type === 'func_literal') return n;
  return undefined;
}

/** Whether a statement declares `name` in the statement list it stands in. */
export function declares(stmt: Node, name: string): boolean {
  if (stmt.type === 'short_var_declaration') return (stmt.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.type === 'identifier' && n.text === name);
  if (stmt.type === 'var_declaration' || stmt.type === 'const_declaration') {
    return stmt.descendantsOfType(['var_spec', 'const_spec']).some((spec) => !!spec && spec.childrenForFieldName('name').some((n) => n?.text === name));
  }
  return false;
}

/** Whether `id` is a name that the statement `stmt` declares (`x := …`, `var x …`), as opposed to a use. */
export function isDeclaredName(id: Node, stmt: Node): boolean {
  if (stmt.type === 'short_var_declaration') return stmt.childForFieldName('left')?.namedChildren.some((n) => n?.equals(id)) === true;
  if (stmt.type === 'var_declaration') return id.parent?.type === 'var_spec' && id.parent.childrenForFieldName('name').some((n) => n?.equals(id));
  return false;
}

/** The nodes that open a scope for a name declared in them (other than statement lists). */
export function declaresInHeader(node: Node, name: string): boolean {
  switch (node.type) {
    case 'func_literal':
      return (
        node.childForFieldName('parameters')?.descendantsOfType('identifier').some((n) => n?.text === name && n.parent?.type === 'parameter_declaration') === true ||
        node.childForFieldName('result')?.descendantsOfType('identifier').some((n) => n?.text === name && n.parent?.type === 'parameter_declaration') === true
      );
    case 'if_statement':
    case 'for_statement':
    case 'expression_switch_statement':
    case 'type_switch_statement': {
      const init = node.childForFieldName('initializer');
      if (init && declares(init, name)) return true;
      if (node.type === 'type_switch_statement' && node.childForFieldName('alias')?.namedChildren.some((n) => n?.text === name)) return true;
      if (node.type === 'type_switch_statement' && node.childrenForFieldName('alias').some((n) => n?.text === name)) return true;
      const range = node.namedChildren.find((n) => n?.type === 'range_clause');
      if (range && range.text.includes(':=') && (range.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.text === name)) return true;
      const clause = node.namedChildren.find((n) => n?.type === 'for_clause');
      const clauseInit = clause?.childForFieldName('initializer');
      return !!clauseInit && declares(clauseInit, name);
    }
    case 'communication_case': {
      const comm = node.childForFieldName('communication');
      return comm?.type === 'receive_statement' && comm.text.includes(':=') && (comm.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.text === name);
    }
    default:
      return false;
  }
}

/** Whether the identifier `use` (named like the binding) means that variable; OutOfSight when a redeclaration in its own list makes it an assignment. */
export function refersToBinding(use: Node, binding: LocalBinding): boolean {
  for (let child: Node = use, node = use.parent; node; child = node, node = node.parent) {
    if (node.type === 'statement_list') {
      if (isDeclaredName(use, child)) {
        if (node.equals(binding.scopeList)) throw new OutOfSight();
        return false;
      }
      for (const sibling of node.namedChildren) {
        if (!sibling || sibling.startIndex >= child.startIndex) break;
        if (binding.declaration && sibling.equals(binding.declaration)) return true;
        if (declares(sibling, binding.name)) {
          // Redeclared in the variable's own list (`x, err := …`) is an assignment: unknown flow.
          if (node.equals(binding.scopeList)) throw new OutOfSight();
          return false;
        }
      }
      if (node.equals(binding.scopeList)) return binding.declaration === undefined;
    } else if (declaresInHeader(node, binding.name)) {
      // A use in the header's own value (`if x := f(x); …`) counts as shadowed too: rare, and
      // the cautious side.
      return false;
    }
  }
  return false;
}

/** A file's identifiers by name, in source order: one walk of the tree for all the values a rule follows. */
export class IdentifierIndex {
  private byName: Map<string, Node[]> | undefined;

  constructor(private readonly root: Node) {}

  /** The identifiers named `name` that start in [start, end). */
  within(name: string, start: number, end: number): Node[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const id of this.root.descendantsOfType('identifier')) {
        if (!id) continue;
        const list = this.byName.get(id.text);
        if (list) list.push(id);
        else this.byName.set(id.text, [id]);
      }
    }
    const ids = this.byName.get(name) ?? [];
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid].startIndex < start) lo = mid + 1;
      else hi = mid;
    }
    const out: Node[] = [];
    for (let i = lo; i < ids.length && ids[i].startIndex < end; i++) out.push(ids[i]);
    return out;
  }
}
