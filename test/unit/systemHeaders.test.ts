// System headers: where they are (the compiler's search list, else the standard directories
// found by looking), and what they declare, read through the include reader on their own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { hostTarget } from '../../server/src/cgo/constraints';
import type { ReadText } from '../../server/src/cgo/cpp';
import { PredefinedMacros } from '../../server/src/cgo/predefined';
import { parseSearchList, standardIncludeDirs } from '../../server/src/cgo/sysdirs';
import { SystemHeaders } from '../../server/src/cgo/systemHeaders';
import { testEngine } from '../support/engine';

test('the search list of `gcc -E -v` and `clang -E -v`, in order, without macOS framework directories', () => {
  const gcc = [
    'ignoring nonexistent directory "/usr/local/include/x86_64-linux-gnu"',
    '#include "..." search starts here:',
    '#include <...> search starts here:',
    ' /usr/lib/gcc/x86_64-linux-gnu/12/include',
    ' /usr/local/include',
    ' /usr/include/x86_64-linux-gnu',
    ' /usr/include',
    'End of search list.',
    'COLLECT_GCC_OPTIONS=...',
  ].join('\n');
  assert.deepEqual(parseSearchList(gcc), ['/usr/lib/gcc/x86_64-linux-gnu/12/include', '/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include']);
  const clang = [
    '#include <...> search starts here:',
    ' /opt/sdk/usr/include',
    ' /Library/Developer/CommandLineTools/usr/lib/clang/15/include',
    ' /System/Library/Frameworks (framework directory)',
    'End of search list.',
  ].join('\n');
  assert.deepEqual(parseSearchList(clang), ['/opt/sdk/usr/include', '/Library/Developer/CommandLineTools/usr/lib/clang/15/include']);
  assert.deepEqual(parseSearchList('gcc: error: unrecognized command-line option\n'), []);
});

const host = hostTarget(26);
const onLinuxAmd64 = host.goos === 'linux' && host.goarch === 'amd64' ? false : 'the multiarch directory checked is linux/amd64\'s';

test('the standard directories, found by looking: gcc\'s newest include directory, /usr/local/include, the multiarch one, /usr/include', { skip: onLinuxAmd64 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-sysroot-'));
  try {
    for (const dir of ['usr/lib/gcc/x86_64-linux-gnu/9/include', 'usr/lib/gcc/x86_64-linux-gnu/12/include', 'usr/lib/gcc/x86_64-linux-gnu/13', 'usr/include/x86_64-linux-gnu']) fs.mkdirSync(path.join(root, dir), { recursive: true });
    // 13 has no include directory; /usr/local/include does not exist.
    assert.deepEqual(standardIncludeDirs(host, root), [path.join(root, 'usr/lib/gcc/x86_64-linux-gnu/12/include'), path.join(root, 'usr/include/x86_64-linux-gnu'), path.join(root, 'usr/include')]);
    // Another target's headers are not on this machine.
    assert.deepEqual(standardIncludeDirs({ goos: 'windows', goarch: 'amd64' }, root), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** In-memory system directories: `dir/name` → text; records what was asked. */
function memory(files: Record<string, string>): ReadText & { asked: string[] } {
  const asked: string[] = [];
  const read = ((file: string) => {
    asked.push(file);
    return files[file];
  }) as ReadText & { asked: string[] };
  read.asked = asked;
  return read;
}

const sysFiles = {
  // gcc's own directory wraps the C library's header, as gcc's stdint.h does.
  '/sys/gcc/wrap.h': '#ifndef WRAP_H\n#define WRAP_H\n#include_next <wrap.h>\n#endif\n',
  '/sys/usr/wrap.h': '#include <bits/lib.h>\nextern void abort (void);\n#ifdef __USE_GNU\nextern int gnu_only (int);\n#endif\n#if __has_builtin(__builtin_x) || defined __NEVER_DEFINED\nextern int first_branch;\n#else\nextern int other_branch;\n#endif\n',
  '/sys/usr/bits/lib.h': '#ifdef _GNU_SOURCE\n# define __USE_GNU 1\n#endif\ntypedef struct { int fd; } FILE;\n#define EOF (-1)\n',
};

test('a system header read on its own: #include_next, the package\'s and the preamble\'s reserved macros, one reading', async () => {
  const engine = await testEngine();
  const read = memory(sysFiles);
  const headers = new SystemHeaders(new PredefinedMacros(), read);
  headers.useCompilerSearchList(['/sys/gcc', '/sys/usr']);
  const project = { dirs: ['/pkg'], flags: [], target: host };
  // Asked only for what was read before (completion never waits): nothing yet, and nothing is read.
  assert.equal(headers.scopeOf(['wrap.h'], headers.configFor(project, '/pkg', undefined), engine.cParser, true), undefined);
  assert.deepEqual(read.asked, []);
  const plain = headers.scopeOf(['wrap.h'], headers.configFor(project, '/pkg', undefined), engine.cParser);
  assert.equal(headers.scopeOf(['wrap.h'], headers.configFor(project, '/pkg', undefined), engine.cParser, true), plain);
  assert.deepEqual([...plain.names.keys()].filter((n) => !/^_|WRAP_H/.test(n)).sort(), ['EOF', 'FILE', 'abort', 'first_branch']);
  assert.equal(plain.names.get('abort')?.location.file, '/sys/usr/wrap.h');
  assert.equal(plain.names.get('abort')?.text, 'extern void abort (void);');
  // -D_GNU_SOURCE in the package's flags, or `#define _GNU_SOURCE` in the preamble: gnu_only is declared.
  const withFlag = headers.scopeOf(['wrap.h'], headers.configFor({ ...project, flags: ['-D_GNU_SOURCE'] }, '/pkg', undefined), engine.cParser);
  assert.ok(withFlag.names.has('gnu_only'));
  const macros = new Map([['_GNU_SOURCE', { name: '_GNU_SOURCE', params: undefined, variadic: false, body: '', file: '/pkg/a.go', start: 0, origin: 'source' as const }]]);
  const withDefine = headers.scopeOf(['wrap.h'], headers.configFor(project, '/pkg', macros), engine.cParser);
  assert.ok(withDefine.names.has('gnu_only'));
  // Read once per header and configuration, for every file that includes it.
  const asked = read.asked.length;
  assert.equal(headers.scopeOf(['wrap.h'], headers.configFor(project, '/pkg', undefined), engine.cParser), plain);
  assert.equal(read.asked.length, asked);
  // A header in no directory adds nothing.
  assert.equal(headers.scopeOf(['missing.h'], headers.configFor(project, '/pkg', undefined), engine.cParser).names.size, 0);
});

test('-isystem and -idirafter of the package go before and after the search list; -nostdinc drops it', () => {
  const headers = new SystemHeaders(new PredefinedMacros(), memory({}));
  headers.useCompilerSearchList(['/sys/usr']);
  assert.deepEqual(headers.searchList(host, ['-isystem', 'vendor/inc', '-idirafter/late', '-O2'], '/pkg'), ['/pkg/vendor/inc', '/sys/usr', '/late']);
  assert.deepEqual(headers.searchList(host, ['-nostdinc', '-isystem/only'], '/pkg'), ['/only']);
});

test('a system header that never ends when read (a FIFO) is not read', { skip: process.platform === 'win32' ? 'no FIFOs' : false }, async () => {
  const engine = await testEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-sysfifo-'));
  try {
    fs.writeFileSync(path.join(dir, 'ok.h'), '#include <fifo.h>\nextern int fine;\n');
    const made = spawnSync('mkfifo', [path.join(dir, 'fifo.h')]);
    if (made.status !== 0) return;
    const headers = new SystemHeaders(new PredefinedMacros());
    headers.useCompilerSearchList([dir]);
    const scope = headers.scopeOf(['ok.h', 'fifo.h'], headers.configFor({ dirs: [], flags: [], target: host }, dir, undefined), engine.cParser);
    assert.deepEqual([...scope.names.keys()], ['fine']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
