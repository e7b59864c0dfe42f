// gobindings' resolution against Go's scoping rules, on one function that shadows a name in
// every kind of scope Go has: what hover types a variable from, and what the rules follow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { GoBindings } from '../../server/src/cgo/gobindings';
import { testEngine } from '../support/engine';

const source = `package p

var unused = 1

func f(p int, cb func(p string)) (err error) {
	x := 1
	if x := "s"; x != "" {
		_ = x
	}
	_ = x
	for i, x := range []int{x} {
		_ = i + x
	}
	y, x := 2, 3
	_ = y + x + p
	func(p string) { _ = p }("")
	switch v := any(x).(type) {
	case int:
		_ = v
	}
	_ = pkg
	return err
}

var pkg = 2
`;

/** The identifier spelled `name` on 1-based line `line` (its `occurrence`-th there). */
function identAt(root: Node, line: number, name: string, occurrence = 0): Node {
  const found = root.descendantsOfType('identifier').filter((n): n is Node => !!n && n.text === name && n.startPosition.row + 1 === line);
  assert.ok(found[occurrence], `${name} on line ${line}`);
  return found[occurrence];
}

const lineOf = (b: { ident: Node } | undefined): number | undefined => (b ? b.ident.startPosition.row + 1 : undefined);

test('gobindings: each use means the declaration Go scoping gives it', async () => {
  const engine = await testEngine();
  const tree = engine.parseGo(source);
  try {
    const root = tree.rootNode;
    const bindings = new GoBindings(root);
    const resolved = (line: number, name: string, occurrence = 0): number | undefined => lineOf(bindings.bindingOf(identAt(root, line, name, occurrence)));
    assert.equal(resolved(8, 'x'), 7, 'the if header declares x for its blocks');
    assert.equal(resolved(7, 'x', 1), 7, 'and for its own condition');
    assert.equal(resolved(10, 'x'), 6, 'after the if, the outer x again');
    assert.equal(resolved(11, 'x', 1), 6, 'the range expression is outside the range variables’ scope');
    assert.equal(resolved(12, 'x'), 11, 'the range variable in the loop body');
    assert.equal(resolved(14, 'x'), 6, '`y, x :=` declares only y: x is the earlier one, assigned');
    assert.equal(bindings.isRedeclaration(identAt(root, 14, 'x')), true);
    assert.equal(bindings.isRedeclaration(identAt(root, 14, 'y')), false);
    assert.equal(resolved(15, 'x'), 6);
    assert.equal(resolved(15, 'p'), 5, 'a parameter (the func type’s p declares nothing)');
    assert.equal(resolved(16, 'p', 1), 16, 'a func literal’s own parameter');
    assert.equal(resolved(19, 'v'), 17, 'the type switch guard');
    assert.equal(resolved(21, 'pkg'), 25, 'a package-level var declared below its use');
    assert.equal(resolved(22, 'err'), 5, 'a named result');
  } finally {
    tree.delete();
  }
});

test('gobindings: the certain binding gives up on a name the function declares twice; the sole declaration in a function', async () => {
  const engine = await testEngine();
  const tree = engine.parseGo(source);
  try {
    const root = tree.rootNode;
    const bindings = new GoBindings(root);
    const certain = (line: number, name: string, occurrence = 0): number | undefined => lineOf(bindings.certainBindingOf(identAt(root, line, name, occurrence)));
    assert.equal(certain(10, 'x'), undefined, 'x is declared four times in f');
    assert.equal(certain(15, 'p'), undefined, 'p twice: f’s parameter and the literal’s');
    assert.equal(certain(15, 'y'), 14);
    assert.equal(certain(21, 'pkg'), 25, 'declared nowhere in f: the package-level var');
    const f = root.descendantsOfType('function_declaration')[0]!;
    assert.equal(lineOf(bindings.soleDeclarationIn(f, 'y')), 14);
    assert.equal(bindings.soleDeclarationIn(f, 'x'), undefined);
    assert.equal(lineOf(bindings.soleDeclarationIn(f, 'v')), 17);
  } finally {
    tree.delete();
  }
});
