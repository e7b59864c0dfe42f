// Broken and binary-ish text never crashes the server nor produces diagnostics for what is
// valid; shutdown and exit end the process cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileUri, packageDir, withServer } from '../support/lspClient';

const brokenSources: Record<string, { text: string; bleedLine?: number }> = {
  'half-typed-import.go': {
    text: 'package p\n\n// #include <stdlib.h>\n// NOTE: prose here.\nimport "C"\n\nimport (\n\t"fm\n)\n\nfunc f() string { return "unterminated\n}\n',
    bleedLine: 3,
  },
  'unterminated-string.go': {
    text: 'package p\n\n// #include <stdlib.h>\n// static int twice(int x) { return 2 * x; }\nimport "C"\n\nfunc g() { s := "unterminated\n',
  },
  'half-typed-import-c.go': { text: 'package p\n\n// #include <stdlib.h>\nimport "C"\nimport "C\n' },
  'unterminated-raw-string.go': {
    text: 'package p\n\n// NOTE: prose\n// #include <stdlib.h>\nimport "C"\n\nfunc h() {\n\tx := `raw\n',
    bleedLine: 2,
  },
  'unterminated-comment.go': { text: 'package p\n\n/* #include <stdlib.h>\nimport "C"\n' },
  'empty.go': { text: '' },
};

/** Bytes that are not Go: NULs, invalid UTF-8 (decoded as U+FFFD), a lone surrogate, control characters. */
const binaryish = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, 0xc3, 0x28, 0x0a]).toString('utf8'),
  'package p\n// #include <stdlib.h>\nimport "C"\n\u0000\u0001\u0002\ud800\u001b[31m',
  '\ud83d\n\r\r\n\u2028\u2029"C"`C`import "C"\u0000',
].join('');

test('broken Go and binary-ish text: no crash, and diagnostics only where the preamble really is wrong', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({});
    for (const [name, { text, bleedLine }] of Object.entries(brokenSources)) {
      const uri = fileUri(dir, name);
      client.open(uri, text);
      const diagnostics = await client.pull(uri);
      const expected = bleedLine === undefined ? [] : [['preamble-comment-bleed', bleedLine]];
      assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), expected, `${name}: ${JSON.stringify(diagnostics)}`);
    }
    const binaryUri = fileUri(dir, 'binary.go');
    client.open(binaryUri, binaryish);
    assert.deepEqual(await client.pull(binaryUri), []);
    // Typing into the binary buffer, and replacing it with broken text, goes on working.
    client.change(binaryUri, 2, [{ range: { start: { line: 0, character: 3 }, end: { line: 2, character: 1 } }, text: '\u0000😀\r' }]);
    client.change(binaryUri, 3, [{ text: 'package p\n\n// NOTE: prose\nimport "C"\nfunc (' }]);
    assert.deepEqual((await client.pull(binaryUri)).map((d) => [d.code, d.range.start.line]), [['preamble-comment-bleed', 2]]);
    assert.deepEqual(client.loggedErrors(), []);
  });
});

test('shutdown then exit: the server exits with status 0', { timeout: 20_000 }, async () => {
  await withServer({ pull: false }, async (client) => {
    const dir = packageDir({});
    const uri = fileUri(dir, 'a.go');
    client.open(uri, 'package p\n\n// NOTE: prose\nimport "C"\n');
    await client.published(uri, 1);
    // A change still debouncing when shutdown arrives must not keep the process alive or run late.
    client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    assert.equal(await client.stop(), 0);
    assert.equal(client.stderr, '');
  });
});

test('the server exits when the client goes away without shutdown', { timeout: 20_000 }, async () => {
  await withServer({ pull: true }, async (client) => {
    assert.equal(await client.disconnect(), 1);
  });
});
