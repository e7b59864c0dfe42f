// Which declaration a Go identifier refers to, read off one file's tree-sitter-go tree with Go's
// scoping (the spec's "Declarations and scope"): parameters, results and receivers (the
// function body), var/const/type declarations and short variable declarations (from the end
// of their spec to the end of the innermost block, or of the if/for/switch they initialise),
// range and select-receive variables, type switch guards, func literals' own parameters, and
// the file's package-level declarations. `x, err := …` with x already declared in the same
// scope assigns x: it is the earlier binding, and the identifier is marked as a redeclaration.
//
// One resolution, asked with the precision each caller needs:
// - bindingOf: Go's answer, as far as one file shows it (hover's C types, the data flow of
//   cstring-leak and string-over-c-memory, which stop at what they cannot follow);
// - certainBindingOf: only where no other declaration of the name in the same top-level
//   function could be meant (union-unsafe-offset rewrites code: it must never act on the wrong
//   variable, and a name declared twice is given up, whatever the scopes say);
// - soleDeclarationIn: the one declaration of a name in a function, wherever it is used
//   (unpinned-go-pointer, which reads a variable's stores straight through its function).
import type { Node } from 'web-tree-sitter';
import { unparen } from './gosyntax';

export type BindingKind = 'var' | 'const' | 'type' | 'func' | 'receiver' | 'parameter' | 'result' | 'range' | 'typeSwitch' | 'receive';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that declares the name. */
  ident: Node;
  /**
   * The declaring node: short_var_declaration, var_declaration, const_declaration,
   * type_declaration, function_declaration, parameter_declaration,
   * variadic_parameter_declaration, range_clause, receive_statement or type_switch_statement.
   */
  stmt: Node;
  /** The declared type (a var or const spec's, a parameter's; none for a variadic one). */
  type: Node | undefined;
  /** The declaration's values, and where the name stands among the names it declares. */
  values: Node[];
  index: number;
  /** The name's own value, when the declaration gives one per name. */
  value: Node | undefined;
  /** Where the name is visible: from visibleFrom to the end of scope. */
  scope: Node;
  visibleFrom: number;
  /** The function (declaration or literal) that declares it; null at package level. */
  function: Node | null;
  /** The top-level function searched for uses and assignments (the file for a package-level name). */
  body: Node;
  /** The statement list the declaring statement stands in (local var, const and type declarations). */
  list: Node | undefined;
}

const declaringTypes = [
  'short_var_declaration', 'var_declaration', 'const_declaration', 'type_declaration', 'function_declaration',
  'parameter_declaration', 'variadic_parameter_declaration', 'range_clause', 'receive_statement', 'type_switch_statement',
];
const functionTypes = ['function_declaration', 'method_declaration', 'func_literal'];

/** One file's declarations, read in one walk of its tree when first asked. */
export class GoBindings {
  private indexed = false;
  /** Bindings by the function that declares them (-1: package level) and name. */
  private readonly byFunction = new Map<string, Binding[]>();
  /** Variables by scope and name, for telling a `:=` redeclaration. */
  private readonly byScope = new Map<string, Binding>();
  /** Declaring (and redeclaring) identifiers by start offset. */
  private readonly declaring = new Map<number, Binding>();
  private readonly redeclaring = new Set<number>();
  /** The identifiers of each name's local declarations, in source order: every `:=` name (a redeclaration too), and `=` range/receive variables. */
  private readonly localDeclarations = new Map<string, Node[]>();
  private identifiers: Map<string, Node[]> | undefined;

  constructor(private readonly root: Node) {}

  /** The declaration the name (the identifier `use`, or `name` where `use` is) refers to, by Go's scoping; a declaring identifier gives its own. */
  bindingOf(use: Node, name = use.text): Binding | undefined {
    this.index();
    const own = this.declaring.get(use.startIndex);
    if (own && own.name === name) return own;
    // The functions around the use, innermost first, then the package: the first with a
    // visible declaration holds the innermost one.
    for (let fn = enclosingFunction(use); ; fn = fn && enclosingFunction(fn)) {
      let best: Binding | undefined;
      for (const b of this.byFunction.get(`${fn?.id ?? -1}:${name}`) ?? []) {
        if (b.visibleFrom > use.startIndex || use.startIndex < b.scope.startIndex || use.endIndex > b.scope.endIndex) continue;
        // Scopes around one place nest: the innermost starts last (or, at one start, ends first).
        if (!best || b.scope.startIndex > best.scope.startIndex || (b.scope.startIndex === best.scope.startIndex && b.scope.endIndex < best.scope.endIndex)) best = b;
      }
      if (best || !fn) return best;
    }
  }

  /**
   * The declaration `use` refers to, when no other could be meant: the name is declared once in
   * the top-level function around the use (and it is that one), or not at all there and it is
   * a package-level var of this file.
   */
  certainBindingOf(use: Node, name = use.text): Binding | undefined {
    const b = this.bindingOf(use, name);
    if (!b) return undefined;
    let top: Node | null = null;
    for (let n: Node | null = use.parent; n; n = n.parent) if (n.type === 'function_declaration' || n.type === 'method_declaration') top = n;
    const count = top ? this.localDeclarationsIn(top, name).length : 0;
    if (count > 1) return undefined;
    if (count === 1) return top && b.function && b.body.equals(top) ? b : undefined;
    return b.function === null && b.kind === 'var' ? b : undefined;
  }

  /**
   * The declaration of `name` in the function `fn` (its func literals included), when the
   * function declares that name once and it is a binding (not a `:=` redeclaration, nor a
   * range or receive `=`).
   */
  soleDeclarationIn(fn: Node, name: string): Binding | undefined {
    const found = this.localDeclarationsIn(fn, name);
    if (found.length !== 1 || this.redeclaring.has(found[0].startIndex)) return undefined;
    const b = this.declaring.get(found[0].startIndex);
    return b?.name === name ? b : undefined;
  }

  private localDeclarationsIn(fn: Node, name: string): Node[] {
    this.index();
    return (this.localDeclarations.get(name) ?? []).filter((id) => fn.startIndex <= id.startIndex && id.endIndex <= fn.endIndex);
  }

  /** Whether the identifier declares again, with `:=`, a name of its own scope: an assignment. */
  isRedeclaration(ident: Node): boolean {
    this.index();
    return this.redeclaring.has(ident.startIndex) && this.declaring.get(ident.startIndex)?.name === ident.text;
  }

  /** Whether the variable is assigned after its declaration (or, unless allowed, its address taken), anywhere in its top-level function. */
  reassigned(b: Binding, allowAddress: boolean): boolean {
    const names = (node: Node | null | undefined): boolean => unparen(node ?? null)?.type === 'identifier' && unparen(node ?? null)?.text === b.name;
    for (const node of b.body.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement', 'unary_expression', 'range_clause', 'receive_statement'])) {
      if (!node) continue;
      if (node.type === 'unary_expression') {
        if (!allowAddress && node.childForFieldName('operator')?.text === '&' && names(node.childForFieldName('operand'))) return true;
        continue;
      }
      if ((node.type === 'range_clause' || node.type === 'receive_statement') && declaresWithColon(node)) continue;
      const targets = node.type === 'inc_statement' || node.type === 'dec_statement' ? [node.namedChildren[0]] : (node.childForFieldName('left')?.namedChildren ?? []);
      if (targets.some(names)) return true;
    }
    return false;
  }

  /** The identifiers spelled `name` that start in [start, end), in source order (one walk of the tree for every name asked). */
  identifiersNamed(name: string, start: number, end: number): Node[] {
    if (!this.identifiers) {
      this.identifiers = new Map();
      for (const id of this.root.descendantsOfType('identifier')) {
        if (!id) continue;
        const list = this.identifiers.get(id.text);
        if (list) list.push(id);
        else this.identifiers.set(id.text, [id]);
      }
    }
    const ids = this.identifiers.get(name) ?? [];
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ids[mid].startIndex < start) lo = mid + 1;
      else hi = mid;
    }
    const out: Node[] = [];
    for (let i = lo; i < ids.length && ids[i].startIndex < end; i++) out.push(ids[i]);
    return out;
  }

  private index(): void {
    if (this.indexed) return;
    this.indexed = true;
    for (const node of this.root.descendantsOfType(declaringTypes)) if (node) this.readDeclaration(node);
  }

  private readDeclaration(node: Node): void {
    const fn = enclosingFunction(node);
    switch (node.type) {
      case 'short_var_declaration': {
        const left = namedChildren(node.childForFieldName('left'));
        const values = namedChildren(node.childForFieldName('right'));
        const scope = scopeOf(node);
        for (const [i, ident] of left.entries()) {
          if (ident.type !== 'identifier' || ident.text === '_') continue;
          this.countLocal(ident, fn);
          const earlier = this.byScope.get(`${scope.id}:${ident.text}`);
          if (earlier && isVariable(earlier)) {
            this.declaring.set(ident.startIndex, earlier);
            this.redeclaring.add(ident.startIndex);
            continue;
          }
          this.add({ kind: 'var', ident, stmt: node, type: undefined, values, index: i, scope, visibleFrom: node.endIndex, fn, list: listOf(node) });
        }
        return;
      }
      case 'var_declaration':
      case 'const_declaration': {
        const scope = scopeOf(node);
        for (const spec of specsOf(node)) {
          const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
          const values = namedChildren(spec.childForFieldName('value'));
          for (const [i, ident] of names.entries()) {
            if (ident.text === '_') continue;
            this.countLocal(ident, fn);
            const kind = node.type === 'var_declaration' ? 'var' : 'const';
            this.add({ kind, ident, stmt: node, type: spec.childForFieldName('type') ?? undefined, values, index: i, scope, visibleFrom: fn ? spec.endIndex : 0, fn, list: listOf(node) });
          }
        }
        return;
      }
      case 'type_declaration': {
        const scope = scopeOf(node);
        for (const spec of node.namedChildren) {
          const ident = spec?.childForFieldName('name');
          if (!ident) continue;
          this.countLocal(ident, fn);
          this.add({ kind: 'type', ident, stmt: node, type: undefined, values: [], index: 0, scope, visibleFrom: fn ? ident.startIndex : 0, fn, list: listOf(node) });
        }
        return;
      }
      case 'function_declaration': {
        const ident = node.childForFieldName('name');
        if (ident) this.add({ kind: 'func', ident, stmt: node, type: undefined, values: [], index: 0, scope: this.root, visibleFrom: 0, fn: null, list: undefined });
        return;
      }
      case 'parameter_declaration':
      case 'variadic_parameter_declaration': {
        // Parameters of a function type or an interface method declare nothing.
        const owner = node.parent?.parent;
        if (!owner || !functionTypes.includes(owner.type)) return;
        const list = node.parent!;
        const kind = owner.childForFieldName('receiver')?.equals(list) ? 'receiver' : owner.childForFieldName('result')?.equals(list) ? 'result' : 'parameter';
        const body = owner.childForFieldName('body');
        const type = node.type === 'parameter_declaration' ? (node.childForFieldName('type') ?? undefined) : undefined;
        for (const [i, ident] of node.childrenForFieldName('name').entries()) {
          if (!ident || ident.text === '_') continue;
          this.countLocal(ident, owner);
          this.add({ kind, ident, stmt: node, type, values: [], index: i, scope: body ?? owner, visibleFrom: (body ?? owner).startIndex, fn: owner, list: undefined });
        }
        return;
      }
      case 'range_clause':
      case 'receive_statement': {
        const left = namedChildren(node.childForFieldName('left'));
        for (const ident of left) if (ident.type === 'identifier') this.countLocal(ident, fn);
        if (!declaresWithColon(node)) return;
        const scope = node.type === 'range_clause' ? node.parent : node.parent?.type === 'communication_case' ? node.parent : null;
        if (!scope) return;
        for (const [i, ident] of left.entries()) {
          if (ident.type !== 'identifier' || ident.text === '_') continue;
          this.add({ kind: node.type === 'range_clause' ? 'range' : 'receive', ident, stmt: node, type: undefined, values: [], index: i, scope, visibleFrom: node.endIndex, fn, list: undefined });
        }
        return;
      }
      case 'type_switch_statement': {
        const from = node.childForFieldName('value')?.endIndex ?? node.startIndex;
        for (const ident of node.childrenForFieldName('alias').flatMap((a) => (a?.type === 'identifier' ? [a] : namedChildren(a)))) {
          if (ident.type !== 'identifier' || ident.text === '_') continue;
          this.countLocal(ident, fn);
          this.add({ kind: 'typeSwitch', ident, stmt: node, type: undefined, values: [], index: 0, scope: node, visibleFrom: from, fn, list: undefined });
        }
        return;
      }
    }
  }

  private add(d: { kind: BindingKind; ident: Node; stmt: Node; type: Node | undefined; values: Node[]; index: number; scope: Node; visibleFrom: number; fn: Node | null; list: Node | undefined }): void {
    const value = d.values.length === namesOf(d.stmt, d.ident).length ? d.values[d.index] : undefined;
    const b: Binding = {
      name: d.ident.text, kind: d.kind, ident: d.ident, stmt: d.stmt, type: d.type, values: d.values, index: d.index, value,
      scope: d.scope, visibleFrom: d.visibleFrom, function: d.fn, body: d.fn ? topLevelFunction(d.fn) : this.root, list: d.list,
    };
    this.declaring.set(d.ident.startIndex, b);
    const key = `${d.fn?.id ?? -1}:${b.name}`;
    const list = this.byFunction.get(key);
    if (list) list.push(b);
    else this.byFunction.set(key, [b]);
    const scoped = `${d.scope.id}:${b.name}`;
    if (!this.byScope.has(scoped)) this.byScope.set(scoped, b);
  }

  /** Notes a local declaration of the name, for certainBindingOf and soleDeclarationIn (package-level ones are not local). */
  private countLocal(ident: Node, fn: Node | null): void {
    if (!fn) return;
    const list = this.localDeclarations.get(ident.text);
    if (list) list.push(ident);
    else this.localDeclarations.set(ident.text, [ident]);
  }
}

export function specsOf(decl: Node): Node[] {
  const out: Node[] = [];
  for (const child of decl.namedChildren) {
    if (!child) continue;
    if (child.type === 'var_spec' || child.type === 'const_spec') out.push(child);
    else if (child.type === 'var_spec_list' || child.type === 'const_spec_list') out.push(...specsOf(child));
  }
  return out;
}

export function isParameter(b: Binding): boolean {
  return b.kind === 'parameter' || b.kind === 'receiver' || b.kind === 'result';
}

/** Variables that `:=` may declare again in their scope: vars, parameters, results, receivers. */
function isVariable(b: Binding): boolean {
  return b.kind === 'var' || isParameter(b);
}

function declaresWithColon(node: Node): boolean {
  return node.children.some((c) => c?.type === ':=');
}

function namedChildren(node: Node | null): Node[] {
  return node?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
}

/** The names of the declaration (or spec) that declares `ident`, for "one value per name". */
function namesOf(stmt: Node, ident: Node): Node[] {
  if (stmt.type === 'short_var_declaration' || stmt.type === 'range_clause' || stmt.type === 'receive_statement') return namedChildren(stmt.childForFieldName('left'));
  const holder = ident.parent;
  return holder ? holder.childrenForFieldName('name').filter((n): n is Node => !!n) : [ident];
}

/** The innermost function declaration, method declaration or func literal around the node. */
export function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (functionTypes.includes(n.type)) return n;
  return null;
}

/** The function declaration at the top level of the file that holds `fn`, or `fn`'s top-level declaration. */
function topLevelFunction(fn: Node): Node {
  let top = fn;
  for (let n: Node | null = fn; n && n.type !== 'source_file'; n = n.parent) top = n;
  return top;
}

/** Where a local declaration is visible: the if/for/switch it initialises, else its block (or case). */
function scopeOf(node: Node): Node {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'communication_case'].includes(n.type)) return n;
    if (n.type === 'block' || n.type === 'expression_case' || n.type === 'type_case' || n.type === 'default_case' || n.type === 'source_file') return n;
  }
  return node;
}

function listOf(node: Node): Node | undefined {
  return node.parent?.type === 'statement_list' ? node.parent : undefined;
}
