// The Go names cmd/cgo gives C types, for Go code that is written next to a preamble (wrappers,
// aliases). This follows cmd/cgo/gcc.go (Go 1.19), typeConv.loadType, FuncArg and FuncType:
//   - basic types are C.char, C.schar, C.uchar, C.short, C.ushort, C.int, C.uint, C.long,
//     C.ulong, C.longlong, C.ulonglong, C.float, C.double, C._Bool, C.complexfloat,
//     C.complexdouble (dwarfToName and nameToC); `long double` and 128-bit integers have no
//     usable Go type (cgo stops with "unexpected: 16-byte float type");
//   - a typedef name T is C.T (size_t, uint64_t, ... are typedefs too);
//   - `struct s`, `union u`, `enum e` are C.struct_s, C.union_u, C.enum_e; a struct or union
//     without a tag has no Go name of its own (only through a typedef);
//   - void* (through typedefs and qualifiers) is unsafe.Pointer; any other T* is *T;
//   - a function type is [0]byte, so a function pointer is *[0]byte;
//   - T[N] is [N]T;
//   - qualifiers (const, volatile) are dropped;
//   - as a function parameter, arrays and functions decay to pointers (gcc's DWARF already
//     says so), and a typedef of a non-void pointer type is replaced by that pointer type
//     (FuncArg: "simulate a little of the laxness of C");
//   - a function returning void has no result.
// Every mapping here is checked against the real toolchain in test/unit/gotypes.test.ts.
import type { CScope, CType } from './cdecl';
import { goKeywords } from './golex';

export type GoTypeResult = { ok: true; text: string; usesUnsafe: boolean } | { ok: false; reason: string };

export interface GoTypeOptions {
  /** Resolves typedefs and incomplete tags (void pointers behind typedefs, pointer typedef parameters). */
  scope?: CScope;
  /** How package unsafe is named in the file the Go text goes to. Default: unsafe. */
  unsafeName?: string;
}

/** C basic type spellings (canonical, as cdecl writes them) → cgo's Go name after `C.`. */
const basicNames: ReadonlyMap<string, string> = new Map([
  ['char', 'char'],
  ['signed char', 'schar'],
  ['unsigned char', 'uchar'],
  ['short', 'short'],
  ['unsigned short', 'ushort'],
  ['int', 'int'],
  ['unsigned int', 'uint'],
  ['long', 'long'],
  ['unsigned long', 'ulong'],
  ['long long', 'longlong'],
  ['unsigned long long', 'ulonglong'],
  ['float', 'float'],
  ['double', 'double'],
  ['_Bool', '_Bool'],
]);

/** cmd/cgo's nameToC: Go names after `C.` that stand for a C spelling with spaces. */
const nameToC: ReadonlyMap<string, string> = new Map([
  ['schar', 'signed char'],
  ['uchar', 'unsigned char'],
  ['ushort', 'unsigned short'],
  ['uint', 'unsigned int'],
  ['ulong', 'unsigned long'],
  ['longlong', 'long long'],
  ['ulonglong', 'unsigned long long'],
  ['complexfloat', 'float _Complex'],
  ['complexdouble', 'double _Complex'],
]);

/**
 * Names `C.x` can use with no declaration in any preamble: C's basic types under cgo's
 * names. (`C.void` also exists: the "result" of a void function in `_, err := C.f()`.)
 */
export const cgoBasicTypeNames: readonly string[] = [
  'char', 'schar', 'uchar', 'short', 'ushort', 'int', 'uint', 'long', 'ulong', 'longlong', 'ulonglong',
  'float', 'double', '_Bool', 'complexfloat', 'complexdouble', 'void',
];

/** The functions cgo itself provides (cmd/cgo/out.go's builtinProlog), with their Go signatures. */
export interface CgoBuiltinFunction {
  params: { name: string; type: string }[];
  result: string;
  usesUnsafe: boolean;
}

export const cgoBuiltinFunctions: Readonly<Record<string, CgoBuiltinFunction>> = {
  CString: { params: [{ name: 's', type: 'string' }], result: '*C.char', usesUnsafe: false },
  CBytes: { params: [{ name: 'b', type: '[]byte' }], result: 'unsafe.Pointer', usesUnsafe: true },
  GoString: { params: [{ name: 's', type: '*C.char' }], result: 'string', usesUnsafe: false },
  GoStringN: { params: [{ name: 's', type: '*C.char' }, { name: 'n', type: 'C.int' }], result: 'string', usesUnsafe: false },
  GoBytes: { params: [{ name: 'p', type: 'unsafe.Pointer' }, { name: 'n', type: 'C.int' }], result: '[]byte', usesUnsafe: true },
};

/** C.malloc as cmd/cgo defines it (out.go's cMallocDef, 1.19 and 1.26.8: `func _Cfunc__CMalloc(n _Ctype_size_t) unsafe.Pointer`). */
const cgoMalloc: CgoBuiltinFunction = { params: [{ name: 'n', type: 'C.size_t' }], result: 'unsafe.Pointer', usesUnsafe: true };

/**
 * The functions `C.x` names without any preamble declaration, with their Go signatures: cgo's
 * own, and C.malloc, which cmd/cgo (ast.go, 1.19 and 1.26.8) rewrites to its own _CMalloc.
 */
export function cgoOwnFunction(goName: string): CgoBuiltinFunction | undefined {
  if (goName === 'malloc') return cgoMalloc;
  return Object.hasOwn(cgoBuiltinFunctions, goName) ? cgoBuiltinFunctions[goName] : undefined;
}

export function isCgoOwnFunction(goName: string): boolean {
  return cgoOwnFunction(goName) !== undefined;
}

/** cmd/cgo's cname: the C spelling of the name after `C.` (`uint` → `unsigned int`, `struct_s` → `struct s`). */
export function cNameOf(goName: string): string {
  const mapped = nameToC.get(goName);
  if (mapped) return mapped;
  for (const kind of ['struct', 'union', 'enum']) {
    if (goName.startsWith(`${kind}_`)) return `${kind} ${goName.slice(kind.length + 1)}`;
  }
  if (goName.startsWith('sizeof_')) return `sizeof(${cNameOf(goName.slice('sizeof_'.length))})`;
  return goName;
}

/** cgo's Go name (after `C.`) of a C basic type, or undefined when cgo has none usable. */
export function cgoBasicName(cName: string): string | undefined {
  return basicNames.get(cName);
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(reason: string): GoTypeResult {
  return { ok: false, reason };
}

function resolve(type: CType, options: GoTypeOptions): CType {
  return options.scope ? options.scope.resolve(type) : type;
}

/** The Go type of a C type where it is the type of a variable, a field, or a function result. */
export function goType(type: CType, options: GoTypeOptions = {}): GoTypeResult {
  return goTypeAt(type, options, 0);
}

function goTypeAt(type: CType, options: GoTypeOptions, depth: number): GoTypeResult {
  if (depth > 32) return fail('the type is too deeply nested');
  const unsafeName = options.unsafeName ?? 'unsafe';
  switch (type.kind) {
    case 'void':
      return { ok: true, text: 'C.void', usesUnsafe: false };
    case 'builtin': {
      const basic = basicNames.get(type.name);
      if (basic) return { ok: true, text: `C.${basic}`, usesUnsafe: false };
      if (type.name === 'long double') return fail('cgo has no Go type for long double ("unexpected: 16-byte float type")');
      if (/__int128|_Complex|complex/.test(type.name)) return fail(`cgo-lint does not map the C type ${type.name}`);
      // tree-sitter-c reads size_t, uint64_t, ... as primitive types; for cgo they are typedefs.
      if (identifier.test(type.name)) return { ok: true, text: `C.${type.name}`, usesUnsafe: false };
      return fail(`cgo-lint does not map the C type ${type.name}`);
    }
    case 'typedef':
      // cmd/cgo's two special typedef names for Go's string and []byte.
      if (type.name === '_GoString_') return { ok: true, text: 'string', usesUnsafe: false };
      if (type.name === '_GoBytes_') return { ok: true, text: '[]byte', usesUnsafe: false };
      return { ok: true, text: `C.${type.name}`, usesUnsafe: false };
    case 'record':
      if (!type.tag) return fail(`an anonymous ${type.union ? 'union' : 'struct'} has no Go name (give it a tag or a typedef)`);
      return { ok: true, text: `C.${type.union ? 'union' : 'struct'}_${type.tag}`, usesUnsafe: false };
    case 'enum': {
      if (type.tag) return { ok: true, text: `C.enum_${type.tag}`, usesUnsafe: false };
      // An anonymous enum is its integer type: signed when a value is negative (gcc.go, EnumType).
      const values = type.constants?.map((c) => c.value);
      if (!values || values.some((v) => v === undefined)) return fail('the values of an anonymous enum are unknown');
      const signed = values.some((v) => (v as number) < 0);
      const wide = values.some((v) => (signed ? (v as number) < -(2 ** 31) || (v as number) >= 2 ** 31 : (v as number) >= 2 ** 32));
      return { ok: true, text: `${signed ? 'int' : 'uint'}${wide ? 64 : 32}`, usesUnsafe: false };
    }
    case 'pointer': {
      if (resolve(type.to, options).kind === 'void') return { ok: true, text: `${unsafeName}.Pointer`, usesUnsafe: true };
      const to = goTypeAt(type.to, options, depth + 1);
      return to.ok ? { ok: true, text: `*${to.text}`, usesUnsafe: to.usesUnsafe } : to;
    }
    case 'array': {
      if (type.length === undefined) return fail('the array length is unknown');
      const of = goTypeAt(type.of, options, depth + 1);
      return of.ok ? { ok: true, text: `[${type.length}]${of.text}`, usesUnsafe: of.usesUnsafe } : of;
    }
    case 'function':
      // A function type has no size: an opaque [0]byte (so a function pointer is *[0]byte).
      return { ok: true, text: '[0]byte', usesUnsafe: false };
  }
}

/** The Go type of a C function parameter of this type, as cgo declares C.f's parameter. */
export function goParamType(type: CType, options: GoTypeOptions = {}): GoTypeResult {
  const resolved = resolve(type, options);
  if (resolved.kind === 'array') {
    const of = goType(resolved.of, options);
    if (!of.ok) return of;
    return resolve(resolved.of, options).kind === 'void' ? fail('an array of void') : { ok: true, text: `*${of.text}`, usesUnsafe: of.usesUnsafe };
  }
  if (resolved.kind === 'function') return { ok: true, text: '*[0]byte', usesUnsafe: false };
  if (type.kind === 'typedef' && resolved.kind === 'pointer' && resolve(resolved.to, options).kind !== 'void') {
    return goType(resolved, options);
  }
  return goType(type, options);
}

export interface GoSignature {
  params: { name: string; type: string }[];
  /** undefined for a C function returning void. */
  result: string | undefined;
  usesUnsafe: boolean;
}

/**
 * The Go signature of `C.f` for a C function type: parameter names from C where they make
 * good Go names (never one of `avoid`), else p0, p1, ...
 */
export function goSignature(fn: Extract<CType, { kind: 'function' }>, options: GoTypeOptions = {}, avoid: readonly string[] = []): { ok: true; signature: GoSignature } | { ok: false; reason: string } {
  if (fn.variadic) return { ok: false, reason: 'it is variadic, and cgo cannot call variadic C functions' };
  const params: GoSignature['params'] = [];
  let usesUnsafe = false;
  const taken = new Set<string>(['C', '_', options.unsafeName ?? 'unsafe', ...avoid]);
  // An unprototyped `f()` takes no parameters as far as cgo is concerned.
  const cParams = fn.unprototyped ? [] : fn.params;
  for (const [i, param] of cParams.entries()) {
    const type = goParamType(param.type, options);
    if (!type.ok) return { ok: false, reason: `parameter ${i + 1}: ${type.reason}` };
    usesUnsafe ||= type.usesUnsafe;
    let name = param.name && identifier.test(param.name) && !goKeywords.has(param.name) && !taken.has(param.name) ? param.name : `p${i}`;
    while (taken.has(name)) name = `${name}_`;
    taken.add(name);
    params.push({ name, type: type.text });
  }
  let result: string | undefined;
  // gcc.go FuncType: a result that is void (through typedefs and qualifiers) is no result.
  if (resolve(fn.returns, options).kind !== 'void') {
    const type = goType(fn.returns, options);
    if (!type.ok) return { ok: false, reason: `result: ${type.reason}` };
    usesUnsafe ||= type.usesUnsafe;
    result = type.text;
  }
  return { ok: true, signature: { params, result, usesUnsafe } };
}
