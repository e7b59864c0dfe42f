// npm run bench: what a user feels, measured on this machine and printed as a table
// (bench/results.json keeps the figures). Figures are reported, never asserted: these machines
// are noisy, so every timing is repeated and medians are shown.
//
//   1. Per-edit latency through the real server (dist/server.js over stdio, pull diagnostics):
//      a 20,000-line Go file whose preamble has 2,000 lines; 60 edits in the Go body and 60 in
//      the preamble, alternating; time from didChange to the diagnostics of that version, with
//      the server's debounce set to 0 (one edit with the default debounce is shown apart).
//      Three rounds, each with a fresh server; the first edit after opening (code not yet
//      optimised by V8) is shown apart as well as counted. One more round on the same file
//      with C.free called in every function, as most cgo code does.
//      And 60 edits to the cgo file of a package of 500 other files. And a word typed letter
//      by letter on a new line in the middle of a 2,000-line preamble, ten times.
//   2. Open latency of that file; server memory after opening a 2,000-file module and after
//      1,000 more edits: RSS, and what is live after a forced collection (bench/gc-hook.cjs).
//   3. A soak: 10,000 edits to one file; the server stays up and its live memory stays flat.
//   4. cgo-lint on a 4,000-file module (400 packages, every tenth uses cgo), with one thread and
//      with --jobs 2, on the same files without cgo, and a cold-cache `go vet ./...` on the
//      module when go is on PATH. These runs and the servers above check with the rules alone
//      (--no-cc; no C compiler for the server), so the figures compare across versions; one
//      more cgo-lint run shows the default, with the C compiler.
//   5. The C compiler in the editor: the article's app package (test/fixtures/…/
//      article-note-above-cgo); each edit changes the preamble (a new C comment), and the time
//      is from didChange to the diagnostics of that version that hold gcc's error, with the
//      shipped debounce and with none.
//   6. Workspace diagnostics: a server given the 4,000-file module of 4. (plus the article's
//      NOTE trap in one more package) as its workspace folder; time from initialized to the end
//      of the background check's progress, and RSS then; and the first squiggle of the NOTE file
//      opened while that check runs (didOpen → its pulled diagnostics), against the same open
//      on a server with no workspace to check.
//   7. System headers: the first completion after `C.` in a file including <stdio.h> and
//      <stdlib.h>, in fresh servers (right after opening, and after the idle read); RSS of the
//      2,000-file server of 2. once completion has read the system headers of its cgo files.
//   8. Big packages: one shaped like gotk3's gtk (118 files with large preambles) and one of
//      5,000 files; keystrokes in one cgo file, and hovers while the whole package is re-checked
//      (`npm run bench -- --big-packages` runs these alone).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));
const rpc = require('vscode-jsonrpc/node');
const serverJs = path.join(repo, 'dist', 'server.js');
const cliJs = path.join(repo, 'dist', 'cli.js');
const gcHook = path.join(repo, 'bench', 'gc-hook.cjs');
const defaultDebounceMs = 200;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-bench-'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => `${x.toFixed(1)} ms`;

/** The 20,000-line file; with `callsFree`, every function also calls C.free, as most cgo code does. */
function bigFile(callsFree = false) {
  const preamble = ['// #cgo CFLAGS: -O2', '// #include <stdlib.h>'];
  for (let i = 0; preamble.length < 2000; i++) {
    preamble.push(`// static inline int f${i}(int x) { return x + ${i}; }`, `// typedef struct { int a${i}; long b; } s${i}_t;`);
  }
  const body = [];
  for (let i = 0; body.length < 17_990; i++) {
    body.push(`func g${i}(x int) int {`, `\tif x > ${i} {`, `\t\t${callsFree ? 'C.free(nil); ' : ''}return int(C.f${i % 900}(C.int(x)))`, '\t}', '\treturn x * 2', '}', '');
  }
  const lines = ['package big', '', ...preamble, 'import "C"', '', ...body];
  return { text: lines.join('\n') + '\n', preambleLines: preamble.length, bodyStart: preamble.length + 4, lineCount: lines.length };
}

/** A module of `files` .go files in packages of ten; every tenth package imports "C" (none with cgo: false). */
function module(root, files, cgo = true) {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'go.mod'), 'module example.com/bench\n\ngo 1.19\n');
  const paths = [];
  for (let p = 0; p < files / 10; p++) {
    const dir = path.join(root, `pkg${p}`);
    fs.mkdirSync(dir);
    for (let f = 0; f < 10; f++) {
      const text = cgo && p % 10 === 0 && f === 0
        ? `package pkg${p}\n\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc Twice(x int) int { return int(C.twice(C.int(x))) }\n`
        : `package pkg${p}\n\nimport "fmt"\n\n// F${f} formats.\nfunc F${f}(x int) string {\n\treturn fmt.Sprint(x * ${f})\n}\n`;
      const file = path.join(dir, `f${f}.go`);
      fs.writeFileSync(file, text);
      paths.push({ file, text });
    }
  }
  return paths;
}

/** The server's environment without a C compiler: `go env CC` then names one that is not there. */
const noCompiler = { CC: 'cgo-bench-no-compiler' };

class Server {
  constructor(debounceMs, env = noCompiler) {
    this.memoryLog = path.join(tmp, `memory-${Math.random().toString(36).slice(2)}.jsonl`);
    this.child = spawn(process.execPath, ['--expose-gc', '--require', gcHook, serverJs, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...env, CGO_BENCH_MEMORY_LOG: this.memoryLog },
    });
    this.connection = rpc.createMessageConnection(new rpc.StreamMessageReader(this.child.stdout), new rpc.StreamMessageWriter(this.child.stdin));
    this.connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
    this.connection.onRequest(() => null);
    this.connection.onNotification(() => undefined);
    this.connection.listen();
    this.debounceMs = debounceMs;
  }
  /** `workspaceFolders`: directories the server checks in the background (none: open files only). */
  async initialize(workspaceFolders = []) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolders.map((dir) => ({ uri: pathToFileURL(dir).href, name: path.basename(dir) })),
      capabilities: { textDocument: { diagnostic: {} }, workspace: { configuration: true }, window: { workDoneProgress: true } },
      initializationOptions: { debounceMs: this.debounceMs },
    });
    this.connection.sendNotification('initialized', {});
  }
  /** Resolves when the server's background check of the workspace has ended (its progress' `end`). */
  workspaceChecked() {
    return new Promise((resolve) => this.connection.onUnhandledProgress((params) => params.value?.kind === 'end' && resolve()));
  }
  /** Resolves at the `count`-th progress report of the workspace check. */
  workspaceReport(count) {
    let seen = 0;
    return new Promise((resolve) => this.connection.onUnhandledProgress((params) => params.value?.kind === 'report' && ++seen === count && resolve()));
  }
  open(uri, text) {
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  }
  change(uri, version, range, text) {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }
  pull(uri) {
    return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }
  /** Completion at an offset of the text. */
  complete(uri, offset, text) {
    const before = text.slice(0, offset).split('\n');
    return this.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: before.length - 1, character: before.at(-1).length } });
  }
  rssMb() {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  }
  /** Memory live after a full collection, in MB: {rss, heapUsed, external}. */
  async liveMemory() {
    const lines = () => (fs.existsSync(this.memoryLog) ? fs.readFileSync(this.memoryLog, 'utf8').trim().split('\n').filter(Boolean) : []);
    const before = lines().length;
    this.child.kill('SIGUSR2');
    for (let waited = 0; lines().length === before; waited += 10) {
      if (waited > 5000) throw new Error('the server did not report its memory');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return JSON.parse(lines().at(-1));
  }
  async stop() {
    await this.connection.sendRequest('shutdown');
    this.connection.sendNotification('exit');
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

/** One round: a fresh server opens the big file and takes 60 edits in the body and 60 in the preamble. */
async function editRound(big, uri) {
  const server = new Server(0);
  await server.initialize();
  let start = performance.now();
  server.open(uri, big.text);
  await server.pull(uri);
  const openMs = performance.now() - start;
  const body = [];
  const preamble = [];
  let version = 1;
  for (let i = 0; i < 120; i++) {
    const inPreamble = i % 2 === 1;
    // Body: a comment line inserted inside a function far below the preamble. Preamble: a C line's number changes.
    const line = inPreamble ? 3 + ((i * 37) % (big.preambleLines - 2)) : big.bodyStart + 100 + ((i * 613) % 17_000);
    const range = inPreamble
      ? { start: { line, character: 3 }, end: { line, character: 3 } }
      : { start: { line, character: 0 }, end: { line, character: 0 } };
    const text = inPreamble ? ' ' : '\t// edited\n';
    start = performance.now();
    server.change(uri, ++version, range, text);
    await server.pull(uri);
    (inPreamble ? preamble : body).push(performance.now() - start);
  }
  await server.stop();
  return { openMs, body, preamble };
}

async function editLatency() {
  const big = bigFile();
  const file = path.join(tmp, 'big', 'big.go');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, big.text);
  const uri = pathToFileURL(file).href;
  const rounds = [];
  for (let round = 0; round < 3; round++) rounds.push(await editRound(big, uri));
  const freeing = bigFile(true);
  const freeingFile = path.join(tmp, 'big', 'freeing.go');
  fs.writeFileSync(freeingFile, freeing.text);
  const withFree = await editRound(freeing, pathToFileURL(freeingFile).href);
  // The same edit once with the shipped debounce, to show what a user waits in all.
  const withDebounce = new Server(defaultDebounceMs);
  await withDebounce.initialize();
  withDebounce.open(uri, big.text);
  await withDebounce.pull(uri);
  const start = performance.now();
  withDebounce.change(uri, 2, { start: { line: big.bodyStart + 10, character: 0 }, end: { line: big.bodyStart + 10, character: 0 } }, '\t// edited\n');
  await withDebounce.pull(uri);
  const debouncedMs = performance.now() - start;
  await withDebounce.stop();
  return { lines: big.lineCount, preambleLines: big.preambleLines, rounds, withFree, debouncedMs };
}

/** 60 edits to the one cgo file of a package directory that holds 500 other .go files. */
async function widePackage() {
  const dir = path.join(tmp, 'wide');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 500; i++) {
    fs.writeFileSync(path.join(dir, `f${i}.go`), `package wide\n\nimport "fmt"\n\n// F${i} formats.\nfunc F${i}(x int) string {\n\treturn fmt.Sprint(x * ${i})\n}\n`);
  }
  const text = 'package wide\n\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nimport "unsafe"\n\nfunc Twice(p unsafe.Pointer, x int) int { C.free(p); return int(C.twice(C.int(x))) }\n';
  const file = path.join(dir, 'cgo.go');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const server = new Server(0);
  await server.initialize();
  server.open(uri, text);
  await server.pull(uri);
  const times = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    server.change(uri, i + 2, { start: { line: 3, character: 3 }, end: { line: 3, character: 3 } }, ' ');
    await server.pull(uri);
    times.push(performance.now() - start);
  }
  await server.stop();
  return { files: 501, times };
}

/**
 * A package shaped like gotk3's gtk (v0.6.3: 118 files, 92 with import "C", 30,000 lines, a
 * 650-line project header of static functions that 44 preambles include, //export in 7 files,
 * one 12,000-line file with 1,283 functions, 3,157 functions in all, C.CString in one of ten):
 * here 118 files, 92 cgo, a 1,283-function file and 20 functions in each other one, C.CString
 * in one of ten, each preamble with 40 lines of its own C besides the header.
 */
function gotk3Shaped(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const header = ['#pragma once', '#include <stdint.h>', '#include <stdlib.h>', '#include <string.h>', 'extern void gotk3_callbackDelete(void *callback_id);'];
  for (let i = 0; header.length < 650; i++) header.push(`static inline int gtk_to_widget${i}(void *p) { return (int)(intptr_t)p + ${i}; }`, `typedef struct { int x${i}; double y; } GtkThing${i};`);
  fs.writeFileSync(path.join(dir, 'gtk.go.h'), `${header.join('\n')}\n`);
  const files = [];
  for (let f = 0; f < 118; f++) {
    const name = f === 0 ? 'gtk.go' : `widget${f}${f % 13 === 0 ? '_export' : ''}.go`;
    const cgo = f < 92;
    const exports = name.endsWith('_export.go');
    const lines = ['// Copyright (c) 2013-2014 Conformal Systems', '//', '// Bindings, generated for the bench.', '', 'package gtk', ''];
    if (cgo) {
      lines.push('// #cgo pkg-config: gtk+-3.0', '// #include <stdlib.h>');
      if (exports) {
        for (let i = 0; i < 40; i++) lines.push(`// extern void goCallback${f}_${i}(void *data, int n);`);
      } else {
        lines.push('// #include "gtk.go.h"');
        for (let i = 0; i < 20; i++) lines.push(`// static int file${f}_helper${i}(int x) { return x * ${i} + ${f}; }`, `// typedef struct { int a${i}; long b; } file${f}_s${i};`);
      }
      lines.push('import "C"', '', 'import "unsafe"', '');
    } else {
      lines.push('import "fmt"', '');
    }
    const functions = f === 0 ? 1283 : 20;
    for (let i = 0; i < functions; i++) {
      if (exports && i < 40) {
        lines.push(`//export goCallback${f}_${i}`, `func goCallback${f}_${i}(data unsafe.Pointer, n C.int) {`, '\t_ = data', '}', '');
      } else if (cgo && !exports && i % 10 === 0) {
        lines.push(`// Thing${i} wraps a C helper.`, `func Thing${f}_${i}(name string, x int) int {`, '\tcs := C.CString(name)', '\tdefer C.free(unsafe.Pointer(cs))', `\treturn int(C.file${f}_helper${i % 20}(C.int(x)))`, '}', '');
      } else if (cgo && !exports) {
        lines.push(`// Thing${i} wraps a C helper.`, `func Thing${f}_${i}(p unsafe.Pointer, x int) int {`, `\treturn int(C.file${f}_helper${i % 20}(C.int(x))) + int(C.gtk_to_widget${i % 300}(p))`, '}', '');
      } else {
        lines.push(`// Thing${i} formats.`, `func Thing${f}_${i}(x int) string {`, cgo ? '\t_ = unsafe.Pointer(nil)' : '\tx++', `\treturn ${cgo ? 'string(rune(x))' : 'fmt.Sprint(x)'}`, '}', '');
      }
    }
    const file = path.join(dir, name);
    const text = `${lines.join('\n')}\n`;
    fs.writeFileSync(file, text);
    files.push({ file, text, cgo, exports });
  }
  return files;
}

/** A package of 5,000 files in one directory; every tenth imports "C", the rest are plain Go. */
function fiveThousandFiles(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  for (let f = 0; f < 5000; f++) {
    const cgo = f % 10 === 0;
    const text = cgo
      ? `package huge\n\n// #include <stdlib.h>\n// static int twice${f}(int x) { return 2 * x; }\nimport "C"\n\nimport "unsafe"\n\n// Twice${f} doubles.\nfunc Twice${f}(p unsafe.Pointer, x int) int {\n\tC.free(p)\n\treturn int(C.twice${f}(C.int(x)))\n}\n`
      : `package huge\n\nimport "fmt"\n\n// F${f} formats.\nfunc F${f}(x int) string {\n\treturn fmt.Sprint(x * ${f})\n}\n`;
    const file = path.join(dir, `f${String(f).padStart(4, '0')}.go`);
    fs.writeFileSync(file, text);
    files.push({ file, text, cgo });
  }
  return files;
}

/**
 * Keystrokes in one cgo file of a big package (the others closed, read from disk): 60 edits,
 * alternating a letter typed in a Go comment and a space typed into a C line of the preamble,
 * each timed from didChange to the diagnostics of that version. Then hovers on C.free with
 * nothing else to do, and hovers sent every 5 ms while the package is checked from scratch (a
 * #cgo CFLAGS line added or changed: every file's flags change): how long they waited.
 */
async function bigPackage(files, editedIndex) {
  const { file, text } = files[editedIndex];
  const uri = pathToFileURL(file).href;
  const lines = text.split('\n');
  const cLine = lines.findIndex((l) => l.startsWith('// static') || l.startsWith('// extern'));
  const importC = lines.indexOf('import "C"');
  const goComment = lines.findIndex((l, i) => i > importC && l.startsWith('// '));
  const cgoLine = lines.findIndex((l) => l.startsWith('// #include <stdlib.h>'));
  const hoverLine = lines.findIndex((l) => l.includes('C.free(') || l.includes('C.CString('));
  // A line not found would put the edits at the file's start (line -1) and break the file.
  if ([cLine, importC, goComment, cgoLine, hoverLine].includes(-1)) throw new Error(`bench: ${file} lacks a line the edits need`);
  const server = new Server(0);
  await server.initialize();
  let start = performance.now();
  server.open(uri, text);
  await server.pull(uri);
  const openMs = performance.now() - start;
  const times = { body: [], preamble: [] };
  let version = 1;
  for (let i = 0; i < 60; i++) {
    const inPreamble = i % 2 === 1;
    const line = inPreamble ? cLine : goComment;
    const at = { line, character: 3 + Math.floor(i / 2) };
    start = performance.now();
    server.change(uri, ++version, { start: at, end: at }, inPreamble ? ' ' : 'x');
    await server.pull(uri);
    (inPreamble ? times.preamble : times.body).push(performance.now() - start);
  }
  const hoverWaits = [];
  const fullChecks = [];
  const column = lines[hoverLine].indexOf('C.') + 2;
  const hoverIdle = [];
  for (let i = 0; i < 10; i++) {
    const asked = performance.now();
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine, character: column } });
    hoverIdle.push(performance.now() - asked);
  }
  for (let round = 0; round < 3; round++) {
    // A #cgo CFLAGS line, added then changed: the package's flags change, and so every file's inputs.
    const at = { line: cgoLine, character: 0 };
    const end = round === 0 ? at : { line: cgoLine + 1, character: 0 };
    start = performance.now();
    server.change(uri, ++version, { start: at, end }, `// #cgo CFLAGS: -DBENCH_ROUND=${round}\n`);
    let checked = false;
    const pulled = server.pull(uri).then(() => (checked = true));
    while (!checked) {
      const asked = performance.now();
      await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine, character: column } });
      hoverWaits.push(performance.now() - asked);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await pulled;
    fullChecks.push(performance.now() - start);
  }
  await server.stop();
  return { files: files.length, cgoFiles: files.filter((f) => f.cgo).length, lines: files.reduce((n, f) => n + f.text.split('\n').length - 1, 0), openMs, ...times, hoverIdle, hoverWaits, fullChecks };
}

async function bigPackages() {
  const gtk = gotk3Shaped(path.join(tmp, 'gotk3', 'gtk'));
  const huge = fiveThousandFiles(path.join(tmp, 'huge'));
  return { gotk3: await bigPackage(gtk, 7), fiveThousand: await bigPackage(huge, 2500) };
}

function bigPackageRows(big) {
  const row = (name, r) => [
    [`${name}: ${r.files} files (${r.cgoFiles} cgo), ${r.lines} lines; open → diagnostics`, ms(r.openMs)],
    [`  keystroke → diagnostics, ${r.body.length + r.preamble.length} (p50 / p95)`, `${ms(median([...r.body, ...r.preamble]))} / ${ms(percentile([...r.body, ...r.preamble], 95))}`],
    ['  in the Go body / in the preamble (p95)', `${ms(percentile(r.body, 95))} / ${ms(percentile(r.preamble, 95))}`],
    [`  #cgo CFLAGS changed: every file re-checked (median of ${r.fullChecks.length})`, ms(median(r.fullChecks))],
    [`  hover on C.free, idle (p50 of ${r.hoverIdle.length}) / during those checks, ${r.hoverWaits.length} (p50 / longest)`, `${ms(median(r.hoverIdle))} / ${ms(median(r.hoverWaits))} / ${ms(Math.max(...r.hoverWaits))}`],
  ];
  return [...row('gotk3-shaped package', big.gotk3), ...row('5,000-file package', big.fiveThousand)];
}


/** A word typed letter by letter on a fresh `// ` line in the middle of a 2,000-line preamble, ten words. */
async function typing() {
  const big = bigFile();
  const lines = big.text.split('\n').slice(0, big.bodyStart + 196);
  const text = lines.join('\n') + '\n';
  const file = path.join(tmp, 'typing', 'typing.go');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const server = new Server(0);
  await server.initialize();
  server.open(uri, text);
  await server.pull(uri);
  const times = [];
  let findings = 0;
  let version = 1;
  for (let word = 0; word < 10; word++) {
    // A new preamble line, opened above a C line near the middle, then the word.
    const line = Math.floor(big.preambleLines / 2) + word * 7;
    server.change(uri, ++version, { start: { line, character: 0 }, end: { line, character: 0 } }, '// \n');
    await server.pull(uri);
    for (const [i, letter] of [...'edit'].entries()) {
      const start = performance.now();
      server.change(uri, ++version, { start: { line, character: 3 + i }, end: { line, character: 3 + i } }, letter);
      const report = await server.pull(uri);
      times.push(performance.now() - start);
      findings = Math.max(findings, report.items.length);
    }
  }
  await server.stop();
  return { preambleLines: big.preambleLines, times, maxFindings: findings };
}

async function memory() {
  const files = module(path.join(tmp, 'mem'), 2000);
  const server = new Server(0);
  await server.initialize();
  const baseline = server.rssMb();
  for (const { file, text } of files) server.open(pathToFileURL(file).href, text);
  for (const { file } of files) await server.pull(pathToFileURL(file).href);
  const afterOpen = server.rssMb();
  const liveAfterOpen = await server.liveMemory();
  const cgoFiles = files.filter((f) => f.text.includes('import "C"'));
  for (let i = 0; i < 1000; i++) {
    const { file } = cgoFiles[i % cgoFiles.length];
    const uri = pathToFileURL(file).href;
    // Type a space into the preamble, then take it out again, file after file.
    const round = Math.floor(i / cgoFiles.length);
    const range = round % 2 === 0 ? { start: { line: 3, character: 3 }, end: { line: 3, character: 3 } } : { start: { line: 3, character: 3 }, end: { line: 3, character: 4 } };
    server.change(uri, 2 + i, range, round % 2 === 0 ? ' ' : '');
    await server.pull(uri);
  }
  const afterEdits = server.rssMb();
  const liveAfterEdits = await server.liveMemory();
  // Completion after `C.` in every cgo file, until it offers what <stdlib.h> declares (the server reads it while idle).
  for (const { file, text } of cgoFiles) {
    for (;;) {
      const answer = await server.complete(pathToFileURL(file).href, text.indexOf('C.twice') + 2, text);
      if ((Array.isArray(answer) ? answer : answer.items).some((item) => item.label === 'free')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const withSystemHeaders = server.rssMb();
  const liveWithSystemHeaders = await server.liveMemory();
  await server.stop();
  return { files: files.length, baseline, afterOpen, afterEdits, liveAfterOpen, liveAfterEdits, cgoFiles: cgoFiles.length, withSystemHeaders, liveWithSystemHeaders };
}

/**
 * The first completion after `C.` in a file that includes <stdio.h> and <stdlib.h>, in fresh
 * servers: asked right after opening the file (the answer does not wait for the system headers;
 * asked again until their names come), and asked a second after its diagnostics (the server has
 * read them while idle); then the next one.
 */
async function firstCompletion(rounds = 5) {
  const dir = path.join(tmp, 'complete');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.go');
  const text = 'package app\n\n// #include <stdio.h>\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc F() {\n\tC.\n}\n';
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const onOpen = [];
  const untilSystem = [];
  const first = [];
  const second = [];
  let items = 0;
  const offset = text.indexOf('\tC.') + 3;
  for (let round = 0; round < rounds; round++) {
    let server = new Server(0);
    await server.initialize();
    const opened = performance.now();
    server.open(uri, text);
    let start = performance.now();
    await server.complete(uri, offset, text);
    onOpen.push(performance.now() - start);
    // Asked again, as at each keystroke, until the system names are offered.
    for (;;) {
      const answer = await server.complete(uri, offset, text);
      if ((Array.isArray(answer) ? answer : answer.items).some((item) => item.label === 'printf')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    untilSystem.push(performance.now() - opened);
    await server.stop();
    server = new Server(0);
    await server.initialize();
    server.open(uri, text);
    await server.pull(uri);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    start = performance.now();
    const answer = await server.complete(uri, offset, text);
    items = (Array.isArray(answer) ? answer : answer.items).length;
    first.push(performance.now() - start);
    start = performance.now();
    await server.complete(uri, offset, text);
    second.push(performance.now() - start);
    await server.stop();
  }
  return { onOpen, untilSystem, first, second, items };
}

/** 10,000 edits to one small cgo file: the server must stay up and its live memory flat. */
async function soak() {
  const file = path.join(tmp, 'soak', 'app.go');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = 'package app\n\n// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -g -O2\n// void initial_setup();\nimport "C"\n\nfunc init() {\n\tC.initial_setup()\n}\n';
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const server = new Server(0);
  await server.initialize();
  server.open(uri, text);
  await server.pull(uri);
  const rss = [];
  const live = [];
  let seconds = 0;
  for (let i = 1; i <= 10_000; i++) {
    const start = performance.now();
    // Type a character into the preamble's prose, then delete it again.
    const range = i % 2 ? { start: { line: 2, character: 8 }, end: { line: 2, character: 8 } } : { start: { line: 2, character: 8 }, end: { line: 2, character: 9 } };
    server.change(uri, i + 1, range, i % 2 ? 'x' : '');
    if (i % 10 === 0) await server.pull(uri);
    seconds += (performance.now() - start) / 1000;
    if (i % 1000 === 0) {
      rss.push(server.rssMb());
      live.push(await server.liveMemory());
    }
  }
  await server.stop();
  return { edits: 10_000, seconds, rssEvery1000: rss, liveEvery1000: live };
}

/** Median wall time of `runs` cgo-lint runs on `root`, each with `args`. */
function timeCli(root, args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cliJs, ...args, '.'], { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - start);
    if (r.status !== 0) throw new Error(`cgo-lint failed on the bench module:\n${r.stdout}${r.stderr}`);
  }
  return times;
}

function cliThroughput() {
  const root = path.join(tmp, 'cli');
  module(root, 4000);
  const plainRoot = path.join(tmp, 'cli-plain');
  module(plainRoot, 4000, false);
  const runs = { oneThread: [], twoThreads: [], noCgo: [] };
  // Interleaved, so a noisy moment hurts every variant alike.
  for (let i = 0; i < 7; i++) {
    runs.oneThread.push(...timeCli(root, ['--no-cc'], 1));
    runs.twoThreads.push(...timeCli(root, ['--no-cc', '--jobs', '2'], 1));
    runs.noCgo.push(...timeCli(plainRoot, ['--no-cc'], 1));
  }
  runs.withCompiler = timeCli(root, [], 3);
  const goVetRuns = [];
  if (spawnSync('go', ['version']).status === 0) {
    for (let i = 0; i < 3; i++) {
      // Cold: an empty build cache every time.
      const cache = path.join(tmp, `gocache${i}`);
      const env = { ...process.env, GOCACHE: cache, GOPATH: path.join(tmp, 'gopath'), GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' };
      const start = performance.now();
      const vet = spawnSync('go', ['vet', './...'], { cwd: root, env, encoding: 'utf8' });
      goVetRuns.push(performance.now() - start);
      if (vet.status !== 0) throw new Error(`go vet failed on the bench module:\n${vet.stderr}`);
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
  return { files: 4000, packages: 400, cgoPackages: 40, runs, goVetRuns };
}

/**
 * cgo-lint over the real-world gate's packages (test/realworld, built by npm test's tsc into
 * out/), against the time it takes merely to read their .go files: checking should cost about
 * as much as reading.
 */
function realWorld() {
  const gateJs = path.join(repo, 'out', 'test', 'realworld', 'gate.js');
  if (!fs.existsSync(gateJs)) return { skipped: 'out/test/realworld/gate.js not built (run npm test first)' };
  const gate = require(gateJs);
  const collected = gate.collectGate();
  if (!collected.ok) return { skipped: collected.reason.split('\n')[0] };
  const files = collected.packages.flatMap((p) => p.goFiles);
  const lintMs = [];
  const readMs = [];
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    for (const file of files) fs.readFileSync(file);
    readMs.push(performance.now() - start);
    const result = gate.lintGate(collected.packages);
    lintMs.push(result.ms);
    findings = result.findings.length;
  }
  return { files: files.length, packages: collected.packages.length, lintMs, readMs, findings };
}

/**
 * A language server (ours or gopls) started over stdio and initialized with `initialize`'s
 * params; `onDiagnostics` hears every publishDiagnostics. stop(): shutdown, exit, and its end.
 */
async function startLanguageServer(command, args, { cwd, stderr = 'inherit', initialize, onDiagnostics }) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', stderr], cwd });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onNotification('textDocument/publishDiagnostics', onDiagnostics);
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, ...initialize });
  connection.sendNotification('initialized', {});
  const stop = async () => {
    await connection.sendRequest('shutdown');
    connection.sendNotification('exit');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { connection, stop };
}

/** Edit → gcc's diagnostics on the article's app package, `edits` times, each a new preamble text. */
async function compilerLatency(debounceMs, edits = 20) {
  const root = path.join(tmp, `article-${debounceMs}`);
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'preamble-comment-bleed', 'article-note-above-cgo'), root, { recursive: true });
  const file = path.join(root, 'app', 'app.go');
  const text = fs.readFileSync(file, 'utf8');
  const line = text.split('\n').findIndex((l) => l.startsWith('// void initial_setup();'));
  const uri = pathToFileURL(file).href;
  const waiting = new Map();
  const { connection, stop } = await startLanguageServer(process.execPath, [serverJs, '--stdio'], {
    initialize: { rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { debounceMs } },
    onDiagnostics: (params) => {
      if (params.uri !== uri || !params.diagnostics.some((d) => d.source === 'cgo (gcc)')) return;
      waiting.get(params.version)?.();
    },
  });
  const compiled = (version) => new Promise((resolve) => waiting.set(version, resolve));
  let done = compiled(1);
  connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  await done;
  const times = [];
  const lineEnd = '// void initial_setup();'.length;
  for (let version = 2; version < 2 + edits; version++) {
    const start = performance.now();
    done = compiled(version);
    const range = { start: { line, character: lineEnd }, end: { line, character: lineEnd + (version === 2 ? 0 : ` /* ${version - 1} */`.length) } };
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: ` /* ${version} */` }] });
    await done;
    times.push(performance.now() - start);
  }
  await stop();
  return times;
}

/**
 * Time from opening the article's app/app.go (the NOTE trap) to the first diagnostic on it, from
 * our server (its defaults: the 200 ms debounce, gcc in the loop) and from gopls v0.23.0, each a
 * fresh process per round. Undefined when gopls is not installed.
 */
async function firstDiagnosticRace(rounds = 3) {
  const goEnv = (name) => spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout?.trim();
  const gopls = [goEnv('GOBIN'), goEnv('GOPATH') && path.join(goEnv('GOPATH').split(path.delimiter)[0], 'bin')]
    .filter(Boolean)
    .map((dir) => path.join(dir, 'gopls'))
    .find((candidate) => spawnSync(candidate, ['version'], { encoding: 'utf8' }).stdout?.includes('v0.23.0'));
  const race = async (command, args, root) => {
    const file = path.join(root, 'app', 'app.go');
    const uri = pathToFileURL(file).href;
    const rootUri = pathToFileURL(root).href;
    let opened = 0;
    let diagnosed;
    const first = new Promise((resolve) => (diagnosed = resolve));
    const { connection, stop } = await startLanguageServer(command, args, {
      cwd: root,
      stderr: 'ignore',
      initialize: {
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'article' }],
        capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      },
      onDiagnostics: (params) => {
        if (params.uri === uri && params.diagnostics.length > 0) diagnosed(performance.now() - opened);
      },
    });
    opened = performance.now();
    connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text: fs.readFileSync(file, 'utf8') } });
    const ms = await first;
    await stop();
    return ms;
  };
  const ours = [];
  const theirs = [];
  for (let round = 0; round < rounds; round++) {
    const root = path.join(tmp, `race-${round}`);
    fs.cpSync(path.join(repo, 'test', 'fixtures', 'preamble-comment-bleed', 'article-note-above-cgo'), root, { recursive: true });
    ours.push(await race(process.execPath, [serverJs, '--stdio'], root));
    if (gopls) theirs.push(await race(gopls, [], root));
  }
  return { ours, gopls: gopls ? theirs : undefined };
}

/** The bench module of cliThroughput's size as a workspace, with the article's NOTE trap in one more package. */
function noteWorkspace(root) {
  module(root, 4000);
  const dir = path.join(root, 'zz-note');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'app.go');
  const text = 'package app\n\n// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -g -O2\n// void initial_setup();\nimport "C"\n\nfunc init() {\n\tC.initial_setup()\n}\n';
  fs.writeFileSync(file, text);
  return { uri: pathToFileURL(file).href, text };
}

async function workspaceCheck() {
  const root = path.join(tmp, 'workspace');
  const note = noteWorkspace(root);
  const checkMs = [];
  const rss = [];
  for (let round = 0; round < 3; round++) {
    const server = new Server(defaultDebounceMs);
    const checked = server.workspaceChecked();
    const start = performance.now();
    await server.initialize([root]);
    await checked;
    checkMs.push(performance.now() - start);
    rss.push(server.rssMb());
    await server.stop();
  }
  // The NOTE file opened once the check has begun its tenth package, then with nothing to check.
  const duringCheck = [];
  const idle = [];
  for (let round = 0; round < 5; round++) {
    const server = new Server(defaultDebounceMs);
    const tenth = server.workspaceReport(10);
    const checked = server.workspaceChecked();
    await server.initialize([root]);
    await tenth;
    let start = performance.now();
    server.open(note.uri, note.text);
    const report = await server.pull(note.uri);
    duringCheck.push(performance.now() - start);
    if (report.items.length !== 1) throw new Error(`the NOTE file got ${report.items.length} diagnostics`);
    await checked;
    await server.stop();
    const quiet = new Server(defaultDebounceMs);
    await quiet.initialize();
    start = performance.now();
    quiet.open(note.uri, note.text);
    await quiet.pull(note.uri);
    idle.push(performance.now() - start);
    await quiet.stop();
  }
  return { files: 4001, packages: 401, cgoPackages: 41, checkMs, rss, duringCheck, idle };
}

// `npm run bench -- --big-packages`: the big-package rows alone.
if (process.argv.includes('--big-packages')) {
  const big = await bigPackages();
  fs.rmSync(tmp, { recursive: true, force: true });
  const rows = bigPackageRows(big);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  process.exit(0);
}

const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, memoryGb: Math.round(os.totalmem() / 2 ** 30) };
const edits = await editLatency();
const wide = await widePackage();
const typed = await typing();
const mem = await memory();
const completing = await firstCompletion();
const soaked = await soak();
const cli = cliThroughput();
const real = realWorld();
const big = await bigPackages();
const race = await firstDiagnosticRace();
const compiler = { debounced: await compilerLatency(defaultDebounceMs), immediate: await compilerLatency(0) };
const ws = await workspaceCheck();
fs.rmSync(tmp, { recursive: true, force: true });

/** The median over rounds of a figure computed per round. */
const acrossRounds = (figure) => median(edits.rounds.map(figure));
const p50p95 = (samples) => `${ms(acrossRounds((r) => median(samples(r))))} / ${ms(acrossRounds((r) => percentile(samples(r), 95)))}`;
const live = (m) => `${m.heapUsed.toFixed(0)} + ${m.external.toFixed(0)}`;
const oneThread = median(cli.runs.oneThread);
const goVet = cli.goVetRuns.length > 0 ? median(cli.goVetRuns) : undefined;
const rows = [
  ['machine', `${machine.cores} cores, ${machine.cpu}, node ${machine.node}`],
  ['file', `${edits.lines} lines, preamble ${edits.preambleLines} lines; medians of ${edits.rounds.length} rounds`],
  ['open → diagnostics', ms(acrossRounds((r) => r.openMs))],
  ['edit → diagnostics, all 120 (p50 / p95)', p50p95((r) => [...r.body, ...r.preamble])],
  ['edit in the Go body, 60 (p50 / p95)', p50p95((r) => r.body)],
  ['edit in the preamble, 60 (p50 / p95)', p50p95((r) => r.preamble)],
  ['all 120, C.free called in every function (one round)', `${ms(median([...edits.withFree.body, ...edits.withFree.preamble]))} / ${ms(percentile([...edits.withFree.body, ...edits.withFree.preamble], 95))}`],
  ['first edit after opening', ms(acrossRounds((r) => r.body[0]))],
  [`one edit with the ${defaultDebounceMs} ms debounce`, ms(edits.debouncedMs)],
  [`edit in a package of ${wide.files} files, 60 (p50 / p95)`, `${ms(median(wide.times))} / ${ms(percentile(wide.times, 95))}`],
  [`typing a word letter by letter into the middle of a ${typed.preambleLines}-line preamble, ${typed.times.length} keystrokes (p50 / p95)`, `${ms(median(typed.times))} / ${ms(percentile(typed.times, 95))}, at most ${typed.maxFindings} findings`],
  [`server RSS: start / ${mem.files} files open / +1,000 edits`, `${mem.baseline.toFixed(0)} / ${mem.afterOpen.toFixed(0)} / ${mem.afterEdits.toFixed(0)} MB`],
  ['  live after a full GC (JS heap + wasm): open / +1,000 edits', `${live(mem.liveAfterOpen)} / ${live(mem.liveAfterEdits)} MB`],
  [`  with system headers indexed (completion after C. in its ${mem.cgoFiles} cgo files): RSS / live`, `${mem.withSystemHeaders.toFixed(0)} MB / ${live(mem.liveWithSystemHeaders)} MB`],
  [`first completion after C. with <stdio.h> and <stdlib.h>, ${completing.items} items, 1 s after the diagnostics (median of ${completing.first.length} fresh servers) / the next one`, `${ms(median(completing.first))} / ${ms(median(completing.second))}`],
  ['  asked right after opening the file (the preamble\'s names, marked incomplete) / until the system names come', `${ms(median(completing.onOpen))} / ${ms(median(completing.untilSystem))}`],
  [`soak: ${soaked.edits} edits in ${soaked.seconds.toFixed(1)} s, RSS after 1k / 10k`, `${soaked.rssEvery1000[0].toFixed(0)} / ${soaked.rssEvery1000.at(-1).toFixed(0)} MB`],
  ['  live after a full GC, after 1k / 10k', `${live(soaked.liveEvery1000[0])} / ${live(soaked.liveEvery1000.at(-1))} MB`],
  [`cgo-lint, ${cli.files} files (median of ${cli.runs.oneThread.length})`, ms(oneThread)],
  ['  with --jobs 2 (a worker thread)', ms(median(cli.runs.twoThreads))],
  ['  the same files without cgo', ms(median(cli.runs.noCgo))],
  [`go vet ./..., cold cache (median of ${cli.goVetRuns.length})`, goVet === undefined ? 'go not found' : ms(goVet)],
  ['cgo-lint vs go vet', goVet === undefined ? '-' : `${(goVet / oneThread).toFixed(1)}× faster`],
  real.skipped
    ? ['cgo-lint on the real-world gate', `skipped: ${real.skipped}`]
    : [`cgo-lint on the real-world gate, ${real.files} files in ${real.packages} packages (median of ${real.lintMs.length})`, `${ms(median(real.lintMs))}, ${real.findings} error/warning findings; reading the files alone ${ms(median(real.readMs))} (warm)`],
  [`  cgo-lint with the C compiler (the default; median of ${cli.runs.withCompiler.length})`, ms(median(cli.runs.withCompiler))],
  ...bigPackageRows(big),
  [`edit → gcc diagnostics, article app, ${compiler.debounced.length} edits (p50 / p95)`, `${ms(median(compiler.debounced))} / ${ms(percentile(compiler.debounced, 95))}`],
  [`  without the ${defaultDebounceMs} ms debounce (p50 / p95)`, `${ms(median(compiler.immediate))} / ${ms(percentile(compiler.immediate, 95))}`],
  [`open → first diagnostic, the article's NOTE trap (median of ${race.ours.length} fresh servers)`, race.gopls
    ? `ours ${ms(median(race.ours))}, gopls v0.23.0 ${ms(median(race.gopls))}: ${(median(race.gopls) / median(race.ours)).toFixed(1)}× sooner`
    : `ours ${ms(median(race.ours))}; gopls v0.23.0 not installed`],
  [`workspace check, ${ws.files} files in ${ws.packages} packages (${ws.cgoPackages} with cgo), start → done (median of ${ws.checkMs.length})`, ms(median(ws.checkMs))],
  ['  server RSS when done', `${median(ws.rss).toFixed(0)} MB`],
  [`  a file opened during the check → its diagnostics (median of ${ws.duringCheck.length})`, `${ms(median(ws.duringCheck))}; with nothing to check ${ms(median(ws.idle))}`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
fs.mkdirSync(path.join(repo, 'bench'), { recursive: true });
fs.writeFileSync(path.join(repo, 'bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, edits, widePackage: wide, typing: typed, memory: mem, firstCompletion: completing, soak: soaked, cli, realWorld: real, bigPackages: big, compiler, firstDiagnostic: race, workspace: ws }, null, 2)}\n`);
