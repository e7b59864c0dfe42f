// The C type of Go code written against a preamble, as cmd/cgo reads it: what `C.name` stands
// for as a type, the C type a Go type expression names (C.T, *C.T, [N]C.T), the C type of a
// Go expression where it is plainly one (declared with C types in the same file), and the Go
// names cgo gives a C struct's fields. Hover, definition and the rules ask it.
import type { Node } from 'web-tree-sitter';
import type { CField, CScope, CType } from './cdecl';
import { GoBindings } from './gobindings';
import { goKeywords } from './golex';
import { cNameOf, cgoBasicTypeNames } from './gotypes';

/** Names cdecl reads as primitive types (tree-sitter-c treats them so) that cgo calls C.name. */
const primitiveTypedefs = new Set([
  'size_t', 'ssize_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'wchar_t', 'char16_t', 'char32_t', 'off_t',
]);

/** Whether `C.<goName>` is a C basic type with no declaration: cgo's names, or a typedef C reads as primitive. */
export function isCBasicName(goName: string): boolean {
  return (cgoBasicTypeNames as readonly string[]).includes(goName) || primitiveTypedefs.has(goName);
}

/** The C type `C.<goName>` stands for as a type. */
export function cTypeForGoName(goName: string, scope: CScope): CType | undefined {
  const decl = scope.names.get(goName);
  if (decl?.kind === 'typedef') return { kind: 'typedef', name: goName };
  const tag = /^(struct|union|enum)_(.+)$/.exec(goName);
  if (tag) {
    const known = scope.tags.get(`${tag[1]} ${tag[2]}`);
    if (known) return known;
    return tag[1] === 'enum' ? { kind: 'enum', tag: tag[2], constants: undefined } : { kind: 'record', union: tag[1] === 'union', tag: tag[2], fields: undefined, id: -1 };
  }
  if (goName === 'void') return { kind: 'void' };
  if (isCBasicName(goName)) return { kind: 'builtin', name: cNameOf(goName) };
  return undefined;
}

/** cgo's Go names for the fields of a C struct: keywords get a leading `_`, anonymous members are anon0, anon1, … */
export function goFields(record: Extract<CType, { kind: 'record' }>): { goName: string; field: CField; anonymous: boolean }[] {
  const result: { goName: string; field: CField; anonymous: boolean }[] = [];
  let anon = 0;
  for (const field of record.fields ?? []) {
    if (field.bitWidth !== undefined) continue;
    if (field.name === undefined) result.push({ goName: `anon${anon++}`, field, anonymous: true });
    else result.push({ goName: goKeywords.has(field.name) ? `_${field.name}` : field.name, field, anonymous: false });
  }
  return result;
}

/** The C type of a Go expression, where it is plainly one (declared with C types in the same file). */
export function cTypeOfExpression(node: Node, scope: CScope, bindings = new GoBindings(node.tree.rootNode)): CType | undefined {
  return exprType(node, scope, 0, bindings);
}

function exprType(node: Node, scope: CScope, depth: number, bindings: GoBindings): CType | undefined {
  if (depth > 16) return undefined;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? exprType(inner, scope, depth + 1, bindings) : undefined;
    }
    case 'identifier':
      return identifierType(node, scope, depth, bindings);
    case 'unary_expression': {
      const operand = node.childForFieldName('operand');
      const op = node.childForFieldName('operator')?.text ?? node.children[0]?.text;
      if (!operand) return undefined;
      const type = exprType(operand, scope, depth + 1, bindings);
      if (!type) return undefined;
      if (op === '&') return { kind: 'pointer', to: type };
      if (op === '*') {
        const resolved = scope.resolve(type);
        return resolved.kind === 'pointer' ? resolved.to : undefined;
      }
      return undefined;
    }
    case 'selector_expression': {
      const operand = node.childForFieldName('operand');
      const field = node.childForFieldName('field');
      if (!operand || !field) return undefined;
      if (operand.type === 'identifier' && operand.text === 'C') {
        const decl = scope.names.get(field.text);
        return decl?.kind === 'variable' ? decl.type : undefined;
      }
      const base = exprType(operand, scope, depth + 1, bindings);
      if (!base) return undefined;
      let owner = scope.resolve(base);
      if (owner.kind === 'pointer') owner = scope.resolve(owner.to);
      if (owner.kind !== 'record') return undefined;
      return goFields(owner).find((f) => f.goName === field.text)?.field.type;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (!fn) return undefined;
      if (fn.type === 'selector_expression') {
        const operand = fn.childForFieldName('operand');
        const name = fn.childForFieldName('field')?.text;
        if (operand?.text !== 'C' || !name) return undefined;
        const decl = scope.names.get(name);
        if (decl?.kind === 'function' && decl.type?.kind === 'function') return decl.type.returns;
        if (name === 'CString') return { kind: 'pointer', to: { kind: 'builtin', name: 'char' } };
        // A conversion: C.size_t(n), C.Animal(x).
        return cTypeForGoName(name, scope);
      }
      // (*C.T)(p)
      if (fn.type === 'parenthesized_expression') {
        const inner = fn.namedChildren[0];
        if (inner?.type === 'unary_expression') {
          const target = inner.childForFieldName('operand');
          if (target?.type === 'selector_expression' && target.childForFieldName('operand')?.text === 'C') {
            const to = cTypeForGoName(target.childForFieldName('field')?.text ?? '', scope);
            return to ? { kind: 'pointer', to } : undefined;
          }
        }
        return inner ? cTypeOfGoType(inner, scope) : undefined;
      }
      return undefined;
    }
    case 'composite_literal': {
      const type = node.childForFieldName('type');
      return type ? cTypeOfGoType(type, scope) : undefined;
    }
    case 'index_expression': {
      const operand = node.childForFieldName('operand');
      const type = operand ? exprType(operand, scope, depth + 1, bindings) : undefined;
      const resolved = type ? scope.resolve(type) : undefined;
      return resolved?.kind === 'array' ? resolved.of : undefined;
    }
    default:
      return undefined;
  }
}

/** The C type a Go type expression names (C.T, *C.T, [N]C.T). */
export function cTypeOfGoType(node: Node, scope: CScope): CType | undefined {
  switch (node.type) {
    case 'qualified_type': {
      if (node.childForFieldName('package')?.text !== 'C') return undefined;
      const name = node.childForFieldName('name')?.text;
      return name ? cTypeForGoName(name, scope) : undefined;
    }
    case 'pointer_type': {
      const inner = node.namedChildren[0];
      const to = inner ? cTypeOfGoType(inner, scope) : undefined;
      return to ? { kind: 'pointer', to } : undefined;
    }
    case 'array_type': {
      const element = node.childForFieldName('element');
      const of = element ? cTypeOfGoType(element, scope) : undefined;
      const length = Number(node.childForFieldName('length')?.text);
      return of ? { kind: 'array', of, length: Number.isInteger(length) ? length : undefined } : undefined;
    }
    case 'parenthesized_type': {
      const inner = node.namedChildren[0];
      return inner ? cTypeOfGoType(inner, scope) : undefined;
    }
    default:
      return undefined;
  }
}

/** The C type of a variable, parameter or constant, from its declaration: the best guess that hover and definition show. */
function identifierType(ident: Node, scope: CScope, depth: number, bindings: GoBindings): CType | undefined {
  const b = bindings.bindingOf(ident);
  if (!b || !(b.kind === 'var' || b.kind === 'const' || b.kind === 'parameter' || b.kind === 'receiver' || b.kind === 'result')) return undefined;
  if (b.type) return cTypeOfGoType(b.type, scope);
  if (b.stmt.type.endsWith('parameter_declaration')) return undefined;
  // `r, err := C.f()`: the first is the result, the second errno.
  const value = b.values.length === 1 ? (b.index === 0 ? b.values[0] : undefined) : b.value;
  return value ? exprType(value, scope, depth + 1, bindings) : undefined;
}
