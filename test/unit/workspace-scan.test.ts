// Finding the workspace's cgo packages without reading whole files: a .go file's head decides
// whether it may import "C" once its imports end, however long the file; a preamble longer
// than any head still counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileMayImportC } from '../../server/src/cgo/files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-scan-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const full = path.join(dir, name);
  fs.writeFileSync(full, text);
  return full;
}

test('import "C" after a preamble longer than the read buffer is found', () => {
  const preamble = Array.from({ length: 20_000 }, (_, i) => `// static int f${i}(void) { return ${i}; }`).join('\n');
  assert.ok(preamble.length > 256 * 1024);
  assert.equal(fileMayImportC(file('long_preamble.go', `package p\n\n${preamble}\nimport "C"\n`)), true);
});

test('a long file whose imports end without "C" does not, even with "C" far below', () => {
  const body = Array.from({ length: 20_000 }, (_, i) => `func f${i}() string { return "x" }`).join('\n');
  assert.equal(fileMayImportC(file('long_plain.go', `package p\n\nimport "fmt"\n\n${body}\nvar s = "C"\n`)), false);
});

test('grouped and backquoted imports of C, binary and missing files', () => {
  assert.equal(fileMayImportC(file('grouped.go', 'package p\n\nimport (\n\t"fmt"\n\t// int x;\n\t"C"\n)\n')), true);
  assert.equal(fileMayImportC(file('backquoted.go', 'package p\n\nimport `C`\n')), true);
  assert.equal(fileMayImportC(file('binary.go', Buffer.from('package p\n\x00import "C"\n'))), false);
  assert.equal(fileMayImportC(path.join(dir, 'missing.go')), false);
});
