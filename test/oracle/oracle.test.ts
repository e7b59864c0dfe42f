// The oracle: the real Go toolchain (+ gcc) decides whether our diagnostics and fixes are right.
//
// For every fixture test/fixtures/<rule-id>/<case>/ (a small Go module + case.json, see cases.ts):
//   (a) run the case's go command (build/vet/test/run) on a temporary copy and check that it
//       succeeds or fails as case.json says, with output matching its regexps (and, for a
//       succeeding "run", the exact stdout);
//   (b) run `node dist/cli.js --format json <copy>` and compare with case.json's diagnostics
//       (exact set of {rule, file, line} for the case's rules); every file.go:LINE the toolchain
//       reported must carry one of our diagnostics unless listed in before.unflaggedLocations;
//   (c) when case.json has "after": run `node dist/cli.js --fix <copy>`, re-run the go command
//       and expect success with no gcc/go warning (for "run", the expected stdout), then re-run
//       cgo-lint and expect no diagnostic at all.
// Fixtures are never written: everything happens in copies under a scratch directory that also
// holds a shared GOCACHE, HOME and GOPATH (see support.ts for the hermetic go environment).
// Every case runs under each toolchain of oracleToolchains() (the current Go and Go 1.19 in npm
// test; Go 1.27.3 from the module cache in `npm run test:go1.27`, a CI step of its own), with
// cgo-lint told that release (--go 1.N), against the case as it holds for that release
// (case.json "versions").
//
// Environment knobs:
//   ORACLE_TOOLCHAIN_ONLY=1  run step (a) only: checks the fixtures against the toolchain
//                            without needing dist/cli.js (used while writing fixtures).
//   ORACLE_CASES=a,b         only the cases whose "<rule-id>/<case>" contains one of these.
//   ORACLE_KEEP_TMP=1        keep the scratch directory (its path is printed).
//   ORACLE_CLI=path.js       check another cgo-lint build instead of dist/cli.js (e.g. a stub
//                            that replays case.json, to test this runner itself).
//   ORACLE_GO=1.19,1.27      the toolchains of these releases (comma-separated) instead.
//   CI=true                  a missing `go` or Go 1.19 is a failure instead of a skip.
// Without `go` on PATH the suite prints one line, `SKIPPED: go not found`, and passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Case, type CaseSpec, caseEnv, goArgs, loadCases, reportedLocations, runs, specFor, valgrindArgs } from './cases';
import { goToolchains, oracleToolchains, type Toolchain } from '../support/go';
import { goAvailable, listFiles, run, type RunResult, Scratch } from './support';

// out/test/oracle -> repository root.
const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');
const CLI = process.env.ORACLE_CLI ? path.resolve(process.env.ORACLE_CLI) : path.join(REPO, 'dist', 'cli.js');
const TOOLCHAIN_ONLY = process.env.ORACLE_TOOLCHAIN_ONLY === '1';
const FILTER = (process.env.ORACLE_CASES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const CONCURRENCY = 2;
const CASE_TIMEOUT_MS = 120_000;
/** Two builds and two programs under valgrind (tens of times slower than native). */
const VALGRIND_CASE_TIMEOUT_MS = 240_000;

interface LintDiagnostic {
  file: string;
  line: number;
  rule: string;
  severity: string;
  message: string;
}

if (!goAvailable()) {
  if (process.env.CI === 'true') {
    test('oracle: go toolchain on PATH', () => {
      assert.fail('go not found on PATH, and CI=true: the oracle suite must run in CI (apt-get install golang-go gcc)');
    });
  } else {
    console.log('SKIPPED: go not found');
    test('oracle: go toolchain on PATH (skipped: go not found)', () => {});
  }
} else {
  let cases: Case[] = [];
  let loadError: Error | undefined;
  try {
    cases = loadCases(FIXTURES).filter((c) => FILTER.length === 0 || FILTER.some((f) => c.id.includes(f)));
  } catch (e) {
    loadError = e as Error;
  }

  test('oracle: fixtures are well-formed', () => {
    if (loadError) throw loadError;
    assert.ok(cases.length > 0, `no fixtures under ${FIXTURES}${FILTER.length ? ` matching ${FILTER.join(',')}` : ''}`);
    for (const c of cases) {
      const gomod = fs.readFileSync(path.join(c.dir, 'go.mod'), 'utf8');
      assert.match(gomod, new RegExp(`^module example\\.com/${escapeRe(c.name)}$`, 'm'), `${c.id}/go.mod: module path`);
      // Go 1.19 must be able to build every fixture: its go line may not ask for more.
      assert.match(gomod, /^go 1\.19$/m, `${c.id}/go.mod: go directive`);
    }
  });

  const { found, required } = goToolchains();
  const toolchains = oracleToolchains(found);
  for (const missing of required.filter((r) => !r.found)) {
    if (process.env.CI === 'true') {
      test(`oracle: ${missing.go} runs`, () => assert.fail(`${missing.go} not found, and CI=true: the oracle proves every fixture on it (apt-get install golang-1.19-go)`));
    } else {
      console.log(`SKIPPED: ${missing.go} not found; the oracle runs without it`);
    }
  }
  for (const toolchain of toolchains) {
    test(`oracle: ${toolchain.version} vs cgo-lint --go 1.${toolchain.minor}`, { concurrency: CONCURRENCY }, async (t) => {
      if (loadError) throw loadError;
      if (!TOOLCHAIN_ONLY) {
        assert.ok(fs.existsSync(CLI), `${CLI} not found: build it first (npm run build)`);
      }
      const scratch = new Scratch();
      try {
        await Promise.all(cases.map((c) => t.test(c.id, { timeout: c.spec.command === 'run-valgrind' ? VALGRIND_CASE_TIMEOUT_MS : CASE_TIMEOUT_MS }, () => runCase(c, specFor(c.spec, toolchain.minor), toolchain, scratch))));
      } finally {
        scratch.dispose();
      }
    });
  }
}

async function runCase(c: Case, spec: CaseSpec, toolchain: Toolchain, scratch: Scratch): Promise<void> {
  const dir = scratch.copy(c.dir, c.name);
  // Shown in messages.
  const commandLine = spec.command === 'run-valgrind' ? [...goArgs(spec, `${dir}.bin`), '&&', 'valgrind', ...valgrindArgs, `${dir}.bin`] : goArgs(spec);
  const go = toolchain.go;
  const cliGo = ['--go', `1.${toolchain.minor}`];
  const id = `${c.id} (${toolchain.version})`;
  const env = caseEnv(spec, scratch.env);

  // (a) the toolchain on the fixture as it is.
  const before = await runCommand(spec, go, dir, env);
  const ctx = `${id}: go ${commandLine.join(' ')} (before the fix)`;
  assert.ok(before.code !== null, `${ctx}: ${before.error}`);
  assert.equal(before.code === 0, spec.before.ok, `${ctx}: expected ${spec.before.ok ? 'success' : 'failure'}\n${show(before)}`);
  for (const re of spec.before.output ?? []) {
    assert.match(before.combined, new RegExp(re, 'm'), `${ctx}: output does not match ${JSON.stringify(re)}\n${show(before)}`);
  }
  if (spec.before.stdout !== undefined) {
    assert.equal(before.stdout, spec.before.stdout, `${ctx}: stdout\n${show(before)}`);
  }
  const locations = before.code === 0 ? [] : reportedLocations(before.combined, dir);
  for (const l of spec.before.unflaggedLocations ?? []) {
    assert.ok(locations.includes(l), `${ctx}: unflaggedLocations lists ${l}, but the toolchain reported only [${locations.join(', ')}]\n${show(before)}`);
  }
  if (TOOLCHAIN_ONLY) return;

  // (b) our diagnostics on the same copy.
  const scope = new Set<string>([c.rule, ...spec.diagnostics.map((d) => d.rule), ...(spec.rules ?? [])]);
  const found = await lint(cliGo, dir, `${id}: cgo-lint --format json (before the fix)`, env);
  const inScope = found.filter((d) => scope.has(d.rule));
  assert.deepEqual(
    inScope.map(key).sort(),
    spec.diagnostics.map(key).sort(),
    `${id}: diagnostics of [${[...scope].join(', ')}] differ from case.json\n  all reported: ${found.map(describe).join('\n                ') || '(none)'}`,
  );
  for (const want of spec.diagnostics) {
    if (want.severity === undefined) continue;
    const got = inScope.find((d) => key(d) === key(want));
    assert.equal(got?.severity, want.severity, `${id}: severity of ${key(want)}`);
  }
  if (before.code === 0) {
    const errors = inScope.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map(describe), [], `${id}: the toolchain succeeds, so none of our diagnostics may be an error`);
  }
  const flagged = new Set(inScope.map((d) => `${d.file}:${d.line}`));
  for (const l of locations) {
    if ((spec.before.unflaggedLocations ?? []).includes(l)) continue;
    assert.ok(flagged.has(l), `${id}: the toolchain reports ${l} but we have no diagnostic on that line\n${show(before)}`);
  }
  if (!spec.after) return;
  if (before.code === 0 && !runs(spec.command)) {
    assert.ok(/\bwarning:/i.test(before.stderr), `${id}: "after" on a case that succeeds needs a warning for the fix to remove\n${show(before)}`);
  }

  // (c) apply our fixes, then the toolchain must pass cleanly and we must be silent.
  const snapshot = readAll(dir);
  const fix = await run(process.execPath, [CLI, ...cliGo, '--fix', dir], { cwd: dir, env: env });
  assert.ok(fix.code === 0 || fix.code === 1, `${id}: cgo-lint --fix exited ${fix.code}\n${show(fix)}`);
  const changed = diffFiles(snapshot, readAll(dir));
  assert.ok(changed.length > 0, `${id}: cgo-lint --fix changed nothing\n${show(fix)}`);
  const fixedFiles = changed.map((f) => `--- ${f} after --fix:\n${fs.readFileSync(path.join(dir, f), 'utf8')}`).join('\n');

  const after = await runCommand(spec, go, dir, env);
  const actx = `${id}: go ${commandLine.join(' ')} (after cgo-lint --fix)`;
  assert.equal(after.code, 0, `${actx}: expected success\n${show(after)}\n${fixedFiles}`);
  const warnings = after.stderr.split('\n').filter((l) => /\bwarning:/i.test(l));
  assert.deepEqual(warnings, [], `${actx}: warnings after the fix\n${show(after)}\n${fixedFiles}`);
  if (runs(spec.command)) {
    const want = spec.after.stdout ?? spec.before.stdout;
    assert.equal(after.stdout, want, `${actx}: the fixed program's stdout\n${fixedFiles}`);
    // A fix that keeps the output must also keep go vet quiet (union-unsafe-offset's issue asks for it).
    const vet = await run(go, ['vet', './...'], { cwd: dir, env: env });
    assert.equal(vet.code, 0, `${id}: go vet ./... after the fix\n${show(vet)}\n${fixedFiles}`);
  }
  const left = await lint(cliGo, dir, `${id}: cgo-lint --format json (after the fix)`, env);
  assert.deepEqual(left.map(describe), [], `${id}: diagnostics left after --fix\n${fixedFiles}`);
}

/** The case's command on its copy: the go command, or for "run-valgrind" the build and then the binary under valgrind. */
async function runCommand(spec: CaseSpec, go: string, dir: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  if (spec.command !== 'run-valgrind') return run(go, goArgs(spec), { cwd: dir, env });
  // Next to the copy, not in it: the fix check compares the copy's files.
  const binary = `${dir}.bin`;
  const build = await run(go, goArgs(spec, binary), { cwd: dir, env });
  if (build.code !== 0) return build;
  const ran = await run('valgrind', [...valgrindArgs, binary], { cwd: dir, env });
  // The build's warnings count as the command's.
  return { ...ran, stderr: build.stderr + ran.stderr, combined: build.stderr + ran.combined };
}

/** Runs cgo-lint --format json on dir; returns its diagnostics with files relative to dir. */
async function lint(cliGo: string[], dir: string, ctx: string, env: NodeJS.ProcessEnv): Promise<LintDiagnostic[]> {
  // The go command's environment: CGO_*_ALLOW and GOOS/GOARCH must mean the same to both.
  const r = await run(process.execPath, [CLI, ...cliGo, '--format', 'json', dir], { cwd: dir, env });
  assert.ok(r.code === 0 || r.code === 1, `${ctx}: exit status ${r.code}\n${show(r)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.stdout);
  } catch (e) {
    assert.fail(`${ctx}: stdout is not JSON (${(e as Error).message})\n${show(r)}`);
  }
  assert.ok(Array.isArray(parsed), `${ctx}: stdout is not a JSON array\n${show(r)}`);
  const out: LintDiagnostic[] = [];
  for (const item of parsed as unknown[]) {
    const d = item as Partial<LintDiagnostic>;
    assert.ok(
      typeof d.file === 'string' && typeof d.rule === 'string' && Number.isInteger(d.line) && typeof d.severity === 'string',
      `${ctx}: malformed diagnostic ${JSON.stringify(item)}`,
    );
    const rel = path.relative(dir, path.resolve(dir, d.file as string)).split(path.sep).join('/');
    out.push({ file: rel, line: d.line as number, rule: d.rule as string, severity: d.severity as string, message: String(d.message ?? '') });
  }
  const anyError = out.some((d) => d.severity === 'error');
  assert.equal(r.code, anyError ? 1 : 0, `${ctx}: exit status ${r.code} but ${anyError ? 'an' : 'no'} error-severity diagnostic`);
  return out;
}

function key(d: { rule: string; file: string; line: number }): string {
  return `${d.rule} ${d.file}:${d.line}`;
}

function describe(d: LintDiagnostic): string {
  return `${d.file}:${d.line}: ${d.severity}: ${d.message} [${d.rule}]`;
}

function show(r: RunResult): string {
  const clip = (s: string): string => (s.length > 6000 ? `${s.slice(0, 6000)}\n[... ${s.length - 6000} more chars]` : s);
  return [
    `  exit: ${r.code}${r.error ? ` (${r.error})` : ''}`,
    `  stderr:\n${indent(clip(r.stderr))}`,
    `  stdout:\n${indent(clip(r.stdout))}`,
  ].join('\n');
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
}

function readAll(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
}

function diffFiles(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names]
    .filter((n) => {
      const x = a.get(n);
      const y = b.get(n);
      return x === undefined || y === undefined || !x.equals(y);
    })
    .sort();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
