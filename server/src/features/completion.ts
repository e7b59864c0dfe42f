// Completion after `C.` in Go code: the C names this file's preamble and the project headers
// it includes declare (C names resolve per file), the struct/union/enum tags as
// C.struct_x/C.union_x/C.enum_x, cgo's basic type names and its helper functions, then what
// the system headers it includes declare (systemHeaders.ts), ranked after the project's names.
import { CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams } from 'vscode-languageserver';
import { declarationHead, type CDecl, type CScope } from '../cgo/cdecl';
import { cgoBasicTypeNames, cgoBuiltinFunctions } from '../cgo/gotypes';
import { cgoBasicTypeDocs, cgoHelperDocs } from './cgoDocs';
import { relativeName } from './cReferences';
import { withView, type DocumentView, type FeatureServices } from './documentView';

/** Go code nodes where `C.` is not a selector: comments and literals. */
const notCode = new Set(['comment', 'interpreted_string_literal', 'raw_string_literal', 'rune_literal', 'interpreted_string_literal_content', 'raw_string_literal_content']);

/**
 * The items; marked incomplete while the system headers the file includes are still unread
 * (the editor reads them a moment after opening, systemIndex.ts): the answer never waits for
 * them, and the client asks again at the next keystroke.
 */
export async function completion(services: FeatureServices, params: CompletionParams): Promise<CompletionItem[] | CompletionList | null> {
  const items = await withView(services, params.textDocument.uri, (view) => {
    const offset = view.document.offsetAt(params.position);
    if (!afterC(view, offset)) return null;
    return completionItems(view);
  });
  return items ?? null;
}

/** Whether the cursor follows `C.` (and maybe part of a name) in Go code. */
function afterC(view: DocumentView, offset: number): boolean {
  const text = view.file.text;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /(?:^|[^A-Za-z0-9_.])C\.([A-Za-z0-9_]*)$/.exec(text.slice(lineStart, offset));
  if (!m) return false;
  if (!view.file.imports.some((imp) => !imp.name)) return false;
  const dot = offset - m[1].length - 1;
  const node = view.file.tree.rootNode.descendantForIndex(dot);
  for (let n = node; n; n = n.parent) if (notCode.has(n.type)) return false;
  return true;
}

function declKind(decl: CDecl, scope: CScope): CompletionItemKind {
  switch (decl.kind) {
    case 'function':
      return CompletionItemKind.Function;
    case 'variable':
      return CompletionItemKind.Variable;
    case 'enum-constant':
      return CompletionItemKind.EnumMember;
    case 'macro':
      return CompletionItemKind.Constant;
    case 'typedef': {
      const resolved = decl.type ? scope.resolve(decl.type) : undefined;
      if (resolved?.kind === 'record') return CompletionItemKind.Struct;
      if (resolved?.kind === 'enum') return CompletionItemKind.Enum;
      return CompletionItemKind.TypeParameter;
    }
  }
}

/** A declaration on one line, for the item's detail. */
function oneLine(decl: CDecl): string {
  const text = declarationHead(decl).replace(/\s+/g, ' ');
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function completionItems(view: DocumentView): CompletionItem[] | CompletionList {
  const { scope } = view.scopeOf(view.file);
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const add = (item: CompletionItem): void => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    items.push(item);
  };
  for (const decl of scope.names.values()) {
    // cgo cannot use function-like macros.
    if (decl.kind === 'macro' && /^\s*#\s*define\s+\w+\(/.test(decl.text)) continue;
    const where = decl.location.file === view.file.path ? 'the preamble' : `\`${relativeName(view, decl.location.file)}\``;
    add({
      label: decl.name,
      kind: declKind(decl, scope),
      detail: oneLine(decl),
      documentation: { kind: 'markdown', value: `\`\`\`c\n${decl.text.trim().split('\n').slice(0, 20).join('\n')}\n\`\`\`\nFrom ${where}` },
      sortText: `0${decl.name}`,
    });
  }
  for (const [key, type] of scope.tags) {
    const [kind, tag] = key.split(' ');
    add({
      label: `${kind}_${tag}`,
      kind: type.kind === 'enum' ? CompletionItemKind.Enum : CompletionItemKind.Struct,
      detail: key,
      sortText: `1${kind}_${tag}`,
    });
  }
  for (const [name, fn] of Object.entries(cgoBuiltinFunctions)) {
    add({
      label: name,
      kind: CompletionItemKind.Function,
      detail: `func(${fn.params.map((p) => `${p.name} ${p.type}`).join(', ')}) ${fn.result}`,
      documentation: cgoHelperDocs[name],
      sortText: `2${name}`,
    });
  }
  for (const name of cgoBasicTypeNames) {
    add({ label: name, kind: CompletionItemKind.TypeParameter, detail: `C ${cgoBasicTypeDocs[name] ?? name}`, sortText: `3${name}` });
  }
  const system = view.systemScopeIfRead(view.file);
  if (!system) return { isIncomplete: true, items };
  for (const item of systemItems(system)) add(item);
  return items;
}

/** Per system scope (shared by every file including the same headers), its items, built on first use. */
const systemItemCache = new WeakMap<CScope, CompletionItem[]>();

/**
 * The names system headers declare, after the preamble's and the project's; without the names
 * C reserves for the implementation (`__fd_mask`, `_IO_FILE`), which no cgo code calls.
 */
function systemItems(scope: CScope): CompletionItem[] {
  let items = systemItemCache.get(scope);
  if (items) return items;
  items = [];
  for (const decl of scope.names.values()) {
    if (/^_[A-Z_]/.test(decl.name) || (decl.kind === 'macro' && /^\s*#\s*define\s+\w+\(/.test(decl.text))) continue;
    items.push({
      label: decl.name,
      kind: declKind(decl, scope),
      detail: oneLine(decl),
      documentation: { kind: 'markdown', value: `\`\`\`c\n${decl.text.trim().split('\n').slice(0, 20).join('\n')}\n\`\`\`\nFrom \`${decl.location.file}\`` },
      sortText: `4${decl.name}`,
    });
  }
  systemItemCache.set(scope, items);
  return items;
}
