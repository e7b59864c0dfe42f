// Methods on C types. cgo's types belong to no Go package the user declares, so Go refuses
// them, but only since:
// - Go 1.21 for a receiver written as C.T or *C.T: cmd/cgo's ast.go rejects it ("cannot define
//   new methods on non-local type C.T", at the C; issue 57926). Go 1.19.8 and 1.20.14 build it.
// - Go 1.24 for a receiver named through an alias, `type P = C.T`: types2 unaliases the
//   receiver and refuses cgo's types (signature.go, isCGoTypeObj; "... non-local type P", at P).
//   1.21.13 to 1.23.12 build it.
// So code that built for years stops building on an upgrade; the finding says which release.
import type { Node } from 'web-tree-sitter';
import type { CgoFile } from '../cgo/package';
import type { Rule, RuleFinding } from '../cgo/rule';

/** The first Go releases that refuse each form (see above). */
const refusesDirectReceiver = 21;
const refusesAliasReceiver = 24;

export const methodOnCType: Rule = {
  id: 'method-on-c-type',
  defaultSeverity: 'error',
  summary: 'A method on a C type (receiver C.T, or an alias of it): refused since Go 1.21 (1.24 through an alias).',
  check({ pkg }) {
    const goMinor = pkg.target.goMinor;
    if (goMinor < refusesDirectReceiver) return [];
    // `type P = C.T`, alone or in a `type ( … )` group: only such files are read for aliases.
    const declaresAlias = (text: string): boolean =>
      /\btype\s+[A-Za-z_]\w*\s*=\s*C\s*\./.test(text) || (/\btype\s*\(/.test(text) && /^\s*[A-Za-z_]\w*\s*=\s*C\s*\./m.test(text));
    const aliasFiles = goMinor >= refusesAliasReceiver ? pkg.cgoFiles.filter((f) => f.included && declaresAlias(f.text)) : [];
    const aliases = aliasFiles.length > 0 ? cTypeAliases(aliasFiles) : new Map<string, string>();
    // A method on C.T needs import "C" in its file; one on an alias, any file of the package.
    // Only a file that spells a receiver can declare a method; most never need a tree.
    const withReceivers = (aliases.size > 0 ? pkg.files : pkg.cgoFiles).filter((file) => file.included && /\bfunc\s*\(/.test(file.text));
    if (withReceivers.length === 0) return [];
    const findings: RuleFinding[] = [];
    for (const file of withReceivers) {
      const direct = file.imports.length > 0 && /\bfunc\s*\([^)]*\bC\s*\./.test(file.text);
      if (!direct && aliases.size === 0) continue;
      for (const method of file.tree.rootNode.namedChildren) {
        if (method?.type !== 'method_declaration') continue;
        const written = method.childForFieldName('receiver')?.namedChildren.find((n) => n?.type === 'parameter_declaration')?.childForFieldName('type') ?? null;
        const receiver = baseType(written);
        if (!written || !receiver) continue;
        if (receiver.type === 'qualified_type' && receiver.childForFieldName('package')?.text === 'C' && file.imports.length > 0) {
          // cmd/cgo prints the receiver type as written (format.Node): *C.T, (C.T).
          const cType = `C.${receiver.childForFieldName('name')?.text}`;
          findings.push(report(file, method, receiver, written.text.replace(/\s+/g, ''), cType, refusesDirectReceiver));
        } else if (receiver.type === 'type_identifier') {
          // types2 names the alias, without the star.
          const cType = aliases.get(receiver.text);
          if (cType) findings.push(report(file, method, receiver, receiver.text, cType, refusesAliasReceiver));
        }
      }
    }
    return findings;
  },
};

/** The receiver's base type node: through one `*` and any parentheses, as cmd/cgo and types2 look. */
function baseType(type: Node | null): Node | null {
  let node = type;
  let stars = 0;
  while (node && (node.type === 'parenthesized_type' || node.type === 'pointer_type')) {
    if (node.type === 'pointer_type' && ++stars > 1) return null;
    node = node.namedChildren.find((n) => n !== null) ?? null;
  }
  return node;
}

/** Package-level `type P = C.T` (and aliases of those), by name, with the C type each stands for. */
function cTypeAliases(files: CgoFile[]): Map<string, string> {
  const direct = new Map<string, string>();
  const chained = new Map<string, string>();
  for (const file of files) {
    for (const decl of file.tree.rootNode.namedChildren) {
      if (decl?.type !== 'type_declaration') continue;
      for (const alias of decl.namedChildren) {
        if (alias?.type !== 'type_alias') continue;
        const name = alias.childForFieldName('name')?.text;
        const type = alias.childForFieldName('type');
        if (!name || !type) continue;
        if (type.type === 'qualified_type' && type.childForFieldName('package')?.text === 'C') direct.set(name, `C.${type.childForFieldName('name')?.text}`);
        else if (type.type === 'type_identifier') chained.set(name, type.text);
      }
    }
  }
  // type Q = P, with P = C.T: Q is C.T too (bounded: a cycle does not compile anyway).
  for (let round = 0; round < chained.size; round++) {
    for (const [name, target] of chained) if (direct.has(target) && !direct.has(name)) direct.set(name, direct.get(target)!);
  }
  return direct;
}

function report(file: CgoFile, method: Node, receiver: Node, written: string, cType: string, since: number): RuleFinding {
  const through = receiver.type === 'qualified_type' ? '' : ` (an alias of ${cType})`;
  const name = method.childForFieldName('name')?.text ?? 'the method';
  return {
    file: file.path,
    start: receiver.startIndex,
    end: receiver.endIndex,
    message:
      `go build fails (Go 1.${since} and later): "cannot define new methods on non-local type ${written}". ${receiver.type === 'qualified_type' ? cType : receiver.text}${through} is cgo's type, ` +
      `not one this package declares, so ${name} cannot be its method. Make ${name} a function taking the ${cType}, or declare ` +
      `a Go type of your own around it (type T struct{ c ${cType} }) and put the method there.`,
    fixes: [],
    // cmd/cgo itself rejects a method on C.T (its Go output would not compile); through an alias
    // only the type checker sees it, at this receiver.
    caughtBy: receiver.type === 'qualified_type' || receiver.type === 'pointer_type' ? 'cgo' : 'type-check',
  };
}
