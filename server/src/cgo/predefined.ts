// The macros the C compiler predefines when the go command builds a preamble for a target, so
// that `#ifdef _WIN32` or `#if __SIZEOF_POINTER__ == 8` can be decided without running it.
//
// linux/amd64 is `gcc -dM -E -pthread -fPIC - </dev/null` of gcc 12 (Debian 12), the C compiler
// of this project's CI; the go command adds -pthread (cmd/go/internal/work/exec.go, gccCmd, all
// GOOS but windows, which gets -mthreads) and -fPIC (all but windows). Other targets follow the
// same compilers' target definitions (gcc/config/<arch>/*.h and linux.h, mingw32.h, freebsd-spec.h;
// clang lib/Basic/Targets/OSTargets.h for darwin, ios and android, whose C compiler is clang):
// check one with `<cross-cc> -dM -E - </dev/null`. Values a target defines but that vary with the
// compiler release (`__FreeBSD__`, clang's `__clang_major__`) are "defined, value unknown".
import { BoundedCache } from './cache';
import type { BuildTarget } from './constraints';

/** A predefined macro's value; `undefined` when it is defined but its value is not known. */
export type PredefinedValue = string | undefined;

const gnuVersion: Record<string, string> = { __GNUC__: '12', __GNUC_MINOR__: '2', __GNUC_PATCHLEVEL__: '0' };
/** clang reports itself as GCC 4.2.1. */
const clangVersion: Record<string, PredefinedValue> = { __GNUC__: '4', __GNUC_MINOR__: '2', __GNUC_PATCHLEVEL__: '1', __clang__: '1', __clang_major__: undefined, __clang_minor__: undefined };

const unix = ['__unix__', '__unix'];
/** Defined only in GNU modes (-std=gnu*, the default): gcc drops names outside the reserved space for -std=c*. */
const osMacros: Record<string, { names: string[]; gnuNames?: string[]; values?: Record<string, PredefinedValue>; elf: boolean; clang?: boolean }> = {
  linux: { names: ['__linux__', '__linux', '__gnu_linux__', ...unix], gnuNames: ['linux', 'unix'], elf: true },
  android: { names: ['__linux__', '__linux', '__ANDROID__', ...unix], gnuNames: ['linux', 'unix'], elf: true, clang: true, values: { __ANDROID_API__: undefined } },
  darwin: { names: ['__APPLE__', '__MACH__'], elf: false, clang: true, values: { __APPLE_CC__: undefined, __ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__: undefined } },
  ios: { names: ['__APPLE__', '__MACH__'], elf: false, clang: true, values: { __ENVIRONMENT_IPHONE_OS_VERSION_MIN_REQUIRED__: undefined } },
  windows: { names: ['_WIN32', '__WIN32', '__WIN32__', '__MINGW32__', '__MSVCRT__', '_MT'], gnuNames: ['WIN32'], elf: false },
  freebsd: { names: [...unix], gnuNames: ['unix'], elf: true, values: { __FreeBSD__: undefined } },
  netbsd: { names: ['__NetBSD__', ...unix], gnuNames: ['unix'], elf: true },
  openbsd: { names: ['__OpenBSD__', ...unix], gnuNames: ['unix'], elf: true },
  dragonfly: { names: ['__DragonFly__', ...unix], gnuNames: ['unix'], elf: true },
  solaris: { names: ['__sun', '__sun__', '__svr4__', '__SVR4', ...unix], gnuNames: ['sun', 'unix'], elf: true },
  illumos: { names: ['__sun', '__sun__', '__svr4__', '__SVR4', ...unix], gnuNames: ['sun', 'unix'], elf: true },
  aix: { names: ['_AIX', '__unix__', '__unix'], gnuNames: ['unix'], elf: false },
};

interface ArchMacros {
  names: string[];
  gnuNames?: string[];
  pointerSize: 4 | 8;
  bigEndian: boolean;
  values?: Record<string, string>;
}

const archMacros: Record<string, ArchMacros> = {
  amd64: { names: ['__x86_64__', '__x86_64', '__amd64__', '__amd64'], pointerSize: 8, bigEndian: false },
  '386': { names: ['__i386__', '__i386'], gnuNames: ['i386'], pointerSize: 4, bigEndian: false },
  arm64: { names: ['__aarch64__'], pointerSize: 8, bigEndian: false },
  arm: { names: ['__arm__'], pointerSize: 4, bigEndian: false },
  riscv64: { names: ['__riscv'], pointerSize: 8, bigEndian: false, values: { __riscv_xlen: '64' } },
  ppc64le: { names: ['__powerpc64__', '__powerpc__', '__PPC64__', '__PPC__', '_ARCH_PPC64', '_LITTLE_ENDIAN', '__LITTLE_ENDIAN__'], pointerSize: 8, bigEndian: false },
  ppc64: { names: ['__powerpc64__', '__powerpc__', '__PPC64__', '__PPC__', '_ARCH_PPC64', '_BIG_ENDIAN', '__BIG_ENDIAN__'], pointerSize: 8, bigEndian: true },
  s390x: { names: ['__s390x__', '__s390__'], pointerSize: 8, bigEndian: true },
  mips64: { names: ['__mips64', '__mips__', '__mips', '_MIPSEB', '__MIPSEB__', '__MIPSEB'], pointerSize: 8, bigEndian: true },
  mips64le: { names: ['__mips64', '__mips__', '__mips', '_MIPSEL', '__MIPSEL__', '__MIPSEL'], pointerSize: 8, bigEndian: false },
  mips: { names: ['__mips__', '__mips', '_MIPSEB', '__MIPSEB__', '__MIPSEB'], pointerSize: 4, bigEndian: true },
  mipsle: { names: ['__mips__', '__mips', '_MIPSEL', '__MIPSEL__', '__MIPSEL'], pointerSize: 4, bigEndian: false },
  loong64: { names: ['__loongarch__', '__loongarch64'], pointerSize: 8, bigEndian: false, values: { __loongarch_grlen: '64' } },
};

/** Names only some compilers, languages or modes define; on a target that does not define one, it is known to be undefined. */
const otherCompilerNames = [
  '_MSC_VER', '__CYGWIN__', '__EMSCRIPTEN__', '__cplusplus', '__OBJC__', '__STRICT_ANSI__', '__INTEL_COMPILER', '__TINYC__',
  '_WIN64', '__WIN64', '__WIN64__', 'WIN64', '__MINGW64__', '__LP64__', '_LP64', '__ELF__', '__PIC__', '__pic__', '_REENTRANT', '__arm64__', '__arm64',
  '__BIG_ENDIAN__', '__LITTLE_ENDIAN__',
];

/** `__STDC_VERSION__` per -std= value (gcc 12); c89/gnu89 define none. */
function stdcVersion(std: string): string | undefined {
  if (/^(c|gnu|iso9899:)(89|90|1990)$/.test(std)) return undefined;
  if (std === 'iso9899:199409') return '199409L';
  if (/^(c|gnu)(99|9x)$|^iso9899:199(9|x)$/.test(std)) return '199901L';
  if (/^(c|gnu)(11|1x)$|^iso9899:2011$/.test(std)) return '201112L';
  if (/^(c|gnu)(17|18)$|^iso9899:(2017|2018)$/.test(std)) return '201710L';
  if (/^(c|gnu)2x$/.test(std)) return '202000L';
  return '201710L';
}

/**
 * The macros predefined for a target, adjusted by the package's compiler flags (`-std=`,
 * `-x objective-c`, `-ansi`); `-D`/`-U` are applied by the preprocessor itself.
 */
export class PredefinedMacros {
  /** Asked for every reading of every file: the answer for a target and flags is kept. One per engine. */
  private readonly byTargetAndFlags = new BoundedCache<string, ReadonlyMap<string, PredefinedValue>>({ maxWeight: 64 });

  of(target: Pick<BuildTarget, 'goos' | 'goarch'>, flags: readonly string[]): ReadonlyMap<string, PredefinedValue> {
    return this.byTargetAndFlags.get(JSON.stringify([target.goos, target.goarch, flags]), () => computePredefined(target, flags));
  }

  /** Answers kept. */
  get size(): number {
    return this.byTargetAndFlags.size;
  }

  dispose(): void {
    this.byTargetAndFlags.dispose();
  }
}

function computePredefined(target: Pick<BuildTarget, 'goos' | 'goarch'>, flags: readonly string[]): Map<string, PredefinedValue> {
  const macros = new Map<string, PredefinedValue>();
  const os = osMacros[target.goos] ?? osMacros.linux;
  const arch = archMacros[target.goarch] ?? archMacros.amd64;
  let std = 'gnu17';
  let objectiveC = false;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    const value = /^--?std=(.*)$/.exec(flag)?.[1];
    if (value) std = value;
    else if (flag === '-ansi') std = 'c90';
    else if (flag === '-x' && i + 1 < flags.length) objectiveC = flags[++i] === 'objective-c';
    else if (flag.startsWith('-x')) objectiveC = flag.slice(2) === 'objective-c';
  }
  const gnu = !std.startsWith('c') && !std.startsWith('iso');
  const set = (name: string, value: PredefinedValue = '1'): void => void macros.set(name, value);
  set('__STDC__');
  set('__STDC_HOSTED__');
  const version = stdcVersion(std);
  if (version) set('__STDC_VERSION__', version);
  if (!gnu) set('__STRICT_ANSI__');
  for (const [name, value] of Object.entries(os.clang ? clangVersion : gnuVersion)) set(name, value);
  if (!os.clang) set('__GNUC_STDC_INLINE__');
  for (const name of os.names) set(name);
  if (gnu) for (const name of os.gnuNames ?? []) set(name);
  for (const [name, value] of Object.entries(os.values ?? {})) set(name, value);
  for (const name of arch.names) set(name);
  if (gnu) for (const name of arch.gnuNames ?? []) set(name);
  for (const [name, value] of Object.entries(arch.values ?? {})) set(name, value);
  if (os.elf) set('__ELF__');
  const windows = target.goos === 'windows';
  if (windows && arch.pointerSize === 8) for (const name of ['_WIN64', '__WIN64', '__WIN64__', '__MINGW64__']) set(name);
  if (windows && arch.pointerSize === 8 && gnu) set('WIN64');
  if ((target.goos === 'darwin' || target.goos === 'ios') && target.goarch === 'arm64') for (const name of ['__arm64__', '__arm64']) set(name);
  if (!windows) {
    set('_REENTRANT');
    set('__PIC__', '2');
    set('__pic__', '2');
  }
  // LP64 everywhere but Windows, which is LLP64.
  const longSize = windows ? 4 : arch.pointerSize;
  if (longSize === 8) {
    set('__LP64__');
    set('_LP64');
  }
  set('__CHAR_BIT__', '8');
  set('__SIZEOF_SHORT__', '2');
  set('__SIZEOF_INT__', '4');
  set('__SIZEOF_LONG__', String(longSize));
  set('__SIZEOF_LONG_LONG__', '8');
  set('__SIZEOF_POINTER__', String(arch.pointerSize));
  set('__SIZEOF_SIZE_T__', String(arch.pointerSize));
  set('__SIZEOF_FLOAT__', '4');
  set('__SIZEOF_DOUBLE__', '8');
  set('__ORDER_LITTLE_ENDIAN__', '1234');
  set('__ORDER_BIG_ENDIAN__', '4321');
  set('__ORDER_PDP_ENDIAN__', '3412');
  set('__BYTE_ORDER__', arch.bigEndian ? '__ORDER_BIG_ENDIAN__' : '__ORDER_LITTLE_ENDIAN__');
  set('__FLOAT_WORD_ORDER__', arch.bigEndian ? '__ORDER_BIG_ENDIAN__' : '__ORDER_LITTLE_ENDIAN__');
  if (objectiveC) set('__OBJC__');
  return macros;
}

let allNames: Set<string> | undefined;

/**
 * Every name some target, compiler or mode predefines: on a target that does not define one, it
 * is known to be undefined (no header of a C library defines `_WIN32` or `__x86_64__`). Constant
 * data, derived once from this file's tables: not a cache, nothing to free.
 */
export function targetMacroNames(): ReadonlySet<string> {
  if (!allNames) {
    allNames = new Set([...Object.keys(clangVersion), ...otherCompilerNames]);
    for (const goos of Object.keys(osMacros)) {
      for (const goarch of Object.keys(archMacros)) {
        for (const flags of [[], ['-std=c99', '-x', 'objective-c']]) for (const name of computePredefined({ goos, goarch }, flags).keys()) allNames.add(name);
      }
    }
  }
  return allNames;
}
