// disallowed-cgo-flag on small packages: where it reports, with which message, and what it
// leaves alone (inactive lines, test files, flags fixed up by go/build).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/src/cgo/findings';
import type { Getenv } from '../../server/src/cgo/goGetenv';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';
import { testEngine } from '../support/engine';

const dir = '/virtual/p';
// Go 1.26.8, the oracle's current Go; cases for other releases name theirs.
const target = resolveTarget('linux', 'amd64', {}, 26);

async function check(files: Record<string, string>, environment: Record<string, string> = {}, goMinor = 26): Promise<Finding[]> {
  // Neither this process's CGO_*_ALLOW nor the developer's `go env -w` file may leak in.
  const getenv: Getenv = (key) => environment[key] ?? '';
  const forRelease = goMinor === 26 ? target : resolveTarget('linux', 'amd64', {}, goMinor);
  const engine = await testEngine();
  const findings = engine.checkPackage(
    dir,
    Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text })),
    { target: forRelease, getenv },
  );
  return findings.filter((f) => f.rule === 'disallowed-cgo-flag');
}

/** `file:line:text-of-range` of each finding. */
function where(findings: Finding[], files: Record<string, string>): string[] {
  return findings.map((f) => {
    const name = f.file.slice(dir.length + 1);
    const text = files[name];
    return `${name}:${new LineIndex(text).lineOf(f.start) + 1}:${text.slice(f.start, f.end)}`;
  });
}

/** The go command's message quoted in ours. */
function tool(f: Finding): string {
  return /^go build fails: "(.*?)"\. /.exec(f.message)?.[1] ?? f.message;
}

const pkg = (preamble: string, extra = ''): string => `package p\n\n${preamble}\nimport "C"\n${extra}`;

test('a refused flag: range, the go command\'s message, and what to do', async () => {
  const files = { 'a.go': pkg('// #cgo CFLAGS: -O2 -fplugin=./lint.so -g') };
  const findings = await check(files);
  assert.deepEqual(where(findings, files), ['a.go:3:-fplugin=./lint.so']);
  const [f] = findings;
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.fixes, []);
  assert.equal(
    f.message,
    'go build fails: "invalid flag in #cgo CFLAGS: -fplugin=./lint.so (see https://go.dev/s/invalidflag)". The go command takes only allowlisted flags from #cgo lines' +
      ". If the flag is needed, set CGO_CFLAGS_ALLOW='-fplugin=\\./lint\\.so' (a Go regexp that " +
      'must match the whole flag) where go runs, or pass the flag in the CGO_CFLAGS environment variable instead, which is not checked.',
  );
});

test('each verb with its list: compiler flags for CPPFLAGS/CFLAGS/CXXFLAGS/FFLAGS, linker flags for LDFLAGS', async () => {
  const files = {
    'a.go': pkg(
      [
        '// #cgo CPPFLAGS: -DX=1 -fplugin=a.so',
        '// #cgo CFLAGS: -O2 -lm',
        '// #cgo CXXFLAGS: -std=c++17 -fno-rtti -Wl,-z,now',
        '// #cgo FFLAGS: -ffixed-form',
        '// #cgo LDFLAGS: -lm -Wall -Wl,-z,relro -Wl,-z,now libfoo.a ./x.o ../y.o',
      ].join('\n'),
    ),
  };
  const findings = await check(files);
  assert.deepEqual(where(findings, files), [
    'a.go:3:-fplugin=a.so',
    'a.go:4:-lm',
    'a.go:5:-Wl,-z,now',
    'a.go:6:-ffixed-form',
    'a.go:7:-Wall',
    'a.go:7:../y.o',
  ]);
  assert.deepEqual(findings.map(tool), [
    'invalid flag in #cgo CPPFLAGS: -fplugin=a.so (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -lm (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CXXFLAGS: -Wl,-z,now (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo FFLAGS: -ffixed-form (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo LDFLAGS: -Wall (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo LDFLAGS: ../y.o (see https://go.dev/s/invalidflag)',
  ]);
});

test('common flags pass', async () => {
  const files = {
    'a.go': pkg(
      [
        '// #cgo CFLAGS: -O2 -g -Wall -Werror -I${SRCDIR}/include -I include -DNAME=1 -D NAME2 -std=c99 -pthread -fPIC',
        '// #cgo LDFLAGS: -lm -L/usr/lib -L lib -pthread -Wl,-rpath,/opt/lib -Wl,-rpath -Wl,/opt/lib64 -Wl,--wrap=f',
        '// #cgo LDFLAGS: -Wl,--as-needed -Wl,-z,relro -Wl,-Bstatic -lfoo -Wl,-Bdynamic -static-libgcc libbar.a ${SRCDIR}/libbaz.so',
        '// #cgo pkg-config: --static zlib gtk+-3.0',
      ].join('\n'),
    ),
  };
  assert.deepEqual(await check(files), []);
});

test('arguments after ${SRCDIR} expansion and go/build\'s absolute -I/-L paths', async () => {
  // "${SRCDIR}/x.so" as written starts with '$'; expanded it is /virtual/p/x.so, a linker input.
  // "-I-dir" and "-L @lib" are refused as written; go/build makes them -I/virtual/p/-dir and /virtual/p/@lib.
  const files = { 'a.go': pkg('// #cgo CFLAGS: -I-dir -I @inc\n// #cgo LDFLAGS: ${SRCDIR}/x.so -L @lib -L-lib') };
  assert.deepEqual(await check(files), []);
  // -F is not made absolute.
  const refused = { 'a.go': pkg('// #cgo CFLAGS: -F-dir') };
  assert.deepEqual(where(await check(refused), refused), ['a.go:3:-F-dir']);
});

test('a flag that takes the next argument: on the same line, on the next line, in the next file', async () => {
  // (-I -foo would pass: go/build makes the path after -I absolute.)
  const sameLine = { 'a.go': pkg('// #cgo CFLAGS: -D -foo -include "@x" -I -foo') };
  const found = await check(sameLine);
  assert.deepEqual(where(found, sameLine), ['a.go:3:-D', 'a.go:3:-foo', 'a.go:3:-include', 'a.go:3:"@x"']);
  assert.deepEqual(found.map(tool), [
    'invalid flag in #cgo CFLAGS: -D -foo (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -foo (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -include @x (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: @x (see https://go.dev/s/invalidflag)',
  ]);
  assert.match(found[0].message, /-D takes the next argument, and the go command refuses one that does not start with a letter/);

  const nextLine = { 'a.go': pkg('// #cgo CFLAGS: -D\n// #cgo CFLAGS: FOO') };
  assert.deepEqual(await check(nextLine), []);

  // go/build reads the files in name order: a.go's -D takes b.go's FOO …
  assert.deepEqual(await check({ 'a.go': pkg('// #cgo CFLAGS: -D'), 'b.go': pkg('// #cgo CFLAGS: FOO') }), []);
  // … and b.go's trailing -D has nothing after it.
  const trailing = { 'a.go': pkg('// #cgo CFLAGS: -O2'), 'b.go': pkg('// #cgo CFLAGS: -D') };
  const t = await check(trailing);
  assert.deepEqual(where(t, trailing), ['b.go:3:-D']);
  assert.equal(tool(t[0]), 'invalid flag in #cgo CFLAGS: -D without argument (see https://go.dev/s/invalidflag)');
});

test('only the #cgo lines the go command uses', async () => {
  const files = {
    'a.go': pkg('// #cgo windows CFLAGS: -fplugin=a.so\n// #cgo linux,amd64 CFLAGS: -fplugin=b.so'),
    'b_test.go': pkg('// #cgo CFLAGS: -fplugin=test.so'),
    'c.go': '//go:build ignore\n\n' + pkg('// #cgo CFLAGS: -fplugin=ignored.so'),
    'd_windows.go': pkg('// #cgo CFLAGS: -fplugin=win.so'),
    // go/build stops reading a comment at its first bad #cgo line.
    'e.go': pkg('// #cgo CFLAG: -x\n// #cgo CFLAGS: -fplugin=after-bad-line.so'),
  };
  assert.deepEqual(where(await check(files), files), ['a.go:4:-fplugin=b.so']);
});

test('ranges in the file: block comments, quotes, tabs, non-ASCII, CRLF', async () => {
  const files = {
    'a.go': 'package p\r\n\r\n/*\r\n#cgo\tCFLAGS: -DX="é" \'-fplugin=é.so\'\r\n*/\r\nimport "C"\r\n',
  };
  assert.deepEqual(where(await check(files), files), ["a.go:4:'-fplugin=é.so'"]);
});

test('pkg-config package names', async () => {
  const files = { 'a.go': pkg('// #cgo pkg-config: --static zlib -lz @pc -- --cflags-only-I') };
  const found = await check(files);
  assert.deepEqual(where(found, files), ['a.go:3:-lz', 'a.go:3:@pc']);
  assert.equal(tool(found[0]), 'invalid pkg-config package name: -lz');
  assert.match(found[0].message, /Put compiler flags in #cgo CFLAGS and linker flags in #cgo LDFLAGS\.$/);
  assert.doesNotMatch(found[1].message, /Put compiler flags/);
});

test('CGO_<VERB>_ALLOW and CGO_<VERB>_DISALLOW from the environment', async () => {
  const files = { 'a.go': pkg('// #cgo CFLAGS: -fplugin=a.so -O2\n// #cgo LDFLAGS: -Wl,--whole-archive -lm') };
  assert.equal((await check(files)).length, 2);
  assert.deepEqual(await check(files, { CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_LDFLAGS_ALLOW: '-Wl,--(no-)?whole-archive' }), []);
  // Whole-argument FindString: the leftmost-first match "-Wl" does not cover "-Wl,--whole-archive".
  assert.deepEqual(where(await check(files, { CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_LDFLAGS_ALLOW: '-Wl|-Wl,--whole-archive' }), files), ['a.go:4:-Wl,--whole-archive']);
  const disallowed = await check(files, { CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_CFLAGS_DISALLOW: '-O[0-9]', CGO_LDFLAGS_ALLOW: '.*' });
  assert.deepEqual(where(disallowed, files), ['a.go:3:-O2']);
  assert.equal(disallowed[0].message, 'go build fails: "invalid flag in #cgo CFLAGS: -O2 (see https://go.dev/s/invalidflag)". $CGO_CFLAGS_DISALLOW in the environment matches it.');
});

test('an environment regexp Go cannot parse fails every cgo build', async () => {
  const files = { 'a.go': pkg('// #cgo LDFLAGS: -lm\n// #cgo CFLAGS: -fplugin=a.so') };
  const found = await check(files, { CGO_CFLAGS_ALLOW: '(', CGO_FFLAGS_DISALLOW: '[' });
  // On the first #cgo line of the verb, else on the "C" of the first import.
  assert.deepEqual(where(found, files), ['a.go:4:CFLAGS', 'a.go:5:"C"']);
  assert.deepEqual(found.map(tool), [
    'parsing $CGO_CFLAGS_ALLOW: error parsing regexp: missing closing ): `(`',
    'parsing $CGO_FFLAGS_DISALLOW: error parsing regexp: missing closing ]: `[`',
  ]);
  // No cgo, no check.
  assert.deepEqual(await check({ 'a.go': 'package p\n' }, { CGO_CFLAGS_ALLOW: '(' }), []);
});

test('the Go release decides: flags added after 1.19, flags refused after 1.19, and the messages', async () => {
  const files = {
    'a.go': pkg('// #cgo LDFLAGS: -lm -Wl,-z,now -Wl,--push-state,--as-needed -lz -Wl,--pop-state -Wl,-rpath,.\n// #cgo CFLAGS: -ftls-model=initial-exec -fno-canonical-system-headers'),
  };
  assert.deepEqual(where(await check(files, {}, 26), files), []);
  assert.deepEqual(where(await check(files, {}, 27), files), []);
  assert.deepEqual(where(await check(files, {}, 23), files), [
    'a.go:3:-Wl,--push-state,--as-needed',
    'a.go:3:-Wl,--pop-state',
    'a.go:3:-Wl,-rpath,.',
    'a.go:4:-ftls-model=initial-exec',
  ]);
  const old = await check(files, {}, 19);
  assert.deepEqual(where(old, files), [
    'a.go:3:-Wl,-z,now',
    'a.go:3:-Wl,--push-state,--as-needed',
    'a.go:3:-Wl,--pop-state',
    'a.go:3:-Wl,-rpath,.',
    'a.go:4:-ftls-model=initial-exec',
    'a.go:4:-fno-canonical-system-headers',
  ]);
  assert.equal(tool(old[0]), 'invalid flag in #cgo LDFLAGS: -Wl,-z,now');
  assert.match(old[0].message, /allowlisted flags from #cgo lines \(https:\/\/golang\.org\/s\/invalidflag\)\. Go 1\.23 and later allow it \(this check is for Go 1\.19\)\. If the flag/);
  assert.match(old[1].message, /Go 1\.24 and later allow it \(this check is for Go 1\.19\)/);

  // The other way round: Go 1.19.8 allows -Wl,-O with a name, Go 1.20+ only a level.
  const ofast = { 'a.go': pkg('// #cgo LDFLAGS: -lm -Wl,-Ofast') };
  assert.deepEqual(where(await check(ofast, {}, 19), ofast), []);
  const refused = await check(ofast, {}, 26);
  assert.deepEqual(where(refused, ofast), ['a.go:3:-Wl,-Ofast']);
  assert.equal(tool(refused[0]), 'invalid flag in #cgo LDFLAGS: -Wl,-Ofast (see https://go.dev/s/invalidflag)');
  // No newer release allows it: no such note.
  assert.match(refused[0].message, /allowlisted flags from #cgo lines\. If the flag is needed/);
});

test('pkg-config options: refused by Go 1.24+ only, each release with its message', async () => {
  const files = { 'a.go': pkg('// #cgo pkg-config: --static zlib --define-prefix --foo') };
  assert.deepEqual(await check(files, {}, 23), []);
  assert.deepEqual((await check(files, {}, 24)).map(tool), [
    'invalid flag in pkg-config --cflags: --define-prefix',
    'invalid flag in pkg-config --cflags: --foo',
  ]);
  assert.deepEqual(await check(files, { CGO_CFLAGS_ALLOW: '--.*' }, 24), []);
  assert.deepEqual((await check(files, {}, 25)).map(tool), ['invalid flag in pkg-config: --foo']);
  const found = await check(files, { CGO_CFLAGS_ALLOW: '--.*' }, 26);
  assert.deepEqual(where(found, files), ['a.go:3:--foo']);
  assert.equal(tool(found[0]), 'invalid flag in pkg-config: --foo (see https://go.dev/s/invalidflag)');
  assert.match(found[0].message, /cannot be allowed with an environment variable/);
});
