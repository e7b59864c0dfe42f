// The compiler pass against go build: on every oracle fixture, the C compiler's errors and
// warnings that cgo-lint shows for a preamble ([cgo (gcc)]) are exactly those `go build` prints
// for it — the same .go file, line, severity and message. Compared per package `go build`
// compiled (a "# import/path" section, or every package when the build passes); lines of
// cgo's generated code (cgo-gcc-prolog, _cgo_*) and headers are not preamble lines.
// ORACLE_GO and ORACLE_CASES select toolchains and cases, as for oracle.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCases, type Case } from './cases';
import { goToolchains, oracleToolchains, type Toolchain } from '../support/go';
import { goAvailable, run, Scratch } from './support';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');
const CLI = path.join(REPO, 'dist', 'cli.js');
const FILTER = (process.env.ORACLE_CASES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
const gccAvailable = run('gcc', ['--version'], { cwd: REPO }).then((r) => r.code === 0);

/** `file.go:LINE: severity: message`, quotes as ASCII (gcc prints ‘…’ in UTF-8 locales). */
type Pair = string;

const goDiagnostic = /^(?:\.\/)?([^\s:]+\.go):(\d+):(?:\d+:)? (error|warning): (.*)$/;

function normalise(message: string): string {
  return message.replace(/[‘’]/g, "'").trim();
}

/** What go build printed for preamble lines, by the import path of the package it built. */
function goPairs(output: string, modulePath: string): Map<string, Pair[]> {
  const sections = new Map<string, Pair[]>();
  let current: Pair[] | undefined;
  for (const line of output.split('\n')) {
    const header = /^# (\S+)/.exec(line);
    if (header) {
      current = sections.get(header[1]) ?? [];
      sections.set(header[1], current);
      continue;
    }
    const m = goDiagnostic.exec(line);
    if (!m || !current) continue;
    current.push(`${m[1]}:${m[2]}: ${m[3]}: ${normalise(m[4])}`);
  }
  // Import paths to package directories relative to the module root.
  const byDir = new Map<string, Pair[]>();
  for (const [importPath, pairs] of sections) {
    const dir = importPath === modulePath ? '.' : importPath.startsWith(`${modulePath}/`) ? importPath.slice(modulePath.length + 1) : undefined;
    if (dir !== undefined) byDir.set(dir, pairs);
  }
  return byDir;
}

interface JsonDiagnostic {
  file: string;
  line: number;
  severity: string;
  rule: string;
  message: string;
}

/** cgo-lint's compiler diagnostics on preamble lines (not those it shows at an #include for a header). */
function ourPairs(json: JsonDiagnostic[], dir: string): Map<string, Pair[]> {
  const byDir = new Map<string, Pair[]>();
  for (const d of json) {
    if (!d.rule.startsWith('cgo (') || / \(in [^()]+:\d+(?::\d+)?\)$/.test(d.message)) continue;
    const rel = path.relative(dir, path.resolve(dir, d.file)).split(path.sep).join('/');
    const pkg = path.posix.dirname(rel);
    const pairs = byDir.get(pkg) ?? [];
    pairs.push(`${rel}:${d.line}: ${d.severity}: ${normalise(d.message)}`);
    byDir.set(pkg, pairs);
  }
  return byDir;
}

async function agree(c: Case, toolchain: Toolchain, scratch: Scratch): Promise<void> {
  const dir = scratch.copy(c.dir, c.name);
  const modulePath = /^module (\S+)$/m.exec(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'))?.[1] ?? '';
  const built = await run(toolchain.go, ['build', './...'], { cwd: dir, env: scratch.env });
  assert.ok(built.code !== null, `${c.id}: go build: ${built.error}`);
  const lint = await run(process.execPath, [CLI, '--go', `1.${toolchain.minor}`, '--cc', '--format', 'json', dir], { cwd: dir, env: scratch.env });
  assert.ok(lint.code === 0 || lint.code === 1, `${c.id}: cgo-lint exited ${lint.code}\n${lint.stderr}`);
  assert.doesNotMatch(lint.stderr, /no C compiler found/);
  const theirs = goPairs(built.combined, modulePath);
  const ours = ourPairs(JSON.parse(lint.stdout) as JsonDiagnostic[], dir);
  // A failed build leaves the packages that import a failed one unbuilt: only those it reported on are compared.
  const compared = built.code === 0 ? new Set([...theirs.keys(), ...ours.keys()]) : new Set(theirs.keys());
  for (const pkg of compared) {
    const want = [...new Set(theirs.get(pkg) ?? [])].sort();
    const got = [...new Set(ours.get(pkg) ?? [])].sort();
    assert.deepEqual(got, want, `${c.id} (${toolchain.version}), package ${pkg}: cgo-lint's compiler diagnostics differ from go build's\n--- go build:\n${built.combined}`);
  }
}

if (!goAvailable()) {
  console.log('SKIPPED: go not found');
  test('compiler agreement: go toolchain on PATH (skipped: go not found)', () => {});
} else {
  const cases = loadCases(FIXTURES).filter((c) => FILTER.length === 0 || FILTER.some((f) => c.id.includes(f)));
  const toolchains = oracleToolchains(goToolchains().found);
  for (const toolchain of toolchains) {
    test(`compiler agreement: ${toolchain.version}`, { concurrency: 2 }, async (t) => {
      if (!(await gccAvailable)) {
        if (process.env.CI === 'true') assert.fail('gcc not found, and CI=true');
        console.log('SKIPPED: gcc not found (compiler agreement)');
        return;
      }
      assert.ok(fs.existsSync(CLI), `${CLI} not found: build it first (npm run build)`);
      const scratch = new Scratch();
      try {
        await Promise.all(cases.map((c) => t.test(c.id, { timeout: 120_000 }, () => agree(c, toolchain, scratch))));
      } finally {
        scratch.dispose();
      }
    });
  }
}
