// disallowed-cgo-flag on small packages: where it reports, with which message, and what it
// leaves alone (inactive lines, test files, flags fixed up by go/build).
import { test } from 'node:test';
import { resolveTarget } from '../../server/src/cgo/target';
import { disallowedCgoFlag as rule } from '../../server/src/rules/disallowed-cgo-flag';
import { ruleTester, type InvalidCase, type PackageCase } from '../support/ruleTester';

/** Go 1.26.8, the oracle's current Go, unless a case names another release. */
const go = (minor = 26) => resolveTarget('linux', 'amd64', {}, minor);

/** The go command's settings a case runs with: neither this process's CGO_*_ALLOW nor the developer's `go env -w` file leaks in. */
const env = (settings: Record<string, string>) => (key: string) => settings[key] ?? '';

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A message that is exactly `text`. */
const exactly = (text: string): RegExp => new RegExp(`^${escaped(text)}$`);
/** A message quoting the go command's own: `go build fails: "…". ` */
const quoting = (toolMessage: string): RegExp => new RegExp(`^go build fails: "${escaped(toolMessage)}"\\. `);

const invalid = (c: InvalidCase) => ruleTester.run(rule, { invalid: [{ target: go(), ...c }] });
const valid = (...cases: PackageCase[]) => ruleTester.run(rule, { valid: cases.map((c) => ({ target: go(), ...c })) });

const pkg = (preamble: string, extra = ''): string => `package p\n\n${preamble}\nimport "C"\n${extra}`;
const invalidFlag = (verb: string, flag: string): RegExp => quoting(`invalid flag in #cgo ${verb}: ${flag} (see https://go.dev/s/invalidflag)`);

test('a refused flag: range, the go command\'s message, and what to do', async () => {
  await invalid({
    name: '-fplugin',
    files: { 'a.go': pkg('// #cgo CFLAGS: -O2 -fplugin=./lint.so -g') },
    errors: [
      {
        at: 'error@a.go:3:-fplugin=./lint.so',
        fixes: [],
        message: exactly(
          'go build fails: "invalid flag in #cgo CFLAGS: -fplugin=./lint.so (see https://go.dev/s/invalidflag)". The go command takes only allowlisted flags from #cgo lines' +
            ". If the flag is needed, set CGO_CFLAGS_ALLOW='-fplugin=\\./lint\\.so' (a Go regexp that " +
            'must match the whole flag) where go runs, or pass the flag in the CGO_CFLAGS environment variable instead, which is not checked.',
        ),
      },
    ],
  });
});

test('each verb with its list: compiler flags for CPPFLAGS/CFLAGS/CXXFLAGS/FFLAGS, linker flags for LDFLAGS', async () => {
  await invalid({
    name: 'verbs',
    files: {
      'a.go': pkg(
        [
          '// #cgo CPPFLAGS: -DX=1 -fplugin=a.so',
          '// #cgo CFLAGS: -O2 -lm',
          '// #cgo CXXFLAGS: -std=c++17 -fno-rtti -Wl,-z,now',
          '// #cgo FFLAGS: -ffixed-form',
          '// #cgo LDFLAGS: -lm -Wall -Wl,-z,relro -Wl,-z,now libfoo.a ./x.o ../y.o',
        ].join('\n'),
      ),
    },
    errors: [
      { at: 'a.go:3:-fplugin=a.so', message: invalidFlag('CPPFLAGS', '-fplugin=a.so') },
      { at: 'a.go:4:-lm', message: invalidFlag('CFLAGS', '-lm') },
      { at: 'a.go:5:-Wl,-z,now', message: invalidFlag('CXXFLAGS', '-Wl,-z,now') },
      { at: 'a.go:6:-ffixed-form', message: invalidFlag('FFLAGS', '-ffixed-form') },
      { at: 'a.go:7:-Wall', message: invalidFlag('LDFLAGS', '-Wall') },
      { at: 'a.go:7:../y.o', message: invalidFlag('LDFLAGS', '../y.o') },
    ],
  });
});

test('common flags pass', async () => {
  await valid({
    name: 'common flags',
    files: {
      'a.go': pkg(
        [
          '// #cgo CFLAGS: -O2 -g -Wall -Werror -I${SRCDIR}/include -I include -DNAME=1 -D NAME2 -std=c99 -pthread -fPIC',
          '// #cgo LDFLAGS: -lm -L/usr/lib -L lib -pthread -Wl,-rpath,/opt/lib -Wl,-rpath -Wl,/opt/lib64 -Wl,--wrap=f',
          '// #cgo LDFLAGS: -Wl,--as-needed -Wl,-z,relro -Wl,-Bstatic -lfoo -Wl,-Bdynamic -static-libgcc libbar.a ${SRCDIR}/libbaz.so',
          '// #cgo pkg-config: --static zlib gtk+-3.0',
        ].join('\n'),
      ),
    },
  });
});

test('arguments after ${SRCDIR} expansion and go/build\'s absolute -I/-L paths', async () => {
  // "${SRCDIR}/x.so" as written starts with '$'; expanded it is /virtual/p/x.so, a linker input.
  // "-I-dir" and "-L @lib" are refused as written; go/build makes them -I/virtual/p/-dir and /virtual/p/@lib.
  await valid({ name: 'made absolute', files: { 'a.go': pkg('// #cgo CFLAGS: -I-dir -I @inc\n// #cgo LDFLAGS: ${SRCDIR}/x.so -L @lib -L-lib') } });
  // -F is not made absolute.
  await invalid({ name: '-F', files: { 'a.go': pkg('// #cgo CFLAGS: -F-dir') }, errors: ['a.go:3:-F-dir'] });
});

test('a flag that takes the next argument: on the same line, on the next line, in the next file', async () => {
  // (-I -foo would pass: go/build makes the path after -I absolute.)
  await invalid({
    name: 'same line',
    files: { 'a.go': pkg('// #cgo CFLAGS: -D -foo -include "@x" -I -foo') },
    errors: [
      { at: 'a.go:3:-D', message: new RegExp(`${invalidFlag('CFLAGS', '-D -foo').source}[\\s\\S]*-D takes the next argument, and the go command refuses one that does not start with a letter`) },
      { at: 'a.go:3:-foo', message: invalidFlag('CFLAGS', '-foo') },
      { at: 'a.go:3:-include', message: invalidFlag('CFLAGS', '-include @x') },
      { at: 'a.go:3:"@x"', message: invalidFlag('CFLAGS', '@x') },
    ],
  });
  await valid(
    { name: 'next line', files: { 'a.go': pkg('// #cgo CFLAGS: -D\n// #cgo CFLAGS: FOO') } },
    // go/build reads the files in name order: a.go's -D takes b.go's FOO …
    { name: 'next file', files: { 'a.go': pkg('// #cgo CFLAGS: -D'), 'b.go': pkg('// #cgo CFLAGS: FOO') } },
  );
  // … and b.go's trailing -D has nothing after it.
  await invalid({
    name: 'trailing',
    files: { 'a.go': pkg('// #cgo CFLAGS: -O2'), 'b.go': pkg('// #cgo CFLAGS: -D') },
    errors: [{ at: 'b.go:3:-D', message: invalidFlag('CFLAGS', '-D without argument') }],
  });
});

test('only the #cgo lines the go command uses', async () => {
  await invalid({
    name: 'lines used',
    files: {
      'a.go': pkg('// #cgo windows CFLAGS: -fplugin=a.so\n// #cgo linux,amd64 CFLAGS: -fplugin=b.so'),
      'b_test.go': pkg('// #cgo CFLAGS: -fplugin=test.so'),
      'c.go': '//go:build ignore\n\n' + pkg('// #cgo CFLAGS: -fplugin=ignored.so'),
      'd_windows.go': pkg('// #cgo CFLAGS: -fplugin=win.so'),
      // go/build stops reading a comment at its first bad #cgo line.
      'e.go': pkg('// #cgo CFLAG: -x\n// #cgo CFLAGS: -fplugin=after-bad-line.so'),
    },
    errors: ['a.go:4:-fplugin=b.so'],
  });
});

test('ranges in the file: block comments, quotes, tabs, non-ASCII, CRLF', async () => {
  await invalid({ name: 'CRLF', files: { 'a.go': 'package p\r\n\r\n/*\r\n#cgo\tCFLAGS: -DX="é" \'-fplugin=é.so\'\r\n*/\r\nimport "C"\r\n' }, errors: ["a.go:4:'-fplugin=é.so'"] });
});

test('pkg-config package names', async () => {
  await invalid({
    name: 'package names',
    files: { 'a.go': pkg('// #cgo pkg-config: --static zlib -lz @pc -- --cflags-only-I') },
    errors: [
      { at: 'a.go:3:-lz', message: new RegExp(`${quoting('invalid pkg-config package name: -lz').source}[\\s\\S]*Put compiler flags in #cgo CFLAGS and linker flags in #cgo LDFLAGS\\.$`) },
      { at: 'a.go:3:@pc', message: /^(?![\s\S]*Put compiler flags)/ },
    ],
  });
});

test('CGO_<VERB>_ALLOW and CGO_<VERB>_DISALLOW from the environment', async () => {
  const files = { 'a.go': pkg('// #cgo CFLAGS: -fplugin=a.so -O2\n// #cgo LDFLAGS: -Wl,--whole-archive -lm') };
  await invalid({ name: 'no settings', files, errors: ['a.go:3:-fplugin=a.so', 'a.go:4:-Wl,--whole-archive'] });
  await valid({ name: 'allowed', files, getenv: env({ CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_LDFLAGS_ALLOW: '-Wl,--(no-)?whole-archive' }) });
  // Whole-argument FindString: the leftmost-first match "-Wl" does not cover "-Wl,--whole-archive".
  await invalid({ name: 'leftmost-first', files, getenv: env({ CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_LDFLAGS_ALLOW: '-Wl|-Wl,--whole-archive' }), errors: ['a.go:4:-Wl,--whole-archive'] });
  await invalid({
    name: 'disallowed',
    files,
    getenv: env({ CGO_CFLAGS_ALLOW: '-fplugin=.*', CGO_CFLAGS_DISALLOW: '-O[0-9]', CGO_LDFLAGS_ALLOW: '.*' }),
    errors: [{ at: 'a.go:3:-O2', message: exactly('go build fails: "invalid flag in #cgo CFLAGS: -O2 (see https://go.dev/s/invalidflag)". $CGO_CFLAGS_DISALLOW in the environment matches it.') }],
  });
});

test('an environment regexp Go cannot parse fails every cgo build', async () => {
  // On the first #cgo line of the verb, else on the "C" of the first import.
  await invalid({
    name: 'bad regexps',
    files: { 'a.go': pkg('// #cgo LDFLAGS: -lm\n// #cgo CFLAGS: -fplugin=a.so') },
    getenv: env({ CGO_CFLAGS_ALLOW: '(', CGO_FFLAGS_DISALLOW: '[' }),
    errors: [
      { at: 'a.go:4:CFLAGS', message: quoting('parsing $CGO_CFLAGS_ALLOW: error parsing regexp: missing closing ): `(`') },
      { at: 'a.go:5:"C"', message: quoting('parsing $CGO_FFLAGS_DISALLOW: error parsing regexp: missing closing ]: `[`') },
    ],
  });
  // No cgo, no check.
  await valid({ name: 'no cgo', files: { 'a.go': 'package p\n' }, getenv: env({ CGO_CFLAGS_ALLOW: '(' }) });
});

test('the Go release decides: flags added after 1.19, flags refused after 1.19, and the messages', async () => {
  const files = {
    'a.go': pkg('// #cgo LDFLAGS: -lm -Wl,-z,now -Wl,--push-state,--as-needed -lz -Wl,--pop-state -Wl,-rpath,.\n// #cgo CFLAGS: -ftls-model=initial-exec -fno-canonical-system-headers'),
  };
  await valid({ name: 'Go 1.26', files, target: go(26) }, { name: 'Go 1.27', files, target: go(27) });
  await invalid({
    name: 'Go 1.23',
    files,
    target: go(23),
    errors: ['a.go:3:-Wl,--push-state,--as-needed', 'a.go:3:-Wl,--pop-state', 'a.go:3:-Wl,-rpath,.', 'a.go:4:-ftls-model=initial-exec'],
  });
  await invalid({
    name: 'Go 1.19',
    files,
    target: go(19),
    errors: [
      {
        at: 'a.go:3:-Wl,-z,now',
        message: new RegExp(
          `${quoting('invalid flag in #cgo LDFLAGS: -Wl,-z,now').source}[\\s\\S]*allowlisted flags from #cgo lines \\(https://golang\\.org/s/invalidflag\\)\\. Go 1\\.23 and later allow it \\(this check is for Go 1\\.19\\)\\. If the flag`,
        ),
      },
      { at: 'a.go:3:-Wl,--push-state,--as-needed', message: /Go 1\.24 and later allow it \(this check is for Go 1\.19\)/ },
      'a.go:3:-Wl,--pop-state',
      'a.go:3:-Wl,-rpath,.',
      'a.go:4:-ftls-model=initial-exec',
      'a.go:4:-fno-canonical-system-headers',
    ],
  });

  // The other way round: Go 1.19.8 allows -Wl,-O with a name, Go 1.20+ only a level.
  const ofast = { 'a.go': pkg('// #cgo LDFLAGS: -lm -Wl,-Ofast') };
  await valid({ name: '-Wl,-Ofast on Go 1.19', files: ofast, target: go(19) });
  await invalid({
    name: '-Wl,-Ofast on Go 1.26',
    files: ofast,
    errors: [
      {
        at: 'a.go:3:-Wl,-Ofast',
        // No newer release allows it: no such note.
        message: new RegExp(`${invalidFlag('LDFLAGS', '-Wl,-Ofast').source}[\\s\\S]*allowlisted flags from #cgo lines\\. If the flag is needed`),
      },
    ],
  });
});

test('pkg-config options: refused by Go 1.24+ only, each release with its message', async () => {
  const files = { 'a.go': pkg('// #cgo pkg-config: --static zlib --define-prefix --foo') };
  await valid({ name: 'Go 1.23', files, target: go(23) }, { name: 'Go 1.24, allowed', files, target: go(24), getenv: env({ CGO_CFLAGS_ALLOW: '--.*' }) });
  await invalid({
    name: 'Go 1.24',
    files,
    target: go(24),
    errors: [
      { at: 'a.go:3:--define-prefix', message: quoting('invalid flag in pkg-config --cflags: --define-prefix') },
      { at: 'a.go:3:--foo', message: quoting('invalid flag in pkg-config --cflags: --foo') },
    ],
  });
  await invalid({ name: 'Go 1.25', files, target: go(25), errors: [{ at: 'a.go:3:--foo', message: quoting('invalid flag in pkg-config: --foo') }] });
  await invalid({
    name: 'Go 1.26, allowed',
    files,
    getenv: env({ CGO_CFLAGS_ALLOW: '--.*' }),
    errors: [{ at: 'a.go:3:--foo', message: new RegExp(`${quoting('invalid flag in pkg-config: --foo (see https://go.dev/s/invalidflag)').source}[\\s\\S]*cannot be allowed with an environment variable`) }],
  });
});
