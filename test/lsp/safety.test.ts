// The server side of issue 16: no read hangs or eats memory (FIFOs, procfs, devices, link
// loops, sparse headers), a prose line ending in a backslash gets a comment fix that is sound, the
// fix of a comment ending on the import line is whole, and a package whose parse was
// abandoned says so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { Engine } from '../../server/src/cgo/engine';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import { OpenDocuments } from '../../server/src/documents';
import { Analyzer } from '../../server/src/features/analysis';
import { Settings } from '../../server/src/settings';
import { Workspace } from '../../server/src/workspace';
import { FakeConnection } from '../support/fakeConnection';
import { fileUri, packageDir, repoRoot, withServer, type LspClient } from '../support/lspClient';
import { rules } from '../../server/src/rules';

const onPosix = process.platform === 'win32' ? 'FIFOs, symbolic links and /proc are POSIX' : false;

/** Applies the edits of the one document a code action changes. */
function applied(text: string, uri: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, text), edits);
}

async function quickFixEdits(client: LspClient, uri: string, diagnostic: Diagnostic): Promise<{ title: string; edits: TextEdit[] }[]> {
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
  return actions.map((action) => {
    const changes = action.edit?.documentChanges ?? [];
    const edits = changes.flatMap((change) => ('edits' in change && change.textDocument.uri === uri ? (change.edits as TextEdit[]) : []));
    return { title: action.title, edits };
  });
}

test('a comment ending on the import line: the code action breaks the line and keeps import "C"', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    for (const source of [
      'package main\n\n/* int one(void) { return 1; } */ import "C"\n\nfunc main() { println(C.one()) }\n',
      'package main\n\n/*\nstatic int one(void) { return 1; }\n*/ import "C"\n\nfunc main() { println(C.one()) }\n',
    ]) {
      const uri = fileUri(packageDir({}), 'main.go');
      client.open(uri, source);
      const diagnostics = (await client.pull(uri)).filter((d) => d.code === 'preamble-detached');
      assert.equal(diagnostics.length, 1, source);
      const [fix] = await quickFixEdits(client, uri, diagnostics[0]);
      assert.equal(fix.title, 'Start what follows the comment on the next line');
      assert.equal(applied(source, uri, fix.edits), source.replace('*/ import', '*/\nimport'));
    }
  });
});

test('a prose line ending in a backslash is offered a /* */ comment, which the engine accepts: no // that swallows the next line', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const source = 'package main\n\n// NOTE: keep in sync with the C side \\\n// static int one(void) { return 1; }\nimport "C"\n\nfunc main() { println(C.one()) }\n';
    const uri = fileUri(packageDir({}), 'main.go');
    client.open(uri, source);
    const [diagnostic] = (await client.pull(uri)).filter((d) => d.code === 'preamble-comment-bleed');
    assert.ok(diagnostic);
    const comment = (await quickFixEdits(client, uri, diagnostic)).find((fix) => fix.title === 'Turn into a C comment');
    assert.ok(comment);
    assert.equal(applied(source, uri, comment.edits), source.replace('// NOTE: keep in sync with the C side \\', '// /* NOTE: keep in sync with the C side \\ */'));
    assert.deepEqual(client.loggedErrors().filter((message) => /bug:/.test(message)), []);
  });
});

/** A package whose files and headers never end when read, beside a normal file to open. */
function hostilePackage(): { dir: string; source: string } {
  const source =
    'package p\n\n' +
    '// #include "pagemap.h"\n// #include "/proc/self/pagemap"\n// #include "zero.h"\n// #include "stdin.h"\n' +
    '// #include "fifo.h"\n// #include "loop.h"\n// #include "sparse.h"\n' +
    'import "C"\n\nfunc f() { C.free(nil) }\n';
  const dir = packageDir({ 'a.go': source });
  fs.symlinkSync('/proc/self/pagemap', path.join(dir, 'pagemap.h'));
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.h'));
  fs.symlinkSync('/dev/stdin', path.join(dir, 'stdin.h'));
  spawnSync('mkfifo', [path.join(dir, 'fifo.h')]);
  fs.symlinkSync('loop.h', path.join(dir, 'loop.h'));
  fs.closeSync(fs.openSync(path.join(dir, 'sparse.h'), 'w'));
  fs.truncateSync(path.join(dir, 'sparse.h'), 3 * 1024 ** 3);
  // The package's other .go files: a link to a FIFO, to /dev/zero, a loop, a FIFO itself.
  spawnSync('mkfifo', [path.join(dir, 'pipe')]);
  fs.symlinkSync('pipe', path.join(dir, 'fifo.go'));
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.go'));
  fs.symlinkSync('loop.go', path.join(dir, 'loop.go'));
  spawnSync('mkfifo', [path.join(dir, 'named.go')]);
  return { dir, source };
}

for (const trusted of [true, false]) {
  test(`${trusted ? 'a trusted' : 'an untrusted'} workspace: opening a file whose package and headers never end when read answers, and the server goes on`, { timeout: 30_000, skip: onPosix }, async () => {
    await withServer({ pull: true, initializationOptions: { trusted } }, async (client) => {
      const { dir, source } = hostilePackage();
      const uri = fileUri(dir, 'a.go');
      client.open(uri, source);
      // Answered at all: before, a pagemap header took the server to 16 GB and a FIFO hung it.
      assert.ok(Array.isArray(await client.pull(uri)));
      const okUri = fileUri(packageDir({}), 'ok.go');
      client.open(okUri, 'package p\n\n// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -O2\nimport "C"\n');
      assert.deepEqual((await client.pull(okUri)).map((d) => d.code), ['preamble-comment-bleed']);
    });
  });
}

test('a package whose Go parse is abandoned gets a diagnostic saying it was not checked', { timeout: 20_000 }, async () => {
  const grammars = await loadGrammars(defaultGrammarDir(__dirname));
  // No time at all to parse: every parse is abandoned, as a pathological file would be.
  const hurried = new Engine(grammars, rules, 0);
  const parseGo = hurried.parseGo.bind(hurried);
  const errors: string[] = [];
  const log = { error: (message: string) => void errors.push(message), warn: () => undefined, info: () => undefined };
  const documents = new OpenDocuments(parseGo, log.warn);
  const connection = new FakeConnection();
  documents.documents.listen(connection);
  const workspace = new Workspace(documents, parseGo, hurried.parseGoInBackground.bind(hurried));
  const published: { uri: string; diagnostics: Diagnostic[] }[] = [];
  let delivered: () => void = () => undefined;
  const analyzer = new Analyzer(
    hurried,
    documents,
    workspace,
    new Settings(rules, undefined, log.warn),
    {
      mode: 'push',
      publish: (uri, _version, diagnostics) => {
        published.push({ uri, diagnostics });
        delivered();
      },
      refresh: undefined,
      status: () => undefined,
    },
    { debounceMs: 0, ruleDocsDir: path.join(repoRoot, 'docs', 'rules'), goplsRuns: false, log, localGo: () => undefined },
  );
  try {
    // A renamed import "C": rename-import-c reads the Go tree for the uses to rewrite (long
    // enough for tree-sitter to ask whether to go on).
    const uri = fileUri(packageDir({}), 'a.go');
    const text = `package p\n\n// void f(void);\nimport c "C"\n\n${'func g() { c.f() }\n'.repeat(20_000)}`;
    const arrived = new Promise<void>((resolve) => (delivered = resolve));
    connection.open?.({ textDocument: { uri, languageId: 'go', version: 1, text } });
    analyzer.opened(uri);
    await arrived;
    const [{ diagnostics }] = published;
    assert.equal(diagnostics.length, 1);
    assert.match(String(diagnostics[0].message), /cgo checks were skipped for this package: parsing .*longer than 0 ms and was abandoned/);
    assert.deepEqual(errors, []);
  } finally {
    analyzer.dispose();
    workspace.dispose();
    hurried.dispose();
  }
});
