// The go command's #cgo flag allowlist for each Go minor from 1.19 to 1.27, ported from
// cmd/go/internal/work/security.go (validCompilerFlags, validCompilerFlagsWithNextArg,
// validLinkerFlags, validLinkerFlagsWithNextArg, invalidLinkerFlags, validPkgConfigFlags, and
// what checkFlags does around them) and exec.go (getPkgConfigFlags) of one release per minor:
//   1.19  go1.19.8   /usr/lib/go-1.19/src (Debian's golang-1.19 1.19.8-2, the oracle's Go 1.19)
//   1.20  go1.20.14  golang.org/toolchain@v0.0.1-go1.20.14.linux-amd64
//   1.21  go1.21.13  golang.org/toolchain@v0.0.1-go1.21.13.linux-amd64
//   1.22  go1.22.12  golang.org/toolchain@v0.0.1-go1.22.12.linux-amd64
//   1.23  go1.23.12  golang.org/toolchain@v0.0.1-go1.23.12.linux-amd64
//   1.24  go1.24.13  golang.org/toolchain@v0.0.1-go1.24.13.linux-amd64
//   1.25  go1.25.14  golang.org/toolchain@v0.0.1-go1.25.14.linux-amd64
//   1.26  go1.26.8   /usr/local/go/src (the oracle's current Go)
//   1.27  go1.27.3   golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64
// 1.20 to 1.25 are the newest release of each on proxy.golang.org (2026-12-01).
// 1.19 is 1.19.8, not the last 1.19 release (1.19.13, whose security.go is 1.20.14's): it is the
// Go 1.19 that distributions ship and the oracle runs, and every flag 1.19.13 allows 1.19.8
// allows too, so no flag that builds there is reported.
// Later patch releases, read in golang.org/toolchain@v0.0.1-go1.26.11 and -go1.27.4 (the same
// security.go changes in both; 1.19.13 is covered above): a flag either allows that its minor's
// modelled release refuses is allowed here too, since the engine answers for a minor and must
// not report a flag that the user's patch release builds: direct linker inputs ending in .lib.
// What they narrow is not modelled (a missed report, never a false one): -Wl,-R followed by "="
// after its comma, -fsanitize= and -l without a leading "-"/"@" or path characters, -x only with a language,
// no --sysroot/-target, invalidCompilerFlags -gen-*/-gnat*, more invalidLinkerFlags (-lazy_*,
// -load_hidden, -library*, -Wl,--warn-backrefs-exclude), a separate argument after -Wl,X only
// for -Wl,-R, narrower pkg-config options and names, and checks of the files that -L, -isysroot,
// -Wl,… and direct inputs name (linker scripts, embedded linker options, LTO sections, GCC specs).
//
// Each release is written as its changes to the one before, so a list is derived, not copied;
// `test/unit/flags.test.ts` pins the sizes of every derived list. The order of a list does not
// change what checkFlags answers (any complete match allows a flag).

import { newestGoMinor, oldestGoMinor } from './goversion';

/** What security.go and getPkgConfigFlags of one Go release check. */
export interface FlagAllowlist {
  /** The Go minor N of Go 1.N. */
  goMinor: number;
  /** The release ported, e.g. "1.26.8". */
  release: string;
  /** validCompilerFlags: Go regexps, one must match the whole flag. */
  compilerFlags: readonly string[];
  /** validCompilerFlagsWithNextArg: flags that take the next argument. */
  compilerFlagsWithNextArg: readonly string[];
  linkerFlags: readonly string[];
  linkerFlagsWithNextArg: readonly string[];
  /** invalidLinkerFlags (1.21+): refused even when an allowlist entry matches. */
  invalidLinkerFlags: readonly string[];
  /**
   * How getPkgConfigFlags checks the pkg-config options (the "--…" arguments of #cgo pkg-config):
   * not at all (1.19–1.23, 1.24.0); as compiler flags, checkCompilerFlags("CFLAGS",
   * "pkg-config --cflags") with $CGO_CFLAGS_ALLOW/_DISALLOW (1.24.13, also 1.25.0–1.25.7 and
   * 1.26.0); or checkPkgConfigFlags("", "pkg-config") against validPkgConfigFlags, with no
   * overrides and no flag taking the next argument (since 1.25.8 and 1.26.1).
   */
  pkgConfigOptions: 'unchecked' | 'compiler-flags' | 'pkg-config-flags';
  /** validPkgConfigFlags (1.25+). */
  pkgConfigFlags: readonly string[];
  /** checkFlags checks each part of "-Wl,--push-state,a,b" as "-Wl,a", "-Wl,b" (1.24+). */
  splitPushState: boolean;
  /** The page the messages point to: https://golang.org/s/invalidflag, https://go.dev/s/invalidflag (1.26+). */
  invalidFlagURL: string;
  /** The plain "invalid flag in SOURCE: FLAG" message ends with "(see URL)" too (1.26+). */
  urlInEveryMessage: boolean;
  /** checkCompilerFlagsForInternalLink also sends -static and --static to the external linker (1.27+). */
  staticNeedsExternalLink: boolean;
}

// Go 1.19.8's lists, the base the later releases change.
const go119CompilerFlags: readonly string[] = [
  String.raw`-D([A-Za-z_][A-Za-z0-9_]*)(=[^@\-]*)?`,
  String.raw`-U([A-Za-z_][A-Za-z0-9_]*)`,
  String.raw`-F([^@\-].*)`,
  String.raw`-I([^@\-].*)`,
  String.raw`-O`,
  String.raw`-O([^@\-].*)`,
  String.raw`-W`,
  String.raw`-W([^@,]+)`, // -Wall but not -Wa,-foo.
  String.raw`-Wa,-mbig-obj`,
  String.raw`-Wp,-D([A-Za-z_][A-Za-z0-9_]*)(=[^@,\-]*)?`,
  String.raw`-Wp,-U([A-Za-z_][A-Za-z0-9_]*)`,
  String.raw`-ansi`,
  String.raw`-f(no-)?asynchronous-unwind-tables`,
  String.raw`-f(no-)?blocks`,
  String.raw`-f(no-)builtin-[a-zA-Z0-9_]*`,
  String.raw`-f(no-)?common`,
  String.raw`-f(no-)?constant-cfstrings`,
  String.raw`-fdiagnostics-show-note-include-stack`,
  String.raw`-f(no-)?eliminate-unused-debug-types`,
  String.raw`-f(no-)?exceptions`,
  String.raw`-f(no-)?fast-math`,
  String.raw`-f(no-)?inline-functions`,
  String.raw`-finput-charset=([^@\-].*)`,
  String.raw`-f(no-)?fat-lto-objects`,
  String.raw`-f(no-)?keep-inline-dllexport`,
  String.raw`-f(no-)?lto`,
  String.raw`-fmacro-backtrace-limit=(.+)`,
  String.raw`-fmessage-length=(.+)`,
  String.raw`-f(no-)?modules`,
  String.raw`-f(no-)?objc-arc`,
  String.raw`-f(no-)?objc-nonfragile-abi`,
  String.raw`-f(no-)?objc-legacy-dispatch`,
  String.raw`-f(no-)?omit-frame-pointer`,
  String.raw`-f(no-)?openmp(-simd)?`,
  String.raw`-f(no-)?permissive`,
  String.raw`-f(no-)?(pic|PIC|pie|PIE)`,
  String.raw`-f(no-)?plt`,
  String.raw`-f(no-)?rtti`,
  String.raw`-f(no-)?split-stack`,
  String.raw`-f(no-)?stack-(.+)`,
  String.raw`-f(no-)?strict-aliasing`,
  String.raw`-f(un)signed-char`,
  String.raw`-f(no-)?use-linker-plugin`, // safe if -B is not used; we don't permit -B
  String.raw`-f(no-)?visibility-inlines-hidden`,
  String.raw`-fsanitize=(.+)`,
  String.raw`-ftemplate-depth-(.+)`,
  String.raw`-fvisibility=(.+)`,
  String.raw`-g([^@\-].*)?`,
  String.raw`-m32`,
  String.raw`-m64`,
  String.raw`-m(abi|arch|cpu|fpu|tune)=([^@\-].*)`,
  String.raw`-m(no-)?v?aes`,
  String.raw`-marm`,
  String.raw`-m(no-)?avx[0-9a-z]*`,
  String.raw`-mfloat-abi=([^@\-].*)`,
  String.raw`-mfpmath=[0-9a-z,+]*`,
  String.raw`-m(no-)?avx[0-9a-z.]*`,
  String.raw`-m(no-)?ms-bitfields`,
  String.raw`-m(no-)?stack-(.+)`,
  String.raw`-mmacosx-(.+)`,
  String.raw`-mios-simulator-version-min=(.+)`,
  String.raw`-miphoneos-version-min=(.+)`,
  String.raw`-mtvos-simulator-version-min=(.+)`,
  String.raw`-mtvos-version-min=(.+)`,
  String.raw`-mwatchos-simulator-version-min=(.+)`,
  String.raw`-mwatchos-version-min=(.+)`,
  String.raw`-mnop-fun-dllimport`,
  String.raw`-m(no-)?sse[0-9.]*`,
  String.raw`-m(no-)?ssse3`,
  String.raw`-mthumb(-interwork)?`,
  String.raw`-mthreads`,
  String.raw`-mwindows`,
  String.raw`--param=ssp-buffer-size=[0-9]*`,
  String.raw`-pedantic(-errors)?`,
  String.raw`-pipe`,
  String.raw`-pthread`,
  String.raw`-?-std=([^@\-].*)`,
  String.raw`-?-stdlib=([^@\-].*)`,
  String.raw`--sysroot=([^@\-].*)`,
  String.raw`-w`,
  String.raw`-x([^@\-].*)`,
  String.raw`-v`,
];

const go119CompilerFlagsWithNextArg: readonly string[] = [
  '-arch',
  '-D',
  '-U',
  '-I',
  '-F',
  '-framework',
  '-include',
  '-isysroot',
  '-isystem',
  '--sysroot',
  '-target',
  '-x',
];

const go119LinkerFlags: readonly string[] = [
  String.raw`-F([^@\-].*)`,
  String.raw`-l([^@\-].*)`,
  String.raw`-L([^@\-].*)`,
  String.raw`-O`,
  String.raw`-O([^@\-].*)`,
  String.raw`-f(no-)?(pic|PIC|pie|PIE)`,
  String.raw`-f(no-)?openmp(-simd)?`,
  String.raw`-fsanitize=([^@\-].*)`,
  String.raw`-flat_namespace`,
  String.raw`-g([^@\-].*)?`,
  String.raw`-headerpad_max_install_names`,
  String.raw`-m(abi|arch|cpu|fpu|tune)=([^@\-].*)`,
  String.raw`-mfloat-abi=([^@\-].*)`,
  String.raw`-mmacosx-(.+)`,
  String.raw`-mios-simulator-version-min=(.+)`,
  String.raw`-miphoneos-version-min=(.+)`,
  String.raw`-mthreads`,
  String.raw`-mwindows`,
  String.raw`-(pic|PIC|pie|PIE)`,
  String.raw`-pthread`,
  String.raw`-rdynamic`,
  String.raw`-shared`,
  String.raw`-?-static([-a-z0-9+]*)`,
  String.raw`-?-stdlib=([^@\-].*)`,
  String.raw`-v`,

  // Note that any wildcards in -Wl need to exclude comma,
  // since -Wl splits its argument at commas and passes
  // them all to the linker uninterpreted. Allowing comma
  // in a wildcard would allow tunneling arbitrary additional
  // linker arguments through one of these.
  String.raw`-Wl,--(no-)?allow-multiple-definition`,
  String.raw`-Wl,--(no-)?allow-shlib-undefined`,
  String.raw`-Wl,--(no-)?as-needed`,
  String.raw`-Wl,-Bdynamic`,
  String.raw`-Wl,-berok`,
  String.raw`-Wl,-Bstatic`,
  String.raw`-Wl,-Bsymbolic-functions`,
  String.raw`-Wl,-O([^@,\-][^,]*)?`,
  String.raw`-Wl,-d[ny]`,
  String.raw`-Wl,--disable-new-dtags`,
  String.raw`-Wl,-e[=,][a-zA-Z0-9]*`,
  String.raw`-Wl,--enable-new-dtags`,
  String.raw`-Wl,--end-group`,
  String.raw`-Wl,--(no-)?export-dynamic`,
  String.raw`-Wl,-E`,
  String.raw`-Wl,-framework,[^,@\-][^,]+`,
  String.raw`-Wl,--hash-style=(sysv|gnu|both)`,
  String.raw`-Wl,-headerpad_max_install_names`,
  String.raw`-Wl,--no-undefined`,
  String.raw`-Wl,-R([^@\-][^,@]*$)`,
  String.raw`-Wl,--just-symbols[=,]([^,@\-][^,@]+)`,
  String.raw`-Wl,-rpath(-link)?[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-s`,
  String.raw`-Wl,-search_paths_first`,
  String.raw`-Wl,-sectcreate,([^,@\-][^,]+),([^,@\-][^,]+),([^,@\-][^,]+)`,
  String.raw`-Wl,--start-group`,
  String.raw`-Wl,-?-static`,
  String.raw`-Wl,-?-subsystem,(native|windows|console|posix|xbox)`,
  String.raw`-Wl,-syslibroot[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-undefined[=,]([^,@\-][^,]+)`,
  String.raw`-Wl,-?-unresolved-symbols=[^,]+`,
  String.raw`-Wl,--(no-)?warn-([^,]+)`,
  String.raw`-Wl,-?-wrap[=,][^,@\-][^,]*`,
  String.raw`-Wl,-z,(no)?execstack`,
  String.raw`-Wl,-z,relro`,

  String.raw`[a-zA-Z0-9_/].*\.(a|o|obj|dll|dylib|so|tbd)`, // direct linker inputs: x.o or libfoo.so (but not -foo.o or @foo.o)
  String.raw`\./.*\.(a|o|obj|dll|dylib|so|tbd)`,
];

const go119LinkerFlagsWithNextArg: readonly string[] = [
  '-arch',
  '-F',
  '-l',
  '-L',
  '-framework',
  '-isysroot',
  '--sysroot',
  '-target',
  '-Wl,-framework',
  '-Wl,-rpath',
  '-Wl,-R',
  '-Wl,--just-symbols',
  '-Wl,-undefined',
];

interface ListChange {
  /** Entries replaced in place: [as written before, as written now]. */
  replace?: [string, string][];
  remove?: string[];
  add?: string[];
}

/** One release, as its changes to the release of the minor before. */
interface ReleaseChange {
  goMinor: number;
  release: string;
  compilerFlags?: ListChange;
  linkerFlags?: ListChange;
  invalidLinkerFlags?: ListChange;
  pkgConfigFlags?: ListChange;
  settings?: Partial<Omit<FlagAllowlist, 'goMinor' | 'release' | 'compilerFlags' | 'compilerFlagsWithNextArg' | 'linkerFlags' | 'linkerFlagsWithNextArg' | 'invalidLinkerFlags' | 'pkgConfigFlags'>>;
}

const go119: FlagAllowlist = {
  goMinor: 19,
  release: '1.19.8',
  compilerFlags: go119CompilerFlags,
  compilerFlagsWithNextArg: go119CompilerFlagsWithNextArg,
  linkerFlags: go119LinkerFlags,
  linkerFlagsWithNextArg: go119LinkerFlagsWithNextArg,
  invalidLinkerFlags: [],
  pkgConfigOptions: 'unchecked',
  pkgConfigFlags: [],
  splitPushState: false,
  invalidFlagURL: 'https://golang.org/s/invalidflag',
  urlInEveryMessage: false,
  staticNeedsExternalLink: false,
};

/** Added to both lists in 1.25. */
const go125MachineFlags = [
  String.raw`-m(soft|single|double)-float`,
  String.raw`-m(no-)?relax`,
  String.raw`-m(no-)?strict-align`,
  String.raw`-m(no-)?(lsx|lasx|frecipe|div32|lam-bh|lamcas|ld-seq-sa)`,
];
/** 1.25 adds simd and tls-dialect. */
const machineFlags: [string, string] = [String.raw`-m(abi|arch|cpu|fpu|tune)=([^@\-].*)`, String.raw`-m(abi|arch|cpu|fpu|simd|tls-dialect|tune)=([^@\-].*)`];

const releases: readonly ReleaseChange[] = [
  {
    goMinor: 20,
    release: '1.20.14',
    // Tightened after 1.19.8 (1.19.13 has the same lines): -Wl,-O takes a level only, -Wl,-e a
    // non-empty name, and -Wl,-R no "-…" after its comma.
    linkerFlags: {
      replace: [
        [String.raw`-Wl,-O([^@,\-][^,]*)?`, String.raw`-Wl,-O[0-9]+`],
        [String.raw`-Wl,-e[=,][a-zA-Z0-9]*`, String.raw`-Wl,-e[=,][a-zA-Z0-9]+`],
        [String.raw`-Wl,-R([^@\-][^,@]*$)`, String.raw`-Wl,-R,?([^@\-,][^,@]*$)`],
      ],
    },
  },
  {
    goMinor: 21,
    release: '1.21.13',
    // security.go: "On macOS this means the linker loads and executes the next argument."
    invalidLinkerFlags: { add: [String.raw`-lto_library`] },
  },
  {
    goMinor: 22,
    release: '1.22.12',
    compilerFlags: {
      add: [
        String.raw`-fdebug-prefix-map=([^@]+)=([^@]+)`,
        String.raw`-ffile-prefix-map=([^@]+)=([^@]+)`,
        String.raw`-fno-canonical-system-headers`,
        String.raw`-no-canonical-prefixes`,
      ],
    },
  },
  {
    goMinor: 23,
    release: '1.23.12',
    compilerFlags: { add: [String.raw`-mcmodel=[0-9a-z-]+`, String.raw`-mlarge-data-threshold=[0-9]+`] },
    // -Wl,-z,now joins relro and (no)execstack, and several of them may share one -Wl.
    linkerFlags: {
      replace: [[String.raw`-Wl,-z,(no)?execstack`, String.raw`-Wl(,-z,(relro|now|(no)?execstack))+`]],
      remove: [String.raw`-Wl,-z,relro`],
    },
  },
  {
    goMinor: 24,
    release: '1.24.13',
    compilerFlags: { add: [String.raw`-ftls-model=(global-dynamic|local-dynamic|initial-exec|local-exec)`, String.raw`--static`] },
    // The last argument may be one character now ("-Wl,-rpath,." is allowed).
    linkerFlags: {
      replace: [
        [String.raw`-Wl,-framework,[^,@\-][^,]+`, String.raw`-Wl,-framework,[^,@\-][^,]*`],
        [String.raw`-Wl,--just-symbols[=,]([^,@\-][^,@]+)`, String.raw`-Wl,--just-symbols[=,]([^,@\-][^,@]*)`],
        [String.raw`-Wl,-rpath(-link)?[=,]([^,@\-][^,]+)`, String.raw`-Wl,-rpath(-link)?[=,]([^,@\-][^,]*)`],
        [
          String.raw`-Wl,-sectcreate,([^,@\-][^,]+),([^,@\-][^,]+),([^,@\-][^,]+)`,
          String.raw`-Wl,-sectcreate,([^,@\-][^,]*),([^,@\-][^,]*),([^,@\-][^,]*)`,
        ],
        [String.raw`-Wl,-syslibroot[=,]([^,@\-][^,]+)`, String.raw`-Wl,-syslibroot[=,]([^,@\-][^,]*)`],
        [String.raw`-Wl,-undefined[=,]([^,@\-][^,]+)`, String.raw`-Wl,-undefined[=,]([^,@\-][^,]*)`],
      ],
      add: [String.raw`-Wl,--pop-state`, String.raw`-Wl,--push-state`],
    },
    settings: { splitPushState: true, pkgConfigOptions: 'compiler-flags' },
  },
  {
    goMinor: 25,
    release: '1.25.14',
    compilerFlags: {
      replace: [machineFlags],
      add: [String.raw`-fsanitize-undefined-strip-path-components=(-)?[0-9]+`, ...go125MachineFlags],
    },
    linkerFlags: { replace: [machineFlags], add: [String.raw`-mcmodel=[0-9a-z-]+`, ...go125MachineFlags] },
    pkgConfigFlags: {
      add: [
        String.raw`--atleast-pkgconfig-version=\d+\.\d+\.\d+`,
        String.raw`--atleast-version=\d+\.\d+\.\d+`,
        String.raw`--cflags-only-I`,
        String.raw`--cflags`,
        String.raw`--define-prefix`,
        String.raw`--define-variable=[A-Za-z_][A-Za-z0-9_]*=[^@\-]*`,
        String.raw`--digraph`,
        String.raw`--dont-define-prefix`,
        String.raw`--dont-relocate-paths`,
        String.raw`--dump-personality`,
        String.raw`--env-only`,
        String.raw`--errors-to-stdout`,
        String.raw`--exact-version=\d+\.\d+\.\d+`,
        String.raw`--exists`,
        String.raw`--fragment-filter=[A-Za-z_][a-zA-Z0-9_]*`,
        String.raw`--ignore-conflicts`,
        String.raw`--internal-cflags`,
        String.raw`--keep-system-cflags`,
        String.raw`--keep-system-libs`,
        String.raw`--libs-only-l`,
        String.raw`--libs-only-L`,
        String.raw`--libs`,
        String.raw`--list-all`,
        String.raw`--list-package-names`,
        String.raw`--max-version=\d+\.\d+\.\d+`,
        String.raw`--maximum-traverse-depth=[0-9]+`,
        String.raw`--modversion`,
        String.raw`--msvc-syntax`,
        String.raw`--no-cache`,
        String.raw`--no-provides`,
        String.raw`--no-uninstalled`,
        String.raw`--path`,
        String.raw`--personality=(triplet|filename)`,
        String.raw`--prefix-variable=[A-Za-z_][a-zA-Z0-9_]*`,
        String.raw`--print-errors`,
        String.raw`--print-provides`,
        String.raw`--print-requires-private`,
        String.raw`--print-requires`,
        String.raw`--print-variables`,
        String.raw`--pure`,
        String.raw`--shared`,
        String.raw`--short-errors`,
        String.raw`--silence-errors`,
        String.raw`--simulate`,
        String.raw`--static`,
        String.raw`--uninstalled`,
        String.raw`--validate`,
        String.raw`--variable=[A-Za-z_][a-zA-Z0-9_]*`,
        String.raw`--with-path=[^@\-].*`,
      ],
    },
    settings: { pkgConfigOptions: 'pkg-config-flags' },
  },
  {
    goMinor: 26,
    release: '1.26.8',
    // A duplicate of -m(no-)?avx[0-9a-z.]*, which stays: nothing allowed changes.
    compilerFlags: { remove: [String.raw`-m(no-)?avx[0-9a-z]*`] },
    // What 1.26.11 (and 1.27.4) allow beyond 1.26.8 (and 1.27.3): see the top of this file.
    linkerFlags: {
      add: [
        String.raw`[a-zA-Z0-9_/].*\.(a|o|obj|dll|dylib|lib|so|tbd)`,
        String.raw`\./.*\.(a|o|obj|dll|dylib|lib|so|tbd)`,
      ],
    },
    settings: { invalidFlagURL: 'https://go.dev/s/invalidflag', urlInEveryMessage: true },
  },
  {
    goMinor: 27,
    release: '1.27.3',
    settings: { staticNeedsExternalLink: true },
  },
];

function applyChange(list: readonly string[], change: ListChange | undefined, what: string): readonly string[] {
  if (!change) return list;
  let result = [...list];
  for (const [before, now] of change.replace ?? []) {
    const at = result.indexOf(before);
    if (at < 0) throw new Error(`flag allowlist: ${what} has no ${before} to replace`);
    result[at] = now;
  }
  for (const gone of change.remove ?? []) {
    if (!result.includes(gone)) throw new Error(`flag allowlist: ${what} has no ${gone} to remove`);
    result = result.filter((entry) => entry !== gone);
  }
  return [...result, ...(change.add ?? [])];
}

const allowlists = new Map<number, FlagAllowlist>([[19, go119]]);
{
  let previous = go119;
  for (const change of releases) {
    const what = `Go ${change.release}`;
    const next: FlagAllowlist = {
      ...previous,
      ...change.settings,
      goMinor: change.goMinor,
      release: change.release,
      compilerFlags: applyChange(previous.compilerFlags, change.compilerFlags, `${what} compilerFlags`),
      linkerFlags: applyChange(previous.linkerFlags, change.linkerFlags, `${what} linkerFlags`),
      invalidLinkerFlags: applyChange(previous.invalidLinkerFlags, change.invalidLinkerFlags, `${what} invalidLinkerFlags`),
      pkgConfigFlags: applyChange(previous.pkgConfigFlags, change.pkgConfigFlags, `${what} pkgConfigFlags`),
    };
    allowlists.set(change.goMinor, next);
    previous = next;
  }
}

/**
 * The allowlist of Go 1.<goMinor>. A minor before 1.19 gets 1.19's and one after 1.27 gets 1.27's:
 * the nearest release modelled.
 */
export function flagAllowlist(goMinor: number): FlagAllowlist {
  const minor = Math.min(Math.max(Math.trunc(goMinor), oldestGoMinor), newestGoMinor);
  return allowlists.get(minor)!;
}
