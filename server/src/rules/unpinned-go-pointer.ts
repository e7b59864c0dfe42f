// A Go pointer given to C that points to Go memory holding Go pointers:
//
//     var req C.struct_request
//     req.buf = (*C.char)(unsafe.Pointer(&data[0]))   // a Go pointer stored in Go memory
//     C.submit(&req)                                  // panics
//
// cgo rewrites every call whose C parameter may point to pointers (cmd/cgo gcc.go,
// needsPointerCheck: void*, or T* where T holds pointers) to call _cgoCheckPointer first; for
// `&x` and `&a[i]` (under conversions) it checks x, or every element of a, and
// runtime/cgocall.go's cgoCheckArg panics on a Go pointer found in that memory that is not
// pinned (Go 1.19.8 and 1.26.8; pinning since 1.21). The check looks at values, not types: a
// nil pointer field, C memory or a string literal pass; a map or a channel field never does.
// So the rule reports only what it can see within the function: a local variable (or a
// parameter, for map and channel fields) whose type it can read, holding on every way to the
// call a value that is surely a Go pointer (`&local`, `&local[i]` of Go memory, `&T{…}`,
// `new(T)`); any other use of the variable before the call (a call that may fill it, `&x.f`, a
// store in a branch or a later round of a loop) makes what it holds unknown, and unknown is
// silence. A function that pins anything (`.Pin(`), or a package that sets
// `//go:debug cgocheck=0`, is not judged.
//
// The message quotes the runtime's panic for the target's Go release. The fixes: (Go 1.21 and
// later, when every pointer the memory holds is known and what it points into holds none) pin
// each one with a runtime.Pinner before the statement of the call, unpinned with a defer; and
// (any release, where C only reads) copy a []byte stored in a const C field with C.CBytes.
import type { Node } from 'web-tree-sitter';
import type { CScope, CType } from '../cgo/cdecl';
import type { Fix, TextEdit } from '../cgo/findings';
import { addImportInsertion, importedName } from '../cgo/goimports';
import { enclosingFunction, GoBindings, type Binding } from '../cgo/gobindings';
import { isPointerConversion } from '../cgo/goflow';
import { GoShapes, GoTypeDeclarations, mayHoldPointers, pointerSlots, storedValue, type GoShape, type PointerKind, type PointerSlot, type StoredValue, type ValueContext } from '../cgo/gopointers';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

/** runtime.Pinner is new in Go 1.21 (runtime/pinner.go); so are "unpinned" in the panic and pinned memory passing the check. */
const pinnerSince = 21;

export const unpinnedGoPointer: Rule = {
  id: 'unpinned-go-pointer',
  defaultSeverity: 'error',
  summary: 'A Go pointer passed to C that points to Go memory holding Go pointers: the cgo pointer check panics at run time.',
  check(ctx) {
    const files = ctx.pkg.cgoFiles.filter((f) => !f.isTest && f.included);
    const candidates = files.filter((f) => /&/.test(f.text) && /\bC\s*\.\s*\w+\s*\(/.test(f.text));
    if (candidates.length === 0) return [];
    // `//go:debug cgocheck=0` (Go 1.21+) turns the check off for the program: any file may say
    // it, so all are read, but only for a package with candidates.
    if (ctx.pkg.files.some((f) => /^\/\/go:debug\s+cgocheck=0\b/m.test(f.text))) return [];
    const findings: RuleFinding[] = [];
    const types = new GoTypeDeclarations(files.map((f) => f.tree.rootNode));
    for (const file of candidates) {
      // `.` and `_` imports of unsafe count as none: no unsafe.Pointer to recognise.
      const unsafeName = importedName(file.text, 'unsafe') ?? undefined;
      const scope = ctx.cScope(file);
      const shapes = new GoShapes(types, scope, unsafeName);
      const functions = new Map<number, FunctionIndex>();
      const bindings = new GoBindings(file.tree.rootNode);
      for (const call of file.tree.rootNode.descendantsOfType('call_expression')) {
        if (!call) continue;
        const finding = checkCall(ctx, file, call, scope, shapes, unsafeName, functions, bindings);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};

/** The C function a call calls, with its parameters; undefined for anything else. */
function calledCFunction(call: Node, scope: CScope): { name: string; params: CType[] } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression' || fn.childForFieldName('operand')?.text !== 'C') return undefined;
  const name = fn.childForFieldName('field')?.text;
  if (!name || name === 'malloc') return undefined;
  const decl = scope.names.get(name);
  if (decl?.kind !== 'function' || decl.type?.kind !== 'function') return undefined;
  const type = decl.type;
  if (type.variadic || type.unprototyped) return undefined;
  return { name, params: type.params.map((p) => p.type) };
}

/** cmd/cgo's needsPointerCheck for a C parameter: void*, or a pointer to memory that may hold pointers. */
function paramIsChecked(type: CType, scope: CScope, shapes: GoShapes): boolean {
  const t = scope.resolve(type);
  if (t.kind === 'array') return mayHoldPointers(shapes.ofC(t.of));
  if (t.kind !== 'pointer') return false;
  if (scope.resolve(t.to).kind === 'void') return true;
  return mayHoldPointers(shapes.ofC(t.to));
}

/** The argument under `unsafe.Pointer(…)`, `(*T)(…)` and parentheses (cmd/cgo's checkAddr strips conversions too). */
function stripConversions(arg: Node, unsafeName: string | undefined): Node {
  let n = arg;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildren[0]) n = n.namedChildren[0];
    else if (n.type === 'call_expression' && isPointerConversion(n.childForFieldName('function'), unsafeName)) {
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (args.length !== 1 || !args[0]) return n;
      n = args[0];
    } else return n;
  }
}

/** A declaration as the rule reads it: the declared identifier and its spec (var_spec, const_spec) or declaring node. */
interface Declaration {
  nameNode: Node;
  decl: Node;
  binding: Binding;
}

/** One function's declarations (gobindings' resolution) and identifiers by name, asked once for all its C calls. */
class FunctionIndex {
  private readonly soles = new Map<string, Declaration | undefined>();
  private readonly goBacked = new Map<string, boolean>();
  /** Pinned (or pinning) code, or jumps the straight-line reading does not follow. */
  readonly notJudged: boolean;

  constructor(
    readonly fn: Node,
    readonly unsafeName: string | undefined,
    private readonly bindings: GoBindings,
  ) {
    const body = fn.childForFieldName('body');
    this.notJudged = !body || /\.\s*Pin\s*\(/.test(body.text) || body.descendantsOfType('goto_statement').length > 0;
  }

  /** Every identifier spelled `name` in the function, in source order. */
  uses(name: string): readonly Node[] {
    return this.bindings.identifiersNamed(name, this.fn.startIndex, this.fn.endIndex);
  }

  /** The one declaration of `name` in the function, when there is exactly one. */
  sole(name: string): Declaration | undefined {
    if (this.soles.has(name)) return this.soles.get(name);
    const b = this.bindings.soleDeclarationIn(this.fn, name);
    const d = b && { nameNode: b.ident, decl: b.stmt.type === 'var_declaration' || b.stmt.type === 'const_declaration' ? b.ident.parent! : b.stmt, binding: b };
    this.soles.set(name, d);
    return d;
  }

  /** Whether `name` is a local slice or array that always has Go memory behind it (memoised). */
  isGoBacked(name: string): boolean {
    let backed = this.goBacked.get(name);
    if (backed === undefined) this.goBacked.set(name, (backed = goBacked(this, name)));
    return backed;
  }
}

/** What the memory given to C is: a variable, or every element of a slice or array variable. */
interface Memory {
  variable: string;
  /** `&v[i]`: the elements of v. */
  elements: boolean;
  /**
   * `p` itself given, p from `&T{…}` or `new(T)`: the check scans the Go object p points to
   * (cgoCheckUnknownPointer), word by word: only non-nil Go pointers fail, every one as a
   * "pointer"; `p.f` are that object's fields.
   */
  pointee: boolean;
  /** `&T{…}` given directly: the literal (no variable, nothing to follow). */
  literal?: Node;
  shape: GoShape;
  /** What a place holds when nothing stored into it was seen: zero values, or unknown (a parameter). */
  initial: StoredValue;
  /** Values stored, by path (`buf`, `hdr.next`, `[0]`, `[1].p`). */
  stored: Map<string, StoredValue>;
  /** The expression each stored value comes from: its line for the message, its pointee for the fix. */
  storedFrom: Map<string, Node>;
  /** `&v[i]` of a slice or array literal: its length (and capacity). */
  length?: number;
  /** The declaration statement (the first event on the way to the call). */
  declaration: Node;
  nameNode: Node;
}

class Unknown extends Error {}

function checkCall(ctx: RuleContext, file: CgoFile, call: Node, scope: CScope, shapes: GoShapes, unsafeName: string | undefined, functions: Map<number, FunctionIndex>, bindings: GoBindings): RuleFinding | undefined {
  const cfn = calledCFunction(call, scope);
  if (!cfn) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  if (args.length !== cfn.params.length) return undefined;
  const fn = enclosingFunction(call);
  if (!fn) return undefined;
  // `go C.f(&x)` and `defer C.f(&x)` run later, with whatever x holds then (cmd/cgo checks
  // the pointers in the deferred call itself).
  for (let n = call.parent; n && !n.equals(fn); n = n.parent) if (n.type === 'go_statement' || n.type === 'defer_statement') return undefined;
  let index: FunctionIndex | undefined;
  for (const [i, arg] of args.entries()) {
    if (!paramIsChecked(cfn.params[i], scope, shapes)) continue;
    const addr = stripConversions(arg, unsafeName);
    const isAddress = addr.type === 'unary_expression' && addr.childForFieldName('operator')?.text === '&';
    if (!isAddress && addr.type !== 'identifier') continue;
    if (!index) {
      index = functions.get(fn.id) ?? new FunctionIndex(fn, unsafeName, bindings);
      functions.set(fn.id, index);
    }
    if (index.notJudged) return undefined;
    try {
      const operand = isAddress ? addr.childForFieldName('operand') : null;
      const memory =
        operand?.type === 'composite_literal' ? literalMemory(operand, index, shapes) : isAddress ? memoryOf(operand, index, call, shapes) : pointeeMemory(addr, index, call, shapes);
      if (!memory) continue;
      if (!memory.literal) followStores(memory, index, call, addr, shapes);
      const verdict = judge(memory);
      if (!verdict) continue;
      return report(ctx, file, call, cfn.name, arg, memory, verdict, index, shapes);
    } catch (e) {
      if (e instanceof Unknown) continue;
      throw e;
    }
  }
  return undefined;
}

/** The memory `&operand` points to, with its shape and initial contents; undefined when it is not a local (or parameter) the rule can read. */
function memoryOf(operand: Node | null, index: FunctionIndex, call: Node, shapes: GoShapes): Memory | undefined {
  const { fn } = index;
  let elements = false;
  let v = operand;
  if (v?.type === 'index_expression') {
    elements = true;
    v = v.childForFieldName('operand');
  }
  if (v?.type !== 'identifier') return undefined;
  const found = index.sole(v.text);
  if (!found) return undefined;
  const { nameNode, decl } = found;
  if (nameNode.startIndex > call.startIndex) return undefined;
  const memory: Memory = { variable: v.text, elements, pointee: false, shape: { kind: 'unknown' }, initial: 'safe', stored: new Map(), storedFrom: new Map(), declaration: decl, nameNode };
  const ctx = valueContext(index, shapes);
  if (decl.type === 'parameter_declaration' || decl.type === 'variadic_parameter_declaration') {
    // A parameter of the function itself (a nested func literal's would be a second declaration).
    if (decl.parent?.parent && !decl.parent.parent.equals(fn)) return undefined;
    if (decl.type === 'variadic_parameter_declaration') return undefined;
    memory.shape = shapeOf(decl.childForFieldName('type'), elements, shapes);
    memory.initial = 'unknown';
    return memory;
  }
  if (decl.type !== 'var_spec' && decl.type !== 'short_var_declaration') return undefined;
  // The variable's statement must hold the call in its scope: it stands in a statement list
  // that is an ancestor of the call.
  const stmt = decl.type === 'var_spec' ? decl.parent : decl;
  if (stmt?.parent?.type !== 'statement_list' || !(stmt.parent.startIndex <= call.startIndex && call.endIndex <= stmt.parent.endIndex)) return undefined;
  memory.declaration = stmt;
  const typeNode = decl.type === 'var_spec' ? decl.childForFieldName('type') : null;
  const value = initialValue(found);
  if (value === undefined) return undefined;
  if (typeNode) {
    memory.shape = shapeOf(typeNode, elements, shapes);
    if (value) initialise(memory, value, ctx);
    return memory;
  }
  if (!value) return undefined;
  if (value.type === 'composite_literal') {
    memory.shape = shapeOf(value.childForFieldName('type'), elements, shapes);
    initialise(memory, value, ctx);
    return memory;
  }
  if (!elements && value.type === 'call_expression' && value.childForFieldName('function')?.text === 'new') {
    memory.shape = { kind: 'pointer' };
    setPath(memory, '', 'go', value);
    return memory;
  }
  if (!elements && value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&') {
    const held = storedValue(value, ctx);
    if (held !== 'go') return undefined;
    memory.shape = { kind: 'pointer' };
    setPath(memory, '', 'go', value);
    return memory;
  }
  if (elements && value.type === 'call_expression' && value.childForFieldName('function')?.text === 'make') {
    const made = value.childForFieldName('arguments')?.namedChildren[0] ?? null;
    memory.shape = shapeOf(made, true, shapes);
    return memory;
  }
  return undefined;
}

/** `&T{…}` given directly: what the literal holds. */
function literalMemory(literal: Node, index: FunctionIndex, shapes: GoShapes): Memory {
  const memory: Memory = {
    variable: literal.text.length > 40 ? `${literal.text.slice(0, 37).replace(/\s+/g, ' ')}…}` : literal.text.replace(/\s+/g, ' '),
    elements: false,
    pointee: false,
    literal,
    shape: shapes.ofType(literal.childForFieldName('type')),
    initial: 'safe',
    stored: new Map(),
    storedFrom: new Map(),
    declaration: literal,
    nameNode: literal,
  };
  initialise(memory, literal, valueContext(index, shapes));
  return memory;
}

/** `p` given, declared `p := &T{…}` or `p := new(T)`: the object p points to, its fields read through p. */
function pointeeMemory(id: Node, index: FunctionIndex, call: Node, shapes: GoShapes): Memory | undefined {
  const found = index.sole(id.text);
  if (!found || found.decl.type !== 'short_var_declaration' && found.decl.type !== 'var_spec') return undefined;
  if (found.decl.type === 'var_spec' && found.decl.childForFieldName('type')) return undefined;
  const stmt = found.decl.type === 'var_spec' ? found.decl.parent : found.decl;
  if (stmt?.parent?.type !== 'statement_list' || !(stmt.parent.startIndex <= call.startIndex && call.endIndex <= stmt.parent.endIndex)) return undefined;
  const value = initialValue(found);
  if (!value) return undefined;
  const memory: Memory = {
    variable: id.text,
    elements: false,
    pointee: true,
    shape: { kind: 'unknown' },
    initial: 'safe',
    stored: new Map(),
    storedFrom: new Map(),
    declaration: stmt,
    nameNode: found.nameNode,
  };
  if (value.type === 'call_expression' && value.childForFieldName('function')?.text === 'new') {
    memory.shape = shapes.ofType(value.childForFieldName('arguments')?.namedChildren[0] ?? null);
    return memory;
  }
  const literal = value.type === 'unary_expression' && value.childForFieldName('operator')?.text === '&' ? value.childForFieldName('operand') : null;
  if (literal?.type !== 'composite_literal') return undefined;
  memory.shape = shapes.ofType(literal.childForFieldName('type'));
  initialise(memory, literal, valueContext(index, shapes));
  return memory;
}

/** The shape of a variable's memory, or of its elements (`[*]`-less: one element) for `&v[i]`. */
function shapeOf(type: Node | null, elements: boolean, shapes: GoShapes): GoShape {
  if (!elements) return shapes.ofType(type);
  let t = type;
  while (t?.type === 'parenthesized_type') t = t.namedChildren[0] ?? null;
  if (t?.type === 'slice_type' || t?.type === 'array_type') return shapes.ofType(t.childForFieldName('element'));
  return { kind: 'unknown' };
}

/** What a composite literal (or another initial value) puts in the memory. */
function initialise(memory: Memory, value: Node, ctx: ValueContext): void {
  if (value.type !== 'composite_literal') {
    memory.initial = 'unknown';
    return;
  }
  const body = value.childForFieldName('body');
  const items = body?.namedChildren.filter((n): n is Node => n?.type === 'keyed_element' || n?.type === 'literal_element') ?? [];
  let position = 0;
  for (const item of items) {
    let key: string | undefined;
    let element: Node | null;
    if (item.type === 'keyed_element') {
      const [k, val] = item.namedChildren;
      const keyExpr = k?.namedChildren[0];
      element = val?.namedChildren[0] ?? null;
      if (memory.elements) {
        if (keyExpr?.type !== 'int_literal') {
          memory.initial = 'unknown';
          return;
        }
        position = Number(keyExpr.text);
        key = `[${position}]`;
      } else {
        if (keyExpr?.type !== 'identifier') {
          memory.initial = 'unknown';
          return;
        }
        key = keyExpr.text;
      }
    } else {
      element = item.namedChildren[0] ?? null;
      if (!memory.elements) {
        // Positional fields, in the struct's order (a literal lists them all).
        const { shape } = memory;
        if (shape.kind !== 'struct' || shape.fields.length !== items.length) {
          memory.initial = 'unknown';
          return;
        }
        key = shape.fields[position].name;
      } else key = `[${position}]`;
    }
    position++;
    if (element?.type === 'literal_value') {
      // A nested literal (`{next: &n}` inside): its fields are not followed.
      setPath(memory, key, 'unknown', undefined);
      continue;
    }
    setPath(memory, key, storedValue(element, ctx), element ?? undefined);
  }
  if (memory.elements) memory.length = position;
}

function setPath(memory: Memory, path: string, value: StoredValue, from: Node | undefined): void {
  for (const key of [...memory.stored.keys()]) {
    if (!key.startsWith(`${path}.`) && !key.startsWith(`${path}[`)) continue;
    memory.stored.delete(key);
    memory.storedFrom.delete(key);
  }
  memory.stored.set(path, value);
  if (from) memory.storedFrom.set(path, from);
  else memory.storedFrom.delete(path);
}

/** The value a declaration gives the name: null when it gives none, undefined when it is not one expression per name. */
function initialValue({ binding }: Declaration): Node | null | undefined {
  return binding.values.length === 0 ? null : binding.value;
}

/** Which identifiers of the function name its locals, and which locals always have Go memory behind them. */
function valueContext(index: FunctionIndex, shapes: GoShapes): ValueContext {
  const isLocal = (id: Node): boolean => {
    const d = index.sole(id.text);
    if (!d || (d.decl.type !== 'var_spec' && d.decl.type !== 'short_var_declaration') || d.nameNode.startIndex >= id.startIndex) return false;
    // A zero-sized variable's address is runtime.zerobase, in noptrbss: not a Go pointer to the check.
    const written = d.decl.type === 'var_spec' ? (d.decl.childForFieldName('type')?.text ?? initialValue(d)?.text) : initialValue(d)?.text;
    return !/^(?:struct\s*\{\s*\}|\[0\])/.test(written ?? '');
  };
  const isOwnField = (id: Node, fields: readonly string[]): boolean => {
    const d = index.sole(id.text);
    let shape = d && localObject(d, shapes)?.whole;
    for (const field of fields) {
      if (shape?.kind !== 'struct') return false;
      shape = shape.fields.find((f) => f.name === field)?.shape;
    }
    return shape !== undefined;
  };
  return { unsafeName: index.unsafeName, isLocal, isGoBacked: (id) => index.isGoBacked(id.text), isOwnField };
}

function goBacked(index: FunctionIndex, name: string): boolean {
  const d = index.sole(name);
  if (!d || (d.decl.type !== 'var_spec' && d.decl.type !== 'short_var_declaration')) return false;
  // Assigned again (`b = unsafe.Slice(p, n)`) or its address taken: its memory may be C's.
  for (const use of index.uses(name)) {
    if (use.equals(d.nameNode)) continue;
    const parent = use.parent;
    if (parent?.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.equals(parent)) return false;
    if (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '&') return false;
  }
  const type = d.decl.type === 'var_spec' ? d.decl.childForFieldName('type') : null;
  if (type?.type === 'array_type') return true;
  const value = initialValue(d);
  if (!value) return false;
  if (value.type === 'composite_literal') return ['slice_type', 'array_type'].includes(value.childForFieldName('type')?.type ?? '');
  if (value.type === 'call_expression') return value.childForFieldName('function')?.text === 'make';
  // []byte(s): a new Go array (a non-empty one, where &b[i] does not panic).
  if (value.type === 'type_conversion_expression') return value.childForFieldName('type')?.type === 'slice_type';
  return false;
}

/** The path a use of the variable reaches (`v.a.b` → `a.b`, `v[0].p` → `[0].p`), and the outermost node of it. */
function usePath(id: Node): { path: string; top: Node; dynamicIndex: boolean } {
  let path = '';
  let top = id;
  let dynamicIndex = false;
  for (;;) {
    const parent = top.parent;
    if (parent?.type === 'selector_expression' && parent.childForFieldName('operand')?.equals(top)) {
      path = `${path}${path ? '.' : ''}${parent.childForFieldName('field')?.text}`;
      top = parent;
    } else if (parent?.type === 'index_expression' && parent.childForFieldName('operand')?.equals(top)) {
      const index = parent.childForFieldName('index');
      if (index?.type === 'int_literal') path = `${path}[${index.text}]`;
      else {
        path = `${path}[*]`;
        dynamicIndex = true;
      }
      top = parent;
    } else if (parent?.type === 'parenthesized_expression') top = parent;
    else return { path: path.replace(/^\./, ''), top, dynamicIndex };
  }
}

/**
 * Reads the function's uses of the variable up to the call: stores on the straight way to it
 * (statements that precede the call's statement in the lists around it) set what a place
 * holds; every other use that may change it (a store in a branch or in a later round of a
 * loop, `&v.f`, a method call, v passed anywhere) makes it unknown.
 */
function followStores(memory: Memory, index: FunctionIndex, call: Node, checkedArg: Node, shapes: GoShapes): void {
  const { fn } = index;
  const ctx = valueContext(index, shapes);
  // Loops around the call inside the variable's scope: uses after the call in them come before the next round's call.
  const loops: Node[] = [];
  for (let n = call.parent; n && !n.equals(fn); n = n.parent) {
    if (n.type === 'for_statement' && n.startIndex > memory.declaration.startIndex) loops.push(n);
  }
  const uses = index.uses(memory.variable).filter((n) => !n.equals(memory.nameNode) && n.startIndex > memory.nameNode.startIndex);
  for (const use of uses) {
    if (checkedArg.startIndex <= use.startIndex && use.endIndex <= checkedArg.endIndex) continue;
    const before = use.endIndex <= call.startIndex;
    const inLoopAfter = !before && loops.some((l) => l.startIndex <= use.startIndex && use.endIndex <= l.endIndex);
    if (!before && !inLoopAfter) continue;
    for (let n = use.parent; n && !n.equals(fn); n = n.parent) if (n.type === 'func_literal') throw new Unknown();
    const { path, top, dynamicIndex } = usePath(use);
    const parent = top.parent;
    const storeStmt = parent?.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.equals(parent) ? parent.parent : undefined;
    if (storeStmt) {
      const target = path;
      if (memory.elements && !target.startsWith('[')) {
        // `v = …` replaces the slice: a new backing array.
        throw new Unknown();
      }
      const onTheWay = before && !inLoopAfter && storeStmt.childForFieldName('operator')?.text === '=' && precedesOnTheWay(storeStmt, call);
      if (!onTheWay || dynamicIndex || target === '') {
        invalidate(memory, dynamicIndex ? '' : target);
        continue;
      }
      const right = storeStmt.childForFieldName('right')?.namedChildren ?? [];
      const left = parent?.namedChildren ?? [];
      const value = right.length === left.length ? right[left.findIndex((n) => n?.equals(top))] : null;
      setPath(memory, target, storedValue(value ?? null, ctx), value ?? undefined);
      continue;
    }
    // Reads of a place copy its value; the variable's own memory stays as it is.
    if (path !== '' && isRead(top)) continue;
    if (path === '' && parent?.type === 'argument_list' && ['len', 'cap'].includes(parent.parent?.childForFieldName('function')?.text ?? '')) continue;
    invalidate(memory, path.replace(/\[\*\].*$/, ''));
  }
}

/** Whether a node (`v.f`, `v[0]`) is only read: not under `&`, not called, not incremented. */
function isRead(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '&') return false;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.equals(node)) return false;
  if (parent.type === 'inc_statement' || parent.type === 'dec_statement') return false;
  // Passed to a function by value (a copy), compared, converted, assigned from: all reads.
  return true;
}

function invalidate(memory: Memory, path: string): void {
  if (path === '') {
    memory.stored.clear();
    memory.initial = 'unknown';
    return;
  }
  setPath(memory, path, 'unknown', undefined);
}

/** Whether a statement runs, every time, before the call: it precedes the call's statement in a list around the call. */
function precedesOnTheWay(stmt: Node, call: Node): boolean {
  const list = stmt.parent;
  if (list?.type !== 'statement_list') return false;
  if (!(list.startIndex <= call.startIndex && call.endIndex <= list.endIndex)) return false;
  return stmt.endIndex <= call.startIndex && !(stmt.startIndex <= call.startIndex && call.endIndex <= stmt.endIndex);
}

interface Verdict {
  /** The place that makes the check panic. */
  slot: PointerSlot;
  /** Whether every place the check visits before it is known not to panic: then the 1.26 message names its kind. */
  first: boolean;
  /** Every place holding a Go pointer, when all are known and can be pinned: the fix pins them. */
  pin: PointerSlot[] | undefined;
}

/** Where the check panics, if it surely does. */
function judge(memory: Memory): Verdict | undefined {
  const slots = memorySlots(memory);
  let verdict: Verdict | undefined;
  let allKnown = true;
  const goSlots: PointerSlot[] = [];
  for (const slot of slots) {
    const value = slot.kind === 'unknown' ? 'unknown' : valueAt(memory, slot.path);
    // Scanned word by word, a nil map or channel is a nil pointer.
    const refused = !memory.pointee && (slot.kind === 'map' || slot.kind === 'channel');
    const panics = refused || (value === 'go' && slot.kind !== 'string' && slot.kind !== 'func');
    if (panics) {
      verdict ??= { slot, first: allKnown, pin: undefined };
      goSlots.push(slot);
    } else if (value !== 'safe') allKnown = false;
  }
  if (!verdict) return undefined;
  // What storedValue calls a Go pointer is a pointer, so Pin takes it (in an interface too).
  const pinnable = goSlots.every((s) => s.kind === 'pointer' || s.kind === 'unsafe pointer' || s.kind === 'interface');
  if (allKnown && pinnable) verdict.pin = goSlots;
  return verdict;
}

function memorySlots(memory: Memory): PointerSlot[] {
  if (!memory.elements) return pointerSlots(memory.shape);
  // Every element up to the literal's length (a literal's capacity), or those stored into;
  // the rest unknown unless the slice came from a literal.
  const { length } = memory;
  const indices = new Set<number>();
  if (length !== undefined) for (let i = 0; i < length; i++) indices.add(i);
  for (const key of memory.stored.keys()) {
    const m = /^\[(\d+)\]/.exec(key);
    if (m) indices.add(Number(m[1]));
  }
  const slots: PointerSlot[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) slots.push(...pointerSlots(memory.shape, `[${i}]`));
  if (length === undefined || [...indices].some((i) => i >= length)) slots.push({ path: '[*]', kind: 'unknown' });
  return slots;
}

/** What a place holds: the value stored at it or at a place around it, else the initial value. */
function valueAt(memory: Memory, path: string): StoredValue {
  for (let p = path; ; ) {
    const v = memory.stored.get(p);
    if (v !== undefined) return v;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return memory.initial;
}

/** The runtime's panic text for Go 1.<minor> (runtime/cgocall.go; the kind's name since 1.26). */
function panicText(minor: number, kind: PointerKind | undefined): string {
  if (minor < pinnerSince) return 'cgo argument has Go pointer to Go pointer';
  if (minor < 26) return 'cgo argument has Go pointer to unpinned Go pointer';
  return `argument of cgo function has Go pointer to unpinned Go ${kind ?? 'pointer'}`;
}

function placeName(memory: Memory, path: string): string {
  if (memory.literal) return path === '' ? 'it' : `its field ${path}`;
  if (path === '') return memory.variable;
  return path.startsWith('[') ? `${memory.variable}${path}` : `${memory.variable}.${path}`;
}

function report(ctx: RuleContext, file: CgoFile, call: Node, cName: string, arg: Node, memory: Memory, verdict: Verdict, index: FunctionIndex, shapes: GoShapes): RuleFinding {
  const minor = ctx.pkg.target.goMinor;
  const { slot } = verdict;
  // cgoCheckUnknownPointer names whatever it finds a "pointer".
  const kind = memory.pointee ? 'pointer' : slot.kind === 'unknown' ? undefined : slot.kind;
  const exact = minor < 26 || verdict.first || memory.pointee;
  const text = panicText(minor, kind);
  const place = placeName(memory, slot.path);
  const from = memory.storedFrom.get(slot.path);
  const line = from ? ` (line ${file.lines.lineOf(from.startIndex) + 1})` : '';
  const holds =
    slot.kind === 'map' || slot.kind === 'channel'
      ? `${place} is a ${slot.kind === 'map' ? 'map' : 'channel'}, which the check refuses whatever its value`
      : `${place} holds a Go pointer${line}`;
  const given = memory.elements
    ? `&${memory.variable}[…] (every element of ${memory.variable} is checked), Go memory,`
    : memory.pointee
      ? `${memory.variable}, a pointer to a Go object that the check scans whole,`
      : `&${memory.variable}, Go memory,`;
  const quoted = exact ? `"panic: runtime error: ${text}"` : `a panic like "panic: runtime error: ${text}"`;
  const how =
    slot.kind === 'map' || slot.kind === 'channel'
      ? `Pass C only memory without maps and channels (keep them on the Go side, or hand C a runtime/cgo.Handle).`
      : minor >= pinnerSince
        ? `Pin what it points to with a runtime.Pinner for the call, or keep that memory in C (C.malloc) and copy.`
        : `Keep the memory it points to in C (C.malloc) and copy, or, from Go 1.21, pin it with a runtime.Pinner.`;
  const pin = verdict.pin && minor >= pinnerSince && !memory.literal ? pinFix(file, call, memory, verdict.pin, index, shapes) : undefined;
  const copy = verdict.pin?.length === 1 && !memory.literal && declaresFree(ctx, file) ? copyToCFix(file, call, memory, verdict.pin[0], index) : undefined;
  // The pin keeps the program as it is; the copy is the one fix before Go 1.21.
  const fixes = [pin, copy && { ...copy, preferred: !pin }].filter((f): f is Fix => !!f);
  return {
    file: file.path,
    start: arg.startIndex,
    end: arg.endIndex,
    message: `go run panics here with ${quoted} (cgo's pointer check, GODEBUG=cgocheck=1, the default): C.${cName} is given ${given} and ${holds}. ${how}`,
    fixes,
  };
}

/** `var pinner runtime.Pinner`, `defer pinner.Unpin()` and a Pin of each Go pointer, before the call's statement. */
function pinFix(file: CgoFile, call: Node, memory: Memory, slots: PointerSlot[], index: FunctionIndex, shapes: GoShapes): Fix | undefined {
  const { fn } = index;
  // A pinned pointer passes, but the check then scans the Go object it points into
  // (cgoCheckUnknownPointer; for an interface, cgoCheckArg on its value): that object must hold
  // no pointers, or pinning the one would not be enough.
  if (!slots.every((s) => pointsToPointerFreeObject(memory.storedFrom.get(s.path), index, shapes, call) && !reachedThrough(memory, s.path, index))) return undefined;
  // The statement holding the call, in a statement list, with no block between (not in a branch of it).
  let stmt: Node = call;
  while (stmt.parent && stmt.parent.type !== 'statement_list') {
    if (stmt.parent.type === 'block' || stmt.parent.equals(fn) || stmt.parent.type === 'for_statement') return undefined;
    stmt = stmt.parent;
  }
  if (!stmt.parent) return undefined;
  const text = file.text;
  const lineStart = file.lines.lineStarts[file.lines.lineOf(stmt.startIndex)];
  const indent = text.slice(lineStart, stmt.startIndex);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const runtimeName = importedName(text, 'runtime');
  if (runtimeName === null) return undefined;
  let pinner = 'pinner';
  for (let i = 2; index.uses(pinner).length > 0; i++) pinner = `pinner${i}`;
  const eol = file.lines.eol;
  const pins = slots.map((s) => `${indent}${pinner}.Pin(${placeName(memory, s.path)})${eol}`);
  const rt = runtimeName ?? 'runtime';
  const edits: TextEdit[] = [{ file: file.path, start: lineStart, end: lineStart, newText: `${indent}var ${pinner} ${rt}.Pinner${eol}${indent}defer ${pinner}.Unpin()${eol}${pins.join('')}` }];
  if (runtimeName === undefined) {
    const insertion = addImportInsertion(text, 'runtime', eol);
    if (!insertion) return undefined;
    edits.push({ file: file.path, start: insertion.at, end: insertion.at, newText: insertion.newText });
  }
  const what = slots.map((s) => placeName(memory, s.path)).join(', ');
  return { title: `Pin ${what} with a runtime.Pinner for the call`, preferred: true, edits };
}

/** Whether the Go object a stored pointer (`&x`, `&x[i]`, `&T{…}`, `new(T)`, converted) points into surely holds no pointers. */
function pointsToPointerFreeObject(expr: Node | undefined, index: FunctionIndex, shapes: GoShapes, call: Node): boolean {
  let e: Node | null | undefined = expr;
  while (e && (e.type === 'parenthesized_expression' || (e.type === 'call_expression' && isPointerConversion(e.childForFieldName('function'), index.unsafeName)))) {
    e = e.type === 'parenthesized_expression' ? e.namedChildren[0] : e.childForFieldName('arguments')?.namedChildren[0];
  }
  if (!e) return false;
  if (e.type === 'call_expression' && e.childForFieldName('function')?.text === 'new') {
    return !mayHoldPointers(shapes.ofType(e.childForFieldName('arguments')?.namedChildren[0] ?? null));
  }
  if (e.type !== 'unary_expression' || e.childForFieldName('operator')?.text !== '&') return false;
  const operand = e.childForFieldName('operand');
  if (operand?.type === 'composite_literal') return !mayHoldPointers(shapes.ofType(operand.childForFieldName('type')));
  // The object: the variable's own, or a slice's array when the address is of its element.
  let base = operand;
  let throughIndex = false;
  while (base?.type === 'selector_expression' || base?.type === 'index_expression') {
    throughIndex = base.type === 'index_expression';
    base = base.childForFieldName('operand');
  }
  if (base?.type !== 'identifier') return false;
  const d = index.sole(base.text);
  const object = d && localObject(d, shapes);
  if (!object) return false;
  const shape = throughIndex && object.elements ? object.elements : object.whole;
  if (!mayHoldPointers(shape)) return true;
  // `&tail` of a local whose pointer fields hold nothing Go's at the call (tail.next nil).
  if (operand?.type !== 'identifier') return false;
  try {
    const pointee = memoryOf(operand, index, call, shapes);
    if (!pointee || pointee.elements) return false;
    followStores(pointee, index, call, e, shapes);
    return memorySlots(pointee).every((slot) => slot.kind !== 'unknown' && slot.kind !== 'map' && slot.kind !== 'channel' && valueAt(pointee, slot.path) === 'safe');
  } catch (err) {
    if (err instanceof Unknown) return false;
    throw err;
  }
}

/** Whether the function reaches past a pinned place (`head.next.next = …`): what the pointee holds then is not seen. */
function reachedThrough(memory: Memory, path: string, index: FunctionIndex): boolean {
  return index.uses(memory.variable).some((use) => {
    const reached = usePath(use).path;
    return path === '' ? reached !== '' && memory.shape.kind === 'pointer' : reached.startsWith(`${path}.`) || reached.startsWith(`${path}[`);
  });
}

/** A local's shape from its declaration (its type, a literal's, a conversion's, make's), and its elements' when it is a slice. */
function localObject(d: Declaration, shapes: GoShapes): { whole: GoShape; elements?: GoShape } | undefined {
  const ofTypeNode = (type: Node | null): { whole: GoShape; elements?: GoShape } => {
    let t = type;
    while (t?.type === 'parenthesized_type') t = t.namedChildren[0] ?? null;
    return t?.type === 'slice_type' ? { whole: { kind: 'slice' }, elements: shapes.ofType(t.childForFieldName('element')) } : { whole: shapes.ofType(t) };
  };
  if (d.decl.type !== 'var_spec' && d.decl.type !== 'short_var_declaration') return undefined;
  const declared = d.decl.type === 'var_spec' ? d.decl.childForFieldName('type') : null;
  if (declared) return ofTypeNode(declared);
  const value = initialValue(d);
  if (!value) return undefined;
  switch (value.type) {
    case 'composite_literal':
    case 'type_conversion_expression':
      return ofTypeNode(value.childForFieldName('type'));
    case 'int_literal':
    case 'float_literal':
    case 'rune_literal':
      return { whole: { kind: 'scalar' } };
    case 'call_expression': {
      const fn = value.childForFieldName('function');
      if (fn?.text === 'make') return ofTypeNode(value.childForFieldName('arguments')?.namedChildren[0] ?? null);
      // C.int(40): a conversion to cgo's type (a C function's name has no shape).
      if (fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.text === 'C') return { whole: shapes.ofCName(fn.childForFieldName('field')?.text ?? '') };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Whether C.free is declared for the file: it includes <stdlib.h>, or its preamble or a project header declares free. */
function declaresFree(ctx: RuleContext, file: CgoFile): boolean {
  const walk = ctx.includes(file);
  return (!walk.unknown && walk.system.some((header) => header.name === 'stdlib.h')) || ctx.cScope(file).names.has('free');
}

/**
 * `x.f = (*C.char)(unsafe.Pointer(&buf[0]))` of a []byte buf, into a C field declared as a
 * pointer to const (C only reads through it): store `C.CBytes(buf)` instead, a copy in C memory,
 * and free it with a defer. Offered only when nothing touches buf between the store and the call
 * (the copy would miss it), and `free` is declared for the file.
 */
function copyToCFix(file: CgoFile, call: Node, memory: Memory, slot: PointerSlot, index: FunctionIndex): Fix | undefined {
  if (!slot.readOnly || slot.path === '' || memory.elements || !index.unsafeName) return undefined;
  const value = memory.storedFrom.get(slot.path);
  const store = value?.parent?.parent;
  if (!value || value.parent?.type !== 'expression_list' || store?.type !== 'assignment_statement' || store.childForFieldName('right')?.namedChildCount !== 1) return undefined;
  // The unsafe.Pointer(&buf[0]) inside the stored expression.
  let conversion: Node | null = value;
  while (conversion?.type === 'call_expression' && isPointerConversion(conversion.childForFieldName('function'), index.unsafeName) && conversion.childForFieldName('function')?.type !== 'selector_expression') {
    conversion = conversion.childForFieldName('arguments')?.namedChildren[0] ?? null;
  }
  if (conversion?.type !== 'call_expression' || conversion.childForFieldName('function')?.type !== 'selector_expression' || !isPointerConversion(conversion.childForFieldName('function'), index.unsafeName)) return undefined;
  const address = conversion.childForFieldName('arguments')?.namedChildren[0];
  const element = address?.type === 'unary_expression' && address.childForFieldName('operator')?.text === '&' ? address.childForFieldName('operand') : null;
  const buf = element?.type === 'index_expression' && element.childForFieldName('index')?.text === '0' ? element.childForFieldName('operand') : null;
  if (buf?.type !== 'identifier' || !index.isGoBacked(buf.text) || !isByteSlice(index.sole(buf.text))) return undefined;
  // buf untouched from the store to the call, and the store not outside a loop the call is in.
  const lengthOnly = (u: Node): boolean => u.parent?.type === 'argument_list' && ['len', 'cap'].includes(u.parent.parent?.childForFieldName('function')?.text ?? '');
  if (index.uses(buf.text).some((u) => u.startIndex >= store.endIndex && u.endIndex <= call.startIndex && !lengthOnly(u))) return undefined;
  for (let n = call.parent; n && !n.equals(index.fn); n = n.parent) if (n.type === 'for_statement' && !(n.startIndex <= store.startIndex && store.endIndex <= n.endIndex)) return undefined;
  const text = file.text;
  const lineStart = file.lines.lineStarts[file.lines.lineOf(store.startIndex)];
  const indent = text.slice(lineStart, store.startIndex);
  const endLine = file.lines.lineOf(store.endIndex);
  const nextLine = file.lines.lineStarts[endLine + 1];
  if (!/^[ \t]*$/.test(indent) || nextLine === undefined || !/^[ \t]*(?:\/\/[^\n]*)?\r?\n$/.test(text.slice(store.endIndex, nextLine))) return undefined;
  const place = placeName(memory, slot.path);
  return {
    title: `Copy ${buf.text} to C memory for ${place} (C.CBytes), freed with a defer`,
    preferred: false,
    edits: [
      { file: file.path, start: conversion.startIndex, end: conversion.endIndex, newText: `C.CBytes(${buf.text})` },
      { file: file.path, start: nextLine, end: nextLine, newText: `${indent}defer C.free(${index.unsafeName}.Pointer(${place}))${file.lines.eol}` },
    ],
  };
}

/** Whether a local is declared a []byte (C.CBytes takes one). */
function isByteSlice(d: Declaration | undefined): boolean {
  if (!d) return false;
  const value = initialValue(d);
  const type =
    d.decl.type === 'var_spec' && d.decl.childForFieldName('type')
      ? d.decl.childForFieldName('type')
      : value?.type === 'composite_literal' || value?.type === 'type_conversion_expression'
        ? value.childForFieldName('type')
        : value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'make'
          ? (value.childForFieldName('arguments')?.namedChildren[0] ?? null)
          : null;
  return !!type && /^\[\]\s*(?:byte|uint8)$/.test(type.text);
}
