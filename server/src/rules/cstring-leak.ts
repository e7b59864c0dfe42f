// C memory from C.CString, C.CBytes, C.malloc or C.calloc, held in a local variable, that some
// path out of the variable's scope does not free:
//
//     cs := C.CString(name)
//     if C.puts(cs) < 0 {
//         return errFailed           // leaks cs
//     }
//     C.free(unsafe.Pointer(cs))
//
// The Go garbage collector never frees C memory (cmd/cgo's doc, Go 1.19 and 1.26.8: "It is the
// caller's responsibility to arrange for it to be freed"). The rule follows one function's statements from the allocation, and stays
// silent as soon as the memory may change owner or the flow leaves what it can see: the
// variable returned, stored (field, global, element, composite literal), sent, captured by a
// closure or goroutine, passed to a Go function or method or to one of the project's own C
// functions (a wrapper, like a Go function), converted to something other than a pointer,
// reassigned, or passed to a C function whose name says it keeps what it is given
// (ownershipWords) or that is given C.free as a destructor; also `goto`, `fallthrough`, a
// free inside a conditional loop. Passing the memory to any other C function of a system or
// library header (`C.puts(cs)`) keeps it ours: those that free or keep their argument are
// rare and say so in their names.
// Paths that end in panic, os.Exit, log.Fatal or runtime.Goexit are not counted as leaks.
//
// The fix adds `defer C.free(unsafe.Pointer(x))` on the line after the allocation, with
// `#include <stdlib.h>` and the `unsafe` import when the file lacks them; it is offered only
// when nothing frees the memory yet (a defer next to an explicit C.free would free it twice).
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../cgo/findings';
import { importDeclarations } from '../cgo/goimports';
import { enclosingFunction, GoBindings, type Binding } from '../cgo/gobindings';
import { cName, enclosingFuncLiteral, isCSelector, OutOfSight, outerConversion, refersToBinding, stripConversions, unsafeImportName } from '../cgo/goflow';
import { goGap } from '../cgo/gosyntax';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

const allocators = new Set(['CString', 'CBytes', 'malloc', 'calloc']);

/** A text test every file with an allocation passes: most cgo files need no walk of their Go code. */
const mayAllocate = new RegExp(String.raw`\bC${goGap}\.${goGap}(?:CString|CBytes|malloc|calloc)${goGap}\(`);

/**
 * Words in a C function's name that say it may keep the pointer it is given (`*_take`,
 * `*_adopt`, `set_*`, `putenv`, `list_append`, `register_*`, …): passing the memory to such a
 * function may pass its ownership, so the rule says nothing.
 */
const ownershipWords = new Set([
  'take', 'takes', 'adopt', 'own', 'owned', 'steal', 'give', 'transfer', 'consume', 'keep', 'hold', 'retain',
  'set', 'put', 'putenv', 'store', 'save', 'assign', 'install', 'attach', 'register', 'bind', 'link',
  'add', 'push', 'insert', 'append', 'prepend', 'enqueue', 'queue', 'post', 'send', 'submit',
]);

/** Calls after which the function does not return normally: their paths are not leaks. */
const noReturnCalls = new Set([
  'panic', 'os.Exit', 'log.Fatal', 'log.Fatalf', 'log.Fatalln', 'log.Panic', 'log.Panicf', 'log.Panicln', 'runtime.Goexit',
]);

export const cstringLeak: Rule = {
  id: 'cstring-leak',
  defaultSeverity: 'warning',
  scope: 'file',
  summary: 'C memory from C.CString, C.CBytes, C.malloc or C.calloc in a local variable that some path out of the function never frees.',
  check(ctx) {
    const findings: RuleFinding[] = [];
    for (const file of ctx.pkg.files) {
      if (file.isTest || file.imports.length === 0 || !mayAllocate.test(file.text) || !file.included) continue;
      const unsafeName = unsafeImportName(file.text);
      if (unsafeName === null) continue;
      // A declaration at a time, and only those that spell an allocation: a variable's uses lie
      // in its function, and walking the whole tree of a 12,000-line file took 50 ms.
      for (const declaration of file.tree.rootNode.namedChildren) {
        if (!declaration || !mayAllocate.test(file.text.slice(declaration.startIndex, declaration.endIndex))) continue;
        const bindings = new GoBindings(declaration);
        for (const call of allocationCalls(declaration)) {
          const finding = checkAllocation(ctx, file, call, unsafeName, bindings);
          if (finding) findings.push(finding);
        }
      }
    }
    return findings;
  },
};

/** Every `C.CString(…)`, `C.CBytes(…)`, `C.malloc(…)`, `C.calloc(…)` call of a top-level declaration. */
function allocationCalls(declaration: Node): Node[] {
  return declaration.descendantsOfType('call_expression').filter((call): call is Node => {
    const fn = call?.childForFieldName('function');
    return fn?.type === 'selector_expression' && isCSelector(fn) && allocators.has(fn.childForFieldName('field')!.text);
  });
}

interface Allocation {
  /** The local variable holding the memory, the statement declaring it and the statement list that statement stands in. */
  binding: Binding;
  name: string;
  declaration: Node;
  scopeList: Node;
  call: Node;
  /** The statement holding the allocation (a short variable declaration, var declaration or assignment). */
  stmt: Node;
  unsafeName: string | undefined;
  /** Whether the file's preamble or a project header declares a C name (as opposed to a system or library header). */
  declaredByProject(name: string): boolean;
}

/** What is known about the variable's uses, found before any path is followed. */
interface Uses {
  /** `C.free(…x…)` expression statements, and `defer` statements that free x, by node id. */
  frees: Map<number, Node>;
  deferredFrees: Map<number, Node>;
}

function checkAllocation(ctx: RuleContext, file: CgoFile, call: Node, unsafeName: string | undefined, bindings: GoBindings): RuleFinding | undefined {
  try {
    const binding = bindingOf(call, unsafeName, bindings);
    if (!binding) return undefined;
    const alloc: Allocation = { ...binding, declaredByProject: (name) => ctx.cScope(file).names.has(name) };
    const uses = classifyUses(alloc, bindings);
    const leak = leakingExit(alloc, uses);
    if (!leak) return undefined;
    const fn = cName(call)!;
    const exitLine = file.lines.lineOf(leak.at) + 1;
    const how = leak.kind === 'return' ? `the return at line ${exitLine}` : leak.kind === 'end' ? `the end of the function (line ${exitLine})` : `line ${exitLine}, which leaves the variable's scope,`;
    const freedElsewhere = uses.frees.size > 0 || uses.deferredFrees.size > 0;
    const fix = freedElsewhere ? undefined : deferFreeFix(ctx, file, alloc);
    return {
      file: file.path,
      start: call.startIndex,
      end: call.endIndex,
      message:
        `The C memory C.${fn} allocates for ${alloc.name} is not freed on the path through ${how}: Go's garbage collector ` +
        `never frees C memory. ${freedElsewhere ? `Free it on that path too, or free it once with a defer` : 'Free it'}: defer C.free(${alloc.unsafeName ?? 'unsafe'}.Pointer(${alloc.name})).`,
      fixes: fix ? [fix] : [],
    };
  } catch (e) {
    if (e instanceof OutOfSight) return undefined;
    throw e;
  }
}

/** The local variable the allocation is assigned to, and where it is declared. */
function bindingOf(call: Node, unsafeName: string | undefined, bindings: GoBindings): Omit<Allocation, 'declaredByProject'> | undefined {
  const value = outerConversion(call, unsafeName);
  const list = value.parent;
  if (list?.type !== 'expression_list') return undefined;
  const holder = list.parent;
  if (!holder) return undefined;
  const index = list.namedChildren.findIndex((n) => n?.equals(value));
  let target: Node | null | undefined;
  let stmt: Node;
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    if (holder.childForFieldName('right')?.id !== list.id) return undefined;
    if (holder.type === 'assignment_statement' && holder.childForFieldName('operator')?.text !== '=') return undefined;
    const left = holder.childForFieldName('left')?.namedChildren ?? [];
    if (left.length !== list.namedChildCount) return undefined;
    target = left[index];
    stmt = holder;
  } else if (holder.type === 'var_spec') {
    const names = holder.childrenForFieldName('name');
    if (names.length !== list.namedChildCount) return undefined;
    if (holder.parent?.type !== 'var_declaration') return undefined;
    target = names[index];
    stmt = holder.parent;
  } else return undefined;
  if (target?.type !== 'identifier' || target.text === '_') return undefined;
  if (stmt.parent?.type !== 'statement_list') return undefined;
  const binding = bindings.bindingOf(target);
  // A parameter (a named result is returned), a global, a captured variable, one declared in
  // an if/for/switch header: not followed.
  if (binding?.list === undefined || (binding.kind !== 'var' && binding.kind !== 'const') || binding.function?.equals(enclosingFunction(stmt)!) !== true) return undefined;
  const allocation = { binding, name: binding.name, declaration: binding.stmt, scopeList: binding.list, call, stmt, unsafeName };
  if (binding.ident.equals(target)) return allocation;
  // `x = C.CString(s)` (or `x, err := …` declaring x again): x must be declared outside any
  // loop around the assignment (each round would lose the last round's memory).
  for (let node: Node = stmt; !node.equals(binding.list); node = node.parent!) if (node.type === 'for_statement') throw new OutOfSight();
  return allocation;
}

/**
 * Every use of the variable after its declaration. For `x = C.CString(s)` that includes the
 * uses between the declaration and the assignment: harmless ones (a nil check) or ones that
 * make the flow unknown (another assignment, a closure that sees the new value).
 */
function classifyUses(alloc: Allocation, bindings: GoBindings): Uses {
  const uses: Uses = { frees: new Map(), deferredFrees: new Map() };
  const inAllocation = !alloc.stmt.equals(alloc.declaration);
  for (const id of bindings.identifiersNamed(alloc.name, alloc.declaration.endIndex, alloc.scopeList.endIndex)) {
    if (inAllocation && id.startIndex >= alloc.stmt.startIndex && id.endIndex <= alloc.stmt.endIndex) continue;
    if (!refersToBinding(bindings, id, alloc.binding)) continue;
    classifyUse(id, alloc, uses);
  }
  return uses;
}

function classifyUse(id: Node, alloc: Allocation, uses: Uses): void {
  const e = outerConversion(id, alloc.unsafeName);
  const parent = e.parent;
  const literal = enclosingFuncLiteral(id, alloc.scopeList);
  if (parent?.type === 'argument_list' && parent.parent?.type === 'call_expression') {
    const call = parent.parent;
    const fn = cName(call);
    if (fn === 'free') {
      if (call.parent?.type === 'expression_statement' && call.parent.parent?.type === 'statement_list') {
        if (!literal) {
          uses.frees.set(call.parent.id, call.parent);
          return;
        }
        // `defer func() { C.free(unsafe.Pointer(x)) }()`: the literal frees x whenever it runs.
        const deferred = literal.parent?.type === 'call_expression' && literal.parent.parent?.type === 'defer_statement' ? literal.parent.parent : undefined;
        if (deferred && call.parent.parent.parent?.equals(literal.childForFieldName('body')!)) {
          uses.deferredFrees.set(deferred.id, deferred);
          return;
        }
      }
      if (!literal && call.parent?.type === 'defer_statement') {
        uses.deferredFrees.set(call.parent.id, call.parent);
        return;
      }
      throw new OutOfSight();
    }
    if (literal) throw new OutOfSight();
    // The project's own C functions are wrappers whose bodies the rule does not read, like Go
    // functions: go-sqlite3's _sqlite3_result_text hands its argument to SQLite with &free.
    if (fn !== undefined && !mayKeep(fn, call) && !alloc.declaredByProject(fn)) return;
    throw new OutOfSight();
  }
  if (literal) throw new OutOfSight();
  // A member of the C struct it points to, read or written: `p.len = n` (not `&p.buf`).
  if (parent?.type === 'selector_expression' && parent.childForFieldName('operand')?.equals(e) && parent.parent?.type !== 'unary_expression') return;
  if (parent?.type === 'binary_expression' && /^[!=]=$/.test(parent.childForFieldName('operator')?.text ?? '')) {
    const other = parent.childForFieldName('left')?.equals(e) ? parent.childForFieldName('right') : parent.childForFieldName('left');
    if (other?.type === 'nil') return;
  }
  throw new OutOfSight();
}

/** Whether a C function may keep (own) the memory it is given. */
function mayKeep(fn: string, call: Node): boolean {
  if (['GoString', 'GoStringN', 'GoBytes'].includes(fn)) return false;
  // C.free passed as a destructor (`sqlite3_bind_text(…, (*[0]byte)(C.free))`).
  if (call.childForFieldName('arguments')?.descendantsOfType('selector_expression').some((s) => !!s && isCSelector(s) && s.childForFieldName('field')?.text === 'free')) return true;
  // A C function that frees, releases or reallocates it (`free_string`, `xmlFree`).
  if (/free|release|destroy|delete|dispose|dealloc|unref|drop|realloc|finali/i.test(fn)) return true;
  const words = fn
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => ownershipWords.has(w));
}

// ---------------------------------------------------------------------------------------------
// Paths. The state followed is one bit: the memory is still ours and unfreed ("live"); a free
// ends the path, a path out of the variable's scope while live is a leak.

interface Exit {
  kind: 'return' | 'end' | 'jump';
  at: number;
}

interface Flow {
  /** Reaches the next statement still live. */
  normal: boolean;
  leak: Exit | undefined;
  /** Live `break`s / `continue`s by label ('' for the innermost). */
  breaks: Set<string>;
  continues: Set<string>;
}

const ended = (): Flow => ({ normal: false, leak: undefined, breaks: new Set(), continues: new Set() });

function leakingExit(alloc: Allocation, uses: Uses): Exit | undefined {
  const run = new PathRun(alloc, uses);
  // From the allocation to the end of its statement list, then out through the statements
  // around it until the list that declares the variable.
  let current: Node = alloc.stmt;
  let flow: Flow = { normal: true, leak: undefined, breaks: new Set(), continues: new Set() };
  for (;;) {
    const list = current.parent!;
    const rest = run.list(list.namedChildren.filter((s): s is Node => !!s && s.startIndex >= current.endIndex));
    flow = { normal: rest.normal, leak: flow.leak ?? rest.leak, breaks: union(flow.breaks, rest.breaks), continues: union(flow.continues, rest.continues) };
    if (flow.leak) return flow.leak;
    if (list.equals(alloc.scopeList)) break;
    // Climb: the block (or case) around the list, then the statement holding it.
    let holder: Node = list.parent!;
    while (holder.type === 'block' || holder.type.endsWith('_case')) holder = holder.parent!;
    if (holder.type === 'if_statement') {
      // An `else if` chain completes with its outermost if.
      while (holder.parent?.type === 'if_statement') holder = holder.parent;
      current = holder;
    } else if (holder.type.endsWith('switch_statement') || holder.type === 'select_statement') {
      const label = holder.parent?.type === 'labeled_statement' ? holder.parent.childForFieldName('label')?.text : undefined;
      if (flow.breaks.has('') || (label && flow.breaks.has(label))) flow.normal = true;
      flow.breaks.delete('');
      if (label) flow.breaks.delete(label);
      current = holder.parent?.type === 'labeled_statement' ? holder.parent : holder;
    } else if (holder.parent?.type === 'statement_list' && holder.type === 'block') {
      current = holder;
    } else throw new OutOfSight();
    if (current.parent?.type === 'labeled_statement') current = current.parent;
    if (current.parent?.type !== 'statement_list') throw new OutOfSight();
    if (!flow.normal) {
      if (flow.breaks.size > 0 || flow.continues.size > 0) throw new OutOfSight();
      return undefined;
    }
  }
  if (flow.breaks.size > 0 || flow.continues.size > 0) {
    // Live jumps out of the declaring list leave the variable's scope.
    return { kind: 'jump', at: alloc.scopeList.endIndex };
  }
  if (!flow.normal) return undefined;
  const body = alloc.scopeList.parent;
  const fnBody = body?.parent && ['function_declaration', 'method_declaration', 'func_literal'].includes(body.parent.type);
  const close = body?.type === 'block' ? body.endIndex - 1 : alloc.scopeList.endIndex;
  if (fnBody && body?.parent?.childForFieldName('result')) {
    // A function with results cannot fall off its end (the compiler says "missing return").
    return undefined;
  }
  return { kind: fnBody ? 'end' : 'jump', at: close };
}

function union<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a, ...b]);
}

class PathRun {
  constructor(
    private readonly alloc: Allocation,
    private readonly uses: Uses,
  ) {}

  list(stmts: readonly Node[]): Flow {
    const flow: Flow = { normal: true, leak: undefined, breaks: new Set(), continues: new Set() };
    for (const stmt of stmts) {
      const r = this.stmt(stmt, undefined);
      flow.leak ??= r.leak;
      r.breaks.forEach((b) => flow.breaks.add(b));
      r.continues.forEach((c) => flow.continues.add(c));
      if (flow.leak) return flow;
      if (!r.normal) {
        flow.normal = false;
        return flow;
      }
    }
    return flow;
  }

  private block(node: Node | null): Flow {
    if (!node) return { normal: true, leak: undefined, breaks: new Set(), continues: new Set() };
    if (node.type === 'if_statement') return this.stmt(node, undefined);
    const list = node.namedChildren.find((n) => n?.type === 'statement_list');
    return this.list(list ? list.namedChildren.filter((s): s is Node => !!s) : []);
  }

  private stmt(node: Node, label: string | undefined): Flow {
    const normal = (): Flow => ({ normal: true, leak: undefined, breaks: new Set(), continues: new Set() });
    switch (node.type) {
      case 'expression_statement': {
        if (this.uses.frees.has(node.id) || isNoReturnCall(node.namedChildren[0])) return ended();
        return normal();
      }
      case 'defer_statement':
        return this.uses.deferredFrees.has(node.id) ? ended() : normal();
      case 'return_statement':
        return { ...ended(), leak: { kind: 'return', at: node.startIndex } };
      case 'block':
        return this.block(node);
      case 'labeled_statement': {
        const inner = node.namedChildren.find((n) => n?.type !== 'label_name');
        return inner ? this.stmt(inner, node.childForFieldName('label')?.text) : normal();
      }
      case 'break_statement':
      case 'continue_statement': {
        const target = node.namedChildren.find((n) => n?.type === 'label_name')?.text ?? '';
        const flow = ended();
        (node.type === 'break_statement' ? flow.breaks : flow.continues).add(target);
        return flow;
      }
      case 'goto_statement':
      case 'fallthrough_statement':
        throw new OutOfSight();
      case 'if_statement':
        return this.ifStatement(node);
      case 'for_statement':
        return this.forStatement(node, label);
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.switchStatement(node, label);
      default:
        return normal();
    }
  }

  private ifStatement(node: Node): Flow {
    const init = node.childForFieldName('initializer');
    if (init && this.uses.frees.has(init.id)) return ended();
    // `if x == nil { … }`: on that branch there is nothing to free.
    const nilTest = this.nilTest(node.childForFieldName('condition'));
    const then = nilTest === '==' ? ended() : this.block(node.childForFieldName('consequence'));
    const otherwise = nilTest === '!=' ? ended() : this.block(node.childForFieldName('alternative'));
    return merge(then, otherwise);
  }

  /** `x == nil` / `x != nil` (either side) as the whole condition. */
  private nilTest(cond: Node | null): '==' | '!=' | undefined {
    let c = cond;
    while (c?.type === 'parenthesized_expression') c = c.namedChildren[0];
    if (c?.type !== 'binary_expression') return undefined;
    const op = c.childForFieldName('operator')?.text;
    if (op !== '==' && op !== '!=') return undefined;
    const left = c.childForFieldName('left');
    const right = c.childForFieldName('right');
    const isVar = (n: Node | null): boolean => !!n && stripConversions(n, this.alloc.unsafeName) === this.alloc.name;
    if ((isVar(left) && right?.type === 'nil') || (isVar(right) && left?.type === 'nil')) return op;
    return undefined;
  }

  private forStatement(node: Node, label: string | undefined): Flow {
    const body = node.childForFieldName('body');
    // `for { … }` and `for init; ; post { … }` end only through a break (or a return).
    const header = node.namedChildren.filter((n): n is Node => !!n && !n.equals(body!));
    const clause = header.find((n) => n.type === 'for_clause');
    const forever = header.length === 0 || (clause !== undefined && !clause.childForFieldName('condition'));
    // Freed in some rounds of a loop that may run no round: what the rounds guarantee is not
    // followed here. (A live path round the loop comes back as it entered: one bit of state.)
    if (body && !forever && this.freesWithin(body)) throw new OutOfSight();
    const r = this.block(body);
    const broken = r.breaks.has('') || (!!label && r.breaks.has(label));
    const flow = ended();
    flow.leak = r.leak;
    for (const b of r.breaks) if (b !== '' && b !== label) flow.breaks.add(b);
    for (const c of r.continues) if (c !== '' && c !== label) flow.continues.add(c);
    flow.normal = forever ? broken : true;
    return flow;
  }

  private switchStatement(node: Node, label: string | undefined): Flow {
    const cases = node.namedChildren.filter((n): n is Node => !!n && /_case$/.test(n.type));
    const flow = ended();
    let hasDefault = false;
    for (const c of cases) {
      if (c.type === 'default_case') hasDefault = true;
      const list = c.namedChildren.find((n) => n?.type === 'statement_list');
      const r = this.list(list ? list.namedChildren.filter((s): s is Node => !!s) : []);
      flow.leak ??= r.leak;
      if (r.normal || r.breaks.has('') || (!!label && r.breaks.has(label))) flow.normal = true;
      for (const b of r.breaks) if (b !== '' && b !== label) flow.breaks.add(b);
      r.continues.forEach((x) => flow.continues.add(x));
    }
    // A switch without default may match no case; a select without one waits for a case.
    if (!hasDefault && node.type !== 'select_statement') flow.normal = true;
    if (cases.length === 0 && node.type === 'select_statement') flow.normal = false;
    return flow;
  }

  private freesWithin(node: Node): boolean {
    return [...this.uses.frees.values(), ...this.uses.deferredFrees.values()].some((f) => node.startIndex <= f.startIndex && f.endIndex <= node.endIndex);
  }
}

function merge(a: Flow, b: Flow): Flow {
  return { normal: a.normal || b.normal, leak: a.leak ?? b.leak, breaks: union(a.breaks, b.breaks), continues: union(a.continues, b.continues) };
}

function isNoReturnCall(expr: Node | null | undefined): boolean {
  if (expr?.type !== 'call_expression') return false;
  const fn = expr.childForFieldName('function');
  return !!fn && noReturnCalls.has(fn.text.replace(/\s+/g, ''));
}

// ---------------------------------------------------------------------------------------------
// The fix.

function deferFreeFix(ctx: RuleContext, file: CgoFile, alloc: Allocation): Fix | undefined {
  const text = file.text;
  const stmtStart = alloc.stmt.startIndex;
  const lineStart = file.lines.lineStarts[file.lines.lineOf(stmtStart)];
  const indent = text.slice(lineStart, stmtStart);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  // After the statement's last line (a trailing comment stays where it is).
  const endLine = file.lines.lineOf(alloc.stmt.endIndex);
  const rest = text.slice(alloc.stmt.endIndex, file.lines.lineStarts[endLine + 1] ?? text.length);
  if (!/^[ \t]*(?:\/\/[^\n]*)?\r?\n?$/.test(rest)) return undefined;
  const eol = file.lines.eol;
  const nextLine = file.lines.lineStarts[endLine + 1];
  const unsafeName = alloc.unsafeName ?? 'unsafe';
  const line = `${indent}defer C.free(${unsafeName}.Pointer(${alloc.name}))`;
  const edits: TextEdit[] = [
    nextLine === undefined ? { file: file.path, start: text.length, end: text.length, newText: `${eol}${line}` } : { file: file.path, start: nextLine, end: nextLine, newText: `${line}${eol}` },
  ];
  const include = ctx.stdlibIncludeFor(file, 'free');
  if (include === null) return undefined;
  if (include) edits.push(include);
  if (alloc.unsafeName === undefined) {
    const imp = unsafeImportEdit(file);
    if (!imp) return undefined;
    edits.push(imp);
  }
  return { title: `Free ${alloc.name} with defer C.free(${unsafeName}.Pointer(${alloc.name}))`, preferred: true, edits };
}

/** `"unsafe"` added to the file's first grouped import without "C", else `import "unsafe"` after the last import declaration. */
function unsafeImportEdit(file: CgoFile): TextEdit | undefined {
  const decls = importDeclarations(file.text);
  const eol = file.lines.eol;
  const group = decls.find((d) => d.specList && d.specs.length > 0 && !d.specs.some((s) => s.path.text === '"C"'));
  if (group) {
    const last = group.specs[group.specs.length - 1];
    const lineStart = file.lines.lineStarts[file.lines.lineOf(last.spec.start)];
    const indent = file.text.slice(lineStart, last.spec.start);
    if (!/^[ \t]*$/.test(indent)) return undefined;
    return { file: file.path, start: last.spec.end, end: last.spec.end, newText: `${eol}${indent}"unsafe"` };
  }
  const last = decls[decls.length - 1];
  if (!last) return undefined;
  return { file: file.path, start: last.decl.end, end: last.decl.end, newText: `${eol}${eol}import "unsafe"` };
}
