// A C struct or union member read or written through a hand-computed unsafe offset:
//
//     cat_ptr := unsafe.Pointer(&cat)                     // cat := C.animal_make_cat()
//     cat_name_len_ptr := unsafe.Add(unsafe.Add(cat_ptr, 8), 8)
//     fmt.Println(*(*C.uint64_t)(cat_name_len_ptr))
//
// cgo shows Go a C union as an opaque [N]byte, so people do the C compiler's work by hand.
// The rule follows `unsafe.Add(p, N)` and `unsafe.Pointer(uintptr(p) + N)` (through variables
// bound once with :=/var) back to `unsafe.Pointer(&x)` or `unsafe.Pointer(p)` where x has a C
// record type (declared `var x C.T`, `x := C.T{…}`, a parameter, or `x := C.f(…)` with f's C
// result type) or p points to one, computes the C layout (cgo/layout.ts) and names the member
// the offset lands on. The fix adds a static inline getter/setter to the file's preamble and
// calls it, keeping the Go type of the original expression; variables and the unsafe import
// left unused are removed.
import type { Node } from 'web-tree-sitter';
import { typeToC, type CScope, type CType } from '../cgo/cdecl';
import type { Fix, TextEdit } from '../cgo/findings';
import { importDeclarations, type Span } from '../cgo/goimports';
import { goGap } from '../cgo/gosyntax';
import { accessPath, fieldAt, fieldContaining, fieldsAt, isFloatType, isIntegerType, layoutOf, layoutSupported, type FieldStep, type LayoutTarget } from '../cgo/layout';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from './rule';

export const unionUnsafeOffset: Rule = {
  id: 'union-unsafe-offset',
  defaultSeverity: 'warning',
  scope: 'file',
  summary: 'A C union or struct member read or written through a hand-computed unsafe offset.',
  check(ctx) {
    const target: LayoutTarget = { goarch: ctx.pkg.target.goarch, goos: ctx.pkg.target.goos };
    if (!layoutSupported(target)) return [];
    const findings: RuleFinding[] = [];
    for (const file of ctx.pkg.files) {
      // The import path is "unsafe" or `unsafe`: a file never spelling it cannot import it.
      if (file.imports.length === 0 || !file.text.includes('unsafe') || !file.included) continue;
      const unsafeImport = findUnsafeImport(file.text);
      if (!unsafeImport || !mayComputeOffset(file.text, unsafeImport.name)) continue;
      new FileCheck(ctx, file, target, unsafeImport, findings).run();
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------
// Go types as written in conversions and declarations.

type GoType =
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
const goIntegers = new Set(['int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'uint32', 'rune', 'int64', 'uint64', 'int', 'uint', 'uintptr']);
const goFloats = new Set(['float32', 'float64']);

/** cmd/cgo's names for C's basic types (gcc.go nameToC), plus the ones spelled the same. */
const cgoBasicNames: Record<string, string> = {
  schar: 'signed char',
  uchar: 'unsigned char',
  ushort: 'unsigned short',
  uint: 'unsigned int',
  ulong: 'unsigned long',
  longlong: 'long long',
  ulonglong: 'unsigned long long',
  char: 'char',
  short: 'short',
  int: 'int',
  long: 'long',
  float: 'float',
  double: 'double',
};
const goNameOfBasic: Record<string, string> = Object.fromEntries(Object.entries(cgoBasicNames).map(([go, c]) => [c, go]));

// ---------------------------------------------------------------------------------------------

interface Binding {
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

interface Base {
  /** The record, resolved. */
  record: Extract<CType, { kind: 'record' }>;
  /** How C spells the record (`Animal`, `struct animal`); undefined for an anonymous type. */
  spelling: string | undefined;
  /** Go expression of the record's address at the base: `&cat` or `p`. */
  arg: string;
  /** The variable behind `arg`. */
  binding: Binding;
}

interface Chain {
  base: Base;
  offset: number;
  /** How many additions the offset took (0: the record's own address). */
  steps: number;
  /** Intermediate unsafe.Pointer variables, from the use back to the base. */
  vars: Binding[];
}

interface Conversion {
  node: Node;
  pointee: GoType | undefined;
  operand: Node;
}

/** How the getter/setter is typed and how the Go side keeps its original type. */
interface Plan {
  cType: CType;
  wrapRead(call: string): string;
  wrapWrite(value: string): string;
}

/**
 * Whether the text has what an offset is computed with, `unsafe.Add` or `uintptr` (what
 * evalPointer and evalUintptr follow): most files convert pointers only to pass them to C, and
 * then need no parse of their Go code.
 */
function mayComputeOffset(text: string, unsafeName: string): boolean {
  return /\buintptr\b/.test(text) || new RegExp(String.raw`\b${unsafeName}${goGap}\.${goGap}Add\b`, 'u').test(text);
}

class FileCheck {
  private scopeCache: CScope | undefined;
  private readonly root: Node;
  private readonly text: string;
  private readonly unsafeName: string;

  constructor(
    private readonly ctx: RuleContext,
    private readonly file: CgoFile,
    private readonly target: LayoutTarget,
    private readonly unsafeImport: UnsafeImport,
    private readonly findings: RuleFinding[],
  ) {
    this.root = file.tree.rootNode;
    this.text = file.text;
    this.unsafeName = unsafeImport.name;
  }

  private get scope(): CScope {
    return (this.scopeCache ??= this.ctx.cScope(this.file));
  }

  run(): void {
    const conversions: Conversion[] = [];
    for (const node of this.root.descendantsOfType(['call_expression', 'type_conversion_expression'])) {
      if (!node) continue;
      const conv = this.pointerConversion(node);
      if (conv) conversions.push(conv);
    }
    if (conversions.length === 0) return;
    let attributesChecked = false;
    for (const conv of conversions) {
      const chain = this.evalPointer(conv.operand, 0);
      if (!chain || chain.steps === 0) continue;
      if (!attributesChecked) {
        attributesChecked = true;
        if (this.layoutAttributes()) return;
      }
      const finding = this.report(conv, chain);
      if (finding) this.findings.push(finding);
    }
  }

  /**
   * Whether the preamble or a header it reads uses something that changes layout and that
   * the C model does not record (packed, aligned, _Alignas, #pragma pack): then say nothing.
   */
  private layoutAttributes(): boolean {
    const texts: string[] = [];
    for (const imp of this.file.imports) if (imp.preamble) texts.push(imp.preamble.text);
    for (const header of this.ctx.includes(this.file).headers) texts.push(header.text);
    const re = /__attribute__\s*\(\([^;{}]*?\b(?:__)?(?:packed|aligned)(?:__)?\b|\b_Alignas\b|\balignas\s*\(|#\s*pragma\s+pack\b|__declspec\s*\(\s*align|\[\[\s*(?:gnu::)?(?:packed|aligned)/;
    return texts.some((t) => re.test(t));
  }

  // ------------------------------------------------------------------ syntax helpers

  private pointerConversion(node: Node): Conversion | undefined {
    if (node.type === 'type_conversion_expression') {
      const type = unparen(node.childForFieldName('type'));
      const operand = node.childForFieldName('operand');
      if (type?.type !== 'pointer_type' || !operand) return undefined;
      return { node, pointee: this.goType(type.namedChildren[0]), operand };
    }
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'parenthesized_expression') return undefined;
    const star = unparen(fn);
    if (star?.type !== 'unary_expression' || star.childForFieldName('operator')?.text !== '*') return undefined;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
    if (args.length !== 1 || node.childForFieldName('arguments')?.text.includes('...')) return undefined;
    return { node, pointee: this.goType(star.childForFieldName('operand')), operand: args[0] };
  }

  private goType(node: Node | null | undefined): GoType | undefined {
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
        if (pkg.text === this.unsafeName && name.text === 'Pointer') return { kind: 'unsafePointer' };
        return undefined;
      }
      case 'unary_expression': {
        if (n.childForFieldName('operator')?.text !== '*') return undefined;
        const to = this.goType(n.childForFieldName('operand'));
        return to && { kind: 'pointer', to };
      }
      case 'pointer_type': {
        const to = this.goType(n.namedChildren[0]);
        return to && { kind: 'pointer', to };
      }
      case 'array_type': {
        const of = this.goType(n.childForFieldName('element'));
        const length = constValue(n.childForFieldName('length'));
        return of && { kind: 'array', length, of };
      }
      default:
        return undefined;
    }
  }

  private goTypeText(t: GoType): string {
    switch (t.kind) {
      case 'c':
        return `C.${t.name}`;
      case 'go':
        return t.name;
      case 'unsafePointer':
        return `${this.unsafeName}.Pointer`;
      case 'pointer':
        return `*${this.goTypeText(t.to)}`;
      case 'array':
        return `[${t.length ?? '?'}]${this.goTypeText(t.of)}`;
    }
  }

  /** The C type a Go type stands for, when it is written with C names only (`*C.char`). */
  private cTypeOfGo(t: GoType): CType | undefined {
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

  /** `C.name` as cmd/cgo reads it: `C.uint` is `unsigned int`, `C.struct_foo` is `struct foo`. */
  private cTypeOfName(name: string): CType | undefined {
    if (cgoBasicNames[name]) return { kind: 'builtin', name: cgoBasicNames[name] };
    const tagged = /^(struct|union|enum)_(.+)$/.exec(name);
    if (tagged) {
      const found = this.scope.tags.get(`${tagged[1]} ${tagged[2]}`);
      if (found) return found;
      return tagged[1] === 'enum'
        ? { kind: 'enum', tag: tagged[2], constants: undefined }
        : { kind: 'record', union: tagged[1] === 'union', tag: tagged[2], fields: undefined, id: -1 };
    }
    const decl = this.scope.names.get(name);
    if (decl && decl.kind !== 'typedef') return undefined;
    return { kind: 'typedef', name };
  }

  private goSize(t: GoType): number | undefined {
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

  /** How cgo names a C type in Go (`C.uint64_t`, `*C.char`); undefined when it cannot be written. */
  private goSpelling(t: CType): string | undefined {
    switch (t.kind) {
      case 'typedef':
        return `C.${t.name}`;
      case 'builtin':
        if (goNameOfBasic[t.name]) return `C.${goNameOfBasic[t.name]}`;
        return /^[A-Za-z_]\w*$/.test(t.name) && t.name !== '_Bool' && t.name !== 'bool' ? `C.${t.name}` : undefined;
      case 'record':
        return t.tag ? `C.${t.union ? 'union' : 'struct'}_${t.tag}` : undefined;
      case 'enum':
        return t.tag ? `C.enum_${t.tag}` : undefined;
      case 'pointer': {
        if (this.scope.resolve(t.to).kind === 'void') return `${this.unsafeName}.Pointer`;
        const to = this.goSpelling(t.to);
        return to && `*${to}`;
      }
      default:
        return undefined;
    }
  }

  // ------------------------------------------------------------------ variables

  /** The single declaration `name` refers to at `at`, or undefined when unsure. */
  private lookup(name: string, at: Node): Binding | undefined {
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
    const top = declarationsIn(this.root, name, true);
    return top.length === 1 ? top[0] : undefined;
  }

  /** Whether the variable is assigned after its declaration, or its address taken. */
  private reassigned(b: Binding, allowAddress: boolean): boolean {
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

  /** The C type of a Go variable, from its declared type or its initializer. */
  private varCType(b: Binding): { type: CType; spelling: string | undefined } | undefined {
    if (b.type) {
      const go = this.goType(b.type);
      const c = go && this.cTypeOfGo(go);
      return c && { type: c, spelling: spell(c) };
    }
    const value = unparen(b.value ?? null);
    if (!value) return undefined;
    if (value.type === 'call_expression') {
      const fn = value.childForFieldName('function');
      if (fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.text === 'C') {
        const decl = this.scope.names.get(fn.childForFieldName('field')?.text ?? '');
        if (decl?.kind === 'function' && decl.type?.kind === 'function') return { type: decl.type.returns, spelling: spell(decl.type.returns) };
      }
      return undefined;
    }
    if (value.type === 'composite_literal') {
      const go = this.goType(value.childForFieldName('type'));
      const c = go?.kind === 'c' ? this.cTypeOfName(go.name) : undefined;
      return c && { type: c, spelling: spell(c) };
    }
    if (value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&') {
      const operand = unparen(value.childForFieldName('operand'));
      if (operand?.type !== 'identifier') return undefined;
      const inner = this.lookup(operand.text, operand);
      const c = inner && this.varCType(inner);
      return c && { type: { kind: 'pointer', to: c.type }, spelling: c.spelling && `${c.spelling} *` };
    }
    return undefined;
  }

  private recordOf(type: CType): Extract<CType, { kind: 'record' }> | undefined {
    const t = this.scope.resolve(type);
    return t.kind === 'record' && t.fields && layoutOf(t, this.scope, this.target) ? t : undefined;
  }

  // ------------------------------------------------------------------ pointer arithmetic

  /** What an unsafe.Pointer expression points at: a C record plus an offset. */
  private evalPointer(node: Node | null, depth: number): Chain | undefined {
    const n = unparen(node);
    if (!n || depth > 32) return undefined;
    if (n.type === 'identifier') {
      const b = this.lookup(n.text, n);
      if (!b || !b.value || b.stmt.type === 'parameter_declaration' || this.reassigned(b, false)) return undefined;
      if (b.type && this.goType(b.type)?.kind !== 'unsafePointer') return undefined;
      const inner = this.evalPointer(b.value, depth + 1);
      return inner && { ...inner, vars: [b, ...inner.vars] };
    }
    if (n.type !== 'call_expression') return undefined;
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
    if (fn?.type !== 'selector_expression' || fn.childForFieldName('operand')?.text !== this.unsafeName) return undefined;
    const what = fn.childForFieldName('field')?.text;
    if (what === 'Add' && args.length === 2) {
      const inner = this.evalPointer(args[0], depth + 1);
      const add = constValue(args[1]);
      return inner && add !== undefined ? { ...inner, offset: inner.offset + add, steps: inner.steps + 1 } : undefined;
    }
    if (what !== 'Pointer' || args.length !== 1) return undefined;
    const arg = unparen(args[0]);
    if (!arg) return undefined;
    if (arg.type === 'unary_expression' && arg.childForFieldName('operator')?.text === '&') {
      const operand = unparen(arg.childForFieldName('operand'));
      if (operand?.type !== 'identifier') return undefined;
      const b = this.lookup(operand.text, operand);
      const c = b && this.varCType(b);
      const record = c && this.recordOf(c.type);
      if (!b || !c || !record) return undefined;
      return { base: { record, spelling: c.spelling, arg: `&${operand.text}`, binding: b }, offset: 0, steps: 0, vars: [] };
    }
    if (arg.type === 'identifier') {
      const b = this.lookup(arg.text, arg);
      if (!b) return undefined;
      const c = this.varCType(b);
      if (c && this.scope.resolve(c.type).kind === 'pointer') {
        const pointer = this.scope.resolve(c.type) as Extract<CType, { kind: 'pointer' }>;
        const record = this.recordOf(pointer.to);
        if (!record || this.reassigned(b, true)) return undefined;
        const spelling = c.spelling?.endsWith(' *') ? c.spelling.slice(0, -2) : spell(pointer.to);
        return { base: { record, spelling, arg: arg.text, binding: b }, offset: 0, steps: 0, vars: [] };
      }
      return this.evalPointer(arg, depth + 1);
    }
    if (arg.type === 'binary_expression') return this.evalUintptr(arg, depth + 1);
    return this.evalPointer(arg, depth + 1);
  }

  /** `uintptr(p) + N`, `N + uintptr(p)`, `uintptr(p) - N`, nested. */
  private evalUintptr(node: Node | null, depth: number): Chain | undefined {
    const n = unparen(node);
    if (!n || depth > 32) return undefined;
    if (n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (op === '+' || op === '-') {
        const k = constValue(right);
        if (k !== undefined) {
          const inner = this.evalUintptr(left, depth + 1);
          return inner && { ...inner, offset: inner.offset + (op === '+' ? k : -k), steps: inner.steps + 1 };
        }
        const k2 = op === '+' ? constValue(left) : undefined;
        if (k2 !== undefined) {
          const inner = this.evalUintptr(right, depth + 1);
          return inner && { ...inner, offset: inner.offset + k2, steps: inner.steps + 1 };
        }
      }
      return undefined;
    }
    if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'uintptr') {
      const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
      return args.length === 1 ? this.evalPointer(args[0], depth + 1) : undefined;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ the finding

  private report(conv: Conversion, chain: Chain): RuleFinding | undefined {
    const { base, offset } = chain;
    const scope = this.scope;
    const recordLayout = layoutOf(base.record, scope, this.target);
    if (!recordLayout) return undefined;
    // From a pointer, an offset outside the record may step through an array of them.
    if (!base.arg.startsWith('&') && (offset < 0 || offset >= recordLayout.size)) return undefined;
    const recordName = base.spelling ?? typeToC(base.record);
    const shortName = recordName.replace(/^(struct|union) /, '');
    const size = conv.pointee && this.goSize(conv.pointee);
    const convText = conv.pointee ? this.goTypeText(conv.pointee) : undefined;

    // How the converted pointer is used.
    let up: Node = conv.node;
    while (up.parent?.type === 'parenthesized_expression') up = up.parent;
    let deref: Node | undefined;
    let access: 'read' | 'write' | 'other' = 'other';
    let assignment: Node | undefined;
    if (up.parent?.type === 'unary_expression' && up.parent.childForFieldName('operator')?.text === '*') {
      deref = up.parent;
      let outer: Node = deref;
      while (outer.parent?.type === 'parenthesized_expression') outer = outer.parent;
      const parent = outer.parent;
      if (parent?.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.equals(parent)) {
        assignment = parent.parent;
        access = assignment.childForFieldName('operator')?.text === '=' && parent.namedChildren.length === 1 ? 'write' : 'other';
      } else if (parent?.type === 'inc_statement' || parent?.type === 'dec_statement') {
        access = 'other';
      } else if (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '&') {
        access = 'other';
      } else {
        access = 'read';
      }
    }
    const anchor = deref ?? conv.node;

    const plan = (fieldType: CType): Plan | undefined => (conv.pointee ? this.plan(conv.pointee, fieldType) : undefined);
    const path = fieldAt(base.record, offset, size, scope, this.target, (t) => plan(t) !== undefined);
    const why = (union: { name: string; size: number } | undefined, verb: string): string =>
      `${union ? `cgo gives Go ${union.name} as an opaque [${union.size}]byte, so this` : 'This'} offset is the C layout of ${shortName} worked out by hand and nothing checks it: when the C declaration changes (a member added, reordered or resized, other alignment or padding) the code silently ${verb} other bytes.`;
    const verb = access === 'write' ? 'writes' : 'reads';
    const head = `Hand-computed offset ${offset} into ${recordName}`;

    if (!path) {
      // Not on a member boundary (or not one of that size): reported, no fix.
      const containing = fieldContaining(base.record, offset, scope, this.target);
      let where: string;
      if (containing === undefined) where = offset < 0 ? `is before the start of ${recordName}` : `is past the end of ${recordName} (${recordLayout.size} bytes)`;
      else if (containing.length === 0) where = `lands on padding: no member of ${recordName} is at offset ${offset}`;
      else {
        const last = containing[containing.length - 1];
        const name = `${shortName}.${accessPath(containing)}`;
        const fieldType = describeType(last.type);
        if (last.offset === offset && size !== undefined) {
          where = `lands on ${name} (${fieldType}, ${last.size} bytes) but ${verb} ${size} bytes as ${convText}`;
        } else {
          where = `lands inside ${name} (${fieldType}, bytes ${last.offset}–${last.offset + last.size - 1}), not on a member boundary`;
        }
      }
      const union = containing && containing.length > 0 ? this.unionOnPath(base, [...containing, containing[containing.length - 1]]) : base.record.union ? { name: `the union ${recordName}`, size: recordLayout.size } : undefined;
      return {
        file: this.file.path,
        start: anchor.startIndex,
        end: anchor.endIndex,
        message: `${head} ${where}. ${why(union, verb)} No automatic fix: a getter or setter reads or writes a whole member.`,
        fixes: [],
      };
    }

    const last = path[path.length - 1];
    const name = `${shortName}.${accessPath(path)}`;
    const union = this.unionOnPath(base, path);
    const helper = access === 'write' ? 'setter' : 'getter';
    // Other members of a union at the same bytes, that the code may have meant instead.
    const sharing = fieldsAt(base.record, offset, last.size, scope, this.target)
      .filter((p) => p !== path && accessPath(p) !== accessPath(path) && (!conv.pointee || plan(p[p.length - 1].type)))
      .map((p) => `${shortName}.${accessPath(p)}`);
    const also = sharing.length > 0 ? `; ${sharing.join(', ')} ${sharing.length === 1 ? 'shares' : 'share'} these bytes` : '';
    let message = `${head} lands on ${name} (${describeType(last.type)}${also}). ${why(union, verb)}`;
    const fixes: Fix[] = [];
    const fixOrReason = access === 'other' ? 'it is not a plain read or `=` write' : this.buildFix(conv, chain, path, access, anchor, assignment, plan(last.type));
    if (typeof fixOrReason === 'string') {
      message += ` Let the C compiler compute it with a static inline ${helper} in the preamble (no automatic fix: ${fixOrReason}).`;
    } else {
      message += ` Let the C compiler compute it: ${access === 'write' ? 'write' : 'read'} the member through a static inline ${helper} in the preamble.`;
      fixes.push(fixOrReason);
    }
    return { file: this.file.path, start: anchor.startIndex, end: anchor.endIndex, message, fixes };
  }

  /** The outermost union the member sits in, as the message names it, and its size. */
  private unionOnPath(base: Base, path: FieldStep[]): { name: string; size: number } | undefined {
    const recordName = base.spelling ?? typeToC(base.record);
    const shortName = recordName.replace(/^(struct|union) /, '');
    if (base.record.union) return { name: `the union ${recordName}`, size: layoutOf(base.record, this.scope, this.target)?.size ?? 0 };
    for (let i = 0; i < path.length - 1; i++) {
      const t = this.scope.resolve(path[i].type);
      if (t.kind !== 'record' || !t.union) continue;
      const outer = accessPath(path.slice(0, i));
      const name =
        path[i].name === undefined && path[i].index === undefined
          ? `the anonymous union in ${outer ? `${shortName}.${outer}` : shortName}`
          : `the union ${shortName}.${accessPath(path.slice(0, i + 1))}`;
      return { name, size: path[i].size };
    }
    return undefined;
  }

  /** How to read `fieldType` so that the call has the Go type `pointee`; undefined when no safe way. */
  private plan(pointee: GoType, fieldType: CType): Plan | undefined {
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
    const text = this.goTypeText(pointee);
    if (pointee.kind === 'go') {
      const size = goSizes[pointee.name];
      if (size === undefined || size !== fieldSize) return undefined;
      const numeric = (goIntegers.has(pointee.name) && isIntegerType(fieldType, scope)) || (goFloats.has(pointee.name) && isFloatType(fieldType, scope));
      if (!numeric) return undefined;
      return { cType: fieldType, wrapRead: (call) => `${text}(${call})`, wrapWrite: (v) => `${goField}(${v})` };
    }
    if (pointee.kind === 'pointer' && scope.resolve(fieldType).kind === 'pointer') {
      const u = `${this.unsafeName}.Pointer`;
      return { cType: fieldType, wrapRead: (call) => `(${text})(${u}(${call}))`, wrapWrite: (v) => `(${goField})(${u}(${v}))` };
    }
    return undefined;
  }

  // ------------------------------------------------------------------ the fix

  private buildFix(conv: Conversion, chain: Chain, path: FieldStep[], access: 'read' | 'write', anchor: Node, assignment: Node | undefined, plan: Plan | undefined): Fix | string {
    const { base } = chain;
    if (!plan) return `${conv.pointee ? this.goTypeText(conv.pointee) : 'the converted type'} is not the member's type`;
    if (!base.spelling || /[{…]/.test(base.spelling)) return 'the record has no C name to write in the preamble';
    const preamble = this.file.imports.find((imp) => imp.preamble)?.preamble;
    if (!preamble) return 'the file has no preamble';
    // A last line continued with a backslash would swallow the helper.
    if (/\\\s*$/.test(preamble.text)) return 'the preamble ends with a continued line';
    // `&cat` must mean the same variable where the expression is.
    const argName = base.arg.replace(/^&/, '');
    if (this.lookup(argName, anchor)?.ident.equals(base.binding.ident) !== true) return `${argName} means something else at this point`;

    const cPath = accessPath(path);
    // Read as another type than the member's own: say so in the name, so that two files of a
    // package never define one name with two signatures.
    const memberType = path[path.length - 1].type;
    const as = spell(plan.cType) === spell(memberType) ? '' : `_as_${(spell(plan.cType) ?? '').replace(/\*/g, ' ptr').trim().replace(/\s+/g, '_')}`;
    const stem = `${snake(base.spelling.replace(/^(struct|union) /, ''))}_${access === 'write' ? 'set' : 'get'}_${cPath.replace(/\]/g, '').replace(/[^A-Za-z0-9_]+/g, '_')}${as}`;
    const definition = (fn: string): string =>
      access === 'write'
        ? `static inline void ${fn}(${base.spelling} *p, ${typeToC(plan.cType, 'v')}) { p->${cPath} = v; }`
        : `static inline ${typeToC(plan.cType, `${fn}(${base.spelling} *p)`)} { return p->${cPath}; }`;
    let fn = stem;
    let reuse = false;
    for (let i = 2; ; i++) {
      const existing = this.scope.names.get(fn);
      if (!existing) break;
      if (existing.kind === 'function' && normalizeC(existing.text) === normalizeC(definition(fn))) {
        reuse = true;
        break;
      }
      if (i > 20) return 'no free name for the helper';
      fn = `${stem}_${i}`;
    }

    const edits: TextEdit[] = [];
    const eol = this.text.includes('\r\n') ? '\r\n' : '\n';
    if (!reuse) {
      const insertion = preambleInsertion(this.text, preamble.group.comments[preamble.group.comments.length - 1], definition(fn), eol);
      edits.push({ file: this.file.path, ...insertion });
    }
    let replaced: { start: number; end: number; newText: string };
    if (access === 'read') {
      replaced = { start: anchor.startIndex, end: anchor.endIndex, newText: plan.wrapRead(`C.${fn}(${base.arg})`) };
    } else {
      const value = assignment!.childForFieldName('right')?.namedChildren.filter((n): n is Node => !!n);
      if (!value || value.length !== 1) return 'not a single assignment';
      replaced = { start: assignment!.startIndex, end: assignment!.endIndex, newText: `C.${fn}(${base.arg}, ${plan.wrapWrite(value[0].text)})` };
    }
    edits.push({ file: this.file.path, ...replaced });

    // Intermediate variables nothing uses any more.
    const gone: { start: number; end: number }[] = [replaced];
    for (const v of chain.vars) {
      const uses = identifierUses(v.body, v.name).filter((id) => !id.equals(v.ident) && !gone.some((r) => r.start <= id.startIndex && id.endIndex <= r.end));
      if (uses.length > 0) break; // still used: so are the variables it was computed from
      const removal = statementRemoval(this.text, v);
      if (!removal) return `${v.name} would be left unused and cannot be removed automatically`;
      gone.push(removal);
      edits.push({ file: this.file.path, ...removal, newText: '' });
    }
    // Unused variables before a used one would break the build: make sure none is left.
    for (const v of chain.vars) {
      if (gone.some((r) => r.start <= v.stmt.startIndex && v.stmt.endIndex <= r.end)) continue;
      const uses = identifierUses(v.body, v.name).filter((id) => !id.equals(v.ident) && !gone.some((r) => r.start <= id.startIndex && id.endIndex <= r.end));
      if (uses.length === 0) return `${v.name} would be left unused`;
    }

    // The unsafe import: removed with its last use. Every fix of this rule edits it, so
    // `cgo-lint --fix` applies one per file and round and each sees what the previous left.
    const imp = this.unsafeImport;
    const unsafeLeft =
      replaced.newText.includes(`${this.unsafeName}.`) ||
      unsafeUses(this.root, this.unsafeName).some((n) => !gone.some((r) => r.start <= n.startIndex && n.endIndex <= r.end));
    if (unsafeLeft) edits.push({ file: this.file.path, start: imp.path.start, end: imp.path.end, newText: imp.path.text });
    else edits.push({ file: this.file.path, ...importRemoval(this.text, imp), newText: '' });

    const title =
      access === 'write'
        ? `Write ${cPath} through a C setter ${fn}()`
        : `Read ${cPath} through a C getter ${fn}()`;
    return { title, preferred: true, edits };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers on syntax.

function unparen(node: Node | null): Node | null {
  let n = node;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'parenthesized_type')) n = n.namedChildren.find((c) => c?.type !== 'comment') ?? null;
  return n;
}

/** An integer constant expression of literals: `8`, `0x10`, `4 + 4`, `uintptr(8)`. */
function constValue(node: Node | null | undefined): number | undefined {
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
      return fn?.type === 'identifier' && goIntegers.has(fn.text) && args.length === 1 ? constValue(args[0]) : undefined;
    }
    default:
      return undefined;
  }
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

function specsOf(decl: Node): Node[] {
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

function identifierUses(root: Node, name: string): Node[] {
  return root.descendantsOfType('identifier').filter((n): n is Node => !!n && n.text === name);
}

function unsafeUses(root: Node, unsafeName: string): Node[] {
  const uses: Node[] = [];
  for (const node of root.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!node) continue;
    const pkg = node.type === 'selector_expression' ? node.childForFieldName('operand') : node.childForFieldName('package');
    if (pkg && (pkg.type === 'identifier' || pkg.type === 'package_identifier') && pkg.text === unsafeName) uses.push(node);
  }
  return uses;
}

interface UnsafeImport {
  name: string;
  spec: Span;
  path: Span & { text: string };
  decl: Span;
  /** Specs in the declaration (1 for `import "unsafe"`). */
  specCount: number;
}

function findUnsafeImport(text: string): UnsafeImport | undefined {
  for (const { decl, specs } of importDeclarations(text)) {
    for (const { spec, name, path } of specs) {
      if (path.text !== '"unsafe"' && path.text !== '`unsafe`') continue;
      if (name?.text === '.' || name?.text === '_') return undefined;
      return { name: name?.text ?? 'unsafe', spec, path, decl, specCount: specs.length };
    }
  }
  return undefined;
}

/** The whole lines of a node, when nothing else is on them. */
function wholeLines(text: string, start: number, end: number): { start: number; end: number } | undefined {
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  if (s > 0 && text[s - 1] !== '\n') return undefined;
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  if (text.startsWith('//', e)) while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  if (text[e] === '\r') e++;
  if (e < text.length && text[e] !== '\n') return undefined;
  return { start: s, end: Math.min(e + 1, text.length) };
}

function statementRemoval(text: string, b: Binding): { start: number; end: number } | undefined {
  if (b.stmt.type === 'short_var_declaration') {
    if ((b.stmt.childForFieldName('left')?.namedChildren.length ?? 0) !== 1) return undefined;
    if (b.stmt.parent?.type !== 'statement_list' && b.stmt.parent?.type !== 'block') return undefined;
  } else if (b.stmt.type === 'var_declaration') {
    const specs = specsOf(b.stmt);
    if (specs.length !== 1 || specs[0].childrenForFieldName('name').length !== 1) return undefined;
  } else {
    return undefined;
  }
  return wholeLines(text, b.stmt.startIndex, b.stmt.endIndex);
}

function importRemoval(text: string, imp: UnsafeImport): { start: number; end: number } {
  const target = imp.specCount === 1 ? imp.decl : imp.spec;
  return wholeLines(text, target.start, target.end) ?? { start: target.start, end: target.end };
}

/** Where the getter goes: the end of the preamble, written as that comment writes C. */
function preambleInsertion(text: string, last: { start: number; end: number; block: boolean }, definition: string, eol: string): { start: number; end: number; newText: string } {
  if (!last.block) {
    // After the last `//` line.
    let at = last.end;
    if (text[at] === '\r') at++;
    if (text[at] === '\n') at++;
    const newline = at === last.end ? eol : '';
    return { start: at, end: at, newText: `${newline}// ${definition}${eol}` };
  }
  const close = last.end - 2;
  let lineStart = close;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  if (lineStart > last.start + 2 && text[lineStart - 1] === '\n') return { start: lineStart, end: lineStart, newText: `${definition}${eol}` };
  return { start: close, end: close, newText: `${eol}${definition}${eol}` };
}

// ---------------------------------------------------------------------------------------------
// Helpers on C types.

/** How C spells a type, or undefined for an anonymous struct/union/enum. */
function spell(t: CType): string | undefined {
  const s = typeToC(t);
  return s.includes('{…}') || t.kind === 'function' ? undefined : s;
}

function describeType(t: CType): string {
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

/** `AnimalKind` → `animal_kind`. */
function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
}

function normalizeC(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s*([(){};,*])\s*/g, '$1').trim();
}
