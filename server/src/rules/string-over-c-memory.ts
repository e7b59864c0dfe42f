// A string made with unsafe.String over C memory that the same function writes afterwards while
// the string is still used: the cgo-pains article's "Slices vs Strings".
//
//     slice := unsafe.Slice(cat_name.data, cat_name.len)
//     str := unsafe.String((*byte)(unsafe.Pointer(cat_name.data)), cat_name.len)
//     slice[0] -= 32                 // str is now "Kitty"
//     fmt.Println(str)
//
// unsafe.String's doc: "Since Go strings are immutable, the bytes passed to String must not be
// modified afterwards" (Go 1.20 to 1.22), "... as long as the returned string value exists"
// (Go 1.23 to 1.27.3). Neither cgocheck nor cgocheck2 notices. A write counts when it goes through an unsafe.Slice over the same
// pointer (an index assignment, ++/--, copy), through `*p = …`, through a C function whose
// declaration (preamble or project header) takes that pointer as non-const, or through C.free.
// It counts only where the string is used after it on some path: read after the write, or
// returned from the function when the write is deferred. Everything else stays silent: the
// pointer or the string reassigned or its address taken, either captured by a closure, the
// string handed on before the write (stored, passed to a Go function), a C function whose
// declaration cannot be read, a slice whose writes may miss the string's bytes.
// unsafe.String exists since Go 1.20 (Go 1.19.8's src/unsafe/unsafe.go has no String): the rule
// says nothing for older releases.
//
// The fix copies the bytes instead: C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(n)).
import type { Node } from 'web-tree-sitter';
import type { CScope, CType } from '../cgo/cdecl';
import type { Fix } from '../cgo/findings';
import { enclosingFunction, GoBindings, isParameter, type Binding } from '../cgo/gobindings';
import { cName, enclosingFuncLiteral, isPointerConversion, OutOfSight, refersToBinding, unsafeImportName } from '../cgo/goflow';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

/** unsafe.String is new in Go 1.20 (src/unsafe/unsafe.go). */
const firstGoMinorWithUnsafeString = 20;

/** How src/unsafe/unsafe.go ends its rule for unsafe.String's bytes ("…must not be modified …"), by release. */
function unsafeStringDoc(goMinor: number): string {
  return goMinor >= 23 ? 'as long as the returned string value exists' : 'afterwards';
}

/** cgo's own functions that only read the memory they are given (cmd/cgo's doc). */
const cgoReaders = new Set(['GoString', 'GoStringN', 'GoBytes']);

/** Calls after which a path does not go on. */
const noReturnCalls = new Set(['panic', 'os.Exit', 'log.Fatal', 'log.Fatalf', 'log.Fatalln', 'log.Panic', 'log.Panicf', 'log.Panicln', 'runtime.Goexit']);

export const stringOverCMemory: Rule = {
  id: 'string-over-c-memory',
  defaultSeverity: 'warning',
  summary: 'unsafe.String over C memory that the function writes (through an unsafe.Slice, a C call, C.free) while the string is still used.',
  check(ctx) {
    if (ctx.pkg.target.goMinor < firstGoMinorWithUnsafeString) return [];
    const findings: RuleFinding[] = [];
    for (const file of ctx.pkg.cgoFiles) {
      if (file.isTest || !/\bString\s*\(/.test(file.text) || !file.included) continue;
      const unsafeName = unsafeImportName(file.text);
      if (!unsafeName) continue;
      if (!new RegExp(String.raw`\b${unsafeName}\s*\.\s*String\s*\(`).test(file.text)) continue;
      const bindings = new GoBindings(file.tree.rootNode);
      for (const call of file.tree.rootNode.descendantsOfType('call_expression')) {
        if (!call || !isUnsafeCall(call, unsafeName, 'String')) continue;
        try {
          const finding = checkString(ctx, file, call, unsafeName, bindings);
          if (finding) findings.push(finding);
        } catch (e) {
          if (!(e instanceof OutOfSight)) throw e;
        }
      }
    }
    return findings;
  },
};

function isUnsafeCall(call: Node, unsafeName: string, name: string): boolean {
  const fn = call.childForFieldName('function');
  return fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.text === unsafeName && fn.childForFieldName('field')?.text === name;
}

function args(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => !!n);
}

/** The expression inside `(*T)(…)`, `unsafe.Pointer(…)` and parentheses. */
function stripPointerConversions(node: Node, unsafeName: string): Node {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0]!;
    else if (n.type === 'call_expression' && isPointerConversion(n.childForFieldName('function'), unsafeName) && args(n).length === 1) n = args(n)[0];
    else return n;
  }
}

/** `x` or `x.f.g`: the memory's pointer as the function spells it, with its root variable. */
function pointerPath(node: Node): { key: string; root: Node } | undefined {
  let n = node;
  while (n.type === 'selector_expression') n = n.childForFieldName('operand')!;
  if (n.type !== 'identifier' || n.text === 'C') return undefined;
  return { key: node.text.replace(/\s+/g, ''), root: n };
}

const sameText = (a: Node, b: Node): boolean => a.text.replace(/\s+/g, '') === b.text.replace(/\s+/g, '');

/** Integer conversions a length is written with: the same text is the same value. */
const integerConversions = new Set([
  'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr',
  'C.char', 'C.schar', 'C.uchar', 'C.short', 'C.ushort', 'C.int', 'C.uint', 'C.long', 'C.ulong', 'C.longlong', 'C.ulonglong', 'C.size_t',
]);

/**
 * Whether the same text of an expression means the same value everywhere in the function: it
 * calls nothing but integer conversions (`C.strlen(p)` changes with the memory), and every
 * variable it reads is declared with its value once and never assigned.
 */
function isStable(expr: Node, fn: Node, bindings: GoBindings): boolean {
  const calls = [expr, ...expr.descendantsOfType('call_expression')].filter((n): n is Node => n?.type === 'call_expression');
  if (calls.some((c) => !integerConversions.has(c.childForFieldName('function')?.text.replace(/\s+/g, '') ?? ''))) return false;
  const names = new Set([expr, ...expr.descendantsOfType('identifier')].filter((n): n is Node => n?.type === 'identifier').map((n) => n.text));
  for (const name of names) {
    const ids = bindings.identifiersNamed(name, fn.startIndex, fn.endIndex);
    const declared = ids.filter((id) => id.parent?.type === 'expression_list' && id.parent.parent?.type === 'short_var_declaration' && id.parent.parent.childForFieldName('left')?.equals(id.parent));
    if (declared.length > 1 || ids.some(isAssigned)) return false;
  }
  return true;
}

/** The memory one unsafe.String call views: its pointer's path and the local (or parameter) at its root. */
interface Memory {
  key: string;
  root: Binding;
  bindings: GoBindings;
  unsafeName: string;
  fn: Node;
}

interface Write {
  /** Where the write happens: its statement or call; for a deferred one, the defer statement. */
  at: Node;
  deferred: boolean;
  /** A C call that may write (its parameter is not const), as opposed to a write for sure. */
  maybe: boolean;
  /** The code that writes, and what it does to the memory, for the message. */
  code: string;
  effect: string;
}

function checkString(ctx: RuleContext, file: CgoFile, call: Node, unsafeName: string, bindings: GoBindings): RuleFinding | undefined {
  const [ptrArg, lenArg] = args(call);
  if (!ptrArg || !lenArg || args(call).length !== 2) return undefined;
  const path = pointerPath(stripPointerConversions(ptrArg, unsafeName));
  const fn = enclosingFunction(call);
  if (!path || !fn) return undefined;
  const root = bindingOf(path.root, fn, bindings);
  if (!root || !holdsCMemory(root)) return undefined;
  const memory: Memory = { key: path.key, root, bindings, unsafeName, fn };
  checkRootStaysPut(memory, bindings);

  // Where the string goes: a local variable, or straight out of the function.
  const held = stringVariable(call, fn, bindings);
  const returnedHere = held ? undefined : returnOf(call, fn);
  if (!held && !returnedHere) return undefined;
  const stringUses = held ? usesOfString(held, bindings) : [];

  const writes = [...sliceWrites(memory, lenArg, bindings), ...cWrites(ctx, file, memory), ...derefWrites(memory, bindings)];
  for (const w of writes) {
    if (w.deferred) {
      // A deferred write runs after a return has evaluated its results: a returned string holds
      // the memory as it is after the write.
      const returns = returnedHere ? [returnedHere] : stringUses.filter((u) => u.returned).map((u) => u.returned!);
      const hit = returns.find((r) => reachable(w.at, r, fn));
      if (hit) return report(ctx, file, call, memory, held?.name, w, hit, lenArg);
      continue;
    }
    if (!held || !reachable(call, w.at, fn)) continue;
    const use = stringUses.find((u) => reachable(w.at, u.node, fn));
    if (use) return report(ctx, file, call, memory, held.name, w, use.node, lenArg);
  }
  return undefined;
}

/** The local variable or parameter (or receiver) `id` names, declared in the function `fn` itself and used outside any func literal; undefined for anything else. */
function bindingOf(id: Node, fn: Node, bindings: GoBindings): Binding | undefined {
  if (enclosingFunction(id)?.equals(fn) !== true) return undefined;
  const b = bindings.bindingOf(id);
  if (!b || b.function?.equals(fn) !== true) return undefined;
  if (b.kind === 'parameter' || b.kind === 'receiver') return b.stmt.type === 'parameter_declaration' ? b : undefined;
  // Declared in a statement list (not an if/for/switch header).
  return (b.kind === 'var' || b.kind === 'const') && b.list ? b : undefined;
}

/**
 * Whether the variable holds C memory (or a C struct holding pointers to it): a parameter of a C
 * type (`p *C.char`, `s C.String`), or a local whose value is what a C function returned
 * (through conversions), as `cat_name := C.animal_cat_get_name(&cat)`.
 */
function holdsCMemory(binding: Binding): boolean {
  if (isParameter(binding)) return !!binding.type && /^(\*\s*)?C\s*\./.test(binding.type.text);
  if (!binding.value) return false;
  let n = binding.value;
  while (n.type === 'parenthesized_expression' || (n.type === 'call_expression' && isConversionCall(n))) n = n.type === 'parenthesized_expression' ? n.namedChildren[0]! : args(n)[0];
  const c = n.type === 'call_expression' ? cName(n) : undefined;
  return c !== undefined && !cgoReaders.has(c);
}

/** `(*T)(x)`, `unsafe.Pointer(x)`, `T(x)` for a C type: a conversion of one argument. */
function isConversionCall(call: Node): boolean {
  const fn = call.childForFieldName('function');
  if (args(call).length !== 1 || !fn) return false;
  if (fn.type === 'parenthesized_expression') return true;
  return fn.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'Pointer';
}

/** The binding's uses after its declaration, within the function. */
function usesOf(binding: Binding, fn: Node, bindings: GoBindings): Node[] {
  const from = isParameter(binding) ? fn.startIndex : binding.stmt.endIndex;
  return bindings.identifiersNamed(binding.name, from, fn.endIndex).filter((id) => !isParameterName(id) && refersToBinding(bindings, id, binding));
}

function isParameterName(id: Node): boolean {
  return id.parent?.type === 'parameter_declaration' && id.parent.childrenForFieldName('name').some((n) => n?.equals(id));
}

/**
 * The pointer's root variable must keep pointing at the same memory: not assigned, not
 * address-taken, not captured (but by a deferred closure, which runs once, at the return).
 */
function checkRootStaysPut(memory: Memory, bindings: GoBindings): void {
  for (const id of usesOf(memory.root, memory.fn, bindings)) {
    if (enclosingFuncLiteral(id, memory.fn) && placeOf(id, memory.fn)?.deferred !== true) throw new OutOfSight();
    let e: Node = id;
    while (e.parent?.type === 'selector_expression' && e.parent.childForFieldName('operand')?.equals(e)) e = e.parent;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    if (isAssigned(e) || (e.parent?.type === 'unary_expression' && e.parent.childForFieldName('operator')?.text === '&')) throw new OutOfSight();
  }
}

/** Whether an expression is written as a whole: the left side of an assignment, or ++/--. */
function isAssigned(e: Node): boolean {
  const parent = e.parent;
  if (parent?.type === 'inc_statement' || parent?.type === 'dec_statement') return true;
  return parent?.type === 'expression_list' && parent.parent?.type === 'assignment_statement' && parent.parent.childForFieldName('left')?.equals(parent) === true;
}

/** The local the string is declared into: `s := unsafe.String(…)`, `var s = unsafe.String(…)`. */
function stringVariable(call: Node, fn: Node, bindings: GoBindings): Binding | undefined {
  let value: Node = call;
  while (value.parent?.type === 'parenthesized_expression') value = value.parent;
  const list = value.parent;
  const holder = list?.type === 'expression_list' ? list.parent : undefined;
  const stmt = holder?.type === 'var_spec' ? holder.parent : holder;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'var_declaration') || stmt.parent?.type !== 'statement_list') return undefined;
  if (enclosingFunction(stmt)?.equals(fn) !== true) return undefined;
  const names = holder!.type === 'var_spec' ? holder!.childrenForFieldName('name') : (holder!.childForFieldName('left')?.namedChildren ?? []);
  const index = list!.namedChildren.findIndex((n) => n?.equals(value));
  const name = names.length === list!.namedChildCount ? names[index] : undefined;
  if (name?.type !== 'identifier' || name.text === '_') return undefined;
  // Not `s, err := …` declaring s again, which assigns it.
  const b = bindings.bindingOf(name);
  return b?.ident.equals(name) ? b : undefined;
}

/** The return statement whose results hold the call itself (`return unsafe.String(…)`, `return T{s: unsafe.String(…)}, nil`). */
function returnOf(call: Node, fn: Node): Node | undefined {
  for (let n = call.parent; n && !n.equals(fn); n = n.parent) {
    if (n.type === 'return_statement') return n;
    if (n.type === 'func_literal' || n.type.endsWith('_statement') || n.type === 'statement_list') return undefined;
    // Only values that hold the string as it is: a call (other than a conversion) may copy it.
    if (n.type === 'call_expression' || n.type === 'binary_expression' || n.type === 'index_expression' || n.type === 'slice_expression') return undefined;
  }
  return undefined;
}

interface StringUse {
  node: Node;
  /** The return statement, when the use is a result of one (the string leaves the function). */
  returned?: Node;
}

/** Where the string variable is read after its declaration; OutOfSight when it may change or be read unseen. */
function usesOfString(binding: Binding, bindings: GoBindings): StringUse[] {
  const fn = binding.function!;
  const uses: StringUse[] = [];
  for (const id of usesOf(binding, fn, bindings)) {
    if (enclosingFuncLiteral(id, fn)) throw new OutOfSight();
    let e: Node = id;
    while (e.parent?.type === 'parenthesized_expression') e = e.parent;
    if (isAssigned(e) || (e.parent?.type === 'unary_expression' && e.parent.childForFieldName('operator')?.text === '&')) throw new OutOfSight();
    // len(s) reads the string's header, not its bytes.
    const call = e.parent?.type === 'argument_list' ? e.parent.parent : null;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.text === 'len') continue;
    const returned = e.parent?.type === 'expression_list' && e.parent.parent?.type === 'return_statement' ? e.parent.parent : e.parent?.type === 'return_statement' ? e.parent : undefined;
    uses.push({ node: id, returned });
  }
  return uses;
}

/** Whether an expression strips (conversions) to the memory's pointer path, through the same root variable. */
function isMemory(node: Node, memory: Memory): boolean {
  const path = pointerPath(stripPointerConversions(node, memory.unsafeName));
  return !!path && path.key === memory.key && refersToBinding(memory.bindings, path.root, memory.root);
}

/**
 * When a write at `node` happens: where it stands, or for a deferred one (`defer f(…)`,
 * `defer func() { … }()`) the defer statement; undefined inside other closures and `go`.
 */
function placeOf(node: Node, fn: Node): { at: Node; deferred: boolean } | undefined {
  const literal = enclosingFuncLiteral(node, fn);
  if (literal) {
    const deferStmt = literal.parent?.type === 'call_expression' && literal.parent.parent?.type === 'defer_statement' ? literal.parent.parent : undefined;
    if (!deferStmt || enclosingFuncLiteral(literal, fn)) return undefined;
    return { at: deferStmt, deferred: true };
  }
  for (let n = node.parent; n && !n.equals(fn); n = n.parent) {
    if (n.type === 'go_statement') return undefined;
    if (n.type === 'defer_statement') return { at: n, deferred: true };
  }
  return { at: node, deferred: false };
}

function write(place: { at: Node; deferred: boolean }, code: Node, effect: string, maybe = false): Write {
  return { ...place, code: code.text, effect, maybe };
}

/** Writes through `slice := unsafe.Slice(p, n)` over the same pointer: `slice[i] = …`, `slice[i]++`, `copy(slice, …)`. */
function sliceWrites(memory: Memory, stringLen: Node, bindings: GoBindings): Write[] {
  const writes: Write[] = [];
  for (const call of memory.fn.descendantsOfType('call_expression')) {
    if (!call || !isUnsafeCall(call, memory.unsafeName, 'Slice')) continue;
    const [ptr, len] = args(call);
    if (!ptr || !len || !isMemory(ptr, memory)) continue;
    const slice = stringVariable(call, memory.fn, memory.bindings);
    if (!slice) continue;
    // Every in-bounds index of a slice as long as the string is one of the string's bytes.
    const sameLength = sameText(len, stringLen) && isStable(len, memory.fn, bindings);
    const covers = (index: Node | null | undefined): boolean => sameLength || index?.text === '0';
    let uses: Node[];
    try {
      uses = usesOf(slice, memory.fn, bindings);
    } catch (e) {
      if (e instanceof OutOfSight) continue;
      throw e;
    }
    const kept = uses.every((id) => !enclosingFuncLiteral(id, memory.fn) && !isAssigned(id) && !(id.parent?.type === 'unary_expression' && id.parent.childForFieldName('operator')?.text === '&'));
    if (!kept) continue;
    for (const id of uses) {
      const parent = id.parent;
      const effect = `writes it through ${slice.name}, an unsafe.Slice over the same pointer`;
      if (parent?.type === 'index_expression' && parent.childForFieldName('operand')?.equals(id) && isAssigned(parent) && covers(parent.childForFieldName('index'))) {
        const stmt = parent.parent!.type === 'expression_list' ? parent.parent!.parent! : parent.parent!;
        const place = placeOf(stmt, memory.fn);
        if (place) writes.push(write(place, stmt, effect));
        continue;
      }
      // copy(slice, src) or copy(slice[a:b], src): writes from the slice's first byte.
      let target: Node = id;
      const start = parent?.type === 'slice_expression' && parent.childForFieldName('operand')?.equals(id) ? parent.childForFieldName('start') : undefined;
      if (parent?.type === 'slice_expression' && (!start || covers(start))) target = parent;
      const copyCall = target.parent?.type === 'argument_list' ? target.parent.parent : null;
      if (copyCall?.type === 'call_expression' && copyCall.childForFieldName('function')?.text === 'copy' && args(copyCall)[0]?.equals(target)) {
        const place = placeOf(copyCall, memory.fn);
        if (place) writes.push(write(place, copyCall, effect));
      }
    }
  }
  return writes;
}

/** `*p = …` through the pointer itself (its first byte is the string's first). */
function derefWrites(memory: Memory, bindings: GoBindings): Write[] {
  const writes: Write[] = [];
  for (const id of usesOf(memory.root, memory.fn, bindings)) {
    let e: Node = id;
    while (e.parent && (e.parent.type === 'selector_expression' || e.parent.type === 'parenthesized_expression' || (e.parent.type === 'argument_list' && e.parent.parent?.type === 'call_expression' && isPointerConversion(e.parent.parent.childForFieldName('function'), memory.unsafeName)))) {
      e = e.parent.type === 'argument_list' ? e.parent.parent! : e.parent;
    }
    const star = e.parent;
    if (star?.type !== 'unary_expression' || star.childForFieldName('operator')?.text !== '*' || !isAssigned(star) || !isMemory(e, memory)) continue;
    const stmt = star.parent!.type === 'expression_list' ? star.parent!.parent! : star.parent!;
    const place = placeOf(stmt, memory.fn);
    if (place) writes.push(write(place, stmt, 'writes its first byte'));
  }
  return writes;
}

/** C calls given the pointer where their declaration takes it as non-const (`char *`, `void *`), and C.free. */
function cWrites(ctx: RuleContext, file: CgoFile, memory: Memory): Write[] {
  const writes: Write[] = [];
  let scope: CScope | undefined;
  for (const call of memory.fn.descendantsOfType('call_expression')) {
    const name = call ? cName(call) : undefined;
    if (!call || name === undefined || cgoReaders.has(name)) continue;
    const indexes = args(call).flatMap((a, i) => (isMemory(a, memory) ? [i] : []));
    if (indexes.length === 0) continue;
    const place = placeOf(call, memory.fn);
    if (!place) continue;
    if (name === 'free') {
      writes.push(write(place, call, 'frees it'));
      continue;
    }
    const cScope = (scope ??= ctx.cScope(file));
    const decl = cScope.names.get(name);
    const type = decl?.kind === 'function' ? decl.type : undefined;
    if (type?.kind !== 'function' || type.unprototyped) continue;
    const writable = indexes.some((i) => {
      if (i >= type.params.length) return false;
      const param = cScope.resolve(type.params[i].type);
      // A pointee typedef the scope cannot read (a system header's) may be const-qualified.
      return param.kind === 'pointer' && !param.toConst && cScope.resolve(param.to).kind !== 'typedef';
    });
    if (writable) writes.push(write(place, call, `may write it: C.${name} takes it as a pointer to non-const`, true));
  }
  return writes;
}

// ---------------------------------------------------------------------------------------------
// Paths: whether the flow can go from one place of a function to a later one, without loops
// (a later round of a loop is not followed: the cautious side).

/** Whether some path leads from `a` to `b` (both in `fn`, outside closures), going forward. */
function reachable(a: Node, b: Node, fn: Node): boolean {
  if (b.startIndex < a.endIndex) return false;
  if (enclosingFuncLiteral(a, fn) || enclosingFuncLiteral(b, fn)) return false;
  // The innermost node holding both.
  let common: Node | null = a.parent;
  while (common && !(common.startIndex <= b.startIndex && b.endIndex <= common.endIndex)) common = common.parent;
  if (!common) return false;
  const childOf = (n: Node): Node => {
    let c = n;
    while (!c.parent!.equals(common!)) c = c.parent!;
    return c;
  };
  const ca = childOf(a);
  const cb = childOf(b);
  if (common.type === 'statement_list') {
    if (!completes(a, ca)) return false;
    for (const s of common.namedChildren) {
      if (!s || s.startIndex < ca.endIndex) continue;
      if (s.startIndex >= cb.startIndex) break;
      if (terminates(s)) return false;
    }
    return true;
  }
  // A header (condition, initializer, switch value) runs before the bodies it leads to; two
  // branches or cases of one statement never both run (fallthrough is not followed).
  const isBody = (n: Node): boolean => n.type === 'block' || n.type.endsWith('_case') || n.type === 'statement_list' || n.type === 'if_statement';
  const compound = ['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];
  if (!compound.includes(common.type)) return false;
  return !isBody(ca) && isBody(cb);
}

/** Whether the flow, at `node`, can reach the end of `outer` (a statement holding it). */
function completes(node: Node, outer: Node): boolean {
  for (let n: Node = node; !n.equals(outer); n = n.parent!) {
    const list = n.parent;
    if (list?.type !== 'statement_list') continue;
    for (const s of list.namedChildren) {
      if (!s || s.startIndex < n.endIndex) continue;
      if (terminates(s)) return false;
    }
  }
  return true;
}

/** A statement after which its list does not go on: return, break, continue, goto, panic and friends. */
function terminates(stmt: Node): boolean {
  if (['return_statement', 'break_statement', 'continue_statement', 'goto_statement'].includes(stmt.type)) return true;
  const expr = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
  return expr?.type === 'call_expression' && noReturnCalls.has(expr.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '');
}

// ---------------------------------------------------------------------------------------------
// The finding and its fix.

function report(ctx: RuleContext, file: CgoFile, call: Node, memory: Memory, stringName: string | undefined, w: Write, use: Node, lenArg: Node): RuleFinding {
  const cScope = ctx.cScope(file);
  const line = (n: Node): number => file.lines.lineOf(n.startIndex) + 1;
  const what = stringName ?? 'the string';
  const when = w.deferred
    ? `the deferred ${w.code} (line ${line(w.at)}) ${w.effect} after the return at line ${line(use)} has handed ${what} to the caller`
    : `${w.code} (line ${line(w.at)}) ${w.effect}, while ${what} is still used (line ${line(use)})`;
  const copy = goStringN(call, memory.unsafeName, lenArg, isCharPointer(memory, cScope) && usesUnsafeOutside(file, call, memory.unsafeName));
  const fix: Fix = { title: `Copy the C bytes: ${copy}`, preferred: true, edits: [{ file: file.path, start: call.startIndex, end: call.endIndex, newText: copy }] };
  return {
    file: file.path,
    start: call.startIndex,
    end: call.endIndex,
    message:
      `unsafe.String makes ${what} over the C memory at ${memory.key}, and ${when}: ${what} ${w.maybe ? 'may change' : 'changes'} with it. ` +
      `Go strings are immutable; unsafe.String's doc says "the bytes passed to String must not be modified ${unsafeStringDoc(ctx.pkg.target.goMinor)}", ` +
      `and neither cgocheck nor cgocheck2 notices. Copy the bytes instead: ${copy}.`,
    fixes: [fix],
  };
}

/**
 * `C.GoStringN((*C.char)(unsafe.Pointer(p)), C.int(n))` for `unsafe.String((*byte)(unsafe.Pointer(p)), n)`;
 * `C.GoStringN(p, C.int(n))` when p is a *C.char and the file uses unsafe elsewhere (the import stays used).
 */
function goStringN(call: Node, unsafeName: string, lenArg: Node, pointerAsIs: boolean): string {
  const [ptrArg] = args(call);
  const alreadyInt = lenArg.type === 'call_expression' && lenArg.childForFieldName('function')?.text.replace(/\s+/g, '') === 'C.int';
  const length = alreadyInt ? lenArg.text : `C.int(${lenArg.text})`;
  if (pointerAsIs) return `C.GoStringN(${stripPointerConversions(ptrArg, unsafeName).text}, ${length})`;
  // Inside the outer (*byte)(…): an unsafe.Pointer(…) converts to *C.char directly.
  let inner = ptrArg;
  while (inner.type === 'parenthesized_expression' && inner.namedChildCount === 1) inner = inner.namedChildren[0]!;
  if (inner.type === 'call_expression' && inner.childForFieldName('function')?.type === 'parenthesized_expression' && args(inner).length === 1) inner = args(inner)[0];
  const isUnsafePointer = inner.type === 'call_expression' && isUnsafeCall(inner, unsafeName, 'Pointer') && args(inner).length === 1;
  const ptr = isUnsafePointer ? `(*C.char)(${inner.text})` : `(*C.char)(${unsafeName}.Pointer(${ptrArg.text}))`;
  return `C.GoStringN(${ptr}, ${length})`;
}

/**
 * Whether the memory's pointer is a *C.char as cgo types it: a `*C.char` parameter, C.CString's
 * result, or a C function's result or struct member declared `char *` (a typedef of char is
 * another Go type, so only plain char counts).
 */
function isCharPointer(memory: Memory, scope: CScope): boolean {
  const fields = memory.key.split('.').slice(1);
  let type: CType | undefined;
  if (isParameter(memory.root)) {
    if (fields.length > 0) return false;
    return memory.root.type?.text.replace(/\s+/g, '') === '*C.char';
  }
  const value = memory.root.value;
  const fn = value?.type === 'call_expression' ? cName(value) : undefined;
  if (fn === undefined) return false;
  if (fn === 'CString') return fields.length === 0;
  const decl = scope.names.get(fn);
  type = decl?.kind === 'function' && decl.type?.kind === 'function' ? decl.type.returns : undefined;
  for (const field of fields) {
    // Go reaches a member through one pointer (`p.data` for a `String *p`).
    let record = type ? scope.resolve(type) : undefined;
    if (record?.kind === 'pointer') record = scope.resolve(record.to);
    type = record?.kind === 'record' ? record.fields?.find((f) => f.name === field)?.type : undefined;
  }
  return type?.kind === 'pointer' && type.to.kind === 'builtin' && type.to.name === 'char';
}

/** Whether the file names package unsafe anywhere but inside `node` (so the import stays used without it). */
function usesUnsafeOutside(file: CgoFile, node: Node, unsafeName: string): boolean {
  const outside = (n: Node): boolean => n.endIndex <= node.startIndex || n.startIndex >= node.endIndex;
  for (const n of file.tree.rootNode.descendantsOfType(['selector_expression', 'qualified_type'])) {
    if (!n || !outside(n)) continue;
    const pkg = n.type === 'qualified_type' ? n.childForFieldName('package') : n.childForFieldName('operand');
    if (pkg?.text === unsafeName && (n.type === 'qualified_type' || pkg.type === 'identifier')) return true;
  }
  return false;
}
