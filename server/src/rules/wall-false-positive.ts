// `-Wall` in `#cgo CFLAGS` (or CPPFLAGS) makes gcc warn about cgo's own generated code. For
// every C function Go calls, cmd/cgo (out.go, writeOutputFunc) writes a wrapper into the
// package's `*.cgo2.c` files ("cgo-gcc-prolog") that starts with
//     struct { … } __attribute__((__packed__)) *_cgo_a = v;
// and reads `_cgo_a->p0…` for the parameters and writes `_cgo_a->r` for the result. A C function
// with no parameters and no result leaves `_cgo_a` unused, so -Wunused-variable (turned on by
// -Wall) warns, and -Werror makes the build fail:
//     cgo-gcc-prolog:47:49: warning: unused variable '_cgo_a' [-Wunused-variable]
// The flags apply to the whole package, so every file's calls count. gcc compiles those files
// with CGO_CPPFLAGS + #cgo CPPFLAGS, then CGO_CFLAGS + #cgo CFLAGS (cmd/go exec.go); which
// options win is gcc's business and is modelled below from real builds (gcc 12).
// Go 1.26 ended the trap: writeOutputFunc declares _cgo_a only when the function has
// parameters or a result (`if (n.Kind != "macro" && len(n.FuncType.Params) > 0) || tr != nil`,
// cmd/cgo/out.go of 1.26.0, 1.26.8 and 1.27.3; 1.19.8 through 1.25.14 declare it always).
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { CDecl } from '../cgo/cdecl';
import type { CgoArgument } from '../cgo/directives';
import type { Fix, Severity, TextEdit } from '../cgo/findings';
import { goGap } from '../cgo/gosyntax';
import type { CgoFile } from '../cgo/package';
import { toSource, type Preamble } from '../cgo/preamble';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

export const wallFalsePositive: Rule = {
  id: 'wall-false-positive',
  defaultSeverity: 'warning',
  summary:
    "-Wall in #cgo CFLAGS makes gcc warn about cgo's generated code (unused variable '_cgo_a') for every C function called from Go with no arguments and no result.",
  check(ctx) {
    if (ctx.pkg.target.goMinor >= firstGoWithoutUnusedCgoA) return [];
    const state = unusedVariableState(packageCompileFlags(ctx));
    if (!state.enabled) return [];
    const calls = triggeringCalls(ctx);
    const severity: Severity = calls.length === 0 ? 'information' : state.error ? 'error' : 'warning';
    return state.enablers.map((flag) => report(flag, state, calls, severity));
  },
};

/** The first Go release whose generated prolog leaves no unused _cgo_a (see above). */
export const firstGoWithoutUnusedCgoA = 26;

/** One argument of an active #cgo CPPFLAGS/CFLAGS line, where it is written. */
export interface FlagArgument {
  value: string;
  file: CgoFile;
  preamble: Preamble;
  arg: CgoArgument;
}

/**
 * The arguments gcc gets for the package's C files, in command-line order: #cgo CPPFLAGS, then
 * #cgo CFLAGS (cmd/go: `cflags := str.StringList(cgoCPPFLAGS, cgoCFLAGS)`), each read as
 * go/build does (non-test files the target includes, in file-name order, active lines only,
 * stopping at an import's first bad line) — the walk of packageFlags, keeping positions.
 */
export function packageCompileFlags(ctx: Pick<RuleContext, 'pkg'>): FlagArgument[] {
  const byVerb: Record<'CPPFLAGS' | 'CFLAGS', FlagArgument[]> = { CPPFLAGS: [], CFLAGS: [] };
  const files = ctx.pkg.cgoFiles.filter((f) => !f.isTest && f.included).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of files) {
    for (const imp of file.imports) {
      if (!imp.preamble) continue;
      for (const directive of imp.directives) {
        if (directive.error) break;
        if (!directive.active || !directive.verb) continue;
        const verb = directive.verb.text;
        if (verb !== 'CPPFLAGS' && verb !== 'CFLAGS') continue;
        for (const arg of directive.args) byVerb[verb].push({ value: arg.value, file, preamble: imp.preamble, arg });
      }
    }
  }
  return [...byVerb.CPPFLAGS, ...byVerb.CFLAGS];
}

type Level = 'specific' | 'unused' | 'all';

export interface UnusedVariableState {
  /** Whether gcc emits -Wunused-variable diagnostics for the package's C files. */
  enabled: boolean;
  /** Whether they are errors (the build fails). */
  error: boolean;
  /** The arguments that turn the warning on and would have to go (or be countered). */
  enablers: FlagArgument[];
  level: Level | undefined;
}

// What turns -Wunused-variable on or off, most specific first. gcc 12, checked with go build:
// a specific option beats a group option whatever their order (`-Wno-unused-variable -Wall`
// is silent; `-Wall -Wunused-variable -Wno-unused` warns); within one level the last one wins
// (`-Wall -Wno-all` is silent); -Werror=X turns X on; -w silences everything.
const enableOptions: Record<Level, Record<string, boolean>> = {
  specific: { '-Wunused-variable': true, '-Wno-unused-variable': false, '-Werror=unused-variable': true },
  unused: { '-Wunused': true, '-Wno-unused': false, '-Werror=unused': true },
  all: { '-Wall': true, '-Wno-all': false, '-Werror=all': true },
};
// Whether the warning is an error: the most specific setting wins whatever the order
// (`-Wall -Werror=unused-variable -Wno-error` fails; `-Wall -Wno-error=unused-variable -Werror`
// only warns); within one level the last one wins.
const errorOptions: Record<string, boolean>[] = [
  { '-Werror=unused-variable': true, '-Wno-error=unused-variable': false },
  { '-Werror=unused': true, '-Wno-error=unused': false },
  { '-Werror=all': true, '-Wno-error=all': false },
  { '-Werror': true, '-Wno-error': false },
];
const levels: Level[] = ['specific', 'unused', 'all'];

/** Whether -Wunused-variable is in effect for these gcc arguments, and because of which ones. */
export function unusedVariableState(flags: FlagArgument[]): UnusedVariableState {
  const off: UnusedVariableState = { enabled: false, error: false, enablers: [], level: undefined };
  if (flags.some((f) => f.value === '-w')) return off;
  for (const level of levels) {
    const options = enableOptions[level];
    const settings = flags.filter((f) => f.value in options);
    if (settings.length === 0) continue;
    const lastOff = settings.map((f) => options[f.value]).lastIndexOf(false);
    const enablers = settings.slice(lastOff + 1);
    if (enablers.length === 0) return off;
    let error = false;
    for (const table of errorOptions) {
      const last = flags.filter((f) => f.value in table).pop();
      if (last) {
        error = table[last.value];
        break;
      }
    }
    return { enabled: true, error, enablers, level };
  }
  return off;
}

export interface TriggeringCall {
  name: string;
  file: CgoFile;
  /** Offset of the call expression in its file. */
  start: number;
}

/**
 * `C.f(…)` calls, in the Go files the package builds, of C functions whose declaration in that
 * file's C scope, or else in a system header it includes, takes no parameters (`f(void)` or
 * unprototyped `f()`) and returns void. A name neither declares is not assumed to be one.
 */
export function triggeringCalls(ctx: Pick<RuleContext, 'pkg' | 'cScope' | 'systemScope'>): TriggeringCall[] {
  const calls: TriggeringCall[] = [];
  for (const file of ctx.pkg.cgoFiles) {
    if (file.isTest || !file.imports.some((imp) => !imp.name) || !file.included) continue;
    let scope: ReturnType<typeof ctx.cScope> | undefined;
    /** Per name: whether its declaration takes nothing and returns nothing. */
    const triggering = new Map<string, boolean>();
    // Such a call passes nothing, so its text is `C.f()`: the tree is asked only there, and only
    // for names declared that way (a long file has thousands of other calls).
    for (const match of file.text.matchAll(callsWithoutArguments)) {
      const name = match[1];
      let triggers = triggering.get(name);
      if (triggers === undefined) {
        scope ??= ctx.cScope(file);
        // The project's declaration first, as gcc sees it first; else a system header's (`void abort(void)`).
        const system = scope.names.has(name) ? undefined : ctx.systemScope(file);
        const from = system ?? scope;
        const decl = from.names.get(name);
        triggers = !!decl && takesNothingReturnsNothing(decl, from.resolve.bind(from));
        triggering.set(name, triggers);
      }
      const call = triggers ? cCallAt(file.tree.rootNode, match.index) : undefined;
      if (call) calls.push({ name, file, start: call.startIndex });
    }
  }
  return calls;
}

const callsWithoutArguments = new RegExp(String.raw`\bC${goGap}\.${goGap}([A-Za-z_]\w*)${goGap}\(${goGap}\)`, 'g');

/** The call `C.f(…)` whose `C` stands at `offset`; undefined when the text there is no such call (a comment, a string, `x.C.f()`). */
function cCallAt(root: Node, offset: number): Node | undefined {
  const operand = root.descendantForIndex(offset);
  const call = operand?.parent?.parent;
  if (operand?.type !== 'identifier' || operand.startIndex !== offset || call?.type !== 'call_expression') return undefined;
  return call.childForFieldName('function')?.id === operand.parent!.id && calledCName(call) ? call : undefined;
}

/** `f` of a call `C.f(…)`. */
function calledCName(call: Node | null): string | undefined {
  const fn = call?.childForFieldName('function');
  if (fn?.type !== 'selector_expression') return undefined;
  const operand = fn.childForFieldName('operand');
  const field = fn.childForFieldName('field');
  return operand?.type === 'identifier' && operand.text === 'C' && field ? field.text : undefined;
}

function takesNothingReturnsNothing(decl: CDecl, resolve: (t: NonNullable<CDecl['type']>) => NonNullable<CDecl['type']>): boolean {
  if (decl.kind !== 'function') return false;
  const type = decl.type && resolve(decl.type);
  return type?.kind === 'function' && !type.variadic && type.params.length === 0 && resolve(type.returns).kind === 'void';
}

const maxFunctionsListed = 5;
const maxCallsListed = 3;

/** `initial_setup (called at app.go:11), reset (called at b.go:5, b.go:9)`. */
function describeCalls(calls: TriggeringCall[]): string {
  const byName = new Map<string, TriggeringCall[]>();
  for (const call of calls) {
    const list = byName.get(call.name);
    if (list) list.push(call);
    else byName.set(call.name, [call]);
  }
  const names = [...byName.keys()].sort();
  const parts = names.slice(0, maxFunctionsListed).map((name) => {
    const lines = byName
      .get(name)!
      .sort((a, b) => (a.file.path === b.file.path ? a.start - b.start : a.file.path < b.file.path ? -1 : 1))
      .map((c) => `${path.basename(c.file.path)}:${c.file.lines.lineOf(c.start) + 1}`);
    // Several calls on one line are one site.
    const sites = [...new Set(lines)];
    const more = sites.length > maxCallsListed ? `, and ${sites.length - maxCallsListed} more` : '';
    return `${name} (called at ${sites.slice(0, maxCallsListed).join(', ')}${more})`;
  });
  if (names.length > maxFunctionsListed) parts.push(`and ${names.length - maxFunctionsListed} more`);
  return parts.join(', ');
}

function report(flag: FlagArgument, state: UnusedVariableState, calls: TriggeringCall[], severity: Severity): RuleFinding {
  const { file, preamble, arg } = flag;
  const text = file.text;
  const start = toSource(preamble, arg.start);
  // The last character's offset + 1, so a CR before the line's end is never included.
  const end = toSource(preamble, arg.end - 1) + 1;
  const name = text.slice(start, end);
  const cause = state.level === 'specific' ? `${name} asks gcc for this warning` : `${name} turns on -Wunused-variable`;
  const fixes: Fix[] = [];
  const add: Fix = {
    title: `Add -Wno-unused-variable after ${name}`,
    preferred: severity !== 'information',
    edits: [{ file: file.path, start: end, end, newText: ' -Wno-unused-variable' }],
  };
  const remove: Fix = { title: `Remove ${name}`, preferred: false, edits: [removal(file, start, end)] };
  if (severity === 'information') {
    // Nothing to repair; keeping the warning away from a future call is the only useful edit.
    if (state.level !== 'specific') fixes.push(add);
  } else if (state.level === 'specific') {
    // The user asked for this very warning: countering it right after makes no sense.
    remove.preferred = true;
    fixes.push(remove);
  } else {
    fixes.push(add, remove);
  }
  const wholePackage = calls.some((c) => c.file !== file) || state.enablers.some((e) => e.file !== file)
    ? ' The flag applies to every file of the package.'
    : '';
  let message: string;
  if (severity === 'information') {
    message =
      `${name} is fine here: no C function that takes no arguments and returns nothing is called from Go in this package, ` +
      `so cgo's generated code does not trigger gcc's "unused variable '_cgo_a'" (checked against the declarations in the ` +
      `package's preambles, project headers and the system headers they include, such as abort in <stdlib.h>). ` +
      `Calling one would make gcc ${state.error ? 'fail the build (-Werror)' : 'warn'}; ` +
      `${state.level === 'specific' ? `removing ${name}` : `-Wno-unused-variable after ${name}`} prevents that.`;
  } else {
    const what =
      `${cause}, and the wrapper cgo generates for each C function called from Go with no arguments and no result ` +
      `declares _cgo_a and never uses it: ${describeCalls(calls)}.${wholePackage}`;
    const advice = state.level === 'specific' ? `Remove ${name}.` : `Add -Wno-unused-variable after ${name} to keep the other warnings, or remove ${name}.`;
    message = state.error
      ? `go build fails: "cgo-gcc-prolog: error: unused variable '_cgo_a' [-Werror=unused-variable]". ${what} ${advice}`
      : `gcc warns about cgo's generated code: "cgo-gcc-prolog: warning: unused variable '_cgo_a' [-Wunused-variable]". ${what} ${advice}`;
  }
  return { file: file.path, start, end, message, fixes, severity };
}

/** Removes [start, end) and one space or tab next to it (the following one first). */
function removal(file: CgoFile, start: number, end: number): TextEdit {
  const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  if (isBlank(file.text[end])) return { file: file.path, start, end: end + 1, newText: '' };
  if (isBlank(file.text[start - 1])) return { file: file.path, start: start - 1, end, newText: '' };
  return { file: file.path, start, end, newText: '' };
}
