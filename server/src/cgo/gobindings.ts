// Which declaration a Go identifier refers to, where that is certain, read off the tree-sitter-go
// tree: a name the enclosing function declares once (twice, or hidden by a local type or
// function, and it is given up), else a var of the file's top level; and whether a variable
// changes after its declaration. What may be unsure answers undefined: a rule that acts on a
// binding must never act on the wrong one.
import type { Node } from 'web-tree-sitter';
import { unparen } from './gosyntax';

export interface Binding {
  name: string;
  /** The identifier that declares the name. */
  ident: Node;
  /** The declaring statement: short_var_declaration, var_declaration or parameter_declaration. */
  stmt: Node;
  type: Node | undefined;
  value: Node | undefined;
  /** Where the name is visible (a block, an if/for/switch, the function, the file). */
  scope: Node;
  /** The function (or file) searched for uses and assignments. */
  body: Node;
}

/** The single declaration `name` refers to at `at`, or undefined when unsure. */
export function lookupBinding(root: Node, name: string, at: Node): Binding | undefined {
  let fn: Node | null = null;
  for (let n: Node | null = at.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration') fn = n;
  }
  if (fn) {
    const found = declarationsIn(fn, name);
    if (found.length > 1) return undefined;
    if (found.length === 1) {
      const b = found[0];
      const visible = b.scope.startIndex <= at.startIndex && at.endIndex <= b.scope.endIndex && (b.stmt.type === 'parameter_declaration' || b.stmt.endIndex <= at.startIndex);
      return visible ? b : undefined;
    }
  }
  // Package level: a var declared in this file.
  const top = declarationsIn(root, name, true);
  return top.length === 1 ? top[0] : undefined;
}

/** Whether the variable is assigned after its declaration, or its address taken. */
export function reassigned(b: Binding, allowAddress: boolean): boolean {
  for (const node of b.body.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement', 'unary_expression'])) {
    if (!node) continue;
    if (node.type === 'unary_expression') {
      if (!allowAddress && node.childForFieldName('operator')?.text === '&' && unparen(node.childForFieldName('operand'))?.text === b.name) return true;
      continue;
    }
    const targets = node.type === 'assignment_statement' ? node.childForFieldName('left')?.namedChildren ?? [] : [node.namedChildren[0]];
    if (targets.some((t) => unparen(t ?? null)?.type === 'identifier' && unparen(t ?? null)?.text === b.name)) return true;
  }
  return false;
}

/** Every declaration of `name` inside `root` (a function, or the file's top level). */
function declarationsIn(root: Node, name: string, topLevelOnly = false): Binding[] {
  const found: Binding[] = [];
  const body = root;
  if (topLevelOnly) {
    for (const decl of root.namedChildren) {
      if (decl?.type !== 'var_declaration') continue;
      for (const spec of specsOf(decl)) {
        const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
        const ident = names.find((n) => n.text === name);
        if (!ident) continue;
        const values = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => !!n) ?? [];
        found.push({ name, ident, stmt: decl, type: spec.childForFieldName('type') ?? undefined, value: names.length === values.length ? values[names.indexOf(ident)] : undefined, scope: root, body: root });
      }
    }
    return found;
  }
  const kinds = ['short_var_declaration', 'var_declaration', 'const_declaration', 'parameter_declaration', 'variadic_parameter_declaration', 'range_clause', 'type_switch_statement', 'receive_statement', 'function_declaration', 'method_declaration', 'type_declaration'];
  for (const node of root.descendantsOfType(kinds)) {
    if (!node) continue;
    switch (node.type) {
      case 'short_var_declaration':
      case 'range_clause':
      case 'receive_statement': {
        const left = node.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
        const ident = left.find((n) => n.type === 'identifier' && n.text === name);
        if (!ident) break;
        if (node.type !== 'short_var_declaration') {
          found.push({ name, ident, stmt: node, type: undefined, value: undefined, scope: scopeOf(node), body });
          break;
        }
        const right = node.childForFieldName('right')?.namedChildren.filter((n): n is Node => !!n) ?? [];
        found.push({ name, ident, stmt: node, type: undefined, value: left.length === right.length ? right[left.indexOf(ident)] : undefined, scope: scopeOf(node), body });
        break;
      }
      case 'var_declaration':
      case 'const_declaration':
        for (const spec of specsOf(node)) {
          const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
          const ident = names.find((n) => n.text === name);
          if (!ident) continue;
          const values = spec.childForFieldName('value')?.namedChildren.filter((n): n is Node => !!n) ?? [];
          found.push({ name, ident, stmt: node, type: spec.childForFieldName('type') ?? undefined, value: names.length === values.length ? values[names.indexOf(ident)] : undefined, scope: scopeOf(node), body });
        }
        break;
      case 'parameter_declaration':
      case 'variadic_parameter_declaration': {
        const ident = node.childrenForFieldName('name').find((n) => n?.text === name);
        if (!ident) break;
        let fn: Node | null = node.parent;
        while (fn && !['function_declaration', 'method_declaration', 'func_literal', 'method_elem', 'function_type'].includes(fn.type)) fn = fn.parent;
        if (!fn || fn.type === 'method_elem' || fn.type === 'function_type') break;
        found.push({ name, ident, stmt: node, type: node.childForFieldName('type') ?? undefined, value: undefined, scope: fn, body });
        break;
      }
      case 'type_switch_statement': {
        const ident = node.childForFieldName('alias')?.namedChildren.find((n) => n?.text === name);
        if (ident) found.push({ name, ident, stmt: node, type: undefined, value: undefined, scope: node, body });
        break;
      }
      default: {
        // A local type or function of that name hides the variable too.
        const ident = node.childForFieldName('name');
        if (ident?.text === name && node !== root) found.push({ name, ident, stmt: node, type: undefined, value: undefined, scope: node, body });
        for (const spec of node.type === 'type_declaration' ? node.namedChildren : []) {
          if (spec?.childForFieldName('name')?.text === name) found.push({ name, ident: spec, stmt: node, type: undefined, value: undefined, scope: scopeOf(node), body });
        }
      }
    }
  }
  return found;
}

export function specsOf(decl: Node): Node[] {
  const out: Node[] = [];
  for (const child of decl.namedChildren) {
    if (!child) continue;
    if (child.type === 'var_spec' || child.type === 'const_spec') out.push(child);
    else if (child.type === 'var_spec_list' || child.type === 'const_spec_list') out.push(...specsOf(child));
  }
  return out;
}

/** Where a local declaration is visible: the if/for/switch it initialises, else its block. */
function scopeOf(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'communication_case'].includes(n.type)) return n;
    if (n.type === 'block' || n.type === 'expression_case' || n.type === 'type_case' || n.type === 'default_case' || n.type === 'source_file') return n;
  }
  return node;
}

export function identifierUses(root: Node, name: string): Node[] {
  return root.descendantsOfType('identifier').filter((n): n is Node => !!n && n.text === name);
}
