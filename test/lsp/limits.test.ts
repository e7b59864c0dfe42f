// Input the server must survive and explain: a document over 5 MiB and a binary one are not
// checked, the user is told once per file, and the server keeps answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileUri, packageDir, withServer } from '../support/lspClient';

test('a huge or binary document is skipped with one information message, and the server goes on', async () => {
  await withServer({ pull: true }, async (client) => {
    const dir = packageDir({});
    const huge = `package p\n\n// NOTE: prose.\nimport "C"\n${'// filler line for a very large file\n'.repeat(150_000)}`;
    assert.ok(huge.length > 5 * 1024 * 1024);
    const hugeUri = fileUri(dir, 'huge.go');
    client.open(hugeUri, huge);
    assert.deepEqual(await client.pull(hugeUri), []);
    const binaryUri = fileUri(dir, 'blob.go');
    client.open(binaryUri, 'package p\u0000\u0001\u0002');
    assert.deepEqual(await client.pull(binaryUri), []);
    const messages = client.received.filter((r) => r.method === 'window/showMessage').map((r) => r.params as { type: number; message: string });
    assert.deepEqual(messages.map((m) => m.type), [3, 3]);
    assert.match(messages[0].message, /huge\.go is larger than 5 MiB; it is not checked/);
    assert.match(messages[1].message, /blob\.go is binary/);
    // Reopening does not say it again; a normal file is still checked.
    client.close(hugeUri);
    client.open(hugeUri, huge, 2);
    const okUri = fileUri(dir, 'ok.go');
    client.open(okUri, 'package p\n\n// NOTE: Do not use -Wall.\n// #cgo CFLAGS: -O2\nimport "C"\n');
    const [diagnostic] = await client.pull(okUri);
    assert.equal(diagnostic.code, 'preamble-comment-bleed');
    assert.equal(client.received.filter((r) => r.method === 'window/showMessage').length, 2);
  });
});
