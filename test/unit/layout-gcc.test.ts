// Property test: the layout engine against gcc. A seeded generator writes a few hundred random
// struct and union definitions (nested, anonymous members, arrays, enums, pointers, fixed-width
// and basic types), one C program prints sizeof, _Alignof and offsetof of every type and member
// path, and every number must equal what server/src/cgo/layout.ts computes from the same text
// read through the engine's DeclarationReader. One gcc compile for all of them.
//
// Without gcc: one loud `SKIPPED: gcc not found` line (a failure when CI=true). Knobs:
// LAYOUT_SEED=n (another seed), LAYOUT_TYPES=n (how many types), LAYOUT_KEEP=1 (keep the C file).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CScope, DeclarationReader, evalConstant, type CType } from '../../server/src/cgo/cdecl';
import { fieldAt, accessPath, layoutOf, namedMembers, type LayoutTarget } from '../../server/src/cgo/layout';
import { testEngine } from '../support/engine';

const SEED = Number(process.env.LAYOUT_SEED ?? 20250214);
const TYPES = Number(process.env.LAYOUT_TYPES ?? 400);

function hostTarget(): LayoutTarget | undefined {
  const goarch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
  const goos = process.platform === 'darwin' ? 'darwin' : process.platform === 'linux' ? 'linux' : undefined;
  return goarch && goos ? { goarch, goos } : undefined;
}

function gccAvailable(): boolean {
  const r = spawnSync('gcc', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** mulberry32: small, seeded, good enough to pick shapes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A type the generator can use again: how C names it and the member paths below it. */
interface Known {
  spelling: string;
  /** Member designators relative to a value of this type (`a`, `b.c`, `d[2].e`). */
  paths: string[];
}

const scalars = [
  'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned', 'long', 'unsigned long',
  'long long', 'unsigned long long', 'float', 'double', 'long double', '_Bool', '__int128', 'unsigned __int128',
  'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t', 'int64_t', 'uint64_t', 'size_t', 'ssize_t',
  'intptr_t', 'uintptr_t', 'ptrdiff_t', 'intmax_t', 'uint_least16_t', 'int_least8_t', 'wchar_t', 'char16_t', 'char32_t',
];

interface Generated {
  source: string;
  /** The types whose layout is printed, in order. */
  roots: Known[];
}

function generate(count: number, seed: number): Generated {
  const rand = prng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number): boolean => rand() < p;
  let names = 0;
  const member = (): string => `m${names++}`;
  const defs: string[] = [];
  const known: Known[] = [];
  const roots: Known[] = [];

  const enumValues = (): string => {
    const values: string[] = [];
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) {
      const name = `E${names++}`;
      const r = rand();
      if (r < 0.4) values.push(name);
      else if (r < 0.6) values.push(`${name} = ${int(100) - 50}`);
      else if (r < 0.7) values.push(`${name} = 0x80000000u`);
      else if (r < 0.75) values.push(`${name} = -2147483648 + ${int(3)}`);
      else if (r < 0.8) values.push(`${name} = 0x100000000`);
      else if (r < 0.85) values.push(`${name} = -2147483649`);
      else values.push(`${name} = ${int(1000)} << 4`);
    }
    return values.join(', ');
  };

  /** A member declaration (or several) plus the paths it contributes. */
  const memberDecl = (depth: number, inUnion: boolean): { text: string; paths: string[] } => {
    const r = rand();
    const name = member();
    const arraySuffix = (): { suffix: string; indices: number[][] } => {
      if (!chance(0.25)) return { suffix: '', indices: [[]] };
      const dims = chance(0.2) ? [1 + int(3), 1 + int(3)] : [int(5)];
      const last = dims.map((d) => Math.max(d - 1, 0));
      const indices = dims.some((d) => d === 0) ? [] : [dims.map(() => 0), last];
      return { suffix: dims.map((d) => `[${d}]`).join(''), indices };
    };
    const withIndices = (base: string, indices: number[][], inner: string[]): string[] => {
      const out: string[] = [];
      for (const idx of indices) {
        const at = base + idx.map((i) => `[${i}]`).join('');
        out.push(at);
        for (const p of inner) out.push(`${at}.${p}`);
      }
      return out;
    };
    if (r < 0.45) {
      const type = pick(scalars);
      const { suffix, indices } = arraySuffix();
      return { text: `${type} ${name}${suffix};`, paths: withIndices(name, indices, []) };
    }
    if (r < 0.55) {
      const target = pick(['void', 'char', 'int', 'double', `struct fwd${int(5)}`]);
      const fn = chance(0.3);
      return { text: fn ? `void (*${name})(int, ${target} *);` : `${target} *${chance(0.2) ? '*' : ''}${name};`, paths: [name] };
    }
    if (r < 0.62) {
      const e = `en${names++}`;
      if (chance(0.5)) {
        defs.push(`enum ${e} { ${enumValues()} };`);
        return { text: `enum ${e} ${name};`, paths: [name] };
      }
      return { text: `enum ${e} { ${enumValues()} } ${name};`, paths: [name] };
    }
    if (r < 0.78 && known.length > 0) {
      const k = pick(known);
      const { suffix, indices } = arraySuffix();
      return { text: `${k.spelling} ${name}${suffix};`, paths: withIndices(name, indices, k.paths.slice(0, 12)) };
    }
    if (depth >= 3) {
      return { text: `${pick(scalars)} ${name};`, paths: [name] };
    }
    const body = recordBody(depth + 1, chance(0.4));
    const keyword = body.union ? 'union' : 'struct';
    if (r < 0.9 && !(inUnion && chance(0.3))) {
      // An anonymous member: its members belong to the enclosing record.
      return { text: `${keyword} {\n${body.text}\n};`, paths: body.paths };
    }
    if (r < 0.93) {
      // `struct tag { … };` inside a record declares only the tag: no member (gcc warns).
      const tag = `inner${names++}`;
      return { text: `${keyword} ${tag} {\n${body.text}\n};\n${keyword} ${tag} ${name};`, paths: withIndices(name, [[]], body.paths) };
    }
    const { suffix, indices } = arraySuffix();
    return { text: `${keyword} {\n${body.text}\n} ${name}${suffix};`, paths: withIndices(name, indices, body.paths) };
  };

  const recordBody = (depth: number, union: boolean): { text: string; paths: string[]; union: boolean } => {
    const lines: string[] = [];
    const paths: string[] = [];
    const n = chance(0.03) ? 0 : 1 + int(depth === 0 ? 7 : 4);
    for (let i = 0; i < n; i++) {
      const m = memberDecl(depth, union);
      lines.push(m.text);
      paths.push(...m.paths);
    }
    return { text: lines.join('\n'), paths, union };
  };

  for (let i = 0; i < count; i++) {
    const union = chance(0.3);
    const body = recordBody(0, union);
    const keyword = union ? 'union' : 'struct';
    const text = body.text;
    const paths = body.paths;
    const style = int(3);
    let spelling: string;
    if (style === 0) {
      spelling = `T${i}`;
      defs.push(`typedef ${keyword} {\n${text}\n} ${spelling};`);
    } else if (style === 1) {
      spelling = `${keyword} tag${i}`;
      defs.push(`${spelling} {\n${text}\n};`);
    } else {
      spelling = `T${i}`;
      defs.push(`typedef ${keyword} tag${i} ${spelling};\n${keyword} tag${i} {\n${text}\n};`);
    }
    const k = { spelling, paths };
    known.push(k);
    roots.push(k);
    if (chance(0.1)) {
      // A typedef of an array of records, and an enum on its own.
      const arr = `A${i}`;
      const len = 1 + int(3);
      defs.push(`typedef ${spelling} ${arr}[${len}];`);
      roots.push({ spelling: arr, paths: [] }); // sizeof and _Alignof only: offsetof needs a member
    }
    if (chance(0.05)) {
      const e = `enum eroot${i}`;
      defs.push(`${e} { ${enumValues()} };`);
      roots.push({ spelling: e, paths: [] });
    }
  }
  const includes = ['stddef.h', 'stdint.h', 'stdio.h', 'sys/types.h', 'wchar.h', 'uchar.h'].map((h) => `#include <${h}>`);
  return { source: `${includes.join('\n')}\n\n${defs.join('\n\n')}\n`, roots };
}

/** The C program: every number in one array, printed one per line. */
function program(gen: Generated): { text: string; labels: string[] } {
  const items: string[] = [];
  const labels: string[] = [];
  for (const root of gen.roots) {
    items.push(`sizeof(${root.spelling})`, `_Alignof(${root.spelling})`);
    labels.push(`sizeof(${root.spelling})`, `_Alignof(${root.spelling})`);
    for (const p of root.paths) {
      items.push(`offsetof(${root.spelling}, ${p})`);
      labels.push(`offsetof(${root.spelling}, ${p})`);
    }
  }
  const text = `${gen.source}
static const unsigned long long values[] = {
${items.map((i) => `  ${i},`).join('\n')}
};

int main(void) {
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) printf("%llu\\n", values[i]);
  return 0;
}
`;
  return { text, labels };
}

/** Our offset of a member designator such as `a.b[2].c`. */
function offsetOfPath(type: CType, designator: string, scope: CScope, target: LayoutTarget): { offset: number; type: CType } | undefined {
  let offset = 0;
  let current = type;
  for (const part of designator.match(/\.?[A-Za-z_]\w*|\[\d+\]/g) ?? []) {
    if (part.startsWith('[')) {
      const t = scope.resolve(current);
      if (t.kind !== 'array') return undefined;
      const element = layoutOf(t.of, scope, target);
      if (!element) return undefined;
      offset += Number(part.slice(1, -1)) * element.size;
      current = t.of;
    } else {
      const name = part.replace(/^\./, '');
      const m = namedMembers(current, scope, target)?.find((x) => x.name === name);
      if (!m) return undefined;
      offset += m.offset;
      current = m.type;
    }
  }
  return { offset, type: current };
}

function typeOfSpelling(spelling: string, scope: CScope): CType {
  const tagged = /^(struct|union|enum) (\w+)$/.exec(spelling);
  if (tagged) {
    const found = scope.tags.get(spelling);
    assert.ok(found, `tag ${spelling} not read`);
    return found;
  }
  return { kind: 'typedef', name: spelling };
}

const target = hostTarget();
const gcc = gccAvailable();

if (!gcc || !target) {
  const why = !gcc ? 'gcc not found' : `host ${process.platform}/${process.arch} is not an LP64 target the layout engine models`;
  if (process.env.CI === 'true' && !gcc) {
    test('layout vs gcc: gcc on PATH', () => assert.fail('gcc not found and CI=true: the layout property test must run in CI'));
  } else {
    console.log(`SKIPPED: ${why}`);
    test(`layout vs gcc (skipped: ${why})`, () => {});
  }
} else {
  test(`layout vs gcc: ${TYPES} random structs and unions (seed ${SEED})`, async () => {
    const started = Date.now();
    const gen = generate(TYPES, SEED);
    const { text, labels } = program(gen);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-gcc-'));
    try {
      const cFile = path.join(dir, 'layout.c');
      const exe = path.join(dir, 'layout');
      fs.writeFileSync(cFile, text);
      const cc = spawnSync('gcc', ['-std=gnu11', '-w', '-O0', '-o', exe, cFile], { encoding: 'utf8' });
      assert.equal(cc.status, 0, `gcc failed on ${cFile}:\n${cc.stderr.slice(0, 4000)}`);
      const runResult = spawnSync(exe, [], { encoding: 'utf8' });
      assert.equal(runResult.status, 0, runResult.stderr);
      const numbers = runResult.stdout.trim().split('\n').map(Number);
      assert.equal(numbers.length, labels.length);

      // The same text through the engine's C reader.
      const engine = await testEngine();
      const tree = engine.cParser.parse(gen.source);
      assert.ok(tree);
      const scope = new CScope();
      try {
        const parseConstant = (expr: string): number | undefined => {
          const t = engine.cParser.parse(`int __cgo_constant = (${expr});`);
          try {
            return evalConstant(t?.rootNode.descendantsOfType('init_declarator')[0]?.childForFieldName('value') ?? null, scope);
          } finally {
            t?.delete();
          }
        };
        new DeclarationReader(scope, { file: 'layout.c', toFile: (o) => o }, gen.source, parseConstant).read(tree.rootNode);
      } finally {
        tree.delete();
      }

      const mismatches: string[] = [];
      let i = 0;
      let checked = 0;
      let fieldAtChecked = 0;
      for (const root of gen.roots) {
        const type = typeOfSpelling(root.spelling, scope);
        const layout = layoutOf(type, scope, target);
        const expect = (what: string, ours: number | undefined): void => {
          const label = labels[i];
          const theirs = numbers[i++];
          checked++;
          if (ours !== theirs) mismatches.push(`${label}: gcc ${theirs}, ours ${ours}`);
          assert.equal(label.startsWith(what), true);
        };
        expect('sizeof', layout?.size);
        expect('_Alignof', layout?.align);
        for (const p of root.paths) {
          const member = offsetOfPath(type, p, scope, target);
          const gccOffset = numbers[i];
          expect('offsetof', member?.offset);
          // fieldAt finds that very member from its offset and size.
          const size = member && layoutOf(member.type, scope, target)?.size;
          if (member && size && gccOffset === member.offset) {
            const found = fieldAt(type, member.offset, size, scope, target, (t) => t === member.type);
            fieldAtChecked++;
            if (!found || found[found.length - 1].offset !== member.offset || found[found.length - 1].size !== size) {
              mismatches.push(`fieldAt(${root.spelling}, ${member.offset}, ${size}): ${found ? accessPath(found) : 'nothing'}, want ${p}`);
            }
          }
        }
      }
      const seconds = (Date.now() - started) / 1000;
      console.log(`layout vs gcc: ${gen.roots.length} types, ${checked} numbers (sizeof/_Alignof/offsetof), ${fieldAtChecked} fieldAt lookups, ${seconds.toFixed(2)} s`);
      if (process.env.LAYOUT_KEEP === '1') console.log(`kept ${cFile}`);
      assert.deepEqual(mismatches.slice(0, 30), [], `${mismatches.length} mismatches; rerun with LAYOUT_KEEP=1 LAYOUT_SEED=${SEED}`);
      assert.ok(gen.roots.length >= 300, 'at least 300 types');
    } finally {
      if (process.env.LAYOUT_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
