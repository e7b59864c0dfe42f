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
//
// The parts apart from the rule: which declaration a name surely refers to (cgo/gobindings.ts), Go
// pointee types against C members (cgo/layoutMatch.ts, beside cgo/layout.ts), and the fix
// (cgo/accessorFix.ts).
import type { Node } from 'web-tree-sitter';
import { typeToC, type CScope, type CType } from '../cgo/cdecl';
import type { Fix } from '../cgo/findings';
import { accessorFix, type Base, type Chain } from '../cgo/accessorFix';
import { GoBindings, isParameter, type Binding } from '../cgo/gobindings';
import { unsafeImport, type NamedImport } from '../cgo/goimports';
import { constValue, goGap, unparen } from '../cgo/gosyntax';
import { accessPath, fieldAt, fieldContaining, fieldsAt, layoutOf, layoutSupported, type FieldStep, type LayoutTarget } from '../cgo/layout';
import { describeType, goTypeOf, goTypeText, LayoutMatcher, spell, type GoType, type Plan } from '../cgo/layoutMatch';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

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
      // Through a `.` import, `Add(p, 8)` may be unsafe's: the offsets cannot all be told.
      const unsafe = unsafeImport(file.text);
      if (!unsafe.named || unsafe.dotted || !mayComputeOffset(file.text, unsafe.named.name)) continue;
      new FileCheck(ctx, file, target, unsafe.named, findings).run();
    }
    return findings;
  },
};

interface Conversion {
  node: Node;
  pointee: GoType | undefined;
  operand: Node;
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
  private matcherCache: LayoutMatcher | undefined;
  private readonly root: Node;
  private readonly unsafeName: string;
  private readonly bindings: GoBindings;

  constructor(
    private readonly ctx: RuleContext,
    private readonly file: CgoFile,
    private readonly target: LayoutTarget,
    private readonly unsafeImport: NamedImport,
    private readonly findings: RuleFinding[],
  ) {
    this.root = file.tree.rootNode;
    this.unsafeName = unsafeImport.name;
    this.bindings = new GoBindings(this.root);
  }

  private get scope(): CScope {
    return (this.scopeCache ??= this.ctx.cScope(this.file));
  }

  private get match(): LayoutMatcher {
    return (this.matcherCache ??= new LayoutMatcher(this.scope, this.target, this.unsafeName));
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
      return { node, pointee: goTypeOf(type.namedChildren[0], this.unsafeName), operand };
    }
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'parenthesized_expression') return undefined;
    const star = unparen(fn);
    if (star?.type !== 'unary_expression' || star.childForFieldName('operator')?.text !== '*') return undefined;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
    if (args.length !== 1 || node.childForFieldName('arguments')?.text.includes('...')) return undefined;
    return { node, pointee: goTypeOf(star.childForFieldName('operand'), this.unsafeName), operand: args[0] };
  }

  // ------------------------------------------------------------------ variables

  /** The C type of a Go variable, from its declared type or its initializer. */
  private varCType(b: Binding): { type: CType; spelling: string | undefined } | undefined {
    if (b.type) {
      const go = goTypeOf(b.type, this.unsafeName);
      const c = go && this.match.cTypeOfGo(go);
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
      const go = goTypeOf(value.childForFieldName('type'), this.unsafeName);
      const c = go?.kind === 'c' ? this.match.cTypeOfName(go.name) : undefined;
      return c && { type: c, spelling: spell(c) };
    }
    if (value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&') {
      const operand = unparen(value.childForFieldName('operand'));
      if (operand?.type !== 'identifier') return undefined;
      const inner = this.bindings.certainBindingOf(operand);
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
      const b = this.bindings.certainBindingOf(n);
      if (!b || !b.value || isParameter(b) || this.bindings.reassigned(b, false)) return undefined;
      if (b.type && goTypeOf(b.type, this.unsafeName)?.kind !== 'unsafePointer') return undefined;
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
      const b = this.bindings.certainBindingOf(operand);
      const c = b && this.varCType(b);
      const record = c && this.recordOf(c.type);
      if (!b || !c || !record) return undefined;
      return { base: { record, spelling: c.spelling, arg: `&${operand.text}`, binding: b }, offset: 0, steps: 0, vars: [] };
    }
    if (arg.type === 'identifier') {
      const b = this.bindings.certainBindingOf(arg);
      if (!b) return undefined;
      const c = this.varCType(b);
      if (c && this.scope.resolve(c.type).kind === 'pointer') {
        const pointer = this.scope.resolve(c.type) as Extract<CType, { kind: 'pointer' }>;
        const record = this.recordOf(pointer.to);
        if (!record || this.bindings.reassigned(b, true)) return undefined;
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
    const size = conv.pointee && this.match.goSize(conv.pointee);
    const convText = conv.pointee ? goTypeText(conv.pointee, this.unsafeName) : undefined;

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

    const plan = (fieldType: CType): Plan | undefined => (conv.pointee ? this.match.plan(conv.pointee, fieldType) : undefined);
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
    const fixOrReason = access === 'other' ? 'it is not a plain read or `=` write' : accessorFix({ file: this.file, root: this.root, bindings: this.bindings, scope: this.scope, unsafe: this.unsafeImport }, conv.pointee, chain, path, access, anchor, assignment, plan(last.type));
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
}
