// C declarations and types, read from tree-sitter-c trees of a preamble and the headers it
// includes: what `C.name` can refer to, with types precise enough for layout and for the Go
// types cgo gives them. Only what cgo users write is modelled; macros are kept as text.
import type { Node } from 'web-tree-sitter';

export type CType =
  | { kind: 'void' }
  | { kind: 'builtin'; name: string }
  /** toConst: what it points to is const-qualified (`const char *`), as written or through a typedef's own qualifier. */
  | { kind: 'pointer'; to: CType; toConst?: true }
  | { kind: 'array'; of: CType; length: number | undefined }
  | { kind: 'record'; union: boolean; tag: string | undefined; fields: CField[] | undefined; id: number }
  | { kind: 'enum'; tag: string | undefined; constants: CEnumConstant[] | undefined }
  | { kind: 'typedef'; name: string }
  | { kind: 'function'; returns: CType; params: CParam[]; variadic: boolean; unprototyped: boolean };

export interface CField {
  /** undefined for an anonymous struct or union member. */
  name: string | undefined;
  type: CType;
  bitWidth: number | undefined;
}

export interface CParam {
  name: string | undefined;
  type: CType;
}

export interface CEnumConstant {
  name: string;
  value: number | undefined;
}

/** Where a declaration is written: a .go file (preamble) or a header. */
export interface CLocation {
  file: string;
  start: number;
  end: number;
}

export type CDeclKind = 'function' | 'variable' | 'typedef' | 'enum-constant' | 'macro';

export interface CDecl {
  name: string;
  kind: CDeclKind;
  type: CType | undefined;
  /** A function with a body, or a variable that is not extern. */
  defined: boolean;
  isStatic: boolean;
  isInline: boolean;
  location: CLocation;
  /** The declaration's source text, for hovers. */
  text: string;
  /** For a macro: its replacement text. */
  macroValue?: string;
  /** For a typedef: the type it names is const-qualified (`typedef const char cchar;`). */
  constQualified?: true;
}

/** Maps offsets of the parsed text to the file the user edits. */
export interface CSourceMap {
  file: string;
  toFile(offset: number): number;
  /** An exclusive end offset; toFile's when absent. */
  toFileEnd?(offset: number): number;
  /** The source text a range of the parsed text comes from (macros unexpanded); the parsed text when absent. */
  textOf?(start: number, end: number): string;
}

let nextRecordId = 1;

/** The C names visible in one .go file: its preamble and the headers it includes. */
export type TagType = Extract<CType, { kind: 'record' } | { kind: 'enum' }>;

/**
 * What a DeclarationReader reads into: it adds names and tags, and looks names up while it
 * reads (enum values and array sizes from constants, const typedefs).
 */
export interface DeclarationSink {
  add(decl: CDecl): void;
  addTag(type: TagType): void;
  lookup(name: string): CDecl | undefined;
}

/** CScope.add's rule, for one name: a definition is more useful than a declaration; otherwise the first one wins. */
export function preferredDecl(existing: CDecl | undefined, decl: CDecl): CDecl {
  return !existing || (decl.defined && !existing.defined) ? decl : existing;
}

export class CScope implements DeclarationSink {
  readonly names = new Map<string, CDecl>();
  readonly tags = new Map<string, TagType>();

  add(decl: CDecl): void {
    const existing = this.names.get(decl.name);
    if (preferredDecl(existing, decl) !== existing) this.names.set(decl.name, decl);
  }

  lookup(name: string): CDecl | undefined {
    return this.names.get(name);
  }

  addTag(type: TagType): void {
    if (!type.tag) return;
    const key = `${type.kind === 'enum' ? 'enum' : type.union ? 'union' : 'struct'} ${type.tag}`;
    const existing = this.tags.get(key);
    const complete = type.kind === 'enum' ? type.constants !== undefined : type.fields !== undefined;
    if (!existing || complete) this.tags.set(key, type);
  }

  /** Follows typedef names and incomplete tags to what they stand for. */
  resolve(type: CType, depth = 0): CType {
    if (depth > 32) return type;
    if (type.kind === 'typedef') {
      const decl = this.names.get(type.name);
      return decl?.kind === 'typedef' && decl.type ? this.resolve(decl.type, depth + 1) : type;
    }
    if (type.kind === 'record' && !type.fields && type.tag) {
      const complete = this.tags.get(`${type.union ? 'union' : 'struct'} ${type.tag}`);
      if (complete?.kind === 'record' && complete.fields) return complete;
    }
    if (type.kind === 'enum' && !type.constants && type.tag) {
      const complete = this.tags.get(`enum ${type.tag}`);
      if (complete) return complete;
    }
    return type;
  }

  macroValue(name: string): string | undefined {
    const decl = this.names.get(name);
    return decl?.kind === 'macro' ? decl.macroValue : undefined;
  }
}

const wordsOrder = ['signed', 'unsigned', 'short', 'long', 'char', 'int', 'float', 'double'];

/** The canonical spelling of a basic type: `unsigned long int` → `unsigned long`. */
export function canonicalBuiltin(words: string[]): string {
  const unsigned = words.includes('unsigned');
  const signed = words.includes('signed');
  const longs = words.filter((w) => w === 'long').length;
  if (words.includes('char')) return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  if (words.includes('double')) return longs > 0 ? 'long double' : 'double';
  if (words.includes('float')) return 'float';
  if (words.includes('short')) return unsigned ? 'unsigned short' : 'short';
  if (longs >= 2) return unsigned ? 'unsigned long long' : 'long long';
  if (longs === 1) return unsigned ? 'unsigned long' : 'long';
  const other = words.filter((w) => !wordsOrder.includes(w));
  if (other.length > 0) return other.join(' ');
  return unsigned ? 'unsigned int' : 'int';
}

/** Evaluates an integer constant expression (array sizes, enum values); undefined when it cannot. */
export function evalConstant(node: Node | null, scope: Pick<DeclarationSink, 'lookup'>, parseExpr?: (text: string) => number | undefined, depth = 0): number | undefined {
  if (!node || depth > 16) return undefined;
  switch (node.type) {
    case 'number_literal': {
      const text = node.text.replace(/[uUlL]+$/, '');
      const value = /^0[xX]/.test(text) ? parseInt(text, 16) : /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text);
      return Number.isFinite(value) ? value : undefined;
    }
    case 'char_literal': {
      const inner = node.text.slice(1, -1);
      return inner.length === 1 ? inner.charCodeAt(0) : undefined;
    }
    case 'parenthesized_expression':
      return evalConstant(node.namedChildren[0], scope, parseExpr, depth + 1);
    case 'identifier': {
      const decl = scope.lookup(node.text);
      if (decl?.kind === 'enum-constant' && decl.type?.kind === 'enum') {
        return decl.type.constants?.find((c) => c.name === node.text)?.value;
      }
      if (decl?.kind === 'macro' && decl.macroValue !== undefined && parseExpr) return parseExpr(decl.macroValue);
      return undefined;
    }
    case 'unary_expression': {
      const value = evalConstant(node.childForFieldName('argument'), scope, parseExpr, depth + 1);
      const op = node.childForFieldName('operator')?.text;
      if (value === undefined) return undefined;
      return op === '-' ? -value : op === '+' ? value : op === '~' ? ~value : op === '!' ? Number(!value) : undefined;
    }
    case 'binary_expression': {
      const left = evalConstant(node.childForFieldName('left'), scope, parseExpr, depth + 1);
      const right = evalConstant(node.childForFieldName('right'), scope, parseExpr, depth + 1);
      if (left === undefined || right === undefined) return undefined;
      switch (node.childForFieldName('operator')?.text) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/': return right === 0 ? undefined : Math.trunc(left / right);
        case '%': return right === 0 ? undefined : left % right;
        case '<<': return left * 2 ** right;
        case '>>': return Math.floor(left / 2 ** right);
        case '|': return left | right;
        case '&': return left & right;
        case '^': return left ^ right;
        default: return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** Reads the file-scope declarations of a C tree into a scope. */
export class DeclarationReader {
  constructor(
    private readonly scope: DeclarationSink,
    private readonly source: CSourceMap,
    private readonly text: string,
    /** Evaluates a macro's replacement text as an integer constant. */
    private readonly parseConstant: (text: string) => number | undefined,
    /** Called at each #include with its offset, in order, so included declarations come before later ones. */
    private readonly onInclude: (at: number) => void = () => undefined,
  ) {}

  read(root: Node): void {
    for (const item of root.namedChildren) if (item) this.item(item);
  }

  private item(node: Node): void {
    switch (node.type) {
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
      case 'linkage_specification':
      case 'declaration_list':
        // What the preprocessor left of a conditional (cpp.ts blanks the directives themselves).
        for (const child of node.namedChildren) if (child) this.item(child);
        return;
      case 'preproc_include':
        this.onInclude(node.startIndex);
        return;
      case 'preproc_def':
      case 'preproc_function_def': {
        const name = node.childForFieldName('name');
        if (!name) return;
        this.declare(name.text, 'macro', undefined, node, { macroValue: node.childForFieldName('value')?.text.trim() ?? '' });
        return;
      }
      case 'function_definition': {
        const base = this.baseType(node.childForFieldName('type'));
        const { name, type } = this.declarator(base, node.childForFieldName('declarator'), isConst(node));
        if (name) this.declare(name, 'function', type, node, { defined: true, ...this.storage(node) });
        return;
      }
      case 'declaration':
      case 'type_definition': {
        const base = this.baseType(node.childForFieldName('type'));
        const storage = this.storage(node);
        for (const declaratorNode of node.childrenForFieldName('declarator')) {
          if (!declaratorNode) continue;
          const { name, type } = this.declarator(base, declaratorNode, isConst(node));
          if (!name) continue;
          if (node.type === 'type_definition') this.declare(name, 'typedef', type, node, isConst(node) && type === base ? { constQualified: true } : {});
          else if (type.kind === 'function') this.declare(name, 'function', type, node, storage);
          else {
            const defined = !storage.isExtern || declaratorNode.type === 'init_declarator';
            this.declare(name, 'variable', type, node, { ...storage, defined });
          }
        }
        return;
      }
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        this.baseType(node);
        return;
      default:
        return;
    }
  }

  private storage(node: Node): { isStatic: boolean; isInline: boolean; isExtern: boolean } {
    const specifiers = node.children.filter((c) => c?.type === 'storage_class_specifier').map((c) => c!.text);
    return { isStatic: specifiers.includes('static'), isInline: specifiers.includes('inline') || specifiers.includes('__inline__'), isExtern: specifiers.includes('extern') };
  }

  private declare(name: string, kind: CDeclKind, type: CType | undefined, node: Node, extra: Partial<CDecl>): void {
    this.scope.add({
      name,
      kind,
      type,
      defined: false,
      isStatic: false,
      isInline: false,
      location: { file: this.source.file, start: this.source.toFile(node.startIndex), end: (this.source.toFileEnd ?? this.source.toFile)(node.endIndex) },
      text: this.source.textOf ? this.source.textOf(node.startIndex, node.endIndex) : this.text.slice(node.startIndex, node.endIndex),
      ...extra,
    });
  }

  baseType(node: Node | null): CType {
    if (!node) return { kind: 'builtin', name: 'int' };
    switch (node.type) {
      case 'primitive_type':
        return node.text === 'void' ? { kind: 'void' } : { kind: 'builtin', name: node.text === 'bool' ? '_Bool' : canonicalBuiltin([node.text]) };
      case 'sized_type_specifier':
        return { kind: 'builtin', name: canonicalBuiltin(node.text.split(/\s+/)) };
      case 'type_identifier':
        return node.text === '_Bool' ? { kind: 'builtin', name: '_Bool' } : { kind: 'typedef', name: node.text };
      case 'struct_specifier':
      case 'union_specifier': {
        const body = node.childForFieldName('body');
        const record: CType = {
          kind: 'record',
          union: node.type === 'union_specifier',
          tag: node.childForFieldName('name')?.text,
          fields: body ? this.fields(body) : undefined,
          id: nextRecordId++,
        };
        this.scope.addTag(record);
        return record;
      }
      case 'enum_specifier': {
        const body = node.childForFieldName('body');
        const enumType: Extract<CType, { kind: 'enum' }> = { kind: 'enum', tag: node.childForFieldName('name')?.text, constants: undefined };
        if (body) {
          enumType.constants = [];
          let next = 0;
          for (const enumerator of body.namedChildren) {
            if (enumerator?.type !== 'enumerator') continue;
            const name = enumerator.childForFieldName('name')?.text;
            if (!name) continue;
            const valueNode = enumerator.childForFieldName('value');
            const value = valueNode ? evalConstant(valueNode, this.scope, this.parseConstant) : next;
            enumType.constants.push({ name, value });
            next = value === undefined ? NaN : value + 1;
            this.declare(name, 'enum-constant', enumType, enumerator, {});
          }
          for (const c of enumType.constants) if (Number.isNaN(c.value)) c.value = undefined;
        }
        this.scope.addTag(enumType);
        return enumType;
      }
      default:
        return { kind: 'builtin', name: node.text };
    }
  }

  private fields(body: Node): CField[] {
    const fields: CField[] = [];
    for (const field of body.namedChildren) {
      if (field?.type !== 'field_declaration') continue;
      const base = this.baseType(field.childForFieldName('type'));
      const bitClause = field.namedChildren.find((c) => c?.type === 'bitfield_clause');
      const bitWidth = bitClause ? evalConstant(bitClause.namedChildren[0], this.scope, this.parseConstant) : undefined;
      const declarators = field.childrenForFieldName('declarator').filter((d): d is Node => !!d);
      if (declarators.length === 0) {
        fields.push({ name: undefined, type: base, bitWidth });
        continue;
      }
      for (const declaratorNode of declarators) {
        const { name, type } = this.declarator(base, declaratorNode, isConst(field));
        fields.push({ name, type, bitWidth });
      }
    }
    return fields;
  }

  /** Applies a C declarator (read inside out) to the base type; baseConst: the base is const-qualified. */
  declarator(base: CType, node: Node | null, baseConst = false): { name: string | undefined; type: CType } {
    if (!node) return { name: undefined, type: base };
    switch (node.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: node.text, type: base };
      case 'init_declarator':
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
        return this.declarator(base, node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c?.type !== 'type_qualifier') ?? null, baseConst);
      case 'pointer_declarator':
      case 'abstract_pointer_declarator': {
        // `const char *const *p`: each `*` carries the qualifier of what stands left of it.
        const pointer: CType = baseConst || constTypedef(base, this.scope) ? { kind: 'pointer', to: base, toConst: true } : { kind: 'pointer', to: base };
        return this.declarator(pointer, node.childForFieldName('declarator'), isConst(node));
      }
      case 'array_declarator':
      case 'abstract_array_declarator': {
        const size = node.childForFieldName('size');
        const length = size ? evalConstant(size, this.scope, this.parseConstant) : undefined;
        return this.declarator({ kind: 'array', of: base, length }, node.childForFieldName('declarator'));
      }
      case 'function_declarator':
      case 'abstract_function_declarator': {
        const list = node.childForFieldName('parameters');
        const params: CParam[] = [];
        let variadic = false;
        for (const param of list?.namedChildren ?? []) {
          if (!param) continue;
          if (param.type === 'variadic_parameter') variadic = true;
          if (param.type !== 'parameter_declaration') continue;
          const paramBase = this.baseType(param.childForFieldName('type'));
          const { name, type } = this.declarator(paramBase, param.childForFieldName('declarator'), isConst(param));
          params.push({ name, type });
        }
        // `f(void)` takes nothing; `f()` is unprototyped.
        const unprototyped = params.length === 0 && !variadic;
        const onlyVoid = params.length === 1 && params[0].type.kind === 'void' && !params[0].name;
        return this.declarator(
          { kind: 'function', returns: base, params: onlyVoid ? [] : params, variadic, unprototyped },
          node.childForFieldName('declarator'),
        );
      }
      default:
        return { name: undefined, type: base };
    }
  }
}

/** Whether a declaration (or a `*` of a pointer declarator) carries the `const` qualifier itself. */
function isConst(node: Node): boolean {
  return node.children.some((c) => c?.type === 'type_qualifier' && c.text === 'const');
}

/** A typedef name declared with `const` (`typedef const char cchar;`), through typedefs of typedefs. */
function constTypedef(type: CType, scope: DeclarationSink): boolean {
  for (let t = type, depth = 0; t.kind === 'typedef' && depth < 32; depth++) {
    const decl = scope.lookup(t.name);
    if (decl?.kind !== 'typedef' || !decl.type) return false;
    if (decl.constQualified) return true;
    t = decl.type;
  }
  return false;
}

/** C spelling of a type, for messages and generated code: `const` is left out. */
export function typeToC(type: CType, name = ''): string {
  const pad = name ? ` ${name}` : '';
  switch (type.kind) {
    case 'void':
      return `void${pad}`;
    case 'builtin':
      return `${type.name}${pad}`;
    case 'typedef':
      return `${type.name}${pad}`;
    case 'record':
      return `${type.union ? 'union' : 'struct'}${type.tag ? ` ${type.tag}` : ' {…}'}${pad}`;
    case 'enum':
      return `enum${type.tag ? ` ${type.tag}` : ' {…}'}${pad}`;
    case 'pointer':
      return typeToC(type.to, type.to.kind === 'array' || type.to.kind === 'function' ? `(*${name})` : `*${name}`);
    case 'array':
      return typeToC(type.of, `${name}[${type.length ?? ''}]`);
    case 'function': {
      const params = type.unprototyped ? '' : type.params.length === 0 && !type.variadic ? 'void' : [...type.params.map((p) => typeToC(p.type, p.name ?? '')), ...(type.variadic ? ['...'] : [])].join(', ');
      return typeToC(type.returns, `${name}(${params})`);
    }
  }
}

/**
 * A declaration as it is shown to people: its source text, a function definition without its
 * body, an enum constant with its enum and value.
 */
export function declarationHead(decl: CDecl): string {
  if (decl.kind === 'enum-constant' && decl.type?.kind === 'enum') {
    const value = decl.type.constants?.find((c) => c.name === decl.name)?.value;
    return `enum${decl.type.tag ? ` ${decl.type.tag}` : ''} { ${decl.name}${value !== undefined ? ` = ${value}` : ''} }`;
  }
  const text = decl.text.trim();
  const body = decl.kind === 'function' && decl.defined ? text.indexOf('{') : -1;
  return body > 0 ? `${text.slice(0, body).trimEnd()};` : text;
}
