// Where `#include <…>` finds system headers. In trusted workspaces the C compiler says
// (`cc -E -v -x c /dev/null` prints its search list); elsewhere no process may start, so the
// directories gcc searches on Debian and its kin are found by looking: gcc's own include
// directory (/usr/lib/gcc/<triple>/<version>/include), /usr/local/include, the multiarch
// directory and /usr/include, in gcc's order. Only for the host: headers of another target
// are not on this machine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostTarget, type BuildTarget } from './constraints';

/** Debian's multiarch triple per GOARCH on linux (dpkg-architecture -qDEB_HOST_MULTIARCH). */
const multiarch: Record<string, string> = {
  amd64: 'x86_64-linux-gnu',
  '386': 'i386-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  riscv64: 'riscv64-linux-gnu',
  ppc64le: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  mips64le: 'mips64el-linux-gnuabi64',
  loong64: 'loongarch64-linux-gnu',
};

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The newest of gcc's version directories under /usr/lib/gcc/<triple> (`12`, `4.9.2`). */
function newestGccDir(root: string): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return undefined;
  }
  const versions = names.filter((name) => /^\d+(\.\d+)*$/.test(name) && isDirectory(path.join(root, name, 'include')));
  const key = (v: string): number[] => v.split('.').map(Number);
  versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
  return versions[0] && path.join(root, versions[0], 'include');
}

/** The standard system include directories of the host, found without starting any process; none for another target. */
export function standardIncludeDirs(target: Pick<BuildTarget, 'goos' | 'goarch'>, root = '/'): string[] {
  const host = hostTarget();
  if (target.goos !== host.goos || target.goarch !== host.goarch || process.platform === 'win32') return [];
  const triple = target.goos === 'linux' ? multiarch[target.goarch] : undefined;
  const candidates = [
    triple ? newestGccDir(path.join(root, 'usr/lib/gcc', triple)) : undefined,
    path.join(root, 'usr/local/include'),
    triple ? path.join(root, 'usr/include', triple) : undefined,
    path.join(root, 'usr/include'),
  ];
  return candidates.filter((dir): dir is string => dir !== undefined && isDirectory(dir));
}

/** The `#include <…>` search list of `cc -E -v` (gcc and clang print it alike), in order. */
export function parseSearchList(stderr: string): string[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => line.startsWith('#include <...> search starts here:'));
  if (start < 0) return [];
  const dirs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    // clang marks macOS framework directories; they hold no plain headers.
    const dir = line.trim();
    if (!dir.endsWith('(framework directory)')) dirs.push(path.normalize(dir));
  }
  return dirs;
}
