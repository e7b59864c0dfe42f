// Tables ported from Go 1.19's go/build/build_test.go, syslist_test.go, read_test.go and
// go/build/constraint/expr_test.go (named after the Go test they come from), plus cases for
// BOMs, CRLF and Unicode spaces whose expectations were checked against go/build itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BuildSyntaxError,
  BuildTarget,
  Expr,
  defaultReleaseTags,
  defaultToolTags,
  evalExpr,
  exprString,
  fileIncluded,
  goodOSArchFile,
  hostTarget,
  knownArch,
  knownOS,
  matchAuto,
  matchTag,
  parseConstraint,
  parseExpr,
  shouldBuild,
  unixOS,
} from '../../server/src/cgo/constraints';

const tag = (name: string): Expr => ({ kind: 'tag', tag: name });
const not = (x: Expr): Expr => ({ kind: 'not', x });
const and = (x: Expr, y: Expr): Expr => ({ kind: 'and', x, y });
const or = (x: Expr, y: Expr): Expr => ({ kind: 'or', x, y });

function target(fields: Partial<BuildTarget>): BuildTarget {
  return { goos: '', goarch: '', goMinor: 19, cgoEnabled: false, compiler: 'gc', buildTags: [], releaseTags: [], ...fields };
}

/** go/build.Default on linux/amd64 with Go 1.19. */
const linuxAmd64 = target({
  goos: 'linux',
  goarch: 'amd64',
  cgoEnabled: true,
  releaseTags: defaultReleaseTags(19),
  toolTags: defaultToolTags('amd64'),
});

const sorted = (tags: Set<string>): string[] => [...tags].sort();

// constraint/expr_test.go

test('TestExprString', async (t) => {
  const rows: [Expr, string][] = [
    [tag('abc'), 'abc'],
    [not(tag('abc')), '!abc'],
    [not(and(tag('abc'), tag('def'))), '!(abc && def)'],
    [and(tag('abc'), or(tag('def'), tag('ghi'))), 'abc && (def || ghi)'],
    [or(and(tag('abc'), tag('def')), tag('ghi')), '(abc && def) || ghi'],
  ];
  for (const [x, out] of rows) {
    await t.test(out, () => assert.equal(exprString(x), out));
  }
});

// TestLex drives the lexer directly; here its single-tag inputs and its errors go through parseExpr.
test('TestLex', async (t) => {
  for (const name of ['x', 'x.y', 'x_y', 'αx', 'go1.2']) {
    await t.test(name, () => assert.deepEqual(parseExpr(name), tag(name)));
  }
  const errors: [string, string, number][] = [
    ['αx²', 'invalid syntax at ²', 3],
    ['x~', 'invalid syntax at ~', 1],
    ['x ~', 'invalid syntax at ~', 2],
    ['x &', 'invalid syntax at &', 2],
    ['x &y', 'invalid syntax at &', 2],
  ];
  for (const [input, message, offset] of errors) {
    await t.test(input, () => assert.throws(() => parseExpr(input), new BuildSyntaxError(offset, message)));
  }
});

test('TestParseExpr', async (t) => {
  const rows: [string, Expr][] = [
    ['x', tag('x')],
    ['x&&y', and(tag('x'), tag('y'))],
    ['x||y', or(tag('x'), tag('y'))],
    ['(x)', tag('x')],
    ['x||y&&z', or(tag('x'), and(tag('y'), tag('z')))],
    ['x&&y||z', or(and(tag('x'), tag('y')), tag('z'))],
    ['x&&(y||z)', and(tag('x'), or(tag('y'), tag('z')))],
    ['(x||y)&&z', and(or(tag('x'), tag('y')), tag('z'))],
    ['!(x&&y)', not(and(tag('x'), tag('y')))],
  ];
  for (const [input, x] of rows) {
    await t.test(input, () => assert.equal(exprString(parseExpr(input)), exprString(x)));
  }
});

test('TestParseError', async (t) => {
  const rows: [string, number, string][] = [
    ['x && ', 5, 'unexpected end of expression'],
    ['x && (', 6, 'missing close paren'],
    ['x && ||', 5, 'unexpected token ||'],
    ['x && !', 6, 'unexpected end of expression'],
    ['x && !!', 6, 'double negation not allowed'],
    ['x !', 2, 'unexpected token !'],
    ['x && (y', 5, 'missing close paren'],
  ];
  for (const [input, offset, message] of rows) {
    await t.test(input, () => assert.throws(() => parseExpr(input), new BuildSyntaxError(offset, message)));
  }
});

test('TestExprEval', async (t) => {
  const rows: [string, boolean, string][] = [
    ['x', false, 'x'],
    ['x && y', false, 'x y'],
    ['x || y', false, 'x y'],
    ['!x && yes', true, 'x yes'],
    ['yes || y', true, 'y yes'],
  ];
  for (const [input, ok, tags] of rows) {
    await t.test(input, () => {
      const seen = new Set<string>();
      const result = evalExpr(parseExpr(input), (name) => {
        seen.add(name);
        return name === 'yes';
      });
      assert.equal(result, ok);
      assert.deepEqual(sorted(seen), tags.split(' ').sort());
    });
  }
});

// parsePlusBuildExpr is reached through parseConstraint, which trims the text after "+build".
test('TestParsePlusBuildExpr', async (t) => {
  const rows: [string, Expr][] = [
    ['x', tag('x')],
    ['x,y', and(tag('x'), tag('y'))],
    ['x y', or(tag('x'), tag('y'))],
    ['x y,z', or(tag('x'), and(tag('y'), tag('z')))],
    ['x,y z', or(and(tag('x'), tag('y')), tag('z'))],
    ['x,!y !z', or(and(tag('x'), not(tag('y'))), not(tag('z')))],
    ['!! x', or(tag('ignore'), tag('x'))],
    ['!!x', tag('ignore')],
    ['!x', not(tag('x'))],
    ['!', tag('ignore')],
    ['', tag('ignore')],
  ];
  for (const [input, x] of rows) {
    await t.test(JSON.stringify(input), () => assert.deepEqual(parseConstraint(`//+build ${input}`), x));
  }
});

test('TestParse', async (t) => {
  const rows: [string, Expr | undefined, string][] = [
    ['//+build !', tag('ignore'), ''],
    ['//+build', tag('ignore'), ''],
    ['//+build x y', or(tag('x'), tag('y')), ''],
    ['// +build x y \n', or(tag('x'), tag('y')), ''],
    ['// +build x y \n ', undefined, 'not a build constraint'],
    ['// +build x y \nmore', undefined, 'not a build constraint'],
    [' //+build x y', undefined, 'not a build constraint'],
    ['//go:build x && y', and(tag('x'), tag('y')), ''],
    ['//go:build x && y\n', and(tag('x'), tag('y')), ''],
    ['//go:build x && y\n ', undefined, 'not a build constraint'],
    ['//go:build x && y\nmore', undefined, 'not a build constraint'],
    [' //go:build x && y', undefined, 'not a build constraint'],
    ['//go:build\n', undefined, 'unexpected end of expression'],
  ];
  for (const [input, x, error] of rows) {
    await t.test(JSON.stringify(input), () => {
      if (x) assert.equal(exprString(parseConstraint(input)), exprString(x));
      else assert.throws(() => parseConstraint(input), { message: error });
    });
  }
});

// build_test.go

test('TestMatch', async (t) => {
  const rows: [string[], string, boolean, string[]][] = [
    [[], 'linux,amd64', true, ['amd64', 'linux']],
    [[], 'linux,amd64,!foo', true, ['amd64', 'foo', 'linux']],
    [[], 'linux,amd64,foo', false, ['amd64', 'foo', 'linux']],
    [['foo'], 'linux,amd64', true, ['amd64', 'linux']],
    [['foo'], 'linux,amd64,foo', true, ['amd64', 'foo', 'linux']],
    [['foo'], 'linux,amd64,!foo', false, ['amd64', 'foo', 'linux']],
    [['foo'], 'linux,amd64,!bar', true, ['amd64', 'bar', 'linux']],
    [['foo'], 'linux,amd64,bar', false, ['amd64', 'bar', 'linux']],
  ];
  for (const [buildTags, text, match, tags] of rows) {
    await t.test(`${text} with tags [${buildTags}]`, () => {
      const seen = new Set<string>();
      assert.equal(matchAuto(text, { ...linuxAmd64, buildTags }, seen), match);
      assert.deepEqual(sorted(seen), tags);
    });
  }
});

test('TestShouldBuild', async (t) => {
  const rows: { name: string; content: string; tags: string[]; shouldBuild: boolean }[] = [
    { name: 'Yes', content: '// +build yes\n\npackage main\n', tags: ['yes'], shouldBuild: true },
    { name: 'Yes2', content: '//go:build yes\npackage main\n', tags: ['yes'], shouldBuild: true },
    { name: 'Or', content: '// +build no yes\n\npackage main\n', tags: ['no', 'yes'], shouldBuild: true },
    { name: 'Or2', content: '//go:build no || yes\npackage main\n', tags: ['no', 'yes'], shouldBuild: true },
    { name: 'And', content: '// +build no,yes\n\npackage main\n', tags: ['no', 'yes'], shouldBuild: false },
    { name: 'And2', content: '//go:build no && yes\npackage main\n', tags: ['no', 'yes'], shouldBuild: false },
    {
      name: 'Cgo',
      content:
        '// +build cgo\n\n// Copyright The Go Authors.\n\n' +
        '// This package implements parsing of tags like\n// +build tag1\npackage build',
      tags: ['cgo'],
      shouldBuild: false,
    },
    {
      name: 'Cgo2',
      content:
        '//go:build cgo\n// Copyright The Go Authors.\n\n' +
        '// This package implements parsing of tags like\n// +build tag1\npackage build',
      tags: ['cgo'],
      shouldBuild: false,
    },
    {
      name: 'AfterPackage',
      content:
        '// Copyright The Go Authors.\n\npackage build\n\n' +
        '// shouldBuild checks tags given by lines of the form\n// +build tag\n//go:build tag\n' +
        'func shouldBuild(content []byte)\n',
      tags: [],
      shouldBuild: true,
    },
    { name: 'TooClose', content: '// +build yes\npackage main\n', tags: [], shouldBuild: true },
    { name: 'TooClose2', content: '//go:build yes\npackage main\n', tags: ['yes'], shouldBuild: true },
    { name: 'TooCloseNo', content: '// +build no\npackage main\n', tags: [], shouldBuild: true },
    { name: 'TooCloseNo2', content: '//go:build no\npackage main\n', tags: ['no'], shouldBuild: false },
    {
      name: 'BinaryOnly',
      content: '//go:binary-only-package\n// +build yes\npackage main\n',
      tags: [],
      shouldBuild: true,
    },
    {
      name: 'BinaryOnly2',
      content: '//go:binary-only-package\n//go:build no\npackage main\n',
      tags: ['no'],
      shouldBuild: false,
    },
    { name: 'ValidGoBuild', content: '// +build yes\n\n//go:build no\npackage main\n', tags: ['no'], shouldBuild: false },
    {
      name: 'MissingBuild2',
      content: '/* */\n// +build yes\n\n//go:build no\npackage main\n',
      tags: ['no'],
      shouldBuild: false,
    },
    { name: 'Comment1', content: '/*\n//go:build no\n*/\n\npackage main\n', tags: [], shouldBuild: true },
    { name: 'Comment2', content: '/*\ntext\n*/\n\n//go:build no\npackage main\n', tags: ['no'], shouldBuild: false },
    {
      name: 'Comment3',
      content: '/*/*/ /* hi *//* \ntext\n*/\n\n//go:build no\npackage main\n',
      tags: ['no'],
      shouldBuild: false,
    },
    { name: 'Comment4', content: '/**///go:build no\npackage main\n', tags: [], shouldBuild: true },
    { name: 'Comment5', content: '/**/\n//go:build no\npackage main\n', tags: ['no'], shouldBuild: false },
  ];
  const yes = target({ buildTags: ['yes'] });
  for (const row of rows) {
    await t.test(row.name, () => {
      const seen = new Set<string>();
      assert.deepEqual(shouldBuild(row.content, yes, seen), { ok: row.shouldBuild });
      assert.deepEqual(sorted(seen), row.tags);
    });
  }
});

test('shouldBuild errors', async (t) => {
  const rows: [string, string][] = [
    ['//go:build linux\n//go:build linux\npackage p\n', 'multiple //go:build comments'],
    ['//go:build linux &&\npackage p\n', 'parsing //go:build line: unexpected end of expression'],
    ['//go:build (linux\npackage p\n', 'parsing //go:build line: missing close paren'],
  ];
  for (const [content, error] of rows) {
    await t.test(error, () => assert.deepEqual(shouldBuild(content, linuxAmd64), { ok: false, error }));
  }
});

test('TestGoodOSArchFile', () => {
  const seen = new Set<string>();
  assert.equal(goodOSArchFile('hello_linux.go', target({ goos: 'darwin', buildTags: ['linux'] }), seen), true);
  assert.deepEqual(sorted(seen), ['linux']);
});

test('TestMatchFile', async (t) => {
  const plan9 = target({ goos: 'plan9', goarch: 'arm' });
  const android = target({ goos: 'android', goarch: 'arm' });
  const rows: [BuildTarget, string, string, boolean][] = [
    [plan9, 'foo_arm.go', '', true],
    [plan9, 'foo1_arm.go', '// +build linux\n\npackage main\n', false],
    [plan9, 'foo_darwin.go', '', false],
    [plan9, 'foo.go', '', true],
    [plan9, 'foo1.go', '// +build linux\n\npackage main\n', false],
    [plan9, 'foo.badsuffix', '', false],
    [android, 'foo_linux.go', '', true],
    [android, 'foo_android.go', '', true],
    [android, 'foo_plan9.go', '', false],
    [android, 'android.go', '', true],
    [android, 'plan9.go', '', true],
    [android, 'plan9_test.go', '', true],
    [android, 'arm.s', '', true],
    [android, 'amd64.s', '', true],
  ];
  for (const [buildTarget, name, content, match] of rows) {
    await t.test(`${buildTarget.goos} ${name}`, () => assert.equal(fileIncluded(name, content, buildTarget), match));
  }
});

// TestAllTags: both GOOS and GOARCH of x_netbsd_arm.go are recorded, whether or not it matches.
test('TestAllTags', async (t) => {
  for (const [goos, goarch, match] of [
    ['netbsd', 'arm', true],
    ['linux', 'amd64', false],
  ] as const) {
    await t.test(`${goos}/${goarch}`, () => {
      const seen = new Set<string>();
      assert.equal(goodOSArchFile('x_netbsd_arm.go', target({ goos, goarch }), seen), match);
      assert.deepEqual(sorted(seen), ['arm', 'netbsd']);
    });
  }
});

// syslist_test.go, with this = linux/amd64 and other = darwin/386.

test('TestGoodOSArch', async (t) => {
  const rows: [string, boolean][] = [
    ['file.go', true],
    ['file.c', true],
    ['file_foo.go', true],
    ['file_amd64.go', true],
    ['file_386.go', false],
    ['file_linux.go', true],
    ['file_darwin.go', false],
    ['file_linux_amd64.go', true],
    ['file_darwin_amd64.go', false],
    ['file_linux_386.go', false],
    ['file_darwin_386.go', false],
    ['file_foo_amd64.go', true],
    ['file_foo_386.go', false],
    ['file_linux.c', true],
    ['file_darwin.c', false],
  ];
  for (const [name, result] of rows) {
    await t.test(name, () => assert.equal(goodOSArchFile(name, linuxAmd64), result));
  }
});

// read_test.go: readGoInfo leaves syntax errors to the compiler but fails on a NUL byte.

test('TestReadFailuresIgnored', async (t) => {
  const rows: [string, string?][] = [
    ['package'],
    ['package p\n\x00\nimport `math`\n', 'unexpected NUL in input'],
    ['package p; import'],
    ['package p; import "'],
    ['package p; import ` \n\n'],
    ['package p; import "x'],
    ['package p; import _'],
    ['package p; import _ "'],
    ['package p; import _ "x'],
    ['package p; import .'],
    ['package p; import . "'],
    ['package p; import . "x'],
    ['package p; import ('],
    ['package p; import ("'],
    ['package p; import ("x'],
    ['package p; import ("x"'],
  ];
  for (const [content, error] of rows) {
    await t.test(JSON.stringify(content), () => {
      assert.deepEqual(shouldBuild(content, linuxAmd64), error ? { ok: false, error } : { ok: true });
      assert.equal(fileIncluded('x.go', content, linuxAmd64), !error);
    });
  }
});

// Checked against go/build's MatchFile.
test('file headers as go/build reads them', async (t) => {
  const rows: [string, string, string, boolean][] = [
    ['a leading BOM is dropped', 'a.go', '\ufeff//go:build ignore\n\npackage p\n', false],
    ['a leading BOM is dropped before +build', 'a.go', '\ufeff// +build ignore\n\npackage p\n', false],
    ['only one BOM is dropped', 'a.go', '\ufeff\ufeff//go:build ignore\n\npackage p\n', true],
    ['a BOM is not space', 'a.go', '// +build ignore\n\ufeff\npackage p\n', true],
    ['a BOM does not end //go:build', 'a.go', '//go:build\ufeffignore\n\npackage p\n', true],
    ['CRLF //go:build', 'a.go', '//go:build ignore\r\n\r\npackage p\r\n', false],
    ['CRLF +build before a blank line', 'a.go', '// +build ignore\r\n\r\npackage p\r\n', false],
    ['CRLF +build without a blank line', 'a.go', '// +build ignore\r\npackage p\r\n', true],
    ['U+0085 is space', 'a.go', '// +build ignore\n\u0085\npackage p\n', false],
    ['U+00A0 ends //go:build', 'a.go', '//go:build\u00a0ignore\n\npackage p\n', false],
    ['//go:build after the package clause', 'a.go', 'package p\n//go:build ignore\n', true],
    ['+build inside /* */', 'a.go', '/*\n// +build ignore\n*/\n\npackage p\n', true],
    ['+build lines are ANDed', 'a.go', '// +build linux darwin\n// +build !cgo\n\npackage p\n', false],
    ['a NUL after the imports is not read', 'a.go', 'package p\n\nimport "C"\n\nvar x = "\x00"\n', true],
    ['an unterminated comment in a Go file', 'a.go', '/* unterminated', true],
    ['+build in a C file', 'a.c', '// +build ignore\n\nint x;\n', false],
    ['an unterminated comment in a C file', 'a.c', '/* unterminated', false],
    ['a stray slash in a C file', 'a.c', '/x\nint x;\n', false],
    ['a C file', 'a_linux.c', 'int x;\n', true],
    ['a .syso file is not read', 'a.syso', '// +build ignore\n\n', true],
    ['underscore prefix', '_a.go', 'package p\n', false],
    ['dot prefix', '.a.go', 'package p\n', false],
  ];
  for (const [name, fileName, content, included] of rows) {
    await t.test(name, () => assert.equal(fileIncluded(fileName, content, linuxAmd64), included));
  }
});

// Conditions of #cgo lines, checked against go/build's saveCgo.
test('matchAuto', async (t) => {
  const rows: [string, boolean][] = [
    ['linux', true],
    ['!linux', false],
    ['linux,amd64', true],
    ['linux,!cgo', false],
    ['!windows', true],
    ['(linux)', true],
    ['linux||darwin', true],
    ['!(linux&&386)', true],
    ['unix', true],
    ['gc', true],
    ['go1.19', true],
    ['go1.20', false],
    ['goexperiment.regabiargs', true],
    ['boringcrypto', false],
    ['amd64p32', false],
    ['!!linux', false],
    ['!', false],
    ['a-b', false],
    ['linux,', false],
    [',linux', false],
    ['linux&&', false],
    ['linux&amd64', false],
    ['αβ', false],
  ];
  for (const [condition, match] of rows) {
    await t.test(condition, () => assert.equal(matchAuto(condition, linuxAmd64), match));
  }
});

test('matchTag', async (t) => {
  const rows: [string, Partial<BuildTarget>, boolean][] = [
    ['linux', { goos: 'android' }, true],
    ['android', { goos: 'linux' }, false],
    ['darwin', { goos: 'ios' }, true],
    ['solaris', { goos: 'illumos' }, true],
    ['unix', { goos: 'illumos' }, true],
    ['unix', { goos: 'windows' }, false],
    ['unix', { goos: 'js' }, false],
    ['unix', { goos: 'plan9' }, false],
    ['cgo', { cgoEnabled: true }, true],
    ['cgo', { cgoEnabled: false }, false],
    ['gc', {}, true],
    ['gccgo', {}, false],
    ['boringcrypto', { toolTags: ['goexperiment.boringcrypto'] }, true],
    ['go1.19', { releaseTags: defaultReleaseTags(19) }, true],
    ['go1.20', { releaseTags: defaultReleaseTags(19) }, false],
    ['integration', { buildTags: ['integration'] }, true],
  ];
  for (const [name, fields, match] of rows) {
    await t.test(`${name} ${JSON.stringify(fields)}`, () => assert.equal(matchTag(name, target(fields)), match));
  }
});

test('defaultReleaseTags', () => {
  assert.deepEqual(defaultReleaseTags(3), ['go1.1', 'go1.2', 'go1.3']);
  assert.equal(defaultReleaseTags(19).length, 19);
});

test('hostTarget names a known GOOS and GOARCH on supported hosts', () => {
  const host = hostTarget();
  assert.ok(knownOS.has(host.goos), host.goos);
  assert.ok(knownArch.has(host.goarch), host.goarch);
  assert.equal(host.cgoEnabled, true);
  assert.deepEqual(host.releaseTags, defaultReleaseTags(19));
  assert.deepEqual(host.toolTags, defaultToolTags(host.goarch));
});

test('defaultToolTags: the experiments and feature levels each release turns on by default', () => {
  // What build.Default.ToolTags printed on linux/amd64 under each toolchain.
  const printed: [number, string[]][] = [
    [19, ['goexperiment.regabiwrappers', 'goexperiment.regabiargs']],
    [24, ['goexperiment.regabiwrappers', 'goexperiment.regabiargs', 'goexperiment.coverageredesign', 'goexperiment.aliastypeparams', 'goexperiment.swissmap', 'goexperiment.spinbitmutex', 'goexperiment.synchashtriemap', 'amd64.v1']],
    [26, ['goexperiment.regabiwrappers', 'goexperiment.regabiargs', 'goexperiment.dwarf5', 'goexperiment.greenteagc', 'goexperiment.randomizedheapbase64', 'amd64.v1']],
    [27, ['goexperiment.regabiwrappers', 'goexperiment.regabiargs', 'goexperiment.dwarf5', 'goexperiment.jsonv2', 'goexperiment.greenteagc', 'goexperiment.randomizedheapbase64', 'goexperiment.sizespecializedmalloc', 'amd64.v1']],
  ];
  for (const [minor, tags] of printed) assert.deepEqual(defaultToolTags('amd64', minor, 'linux').sort(), [...tags].sort(), `Go 1.${minor}`);
  assert.ok(!defaultToolTags('arm64', 26, 'darwin').includes('goexperiment.dwarf5'));
});

test('unixOS is a subset of knownOS', () => {
  for (const goos of unixOS) assert.ok(knownOS.has(goos), goos);
});
