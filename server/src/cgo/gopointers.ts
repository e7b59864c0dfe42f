// Which Go memory holds pointers, as the cgo pointer check sees it (runtime/cgocall.go,
// cgoCheckArg, Go 1.19.8 and 1.26.8): the shape of a Go type (from the package's own type
// declarations and from the Go types cmd/cgo gives C types), and what a Go expression puts in
// such memory (a Go pointer, C memory, nil, or something not seen here).
//
// What the check does with each kind, read in cgoCheckArg (both releases):
//   - a map or a channel anywhere in the memory panics, whatever its value;
//   - a pointer, unsafe.Pointer, slice, string, func or interface panics only when its value is
//     a Go pointer (cgoIsGoPointer: the Go heap or stack, or the data and bss sections that hold
//     pointers), and since Go 1.21 only when that memory is not pinned (isPinned);
//   - arrays and structs are walked element by element, field by field, in order;
//   - a C union is a byte array in Go (cmd/cgo gcc.go), so it holds no pointers for the check.
// A string literal lives in read-only data and a global without pointers in noptrdata/noptrbss:
// neither is a Go pointer to the check, so only values made at run time count.
import type { Node } from 'web-tree-sitter';
import type { CScope, CType } from './cdecl';
import { isPointerConversion } from './goflow';
import { goFields } from './goctypes';

/** cgoFormatErr's names for the kinds (Go 1.26.8). */
export type PointerKind = 'pointer' | 'unsafe pointer' | 'slice' | 'string' | 'func' | 'interface' | 'map' | 'channel';

export type GoShape =
  | { kind: 'scalar' }
  | { kind: 'unknown' }
  /** readOnly: a C pointer field to const memory (`const char *`): C only reads through it. */
  | { kind: PointerKind; readOnly?: true }
  | { kind: 'struct'; fields: { name: string; shape: GoShape }[] }
  | { kind: 'array'; of: GoShape; length: number | undefined };

/** One place in the memory that may hold a pointer, in the order cgoCheckArg visits it. */
export interface PointerSlot {
  /** Field path from the memory's start: `buf`, `hdr.next`; '' for the memory itself. */
  path: string;
  kind: PointerKind | 'unknown';
  /** A C field declared as a pointer to const memory. */
  readOnly?: true;
}

const scalar: GoShape = { kind: 'scalar' };
const unknown: GoShape = { kind: 'unknown' };

const goScalars = new Set([
  'bool', 'byte', 'rune', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'float32', 'float64', 'complex64', 'complex128',
]);

/** The package's own type declarations by name, read once from the syntax trees of its files. */
export class GoTypeDeclarations {
  readonly declared = new Map<string, Node>();
  /** Declared more than once (in files for different targets): not known here. */
  readonly ambiguous = new Set<string>();

  constructor(roots: readonly Node[]) {
    for (const root of roots) {
      for (const decl of root.namedChildren) {
        if (decl?.type !== 'type_declaration') continue;
        for (const spec of decl.namedChildren) {
          if (spec?.type !== 'type_spec' && spec?.type !== 'type_alias') continue;
          // Generic types are not followed.
          if (spec.childForFieldName('type_parameters')) continue;
          const name = spec.childForFieldName('name')?.text;
          const type = spec.childForFieldName('type');
          if (!name || !type) continue;
          if (this.declared.has(name)) this.ambiguous.add(name);
          this.declared.set(name, type);
        }
      }
    }
  }
}

/**
 * The shapes of Go types for one file: the package's own type declarations (from the files
 * that use C) and cgo's types C.x (through the file's C scope). A type it cannot see (another
 * package's, one declared in a function) is `unknown`.
 */
export class GoShapes {
  constructor(
    private readonly types: GoTypeDeclarations,
    private readonly scope: CScope,
    private readonly unsafeName: string | undefined,
  ) {}

  /** The shape of a Go type expression (a tree-sitter-go type node). */
  ofType(node: Node | null, depth = 0): GoShape {
    if (!node || depth > 16) return unknown;
    switch (node.type) {
      case 'parenthesized_type':
        return this.ofType(node.namedChildren[0] ?? null, depth + 1);
      case 'pointer_type':
        return { kind: 'pointer' };
      case 'slice_type':
        return { kind: 'slice' };
      case 'map_type':
        return { kind: 'map' };
      case 'channel_type':
        return { kind: 'channel' };
      case 'function_type':
        return { kind: 'func' };
      case 'interface_type':
        return { kind: 'interface' };
      case 'array_type': {
        const length = node.childForFieldName('length');
        const n = length?.type === 'int_literal' ? Number(length.text.replace(/_/g, '')) : undefined;
        return { kind: 'array', of: this.ofType(node.childForFieldName('element'), depth + 1), length: Number.isSafeInteger(n) ? n : undefined };
      }
      case 'struct_type': {
        const fields: { name: string; shape: GoShape }[] = [];
        const list = node.namedChildren.find((n) => n?.type === 'field_declaration_list');
        for (const field of list?.namedChildren ?? []) {
          if (field?.type !== 'field_declaration') continue;
          const type = field.childForFieldName('type');
          const shape = this.ofType(type, depth + 1);
          const names = field.childrenForFieldName('name').filter((n): n is Node => !!n);
          if (names.length === 0) {
            // An embedded field is named by its type's name.
            const base = type?.type === 'pointer_type' ? type.namedChildren[0] : type;
            const name = base?.type === 'qualified_type' ? base.childForFieldName('name')?.text : base?.text;
            if (!name) return unknown;
            fields.push({ name, shape });
          } else for (const name of names) fields.push({ name: name.text, shape });
        }
        return { kind: 'struct', fields };
      }
      case 'qualified_type': {
        const pkg = node.childForFieldName('package')?.text;
        const name = node.childForFieldName('name')?.text;
        if (!name) return unknown;
        if (pkg === 'C') return this.ofCName(name);
        if (pkg === this.unsafeName && name === 'Pointer') return { kind: 'unsafe pointer' };
        return unknown;
      }
      case 'type_identifier': {
        const name = node.text;
        if (this.types.ambiguous.has(name)) return unknown;
        const declared = this.types.declared.get(name);
        if (declared) return this.ofType(declared, depth + 1);
        if (goScalars.has(name)) return scalar;
        if (name === 'string') return { kind: 'string' };
        if (name === 'error' || name === 'any') return { kind: 'interface' };
        return unknown;
      }
      default:
        return unknown;
    }
  }

  /** The shape of cgo's Go type for `C.name`. */
  ofCName(name: string): GoShape {
    if (/^(?:struct|union|enum)_/.test(name)) {
      const [kind, tag] = [name.slice(0, name.indexOf('_')), name.slice(name.indexOf('_') + 1)];
      if (kind === 'union') return scalar;
      if (kind === 'enum') return scalar;
      const record = this.scope.tags.get(`struct ${tag}`);
      return record ? this.ofC(record) : unknown;
    }
    const decl = this.scope.names.get(name);
    if (decl?.kind === 'typedef' && decl.type) return this.ofC(decl.type);
    // C.int, C.char, ...: cgo's basic types.
    if (/^(?:u?(?:char|short|int|long|longlong)|schar|float|double|_Bool|complexfloat|complexdouble)$/.test(name)) return scalar;
    // size_t, uint64_t, ...: typedefs of integers even where no header was read.
    if (/^u?int(?:8|16|32|64|ptr|max)?_t$|^s?size_t$|^ptrdiff_t$|^off_t$/.test(name)) return scalar;
    return unknown;
  }

  /** The shape of cgo's Go type for a C type (gotypes.ts: void* is unsafe.Pointer, T* is *T, T[N] is [N]T). */
  ofC(type: CType, depth = 0): GoShape {
    if (depth > 16) return unknown;
    const t = this.scope.resolve(type);
    switch (t.kind) {
      case 'void':
      case 'builtin':
      case 'enum':
      case 'function':
        return scalar;
      case 'typedef':
        // A typedef the scope cannot resolve (from a header that was not read).
        return /^u?int(?:8|16|32|64|ptr|max)?_t$|^s?size_t$/.test(t.name) ? scalar : unknown;
      case 'pointer':
        return { kind: this.scope.resolve(t.to).kind === 'void' ? 'unsafe pointer' : 'pointer', ...(t.toConst ? { readOnly: true as const } : {}) };
      case 'array':
        return { kind: 'array', of: this.ofC(t.of, depth + 1), length: t.length };
      case 'record': {
        if (t.union) return scalar;
        if (!t.fields) return unknown;
        const fields: { name: string; shape: GoShape }[] = [];
        // cmd/cgo's Go fields (bit fields left out); an anonymous member is not followed.
        for (const { goName, field, anonymous } of goFields(t)) {
          if (anonymous) return unknown;
          fields.push({ name: goName, shape: this.ofC(field.type, depth + 1) });
        }
        return { kind: 'struct', fields };
      }
    }
  }
}

/** Whether memory of this shape may hold a pointer (cmd/cgo's hasPointer: what it cannot see, it assumes may). */
export function mayHoldPointers(shape: GoShape): boolean {
  switch (shape.kind) {
    case 'scalar':
      return false;
    case 'struct':
      return shape.fields.some((f) => mayHoldPointers(f.shape));
    case 'array':
      return mayHoldPointers(shape.of);
    default:
      return true;
  }
}

/**
 * The places of memory of this shape that may hold pointers, in cgoCheckArg's order. Array
 * elements are one slot each up to a few (`[0]`, `[1]`); a longer array is one `[*]` slot.
 */
export function pointerSlots(shape: GoShape, path = '', out: PointerSlot[] = [], depth = 0): PointerSlot[] {
  if (depth > 8) {
    out.push({ path, kind: 'unknown' });
    return out;
  }
  switch (shape.kind) {
    case 'scalar':
      return out;
    case 'unknown':
      out.push({ path, kind: 'unknown' });
      return out;
    case 'struct':
      for (const f of shape.fields) pointerSlots(f.shape, path ? `${path}.${f.name}` : f.name, out, depth + 1);
      return out;
    case 'array':
      if (!mayHoldPointers(shape.of)) return out;
      if (shape.length !== undefined && shape.length <= 8) for (let i = 0; i < shape.length; i++) pointerSlots(shape.of, `${path}[${i}]`, out, depth + 1);
      else out.push({ path: `${path}[*]`, kind: 'unknown' });
      return out;
    default:
      out.push({ path, kind: shape.kind, ...('readOnly' in shape && shape.readOnly ? { readOnly: true as const } : {}) });
      return out;
  }
}

/** What a value stored in Go memory is, for the pointer check. */
export type StoredValue =
  /** A pointer to Go memory made at run time (never nil). */
  | 'go'
  /** Not a Go pointer: nil, C memory, a constant. */
  | 'safe'
  /** Not seen here. */
  | 'unknown';

export interface ValueContext {
  unsafeName: string | undefined;
  /** Whether an identifier names a local variable of the function (not a global, not a parameter). */
  isLocal(identifier: Node): boolean;
  /** Whether a local slice or array always has Go memory behind it (an array, make, a literal, []byte(s)). */
  isGoBacked(identifier: Node): boolean;
  /** Whether `fields` of the local reach a place inside its own memory: struct fields all the way, no pointer to follow. */
  isOwnField(identifier: Node, fields: readonly string[]): boolean;
}

/** C functions that return C memory (or nothing a Go pointer check sees). */
const cAllocators = new Set(['CString', 'CBytes', 'malloc', 'calloc', 'realloc', 'strdup']);

/**
 * What an expression stored in a pointer-holding place puts there. `go` only for forms that
 * always make a Go pointer: `&local`, `&local.f` (a field of the local's own struct, not one
 * behind a pointer, which may be C memory), `&local[i]` of a Go slice or array, `&T{…}`,
 * `new(T)`, and conversions of those to unsafe.Pointer or *T (not `&global`: a global without
 * pointers is in noptrbss, not a Go pointer to the check); `safe` for nil, C's allocators, and
 * conversions of those.
 */
export function storedValue(expr: Node | null, ctx: ValueContext, depth = 0): StoredValue {
  if (!expr || depth > 8) return 'unknown';
  switch (expr.type) {
    case 'nil':
      return 'safe';
    case 'parenthesized_expression':
      return storedValue(expr.namedChildren[0] ?? null, ctx, depth + 1);
    case 'unary_expression': {
      if (expr.childForFieldName('operator')?.text !== '&') return 'unknown';
      const operand = expr.childForFieldName('operand');
      if (operand?.type === 'composite_literal') return 'go';
      const base = addressBase(operand);
      if (!base) return 'unknown';
      if (base.kind === 'variable') return ctx.isLocal(base.node) && (base.fields.length === 0 || ctx.isOwnField(base.node, base.fields)) ? 'go' : 'unknown';
      // `&b[i]` that does not panic has an element: Go memory when b's is.
      return ctx.isLocal(base.node) && ctx.isGoBacked(base.node) ? 'go' : 'unknown';
    }
    case 'call_expression': {
      const fn = expr.childForFieldName('function');
      const args = expr.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n) ?? [];
      if (fn?.type === 'identifier' && fn.text === 'new' && args.length === 1) return 'go';
      if (fn?.type === 'selector_expression') {
        const operand = fn.childForFieldName('operand')?.text;
        const field = fn.childForFieldName('field')?.text;
        if (operand === 'C' && field && cAllocators.has(field)) return 'safe';
      }
      if (args.length === 1 && isPointerConversion(fn, ctx.unsafeName)) return storedValue(args[0], ctx, depth + 1);
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** `x`, `x.f.g` (a variable, and the fields) or `x[i]` (an element of x): the variable x. */
function addressBase(node: Node | null): { kind: 'variable' | 'element'; node: Node; fields: string[] } | undefined {
  let n = node;
  let kind: 'variable' | 'element' = 'variable';
  const fields: string[] = [];
  if (n?.type === 'index_expression') {
    kind = 'element';
    n = n.childForFieldName('operand');
  }
  while (n?.type === 'selector_expression' && kind === 'variable') {
    fields.unshift(n.childForFieldName('field')?.text ?? '');
    n = n.childForFieldName('operand');
  }
  if (n?.type !== 'identifier') return undefined;
  return { kind, node: n, fields };
}

