// The compiler pass: gcc's and clang's output read back, positions on the .go file (CRLF,
// non-ASCII, block and line comments), -Wall as go build shows it, and the compiler as the
// judge of preamble-comment-bleed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { compilePackage, parseCompilerOutput, PreambleCompiler, type UnitResult } from '../../server/src/cgo/compiler';
import { hostTarget } from '../../server/src/cgo/constraints';
import type { CompilerFinding, Reported } from '../../server/src/cgo/findings';
import { askGoEnv } from '../../server/src/cgo/goversion';
import { readTextFromDisk } from '../../server/src/cgo/headers';
import type { CgoPackage, PackageFlags } from '../../server/src/cgo/package';
import { ChildProcesses } from '../../server/src/cgo/processes';
import { testEngine } from '../support/engine';

const gcc = spawnSync('gcc', ['--version']).status === 0;
const skip = gcc ? false : 'gcc not found';

test('gcc output: the include chain of a header diagnostic, shared by the next ones in that header; notes attach to their diagnostic', () => {
  const { diagnostics, headers } = parseCompilerOutput(
    [
      '. /tmp/p/api.h',
      '.. /usr/include/stdint.h',
      'In file included from /tmp/p/inner.h:1,',
      '                 from /tmp/p/p.go:4:',
      "/tmp/p/api.h:2:1: error: unknown type name 'not_a_type'",
      "/tmp/p/api.h:3:1: error: unknown type name 'neither'",
      "/tmp/p/p.go: In function 'f':",
      "/tmp/p/p.go:6:5: warning: unused variable 'x' [-Wunused-variable]",
      "/tmp/p/p.go:7:12: note: declared here",
      'Multiple include guards may be useful for:',
      '/tmp/p/api.h',
    ].join('\n'),
  );
  assert.deepEqual(headers, ['/tmp/p/api.h', '/usr/include/stdint.h']);
  assert.deepEqual(
    diagnostics.map((d) => [d.file, d.line, d.column, d.severity, d.message, d.includedFrom.map((f) => `${f.file}:${f.line}`), d.notes.length]),
    [
      ['/tmp/p/api.h', 2, 1, 'error', "unknown type name 'not_a_type'", ['/tmp/p/inner.h:1', '/tmp/p/p.go:4'], 0],
      ['/tmp/p/api.h', 3, 1, 'error', "unknown type name 'neither'", ['/tmp/p/inner.h:1', '/tmp/p/p.go:4'], 0],
      ['/tmp/p/p.go', 6, 5, 'warning', "unused variable 'x' [-Wunused-variable]", [], 1],
    ],
  );
});

test('clang output: one "In file included from" line per level; fatal errors are marked', () => {
  const { diagnostics } = parseCompilerOutput(
    ['In file included from /tmp/p/p.go:3:', 'In file included from /tmp/p/a.h:1:', "/tmp/p/b.h:1:10: fatal error: 'c.h' file not found", '1 error generated.'].join('\n'),
  );
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].fatal, true);
  assert.deepEqual(diagnostics[0].includedFrom.map((f) => f.file), ['/tmp/p/p.go', '/tmp/p/a.h']);
});

/** Writes the files, checks the package with the rules and compiles it; both results. */
async function compiled(files: Record<string, string>, options: { only?: string } = {}): Promise<{ rules: Reported[]; results: UnitResult[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-compiler-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const engine = await testEngine();
  let model: { pkg: CgoPackage; flags: PackageFlags } | undefined;
  const sources = Object.entries(files)
    .filter(([name]) => name.endsWith('.go') && (!options.only || name === options.only))
    .map(([name, text]) => ({ path: path.join(dir, name), text }));
  const rules = engine.checkPackage(dir, sources, { target: hostTarget(26), withModel: (pkg, flags) => (model = { pkg, flags }) });
  assert.ok(model);
  const processes = new ChildProcesses();
  const compiler = new PreambleCompiler({ mayRun: () => true, processes, goEnv: () => askGoEnv(processes) });
  const results = await compilePackage(compiler, model.pkg, model.flags, { readText: readTextFromDisk });
  assert.ok(results, 'the compiler did not run');
  return { rules, results, dir };
}

const where = (text: string, finding: CompilerFinding): string => {
  const before = text.slice(0, finding.start);
  const line = before.split('\n').length;
  return `${line}:${finding.start - before.lastIndexOf('\n')}:${text.slice(finding.start, finding.end)}`;
};

test('a block-comment preamble with CRLF and non-ASCII text: the error lands on the identifier gcc names', { skip }, async () => {
  const text = 'package p\r\n\r\n/*\r\nstatic const char *greeting = "héllo wörld"; static int broken = undeclared_name;\r\n*/\r\nimport "C"\r\n\r\nvar _ = C.broken\r\n';
  const { results } = await compiled({ 'p.go': text });
  const findings = results.flatMap((r) => r.findings);
  assert.deepEqual(
    findings.map((f) => [f.source, f.severity, where(text, f), f.message]),
    [['cgo (gcc)', 'error', '4:66:undeclared_name', "'undeclared_name' undeclared here (not in a function)"]],
  );
});

test('-Wall: a static function Go calls is used (cgo\'s wrapper calls it); one nobody calls is reported as go build does', { skip }, async () => {
  const text = [
    'package p',
    '',
    '// #cgo CFLAGS: -Wall',
    '// static int twice(int x) { return 2 * x; }',
    '// static int unused_helper(void) { return 1; }',
    'import "C"',
    '',
    'func Twice(x int) int { return int(C.twice(C.int(x))) }',
    '',
  ].join('\n');
  const { results } = await compiled({ 'p.go': text });
  const findings = results.flatMap((r) => r.findings);
  assert.deepEqual(
    findings.map((f) => [f.severity, where(text, f), f.message]),
    [['warning', '5:15:unused_helper', "'unused_helper' defined but not used [-Wunused-function]"]],
  );
});

test('the compiler overrules preamble-comment-bleed where it compiles the line, and confirms it where it fails', { skip }, async () => {
  const { confirmedByCompiler } = await import('../../server/src/cgo/compiler');
  const text = 'package p\n\n// #define API\n// API int twice(int x);\n//\n// NOTE: keep this short.\n// int twice(int x) { return 2 * x; }\nimport "C"\n\nvar _ = C.twice\n';
  const { results, dir } = await compiled({ 'p.go': text });
  const file = path.join(dir, 'p.go');
  const lines = text.split('\n');
  const lineOf = (_file: string, offset: number): number => text.slice(0, offset).split('\n').length - 1;
  // A finding on each: the macro line gcc compiles, and the note it rejects.
  const findings = ['// API int twice', '// NOTE'].map((line) => ({ rule: 'preamble-comment-bleed', file, start: text.indexOf(line) + 3 }));
  const kept = confirmedByCompiler(findings, results, lineOf);
  assert.deepEqual(kept.map((f) => lines[lineOf(file, f.start)]), ['// NOTE: keep this short.'], 'only the line gcc rejects stays');
});
