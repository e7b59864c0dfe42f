// The go command's flag checks (server/src/cgo/flags.ts) against Go 1.19.8's own tests:
// cmd/go/internal/work/security_test.go, ported table for table, plus Go's regexp semantics
// (FindString results and parse errors recorded from Go 1.19.8's regexp package); then every
// modelled release against the tables of its own security_test.go, and what changed between
// releases (server/src/cgo/flagAllowlist.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { flagAllowlist } from '../../server/src/cgo/flagAllowlist';
import { checkPkgConfigNames, FlagChecks, pkgConfigProblems, safeArg, type FlagEnv } from '../../server/src/cgo/flags';
import { goEnvFile, goGetenv, parseGoEnvFile } from '../../server/src/cgo/goGetenv';
import { findString, GoRegexpError, GoRegexps, quoteMeta } from '../../server/src/cgo/goregexp';

// What an engine owns: the checks with the patterns they compiled, and Go regexps alone.
const checks = new FlagChecks();
const regexps = new GoRegexps();
const compileGoRegexp = (expr: string): RegExp => regexps.compile(expr);
const checkCompilerFlagsOf = checks.checkCompilerFlags.bind(checks);
const checkLinkerFlagsOf = checks.checkLinkerFlags.bind(checks);
const checkCompilerFlagsForInternalLinkOf = checks.checkCompilerFlagsForInternalLink.bind(checks);
const compilerFlagProblemsOf = checks.compilerFlagProblems.bind(checks);
const linkerFlagProblemsOf = checks.linkerFlagProblems.bind(checks);
const pkgConfigOptionProblems = checks.pkgConfigOptionProblems.bind(checks);

// The tests ported from Go 1.19.8 check Go 1.19's model.
const checkCompilerFlags = (name: string, source: string, list: string[], env?: FlagEnv) => checkCompilerFlagsOf(19, name, source, list, env);
const checkLinkerFlags = (name: string, source: string, list: string[], env?: FlagEnv) => checkLinkerFlagsOf(19, name, source, list, env);
const compilerFlagProblems = (name: string, source: string, list: string[], env?: FlagEnv) => compilerFlagProblemsOf(19, name, source, list, env);
const linkerFlagProblems = (name: string, source: string, list: string[], env?: FlagEnv) => linkerFlagProblemsOf(19, name, source, list, env);
const checkCompilerFlagsForInternalLink = (name: string, source: string, list: string[]) => checkCompilerFlagsForInternalLinkOf(19, name, source, list);

// security_test.go
const goodCompilerFlags: string[][] = [
  ['-DFOO'],
  ['-Dfoo=bar'],
  ['-Ufoo'],
  ['-Ufoo1'],
  ['-F/Qt'],
  ['-F', '/Qt'],
  ['-I/'],
  ['-I/etc/passwd'],
  ['-I.'],
  ['-O'],
  ['-O2'],
  ['-Osmall'],
  ['-W'],
  ['-Wall'],
  ['-Wp,-Dfoo=bar'],
  ['-Wp,-Ufoo'],
  ['-Wp,-Dfoo1'],
  ['-Wp,-Ufoo1'],
  ['-flto'],
  ['-fobjc-arc'],
  ['-fno-objc-arc'],
  ['-fomit-frame-pointer'],
  ['-fno-omit-frame-pointer'],
  ['-fpic'],
  ['-fno-pic'],
  ['-fPIC'],
  ['-fno-PIC'],
  ['-fpie'],
  ['-fno-pie'],
  ['-fPIE'],
  ['-fno-PIE'],
  ['-fsplit-stack'],
  ['-fno-split-stack'],
  ['-fstack-xxx'],
  ['-fno-stack-xxx'],
  ['-fsanitize=hands'],
  ['-g'],
  ['-ggdb'],
  ['-march=souza'],
  ['-mcpu=123'],
  ['-mfpu=123'],
  ['-mtune=happybirthday'],
  ['-mstack-overflow'],
  ['-mno-stack-overflow'],
  ['-mmacosx-version'],
  ['-mnop-fun-dllimport'],
  ['-pthread'],
  ['-std=c99'],
  ['-xc'],
  ['-D', 'FOO'],
  ['-D', 'foo=bar'],
  ['-I', '.'],
  ['-I', '/etc/passwd'],
  ['-I', '\u4e16\u754c'],
  ['-I', '=/usr/include/libxml2'],
  ['-I', 'dir'],
  ['-I', '$SYSROOT/dir'],
  ['-isystem', '/usr/include/mozjs-68'],
  ['-include', '/usr/include/mozjs-68/RequiredDefines.h'],
  ['-framework', 'Chocolate'],
  ['-x', 'c'],
  ['-v'],
];

const badCompilerFlags: string[][] = [
  ['-D@X'],
  ['-D-X'],
  ['-Ufoo=bar'],
  ['-F@dir'],
  ['-F-dir'],
  ['-I@dir'],
  ['-I-dir'],
  ['-O@1'],
  ['-Wa,-foo'],
  ['-W@foo'],
  ['-Wp,-DX,-D@X'],
  ['-Wp,-UX,-U@X'],
  ['-g@gdb'],
  ['-g-gdb'],
  ['-march=@dawn'],
  ['-march=-dawn'],
  ['-std=@c99'],
  ['-std=-c99'],
  ['-x@c'],
  ['-x-c'],
  ['-D', '@foo'],
  ['-D', '-foo'],
  ['-I', '@foo'],
  ['-I', '-foo'],
  ['-I', '=@obj'],
  ['-include', '@foo'],
  ['-framework', '-Caffeine'],
  ['-framework', '@Home'],
  ['-x', '--c'],
  ['-x', '@obj'],
];

const goodLinkerFlags: string[][] = [
  ['-Fbar'],
  ['-lbar'],
  ['-Lbar'],
  ['-fpic'],
  ['-fno-pic'],
  ['-fPIC'],
  ['-fno-PIC'],
  ['-fpie'],
  ['-fno-pie'],
  ['-fPIE'],
  ['-fno-PIE'],
  ['-fsanitize=hands'],
  ['-g'],
  ['-ggdb'],
  ['-march=souza'],
  ['-mcpu=123'],
  ['-mfpu=123'],
  ['-mtune=happybirthday'],
  ['-pic'],
  ['-pthread'],
  ['-Wl,--hash-style=both'],
  ['-Wl,-rpath,foo'],
  ['-Wl,-rpath,$ORIGIN/foo'],
  ['-Wl,-R', '/foo'],
  ['-Wl,-R', 'foo'],
  ['-Wl,-R,foo'],
  ['-Wl,--just-symbols=foo'],
  ['-Wl,--just-symbols,foo'],
  ['-Wl,--warn-error'],
  ['-Wl,--no-warn-error'],
  ['foo.so'],
  ['_\u4e16\u754c.dll'],
  ['./x.o'],
  ['libcgosotest.dylib'],
  ['-F', 'framework'],
  ['-l', '.'],
  ['-l', '/etc/passwd'],
  ['-l', '\u4e16\u754c'],
  ['-L', 'framework'],
  ['-framework', 'Chocolate'],
  ['-v'],
  ['-Wl,-sectcreate,__TEXT,__info_plist,${SRCDIR}/Info.plist'],
  ['-Wl,-framework', '-Wl,Chocolate'],
  ['-Wl,-framework,Chocolate'],
  ['-Wl,-unresolved-symbols=ignore-all'],
  ['libcgotbdtest.tbd'],
  ['./libcgotbdtest.tbd'],
];

const badLinkerFlags: string[][] = [
  ['-DFOO'],
  ['-Dfoo=bar'],
  ['-W'],
  ['-Wall'],
  ['-fobjc-arc'],
  ['-fno-objc-arc'],
  ['-fomit-frame-pointer'],
  ['-fno-omit-frame-pointer'],
  ['-fsplit-stack'],
  ['-fno-split-stack'],
  ['-fstack-xxx'],
  ['-fno-stack-xxx'],
  ['-mstack-overflow'],
  ['-mno-stack-overflow'],
  ['-mnop-fun-dllimport'],
  ['-std=c99'],
  ['-xc'],
  ['-D', 'FOO'],
  ['-D', 'foo=bar'],
  ['-I', 'FOO'],
  ['-L', '@foo'],
  ['-L', '-foo'],
  ['-x', 'c'],
  ['-D@X'],
  ['-D-X'],
  ['-I@dir'],
  ['-I-dir'],
  ['-O@1'],
  ['-Wa,-foo'],
  ['-W@foo'],
  ['-g@gdb'],
  ['-g-gdb'],
  ['-march=@dawn'],
  ['-march=-dawn'],
  ['-std=@c99'],
  ['-std=-c99'],
  ['-x@c'],
  ['-x-c'],
  ['-D', '@foo'],
  ['-D', '-foo'],
  ['-I', '@foo'],
  ['-I', '-foo'],
  ['-l', '@foo'],
  ['-l', '-foo'],
  ['-framework', '-Caffeine'],
  ['-framework', '@Home'],
  ['-Wl,-framework,-Caffeine'],
  ['-Wl,-framework', '-Wl,@Home'],
  ['-Wl,-framework', '@Home'],
  ['-Wl,-framework,Chocolate,@Home'],
  ['-Wl,--hash-style=foo'],
  ['-x', '--c'],
  ['-x', '@obj'],
  ['-Wl,-rpath,@foo'],
  ['-Wl,-R,foo,bar'],
  ['-Wl,-R,@foo'],
  ['-Wl,--just-symbols,@foo'],
  ['../x.o'],
];

test('TestCheckCompilerFlags', () => {
  for (const f of goodCompilerFlags) {
    assert.equal(checkCompilerFlags('test', 'test', f), undefined, `unexpected error for ${JSON.stringify(f)}`);
  }
  for (const f of badCompilerFlags) {
    assert.notEqual(checkCompilerFlags('test', 'test', f), undefined, `missing error for ${JSON.stringify(f)}`);
  }
});

test('TestCheckLinkerFlags', () => {
  for (const f of goodLinkerFlags) {
    assert.equal(checkLinkerFlags('test', 'test', f), undefined, `unexpected error for ${JSON.stringify(f)}`);
  }
  for (const f of badLinkerFlags) {
    assert.notEqual(checkLinkerFlags('test', 'test', f), undefined, `missing error for ${JSON.stringify(f)}`);
  }
});

test('TestCheckFlagAllowDisallow', () => {
  // os.Setenv / os.Unsetenv in the Go test, as successive environments here.
  const env: Record<string, string | undefined> = {};
  assert.notEqual(checkCompilerFlags('TEST', 'test', ['-disallow'], env), undefined, 'missing error for -disallow');
  env.CGO_TEST_ALLOW = '-disallo';
  assert.notEqual(checkCompilerFlags('TEST', 'test', ['-disallow'], env), undefined, 'missing error for -disallow with CGO_TEST_ALLOW=-disallo');
  env.CGO_TEST_ALLOW = '-disallow';
  assert.equal(checkCompilerFlags('TEST', 'test', ['-disallow'], env), undefined, 'unexpected error for -disallow with CGO_TEST_ALLOW=-disallow');
  delete env.CGO_TEST_ALLOW;

  assert.equal(checkCompilerFlags('TEST', 'test', ['-Wall'], env), undefined, 'unexpected error for -Wall');
  env.CGO_TEST_DISALLOW = '-Wall';
  assert.notEqual(checkCompilerFlags('TEST', 'test', ['-Wall'], env), undefined, 'missing error for -Wall with CGO_TEST_DISALLOW=-Wall');
  env.CGO_TEST_ALLOW = '-Wall'; // disallow wins
  assert.notEqual(
    checkCompilerFlags('TEST', 'test', ['-Wall'], env),
    undefined,
    'missing error for -Wall with CGO_TEST_DISALLOW=-Wall and CGO_TEST_ALLOW=-Wall',
  );

  env.CGO_TEST_ALLOW = '-fplugin.*';
  env.CGO_TEST_DISALLOW = '-fplugin=lint.so';
  assert.equal(checkCompilerFlags('TEST', 'test', ['-fplugin=faster.so'], env), undefined, 'unexpected error for -fplugin=faster.so');
  assert.notEqual(checkCompilerFlags('TEST', 'test', ['-fplugin=lint.so'], env), undefined, 'missing error for -fplugin=lint.so');
});

test('TestCheckCompilerFlagsForInternalLink', () => {
  // Any "bad" compiler flag should trigger external linking.
  for (const f of badCompilerFlags) {
    assert.notEqual(checkCompilerFlagsForInternalLink('test', 'test', f), undefined, `missing error for ${JSON.stringify(f)}`);
  }
  // All "good" compiler flags should not trigger external linking,
  // except for anything that begins with "-flto".
  for (const f of goodCompilerFlags) {
    const foundLTO = f.some((s) => s.includes('-flto'));
    const err = checkCompilerFlagsForInternalLink('test', 'test', f);
    if (foundLTO) assert.notEqual(err, undefined, `missing error for ${JSON.stringify(f)}`);
    else assert.equal(err, undefined, `unexpected error for ${JSON.stringify(f)}`);
  }
  assert.equal(checkCompilerFlagsForInternalLink('test', 'test', ['-flto']), 'flag "-flto" triggers external linking');
  // No environment overrides for this check.
  assert.notEqual(checkCompilerFlagsForInternalLink('test', 'test', ['-fplugin=x']), undefined);
});

test('the go command\'s error texts (security.go, as go build prints them)', () => {
  const cases: [string[], string | undefined][] = [
    [['-O2', '-fplugin=foo.so', '-bad'], 'invalid flag in #cgo CFLAGS: -fplugin=foo.so'],
    [['-I', '-foo'], 'invalid flag in #cgo CFLAGS: -I -foo (see https://golang.org/s/invalidflag)'],
    [['-DN=4', '-D'], 'invalid flag in #cgo CFLAGS: -D without argument (see https://golang.org/s/invalidflag)'],
    [['-o', 'out.o'], 'invalid flag in #cgo CFLAGS: -o'],
    [['-I', '=/usr/include'], undefined],
    [['-I', '$SYSROOT/include'], undefined],
    [['-I', '=@x'], 'invalid flag in #cgo CFLAGS: -I =@x (see https://golang.org/s/invalidflag)'],
  ];
  for (const [list, want] of cases) assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', list), want, JSON.stringify(list));
  assert.equal(checkLinkerFlags('LDFLAGS', '#cgo LDFLAGS', ['-lm', '-Wl,-z,now']), 'invalid flag in #cgo LDFLAGS: -Wl,-z,now');
  assert.equal(checkLinkerFlags('LDFLAGS', 'pkg-config --libs', ['-Wl,--whole-archive']), 'invalid flag in pkg-config --libs: -Wl,--whole-archive');
  assert.equal(checkLinkerFlags('LDFLAGS', '#cgo LDFLAGS', ['-Wl,-rpath', '-Wl,/opt/lib']), undefined);
  assert.equal(
    checkLinkerFlags('LDFLAGS', '#cgo LDFLAGS', ['-Wl,-rpath', '-Wl,/opt/lib,-z,now']),
    'invalid flag in #cgo LDFLAGS: -Wl,-rpath -Wl,/opt/lib,-z,now (see https://golang.org/s/invalidflag)',
  );
});

test('every problem, with the index of the argument', () => {
  const check = compilerFlagProblems('CFLAGS', '#cgo CFLAGS', ['-O2', '-fplugin=a.so', '-I', '-fshort-enums', '-g', '-D']);
  assert.equal(check.error, 'invalid flag in #cgo CFLAGS: -fplugin=a.so');
  assert.equal(check.envError, undefined);
  assert.deepEqual(
    check.problems.map((p) => [p.index, p.kind]),
    [
      [1, 'disallowed'],
      [2, 'bad-next-arg'],
      [3, 'disallowed'],
      [5, 'missing-next-arg'],
    ],
  );
  // A refused pair whose argument is fine alone: only the flag.
  assert.deepEqual(
    compilerFlagProblems('CFLAGS', '#cgo CFLAGS', ['-I', '-O2']).problems.map((p) => [p.index, p.message]),
    [[0, 'invalid flag in #cgo CFLAGS: -I -O2 (see https://golang.org/s/invalidflag)']],
  );
  const linker = linkerFlagProblems('LDFLAGS', '#cgo LDFLAGS', ['-lm', '-Wl,-z,now', 'libx.a', '-Wl,--whole-archive']);
  assert.deepEqual(linker.problems.map((p) => p.index), [1, 3]);
  const byEnv = compilerFlagProblems('CFLAGS', '#cgo CFLAGS', ['-O2', '-g'], { CGO_CFLAGS_DISALLOW: '-g' });
  assert.deepEqual(byEnv.problems, [{ index: 1, kind: 'disallowed', message: 'invalid flag in #cgo CFLAGS: -g', byDisallow: true }]);
});

test('$CGO_<NAME>_ALLOW and _DISALLOW: whole-argument FindString, Go syntax, and parse errors', () => {
  // FindString(arg) == arg, not an anchored match: leftmost-first alternation picks "-W" in "-Wall".
  assert.notEqual(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-Wl,--foo'], { CGO_CFLAGS_ALLOW: '-W|-Wl,--foo' }), undefined);
  assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-Wl,--foo'], { CGO_CFLAGS_ALLOW: '-Wl,--foo|-W' }), undefined);
  // Unanchored: a match inside the argument is not enough, and one at its start must cover it.
  assert.notEqual(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-fplugin=x'], { CGO_CFLAGS_ALLOW: 'plugin=x' }), undefined);
  assert.notEqual(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-fplugin=x'], { CGO_CFLAGS_ALLOW: '-fplugin' }), undefined);
  assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-fplugin=x'], { CGO_CFLAGS_ALLOW: '^-fplugin=.*$' }), undefined);
  assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-FPLUGIN=x'], { CGO_CFLAGS_ALLOW: '(?i)-fplugin=\\pL+' }), undefined);
  // An empty variable is unset; the allowed flag is not checked against the next-argument list.
  assert.notEqual(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-fplugin=x'], { CGO_CFLAGS_ALLOW: '' }), undefined);
  assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-D', '-Dx'], { CGO_CFLAGS_ALLOW: '-D' }), undefined);
  // A variable that is not a Go regexp fails every check of that name, flags or not.
  const bad = compilerFlagProblems('CFLAGS', '#cgo CFLAGS', [], { CGO_CFLAGS_ALLOW: '(' });
  assert.equal(bad.envError, 'parsing $CGO_CFLAGS_ALLOW: error parsing regexp: missing closing ): `(`');
  assert.equal(bad.error, bad.envError);
  assert.equal(
    checkLinkerFlags('LDFLAGS', '#cgo LDFLAGS', ['-lm'], { CGO_LDFLAGS_DISALLOW: '[' }),
    'parsing $CGO_LDFLAGS_DISALLOW: error parsing regexp: missing closing ]: `[`',
  );
  assert.equal(
    checkLinkerFlags('LDFLAGS', '#cgo LDFLAGS', ['-lm'], { CGO_LDFLAGS_ALLOW: '\\8' }),
    'parsing $CGO_LDFLAGS_ALLOW: error parsing regexp: invalid escape sequence: `\\8`',
  );
  // A function environment works as well as a record.
  assert.equal(checkCompilerFlags('CFLAGS', '#cgo CFLAGS', ['-fplugin=x'], (k) => (k === 'CGO_CFLAGS_ALLOW' ? '-fplugin=.*' : '')), undefined);
});

test('the allowlists are Go regexps that compile, with as many entries as each release\'s security.go', () => {
  // [minor, release, validCompilerFlags, validLinkerFlags, invalidLinkerFlags, validPkgConfigFlags], counted in each release's source.
  const sizes: [number, string, number, number, number, number][] = [
    [19, '1.19.8', 82, 62, 0, 0],
    [20, '1.20.14', 82, 62, 0, 0],
    [21, '1.21.13', 82, 62, 1, 0],
    [22, '1.22.12', 86, 62, 1, 0],
    [23, '1.23.12', 88, 61, 1, 0],
    [24, '1.24.13', 90, 63, 1, 0],
    [25, '1.25.14', 95, 68, 1, 49],
    [26, '1.26.8', 94, 70, 1, 49],
    [27, '1.27.3', 94, 70, 1, 49],
  ];
  for (const [minor, release, compiler, linker, invalidLinker, pkgConfig] of sizes) {
    const a = flagAllowlist(minor);
    assert.equal(a.release, release);
    for (const p of [...a.compilerFlags, ...a.linkerFlags, ...a.invalidLinkerFlags, ...a.pkgConfigFlags]) assert.doesNotThrow(() => compileGoRegexp(p), `${release}: ${p}`);
    assert.deepEqual(
      [a.compilerFlags.length, a.linkerFlags.length, a.invalidLinkerFlags.length, a.pkgConfigFlags.length, a.compilerFlagsWithNextArg.length, a.linkerFlagsWithNextArg.length],
      [compiler, linker, invalidLinker, pkgConfig, 12, 13],
      release,
    );
    assert.equal(new Set(a.compilerFlags).size, compiler, `${release}: no duplicate`);
  }
  // Outside 1.19–1.27: the nearest release modelled.
  assert.equal(flagAllowlist(18).release, '1.19.8');
  assert.equal(flagAllowlist(30).release, '1.27.3');
});

// Go 1.19.8's regexp.Compile(pattern): FindString for each input, or the error text.
const goRegexps: [string, [string, string][] | string][] = [
  ['-W|-Wall', [['-Wall', '-W'], ['-W', '-W']]],
  ['-Wall|-W', [['-Wall', '-Wall'], ['-W', '-W']]],
  ['-fplugin=.*', [['-fplugin=a.so', '-fplugin=a.so'], ['-fplugin=', '-fplugin='], ['x-fplugin=a', '-fplugin=a'], ['-fplugin=a\nb', '-fplugin=a']]],
  ['(?s)-fplugin=.*', [['-fplugin=a\nb', '-fplugin=a\nb']]],
  ['-D[A-Z]+', [['-DFOO', '-DFOO'], ['-Dfoo', ''], ['-DFOOx', '-DFOO']]],
  ['(?i)-d[a-z]+', [['-DFOO', '-DFOO'], ['-dFoO', '-dFoO'], ['-D\u212a', '-D\u212a'], ['-D\u017f', '-D\u017f']]],
  ['(?i)k', [['k', 'k'], ['K', 'K'], ['\u212a', '\u212a'], ['x', '']]],
  ['(?i)\u03c3', [['\u03a3', '\u03a3'], ['\u03c3', '\u03c3'], ['\u03c2', '\u03c2']]],
  ['(?i)[^k]', [['k', ''], ['K', ''], ['\u212a', ''], ['a', 'a']]],
  ['(?i)\\W', [['k', ''], ['\u212a', ''], ['\u017f', ''], ['-', '-']]],
  ['(?i:a)b', [['ab', 'ab'], ['Ab', 'Ab'], ['AB', '']]],
  ['a(?i)b|c', [['aB', 'aB'], ['C', 'C'], ['c', 'c']]],
  ['(?i)a(?-i)b', [['Ab', 'Ab'], ['AB', '']]],
  ['\\pL+', [['abc', 'abc'], ['\u00e9\u4e16', '\u00e9\u4e16'], ['1', ''], ['a1', 'a']]],
  ['\\p{Greek}+', [['\u03b1\u03b2\u03b3', '\u03b1\u03b2\u03b3'], ['abc', '']]],
  ['\\PL', [['a', ''], ['1', '1'], ['-', '-']]],
  ['\\p{^L}', [['a', ''], ['1', '1']]],
  ['[\\p{Lu}\\d]+', [['AB12', 'AB12'], ['ab', '']]],
  ['[[:alpha:]]+', [['abc', 'abc'], ['\u00e9', '']]],
  ['[[:^digit:]]', [['1', ''], ['a', 'a'], ['\n', '\n']]],
  ['\\d\\s\\w', [['1 a', '1 a'], ['1\ta', '1\ta'], ['\u0661 a', ''], ['1\u00a0a', '']]],
  ['[^a]', [['\n', '\n'], ['a', ''], ['b', 'b']]],
  ['.', [['\n', ''], ['\r', '\r'], ['\u2028', '\u2028'], ['a', 'a']]],
  ['(?m)^a$', [['a', 'a'], ['x\na', 'a'], ['a\nx', 'a']]],
  ['^a$', [['a', 'a'], ['x\na', ''], ['a\n', '']]],
  ['a$', [['a\n', ''], ['ba', 'a']]],
  ['\\Aa\\z', [['a', 'a']]],
  ['a\\b', [['a', 'a'], ['ab', ''], ['a-', 'a'], ['a\u00e9', 'a']]],
  ['a\\B', [['a', ''], ['ab', 'a']]],
  ['(?U)a+', [['aaa', 'a']]],
  ['(?U)a+?', [['aaa', 'aaa']]],
  ['a+?', [['aaa', 'a']]],
  ['a{2}', [['aaa', 'aa']]],
  ['a{2,}', [['aaaa', 'aaaa']]],
  ['a{1,2}', [['aaa', 'aa']]],
  ['a{,2}', [['a{,2}', 'a{,2}'], ['aa', '']]],
  ['a{01}', [['a{01}', 'a{01}']]],
  ['a{', [['a{', 'a{']]],
  ['x{2}{3}', 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'],
  ['x**', 'error parsing regexp: invalid nested repetition operator: `**`'],
  ['x*?*', 'error parsing regexp: invalid nested repetition operator: `*?*`'],
  ['x(?i)*', [['xxx', 'xxx']]],
  ['x*(?i)*', [['xxx', 'xxx']]],
  ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ['(*)', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ['a|*', 'error parsing regexp: missing argument to repetition operator: `*`'],
  ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
  ['a{2,1}', 'error parsing regexp: invalid repeat count: `{2,1}`'],
  ['(?:a{100}){11}', 'error parsing regexp: invalid repeat count: `{11}`'],
  ['(?:a{10}){10}', []],
  ['(', 'error parsing regexp: missing closing ): `(`'],
  [')', 'error parsing regexp: unexpected ): `)`'],
  ['a)', 'error parsing regexp: unexpected ): `a)`'],
  ['(a', 'error parsing regexp: missing closing ): `(a`'],
  ['[a', 'error parsing regexp: missing closing ]: `[a`'],
  ['[a-', 'error parsing regexp: missing closing ]: `[a-`'],
  ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
  ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
  ['[[:alpha:]', 'error parsing regexp: missing closing ]: `[[:alpha:]`'],
  ['\\p{Foo}', 'error parsing regexp: invalid character class range: `\\p{Foo}`'],
  ['\\pX', 'error parsing regexp: invalid character class range: `\\pX`'],
  ['\\p', 'error parsing regexp: invalid character class range: `\\p`'],
  ['\\p{L', 'error parsing regexp: invalid character class range: `\\p{L`'],
  ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
  ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
  ['\\q', 'error parsing regexp: invalid escape sequence: `\\q`'],
  ['\\\u00e9', 'error parsing regexp: invalid escape sequence: `\\\u00e9`'],
  ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
  ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
  ['[a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
  ['\\x', 'error parsing regexp: invalid escape sequence: `\\x`'],
  ['\\xZ1', 'error parsing regexp: invalid escape sequence: `\\xZ1`'],
  ['\\x{zz}', 'error parsing regexp: invalid escape sequence: `\\x{z`'],
  ['\\x{}', 'error parsing regexp: invalid escape sequence: `\\x{}`'],
  ['\\x{110000}', 'error parsing regexp: invalid escape sequence: `\\x{110000`'],
  ['\\x41\\x{212A}\\101\\0\\_\\-', [['AKA\u0000_-', ''], ['A\u212aA\u0000_-', 'A\u212aA\u0000_-']]],
  ['[\\b]', 'error parsing regexp: invalid escape sequence: `\\b`'],
  ['(?P<name>a)(?P<name>b)', [['ab', 'ab']]],
  ['(?P<na-me>a)', 'error parsing regexp: invalid named capture: `(?P<na-me>`'],
  ['(?P<name', 'error parsing regexp: invalid named capture: `(?P<name`'],
  ['(?<name>a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`'],
  ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
  ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
  ['(?i', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i`'],
  ['(?', 'error parsing regexp: invalid or unsupported Perl syntax: `(?`'],
  ['(?-)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?-)`'],
  ['(?i-)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
  ['(?--i)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?--`'],
  ['(?z)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?z`'],
  ['\\Q.*\\E+', [['.*', '.*'], ['.**', '.**'], ['..', '']]],
  ['\\Qa.b', [['a.b', 'a.b'], ['axb', '']]],
  ['[]a]+', [[']a]', ']a]']]],
  ['[^]a]', [[']', ''], ['b', 'b']]],
  ['[a-]+', [['a-a', 'a-a']]],
  ['[\\-@]+', [['-@', '-@']]],
  ['[a-b-c]+', [['ab-c', 'ab-c']]],
  ['(|a)+b', [['aab', 'aab']]],
  ['(a|ab)(c|bcd)(d*)', [['abcd', 'abcd']]],
  ['-Wl,-R([^@\\-][^,@]*$)', [['-Wl,-R/foo', '-Wl,-R/foo'], ['-Wl,-Rfoo,bar', '']]],
  ['[a-zA-Z0-9_/].*\\.(a|o|obj|dll|dylib|so|tbd)', [['libfoo.so', 'libfoo.so'], ['_\u4e16\u754c.dll', '_\u4e16\u754c.dll'], ['../x.o', '/x.o'], ['x.o.txt', 'x.o']]],
];

test('Go regexp semantics: FindString and parse errors as Go 1.19.8 gives them', () => {
  for (const [pattern, want] of goRegexps) {
    if (typeof want === 'string') {
      assert.throws(() => compileGoRegexp(pattern), (e: unknown) => e instanceof GoRegexpError && e.message === want, `${JSON.stringify(pattern)}: want ${want}`);
      continue;
    }
    const re = compileGoRegexp(pattern);
    for (const [input, found] of want) assert.equal(findString(re, input), found, `${JSON.stringify(pattern)} on ${JSON.stringify(input)}`);
  }
});

test('quoteMeta', () => {
  assert.equal(quoteMeta('-fplugin=./x.so'), '-fplugin=\\./x\\.so');
  assert.equal(quoteMeta('\\.+*?()|[]{}^$'), '\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
  assert.equal(findString(compileGoRegexp(quoteMeta('-Wl,-rpath,$ORIGIN/../lib')), '-Wl,-rpath,$ORIGIN/../lib'), '-Wl,-rpath,$ORIGIN/../lib');
});

test('load.SafeArg', () => {
  for (const s of ['a', 'Z', '0', '.x', '_x', '/x', '\u00e9', '\u4e16']) assert.ok(safeArg(s), s);
  for (const s of ['', '-x', '@x', '+x', '=x', '$x', ':x', ',x', '%x', '!x', '~x', '^x', ' x']) assert.ok(!safeArg(s), s);
});

test('pkg-config package names (exec.go, getPkgConfigFlags)', () => {
  assert.equal(checkPkgConfigNames(['zlib', 'libpng16', '--static', '--', '--define-prefix']), undefined);
  assert.equal(checkPkgConfigNames(['--static', '-lz']), 'invalid pkg-config package name: -lz');
  assert.equal(checkPkgConfigNames(['@pkgs']), 'invalid pkg-config package name: @pkgs');
  // "--" is dropped and arguments starting with "--" stay options even after it.
  assert.deepEqual(pkgConfigProblems(['--', '--foo', 'gtk+-3.0', '-x', '+y']), [
    { index: 3, message: 'invalid pkg-config package name: -x' },
    { index: 4, message: 'invalid pkg-config package name: +y' },
  ]);
});

test('cfg.Getenv: the environment, then the go env file', () => {
  assert.equal(goEnvFile({ GOENV: 'off', HOME: '/h' }, 'linux'), undefined);
  assert.equal(goEnvFile({ GOENV: '/x/env', HOME: '/h' }, 'linux'), '/x/env');
  assert.equal(goEnvFile({ HOME: '/h' }, 'linux'), '/h/.config/go/env');
  assert.equal(goEnvFile({ XDG_CONFIG_HOME: '/cfg', HOME: '/h' }, 'linux'), '/cfg/go/env');
  assert.equal(goEnvFile({ HOME: '/Users/u' }, 'darwin'), '/Users/u/Library/Application Support/go/env');
  assert.equal(goEnvFile({}, 'linux'), undefined);
  assert.deepEqual(
    [...parseGoEnvFile('CGO_CFLAGS_ALLOW=-fplugin=.*\n# comment\nbad line\nlower=x\nGOFLAGS=\nX=a=b').entries()],
    [
      ['CGO_CFLAGS_ALLOW', '-fplugin=.*'],
      ['GOFLAGS', ''],
      ['X', 'a=b'],
    ],
  );
  const reads: string[] = [];
  const readFile = (file: string): string => {
    reads.push(file);
    return 'CGO_CFLAGS_ALLOW=-ffile\nCGO_LDFLAGS_ALLOW=-lfile\n';
  };
  const getenv = goGetenv({ HOME: '/h', CGO_CFLAGS_ALLOW: '-fenv', CGO_LDFLAGS_ALLOW: '' }, readFile, 'linux');
  assert.equal(getenv('CGO_CFLAGS_ALLOW'), '-fenv');
  assert.equal(getenv('CGO_LDFLAGS_ALLOW'), '-lfile'); // empty in the environment: the file's
  assert.equal(getenv('CGO_CXXFLAGS_ALLOW'), '');
  assert.deepEqual(reads, ['/h/.config/go/env']);
  const missing = goGetenv({ HOME: '/h' }, () => {
    throw new Error('ENOENT');
  }, 'linux');
  assert.equal(missing('CGO_CFLAGS_ALLOW'), '');
  assert.equal(goGetenv({ GOENV: 'off' }, () => assert.fail('read with GOENV=off'), 'linux')('CGO_CFLAGS_ALLOW'), '');
});

interface SecurityTests {
  releases: Record<string, string>;
  sameAs: Record<string, string>;
  tables: Record<string, Record<'goodCompilerFlags' | 'badCompilerFlags' | 'goodLinkerFlags' | 'badLinkerFlags', string[][]>>;
}
const securityTests = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'unit', 'data', 'security_test.json'), 'utf8')) as SecurityTests;

test("every release against its own security_test.go (TestCheckCompilerFlags, TestCheckLinkerFlags)", () => {
  for (const [minor, release] of Object.entries(securityTests.releases)) {
    const goMinor = Number(minor);
    const t = securityTests.tables[securityTests.sameAs[release] ?? release];
    assert.ok(t, release);
    for (const f of t.goodCompilerFlags) assert.equal(checkCompilerFlagsOf(goMinor, 'test', 'test', f), undefined, `${release}: unexpected error for ${JSON.stringify(f)}`);
    for (const f of t.badCompilerFlags) assert.notEqual(checkCompilerFlagsOf(goMinor, 'test', 'test', f), undefined, `${release}: missing error for ${JSON.stringify(f)}`);
    for (const f of t.goodLinkerFlags) assert.equal(checkLinkerFlagsOf(goMinor, 'test', 'test', f), undefined, `${release}: unexpected error for ${JSON.stringify(f)}`);
    for (const f of t.badLinkerFlags) assert.notEqual(checkLinkerFlagsOf(goMinor, 'test', 'test', f), undefined, `${release}: missing error for ${JSON.stringify(f)}`);
  }
});

/** The minors from 19 to 27 whose check allows `list`. */
function allowedIn(check: (goMinor: number) => string | undefined): number[] {
  const minors: number[] = [];
  for (let m = 19; m <= 27; m++) if (check(m) === undefined) minors.push(m);
  return minors;
}
const from = (first: number, last = 27): number[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);

test('flags allowed since a release, and flags refused since one', () => {
  const compiler = (...list: string[]) => allowedIn((m) => checkCompilerFlagsOf(m, 'CFLAGS', '#cgo CFLAGS', list));
  const linker = (...list: string[]) => allowedIn((m) => checkLinkerFlagsOf(m, 'LDFLAGS', '#cgo LDFLAGS', list));
  assert.deepEqual(compiler('-fno-canonical-system-headers'), from(22));
  assert.deepEqual(compiler('-ffile-prefix-map=/src=.'), from(22));
  assert.deepEqual(compiler('-mlarge-data-threshold=65536'), from(23));
  assert.deepEqual(compiler('-mcmodel=medium'), from(23));
  assert.deepEqual(compiler('-ftls-model=initial-exec'), from(24));
  assert.deepEqual(compiler('--static'), from(24));
  assert.deepEqual(compiler('-mtls-dialect=desc'), from(25));
  assert.deepEqual(compiler('-msoft-float'), from(25));
  assert.deepEqual(linker('-Wl,-z,now'), from(23));
  assert.deepEqual(linker('-Wl,-z,relro,-z,now'), from(23));
  assert.deepEqual(linker('-Wl,-z,relro'), from(19));
  assert.deepEqual(linker('-Wl,--push-state', '-Wl,--as-needed', '-lfoo', '-Wl,--pop-state'), from(24));
  assert.deepEqual(linker('-Wl,--push-state,--as-needed'), from(24));
  assert.deepEqual(linker('-Wl,--push-state,--whole-archive'), []);
  assert.deepEqual(linker('-Wl,-rpath,.'), from(24));
  assert.deepEqual(linker('-Wl,-rpath,/opt/lib'), from(19));
  assert.deepEqual(linker('-Wl,--warn-common'), from(19));
  assert.deepEqual(linker('-Wl,-e,start'), from(19));
  assert.deepEqual(linker('-Wl,-sectcreate,__TEXT,__info_plist,Info.plist'), from(19));
  assert.deepEqual(linker('-Wl,-sectcreate,a,b,c'), from(24));
  assert.deepEqual(compiler('-Wa,-mbig-obj'), from(19));
  // Refused since: allowed by Go 1.19.8, not by a later release.
  assert.deepEqual(linker('-Wl,-Ofast'), [19]);
  assert.deepEqual(linker('-Wl,-O1'), from(19));
  assert.deepEqual(linker('-Wl,-e='), [19]);
  assert.deepEqual(linker('-Wl,-R,-foo'), [19]);
  assert.deepEqual(linker('-lto_library'), [19, 20]);
  // Allowed by 1.26.11 and 1.27.4 (not by 1.26.8 and 1.27.3): allowed for 1.26 and 1.27, which
  // stand for every patch release.
  assert.deepEqual(linker('/src/lib/foo.lib'), from(26));
  assert.deepEqual(linker('./foo.lib'), from(26));
  // Narrowed by 1.26.11 and 1.27.4 ("=" after -Wl,-R,), not modelled: still allowed.
  assert.deepEqual(linker('-Wl,-R,=/opt/lib'), from(19));
});

test("the go command's messages in each release", () => {
  const messages = (m: number) => [
    checkCompilerFlagsOf(m, 'CFLAGS', '#cgo CFLAGS', ['-o', 'out.o']),
    checkCompilerFlagsOf(m, 'CFLAGS', '#cgo CFLAGS', ['-I', '-foo']),
    checkCompilerFlagsOf(m, 'CFLAGS', '#cgo CFLAGS', ['-DN=4', '-D']),
  ];
  const golang = [
    'invalid flag in #cgo CFLAGS: -o',
    'invalid flag in #cgo CFLAGS: -I -foo (see https://golang.org/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -D without argument (see https://golang.org/s/invalidflag)',
  ];
  const goDev = [
    'invalid flag in #cgo CFLAGS: -o (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -I -foo (see https://go.dev/s/invalidflag)',
    'invalid flag in #cgo CFLAGS: -D without argument (see https://go.dev/s/invalidflag)',
  ];
  for (const m of from(19, 25)) assert.deepEqual(messages(m), golang, `1.${m}`);
  for (const m of from(26)) assert.deepEqual(messages(m), goDev, `1.${m}`);
  // $CGO_*_DISALLOW refuses with the same message, and _ALLOW still beats invalidLinkerFlags.
  assert.equal(checkCompilerFlagsOf(26, 'CFLAGS', '#cgo CFLAGS', ['-g'], { CGO_CFLAGS_DISALLOW: '-g' }), 'invalid flag in #cgo CFLAGS: -g (see https://go.dev/s/invalidflag)');
  assert.equal(checkLinkerFlagsOf(26, 'LDFLAGS', '#cgo LDFLAGS', ['-lto_library'], { CGO_LDFLAGS_ALLOW: '-lto_library' }), undefined);
});

test('pkg-config options: unchecked, then compiler flags (1.24), then validPkgConfigFlags (1.25+)', () => {
  const args = ['--static', 'zlib', '--define-prefix', '--', '--with-path=/opt/pc', '--foo'];
  const problems = (m: number, env: FlagEnv = {}) => pkgConfigOptionProblems(m, args, env).map((p) => [p.index, p.message]);
  for (const m of from(19, 23)) assert.deepEqual(problems(m), [], `1.${m}`);
  assert.deepEqual(problems(24), [
    [2, 'invalid flag in pkg-config --cflags: --define-prefix'],
    [4, 'invalid flag in pkg-config --cflags: --with-path=/opt/pc'],
    [5, 'invalid flag in pkg-config --cflags: --foo'],
  ]);
  assert.deepEqual(problems(24, { CGO_CFLAGS_ALLOW: '--.*' }), []);
  assert.deepEqual(problems(25), [[5, 'invalid flag in pkg-config: --foo']]);
  assert.deepEqual(problems(25, { CGO_CFLAGS_ALLOW: '--.*' }), [[5, 'invalid flag in pkg-config: --foo']]);
  assert.deepEqual(problems(26), [[5, 'invalid flag in pkg-config: --foo (see https://go.dev/s/invalidflag)']]);
});

test('checkCompilerFlagsForInternalLink: -static and --static since 1.27', () => {
  for (const m of from(24, 26)) assert.equal(checkCompilerFlagsForInternalLinkOf(m, 'test', 'test', ['--static']), undefined, `1.${m}`);
  assert.equal(checkCompilerFlagsForInternalLinkOf(27, 'test', 'test', ['--static']), 'flag "--static" triggers external linking');
});
