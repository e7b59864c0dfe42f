// cgo-lint --fix cannot corrupt, and no read hangs: the reproducers of issue 16 against the
// bundled dist/cli.js, on files in temporary directories.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const onPosix = process.platform === 'win32' ? 'FIFOs, symbolic links and /proc are POSIX' : false;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Run {
  // A hang fails the test instead of stalling the suite.
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, GOOS: '', GOARCH: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-lint-safety-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** A copy of a fixture package (its .go files) in a fresh directory. */
function fixtureCopy(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-lint-safety-'));
  for (const name of fs.readdirSync(path.join(fixtures, fixture))) {
    if (name.endsWith('.go')) fs.copyFileSync(path.join(fixtures, fixture, name), path.join(dir, name));
  }
  return dir;
}

function texts(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.lstatSync(path.join(dir, name)).isFile() ? fs.readFileSync(path.join(dir, name), 'utf8') : '(not a file)']));
}

/**
 * Makes a directory refuse new entries, for root too (an immutable directory); undoes it. Falls
 * back to a read-only mode where chattr is missing (a user other than root then gets EACCES).
 */
function refuseWrites(dir: string): () => void {
  if (process.getuid?.() === 0 && spawnSync('chattr', ['+i', dir]).status === 0) return () => void spawnSync('chattr', ['-i', dir]);
  fs.chmodSync(dir, 0o555);
  return () => fs.chmodSync(dir, 0o755);
}

/** stderr holds only `cgo-lint:` lines: no stack trace. */
function assertNoStack(stderr: string): void {
  for (const line of stderr.trim().split('\n')) assert.match(line, /^cgo-lint: /, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m);
}

test('a preamble ending on the import line: --fix breaks the line once, a second run changes nothing', () => {
  const single = 'package main\n\n/* int one(void) { return 1; } */ import "C"\nimport "fmt"\n\nfunc main() { fmt.Println(C.one()) }\n';
  const multi = 'package main\n\n/*\n#include <stdio.h>\nstatic int one(void) { return 1; }\n*/ import "C"\nimport "fmt"\n\nfunc main() { fmt.Println(C.one()) }\n';
  for (const [source, fixed] of [
    [single, single.replace('*/ import', '*/\nimport')],
    [multi, multi.replace('*/ import', '*/\nimport')],
  ]) {
    const root = tree({ 'main.go': source });
    const first = run(['--fix', '.'], root);
    assert.match(first.stdout, /^main\.go:3:1: fixed: Start what follows the comment on the next line \[preamble-detached\]$/m);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'main.go'), 'utf8'), fixed);
    const second = run(['--fix', '.'], root);
    assert.equal(second.stdout, '');
    assert.equal(fs.readFileSync(path.join(root, 'main.go'), 'utf8'), fixed);
  }
});

test('--fix wraps a prose line ending in a backslash in /* */, so the next C line is kept', () => {
  const source = 'package main\n\n// NOTE: keep in sync with the C side \\\n// #include <stdlib.h>\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n';
  const root = tree({ 'main.go': source });
  const result = run(['--fix', '.'], root);
  assert.equal(fs.readFileSync(path.join(root, 'main.go'), 'utf8'), source.replace('// NOTE: keep in sync with the C side \\', '// /* NOTE: keep in sync with the C side \\ */'));
  assert.match(result.stdout, /main\.go:3:4: fixed: Turn into a C comment \[preamble-comment-bleed\]/);
  assert.doesNotMatch(result.stderr, /bug:/);
});

test('rename-import-c keeps a comment between the name and "C"', () => {
  const source = 'package main\n\n// static int twice(int x) { return 2 * x; }\nimport c /* the C side */ "C"\n\nfunc main() { println(c.twice(21)) }\n';
  const root = tree({ 'main.go': source });
  run(['--fix', '.'], root);
  assert.equal(fs.readFileSync(path.join(root, 'main.go'), 'utf8'), source.replace('import c /* the C side */', 'import /* the C side */').replace('c.twice', 'C.twice'));
});

test('CRLF and file modes survive --fix', { skip: onPosix }, () => {
  const source = 'package app\r\n\r\n/*\r\nvoid initial_setup(){}\r\n*/\r\n\r\nimport "C"\r\n';
  const root = tree({ 'a.go': source });
  fs.chmodSync(path.join(root, 'a.go'), 0o640);
  run(['--fix', '.'], root);
  assert.equal(fs.readFileSync(path.join(root, 'a.go'), 'utf8'), source.replace('*/\r\n\r\n', '*/\r\n'));
  assert.equal(fs.statSync(path.join(root, 'a.go')).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(root), ['a.go'], 'a temporary file was left behind');
});

test('a fix whose write fails leaves all its files as they were, says so in one line, prints no fixed:, exits 2', { skip: onPosix }, () => {
  // point.go is a symbolic link into a directory that refuses new files: the fix's other files
  // (geo_test.go, add.go) are written first, and must not stay changed.
  const dir = fixtureCopy('cgo-in-test/two-files');
  const locked = path.join(dir, 'locked');
  fs.mkdirSync(locked);
  fs.renameSync(path.join(dir, 'point.go'), path.join(locked, 'point.go'));
  fs.symlinkSync(path.join('locked', 'point.go'), path.join(dir, 'point.go'));
  const before = { ...texts(dir), locked: texts(locked) };
  const undo = refuseWrites(locked);
  try {
    const result = run(['--fix', '.'], dir);
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /fixed:/);
    assert.match(result.stderr, /^cgo-lint: point\.go: cannot write the fix: E\w+: /m);
    assertNoStack(result.stderr);
    assert.deepEqual({ ...texts(dir), locked: texts(locked) }, before);
  } finally {
    undo();
  }
});

test('a failed cgo-in-test fix leaves no empty *_cgo_helpers.go', { skip: onPosix }, () => {
  const dir = fixtureCopy('cgo-in-test/own-preamble');
  const before = texts(dir);
  const undo = refuseWrites(dir);
  try {
    const result = run(['--fix', '.'], dir);
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assertNoStack(result.stderr);
  } finally {
    undo();
  }
  assert.deepEqual(texts(dir), before);
});

test('given only the test file, cgo-in-test touches no other file and says which files it needs', () => {
  const dir = fixtureCopy('cgo-in-test/two-files');
  const before = texts(dir);
  const result = run(['--fix', 'geo_test.go'], dir);
  assert.deepEqual(texts(dir), before);
  assert.match(result.stdout, /^geo_test\.go:4:2: not applied: .* \[cgo-in-test\]: it also edits add\.go and point\.go, which were not given; give the package directory to apply it$/m);
  assert.equal(result.status, 1);
  // Given the directory, it is applied.
  assert.match(run(['--fix', '.'], dir).stdout, /geo_test\.go:4:2: fixed: /);
});

test('--fix never writes through a .go symbolic link that leads out of the paths given', { skip: onPosix }, () => {
  const root = tree({ 'outside/a.go': 'package app\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n', 'pkg/b.go': 'package app\n' });
  fs.symlinkSync(path.join(root, 'outside', 'a.go'), path.join(root, 'pkg', 'a.go'));
  const outside = fs.readFileSync(path.join(root, 'outside', 'a.go'), 'utf8');
  const result = run(['--fix', 'pkg'], root);
  assert.equal(fs.readFileSync(path.join(root, 'outside', 'a.go'), 'utf8'), outside);
  assert.ok(fs.lstatSync(path.join(root, 'pkg', 'a.go')).isSymbolicLink());
  assert.match(result.stdout, /^pkg\/a\.go:3:1: not applied: .*\[preamble-detached\]: pkg\/a\.go is a symbolic link to .*outside\/a\.go, outside the paths given$/m);
  // A link inside the paths given is followed: the file it points to is fixed, the link stays.
  const inside = run(['--fix', '.'], root);
  assert.match(inside.stdout, /fixed: /);
  assert.ok(fs.lstatSync(path.join(root, 'pkg', 'a.go')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(root, 'outside', 'a.go'), 'utf8'), outside.replace('*/\n\n', '*/\n'));
});

test('unreadable .go files (dangling link, link loop, FIFO itself or linked, device) are named and exit 2; the rest is checked', { skip: onPosix }, () => {
  const root = tree({ 'a.go': 'package p\n\n// #cgo LDFLAG: -lm\nimport "C"\n' });
  fs.symlinkSync('missing.go', path.join(root, 'dangling.go'));
  fs.symlinkSync('loop.go', path.join(root, 'loop.go'));
  spawnSync('mkfifo', [path.join(root, 'pipe')]);
  fs.symlinkSync('pipe', path.join(root, 'fifo.go'));
  fs.symlinkSync('/dev/zero', path.join(root, 'zero.go'));
  spawnSync('mkfifo', [path.join(root, 'named.go')]);
  for (const args of [['.'], ['--fix', '.']]) {
    const result = run(args, root);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /dangling\.go: no such file/);
    assert.match(result.stderr, /loop\.go: too many levels of symbolic links/);
    assert.match(result.stderr, /fifo\.go: not a regular file \(a FIFO\)/);
    assert.match(result.stderr, /zero\.go: not a regular file \(a character device\)/);
    assert.match(result.stderr, /named\.go: not a regular file \(a FIFO\)/);
    assertNoStack(result.stderr);
    assert.match(result.stdout, args[0] === '--fix' ? /a\.go:3:9: fixed: / : /a\.go:3:9: error/);
  }
  const named = run(['fifo.go'], root);
  assert.equal(named.status, 2);
});

test('headers that never end are not read: pagemap, /dev/zero, /dev/stdin, a FIFO, a link loop, a sparse 3 GB file', { skip: onPosix, timeout: 60_000 }, async () => {
  const root = tree({
    'a.go':
      'package p\n\n' +
      '// #include "pagemap.h"\n// #include "/proc/self/pagemap"\n// #include "zero.h"\n// #include "stdin.h"\n' +
      '// #include "fifo.h"\n// #include "loop.h"\n// #include "sparse.h"\n// #include <stdlib.h>\n' +
      'import "C"\n\nfunc f() { C.free(nil) }\n',
  });
  fs.symlinkSync('/proc/self/pagemap', path.join(root, 'pagemap.h'));
  fs.symlinkSync('/dev/zero', path.join(root, 'zero.h'));
  fs.symlinkSync('/dev/stdin', path.join(root, 'stdin.h'));
  spawnSync('mkfifo', [path.join(root, 'fifo.h')]);
  fs.symlinkSync('loop.h', path.join(root, 'loop.h'));
  // Sparse: 3 GB reported, nothing written.
  fs.closeSync(fs.openSync(path.join(root, 'sparse.h'), 'w'));
  fs.truncateSync(path.join(root, 'sparse.h'), 3 * 1024 ** 3);
  // stdin stays an open pipe that nobody writes to: reading it would never end.
  const child = spawn(process.execPath, [cli, '.'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  child.stdin.destroy();
  assert.equal(status, 0, `cgo-lint did not finish on its own: ${stdout}`);
  assert.equal(stdout, '');
});

test('--fix with --format json: what it fixed goes to stderr, stdout stays one JSON document', () => {
  const root = tree({ 'a.go': 'package app\n\n/*\nvoid initial_setup(){}\n*/\n\nimport "C"\n' });
  const result = run(['--fix', '--format', 'json', '.'], root);
  assert.deepEqual(JSON.parse(result.stdout), []);
  assert.match(result.stderr, /^a\.go:3:1: fixed: Remove the blank lines below this comment \[preamble-detached\]$/m);
});

test('a detached comment that also holds prose is not attached by --fix: the prose would break a package that builds', () => {
  const source = 'package main\n\n// NOTE: Do not use -Wall here.\n// #include <stdlib.h>\n\nimport "C"\n\nfunc main() { _ = C.int(1) }\n';
  const root = tree({ 'main.go': source });
  const result = run(['--fix', '.'], root);
  assert.equal(fs.readFileSync(path.join(root, 'main.go'), 'utf8'), source);
  assert.match(result.stdout, /main\.go:3:1: error: .*Its text that is not C \("NOTE: Do not use -Wall here\."\) would then reach the C compiler: make it a C comment first\. \[preamble-detached\]/);
});
