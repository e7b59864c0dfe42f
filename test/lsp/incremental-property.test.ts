// Property: random edits applied incrementally (the server's tree cache: tree.edit, and a
// reparse from the old tree when a rule reads the Go code) give exactly the findings of a from-scratch analysis of the final text,
// never an exception, and every range and fix edit inside its document. Edits favour what breaks
// editors: preamble text, CRLF, non-ASCII, half comments, blank lines before import "C".
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine } from '../../server/src/cgo/engine';
import type { Finding } from '../../server/src/cgo/findings';
import { defaultGrammarDir, loadGrammars } from '../../server/src/cgo/grammars';
import { readTextFromDisk } from '../../server/src/cgo/headers';
import { PackageMemo } from '../../server/src/cgo/packageMemo';
import { rules } from '../../server/src/rules';
import { resolveTarget } from '../../server/src/cgo/target';
import { OpenDocuments } from '../../server/src/documents';
import { Workspace } from '../../server/src/workspace';
import { testEngine } from '../support/engine';
import { FakeConnection } from '../support/fakeConnection';
import { articleApiH, articleAppGo, articleCfuncsGo } from '../support/goSources';

const target = resolveTarget('linux', 'amd64', {});
const dir = '/virtual/prop';

const starts = [
  articleAppGo,
  articleCfuncsGo,
  articleAppGo.replace(/\n/g, '\r\n'),
  'package p\n\n// caf\u00e9 \u{1F600}\n// #cgo LDFLAG: -lm\n/*\n * #include <stdio.h>\n */\nimport c "C"\n\nfunc f() { _ = c.int(1) }\n',
];

const snippets = [
  '',
  '\n',
  '\r\n',
  '\n\n',
  ' ',
  '\t',
  '// NOTE: x.\n',
  '// #cgo CFLAGS: -Wall\n',
  '// #cgo LDFLAG: -lm\n',
  '// #include <stdlib.h>\n',
  '/*',
  '*/',
  '"C"',
  'import "C"\n',
  'C.free(nil)\n',
  '\u00e9\u{1F600}',
  'int x = 1;',
  '}',
  '`',
];

interface Edit {
  at: number;
  length: number;
  text: string;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat(12),
  text: fc.oneof(fc.constantFrom(...snippets), fc.string({ maxLength: 6 })),
}).map(({ at, length, text }) => ({ at: Math.floor(at * 1e9), length, text }));

/** Offsets never split a surrogate pair or a CRLF: no editor produces those. */
function boundary(text: string, offset: number): number {
  let at = Math.max(0, Math.min(text.length, offset));
  const code = text.charCodeAt(at - 1);
  if (at > 0 && at < text.length && ((code >= 0xd800 && code <= 0xdbff) || (code === 13 && text.charCodeAt(at) === 10))) at--;
  return at;
}

function key(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}@${f.start}-${f.end} ${f.severity} ${f.message} ${JSON.stringify(f.fixes)}`);
}

test('incremental edits give exactly the findings of a fresh analysis', async () => {
  const engine = await testEngine();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...starts.keys()), fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }), async (startIndex, batches) => {
      const documents = new OpenDocuments(engine.parseGo.bind(engine), (message) => assert.fail(message));
      const connection = new FakeConnection();
      documents.documents.listen(connection);
      const uri = `file://${dir}/a.go`;
      const start = starts[startIndex];
      connection.open?.({ textDocument: { uri, languageId: 'go', version: 1, text: start } });
      const mirror = TextDocument.create(uri, 'go', 1, start);
      try {
        let version = 1;
        for (const batch of batches) {
          version++;
          const changes: TextDocumentContentChangeEvent[] = [];
          for (const edit of batch) {
            const text = mirror.getText();
            const a = boundary(text, edit.at % (text.length + 1));
            const b = boundary(text, a + edit.length);
            const change = { range: { start: mirror.positionAt(a), end: mirror.positionAt(Math.max(a, b)) }, text: edit.text };
            changes.push(change);
            TextDocument.update(mirror, [change], version);
          }
          connection.change?.({ textDocument: { uri, version }, contentChanges: changes });
          const document = documents.get(uri)!;
          const text = document.getText();
          assert.equal(text, mirror.getText());
          // As the server passes it: read only if a rule asks, so edits pile up on an unparsed tree.
          const incremental = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text, tree: () => documents.treeOf(document) }], { target, readText: () => undefined });
          const fresh = engine.checkPackage(dir, [{ path: `${dir}/a.go`, text }], { target, readText: () => undefined });
          assert.deepEqual(key(incremental), key(fresh));
          for (const finding of incremental) {
            assert.ok(finding.start >= 0 && finding.start <= finding.end && finding.end <= text.length, `range ${finding.start}-${finding.end} of ${text.length}`);
            for (const fix of finding.fixes) {
              for (const edit of fix.edits) {
                if (fix.newFiles?.includes(edit.file)) continue;
                assert.ok(edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length, `${fix.title}: edit ${edit.start}-${edit.end} of ${text.length}`);
              }
            }
          }
        }
      } finally {
        documents.dispose();
      }
    }),
    { numRuns: 200, seed: 20261122 },
  );
});

/**
 * A package of five files and the article's header, which two of them include: a leak whose fix
 * depends on whether the header includes <stdlib.h>, and a read of the header's union through
 * an offset, which depends on its layout. export.go calls C.free without <stdlib.h>: its finding
 * names a file that includes it, if one does (a fact of other files).
 */
const packageStart: Record<string, string> = {
  'app.go': articleAppGo,
  'cfuncs.go': articleCfuncsGo,
  'leak.go':
    'package app\n\n// #include <string.h>\n// #include "api.h"\nimport "C"\n\nimport "unsafe"\n\nfunc Name(s string) int {\n\tcs := C.CString(s)\n\treturn int(C.strlen(cs))\n}\n\n' +
    'func Tail(a *C.Animal) uint16 { return *(*uint16)(unsafe.Add(unsafe.Pointer(a), 8)) }\n',
  'export.go': 'package app\n\n// #include <stdint.h>\n// extern void goDone(int);\nimport "C"\n\nimport "unsafe"\n\n//export goDone\nfunc goDone(n C.int) {}\n\nfunc Free(p unsafe.Pointer) { C.free(p) }\n',
  'app_test.go': 'package app\n\nimport "testing"\n\nfunc TestApp(t *testing.T) {}\n',
};
const headerStart = articleApiH;

/** Edits that change what files share: flags, includes, exported names, C names. */
const packageSnippets = [
  ...snippets,
  '// #cgo CFLAGS: -DAPI=1\n',
  '// #cgo LDFLAGS: -lm\n',
  '//export goDone\n',
  '// static int helper(void) { return 1; }\n',
  '// #include "api.h"\n',
  'defer C.free(unsafe.Pointer(cs))\n',
  'import "C"\n',
  'int api_version(void) { return 1; }\n',
  '#define API 2\n',
  '#include <stdlib.h>\n',
  'union { int a; char b; } u;\n',
];

const packageEditArb = fc.record({
  file: fc.nat(5),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat(12),
  text: fc.oneof(fc.constantFrom(...packageSnippets), fc.string({ maxLength: 6 })),
  /** Stop the memo's check after this many steps, as an edit arriving mid-check does, before checking in full. */
  abandonAfter: fc.option(fc.nat(6), { nil: undefined }),
});

test('in a package, checks that keep per-file results (PackageMemo) give exactly the findings of a fresh engine', async () => {
  const engine = await testEngine();
  const grammars = await loadGrammars(defaultGrammarDir(__dirname));
  const names = Object.keys(packageStart);
  await fc.assert(
    fc.asyncProperty(fc.array(packageEditArb, { minLength: 1, maxLength: 15 }), async (edits) => {
      const fresh = new Engine(grammars, rules);
      const documents = new OpenDocuments(engine.parseGo.bind(engine), (message) => assert.fail(message));
      const connection = new FakeConnection();
      documents.documents.listen(connection);
      const uriOf = (name: string): string => `file://${dir}/${name}`;
      for (const name of names) connection.open?.({ textDocument: { uri: uriOf(name), languageId: 'go', version: 1, text: packageStart[name] } });
      let header = headerStart;
      const readText = (file: string): string | undefined => (file === `${dir}/api.h` || file === `${path.dirname(dir)}/c/api.h` ? header : undefined);
      const memo = new PackageMemo();
      const target = resolveTarget('linux', 'amd64', {});
      try {
        for (const [step, edit] of edits.entries()) {
          if (edit.file === names.length) {
            // At a line start: what the header declares changes more often than it breaks.
            const a = header.lastIndexOf('\n', Math.floor(edit.at * header.length)) + 1;
            header = header.slice(0, a) + edit.text + header.slice(boundary(header, a + edit.length));
          } else {
            const document = documents.get(uriOf(names[edit.file]))!;
            const text = document.getText();
            const a = boundary(text, Math.floor(edit.at * text.length));
            const b = boundary(text, a + edit.length);
            connection.change?.({ textDocument: { uri: document.uri, version: step + 2 }, contentChanges: [{ range: { start: document.positionAt(a), end: document.positionAt(Math.max(a, b)) }, text: edit.text }] });
          }
          const sources = names.map((name) => {
            const document = documents.get(uriOf(name))!;
            return { path: `${dir}/${name}`, text: document.getText(), tree: () => documents.treeOf(document) };
          });
          if (edit.abandonAfter !== undefined) {
            const steps = engine.checkSteps(dir, sources, { target, readText, memo });
            for (let i = 0; i < edit.abandonAfter && !steps.next().done; i++);
            steps.return([]);
          }
          const kept = engine.checkPackage(dir, sources, { target, readText, memo });
          const cold = fresh.checkPackage(dir, sources.map(({ path, text }) => ({ path, text })), { target, readText });
          assert.deepEqual(key(kept), key(cold));
        }
      } finally {
        documents.dispose();
        fresh.dispose();
      }
    }),
    { numRuns: 60, seed: 20261201 },
  );
});

/**
 * The same package read as the server reads it (Workspace.load: open buffers, closed files on
 * disk whose models and trees are kept while they are unchanged, header texts from disk), with
 * edits that open files take, that other tools write to closed files and headers (told as the
 * file watcher tells, Workspace.invalidate), and files created and deleted on disk.
 */
const diskEditArb = fc.record({
  /** 0–2: an open file; 3–4: a closed file; 5: the header; 6: a new closed file created or deleted. */
  file: fc.nat(6),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat(12),
  text: fc.oneof(fc.constantFrom(...packageSnippets), fc.string({ maxLength: 6 })),
  abandonAfter: fc.option(fc.nat(6), { nil: undefined }),
});

test('in a package loaded by the Workspace (open buffers, closed files and headers changed on disk), memo checks give exactly the findings of a fresh engine', async () => {
  const engine = await testEngine();
  const grammars = await loadGrammars(defaultGrammarDir(__dirname));
  const names = Object.keys(packageStart);
  const openNames = names.slice(0, 3);
  const closedNames = names.slice(3);
  await fc.assert(
    fc.asyncProperty(fc.array(diskEditArb, { minLength: 1, maxLength: 12 }), async (edits) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-incremental-'));
      const pkgDir = path.join(root, 'app');
      fs.mkdirSync(pkgDir);
      fs.mkdirSync(path.join(root, 'c'));
      const headers = [path.join(pkgDir, 'api.h'), path.join(root, 'c', 'api.h')];
      for (const header of headers) fs.writeFileSync(header, headerStart);
      for (const name of names) fs.writeFileSync(path.join(pkgDir, name), packageStart[name]);
      const fresh = new Engine(grammars, rules);
      const documents = new OpenDocuments(engine.parseGo.bind(engine), (message) => assert.fail(message));
      const connection = new FakeConnection();
      documents.documents.listen(connection);
      const workspace = new Workspace(documents, engine.parseGo.bind(engine), engine.parseGoInBackground.bind(engine));
      const uriOf = (name: string): string => pathToFileURL(path.join(pkgDir, name)).href;
      for (const name of openNames) connection.open?.({ textDocument: { uri: uriOf(name), languageId: 'go', version: 1, text: packageStart[name] } });
      const memo = new PackageMemo();
      const target = resolveTarget('linux', 'amd64', {});
      const edited = (text: string, edit: { at: number; length: number; text: string }): string => {
        const a = boundary(text, Math.floor(edit.at * text.length));
        return text.slice(0, a) + edit.text + text.slice(boundary(text, a + edit.length));
      };
      try {
        for (const [step, edit] of edits.entries()) {
          if (edit.file < openNames.length) {
            const document = documents.get(uriOf(openNames[edit.file]))!;
            const text = document.getText();
            const a = boundary(text, Math.floor(edit.at * text.length));
            const b = boundary(text, a + edit.length);
            connection.change?.({ textDocument: { uri: document.uri, version: step + 2 }, contentChanges: [{ range: { start: document.positionAt(a), end: document.positionAt(Math.max(a, b)) }, text: edit.text }] });
          } else if (edit.file < names.length) {
            const file = path.join(pkgDir, closedNames[edit.file - openNames.length]);
            fs.writeFileSync(file, edited(fs.readFileSync(file, 'utf8'), edit));
            workspace.invalidate(pathToFileURL(file).href);
          } else if (edit.file === names.length) {
            // At a line start: what the header declares changes more often than it breaks.
            const header = fs.readFileSync(headers[0], 'utf8');
            const a = header.lastIndexOf('\n', Math.floor(edit.at * header.length)) + 1;
            for (const file of headers) fs.writeFileSync(file, header.slice(0, a) + edit.text + header.slice(boundary(header, a + edit.length)));
          } else {
            const file = path.join(pkgDir, 'extra.go');
            if (fs.existsSync(file)) fs.rmSync(file);
            else fs.writeFileSync(file, `package app\n\n// #cgo CFLAGS: -DEXTRA=1\n// static int extra(void) { return 1; }\nimport "C"\n\n//export goDone\nfunc goDone(n C.int) {}\n${edit.text}\n`);
            workspace.invalidate(pathToFileURL(file).href);
          }
          await workspace.refresh(pkgDir);
          const loaded = workspace.load(pkgDir);
          if (edit.abandonAfter !== undefined) {
            const steps = engine.checkSteps(loaded.dir, loaded.files, { target, readText: loaded.readText, memo });
            for (let i = 0; i < edit.abandonAfter && !steps.next().done; i++);
            steps.return([]);
          }
          const kept = engine.checkPackage(loaded.dir, loaded.files, { target, readText: loaded.readText, memo });
          // From scratch: the directory as it is now, open buffers over their files.
          const onDisk = fs.readdirSync(pkgDir).filter((name) => name.endsWith('.go')).sort();
          const sources = onDisk.map((name) => ({ path: path.join(pkgDir, name), text: documents.get(uriOf(name))?.getText() ?? fs.readFileSync(path.join(pkgDir, name), 'utf8') }));
          const cold = fresh.checkPackage(pkgDir, sources, { target, readText: readTextFromDisk });
          assert.deepEqual(key(kept), key(cold));
        }
      } finally {
        workspace.dispose();
        documents.dispose();
        fresh.dispose();
        fs.rmSync(root, { recursive: true, force: true });
      }
    }),
    { numRuns: 40, seed: 20261202 },
  );
});
