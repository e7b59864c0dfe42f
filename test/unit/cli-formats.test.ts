// cgo-lint's GitHub Actions annotations and SARIF help, and suppression comments on the command
// line: the bundled dist/cli.js on files in a temporary directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-lint-formats-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    // The rules' output alone (--no-cc): the C compiler's findings are tested on their own (cli.test.ts, compiler.test.ts).
    const result = spawnSync(process.execPath, [cli, '--go', '1.26', '--no-cc', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, GOOS: '', GOARCH: '' } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const note = 'package app\n\n// NOTE: 50%, done,\n// #cgo CFLAGS: -O2\n// void initial_setup();\nimport "C"\n\nfunc init() { C.initial_setup() }\n';

test('--format github: one workflow command per finding, escaped as the Actions runner reads it', () => {
  const { status, stdout } = run(['--format', 'github', './app'], { 'app/app.go': note });
  assert.equal(status, 1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^::error file=app\/app\.go,line=3,col=4,endLine=3,endColumn=20,title=preamble-comment-bleed::The cgo preamble holds a note, which is not C: "NOTE: 50%25, done,"\. /);
});

test('--format github: hints are notices, and do not fail the run', () => {
  const source = 'package app\n\n// #include <stdlib.h>\nimport "C"\n\n//cgo-lint:ignore missing-stdlib-include stdlib.h is included\nfunc f() { C.free(nil) }\n';
  const { status, stdout } = run(['--format', 'github', '.'], { 'a.go': source });
  assert.equal(status, 0);
  assert.match(stdout, /^::notice file=a\.go,line=6,col=3,endLine=6,endColumn=\d+,title=suppression::This suppression is unused/);
});

test('SARIF: every rule has helpUri, the doc file, and its text as help; results point at their rule', () => {
  const { stdout } = run(['--format', 'sarif', '.'], { 'a.go': note });
  const driver = JSON.parse(stdout).runs[0].tool.driver as { rules: { id: string; helpUri: string; help?: { markdown: string } }[] };
  for (const rule of driver.rules) {
    assert.match(rule.helpUri, new RegExp(`^file:///.*/docs/rules/${rule.id}\\.md$`));
    const doc = fs.readFileSync(fileURLToPath(rule.helpUri), 'utf8');
    assert.equal(rule.help?.markdown, doc);
  }
  const [result] = JSON.parse(stdout).runs[0].results as { ruleId: string; ruleIndex: number }[];
  assert.equal(driver.rules[result.ruleIndex].id, result.ruleId);
});

test('text: a suppressed finding is gone, a reasonless suppression is a hint and silences nothing', () => {
  const suppressed = note.replace('// NOTE', '// // cgo-lint:ignore preamble-comment-bleed kept on purpose\n// NOTE');
  const clean = run(['.'], { 'a.go': suppressed });
  assert.equal(clean.status, 0);
  assert.equal(clean.stdout, '');
  const reasonless = run(['.'], { 'a.go': note.replace('// NOTE', '// // cgo-lint:ignore preamble-comment-bleed\n// NOTE') });
  assert.equal(reasonless.status, 1);
  assert.match(reasonless.stdout, /^a\.go:3:7: hint: cgo-lint:ignore needs a reason .* \[suppression\]\na\.go:4:4: error: .* \[preamble-comment-bleed\]\n$/);
});
