// `import "C"` in a _test.go file: go/build refuses the whole package ("use of cgo in test
// FILE not supported"), so go build, go vet and go test all fail, not only the test.
//
// The fix (for an internal test, same package name) is the recipe of the "Addressing CGO
// pains" article, done for the user: every C name the test uses gets a small Go wrapper in a
// non-test file, and the test calls the wrappers. C names resolve per file (a `static`
// function of one preamble cannot be called from another file), so a wrapper goes into the
// non-test file whose preamble (or the headers it includes) declares the name; only what the
// test's own preamble declares moves, with that preamble, to a new `<test>_cgo_helpers.go`.
//   functions   func cAnimalMakeDog() C.Animal { return C.animal_make_dog() }
//   constants   const cAnimalKindDog = C.ANIMAL_KIND_DOG   (untyped, like C.ANIMAL_KIND_DOG)
//   types       type cAnimal = C.Animal                  (an alias: the very same type)
//   variables   func cCounter() *C.int { return &C.counter }, used as (*cCounter())
// `r, err := C.f(x)` (cgo's errno form) gets a wrapper returning (T, error). When something
// cannot be wrapped faithfully the diagnostic comes without a fix and says why.
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { CScope, DeclarationReader, type CDecl, type CType } from '../cgo/cdecl';
import { knownArch, knownOS } from '../cgo/constraints';
import type { Fix, TextEdit } from '../cgo/findings';
import { unsafeImport } from '../cgo/goimports';
import { cgoBasicTypeNames, cgoOwnFunction, goSignature, goType, isCgoOwnFunction, type GoSignature, type GoTypeOptions } from '../cgo/gotypes';
import type { CgoFile, CgoImport } from '../cgo/package';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';
import { declaresName } from '../cgo/gosyntax';

export const cgoInTest: Rule = {
  id: 'cgo-in-test',
  defaultSeverity: 'error',
  caughtBy: 'cgo',
  summary: 'import "C" in a _test.go file: the go command refuses the package ("use of cgo in test … not supported").',
  check(ctx) {
    const findings: RuleFinding[] = [];
    const tests = ctx.pkg.cgoFiles
      .filter((f) => f.isTest && f.included && !/^[._]/.test(path.basename(f.path)))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (tests.length === 0) return findings;
    // Go names given out by the fixes of earlier test files (name → target file and declaration),
    // so that fixes applied together never declare one name twice.
    const reserved = new Map<string, string>();
    for (const test of tests) {
      const plan = planFix(ctx, test, reserved);
      for (const imp of test.imports) findings.push(report(test, imp, plan));
    }
    return findings;
  },
};

type Plan = { fix: Fix; reason?: undefined } | { fix?: undefined; reason: string };

function report(test: CgoFile, imp: CgoImport, plan: Plan): RuleFinding {
  const base = path.basename(test.path);
  const external = isExternalTest(test);
  let message =
    `use of cgo in test ${base} not supported: the go command refuses the whole package, so go build, go vet ` +
    'and go test all fail. A _test.go file cannot import "C"; call the C code through Go wrappers declared in a ' +
    'non-test file of the package.';
  if (external) {
    message +=
      ` ${base} is an external test (package ${test.packageName}), which can only reach exported names: ` +
      'exporting C wrappers would add them to the package\'s API, so there is no automatic fix. Put unexported ' +
      'wrappers in a non-test file and call them from an internal test (same package name), or export wrappers ' +
      'deliberately.';
  } else if (plan.reason) {
    message += ` No automatic fix: ${plan.reason}`;
  }
  return {
    file: test.path,
    start: imp.spec.start,
    end: imp.spec.end,
    message,
    fixes: plan.fix ? [plan.fix] : [],
  };
}

function isExternalTest(test: CgoFile): boolean {
  return (test.packageName ?? '').endsWith('_test');
}

// ---------------------------------------------------------------------------------------------
// Where each C name the test uses comes from, and what wraps it.

/** A `C.x` in the test. */
interface Use {
  name: string;
  start: number;
  end: number;
  /** The callee of a call: `C.x(...)`. */
  called: boolean;
  /** The call is the single right-hand side of a two-value assignment: cgo's errno form. */
  errno: boolean;
}

/** Where a wrapper goes: an existing non-test cgo file, or the new helper file. */
type Target = CgoFile | 'helper';

interface Wrapper {
  target: Target;
  goName: string;
  text: string;
  usesUnsafe: boolean;
}

/** How one C name is rewritten in the test. */
interface Resolution {
  plain?: Wrapper;
  errno?: Wrapper;
  /** Replacement text for a use, given the wrappers. */
  rewrite: (use: Use) => string;
}

/** A few C library names cgo users call from tests; the rules do not take them from system headers. */
const systemFunctions: Record<string, { header: string[]; proto: string }> = {
  free: { header: ['stdlib.h'], proto: 'void free(void *ptr);' },
  malloc: { header: ['stdlib.h'], proto: 'void *malloc(size_t size);' },
  calloc: { header: ['stdlib.h'], proto: 'void *calloc(size_t nmemb, size_t size);' },
  realloc: { header: ['stdlib.h'], proto: 'void *realloc(void *ptr, size_t size);' },
  abs: { header: ['stdlib.h'], proto: 'int abs(int j);' },
  strlen: { header: ['string.h'], proto: 'size_t strlen(const char *s);' },
  strcmp: { header: ['string.h'], proto: 'int strcmp(const char *s1, const char *s2);' },
  strncmp: { header: ['string.h'], proto: 'int strncmp(const char *s1, const char *s2, size_t n);' },
  strdup: { header: ['string.h'], proto: 'char *strdup(const char *s);' },
  memcmp: { header: ['string.h'], proto: 'int memcmp(const void *s1, const void *s2, size_t n);' },
  memcpy: { header: ['string.h'], proto: 'void *memcpy(void *dest, const void *src, size_t n);' },
  memset: { header: ['string.h'], proto: 'void *memset(void *s, int c, size_t n);' },
  puts: { header: ['stdio.h'], proto: 'int puts(const char *s);' },
};

const sizeHeaders = ['stddef.h', 'stdlib.h', 'string.h', 'stdio.h', 'wchar.h', 'time.h', 'sys/types.h', 'unistd.h'];
const stdintHeaders = ['stdint.h', 'inttypes.h'];
/** System typedefs and the headers that declare them. */
const systemTypes: Record<string, string[]> = {
  size_t: sizeHeaders,
  ssize_t: ['sys/types.h', 'unistd.h', 'stdio.h'],
  ptrdiff_t: ['stddef.h'],
  intptr_t: stdintHeaders,
  uintptr_t: stdintHeaders,
  ...Object.fromEntries(['8', '16', '32', '64'].flatMap((bits) => [[`int${bits}_t`, stdintHeaders], [`uint${bits}_t`, stdintHeaders]])),
};

class CannotFix extends Error {}

function planFix(ctx: RuleContext, test: CgoFile, reserved: Map<string, string>): Plan {
  if (isExternalTest(test)) return { reason: 'external test package' };
  try {
    return { fix: new FixPlanner(ctx, test, reserved).plan() };
  } catch (error) {
    if (error instanceof CannotFix) return { reason: error.message };
    throw error;
  }
}

class FixPlanner {
  private readonly eol: string;
  private readonly qualifier: string;
  private readonly nonTest: CgoFile[];
  private readonly taken: Set<string>;
  private readonly wrappers: Wrapper[] = [];
  private readonly resolutions = new Map<string, Resolution>();
  private readonly includeCache = new Map<CgoFile, Set<string>>();
  private systemScope: CScope | undefined;
  private helperNeeded = false;

  constructor(
    private readonly ctx: RuleContext,
    private readonly test: CgoFile,
    private readonly reserved: Map<string, string>,
  ) {
    this.eol = test.lines.eol;
    const names = new Set(test.imports.map((imp) => imp.name?.text ?? 'C'));
    if (names.size > 1) throw new CannotFix('the file imports "C" under different names.');
    this.qualifier = [...names][0];
    if (this.qualifier === '.') throw new CannotFix('with a dot import, the C names are not marked as C.x.');
    this.nonTest = ctx.pkg.files
      .filter((f) => !f.isTest && f.imports.length > 0 && f.included && f.packageName === test.packageName && f.imports.every((imp) => !imp.name))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.taken = new Set(reserved.keys());
    for (const file of ctx.pkg.files) {
      for (const node of file.tree.rootNode.descendantsOfType(['identifier', 'type_identifier', 'field_identifier', 'package_identifier'])) {
        if (node) this.taken.add(node.text);
      }
    }
  }

  plan(): Fix {
    const uses = this.qualifier === '_' ? [] : this.findUses();
    // C code in the test's preamble is kept (in the helper file) even when nothing uses it.
    if (this.preambleHasContent()) this.helperNeeded = true;
    const names = [...new Set(uses.map((u) => u.name))];
    const needsNoDeclaration = (name: string): boolean => isCgoOwnFunction(name) || cgoBasicTypeNames.includes(name);
    // Declared names first: they decide which files get wrappers; builtins then join one of them.
    for (const name of names.filter((n) => !needsNoDeclaration(n))) this.resolve(name, uses.filter((u) => u.name === name));
    for (const name of names.filter(needsNoDeclaration)) this.resolve(name, uses.filter((u) => u.name === name));

    const testBase = path.basename(this.test.path);
    const helperPath = this.helperNeeded ? this.helperPath() : undefined;
    const edits: TextEdit[] = [];
    // The test: every C.x becomes its wrapper; import "C" and its preamble go.
    for (const use of uses) {
      edits.push({ file: this.test.path, start: use.start, end: use.end, newText: this.resolutions.get(use.name)!.rewrite(use) });
    }
    for (const imp of this.test.imports) edits.push(this.removeImport(imp));
    // Existing files: wrappers appended at their end (unless an earlier fix already wrote them).
    const targets = new Map<CgoFile, Wrapper[]>();
    for (const wrapper of this.wrappers) {
      if (wrapper.target === 'helper' || containsDeclaration(wrapper.target.text, wrapper.text)) continue;
      targets.set(wrapper.target, [...(targets.get(wrapper.target) ?? []), wrapper]);
    }
    for (const [file, wrappers] of targets) edits.push(...this.extend(file, wrappers, testBase));
    const written = [...[...targets.keys()].map((f) => path.basename(f.path)), ...(helperPath ? [path.basename(helperPath)] : [])];
    const fix: Fix = {
      title: written.length > 0 ? `Call C through Go wrappers in ${written.join(' and ')} (a test cannot import "C")` : `Remove import "C" from ${testBase} (nothing in it needs cgo)`,
      preferred: true,
      edits,
    };
    if (helperPath) {
      fix.newFiles = [helperPath];
      edits.push({ file: helperPath, start: 0, end: 0, newText: this.helperText(testBase) });
    }
    for (const wrapper of this.wrappers) {
      this.reserved.set(wrapper.goName, reservation(wrapper.target === 'helper' ? helperPath! : wrapper.target.path, wrapper.text));
    }
    return fix;
  }

  /**
   * Whether the test's preamble holds anything besides #include lines, comments and prototypes
   * of names a non-test file declares too (dropping those loses nothing; #cgo lines count).
   */
  private preambleHasContent(): boolean {
    const own = [...this.ctx.cScope(this.test).names.values()].filter((d) => d.location.file === this.test.path);
    const redundant = (d: CDecl): boolean =>
      (d.kind === 'function' || d.kind === 'variable') && !d.defined && this.nonTest.some((f) => this.ctx.cScope(f).names.has(d.name));
    // A declaration's text goes only when every name it declares is redundant.
    const ranges = own.filter((d) => own.every((o) => o.location.start !== d.location.start || redundant(o))).map((d) => d.location);
    for (const imp of this.test.imports) {
      if (!imp.preamble) continue;
      const { text, sourceOffsets } = imp.preamble;
      let kept = '';
      for (let i = 0; i < text.length; i++) {
        kept += ranges.some((r) => r.start <= sourceOffsets[i] && sourceOffsets[i] < r.end) && text[i] !== '\n' ? ' ' : text[i];
      }
      if (hasContent(kept)) return true;
    }
    return false;
  }

  // --- uses ---------------------------------------------------------------------------------

  private findUses(): Use[] {
    const root = this.test.tree.rootNode;
    if (declaresName(root, this.qualifier)) {
      throw new CannotFix(`"${this.qualifier}" is also declared in this file, so not every ${this.qualifier}.x is a C name.`);
    }
    const uses: Use[] = [];
    for (const node of root.descendantsOfType(['selector_expression', 'qualified_type'])) {
      if (!node) continue;
      const isSelector = node.type === 'selector_expression';
      const qualifier = isSelector ? node.childForFieldName('operand') : node.childForFieldName('package');
      const field = isSelector ? node.childForFieldName('field') : node.childForFieldName('name');
      if (!qualifier || !field || qualifier.text !== this.qualifier) continue;
      if (qualifier.type !== 'identifier' && qualifier.type !== 'package_identifier') continue;
      const call = node.parent?.type === 'call_expression' && node.parent.childForFieldName('function')?.id === node.id ? node.parent : undefined;
      uses.push({ name: field.text, start: node.startIndex, end: node.endIndex, called: !!call, errno: !!call && isErrnoCall(call) });
    }
    return uses.sort((a, b) => a.start - b.start);
  }

  // --- resolution ---------------------------------------------------------------------------

  private resolve(name: string, uses: Use[]): void {
    if (this.resolutions.has(name)) return;
    const what = `C.${name}`;
    // C.malloc too: cmd/cgo serves it as its own _CMalloc, declared or not, and gives it no
    // errno form (gcc.go: "no two-result form", 1.19 and 1.26.8).
    const builtin = cgoOwnFunction(name);
    if (builtin) {
      this.requireCalls(what, uses);
      if (uses.some((u) => u.errno)) throw new CannotFix(`${what} is cgo's own function, not a C one: it has no errno form (r, err := …).`);
      const target = this.defaultTarget();
      const params = builtin.params.map((p) => `${p.name} ${p.type}`).join(', ');
      const args = builtin.params.map((p) => p.name).join(', ');
      const unsafeName = this.unsafeNameIn(target);
      const fix = (s: string): string => s.replace(/\bunsafe\.Pointer\b/g, `${unsafeName}.Pointer`);
      const plain = this.wrapper(target, name, (goName) => fix(`func ${goName}(${params}) ${builtin.result} {\n\treturn C.${name}(${args})\n}`), builtin.usesUnsafe);
      this.resolutions.set(name, { plain, rewrite: () => plain.goName });
      return;
    }
    if (cgoBasicTypeNames.includes(name)) {
      this.alias(name, this.defaultTarget());
      return;
    }
    const tag = /^(struct|union|enum)_(.+)$/.exec(name);
    if (tag) {
      const key = `${tag[1]} ${tag[2]}`;
      const target = this.targetFor((scope) => scope.tags.has(key));
      if (!target) throw new CannotFix(`${what}: no preamble or project header declares ${key}.`);
      this.alias(name, target);
      return;
    }
    if (name.startsWith('sizeof_')) {
      const inner = name.slice('sizeof_'.length);
      const innerTag = /^(struct|union|enum)_(.+)$/.exec(inner);
      const target = cgoBasicTypeNames.includes(inner)
        ? this.defaultTarget()
        : this.targetFor((scope) => (innerTag ? scope.tags.has(`${innerTag[1]} ${innerTag[2]}`) : scope.names.get(inner)?.kind === 'typedef'));
      if (!target) throw new CannotFix(`${what}: no preamble or project header declares ${inner}.`);
      this.constant(name, target);
      return;
    }
    const found = this.declarationOf(name);
    if (!found) {
      if (this.systemName(name, uses)) return;
      throw new CannotFix(`${what} is not declared in any preamble or project header cgo-lint reads.`);
    }
    const { decl, target, scope } = found;
    switch (decl.kind) {
      case 'function':
        this.function(name, decl, target, scope, uses);
        return;
      case 'variable': {
        if (uses.some((u) => u.called)) throw new CannotFix(`${what} is a variable, and cgo cannot call C function pointers.`);
        // Go code reaches a C variable through its symbol: a static one is never found at link.
        if (decl.isStatic) throw new CannotFix(`${what} is a static C variable, which Go code cannot reach (undefined reference at link).`);
        const type = decl.type && goType(decl.type, { scope, unsafeName: this.unsafeNameIn(target) });
        if (!type?.ok) throw new CannotFix(`${what}: ${type?.reason ?? 'its type is unknown'}.`);
        const wrapper = this.wrapper(target, name, (goName) => `func ${goName}() *${type.text} {\n\treturn &C.${name}\n}`, type.usesUnsafe);
        this.resolutions.set(name, { plain: wrapper, rewrite: () => `(*${wrapper.goName}())` });
        return;
      }
      case 'typedef':
        this.alias(name, target);
        return;
      case 'enum-constant':
        this.constant(name, target);
        return;
      case 'macro':
        if (!isConstantMacro(this.ctx, scope, name, 0)) {
          throw new CannotFix(`${what} is a macro that is not a constant cgo-lint can evaluate.`);
        }
        this.constant(name, target);
        return;
    }
  }

  private requireCalls(what: string, uses: Use[]): void {
    if (uses.some((u) => !u.called)) throw new CannotFix(`${what} is used as a value, not called.`);
  }

  private function(name: string, decl: CDecl, target: Target, scope: CScope, uses: Use[]): void {
    const what = `C.${name}`;
    this.requireCalls(what, uses);
    if (!decl.type || decl.type.kind !== 'function') throw new CannotFix(`${what}: its type is unknown.`);
    if (/\b_Complex\b|\bcomplex\b/.test(decl.text)) throw new CannotFix(`${what}: cgo-lint does not map complex types.`);
    const unsafeName = this.unsafeNameIn(target);
    const options: GoTypeOptions = { scope, unsafeName };
    const signature = (avoid: string[]): GoSignature => {
      const sig = goSignature(decl.type as Extract<CType, { kind: 'function' }>, options, avoid);
      if (!sig.ok) throw new CannotFix(`${what}: ${sig.reason}.`);
      return sig.signature;
    };
    const parts = (sig: GoSignature): { paramList: string; args: string } => ({
      paramList: sig.params.map((p) => `${p.name} ${p.type}`).join(', '),
      args: sig.params.map((p) => p.name).join(', '),
    });
    const { result, usesUnsafe } = signature([]);
    const resolution: Resolution = { rewrite: (use) => (use.errno ? resolution.errno!.goName : resolution.plain!.goName) };
    if (uses.some((u) => !u.errno)) {
      const { paramList, args } = parts(signature([]));
      resolution.plain = this.wrapper(
        target,
        name,
        (goName) =>
          result
            ? `func ${goName}(${paramList}) ${result} {\n\treturn C.${name}(${args})\n}`
            : `func ${goName}(${paramList}) {\n\tC.${name}(${args})\n}`,
        usesUnsafe,
      );
    }
    if (uses.some((u) => u.errno)) {
      // cgo only accepts the two-value form in an assignment, not in `return C.f(x)`.
      const { paramList, args } = parts(signature(['r', 'err']));
      resolution.errno = this.wrapper(
        target,
        `${name}_err`,
        (goName) => `func ${goName}(${paramList}) (${result ?? 'C.void'}, error) {\n\tr, err := C.${name}(${args})\n\treturn r, err\n}`,
        usesUnsafe,
      );
    }
    this.resolutions.set(name, resolution);
  }

  private alias(name: string, target: Target): void {
    const wrapper = this.wrapper(target, name, (goName) => `type ${goName} = C.${name}`, false);
    this.resolutions.set(name, { plain: wrapper, rewrite: () => wrapper.goName });
  }

  private constant(name: string, target: Target): void {
    const wrapper = this.wrapper(target, name, (goName) => `const ${goName} = C.${name}`, false);
    this.resolutions.set(name, { plain: wrapper, rewrite: () => wrapper.goName });
  }

  /**
   * The declaration of a C name and the file its wrapper goes to. A definition in the test's own
   * preamble stays with that preamble (in the helper file); otherwise the first non-test file
   * that sees the name; otherwise the test's headers (helper file).
   */
  private declarationOf(name: string): { decl: CDecl; target: Target; scope: CScope } | undefined {
    const testScope = this.ctx.cScope(this.test);
    const own = testScope.names.get(name);
    const isPrototype = own && (own.kind === 'function' || own.kind === 'variable') && !own.defined;
    if (own && own.location.file === this.test.path && !isPrototype) return this.toHelper(own, testScope);
    for (const file of this.nonTest) {
      const scope = this.ctx.cScope(file);
      const decl = scope.names.get(name);
      if (decl) return { decl, target: file, scope };
    }
    return own ? this.toHelper(own, testScope) : undefined;
  }

  private toHelper(decl: CDecl, scope: CScope): { decl: CDecl; target: Target; scope: CScope } {
    this.helperNeeded = true;
    return { decl, target: 'helper', scope };
  }

  /** The first non-test file whose scope passes, else the test's (helper file). */
  private targetFor(test: (scope: CScope) => boolean): Target | undefined {
    for (const file of this.nonTest) if (test(this.ctx.cScope(file))) return file;
    if (test(this.ctx.cScope(this.test))) {
      this.helperNeeded = true;
      return 'helper';
    }
    return undefined;
  }

  /** C library names declared by system headers, which this rule does not read: a small table. */
  private systemName(name: string, uses: Use[]): boolean {
    const fn = systemFunctions[name];
    const typeHeaders = systemTypes[name];
    if (!fn && !typeHeaders) return false;
    const headers = fn ? fn.header : typeHeaders;
    const sees = (file: CgoFile): boolean => headers.some((h) => this.includesOf(file).has(h));
    let target: Target | undefined = this.nonTest.find(sees);
    if (!target && sees(this.test)) {
      this.helperNeeded = true;
      target = 'helper';
    }
    if (!target) throw new CannotFix(`C.${name}: no preamble includes <${headers[0]}>.`);
    if (typeHeaders) {
      this.alias(name, target);
      return true;
    }
    this.systemScope ??= parseSystemDeclarations(this.ctx);
    const decl = this.systemScope.names.get(name)!;
    this.function(name, decl, target, this.systemScope, uses);
    return true;
  }

  /** Header names a file's preambles and project headers #include (compiled branches only). */
  private includesOf(file: CgoFile): Set<string> {
    let set = this.includeCache.get(file);
    if (set) return set;
    set = new Set(this.ctx.preprocessed(file).view.includes.map((include) => include.name));
    this.includeCache.set(file, set);
    return set;
  }

  /** Builtins (C.CString, C.int) need no declaration: the helper file if any, else where other wrappers go. */
  private defaultTarget(): Target {
    if (this.helperNeeded) return 'helper';
    const used = this.wrappers.find((w) => w.target !== 'helper');
    if (used) return used.target;
    if (this.nonTest.length > 0) return this.nonTest[0];
    this.helperNeeded = true;
    return 'helper';
  }

  /**
   * A wrapper under a fresh Go name (`text` writes it with "\n" line ends). The same name is
   * kept when the target file already declares it identically (an earlier fix wrote it) or an
   * earlier test file's fix adds the identical declaration to the same file.
   */
  private wrapper(target: Target, cName: string, text: (goName: string) => string, usesUnsafe: boolean): Wrapper {
    const base = goWrapperName(cName);
    for (let n = 1; ; n++) {
      const goName = n === 1 ? base : `${base}${n}`;
      const declText = text(goName);
      const mine = this.wrappers.find((w) => w.goName === goName);
      if (mine) {
        if (mine.target === target && mine.text === declText) return mine;
        continue;
      }
      const existing = target !== 'helper' && containsDeclaration(target.text, declText);
      const shared = target !== 'helper' && this.reserved.get(goName) === reservation(target.path, declText);
      if (!existing && !shared && this.taken.has(goName)) continue;
      const wrapper = { target, goName, text: declText, usesUnsafe };
      this.taken.add(goName);
      this.wrappers.push(wrapper);
      return wrapper;
    }
  }

  /** How package unsafe is named in a target file (existing import), else `unsafe`. */
  private unsafeNameIn(target: Target): string {
    if (target === 'helper') return 'unsafe';
    return unsafeImport(target.text).named?.name ?? 'unsafe';
  }

  // --- edits --------------------------------------------------------------------------------

  private helperPath(): string {
    const dir = path.dirname(this.test.path);
    const stem = path.basename(this.test.path).slice(0, -'_test.go'.length);
    // Keep a _GOOS/_GOARCH suffix last, so the helper builds exactly where the test did.
    const parts = stem.split('_');
    let suffix: string[] = [];
    if (parts.length > 2 && knownOS.has(parts[parts.length - 2]) && knownArch.has(parts[parts.length - 1])) suffix = parts.splice(-2);
    else if (parts.length > 1 && (knownOS.has(parts[parts.length - 1]) || knownArch.has(parts[parts.length - 1]))) suffix = parts.splice(-1);
    const existing = new Set(this.ctx.pkg.files.map((f) => f.path));
    for (let n = 1; ; n++) {
      const name = [...parts, 'cgo', 'helpers', ...(n > 1 ? [String(n)] : []), ...suffix].join('_') + '.go';
      const candidate = path.join(dir, name);
      if (!existing.has(candidate) && this.ctx.readText(candidate) === undefined) return candidate;
    }
  }

  private helperText(testBase: string): string {
    const eol = this.eol;
    const text = this.test.text;
    const packageClause = this.test.tree.rootNode.namedChildren.find((n) => n?.type === 'package_clause');
    // The test's build constraints hold for its helper too.
    const constraints = text
      .slice(0, packageClause?.startIndex ?? 0)
      .split(/\r?\n/)
      .filter((line) => /^\/\/go:build\s/.test(line) || /^\/\/ \+build\s/.test(line));
    let out = constraints.length > 0 ? constraints.join(eol) + eol + eol : '';
    out += `package ${this.test.packageName}${eol}${eol}`;
    // The test's preamble, verbatim (cgo joins the preambles of several import "C" in one file;
    // written one after the other they form one comment group, hence one preamble, again).
    for (const imp of this.test.imports) {
      if (!imp.preamble) continue;
      const comments = imp.preamble.group.comments;
      const first = comments[0];
      const lineStart = this.test.lines.lineStarts[this.test.lines.lineOf(first.start)];
      const indent = text.slice(lineStart, first.start);
      let comment = text.slice(first.start, comments[comments.length - 1].end);
      // A preamble indented inside `import ( … )` moves to the top level.
      if (/^[ \t]+$/.test(indent)) comment = comment.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
      out += comment + eol;
    }
    out += `import "C"${eol}`;
    const own = this.wrappers.filter((w) => w.target === 'helper');
    if (own.some((w) => w.usesUnsafe)) out += `${eol}import "unsafe"${eol}`;
    if (own.length > 0) {
      out += `${eol}${wrappersComment(testBase)}${eol}`;
      for (const wrapper of own) out += eol + withEol(wrapper.text, eol) + eol;
    }
    return out;
  }

  private extend(file: CgoFile, wrappers: Wrapper[], testBase: string): TextEdit[] {
    const eol = file.lines.eol;
    const text = file.text;
    let insertion = text.length > 0 && !text.endsWith('\n') ? eol : '';
    insertion += `${eol}${wrappersComment(testBase)}${eol}`;
    for (const wrapper of wrappers) insertion += eol + withEol(wrapper.text, eol) + eol;
    const edits: TextEdit[] = [{ file: file.path, start: text.length, end: text.length, newText: insertion }];
    if (wrappers.some((w) => w.usesUnsafe) && !unsafeImport(file.text).named) {
      const last = file.imports[file.imports.length - 1];
      edits.push({ file: file.path, start: last.decl.end, end: last.decl.end, newText: `${eol}import "unsafe"` });
    }
    return edits;
  }

  /** Removes import "C" and its preamble from the test (the preamble lives on in the helper). */
  private removeImport(imp: CgoImport): TextEdit {
    const { text, lines } = this.test;
    const grouped = imp.specCount > 1;
    const first = imp.preamble?.group.comments[0];
    let start = grouped ? (first && first.start > (imp.specList?.start ?? 0) ? first.start : imp.spec.start) : Math.min(first?.start ?? imp.decl.start, imp.decl.start);
    let end = grouped ? imp.spec.end : imp.decl.end;
    const lineStart = lines.lineStarts[lines.lineOf(start)];
    if (/^[ \t]*$/.test(text.slice(lineStart, start))) {
      const rest = /^[ \t]*(\/\/[^\n]*)?\r?\n/.exec(text.slice(end));
      if (rest) {
        start = lineStart;
        end += rest[0].length;
        // Leave one blank line where the import sat between two, none before a closing `)`.
        const blankBefore = /\n([ \t]*\r?\n)$/.exec(text.slice(0, start));
        const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(end));
        if ((blankBefore || start === 0) && blankAfter) end += blankAfter[0].length;
        else if (blankBefore && (/^[ \t]*\)/.test(text.slice(end)) || end === text.length)) start -= blankBefore[1].length;
      }
    }
    return { file: this.test.path, start, end, newText: '' };
  }
}

function wrappersComment(testBase: string): string {
  return `// Go wrappers of the C names ${testBase} uses: a _test.go file cannot import "C".`;
}

function withEol(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

function reservation(file: string, text: string): string {
  return `${file}\n${text}`;
}

/** Whether a Go file declares exactly this (whole lines, any line ends). */
function containsDeclaration(fileText: string, declaration: string): boolean {
  return `\n${fileText.replace(/\r\n/g, '\n')}\n`.includes(`\n${declaration}\n`);
}

/** `C.animal_make_dog` → `cAnimalMakeDog`, `C.ANIMAL_KIND_DOG` → `cAnimalKindDog`. */
export function goWrapperName(cName: string): string {
  const parts = cName.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  const camel = parts.map((p) => (p === p.toUpperCase() ? p[0] + p.slice(1).toLowerCase() : p[0].toUpperCase() + p.slice(1))).join('');
  return `c${camel || 'X'}`;
}

/** Whether a preamble holds more than #include lines and comments (so dropping it would lose something). */
function hasContent(preamble: string): boolean {
  const withoutComments = preamble.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
  return withoutComments.split('\n').some((line) => line.trim() !== '' && !/^\s*#\s*include\b/.test(line));
}

function isErrnoCall(call: Node): boolean {
  const list = call.parent;
  if (list?.type !== 'expression_list' || list.namedChildCount !== 1) return false;
  const statement = list.parent;
  if (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement') return false;
  if (statement.childForFieldName('right')?.id !== list.id) return false;
  return statement.childForFieldName('left')?.namedChildCount === 2;
}

/** A macro cgo takes as a constant: literals and operators over them, casts, enum constants, other such macros. */
function isConstantMacro(ctx: RuleContext, scope: CScope, name: string, depth: number): boolean {
  const decl = scope.names.get(name);
  if (!decl || decl.kind !== 'macro' || decl.macroValue === undefined || decl.macroValue === '' || depth > 8) return false;
  if (decl.text.trimStart().startsWith('#') && /^#\s*define\s+\w+\(/.test(decl.text.trim())) return false; // function-like
  const tree = ctx.cParser.parse(`int __cgo_lint_value = (${decl.macroValue});`);
  if (!tree) return false;
  try {
    const init = tree.rootNode.descendantsOfType('init_declarator')[0];
    const value = init?.childForFieldName('value');
    if (!value || tree.rootNode.hasError) return false;
    const constant = (node: Node): boolean => {
      switch (node.type) {
        case 'number_literal':
        case 'char_literal':
        case 'string_literal':
        case 'concatenated_string':
          return true;
        case 'parenthesized_expression':
        case 'unary_expression':
        case 'binary_expression':
        case 'conditional_expression':
          return node.namedChildren.every((c) => !!c && (c.type === 'comment' || constant(c)));
        case 'cast_expression': {
          const type = node.childForFieldName('type');
          const value = node.childForFieldName('value');
          return !!type && !!value && type.namedChildren.every((c) => c?.type === 'primitive_type' || c?.type === 'sized_type_specifier') && constant(value);
        }
        case 'identifier': {
          const other = scope.names.get(node.text);
          return other?.kind === 'enum-constant' || (other?.kind === 'macro' && isConstantMacro(ctx, scope, node.text, depth + 1));
        }
        default:
          return false;
      }
    };
    return constant(value);
  } finally {
    tree.delete();
  }
}

function parseSystemDeclarations(ctx: RuleContext): CScope {
  const scope = new CScope();
  const text = Object.values(systemFunctions)
    .map((f) => f.proto)
    .join('\n');
  const tree = ctx.cParser.parse(text);
  if (tree) {
    try {
      new DeclarationReader(scope, { file: '<libc>', toFile: (o) => o }, text, () => undefined).read(tree.rootNode);
    } finally {
      tree.delete();
    }
  }
  return scope;
}

