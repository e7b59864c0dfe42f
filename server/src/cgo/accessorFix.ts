// The fix of union-unsafe-offset: a static inline getter or setter of the member, added to the
// file's preamble (or reused when it is there), called where the offset was computed, with the
// Go type of the original expression kept; intermediate variables and the unsafe import that
// nothing uses any more are removed, so that the file still builds.
import type { Node } from 'web-tree-sitter';
import { typeToC, type CScope, type CType } from './cdecl';
import type { Fix, TextEdit } from './findings';
import { specsOf, type Binding, type GoBindings } from './gobindings';
import type { NamedImport } from './goimports';
import { accessPath, type FieldStep } from './layout';
import { goTypeText, spell, type GoType, type Plan } from './layoutMatch';
import type { CgoFile } from './package';

/** Where the fix is written: the file, its Go tree and bindings, its C scope and its unsafe import. */
export interface AccessorSite {
  file: CgoFile;
  root: Node;
  bindings: GoBindings;
  scope: CScope;
  unsafe: NamedImport;
}

export interface Base {
  /** The record, resolved. */
  record: Extract<CType, { kind: 'record' }>;
  /** How C spells the record (`Animal`, `struct animal`); undefined for an anonymous type. */
  spelling: string | undefined;
  /** Go expression of the record's address at the base: `&cat` or `p`. */
  arg: string;
  /** The variable behind `arg`. */
  binding: Binding;
}

export interface Chain {
  base: Base;
  offset: number;
  /** How many additions the offset took (0: the record's own address). */
  steps: number;
  /** Intermediate unsafe.Pointer variables, from the use back to the base. */
  vars: Binding[];
}

export function accessorFix(site: AccessorSite, pointee: GoType | undefined, chain: Chain, path: FieldStep[], access: 'read' | 'write', anchor: Node, assignment: Node | undefined, plan: Plan | undefined): Fix | string {
  const { base } = chain;
  if (!plan) return `${pointee ? goTypeText(pointee, site.unsafe.name) : 'the converted type'} is not the member's type`;
  if (!base.spelling || /[{…]/.test(base.spelling)) return 'the record has no C name to write in the preamble';
  const preamble = site.file.imports.find((imp) => imp.preamble)?.preamble;
  if (!preamble) return 'the file has no preamble';
  // A last line continued with a backslash would swallow the helper.
  if (/\\\s*$/.test(preamble.text)) return 'the preamble ends with a continued line';
  // `&cat` must mean the same variable where the expression is.
  const argName = base.arg.replace(/^&/, '');
  if (site.bindings.certainBindingOf(anchor, argName)?.ident.equals(base.binding.ident) !== true) return `${argName} means something else at this point`;

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
    const existing = site.scope.names.get(fn);
    if (!existing) break;
    if (existing.kind === 'function' && normalizeC(existing.text) === normalizeC(definition(fn))) {
      reuse = true;
      break;
    }
    if (i > 20) return 'no free name for the helper';
    fn = `${stem}_${i}`;
  }

  const edits: TextEdit[] = [];
  const eol = site.file.text.includes('\r\n') ? '\r\n' : '\n';
  if (!reuse) {
    const insertion = preambleInsertion(site.file.text, preamble.group.comments[preamble.group.comments.length - 1], definition(fn), eol);
    edits.push({ file: site.file.path, ...insertion });
  }
  let replaced: { start: number; end: number; newText: string };
  if (access === 'read') {
    replaced = { start: anchor.startIndex, end: anchor.endIndex, newText: plan.wrapRead(`C.${fn}(${base.arg})`) };
  } else {
    const value = assignment!.childForFieldName('right')?.namedChildren.filter((n): n is Node => !!n);
    if (!value || value.length !== 1) return 'not a single assignment';
    replaced = { start: assignment!.startIndex, end: assignment!.endIndex, newText: `C.${fn}(${base.arg}, ${plan.wrapWrite(value[0].text)})` };
  }
  edits.push({ file: site.file.path, ...replaced });

  // Intermediate variables nothing uses any more.
  const gone: { start: number; end: number }[] = [replaced];
  for (const v of chain.vars) {
    const uses = site.bindings.identifiersNamed(v.name, v.body.startIndex, v.body.endIndex).filter((id) => !id.equals(v.ident) && !gone.some((r) => r.start <= id.startIndex && id.endIndex <= r.end));
    if (uses.length > 0) break; // still used: so are the variables it was computed from
    const removal = statementRemoval(site.file.text, v);
    if (!removal) return `${v.name} would be left unused and cannot be removed automatically`;
    gone.push(removal);
    edits.push({ file: site.file.path, ...removal, newText: '' });
  }
  // Unused variables before a used one would break the build: make sure none is left.
  for (const v of chain.vars) {
    if (gone.some((r) => r.start <= v.stmt.startIndex && v.stmt.endIndex <= r.end)) continue;
    const uses = site.bindings.identifiersNamed(v.name, v.body.startIndex, v.body.endIndex).filter((id) => !id.equals(v.ident) && !gone.some((r) => r.start <= id.startIndex && id.endIndex <= r.end));
    if (uses.length === 0) return `${v.name} would be left unused`;
  }

  // The unsafe import: removed with its last use. Every fix of this rule edits it, so
  // `cgo-lint --fix` applies one per file and round and each sees what the previous left.
  const imp = site.unsafe;
  const unsafeLeft =
    replaced.newText.includes(`${site.unsafe.name}.`) ||
    unsafeUses(site.root, site.unsafe.name).some((n) => !gone.some((r) => r.start <= n.startIndex && n.endIndex <= r.end));
  if (unsafeLeft) edits.push({ file: site.file.path, start: imp.spec.path.start, end: imp.spec.path.end, newText: imp.spec.path.text });
  else edits.push({ file: site.file.path, ...importRemoval(site.file.text, imp), newText: '' });

  const title =
    access === 'write'
      ? `Write ${cPath} through a C setter ${fn}()`
      : `Read ${cPath} through a C getter ${fn}()`;
  return { title, preferred: true, edits };
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

function importRemoval(text: string, imp: NamedImport): { start: number; end: number } {
  const target = imp.decl.specs.length === 1 ? imp.decl.decl : imp.spec.spec;
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
