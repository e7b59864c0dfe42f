// The engine against the Go toolchain itself: test/goref prints what cmd/cgo takes as each
// preamble and what go/build makes of the #cgo lines; every case here must come out the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { buildCgoFile, cgoPackage, packageFlags } from '../../server/src/cgo/package';
import { directiveErrorMessage } from '../../server/src/cgo/directives';
import { testEngine } from '../support/engine';
import { goEnv, goToolchains, requireGo, type Toolchain } from '../support/go';

interface Case {
  name: string;
  files: Record<string, string>;
}

const head = 'package p\n\n';
const cases: Case[] = [
  { name: 'line comments', files: { 'a.go': `${head}// #include <stdio.h>\n// void f(void);\nimport "C"\n` } },
  { name: 'block comment', files: { 'a.go': `${head}/*\n#include <stdio.h>\nstatic int x;\n*/\nimport "C"\n` } },
  { name: 'javadoc block', files: { 'a.go': `${head}/**\n * #include <stdio.h>\n */\nimport "C"\n` } },
  { name: 'blank line cuts the comment off', files: { 'a.go': `${head}/*\nvoid f(){}\n*/\n\nimport "C"\n` } },
  { name: 'two groups, the nearer is the preamble', files: { 'a.go': `${head}// NOTE: x\n\n// #include <stdio.h>\nimport "C"\n` } },
  { name: 'prose glued to the directives', files: { 'a.go': `${head}// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -g -O2\n// void f();\nimport "C"\n` } },
  { name: 'grouped import, one spec, doc above', files: { 'a.go': `${head}// #include <stdio.h>\nimport (\n\t"C"\n)\n` } },
  { name: 'grouped import, two specs, doc above', files: { 'a.go': `${head}// #include <stdio.h>\nimport (\n\t"C"\n\t"fmt"\n)\n\nvar _ = fmt.Sprint\n` } },
  { name: 'grouped import, doc on the spec', files: { 'a.go': `${head}import (\n\t"fmt"\n\n\t// #include <stdio.h>\n\t"C"\n)\n\nvar _ = fmt.Sprint\n` } },
  { name: 'grouped import, doc on the spec and above', files: { 'a.go': `${head}// #define A 1\nimport (\n\t// #define B 2\n\t"C"\n)\n` } },
  { name: 'two import "C" in one file', files: { 'a.go': `${head}// #define A 1\nimport "C"\n\n// #define B 2\nimport "C"\n` } },
  { name: 'trailing comment of the previous import', files: { 'a.go': `${head}import "fmt" // the printer\n// #define A 1\nimport "C"\n\nvar _ = fmt.Sprint\n` } },
  { name: 'only a trailing comment', files: { 'a.go': `${head}import "fmt" // #define A 1\nimport "C"\n\nvar _ = fmt.Sprint\n` } },
  { name: 'mixed comment kinds', files: { 'a.go': `${head}/* #define A 1 */\n// #define B 2\n/*\n#define C 3\n*/\nimport "C"\n` } },
  { name: 'two comments on one line', files: { 'a.go': `${head}/* #define A 1 */ /* #define B 2 */\nimport "C"\n` } },
  { name: 'block comment ends on the import line', files: { 'a.go': `${head}/*\n#define A 1\n*/ import "C"\n` } },
  { name: 'CRLF', files: { 'a.go': `package p\r\n\r\n// #cgo CFLAGS: -DX=1\r\n// #define A 1\r\n/*\r\n#define B 2\r\n*/\r\nimport "C"\r\n` } },
  { name: 'BOM', files: { 'a.go': `\ufeffpackage p\n\n// #cgo LDFLAGS: -lm\n// #include <math.h>\nimport "C"\n` } },
  { name: 'tabs and non-ASCII', files: { 'a.go': `${head}//\t#cgo CFLAGS:\t-DNAME=\u00e9t\u00e9\n// // caf\u00e9 \u{1F600}\n//\t#include <stdio.h>\nimport "C"\n` } },
  { name: 'no space after the slashes', files: { 'a.go': `${head}//#cgo CFLAGS: -DA\n//#include <stdio.h>\nimport "C"\n` } },
  { name: 'directive-like comments inside the group', files: { 'a.go': `${head}//go:generate echo\n//export f\n// #cgo CFLAGS: -DA\nimport "C"\n` } },
  { name: 'renamed import', files: { 'a.go': `${head}// #define A 1\nimport c "C"\n\nvar _ = c.A\n` } },
  { name: 'conditions in both syntaxes', files: { 'a.go': `${head}// #cgo linux,amd64 CFLAGS: -DA\n// #cgo !windows CFLAGS: -DB\n// #cgo linux && !android LDFLAGS: -lm\n// #cgo windows darwin LDFLAGS: -lw\n// #cgo linux darwin CPPFLAGS: -DC\nimport "C"\n` } },
  { name: 'quoting and escapes', files: { 'a.go': `${head}// #cgo CFLAGS: "-DA=b c" '-DD=e' -DF\\ G -D"H"I\nimport "C"\n` } },
  { name: 'SRCDIR and relative paths', files: { 'a.go': `${head}// #cgo CFLAGS: -I\${SRCDIR}/../inc -Iinc/ -I inc -I/abs -L lib\n// #cgo LDFLAGS: \${SRCDIR}/lib/liba.a -Llib\nimport "C"\n` } },
  { name: 'pkg-config', files: { 'a.go': `${head}// #cgo pkg-config: libfoo bar-2.0\nimport "C"\n` } },
  { name: 'flags accumulate across files in name order', files: { 'b.go': `${head}// #cgo CFLAGS: -DB\nimport "C"\n`, 'a.go': `${head}// #cgo CFLAGS: -DA\nimport "C"\n` } },
  { name: 'files the target excludes', files: { 'a.go': `${head}// #cgo CFLAGS: -DA\nimport "C"\n`, 'a_windows.go': `${head}// #cgo CFLAGS: -DW\nimport "C"\n`, 'b.go': `//go:build ignore\n\n${head}// #cgo CFLAGS: -DI\nimport "C"\n` } },
  { name: 'missing colon', files: { 'a.go': `${head}// #cgo LDFLAGS -lm\nimport "C"\n` } },
  { name: 'missing colon under a false condition', files: { 'a.go': `${head}// #cgo windows LDFLAGS -lm\nimport "C"\n` } },
  { name: 'misspelt verb', files: { 'a.go': `${head}// #cgo CFLAGS: -DA\n// #cgo LDFLAG: -lm\n// #cgo CFLAGS: -DB\nimport "C"\n` } },
  { name: 'misspelt verb under a false condition', files: { 'a.go': `${head}// #cgo windows LDFLAG: -lm\nimport "C"\n` } },
  { name: 'no verb', files: { 'a.go': `${head}// #cgo : -lm\nimport "C"\n` } },
  { name: 'malformed argument', files: { 'a.go': `${head}// #cgo CFLAGS: -DA=a;b\nimport "C"\n` } },
  { name: 'malformed argument before a bad verb', files: { 'a.go': `${head}// #cgo LDFLG: -la|b\nimport "C"\n` } },
  { name: 'unclosed quote', files: { 'a.go': `${head}// #cgo CFLAGS: "-DA\nimport "C"\n` } },
  { name: 'empty quoted argument', files: { 'a.go': `${head}// #cgo CFLAGS: -DA ""\nimport "C"\n` } },
  { name: 'cgo with tab', files: { 'a.go': `${head}/*\n\t#cgo\tCFLAGS:\t-DA\n  #cgo  LDFLAGS:  -lm  \n*/\nimport "C"\n` } },
  { name: '#cgo without a space is C', files: { 'a.go': `${head}// #cgoCFLAGS: -DA\n// #cgo\nimport "C"\n` } },
  // How imports are written: the engine finds them by scanning the file's head, not a tree.
  { name: 'import alone on its line', files: { 'a.go': `${head}// #define A 1\nimport\n\t"C"\n` } },
  { name: 'imports split by semicolons', files: { 'a.go': `package p; import "fmt"\n// #define A 1\nimport "C"; var _ = fmt.Sprint\n` } },
  { name: 'comments inside the import', files: { 'a.go': `${head}// #define A 1\nimport /* group */ (\n\t/* #define B 2 */ "C" // trailing\n)\n` } },
  { name: 'package clause with a trailing comment', files: { 'a.go': `package p // the package\n// #define A 1\nimport "C"\n` } },
  { name: 'grouped specs on one line', files: { 'a.go': `${head}// #define A 1\nimport ("C"; "fmt")\n\nvar _ = fmt.Sprint\n` } },
  { name: 'an empty group first', files: { 'a.go': `${head}import ()\n\n// #define A 1\nimport "C"\n` } },
  // go/build skips these from Go 1.22 (cmd/cgo judges them); Go 1.19 says "invalid #cgo line".
  { name: 'noescape and nocallback', files: { 'a.go': `${head}// #cgo noescape f\n// #cgo nocallback f\n// #cgo CFLAGS: -DA\n// void f(void);\nimport "C"\n` } },
  { name: 'noescape with a condition is an invalid line', files: { 'a.go': `${head}// #cgo linux noescape f\nimport "C"\n` } },
  { name: 'a raw-string "C" is not cgo', files: { 'a.go': `${head}// #define A 1\nimport \`C\`\n` } },
  { name: 'import "C" in a string is not one', files: { 'a.go': `${head}const s = \`\nimport "C"\n\`\n` } },
];

interface GoResult {
  dir: string;
  /** null when the directory has none (a nil slice). */
  preambles: { file: string; line: number; text: string }[] | null;
  flags: Record<string, string[] | null>;
  error: string;
}

test('the engine agrees with cmd/cgo and go/build of every toolchain', async (t) => {
  if (!requireGo('toolchain agreement')) return;
  const { found, required } = goToolchains();
  for (const missing of required.filter((r) => !r.found)) {
    if (process.env.CI === 'true') assert.fail(`${missing.go} not found, and CI=true: the agreement holds for each toolchain (apt-get install golang-1.19-go)`);
    process.stdout.write(`SKIPPED: ${missing.go} not found (toolchain agreement)\n`);
  }
  for (const toolchain of found) await t.test(toolchain.version, (tt) => agree(tt, toolchain));
});

async function agree(t: TestContext, toolchain: Toolchain): Promise<void> {
  const env = goEnv({ GOOS: 'linux', GOARCH: 'amd64' });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-agree-'));
  const goref = path.join(root, 'goref');
  const build = spawnSync(toolchain.go, ['build', '-o', goref, '.'], { cwd: path.join(__dirname, '..', '..', '..', 'test', 'goref'), env: goEnv(), encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const dirs = cases.map((c, i) => {
    const dir = path.join(root, `case${i}`);
    fs.mkdirSync(dir);
    for (const [name, text] of Object.entries(c.files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  });
  const run = spawnSync(goref, [], { input: dirs.join('\n') + '\n', env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const results: GoResult[] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as GoResult);
  const engine = await testEngine();
  const target = resolveTarget('linux', 'amd64', {}, toolchain.minor);
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, () => {
      const expected = results[i];
      const dir = dirs[i];
      const names = Object.keys(c.files).sort();
      const trees = names.map((name) => engine.parseGo(c.files[name]));
      try {
        const files = names.map((name, k) => buildCgoFile(path.join(dir, name), c.files[name], trees[k], target, engine.preambles));
        const ours = files.flatMap((f) => f.imports.map((imp) => ({ file: path.basename(f.path), text: imp.preamble?.text ?? '' })));
        assert.deepEqual(ours, (expected.preambles ?? []).map((p) => ({ file: p.file, text: p.text })), 'preambles');
        const flags = packageFlags(cgoPackage(dir, target, files));
        for (const [verb, values] of Object.entries(expected.flags)) {
          assert.deepEqual(flags[verb as keyof typeof flags], values ?? [], `${verb}`);
        }
        const errors = files
          .filter((f) => f.included)
          .flatMap((f) => f.imports.flatMap((imp) => imp.directives.map((d) => directiveErrorMessage(d)).filter((m) => m !== undefined).map((m) => `${f.path}: ${m}`)));
        if (expected.error.includes('#cgo')) assert.ok(errors.some((e) => expected.error.includes(e)), `go/build: ${expected.error}\nours: ${errors.join('\n')}`);
        else assert.deepEqual(errors, [], `go/build reported no #cgo error (${expected.error})`);
      } finally {
        for (const tree of trees) tree.delete();
      }
    });
  }
  fs.rmSync(root, { recursive: true, force: true });
}
