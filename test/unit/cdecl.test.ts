// C declarations from a preamble and the headers it includes through -I flags.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { typeToC, type CType } from '../../server/src/cgo/cdecl';
import { cppConfig, readTextFromDisk } from '../../server/src/cgo/headers';
import { buildCgoFile, cgoPackage, packageFlags } from '../../server/src/cgo/package';
import { resolveTarget } from '../../server/src/cgo/target';
import { testEngine } from '../support/engine';

const apiH = `#pragma once
#include <stdint.h>

#define NAME_MAX_LEN (8 * 2)

typedef struct {
  char *data;
  uint64_t len;
} String;

typedef enum {
  ANIMAL_KIND_DOG,
  ANIMAL_KIND_CAT,
} AnimalKind;

typedef struct {
  AnimalKind kind;
  union {
    String cat_name;   // Only for \`ANIMAL_KIND_CAT\`.
    uint16_t dog_tail; // Only for \`ANIMAL_KIND_DOG\`.
  };
  char nick[NAME_MAX_LEN];
} Animal;

Animal animal_make_dog();
void animal_print(Animal *animal);
#include "more.h"
`;

const appGo = `package app

// #cgo CFLAGS: -g -O2 -I\${SRCDIR}/../c/
// #include <api.h>
// void initial_setup(void);
// static inline int twice(int x) { return 2 * x; }
// extern int counter;
// int limit = 3;
import "C"
`;

test('declarations of the preamble and of headers found through -I${SRCDIR}', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdecl-'));
  fs.mkdirSync(path.join(root, 'c'));
  fs.mkdirSync(path.join(root, 'app'));
  fs.writeFileSync(path.join(root, 'c', 'api.h'), apiH);
  fs.writeFileSync(path.join(root, 'c', 'more.h'), 'typedef unsigned long int ulong_t;\nenum Color { RED = 2, GREEN, BLUE = RED << 2 };\n');
  const engine = await testEngine();
  const goFile = path.join(root, 'app', 'app.go');
  const tree = engine.parseGo(appGo);
  try {
    const target = resolveTarget('linux', 'amd64', {});
    const file = buildCgoFile(goFile, appGo, tree, target, engine.preambles);
    const pkg = cgoPackage(path.dirname(goFile), target, [file]);
    const config = cppConfig(pkg, packageFlags(pkg));
    assert.deepEqual(config.dirs, [path.join(root, 'app'), path.join(root, 'c')]);
    const { scope, headers } = engine.fileScope(file, config, readTextFromDisk);
    assert.deepEqual(headers, [path.join(root, 'c', 'api.h'), path.join(root, 'c', 'more.h')]);

    const animal = scope.resolve({ kind: 'typedef', name: 'Animal' });
    assert.equal(animal.kind, 'record');
    const fields = (animal as Extract<CType, { kind: 'record' }>).fields!;
    assert.deepEqual(fields.map((f) => f.name), ['kind', undefined, 'nick']);
    assert.equal(fields[1].type.kind, 'record');
    assert.ok(fields[1].type.kind === 'record' && fields[1].type.union);
    assert.deepEqual(fields[2].type, { kind: 'array', of: { kind: 'builtin', name: 'char' }, length: 16 });

    const make = scope.names.get('animal_make_dog')!;
    assert.equal(make.kind, 'function');
    assert.ok(make.type?.kind === 'function' && make.type.unprototyped);
    assert.equal(make.location.file, path.join(root, 'c', 'api.h'));
    assert.equal(typeToC(scope.names.get('animal_print')!.type!, 'animal_print'), 'void animal_print(Animal *animal)');

    const setup = scope.names.get('initial_setup')!;
    assert.ok(setup.type?.kind === 'function' && !setup.type.unprototyped && setup.type.params.length === 0);
    assert.equal(appGo.slice(setup.location.start, setup.location.end), 'void initial_setup(void);');

    assert.ok(scope.names.get('twice')!.defined && scope.names.get('twice')!.isStatic && scope.names.get('twice')!.isInline);
    assert.equal(scope.names.get('counter')!.defined, false);
    assert.equal(scope.names.get('limit')!.defined, true);
    assert.equal(scope.names.get('NAME_MAX_LEN')!.macroValue, '(8 * 2)');
    assert.deepEqual(scope.resolve({ kind: 'typedef', name: 'ulong_t' }), { kind: 'builtin', name: 'unsigned long' });
    const color = scope.names.get('BLUE')!.type;
    assert.ok(color?.kind === 'enum');
    assert.deepEqual(color.constants, [{ name: 'RED', value: 2 }, { name: 'GREEN', value: 3 }, { name: 'BLUE', value: 8 }]);
  } finally {
    tree.delete();
  }
});

test('declarators read inside out', async () => {
  const engine = await testEngine();
  const source = 'package p\n\n// int *a[3]; float (*fp)[4]; const char *const names[2]; typedef int (*cb)(int, ...);\nimport "C"\n';
  const tree = engine.parseGo(source);
  try {
    const file = buildCgoFile('/virtual/p/a.go', source, tree, resolveTarget('linux', 'amd64', {}), engine.preambles);
    const { scope } = engine.fileScope(file, { dirs: [], flags: [], target: resolveTarget('linux', 'amd64', {}) }, () => undefined);
    assert.equal(typeToC(scope.names.get('a')!.type!, 'a'), 'int *a[3]');
    assert.equal(typeToC(scope.names.get('fp')!.type!, 'fp'), 'float (*fp)[4]');
    assert.equal(typeToC(scope.names.get('names')!.type!, 'names'), 'char *names[2]');
    assert.equal(typeToC(scope.names.get('cb')!.type!, 'cb'), 'int (*cb)(int, ...)');
  } finally {
    tree.delete();
  }
});
