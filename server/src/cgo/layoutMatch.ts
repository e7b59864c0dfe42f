// Whether a Go pointer conversion reads or writes a C member whole: Go types as written in
// conversions (C names, Go's sized types, unsafe.Pointer), their sizes on the target, and the C
// type a getter or setter of the member may be declared with so that the Go side keeps the
// type it had. The member itself is found by cgo/layout.ts.
import type { Node } from 'web-tree-sitter';
import { typeToC, type CScope, type CType } from './cdecl';
import { cTypeForGoName } from './goctypes';
import { constValue, goIntegerTypes, unparen } from './gosyntax';
import { goType } from './gotypes';
import { isFloatType, isIntegerType, layoutOf, type LayoutTarget } from './layout';

/** A Go type as written in a conversion or a declaration. */
export type GoType =
  | { kind: 'c'; name: string }
  | { kind: 'go'; name: string }
  | { kind: 'unsafePointer' }
  | { kind: 'pointer'; to: GoType }
  | { kind: 'array'; length: number | undefined; of: GoType };

const goSizes: Record<string, number> = {
  int8: 1, uint8: 1, byte: 1, bool: 1,
  int16: 2, uint16: 2,
  int32: 4, uint32: 4, rune: 4, float32: 4,
  int64: 8, uint64: 8, int: 8, uint: 8, uintptr: 8, float64: 8, complex64: 8,
  complex128: 16,
};
const goFloats = new Set(['float32', 'float64']);

/** How the getter/setter is typed and how the Go side keeps its original type. */
export interface Plan {
  cType: CType;
  wrapRead(call: string): string;
  wrapWrite(value: string): string;
}

export function goTypeOf(node: Node | null | undefined, unsafeName: string): GoType | undefined {
  const n = unparen(node ?? null);
  if (!n) return undefined;
  switch (n.type) {
    case 'identifier':
    case 'type_identifier':
      return { kind: 'go', name: n.text };
    case 'selector_expression':
    case 'qualified_type': {
      const pkg = n.type === 'selector_expression' ? n.childForFieldName('operand') : n.childForFieldName('package');
      const name = n.type === 'selector_expression' ? n.childForFieldName('field') : n.childForFieldName('name');
      if (!pkg || !name) return undefined;
      if (pkg.text === 'C') return { kind: 'c', name: name.text };
      if (pkg.text === unsafeName && name.text === 'Pointer') return { kind: 'unsafePointer' };
      return undefined;
    }
    case 'unary_expression': {
      if (n.childForFieldName('operator')?.text !== '*') return undefined;
      const to = goTypeOf(n.childForFieldName('operand'), unsafeName);
      return to && { kind: 'pointer', to };
    }
    case 'pointer_type': {
      const to = goTypeOf(n.namedChildren[0], unsafeName);
      return to && { kind: 'pointer', to };
    }
    case 'array_type': {
      const of = goTypeOf(n.childForFieldName('element'), unsafeName);
      const length = constValue(n.childForFieldName('length'));
      return of && { kind: 'array', length, of };
    }
    default:
      return undefined;
  }
}

export function goTypeText(t: GoType, unsafeName: string): string {
  switch (t.kind) {
    case 'c':
      return `C.${t.name}`;
    case 'go':
      return t.name;
    case 'unsafePointer':
      return `${unsafeName}.Pointer`;
    case 'pointer':
      return `*${goTypeText(t.to, unsafeName)}`;
    case 'array':
      return `[${t.length ?? '?'}]${goTypeText(t.of, unsafeName)}`;
  }
}

/** The C side of Go types, in one file's C scope on one target. */
export class LayoutMatcher {
  constructor(
    private readonly scope: CScope,
    private readonly target: LayoutTarget,
    private readonly unsafeName: string,
  ) {}

  /**
   * `C.name` as cmd/cgo reads it (`C.uint` is `unsigned int`, `C.struct_foo` is `struct foo`).
   * A name nothing the scope read declares is a typedef of a header it does not read
   * (sys/types.h…), which layout.ts sizes by name.
   */
  cTypeOfName(name: string): CType | undefined {
    const known = cTypeForGoName(name, this.scope);
    return known || this.scope.names.has(name) ? known : { kind: 'typedef', name };
  }

  /** The C type a Go type stands for, when it is written with C names only (`*C.char`). */
  cTypeOfGo(t: GoType): CType | undefined {
    switch (t.kind) {
      case 'c':
        return this.cTypeOfName(t.name);
      case 'unsafePointer':
        return { kind: 'pointer', to: { kind: 'void' } };
      case 'pointer': {
        const to = this.cTypeOfGo(t.to);
        return to && { kind: 'pointer', to };
      }
      default:
        return undefined;
    }
  }

  goSize(t: GoType): number | undefined {
    switch (t.kind) {
      case 'go':
        return goSizes[t.name];
      case 'c': {
        const c = this.cTypeOfName(t.name);
        return c && layoutOf(c, this.scope, this.target)?.size;
      }
      case 'unsafePointer':
      case 'pointer':
        return 8;
      case 'array': {
        const element = this.goSize(t.of);
        return element === undefined || t.length === undefined ? undefined : element * t.length;
      }
    }
  }

  /**
   * How cgo names a C type in Go (`C.uint64_t`, `*C.char`), where the getter's value is
   * converted to or from it; undefined for what no numeric or pointer conversion reaches:
   * C._Bool (Go's bool), anonymous enums, arrays, functions.
   */
  goSpelling(t: CType): string | undefined {
    if (!convertible(t, this.scope)) return undefined;
    const go = goType(t, { scope: this.scope, unsafeName: this.unsafeName });
    return go.ok ? go.text : undefined;
  }

  /** How to read `fieldType` so that the call has the Go type `pointee`; undefined when no safe way. */
  plan(pointee: GoType, fieldType: CType): Plan | undefined {
    const scope = this.scope;
    const fieldSize = layoutOf(fieldType, scope, this.target)?.size;
    const asC = this.cTypeOfGo(pointee);
    const same = (x: string): string => x;
    if (asC) {
      // The getter returns the C type the code converted to: the call has that very Go type.
      if (!cCompatible(asC, fieldType, scope, this.target)) return undefined;
      if (spell(asC) === undefined) return undefined;
      return { cType: asC, wrapRead: same, wrapWrite: same };
    }
    // A Go type: the getter returns the member's own C type, converted on the Go side.
    const goField = this.goSpelling(fieldType);
    if (spell(fieldType) === undefined || goField === undefined) return undefined;
    const text = goTypeText(pointee, this.unsafeName);
    if (pointee.kind === 'go') {
      const size = goSizes[pointee.name];
      if (size === undefined || size !== fieldSize) return undefined;
      const numeric = (goIntegerTypes.has(pointee.name) && isIntegerType(fieldType, scope)) || (goFloats.has(pointee.name) && isFloatType(fieldType, scope));
      if (!numeric) return undefined;
      return { cType: fieldType, wrapRead: (call) => `${text}(${call})`, wrapWrite: (v) => `${goField}(${v})` };
    }
    if (pointee.kind === 'pointer' && scope.resolve(fieldType).kind === 'pointer') {
      const u = `${this.unsafeName}.Pointer`;
      return { cType: fieldType, wrapRead: (call) => `(${text})(${u}(${call}))`, wrapWrite: (v) => `(${goField})(${u}(${v}))` };
    }
    return undefined;
  }
}

/** How C spells a type, or undefined for an anonymous struct/union/enum. */
export function spell(t: CType): string | undefined {
  const s = typeToC(t);
  return s.includes('{…}') || t.kind === 'function' ? undefined : s;
}

export function describeType(t: CType): string {
  return typeToC(t).replace('{…}', '{...}');
}

/**
 * Whether `return p->member;` with the declared type `to` (and `p->member = v;` back) keeps
 * every bit without a cast or a warning: the same type, integers of one size, the same
 * floating type, compatible pointers.
 */
function cCompatible(to: CType, member: CType, scope: CScope, target: LayoutTarget): boolean {
  const a = scope.resolve(to);
  const b = scope.resolve(member);
  const sizeA = layoutOf(a, scope, target)?.size;
  const sizeB = layoutOf(b, scope, target)?.size;
  if (a.kind === 'record' || b.kind === 'record') {
    if (a.kind !== 'record' || b.kind !== 'record' || a.union !== b.union) return false;
    return a === b || (a.tag !== undefined && a.tag === b.tag);
  }
  if (a.kind === 'pointer' || b.kind === 'pointer') {
    if (a.kind !== 'pointer' || b.kind !== 'pointer') return false;
    const ta = scope.resolve(a.to);
    const tb = scope.resolve(b.to);
    return ta.kind === 'void' || tb.kind === 'void' || sameType(ta, tb, scope);
  }
  if (sizeA === undefined || sizeA !== sizeB) return false;
  if (isIntegerType(a, scope) && isIntegerType(b, scope)) return true;
  if (isFloatType(a, scope) && isFloatType(b, scope)) return a.kind === 'builtin' && b.kind === 'builtin' && a.name === b.name;
  return sameType(a, b, scope);
}

function sameType(a: CType, b: CType, scope: CScope): boolean {
  const x = scope.resolve(a);
  const y = scope.resolve(b);
  if (x === y) return true;
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'builtin':
    case 'typedef':
      return x.name === (y as typeof x).name;
    case 'pointer':
      return sameType(x.to, (y as typeof x).to, scope);
    case 'record':
      return x.tag !== undefined && x.tag === (y as typeof x).tag && x.union === (y as typeof x).union;
    case 'enum':
      return x.tag !== undefined && x.tag === (y as typeof x).tag;
    case 'void':
      return true;
    default:
      return false;
  }
}

function convertible(t: CType, scope: CScope): boolean {
  switch (t.kind) {
    case 'typedef':
      return true;
    case 'builtin':
      return t.name !== '_Bool' && t.name !== 'bool';
    case 'record':
    case 'enum':
      return t.tag !== undefined;
    case 'pointer':
      return scope.resolve(t.to).kind === 'void' || convertible(t.to, scope);
    default:
      return false;
  }
}
