// Reference text for hovers: the #cgo verbs, the flags people put on #cgo lines, #cgo
// conditions in words, and cgo's own names (C.CString, C.int, ...). Facts about the go command
// are Go 1.19's (cmd/go/internal/work/exec.go, go/build); the notes on -static, -ldl, static
// archives and pkg-config come from the articles in shared/seeds (see the design notes).
import { parseConstraint, knownArch, knownOS, unixOS, type BuildTarget, type Expr } from '../cgo/constraints';
import type { CgoVerb } from '../cgo/directives';

export interface VerbDoc {
  summary: string;
  /** Which files of the package the flags reach. */
  appliesTo: string;
  /** The environment variable the go command puts before the package's flags. */
  env: string;
  /** Its value when unset. */
  envDefault: string;
}

export const verbDocs: Readonly<Record<CgoVerb, VerbDoc>> = {
  CFLAGS: {
    summary: 'Flags for the C compiler.',
    appliesTo: "every C compilation of the package: the cgo-generated C for each preamble and the package's `.c` files",
    env: 'CGO_CFLAGS',
    envDefault: '-g -O2',
  },
  CPPFLAGS: {
    summary: 'Flags for the C preprocessor (`-I`, `-D`, …).',
    appliesTo: "every C, C++, Objective-C and assembly (`.S`) compilation of the package, preambles included; `pkg-config --cflags` output is appended here",
    env: 'CGO_CPPFLAGS',
    envDefault: '',
  },
  CXXFLAGS: {
    summary: 'Flags for the C++ compiler.',
    appliesTo: "the package's C++ files (`.cc`, `.cpp`, `.cxx`)",
    env: 'CGO_CXXFLAGS',
    envDefault: '-g -O2',
  },
  FFLAGS: {
    summary: 'Flags for the Fortran compiler.',
    appliesTo: "the package's Fortran files (`.f`, `.F`, `.for`, `.f90`)",
    env: 'CGO_FFLAGS',
    envDefault: '-g -O2',
  },
  LDFLAGS: {
    summary: 'Flags for the external linker (gcc or clang, run by `go build`).',
    appliesTo: 'the link of every program that imports the package (they travel with it); `pkg-config --libs` output is appended here',
    env: 'CGO_LDFLAGS',
    envDefault: '-g -O2',
  },
  'pkg-config': {
    summary: 'Packages to ask `pkg-config` about: their `--cflags` go to CPPFLAGS, their `--libs` to LDFLAGS.',
    appliesTo: 'the whole package: the go command runs `$PKG_CONFIG --cflags -- NAMES` and `--libs -- NAMES` once for all names',
    env: 'PKG_CONFIG',
    envDefault: 'pkg-config',
  },
};

export const accumulationNote =
  'Package-wide: the go command appends the arguments of every active `#cgo` line of this verb from all non-test `.go` files it builds for the target, in file-name order.';

export interface FlagDoc {
  /** What the flag does, one or two sentences of markdown. */
  text: string;
  /** The part of the argument that names a file or directory, when there is one. */
  path?: { value: string; kind: 'dir' | 'file' };
  /** Caveats worth knowing, markdown. */
  notes: string[];
}

const staticNote =
  'Static linking with glibc: functions like `getaddrinfo` and `getpwnam` still need the shared glibc at run time (the linker warns "Using \'getaddrinfo\' in statically linked applications requires at runtime the shared libraries…"); build with `-tags netgo,osusergo` to keep `net` and `os/user` in pure Go, and add the C++ runtime and libm (`-lstdc++ -lm`) when C++ archives are linked. Every program importing this package links statically; usually it belongs in `go build -ldflags \'-extldflags "-static"\'` instead. Test binaries may still come out dynamically linked.';
const archiveNote =
  "The go command's build cache keys on the flag text, not on the archive's contents: after rebuilding the archive, a `go build` may reuse the old result. Force a rebuild with `go build -a`.";
const dlNote =
  '`dlopen`/`dlsym` live in libdl on Linux before glibc 2.34 (later glibc has them in libc, and `-ldl` is harmless). Go\'s own `plugin` package writes `#cgo linux LDFLAGS: -ldl`; keep the `linux` condition, macOS has no libdl to link.';
const wallNote =
  "`-Wall` warns about cgo's own generated code (`cgo-gcc-prolog: unused variable '_cgo_a'`) for every C function called from Go that takes no arguments and returns nothing; with `-Werror` the build fails.";

const libraryNotes: Record<string, string> = {
  dl: dlNote,
  m: 'The C math library (needed for `ceil`, `sqrt`, … with glibc, especially when linking statically).',
  pthread: 'POSIX threads. Part of glibc since 2.34; the go command already links it for cgo programs.',
  'stdc++': 'The C++ standard library: needed when C++ objects or archives are linked by the C linker, especially with `-static`.',
  'c++': "LLVM's C++ standard library (macOS, clang).",
  rt: 'POSIX realtime extensions (`clock_gettime`, `shm_open`) on older glibc.',
  rdkafka: 'librdkafka. confluent-kafka-go bundles a static librdkafka only for some platforms (not for every OS/arch, e.g. not for Apple silicon in older releases); build with `-tags dynamic` to link the system library found through pkg-config instead.',
};

/** Known GCC/Clang flags with a short description, by exact spelling or prefix. */
const exactFlags: Record<string, string> = {
  '-pthread': 'Compiles and links with POSIX threads support.',
  '-w': 'Turns all compiler warnings off.',
  '-Wall': 'Enables the common compiler warnings.',
  '-Wextra': 'Enables extra compiler warnings beyond `-Wall`.',
  '-Werror': 'Turns every compiler warning into an error.',
  '-pedantic': 'Warns about everything ISO C does not allow.',
  '-ansi': 'Compiles as ISO C90.',
  '-v': 'Makes the compiler or linker print the commands it runs.',
  '-static': 'Links everything statically: no shared libraries at run time.',
  '-static-libgcc': 'Links libgcc statically.',
  '-static-libstdc++': 'Links the C++ standard library statically.',
  '-shared': 'Produces a shared library.',
  '-rdynamic': "Exports all symbols to the dynamic symbol table.",
  '-pie': 'Links a position-independent executable.',
  '-no-pie': 'Links a position-dependent executable.',
  '-fPIC': 'Generates position-independent code (required for shared libraries).',
  '-fpic': 'Generates position-independent code (small GOT).',
  '-fPIE': 'Generates position-independent code for executables.',
  '-fno-common': 'Places uninitialised globals in BSS instead of common blocks (gcc 10 default).',
  '-fopenmp': 'Enables OpenMP.',
  '-flto': 'Link-time optimisation; the go command then links externally.',
  '-fno-omit-frame-pointer': 'Keeps frame pointers (better profiles and stack traces).',
  '-fno-strict-aliasing': 'Disables type-based alias analysis.',
  '-fstack-protector': 'Adds stack-smashing checks.',
  '-fstack-protector-strong': 'Adds stack-smashing checks to more functions.',
  '-m64': 'Generates 64-bit code.',
  '-m32': 'Generates 32-bit code.',
  '-mthreads': 'MinGW: thread-safe exception handling.',
  '-mwindows': 'MinGW: a GUI application (no console).',
  '-nostdlib': 'Does not link the standard system libraries and startup files.',
  '-nostdinc': 'Does not search the standard system include directories.',
  '-headerpad_max_install_names': 'macOS: leaves room to rewrite install names later.',
  '-framework': 'macOS: links the framework named by the next argument.',
  '-include': 'Includes the file named by the next argument before the source.',
  '-x': 'Sets the language of the following inputs (next argument).',
  '-isysroot': 'Uses the next argument as the SDK root for headers.',
  '-Xlinker': 'Passes the next argument to the linker.',
  '-O': 'Optimises (level 1).',
  '-g': 'Emits debug information.',
};

/** The flags whose value is a directory or file, inline after the prefix or as the next argument. */
const pathFlags: { prefix: string; kind: 'dir' | 'file'; text: string }[] = [
  { prefix: '-iquote', kind: 'dir', text: 'Adds a directory searched for `#include "…"` only.' },
  { prefix: '-isystem', kind: 'dir', text: 'Adds a directory searched for headers as system headers (warnings in them are suppressed).' },
  { prefix: '-idirafter', kind: 'dir', text: 'Adds a directory searched for headers after the system directories.' },
  { prefix: '-I', kind: 'dir', text: 'Adds a directory to the header search path (`#include "…"` and `<…>`).' },
  { prefix: '-L', kind: 'dir', text: 'Adds a directory to the library search path used by `-l`.' },
  { prefix: '-F', kind: 'dir', text: 'macOS: adds a directory to the framework search path.' },
  { prefix: '--sysroot=', kind: 'dir', text: 'Uses the directory as the root for headers and libraries.' },
];

/** Flags that take the next argument, for describing that argument. */
const takesNext = new Set(['-I', '-L', '-F', '-iquote', '-isystem', '-idirafter', '-framework', '-include', '-x', '-isysroot', '-Xlinker', '-D', '-U']);

/**
 * What an argument of a `#cgo` line does. `args` are the line's arguments after ${SRCDIR}
 * expansion; `index` is the one described.
 */
export function describeFlag(args: readonly string[], index: number, verb: string): FlagDoc {
  const arg = args[index];
  // Walk from the start so `-I -I` reads as a flag and its argument.
  let previous: string | undefined;
  for (let i = 0; i < index; i++) {
    if (takesNext.has(args[i]) && i + 1 === index) previous = args[i];
    else if (takesNext.has(args[i])) i++;
  }
  if (verb === 'pkg-config') {
    if (arg === '--') return { text: 'Ends the options; the go command adds its own `--`.', notes: [] };
    if (arg.startsWith('--')) return { text: `A pkg-config option: the go command passes it before the package names (e.g. \`--static\` asks for the libraries of a static link).`, notes: [] };
    const notes = /rdkafka/i.test(arg) ? [libraryNotes.rdkafka] : [];
    return { text: `A pkg-config package: its \`.pc\` file is looked up in \`PKG_CONFIG_PATH\` and pkg-config's default directories.`, notes };
  }
  if (previous !== undefined) {
    const owner = pathFlags.find((p) => p.prefix === previous);
    if (owner) return { text: `The ${owner.kind === 'dir' ? 'directory' : 'file'} for the preceding \`${previous}\`. ${owner.text}`, path: { value: arg, kind: owner.kind }, notes: [] };
    if (previous === '-framework') return { text: `The macOS framework linked by the preceding \`-framework\` (${arg}.framework).`, notes: [] };
    if (previous === '-include') return { text: 'The file the preceding `-include` includes first.', path: { value: arg, kind: 'file' }, notes: [] };
    return { text: `The argument of the preceding \`${previous}\`.`, notes: [] };
  }
  if (!arg.startsWith('-')) return describeInputFile(arg);

  const exact = exactFlags[arg];
  const notes: string[] = [];
  if (arg === '-static') notes.push(staticNote);
  if (arg === '-Wall') notes.push(wallNote);
  if (arg === '-Werror') notes.push(wallNote);
  if (exact) return { text: exact, notes };

  for (const p of pathFlags) {
    if (arg.startsWith(p.prefix) && arg.length > p.prefix.length) {
      return { text: p.text, path: { value: arg.slice(p.prefix.length), kind: p.kind }, notes };
    }
    if (arg === p.prefix) return { text: `${p.text} The directory is the next argument.`, notes };
  }
  if (arg.startsWith('-l') && arg.length > 2) {
    const lib = arg.slice(2);
    const note = libraryNotes[lib];
    return {
      text: `Links the library \`${lib}\`: \`lib${lib}.so\` or \`lib${lib}.a\` (\`.dylib\` on macOS) from the \`-L\` directories and the system library path.`,
      notes: note ? [note] : [],
    };
  }
  if (arg.startsWith('-D')) {
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    return { text: eq < 0 ? `Defines the macro \`${body || '…'}\` as \`1\`.` : `Defines the macro \`${body.slice(0, eq)}\` as \`${body.slice(eq + 1)}\`.`, notes };
  }
  if (arg.startsWith('-U')) return { text: `Undefines the macro \`${arg.slice(2)}\`.`, notes };
  if (/^-O([0-3sgz]|fast)?$/.test(arg)) {
    const level = arg.slice(2);
    const words: Record<string, string> = { '0': 'no optimisation', '1': 'level 1', '2': 'level 2 (the go command\'s default through CGO_CFLAGS=-g -O2)', '3': 'level 3', s: 'optimise for size', z: 'optimise for size (clang, aggressively)', g: 'optimise for debugging', fast: 'level 3 plus unsafe floating-point optimisations' };
    return { text: `Optimisation: ${words[level] ?? level}.`, notes };
  }
  if (/^-g/.test(arg)) return { text: 'Emits debug information (`-g0` none, `-g3` with macros, `-ggdb` for gdb).', notes };
  if (arg.startsWith('-std=')) return { text: `Compiles as the language standard \`${arg.slice(5)}\`.`, notes };
  if (arg.startsWith('-Wl,')) return describeLinkerPassThrough(arg, notes);
  if (arg.startsWith('-Wa,')) return { text: `Passes \`${arg.slice(4).split(',').join(' ')}\` to the assembler.`, notes };
  if (arg.startsWith('-Wp,')) return { text: `Passes \`${arg.slice(4).split(',').join(' ')}\` to the preprocessor.`, notes };
  if (arg.startsWith('-Wno-')) return { text: `Turns off the warning \`-W${arg.slice(5)}\`.`, notes };
  if (arg.startsWith('-Werror=')) return { text: `Turns the warning \`-W${arg.slice(8)}\` into an error.`, notes };
  if (arg.startsWith('-W')) return { text: `Enables the compiler warning \`${arg}\`.`, notes };
  if (arg.startsWith('-fsanitize=')) return { text: `Instruments the code with the \`${arg.slice(11)}\` sanitizer (link with the same flag).`, notes };
  if (arg.startsWith('-fvisibility=')) return { text: `Default symbol visibility \`${arg.slice(13)}\`.`, notes };
  if (arg.startsWith('-fno-')) return { text: `Turns off the code-generation option \`-f${arg.slice(5)}\`.`, notes };
  if (arg.startsWith('-f')) return { text: `Code-generation option \`${arg}\`.`, notes };
  if (arg.startsWith('-march=')) return { text: `Generates code for the CPU \`${arg.slice(7)}\` (the binary may not run on older CPUs).`, notes };
  if (arg.startsWith('-mtune=')) return { text: `Tunes the code for the CPU \`${arg.slice(7)}\`.`, notes };
  if (arg.startsWith('-mmacosx-version-min=')) return { text: `macOS: the oldest macOS version to run on (${arg.slice(21)}).`, notes };
  if (arg.startsWith('-m')) return { text: `Target machine option \`${arg}\`.`, notes };
  if (arg.startsWith('-static')) return { text: `A static-linking variant (\`${arg}\`).`, notes };
  return { text: `A flag passed to the ${verb === 'LDFLAGS' ? 'linker' : 'compiler'} as it is.`, notes };
}

function describeLinkerPassThrough(arg: string, notes: string[]): FlagDoc {
  const parts = arg.slice(4).split(',');
  const first = parts[0];
  if ((first === '-rpath' || first === '-R') && parts.length > 1) {
    return { text: 'Adds a directory the dynamic loader searches for shared libraries at run time.', path: { value: parts.slice(1).join(','), kind: 'dir' }, notes };
  }
  if (first.startsWith('-rpath=')) {
    return { text: 'Adds a directory the dynamic loader searches for shared libraries at run time.', path: { value: first.slice(7), kind: 'dir' }, notes };
  }
  const known: Record<string, string> = {
    '--whole-archive': 'links every object of the following archives, used or not',
    '--no-whole-archive': 'ends `--whole-archive`',
    '-Bstatic': 'links the following `-l` libraries statically',
    '-Bdynamic': 'links the following `-l` libraries dynamically',
    '--as-needed': 'records only the shared libraries that are really used',
    '--no-as-needed': 'records every following shared library',
    '--start-group': 'searches the following archives repeatedly (circular dependencies)',
    '--end-group': 'ends `--start-group`',
    '-framework': 'links a macOS framework',
    '--allow-multiple-definition': 'lets a symbol be defined more than once',
    '-undefined': 'macOS: how undefined symbols are treated',
  };
  const what = known[first];
  return { text: `Passes \`${parts.join(' ')}\` to the linker${what ? `: ${what}` : ''}.`, notes };
}

function describeInputFile(arg: string): FlagDoc {
  if (/\.a$/.test(arg)) {
    return { text: 'A static archive, linked into every program that imports the package.', path: { value: arg, kind: 'file' }, notes: [archiveNote] };
  }
  if (/\.(o|obj)$/.test(arg)) {
    return { text: 'An object file, linked into every program that imports the package.', path: { value: arg, kind: 'file' }, notes: [archiveNote] };
  }
  if (/\.(so(\.[0-9]+)*|dylib|dll|tbd)$/.test(arg)) {
    return {
      text: 'A shared library linked by path; the dynamic loader must find it at run time (`-Wl,-rpath,DIR` or the system library path).',
      path: { value: arg, kind: 'file' },
      notes: [],
    };
  }
  return { text: 'An argument passed as it is (not a flag).', notes: [] };
}

// ---------------------------------------------------------------------------------------------
// #cgo conditions
// ---------------------------------------------------------------------------------------------

const impliedBy: Record<string, string> = { linux: 'android', solaris: 'illumos', darwin: 'ios' };

function tagWords(tag: string, negated: boolean): string {
  const not = negated ? 'not ' : '';
  if (knownOS.has(tag)) {
    const also = impliedBy[tag] ? ` (${impliedBy[tag]} counts as ${tag})` : '';
    return `the target OS is ${not}${tag}${also}`;
  }
  if (knownArch.has(tag)) return `the target architecture is ${not}${tag}`;
  if (tag === 'unix') return `the target OS is ${not}a Unix (${[...unixOS].slice(0, 4).join(', ')}, …)`;
  if (tag === 'cgo') return `cgo is ${not}enabled`;
  if (tag === 'gc' || tag === 'gccgo') return `the compiler is ${not}${tag}`;
  const release = /^go1\.(\d+)$/.exec(tag);
  if (release) return negated ? `Go is older than 1.${release[1]}` : `Go is 1.${release[1]} or newer`;
  if (tag.startsWith('goexperiment.')) return `the Go experiment ${tag.slice(13)} is ${not}enabled`;
  return `the build tag \`${tag}\` is ${not}set (\`-tags ${tag}\`)`;
}

export function exprWords(x: Expr): string {
  switch (x.kind) {
    case 'tag':
      return tagWords(x.tag, false);
    case 'not':
      return x.x.kind === 'tag' ? tagWords(x.x.tag, true) : `not (${exprWords(x.x)})`;
    case 'and':
      return `${group(x.x, 'or')} **and** ${group(x.y, 'or')}`;
    case 'or':
      return `${group(x.x, 'and')} **or** ${group(x.y, 'and')}`;
  }
}

function group(x: Expr, parenthesized: 'and' | 'or'): string {
  const words = exprWords(x);
  return x.kind === parenthesized ? `(${words})` : words;
}

/** One condition word of a #cgo line in words, as go/build's matchAuto reads it. */
export function conditionWords(text: string): { syntax: '+build' | '//go:build'; words: string; valid: boolean } {
  const goBuild = /[&|()]/.test(text);
  try {
    const x = parseConstraint(goBuild ? `//go:build ${text}` : `// +build ${text}`);
    // +build syntax turns a malformed word into the tag "ignore"; it never matches.
    const invalid = !goBuild && containsIgnoreFor(x, text);
    return { syntax: goBuild ? '//go:build' : '+build', words: invalid ? 'a part of it is not a valid tag' : exprWords(x), valid: !invalid };
  } catch (error) {
    return { syntax: '//go:build', words: `not a valid expression (${error instanceof Error ? error.message : String(error)})`, valid: false };
  }
}

function containsIgnoreFor(x: Expr, text: string): boolean {
  const has = (e: Expr): boolean => (e.kind === 'tag' ? e.tag === 'ignore' : e.kind === 'not' ? has(e.x) : has(e.x) || has(e.y));
  return has(x) && !/(^|[,!])ignore($|,)/.test(text);
}

export function targetName(target: BuildTarget): string {
  return `${target.goos}/${target.goarch}`;
}

// ---------------------------------------------------------------------------------------------
// cgo's own names
// ---------------------------------------------------------------------------------------------

export const cgoHelperDocs: Record<string, string> = {
  CString: 'Copies a Go string to a new C string allocated with `malloc`. The caller must free it: `defer C.free(unsafe.Pointer(cs))` (with `#include <stdlib.h>`).',
  CBytes: 'Copies a Go byte slice to a new C array allocated with `malloc`; free it with `C.free`.',
  GoString: 'Copies a NUL-terminated C string to a Go string.',
  GoStringN: 'Copies `n` bytes of C memory to a Go string.',
  GoBytes: 'Copies `n` bytes of C memory to a Go byte slice.',
};

export const cgoBasicTypeDocs: Record<string, string> = {
  char: 'char',
  schar: 'signed char',
  uchar: 'unsigned char',
  short: 'short',
  ushort: 'unsigned short',
  int: 'int',
  uint: 'unsigned int',
  long: 'long',
  ulong: 'unsigned long',
  longlong: 'long long',
  ulonglong: 'unsigned long long',
  float: 'float',
  double: 'double',
  _Bool: '_Bool',
  complexfloat: 'float _Complex',
  complexdouble: 'double _Complex',
  void: 'void (the result of a void function in `_, err := C.f()`)',
};

export const pkgConfigEnvNote =
  'pkg-config finds `.pc` files through `PKG_CONFIG_PATH` and its default directories. Homebrew on Apple silicon installs under `/opt/homebrew` (for example `PKG_CONFIG_PATH=/opt/homebrew/opt/openssl@3/lib/pkgconfig`), and an editor started from the Dock does not see variables exported in a shell profile.';
