// `//export` in a file whose preamble defines a C function or variable with external linkage.
// cmd/cgo copies the preamble of every file with //export into _cgo_export.h, which
// _cgo_export.c includes, besides compiling it into the file's own <file>.cgo2.c: the symbol
// is then defined twice and linking the program fails with "multiple definition of `f'"
// (`go build` of the package alone and `go vet` still pass; the link of a program or test
// binary fails). cmd/cgo doc.go: "it must not contain any definitions, only declarations".
//
// What counts as a definition is C's external definition: a function body that is not
// `static` (nor a C99 `inline` definition without `extern`, nor weak), a variable that is not
// `static` and has an initializer or no `extern` (a tentative `int x;` too: gcc defaults to
// -fno-common). Definitions in project headers the preamble includes are reported at that
// #include. The C read is the preprocessor's (cpp.ts): macros of the preamble and its headers
// expanded (`#define SQLITE_EXTERN extern` makes `SQLITE_EXTERN int x;` a declaration), and only
// code certain to be compiled for the target counts.
import * as path from 'node:path';
import type { Node, Parser } from 'web-tree-sitter';
import { compiledAt, type PreprocessedUnit } from '../cgo/cpp';
import { cText } from '../cgo/directives';
import { cSourceFiles } from '../cgo/files';
import type { Fix, TextEdit } from '../cgo/findings';
import { goUsesOfC, type GoCUse } from '../cgo/gosyntax';
import type { IncludeWalk } from '../cgo/headers';
import type { CgoFile, PackageFlags } from '../cgo/package';
import { toSource, toSourceEnd, type Preamble } from '../cgo/preamble';
import { mentions } from '../cgo/text';
import { TextKeyedCache } from '../cgo/cache';
import type { Rule, RuleContext, RuleFinding } from '../cgo/rule';

export const exportWithDefinitions: Rule = {
  id: 'export-with-definitions',
  defaultSeverity: 'error',
  summary: 'A file with //export defines C functions or variables in its preamble: cgo compiles that preamble twice, so the link fails with "multiple definition".',
  check(ctx) {
    const findings: RuleFinding[] = [];
    const semantics = inlineSemantics(ctx.flags());
    const pkgFacts = new PackageFacts(ctx);
    // //export only means something in a file that imports "C".
    for (const file of ctx.pkg.cgoFiles) {
      if (file.isTest || !file.text.includes('//export ')) continue;
      const exports = exportComments(ctx, file);
      if (exports.length === 0) continue;
      const exported = describeExports(exports);
      const { view, preambles, walk } = ctx.preprocessed(file);
      const units = view.variants[0]?.units ?? [];
      preambles.forEach((preamble, index) => {
        const unit = readUnit(ctx, units[index], semantics);
        for (const group of groupByItem(unit.definitions)) {
          const fix = staticFix(file, preamble, group, unit, walk, pkgFacts);
          for (const def of group) findings.push(report(file, preamble, def, exported, fix));
        }
      });
      // Definitions in project headers the preamble includes, reported at that #include.
      const bySite = new Map<number, { site: IncludeWalk['headers'][number]['via']; names: string[]; headers: string[] }>();
      for (const header of walk.headers) {
        const defs = readUnit(ctx, header.unit, semantics).definitions;
        if (defs.length === 0) continue;
        const entry = bySite.get(header.via.start) ?? { site: header.via, names: [], headers: [] };
        entry.names.push(...defs.map((d) => d.name).filter((n) => !entry.names.includes(n)));
        entry.headers.push(path.basename(header.path));
        bySite.set(header.via.start, entry);
      }
      for (const { site, names, headers } of bySite.values()) {
        const listed = names.slice(0, 3).map((n) => `'${n}'`).join(', ') + (names.length > 3 ? `, and ${names.length - 3} more` : '');
        const own = headers.includes(path.basename(site.name));
        const nested = headers.filter((h) => h !== path.basename(site.name));
        const where = nested.length === 0 ? `"${site.name}"` : own ? `"${site.name}" (and ${nested.join(', ')}, which it includes)` : `"${site.name}" (through ${nested.join(', ')})`;
        findings.push({
          file: file.path,
          start: site.start,
          end: site.end,
          message:
            `${where} defines ${listed}, and this file has ${exported}: cgo copies the preamble of a file with //export, ` +
            'with what it includes, into _cgo_export.c as well as into this file\'s own C output, so linking the program ' +
            `fails with "multiple definition of \`${names[0]}'". Make those definitions static inline in the header, ` +
            'or include the header only from files without //export (or from .c files) and keep declarations here.',
          fixes: [],
        });
      }
    }
    return findings;
  },
};

interface ExportComment {
  name: string;
}

/** `//export Name` lines in the doc comments of the file's functions, as cmd/cgo's saveExport finds them. */
function exportComments(ctx: RuleContext, file: CgoFile): ExportComment[] {
  // By file text: a keystroke in one file of a package must not walk the Go code of every //export file again.
  const exportsByText = ctx.kept('exports', () => new TextKeyedCache<ExportComment[]>(4 * 1024 * 1024));
  return exportsByText.get(file.text, () => readExportComments(file));
}

function readExportComments(file: CgoFile): ExportComment[] {
  const result: ExportComment[] = [];
  for (const decl of file.tree.rootNode.namedChildren) {
    if (!decl || (decl.type !== 'function_declaration' && decl.type !== 'method_declaration')) continue;
    const doc = file.tokens.commentsBefore(decl.startIndex).lead;
    for (const comment of doc?.comments ?? []) {
      const text = file.text.slice(comment.start, comment.end);
      if (comment.block || !text.startsWith('//export ')) continue;
      result.push({ name: text.slice('//export '.length).trim() || (decl.childForFieldName('name')?.text ?? '') });
      break;
    }
  }
  return result;
}

function describeExports(exports: ExportComment[]): string {
  const names = exports.map((e) => e.name);
  const shown = names.slice(0, 3).join(', //export ') + (names.length > 3 ? `, … (${names.length} in all)` : '');
  return `//export ${shown}`;
}

/** Which inline rules gcc applies: C99's, or GNU89's with -std=gnu89 and the like. */
interface InlineSemantics {
  gnu89: boolean;
  /** -fcommon: a tentative `int x;` becomes a common symbol, which links. */
  common: boolean;
}

function inlineSemantics(flags: PackageFlags): InlineSemantics {
  let gnu89 = false;
  let common = false;
  for (const flag of [...flags.CPPFLAGS, ...flags.CFLAGS]) {
    const std = /^--?std=(.*)$/.exec(flag);
    if (std) gnu89 = /^(c89|c90|gnu89|gnu90|iso9899:1990|iso9899:199409)$/.test(std[1]);
    if (flag === '-ansi') gnu89 = true;
    if (flag === '-fcommon') common = true;
    if (flag === '-fno-common') common = false;
  }
  return { gnu89, common };
}

interface Definition {
  kind: 'function' | 'variable';
  name: string;
  /** The declarator's name, in offsets of the unit's source (a macro invocation, when a macro wrote it). */
  nameStart: number;
  nameEnd: number;
  /** Where the function definition or declaration starts, in the source; undefined when a macro wrote it. */
  itemStart: number | undefined;
  /** The `extern` specifier, to become `static`; undefined also when a macro wrote it. */
  externAt: { start: number; end: number } | undefined;
  /** The `extern` (or the item's start) came from a macro: no edit can make it static. */
  fromMacro: boolean;
  /** The item in the parsed text: definitions of one declaration share it. */
  itemKey: number;
  isInline: boolean;
  /** The declarator without its initializer, for an `extern` declaration in the message. */
  declaratorText: string;
  typeText: string;
  /** Other declarators of the same declaration that are functions (`int x = 1, f(void);`). */
  sharesWithFunction: boolean;
}

interface Unit {
  definitions: Definition[];
  /** How many top-level declarations (and definitions) name each identifier. */
  declarationCount: Map<string, number>;
}

/** `extern "C" { … }` holds file-scope items too. */
const linkageItems = new Set(['linkage_specification', 'declaration_list']);

/**
 * The external definitions of what gcc compiles of a preamble or a header, and how often each
 * name is declared. Code under a condition the preprocessor could not decide is not judged.
 */
function readUnit(ctx: RuleContext, source: PreprocessedUnit | undefined, semantics: InlineSemantics): Unit {
  if (!source) return { definitions: [], declarationCount: new Map() };
  // Units read, per preprocessed unit: the engine keeps a file's view, and so its units, while
  // nothing it read changes, and a keystroke elsewhere in a package must not parse every
  // //export file's preamble again.
  const readUnits = ctx.kept('units', () => new WeakMap<PreprocessedUnit, { semantics: string; unit: Unit }>());
  const key = JSON.stringify(semantics);
  const known = readUnits.get(source);
  if (known?.semantics === key) return known.unit;
  const unit = parseUnit(ctx.cParser, source, semantics);
  readUnits.set(source, { semantics: key, unit });
  return unit;
}

function parseUnit(parser: Parser, source: PreprocessedUnit, semantics: InlineSemantics): Unit {
  const unit: Unit = { definitions: [], declarationCount: new Map() };
  const text = source.text;
  const tree = parser.parse(text);
  if (!tree) return unit;
  try {
    const items: Node[] = [];
    const collect = (node: Node): void => {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (linkageItems.has(child.type)) collect(child);
        else if (compiledAt(source, source.map.toSource(child.startIndex)) === 'certain') items.push(child);
      }
    };
    collect(tree.rootNode);
    const weak = new Set<string>();
    for (const item of items) {
      if (item.type !== 'preproc_call' || item.childForFieldName('directive')?.text !== '#pragma') continue;
      const match = /^\s*weak\s+([A-Za-z_]\w*)/.exec(item.childForFieldName('argument')?.text ?? '');
      if (match) weak.add(match[1]);
    }
    // Functions: name → whether some file-scope declaration lacks `inline` or has `extern` (C99 6.7.4p7).
    const notInlineOnly = new Set<string>();
    // A name declared static anywhere has internal linkage, also where a later declaration omits it.
    const internal = new Set<string>();
    const count = (name: string): void => void unit.declarationCount.set(name, (unit.declarationCount.get(name) ?? 0) + 1);
    const candidates: { item: Node; declarator: Node; name: Node; storage: Storage; isFunction: boolean }[] = [];
    for (const item of items) {
      if (item.type !== 'function_definition' && item.type !== 'declaration') continue;
      const storage = storageOf(item);
      const declarators = item.type === 'function_definition' ? [item.childForFieldName('declarator')] : item.childrenForFieldName('declarator');
      for (const declarator of declarators) {
        if (!declarator) continue;
        const name = declaredName(declarator);
        if (!name) continue;
        count(name.text);
        const isFunction = item.type === 'function_definition' || isFunctionDeclarator(declarator);
        if (isFunction && (!storage.isInline || storage.externAt)) notInlineOnly.add(name.text);
        if (storage.isStatic) internal.add(name.text);
        candidates.push({ item, declarator, name, storage, isFunction });
      }
    }
    for (const { item, declarator, name, storage, isFunction } of candidates) {
      // A broken parse (an attribute tree-sitter does not know, say) is not guessed at.
      if (item.hasError || storage.isStatic || storage.isTypedef || weak.has(name.text) || internal.has(name.text)) continue;
      const attributes = attributeText(item);
      if (/\b_*(weak|alias|common|selectany)_*\b/.test(attributes)) continue;
      if (item.type === 'function_definition') {
        if (storage.isInline) {
          const gnu = semantics.gnu89 || /\b_*gnu_inline_*\b/.test(attributes);
          // GNU89: `extern inline` defines nothing. C99: `inline` without `extern` anywhere defines nothing.
          if (gnu ? storage.externAt : !notInlineOnly.has(name.text)) continue;
        }
        unit.definitions.push(definition('function', item, declarator, name, storage, source, false));
        continue;
      }
      if (isFunction) continue;
      const initialized = declarator.type === 'init_declarator';
      if (storage.externAt && !initialized) continue;
      if (!initialized && semantics.common && !storage.isThreadLocal) continue;
      const sharesWithFunction = item.childrenForFieldName('declarator').some((d) => !!d && isFunctionDeclarator(d));
      unit.definitions.push(definition('variable', item, declarator, name, storage, source, sharesWithFunction));
    }
  } finally {
    tree.delete();
  }
  return unit;
}

interface Storage {
  isStatic: boolean;
  isInline: boolean;
  isTypedef: boolean;
  isThreadLocal: boolean;
  externAt: { start: number; end: number } | undefined;
}

function storageOf(item: Node): Storage {
  const storage: Storage = { isStatic: false, isInline: false, isTypedef: false, isThreadLocal: false, externAt: undefined };
  for (const child of item.children) {
    if (!child) continue;
    if (child.type === 'storage_class_specifier' || child.type === 'type_qualifier') {
      const word = child.text;
      if (word === 'static') storage.isStatic = true;
      else if (word === 'inline' || word === '__inline' || word === '__inline__') storage.isInline = true;
      else if (word === 'extern') storage.externAt = { start: child.startIndex, end: child.endIndex };
      else if (word === '__thread' || word === '_Thread_local' || word === 'thread_local') storage.isThreadLocal = true;
    } else if (child.type === 'typedef') storage.isTypedef = true;
  }
  return storage;
}

/** The attributes written before the body or the declarators. */
function attributeText(item: Node): string {
  return item.children
    .filter((c): c is Node => !!c && (c.type === 'attribute_specifier' || c.type === 'attribute_declaration' || c.type === 'ms_declspec_modifier'))
    .map((c) => c.text)
    .join(' ');
}

function declaredName(declarator: Node): Node | undefined {
  let node: Node | null = declarator;
  for (let depth = 0; node && depth < 32; depth++) {
    if (node.type === 'identifier') return node;
    node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => !!c && c.type.endsWith('declarator')) ?? node.namedChildren.find((c) => c?.type === 'identifier') ?? null;
  }
  return undefined;
}

/** Whether a declarator declares a function (`f(void)`, `*f(void)`) rather than, say, a pointer to one (`(*f)(void)`). */
function isFunctionDeclarator(declarator: Node): boolean {
  const name = declaredName(declarator);
  let parent = name?.parent ?? null;
  while (parent && parent.type === 'parenthesized_declarator') parent = parent.parent;
  return parent?.type === 'function_declarator';
}

function definition(kind: Definition['kind'], item: Node, declarator: Node, name: Node, storage: Storage, unit: PreprocessedUnit, sharesWithFunction: boolean): Definition {
  const inner = declarator.type === 'init_declarator' ? declarator.childForFieldName('declarator') ?? declarator : declarator;
  const typeNode = item.childForFieldName('type');
  const firstDeclarator = item.type === 'function_definition' ? item.childForFieldName('declarator') : item.childrenForFieldName('declarator')[0];
  const itemStart = unit.map.verbatim(item.startIndex, item.startIndex + 1)?.start;
  const externAt = storage.externAt && unit.map.verbatim(storage.externAt.start, storage.externAt.end);
  return {
    kind,
    name: name.text,
    nameStart: unit.map.toSource(name.startIndex),
    nameEnd: unit.map.toSourceEnd(name.endIndex),
    itemStart,
    externAt,
    itemKey: item.startIndex,
    fromMacro: itemStart === undefined || (storage.externAt !== undefined && externAt === undefined),
    isInline: storage.isInline,
    declaratorText: unit.text.slice(inner.startIndex, inner.endIndex),
    // Qualifiers and the type, as written before the first declarator, without storage classes.
    typeText: typeNode && firstDeclarator
      ? item.children
          .filter((c): c is Node => !!c && c.startIndex < firstDeclarator.startIndex && c.type !== 'storage_class_specifier' && c.type !== 'attribute_specifier')
          .map((c) => c.text)
          .join(' ')
      : '',
    sharesWithFunction,
  };
}

/** Definitions of one declaration share one fix (`int a = 1, b = 2;` gets one `static`). */
function groupByItem(definitions: Definition[]): Definition[][] {
  const groups = new Map<number, Definition[]>();
  for (const def of definitions) groups.set(def.itemKey, [...(groups.get(def.itemKey) ?? []), def]);
  return [...groups.values()];
}

/** What the rest of the package says about a C name: other preambles, C sources, Go uses. */
class PackageFacts {
  private otherTexts: Map<CgoFile, { file: string; text: string }[]> | undefined;
  private cSources: { file: string; text: string }[] | undefined;
  private goUses: Map<string, GoCUse[]> | undefined;

  constructor(private readonly ctx: RuleContext) {}

  /** Files other than `file` whose C mentions the name: other preambles, the headers they include, .c/.h files of the directory. */
  mentionedOutside(file: CgoFile, name: string): string | undefined {
    this.otherTexts ??= new Map();
    let texts = this.otherTexts.get(file);
    if (!texts) {
      texts = [];
      for (const other of this.ctx.pkg.cgoFiles) {
        if (other === file || other.isTest) continue;
        for (const imp of other.imports) if (imp.preamble) texts.push({ file: other.path, text: cText(imp.preamble) });
        if (other.imports.some((imp) => imp.preamble)) {
          for (const header of this.ctx.includes(other).headers) texts.push({ file: header.path, text: header.text });
        }
      }
      texts.push(...this.sources());
      this.otherTexts.set(file, texts);
    }
    return texts.find((t) => mentions(t.text, name))?.file;
  }

  sources(): { file: string; text: string }[] {
    this.cSources ??= cSourceFiles(this.ctx.pkg.dir).flatMap((file) => {
      const text = this.ctx.readText(file);
      return text === undefined ? [] : [{ file, text }];
    });
    return this.cSources;
  }

  /** A C file of the directory that includes _cgo_export.h (and so gets its own copy of every static). */
  includesExportHeader(): string | undefined {
    return this.sources().find((s) => /#\s*include\s*["<]_cgo_export\.h[">]/.test(s.text))?.file;
  }

  usesInGo(name: string): GoCUse[] {
    if (!this.goUses) {
      this.goUses = new Map();
      for (const file of this.ctx.pkg.files) {
        if (file.imports.length === 0) continue;
        for (const use of goUsesOfC(file)) this.goUses.set(use.name, [...(this.goUses.get(use.name) ?? []), use]);
      }
    }
    return this.goUses.get(name) ?? [];
  }
}

interface FixChoice {
  fix: Fix | undefined;
  /** Why no fix is offered, as a sentence. */
  reason: string | undefined;
}

/** `static inline` for functions, `static` for variables, when nothing outside this preamble needs the external symbol. */
function staticFix(file: CgoFile, preamble: Preamble, group: Definition[], unit: Unit, walk: IncludeWalk, facts: PackageFacts): FixChoice {
  const first = group[0];
  if (first.fromMacro) return { fix: undefined, reason: 'A macro writes this definition, so it is not made static automatically.' };
  if (first.sharesWithFunction) return { fix: undefined, reason: 'The same declaration also declares a function, so it is not made static automatically.' };
  for (const def of group) {
    const what = `'${def.name}'`;
    if ((unit.declarationCount.get(def.name) ?? 0) > 1) return { fix: undefined, reason: `${what} is declared more than once in this preamble, so it is not made static automatically.` };
    const header = walk.headers.find((h) => mentions(h.text, def.name));
    if (header) return { fix: undefined, reason: `${what} also appears in ${path.basename(header.path)}, so it is not made static automatically.` };
    const outside = facts.mentionedOutside(file, def.name);
    if (outside) return { fix: undefined, reason: `${path.basename(outside)} also refers to ${what}, which needs its external symbol.` };
    const uses = facts.usesInGo(def.name);
    if (def.kind === 'variable' && uses.length > 0) {
      return { fix: undefined, reason: `Go code uses C.${def.name}, which needs its external symbol (a static variable is "undefined reference" at link).` };
    }
    if (def.kind === 'function' && uses.some((u) => !u.isCall)) {
      return { fix: undefined, reason: `Go code takes C.${def.name} as a value, which needs its external symbol.` };
    }
    if (def.kind === 'variable') {
      const exporter = facts.includesExportHeader();
      if (exporter) return { fix: undefined, reason: `${path.basename(exporter)} includes _cgo_export.h and would get its own copy of a static ${what}.` };
    }
  }
  const source = (offset: number): number => toSource(preamble, offset);
  const itemStart = first.itemStart!;
  let edit: TextEdit;
  if (first.kind === 'function') {
    const words = first.isInline ? 'static' : 'static inline';
    edit = first.externAt
      ? { file: file.path, start: source(first.externAt.start), end: source(first.externAt.start) + (first.externAt.end - first.externAt.start), newText: words }
      : { file: file.path, start: source(itemStart), end: source(itemStart), newText: `${words} ` };
  } else {
    edit = first.externAt
      ? { file: file.path, start: source(first.externAt.start), end: source(first.externAt.start) + (first.externAt.end - first.externAt.start), newText: 'static' }
      : { file: file.path, start: source(itemStart), end: source(itemStart), newText: 'static ' };
  }
  return { fix: { title: first.kind === 'function' ? 'Make it static inline' : 'Make it static', preferred: true, edits: [edit] }, reason: undefined };
}

function report(file: CgoFile, preamble: Preamble, def: Definition, exported: string, choice: FixChoice): RuleFinding {
  const start = toSource(preamble, def.nameStart);
  const end = toSourceEnd(preamble, def.nameEnd);
  const what = def.kind === 'function' ? `The function '${def.name}'` : `The variable '${def.name}'`;
  let advice: string;
  if (def.kind === 'function') {
    advice = choice.fix
      ? 'Make it static inline (each C file then keeps a private copy), or move the definition to a .c file of the package or to the preamble of a file without //export and keep a declaration here.'
      : `${choice.reason} Move the definition to a .c file of the package or to the preamble of a file without //export, and keep only a declaration here.`;
  } else {
    const externDecl = def.typeText ? ` (extern ${def.typeText} ${def.declaratorText};)` : '';
    advice = choice.fix
      ? `Only this preamble's C code uses it, so it can be static; to share it, define it in a .c file of the package instead and declare it here as extern${externDecl}.`
      : `${choice.reason} Define it once in a .c file of the package or in the preamble of a file without //export, and declare it here as extern${externDecl}.`;
  }
  return {
    file: file.path,
    start,
    end,
    message:
      `${what} is defined in the preamble of a file with ${exported}: cgo copies such a preamble into _cgo_export.c ` +
      `as well as into this file's own C output, so linking the program fails with "multiple definition of \`${def.name}'". ${advice}`,
    fixes: choice.fix ? [choice.fix] : [],
  };
}
