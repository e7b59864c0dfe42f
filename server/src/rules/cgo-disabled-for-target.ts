// The target builds without cgo by the go command's default (target.ts cgoDefault): when
// cross-compiling, when no C compiler is found (Go 1.20+), or on a port without cgo. go/build
// then leaves out every file that imports "C"; when no other Go file is left, `go build` fails
// with "build constraints exclude all Go files in DIR" (Go 1.19.8, 1.26.8 and 1.27.3 alike).
// CGO_ENABLED=0 set on purpose is not reported.
import type { BuildTarget, CgoOff } from '../cgo/constraints';
import type { CgoFile, CgoImport } from '../cgo/package';
import type { Rule, RuleFinding } from '../cgo/rule';

export const cgoDisabledForTarget: Rule = {
  id: 'cgo-disabled-for-target',
  defaultSeverity: 'information',
  summary: 'The target builds without cgo (cross-compiling, or no C compiler): every file that imports "C" drops out.',
  judgesFilesWithoutCgo: true,
  check({ pkg }) {
    const off = pkg.target.cgoOff;
    if (!off || off.reason === 'CGO_ENABLED=0') return [];
    const left = pkg.files.filter((file) => file.included && !file.isTest && !file.ignoredWithoutCgo);
    const findings: RuleFinding[] = [];
    for (const file of pkg.cgoFiles) {
      if (!file.ignoredWithoutCgo) continue;
      findings.push(report(file, file.imports[0], pkg.target, off, left.length === 0 ? pkg.dir : undefined));
    }
    return findings;
  },
};

function report(file: CgoFile, imp: CgoImport, target: BuildTarget, off: Exclude<CgoOff, { reason: 'CGO_ENABLED=0' }>, allExcludedIn: string | undefined): RuleFinding {
  const platform = `${target.goos}/${target.goarch}`;
  const outcome = allExcludedIn
    ? `; no other Go file is left, so go build fails: "build constraints exclude all Go files in ${allExcludedIn}"`
    : ', and builds the package from its other files, without this one';
  let message: string;
  switch (off.reason) {
    case 'cross-compiling':
      message =
        `cgo is off for ${platform}: the go command turns cgo off when cross-compiling (the host is ${off.host}) unless CGO_ENABLED=1 is set, ` +
        `so it leaves out this file${outcome}. To build it with cgo, name a C compiler for the target: ${crossCompile(target)}.`;
      break;
    case 'no C compiler':
      message =
        `cgo is off: Go 1.${target.goMinor} turns cgo off when CC is unset and ${off.compiler} is not on PATH, so it leaves out this file${outcome}. ` +
        `Install ${off.compiler}, or set CC to the C compiler to use.`;
      break;
    case 'no cgo port':
      message = `cgo is off: Go 1.${target.goMinor} has no cgo for ${platform}, so it leaves out this file${outcome}.`;
      break;
  }
  const grouped = imp.specList !== undefined;
  return { file: file.path, start: grouped ? imp.spec.start : imp.decl.start, end: grouped ? imp.spec.end : imp.path.end, message, fixes: [] };
}

/** The article's way (zig cc for the target's triple) and a cross gcc, where both are known for the target. */
function crossCompile(target: BuildTarget): string {
  const env = `GOOS=${target.goos} GOARCH=${target.goarch}`;
  const arch = zigArch[target.goarch];
  const os = zigOS[target.goos];
  const ways: string[] = [];
  if (arch && os) ways.push(`CGO_ENABLED=1 CC="zig cc --target=${arch}-${os}" ${env} go build`);
  const gcc = crossGcc(target);
  if (gcc) ways.push(`CGO_ENABLED=1 CC=${gcc} ${env} go build with a cross gcc`);
  return ways.length > 0 ? ways.join(', or ') : `CGO_ENABLED=1 CC=<a C compiler for ${target.goos}/${target.goarch}> ${env} go build`;
}

/** Zig's names (zig targets) of the Go architectures it can compile C for. */
const zigArch: Record<string, string> = {
  amd64: 'x86_64', arm64: 'aarch64', '386': 'x86', arm: 'arm', riscv64: 'riscv64', ppc64le: 'powerpc64le',
  ppc64: 'powerpc64', s390x: 's390x', loong64: 'loongarch64', mips: 'mips', mipsle: 'mipsel', mips64: 'mips64', mips64le: 'mips64el',
};

/** Zig's OS-and-ABI part of a target triple, for the GOOS values Go can cross-compile cgo to with it. */
const zigOS: Record<string, string> = { linux: 'linux-gnu', windows: 'windows-gnu', darwin: 'macos', freebsd: 'freebsd', netbsd: 'netbsd' };

/** Debian's cross gcc command for Linux and Windows targets (packages gcc-<triple>, gcc-mingw-w64). */
function crossGcc(target: BuildTarget): string | undefined {
  if (target.goos === 'windows') return { amd64: 'x86_64-w64-mingw32-gcc', '386': 'i686-w64-mingw32-gcc' }[target.goarch];
  if (target.goos !== 'linux') return undefined;
  const triple: Record<string, string> = {
    amd64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', '386': 'i686-linux-gnu', arm: 'arm-linux-gnueabihf', riscv64: 'riscv64-linux-gnu',
    ppc64le: 'powerpc64le-linux-gnu', s390x: 's390x-linux-gnu', mips64le: 'mips64el-linux-gnuabi64', mipsle: 'mipsel-linux-gnu', loong64: 'loongarch64-linux-gnu',
  };
  return triple[target.goarch] ? `${triple[target.goarch]}-gcc` : undefined;
}
