// The real-world gate: cgo-lint on code that builds. Its packages are every cgo package of the
// installed toolchain's own tree and of the real cgo modules pinned in test/realworld/go.mod
// (imported by imports.go, so `go build` there builds each of them first). Shared by the test
// (realworld.test.ts) and the developer report (report.ts, `npm run realworld`).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// out/test/realworld -> repository root.
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const MODULE_DIR = path.join(REPO, 'test', 'realworld');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface GatePackage {
  importPath: string;
  /** "toolchain", or the module path of a pinned module. */
  origin: string;
  dir: string;
  /** Where the package's tree is mirrored from for --fix: GOROOT/src or the module's directory. */
  root: string;
  /** Every .go file directly in dir, absolute: cgo-lint reads them all. */
  goFiles: string[];
  cgoFiles: number;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
}

export type Collected = { ok: true; packages: GatePackage[] } | { ok: false; reason: string };

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=readonly`.trim(), ...env } });
  return { status: result.error ? null : result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** One line per package from `go list -f`, fields split on tabs. */
const listFormat = '{{.ImportPath}}\t{{.Dir}}\t{{len .CgoFiles}}\t{{if .Error}}{{.Error}}{{end}}\t{{with .Module}}{{.Path}}\t{{.Dir}}{{end}}';

interface Listed {
  importPath: string;
  dir: string;
  cgoFiles: number;
  error: string;
  module: string;
  moduleDir: string;
}

function goList(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Listed[] | string {
  const listed = run('go', ['list', '-e', '-f', listFormat, ...args], cwd, env);
  if (listed.status !== 0) return `go list ${args.join(' ')}: ${tail(listed.stderr)}`;
  return listed.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [importPath, dir, cgoFiles, error, module = '', moduleDir = ''] = line.split('\t');
      return { importPath, dir, cgoFiles: Number(cgoFiles), error, module, moduleDir };
    });
}

function goFilesOf(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.go'))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * cgo packages of a pinned module that the gate leaves out, with the reason, from imports.go's
 * "not gated:" comment lines (`//	import/path: reason`).
 */
export function notGated(): Map<string, string> {
  const text = fs.readFileSync(path.join(MODULE_DIR, 'imports.go'), 'utf8');
  const result = new Map<string, string>();
  let inList = false;
  for (const line of text.split('\n')) {
    if (/^\/\/ Not gated\b/.test(line)) inList = true;
    else if (!line.startsWith('//')) inList = false;
    else if (inList) {
      const match = /^\/\/\s+(\S+): (.+)$/.exec(line);
      if (match) result.set(match[1], match[2]);
    }
  }
  return result;
}

/**
 * The gate's packages. Fails (with the reason) when go is missing, a module cannot be
 * downloaded, or a pinned module's packages do not build.
 */
export function collectGate(): Collected {
  if (run('go', ['version'], MODULE_DIR).status !== 0) return { ok: false, reason: 'go not found on PATH' };
  const download = run('go', ['mod', 'download'], MODULE_DIR);
  if (download.status !== 0) return { ok: false, reason: `go mod download in test/realworld failed:\n${tail(download.stderr)}` };
  // Building the package of blank imports builds every gated package of the modules.
  const build = run('go', ['build', '.'], MODULE_DIR, { CGO_ENABLED: '1' });
  if (build.status !== 0) return { ok: false, reason: `go build in test/realworld failed (see .ci/run for the Debian -dev packages):\n${tail(build.stderr)}` };

  const modules = run('go', ['list', '-m', '-f', '{{if not .Main}}{{if not .Indirect}}{{.Path}}{{end}}{{end}}', 'all'], MODULE_DIR);
  if (modules.status !== 0) return { ok: false, reason: `go list -m all: ${tail(modules.stderr)}` };
  const pinned = new Set(modules.stdout.split('\n').filter((m) => m !== ''));
  const imported = goList(['-deps', '.'], MODULE_DIR, { CGO_ENABLED: '1' });
  if (typeof imported === 'string') return { ok: false, reason: imported };
  const gated = imported.filter((p) => pinned.has(p.module) && p.cgoFiles > 0);
  const gatedPaths = new Set(gated.map((p) => p.importPath));

  // Every cgo package of a pinned module is either gated or named, with its reason, in imports.go.
  const skipped = notGated();
  const everyPackage = goList([...pinned].map((m) => `${m}/...`), MODULE_DIR, { CGO_ENABLED: '1' });
  if (typeof everyPackage === 'string') return { ok: false, reason: everyPackage };
  const unaccounted = everyPackage.filter((p) => pinned.has(p.module) && p.cgoFiles > 0 && !gatedPaths.has(p.importPath) && !skipped.has(p.importPath)).map((p) => p.importPath);
  if (unaccounted.length > 0) {
    return { ok: false, reason: `cgo packages of the pinned modules neither imported by test/realworld/imports.go nor listed there as not gated: ${unaccounted.join(', ')}` };
  }

  const packages: GatePackage[] = gated.map((p) => ({ importPath: p.importPath, origin: p.module, dir: p.dir, root: p.moduleDir, goFiles: goFilesOf(p.dir), cgoFiles: p.cgoFiles }));
  const toolchain = toolchainPackages();
  if (typeof toolchain === 'string') return { ok: false, reason: toolchain };
  return { ok: true, packages: [...toolchain, ...packages] };
}

/**
 * testdata programs of the toolchain that its own tests build as they are, in place. The rest of
 * its cgo testdata needs a GOPATH those tests lay out (testcarchive, testcshared, testplugin),
 * gfortran, swig or clang's -fsanitize=memory, is godefs input (testgodefs), or holds
 * deliberate errors (testerrors).
 */
const toolchainTestdata = [
  'runtime/testdata/testprogcgo',
  'runtime/testdata/testsyscall/testsyscallc',
  'cmd/cgo/internal/testso/testdata/so',
  'cmd/cgo/internal/testso/testdata/sovar',
  'cmd/cgo/internal/teststdio/testdata/stdio',
  'cmd/cgo/internal/testlife/testdata',
];

/**
 * The cgo packages of the installed toolchain's tree that build on this machine: std and cmd
 * (with their cgo test packages, cmd/cgo/internal/test*), also as GOEXPERIMENT=boringcrypto
 * builds them (crypto/internal/boring is cgo only there), and the testdata programs above.
 */
function toolchainPackages(): GatePackage[] | string {
  const goroot = run('go', ['env', 'GOROOT'], MODULE_DIR).stdout.trim();
  const src = path.join(goroot, 'src');
  const testdata = toolchainTestdata.map((dir) => `./${dir}`);
  const build = run('go', ['build', ...testdata], src, { CGO_ENABLED: '1' });
  if (build.status !== 0) return `go build of the toolchain's testdata programs failed:\n${tail(build.stderr)}`;
  const byPath = new Map<string, Listed>();
  for (const [env, patterns] of [[{}, ['std', 'cmd', ...testdata]], [{ GOEXPERIMENT: 'boringcrypto' }, ['std']]] as const) {
    const listed = goList([...patterns], src, { CGO_ENABLED: '1', ...env });
    if (typeof listed === 'string') return listed;
    for (const p of listed) if (p.cgoFiles > 0 && p.error === '' && !byPath.has(p.importPath)) byPath.set(p.importPath, p);
  }
  return [...byPath.values()].map((p) => ({ importPath: p.importPath, origin: 'toolchain', dir: p.dir, root: src, goFiles: goFilesOf(p.dir), cgoFiles: p.cgoFiles }));
}

/** Directories to give cgo-lint: the outermost package directories (it walks below them). */
function outermost(dirs: string[]): string[] {
  const sorted = [...new Set(dirs)].sort();
  const result: string[] = [];
  for (const dir of sorted) {
    const last = result[result.length - 1];
    if (last === undefined || !dir.startsWith(last + path.sep)) result.push(dir);
  }
  return result;
}

export interface LintResult {
  /** Error and warning findings on the gate's files. */
  findings: Finding[];
  files: number;
  packages: number;
  ms: number;
}

function lint(args: string[], dirs: string[], env: NodeJS.ProcessEnv = {}): Ran {
  return run(process.execPath, [CLI, ...args, ...outermost(dirs)], REPO, env);
}

/**
 * Another target the gate's code is released for. No C compiler builds for it here, so only
 * the rules judge; CGO_ENABLED=1 as a user building for it natively has it.
 */
export interface OtherTarget {
  goos: string;
  goarch: string;
}

/** cgo-lint --format json over the gate's packages, in place, for the host or another target. */
export function lintGate(packages: GatePackage[], other?: OtherTarget): LintResult {
  const gateFiles = new Set(packages.flatMap((p) => p.goFiles));
  const started = performance.now();
  const args = other ? ['--no-cc', '--goos', other.goos, '--goarch', other.goarch] : [];
  const ran = lint(['--format', 'json', ...args], packages.map((p) => p.dir), other ? { CGO_ENABLED: '1' } : {});
  const ms = performance.now() - started;
  if (ran.status !== 0 && ran.status !== 1) throw new Error(`cgo-lint exited with ${ran.status}:\n${tail(ran.stderr)}`);
  const all = JSON.parse(ran.stdout) as Finding[];
  // cgo-lint walks below the directories it is given; only the gate's own packages count.
  const findings = all.filter((f) => gateFiles.has(f.file) && (f.severity === 'error' || f.severity === 'warning'));
  return { findings, files: gateFiles.size, packages: packages.length, ms };
}

export interface FixResult {
  /** Gate files whose text `cgo-lint --fix` changed, and files it created. */
  changed: string[];
  stdout: string;
  ms: number;
}

/**
 * `cgo-lint --fix` on a copy: the module cache is read-only and the toolchain's tree is not
 * ours. Each root is mirrored as real directories holding copies of the gate packages' files
 * and symbolic links for every other file but .go ones (so headers resolve as in place, and
 * cgo-lint finds no other package to check).
 */
export function fixGate(packages: GatePackage[]): FixResult {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-realworld-'));
  try {
    const gateDirs = new Set(packages.map((p) => p.dir));
    const roots = [...new Set(packages.map((p) => p.root))];
    const mirrored = new Map<string, string>();
    roots.forEach((root, i) => {
      const copy = path.join(scratch, String(i), path.basename(root));
      mirror(root, copy, gateDirs);
      mirrored.set(root, copy);
    });
    const copyOf = (p: GatePackage): string => path.join(mirrored.get(p.root)!, path.relative(p.root, p.dir));
    const started = performance.now();
    const ran = lint(['--fix'], packages.map(copyOf));
    const ms = performance.now() - started;
    if (ran.status !== 0 && ran.status !== 1) throw new Error(`cgo-lint --fix exited with ${ran.status}:\n${tail(ran.stderr)}`);
    const changed: string[] = [];
    for (const p of packages) {
      const copy = copyOf(p);
      for (const name of fs.readdirSync(copy)) {
        const original = path.join(p.dir, name);
        const copied = path.join(copy, name);
        if (!fs.lstatSync(copied).isFile()) continue;
        if (!fs.existsSync(original) || !fs.readFileSync(original).equals(fs.readFileSync(copied))) changed.push(shortPath(original));
      }
    }
    return { changed, stdout: ran.stdout, ms };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function mirror(from: string, to: string, gateDirs: Set<string>): void {
  fs.mkdirSync(to, { recursive: true });
  const inGate = gateDirs.has(from);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) mirror(source, target, gateDirs);
    else if (inGate && entry.isFile()) {
      fs.copyFileSync(source, target);
      // Module cache files are read-only; the copy must take cgo-lint's edits.
      fs.chmodSync(target, 0o644);
    } else if (!entry.name.endsWith('.go')) fs.symlinkSync(source, target);
  }
}

/** Counts by rule and severity, most first. */
export function byRule(findings: Finding[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.rule} (${f.severity})`, (counts.get(`${f.rule} (${f.severity})`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Counts by file, most first. */
export function byFile(findings: Finding[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.file, (counts.get(f.file) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

let modcache: string | undefined;

/** A file of the module cache shown from its module (findings name thousands of them). */
export function shortPath(file: string): string {
  modcache ??= run('go', ['env', 'GOMODCACHE'], MODULE_DIR).stdout.trim() + path.sep;
  return file.startsWith(modcache) ? file.slice(modcache.length) : file;
}
