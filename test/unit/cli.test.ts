// cgo-lint as a user runs it: the bundled dist/cli.js on files in a temporary directory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, GOOS: '', GOARCH: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-lint-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const note = 'package app\n\n// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -O2\n// void initial_setup();\nimport "C"\n\nfunc init() { C.initial_setup() }\n';
const detached = 'package app\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n';

test('text output, like go vet, and exit status 1 on errors', () => {
  const root = tree({ 'app/app.go': note, 'app/cfuncs.go': detached });
  const { status, stdout } = run(['--no-cc', './app'], root);
  assert.equal(status, 1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^app\/app\.go:3:4: error: .*NOTE: Do not use -Wall.* \[preamble-comment-bleed\]$/);
  assert.match(lines[1], /^app\/cfuncs\.go:3:1: error: .* \[preamble-detached\]$/);
});

const gcc = spawnSync('gcc', ['--version']).status === 0;

test('the C compiler by default: gcc\'s own error at the .go line and column, [cgo (gcc)], no fixes; --cc on threads too', { skip: gcc ? false : 'gcc not found' }, () => {
  const root = tree({ 'app/app.go': note, 'app/cfuncs.go': detached });
  const { status, stdout } = run(['./app'], root);
  assert.equal(status, 1);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 3, stdout);
  assert.match(lines[0], /^app\/app\.go:3:4: error: .*NOTE: Do not use -Wall.* \[preamble-comment-bleed\]$/);
  assert.equal(lines[1], "app/app.go:3:8: error: expected '=', ',', ';', 'asm' or '__attribute__' before ':' token [cgo (gcc)]");
  assert.match(lines[2], /^app\/cfuncs\.go:3:1: error: .* \[preamble-detached\]$/);
  const json = JSON.parse(run(['--cc', '--jobs', '2', '--format', 'json', './app'], root).stdout) as { rule: string; fixes: unknown[] }[];
  assert.deepEqual(json.map((d) => [d.rule, d.fixes.length]), [['preamble-comment-bleed', 2], ['cgo (gcc)', 0], ['preamble-detached', 1]]);
});

test('json output: fields, byte columns after non-ASCII text, fixes', () => {
  const root = tree({ 'a.go': 'package p\n\n// NOTE caf\u00e9 \u{1F600}: x\n// #include <stdio.h>\nimport "C"\n' });
  const { status, stdout } = run(['--format', 'json', 'a.go'], root);
  assert.equal(status, 1);
  const [finding] = JSON.parse(stdout) as Record<string, unknown>[];
  assert.deepEqual(
    { file: finding.file, line: finding.line, column: finding.column, endLine: finding.endLine, endColumn: finding.endColumn, rule: finding.rule, severity: finding.severity },
    // "NOTE café 😀: x" is 5+3+2+1+4+3 = 18 bytes from column 4.
    { file: 'a.go', line: 3, column: 4, endLine: 3, endColumn: 22, rule: 'preamble-comment-bleed', severity: 'error' },
  );
  const fixes = finding.fixes as { title: string; edits: Record<string, unknown>[] }[];
  assert.equal(fixes[0].title, 'Turn into a C comment');
  assert.deepEqual(fixes[0].edits, [{ file: 'a.go', line: 3, column: 4, endLine: 3, endColumn: 4, newText: '// ' }]);
});

test('sarif output is SARIF 2.1.0 with rules and UTF-16 regions', () => {
  const root = tree({ 'a.go': 'package p\n\n// NOTE caf\u00e9: x\n// #include <stdio.h>\nimport "C"\n' });
  const { stdout } = run(['--no-cc', '--format', 'sarif', '.'], root);
  const log = JSON.parse(stdout);
  assert.equal(log.version, '2.1.0');
  const runLog = log.runs[0];
  assert.equal(runLog.tool.driver.name, 'cgo-lint');
  assert.ok(runLog.tool.driver.rules.some((r: { id: string }) => r.id === 'preamble-detached'));
  assert.equal(runLog.results.length, 1);
  const result = runLog.results[0];
  assert.equal(result.ruleId, 'preamble-comment-bleed');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 4, endLine: 3, endColumn: 16 });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'a.go');
});

test('--fix applies every preferred fix, says what it changed, and leaves a clean package', () => {
  const root = tree({ 'app/app.go': note, 'app/cfuncs.go': detached, 'app/bad.go': 'package app\n\n// #cgo LDFLAG: -lm\nimport "C"\n' });
  const fixed = run(['--fix', 'app'], root);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /app\/app\.go:3:4: fixed: Turn into a C comment \[preamble-comment-bleed\]/);
  assert.match(fixed.stdout, /app\/cfuncs\.go:3:1: fixed: Remove the blank lines below this comment/);
  assert.match(fixed.stdout, /app\/bad\.go:3:9: fixed: Change to LDFLAGS/);
  assert.equal(fs.readFileSync(path.join(root, 'app/app.go'), 'utf8'), note.replace('// NOTE', '// // NOTE'));
  assert.equal(fs.readFileSync(path.join(root, 'app/cfuncs.go'), 'utf8'), detached.replace('*/\n\nimport', '*/\nimport'));
  assert.equal(fs.readFileSync(path.join(root, 'app/bad.go'), 'utf8'), 'package app\n\n// #cgo LDFLAGS: -lm\nimport "C"\n');
  assert.equal(run(['app'], root).stdout, '');
});

test('directories are walked like ./..., skipping testdata, vendor, node_modules, . and _', () => {
  const bad = 'package p\n\n// #cgo LDFLAG: -lm\nimport "C"\n';
  const root = tree({
    'a/x.go': bad,
    'a/b/c/x.go': bad,
    'testdata/x.go': bad,
    'vendor/v/x.go': bad,
    'node_modules/m/x.go': bad,
    '.hidden/x.go': bad,
    '_skip/x.go': bad,
  });
  const { stdout } = run(['.'], root);
  assert.deepEqual(stdout.trim().split('\n').map((l) => l.split(':')[0]), ['a/x.go', 'a/b/c/x.go']);
});

test('a file argument reports only that file; --rule changes severities', () => {
  const root = tree({ 'app/app.go': note, 'app/cfuncs.go': detached });
  assert.deepEqual(run(['app/cfuncs.go'], root).stdout.trim().split('\n').map((l) => l.split(':')[0]), ['app/cfuncs.go']);
  const warned = run(['--rule', 'preamble-detached=warning', 'app/cfuncs.go'], root);
  assert.equal(warned.status, 0);
  assert.match(warned.stdout, /: warning: /);
  const off = run(['--rule=preamble-detached=off', 'app/cfuncs.go'], root);
  assert.equal(off.stdout, '');
});

test('--goos decides which #cgo lines are checked', () => {
  const root = tree({ 'a.go': 'package p\n\n// #cgo windows LDFLAG: -lm\nimport "C"\n' });
  assert.equal(run(['--goos', 'linux', '.'], root).status, 0);
  const windows = run(['--goos', 'windows', '--goarch', 'amd64', '.'], root);
  assert.equal(windows.status, 1);
  assert.match(windows.stdout, /invalid #cgo verb: #cgo windows LDFLAG: -lm/);
});

test('bad usage and unreadable paths exit 2 with a clear message', () => {
  const root = tree({ 'a.go': 'package p\n' });
  for (const args of [[], ['--format', 'xml', '.'], ['--rule', 'nope=error', '.'], ['--rule', 'preamble-detached=loud', '.'], ['--goos', 'plan10', '.'], ['missing.go'], ['--frobnicate', '.'], ['--jobs', '0', '.'], ['--jobs', 'many', '.']]) {
    const result = run(args, root);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /^cgo-lint: /, args.join(' '));
  }
});

test('binary and unreadable .go files are skipped with a message, the rest is checked', () => {
  const root = tree({ 'bin.go': 'package p\u0000\u0001', 'a.go': 'package p\n\n// #cgo LDFLAG: -lm\nimport "C"\n' });
  const result = run(['.'], root);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /bin\.go: binary file/);
  assert.match(result.stdout, /a\.go:3:9: error/);
});

test('CRLF files keep their line endings through --fix', () => {
  const root = tree({ 'a.go': detached.replace(/\n/g, '\r\n') });
  run(['--fix', '.'], root);
  assert.equal(fs.readFileSync(path.join(root, 'a.go'), 'utf8'), 'package app\r\n\r\n/*\r\nvoid initial_setup(){}\r\n*/\r\nimport "C"\r\n');
});

test('--jobs: worker threads report exactly what one thread reports, in the same order', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    files[`p${i}/app.go`] = i % 3 === 0 ? note : i % 3 === 1 ? detached : 'package app\n\nfunc F() {}\n';
    files[`p${i}/plain.go`] = 'package app\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n';
  }
  files['p7/bin.go'] = 'package app\u0000';
  const root = tree(files);
  const one = run(['--no-cc', '--format', 'json', '.'], root);
  const many = run(['--no-cc', '--format', 'json', '--jobs', '3', '.'], root);
  assert.equal(one.status, 1);
  assert.equal((JSON.parse(one.stdout) as unknown[]).length, 27);
  assert.deepEqual([many.status, many.stdout, many.stderr], [one.status, one.stdout, one.stderr]);
  // Not a terminal: no progress line.
  assert.equal(one.stderr, `cgo-lint: ${path.join('p7', 'bin.go')}: binary file (NUL byte), skipped\n`);
});

test('a reader that stops early (cgo-lint . | head -1) ends the run quietly', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`p${i}/app.go`] = note;
  const root = tree(files);
  const child = spawn(process.execPath, [cli, '.'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Like head: take the first chunk, then close the pipe.
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(stderr, '');
  assert.notEqual(code, 2);
});

// Issue "Follow the user's Go": the same code judged for the Go its module is built with.
const modern = `package p

/*
#cgo LDFLAGS: -Wl,--push-state,--as-needed -lm -Wl,--pop-state
#cgo noescape twice
static int twice(int x) { return 2 * x; }
*/
import "C"

func F() int { return int(C.twice(2)) }
`;

test('--go: a go 1.24 module with #cgo noescape and -Wl,--push-state is silent; told Go 1.19, it gets 1.19\'s errors', () => {
  const root = tree({ 'go.mod': 'module example.com/p\n\ngo 1.24\n', 'p.go': modern });
  const silent = run(['--go', '1.24', '.'], root);
  assert.equal(silent.status, 0, silent.stdout + silent.stderr);
  assert.equal(silent.stdout, '');
  // Without --go: the go command on PATH (1.26 here), or go.mod's 1.24 where there is none.
  assert.equal(run(['.'], root).stdout, '');
  const old = run(['--go', '1.19', '.'], root);
  assert.equal(old.status, 1);
  assert.match(old.stdout, /^p\.go:5:\d+: error: go build fails: "p\.go: invalid #cgo line: #cgo noescape twice"/m);
  assert.match(old.stdout, /invalid flag in #cgo LDFLAGS: -Wl,--push-state,--as-needed.*\[disallowed-cgo-flag\]$/m);
  const usage = run(['--go', '1.5', '.'], root);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--go 1\.5: Go 1\.19 to 1\.27 are known/);
});
