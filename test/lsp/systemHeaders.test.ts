// Names from system headers through the spawned bundled server: hover, completion after `C.`
// and go to definition for C.free (<stdlib.h>), C.printf (<stdio.h>) and C.sqlite3_errmsg
// (<sqlite3.h>, libsqlite3-dev, which .ci/run installs), read from the machine's headers
// without starting any process (the test runs with no compiler).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, Hover, Location, MarkupContent, Position } from 'vscode-languageserver';
import { completeAll, fileUri, packageDir, withServer, type LspClient } from '../support/lspClient';

const skip = process.platform !== 'linux' || !fs.existsSync('/usr/include/stdlib.h') ? 'needs glibc headers in /usr/include' : false;
const sqlite = '/usr/include/sqlite3.h';
const skipSqlite = skip || (!fs.existsSync(sqlite) ? 'needs libsqlite3-dev' : false);

function at(text: string, needle: string, delta = 0): Position {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} not in the text`);
  const before = text.slice(0, index + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Where a declaration is in an installed header: 0-based line and the name's column. */
function declarationIn(file: string, pattern: RegExp, name: string): { line: number; character: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => pattern.test(l));
  assert.ok(line >= 0, `${pattern} not in ${file}`);
  return { line, character: lines[line].indexOf(name) };
}

const appGo = `package app

// #include <stdio.h>
// #include <stdlib.h>
// #include <sqlite3.h>
// static int twice(int x) { return 2 * x; }
import "C"

import "unsafe"

func Use(p *C.char) {
	C.printf(p)
	C.free(unsafe.Pointer(p))
	_ = C.sqlite3_errmsg(nil)
	_ = C.twice(2)
}

func Complete() {
	C.
}
`;

async function hoverText(client: LspClient, uri: string, position: Position): Promise<string> {
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  assert.ok(hover, `no hover at ${JSON.stringify(position)}`);
  return (hover.contents as MarkupContent).value;
}

test('hover on C.free, C.printf and C.sqlite3_errmsg: the declaration, the system header and the Go signature', { timeout: 30_000, skip: skipSqlite }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': appGo });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);

    const free = await hoverText(client, uri, at(appGo, 'C.free', 3));
    const freeAt = declarationIn('/usr/include/stdlib.h', /^extern void free \(/, 'free');
    assert.match(free, /^\*\*C\.free\*\* — C function · system header \[\/usr\/include\/stdlib\.h:(\d+)\]\(file:\/\/\/usr\/include\/stdlib\.h#L\1\)/);
    assert.equal(Number(/stdlib\.h:(\d+)/.exec(free)?.[1]), freeAt.line + 1);
    assert.match(free, /extern void free \(void \*__ptr\)/);
    assert.match(free, /func C\.free\(__ptr unsafe\.Pointer\)/);

    const printf = await hoverText(client, uri, at(appGo, 'C.printf', 3));
    assert.match(printf, /^\*\*C\.printf\*\* — C function · system header \[\/usr\/include\/stdio\.h:\d+\]/);
    assert.match(printf, /extern int printf \(const char \*__restrict __format, \.\.\.\);/);

    const errmsg = await hoverText(client, uri, at(appGo, 'C.sqlite3_errmsg', 3));
    assert.match(errmsg, /^\*\*C\.sqlite3_errmsg\*\* — C function · system header \[\/usr\/include\/sqlite3\.h:\d+\]/);
    assert.match(errmsg, /const char \*sqlite3_errmsg\(sqlite3\*\);/);

    // The #include line names the header it finds.
    const include = await hoverText(client, uri, at(appGo, 'stdio.h', 1));
    assert.match(include, /A system header: `\/usr\/include\/stdio\.h`/);
  });
});

test('completion after `C.`: the preamble\'s names first, then free, malloc, printf, FILE and sqlite3_errmsg from the system headers', { timeout: 30_000, skip: skipSqlite }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': appGo });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const position = at(appGo, '\tC.\n', 3);
    // Asked at once, the answer does not wait for the system headers: the preamble's names, marked incomplete.
    const first = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    if (first && !Array.isArray(first)) {
      assert.equal(first.isIncomplete, true);
      assert.ok(first.items.some((item) => item.label === 'twice'));
    }
    // Asked again (the next keystroke), once the server has read them.
    const items = await completeAll(client, { textDocument: { uri }, position, context: { triggerKind: 3 } });
    assert.ok(items);
    const byLabel = new Map(items.map((item) => [item.label, item]));
    for (const name of ['free', 'malloc', 'printf', 'FILE', 'EOF', 'stdout', 'sqlite3_errmsg', 'sqlite3_open']) assert.ok(byLabel.has(name), `${name} not offered`);
    assert.equal(byLabel.get('free')?.detail, 'extern void free (void *__ptr) __THROW;');
    assert.match(String((byLabel.get('sqlite3_errmsg')?.documentation as MarkupContent).value), /From `\/usr\/include\/sqlite3\.h`/);
    // Ranked: what the preamble declares sorts before any system name; reserved names are not offered.
    const rank = (label: string): string => byLabel.get(label)?.sortText ?? '';
    assert.ok(rank('twice') < rank('free') && rank('CString') < rank('free'), `${rank('twice')} ${rank('CString')} ${rank('free')}`);
    assert.deepEqual(items.filter((item) => item.sortText === rank('free').slice(0, 1) + item.label && /^_[A-Z_]/.test(item.label)).map((item) => item.label), []);
  });
});

test('go to definition on C.free and on #include <stdio.h>: into the system header', { timeout: 30_000, skip }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': appGo });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const freeAt = declarationIn('/usr/include/stdlib.h', /^extern void free \(/, 'free');
    let location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'C.free', 3) });
    assert.deepEqual(location, { uri: pathToFileURL('/usr/include/stdlib.h').href, range: { start: freeAt, end: { line: freeAt.line, character: freeAt.character + 4 } } });
    location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'stdio.h', 1) });
    assert.equal(location?.uri, pathToFileURL('/usr/include/stdio.h').href);
  });
});

test('a name no included header declares: the hover says so, and nothing is defined', { timeout: 30_000, skip }, async () => {
  const source = 'package app\n\n// #include <stdio.h>\nimport "C"\n\nfunc F() { C.free(nil) }\n';
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({ 'app.go': source });
    const uri = fileUri(dir, 'app.go');
    client.open(uri, source);
    const text = await hoverText(client, uri, at(source, 'C.free', 3));
    assert.match(text, /not declared in this file's preamble/);
    assert.match(text, /Nor do the system headers it includes declare it/);
    const location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(source, 'C.free', 3) });
    assert.equal(location, null);
  });
});
