// C-aware navigation through the spawned bundled server: go to definition on C.name (into the
// header or the preamble), completion after `C.`, and C semantic tokens in the preamble only.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CompletionItemKind, type CompletionItem, type Location, type Position, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { completeAll, fileUri, packageDir, withServer } from '../support/lspClient';

function at(text: string, needle: string, delta = 0): Position {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `${needle} not in the text`);
  const before = text.slice(0, index + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

const header = `#ifndef API_H
#define API_H
#include <stdint.h>

typedef struct {
  char *data;
  uint64_t len;
} String;

#define API_VERSION 3
enum color { RED, GREEN };
extern int api_counter;
String api_name(void);
#endif
`;

const appGo = `package app

// #cgo CFLAGS: -I\${SRCDIR}/include
// #include "api.h"
// static int twice(int x) { return 2 * x; }
import "C"

func Use() C.String {
	_ = C.twice(2)
	return C.api_name()
}

func Complete() {
	C.
}
`;

function appPackage(): string {
  const dir = packageDir({ 'app.go': appGo });
  fs.mkdirSync(path.join(dir, 'include'));
  fs.writeFileSync(path.join(dir, 'include', 'api.h'), header);
  return dir;
}

test('go to definition on C.name: the header line for a header name, the preamble line for a preamble name', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const headerUri = fileUri(path.join(dir, 'include'), 'api.h');

    let location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'C.String', 4) });
    assert.deepEqual(location, { uri: headerUri, range: { start: { line: 7, character: 2 }, end: { line: 7, character: 8 } } });

    location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'api_name()', 2) });
    assert.deepEqual(location, { uri: headerUri, range: { start: { line: 12, character: 7 }, end: { line: 12, character: 15 } } });

    location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'twice(2', 1) });
    assert.deepEqual(location, { uri, range: { start: { line: 4, character: 14 }, end: { line: 4, character: 19 } } });

    // The #include line itself leads to the header.
    location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'api.h', 1) });
    assert.equal(location?.uri, headerUri);

    // Not C: nothing.
    location = await client.request<Location | null>('textDocument/definition', { textDocument: { uri }, position: at(appGo, 'func Use', 6) });
    assert.equal(location, null);
  });
});

test('completion after `C.` lists the names of the preamble and of the included project header', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = appPackage();
    const uri = fileUri(dir, 'app.go');
    client.open(uri, appGo);
    const items = await completeAll(client, {
      textDocument: { uri },
      position: at(appGo, '\tC.\n', 3),
      context: { triggerKind: 2, triggerCharacter: '.' },
    });
    assert.ok(items);
    const byLabel = new Map(items.map((item) => [item.label, item]));
    assert.equal(byLabel.get('twice')?.kind, CompletionItemKind.Function);
    assert.equal(byLabel.get('twice')?.detail, 'static int twice(int x);');
    assert.equal(byLabel.get('api_name')?.kind, CompletionItemKind.Function);
    assert.equal(byLabel.get('api_name')?.detail, 'String api_name(void);');
    assert.equal(byLabel.get('String')?.kind, CompletionItemKind.Struct);
    assert.equal(byLabel.get('API_VERSION')?.kind, CompletionItemKind.Constant);
    assert.equal(byLabel.get('api_counter')?.kind, CompletionItemKind.Variable);
    assert.equal(byLabel.get('RED')?.kind, CompletionItemKind.EnumMember);
    assert.equal(byLabel.get('enum_color')?.kind, CompletionItemKind.Enum);
    assert.equal(byLabel.get('CString')?.kind, CompletionItemKind.Function);
    // The include guard is a macro with no value worth offering, but it is a name cgo knows.
    assert.ok(byLabel.has('API_H'));

    // Not after `C.`: nothing.
    const none = await client.request<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position: at(appGo, 'func Use', 4) });
    assert.equal(none, null);
  });
});

interface DecodedToken {
  line: number;
  character: number;
  text: string;
  type: string;
}

function decode(tokens: SemanticTokens, legend: SemanticTokensLegend, text: string): DecodedToken[] {
  const lines = text.split('\n');
  const result: DecodedToken[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [deltaLine, deltaStart, length, type] = tokens.data.slice(i, i + 4);
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    result.push({ line, character, text: lines[line].slice(character, character + length), type: legend.tokenTypes[type] });
  }
  return result;
}

test('semantic tokens: C colouring in the real preamble (split at comment markers, UTF-16 columns), none in a detached comment', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const legend = (client.initializeResult?.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend } | undefined)?.legend;
    assert.ok(legend, 'no semantic tokens legend');
    const real = `package app

// #cgo CFLAGS: -DX=1
// #include <stdint.h>
// static const char *greeting = "😀"; static int after;
// /* a C comment
//    on two lines */
// static int twice(int x) { return 2 * x; }
import "C"
`;
    const detached = `package app

// #include <stdint.h>
// static int twice(int x) { return 2 * x; }

import "C"
`;
    // A detached comment above the real preamble: only the real one is C.
    const both = `package app

// int detached_decl(void);

// int real_decl(void);
import "C"
`;
    const dir = packageDir({ 'real.go': real, 'detached.go': detached, 'both.go': both });
    const realUri = fileUri(dir, 'real.go');
    const detachedUri = fileUri(dir, 'detached.go');
    client.open(realUri, real);
    client.open(detachedUri, detached);

    const tokens = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: realUri } }), legend, real);
    const has = (text: string, type: string, line?: number): boolean => tokens.some((t) => t.text === text && t.type === type && (line === undefined || t.line === line));
    assert.ok(has('#cgo', 'keyword', 2) && has('CFLAGS', 'property', 2) && has('-DX=1', 'string', 2), JSON.stringify(tokens));
    assert.ok(has('#include', 'keyword', 3) && has('<stdint.h>', 'string', 3));
    assert.ok(has('static', 'keyword', 4) && has('char', 'type', 4) && has('"😀"', 'string', 4));
    // After a character outside the BMP: columns count UTF-16 code units.
    const after = tokens.find((t) => t.text === 'after');
    assert.deepEqual(after && [after.line, after.character, after.type], [4, real.split('\n')[4].indexOf('after'), 'variable']);
    // A C comment over two lines of the Go comment: one token per line, never over `//`.
    assert.deepEqual(
      tokens.filter((t) => t.type === 'comment').map((t) => [t.line, t.text]),
      [
        [5, '/* a C comment'],
        [6, '    on two lines */'],
      ],
    );
    assert.ok(has('twice', 'function', 7) && has('x', 'parameter', 7) && has('return', 'keyword', 7) && has('2', 'number', 7));
    assert.ok(tokens.every((t) => t.line >= 2 && t.line <= 7), 'a token outside the preamble');
    assert.ok(tokens.every((t) => !t.text.includes('//')), 'a token covers a comment marker');

    // Nothing at all (null), so another server's tokens for the Go code are not displaced.
    const none = await client.request<SemanticTokens | null>('textDocument/semanticTokens/full', { textDocument: { uri: detachedUri } });
    assert.equal(none, null);

    const bothUri = fileUri(dir, 'both.go');
    client.open(bothUri, both);
    const bothTokens = decode(await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: bothUri } }), legend, both);
    assert.deepEqual([...new Set(bothTokens.map((t) => t.line))], [4]);
    assert.ok(bothTokens.some((t) => t.text === 'real_decl' && t.type === 'function'));
  });
});
