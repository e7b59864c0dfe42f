// The oracle's fixtures: test/fixtures/<rule-id>/<case>/{go.mod, case.json, *.go, ...}.
//
// case.json:
// {
//   "description": "what this case shows",
//   "command": "build" | "vet" | "test" | "run" | "run-valgrind",
//                                         // run-valgrind: go build, then the binary under
//                                         // valgrind's leak check (valgrindArgs): fails, with
//                                         // valgrind's "definitely lost" records, when the
//                                         // program leaks C memory; otherwise like "run"
//   "package": ".",                       // or "./app"
//   "env": { "GOOS": "linux", "CGO_ENABLED": null },
//                                         // optional: changes to the hermetic environment
//                                         // (support.ts goEnv) for the go command and cgo-lint
//                                         // alike; null unsets a variable
//   "before": {
//     "ok": false,                        // does the go command succeed on the fixture as is?
//     "output": ["regexp", ...],          // each must match the combined output (stderr + stdout)
//     "stdout": "...",                    // "run" only, when ok: the program's exact stdout
//     "unflaggedLocations": ["main.go:10"] // toolchain-reported file:line that carry no diagnostic
//                                         // of ours (e.g. cgo's "could not determine kind of
//                                         // name" at a C.x use); each must really be reported
//   },
//   "rules": ["..."],                     // optional: more rule ids whose diagnostics are compared
//   "diagnostics": [ { "rule": "...", "file": "main.go", "line": 3, "severity": "warning" } ],
//                                         // severity optional; a case whose go command succeeds
//                                         // may expect diagnostics, but none of error severity
//   "after": { "ok": true, "stdout": "..." } // fix check; omitted for negatives (and for positives
//                                         // whose fix cannot be checked); a build/vet/test case
//                                         // that succeeds before must print a warning: line that
//                                         // the fix removes; "run": stdout after the
//                                         // fix must equal after.stdout (or before.stdout)
//   "versions": {                         // optional: where the truth differs between Go releases
//     "<1.26": { "before": {...}, "diagnostics": [...], "after": {...} | null }
//   }                                     // keys "1.N", "<1.N" or ">=1.N"; every key that holds for
//                                         // the toolchain replaces those fields of the base, in
//                                         // order; the base is the truth for all other releases
// }
import * as fs from 'node:fs';
import * as path from 'node:path';

export type GoCommand = 'build' | 'vet' | 'test' | 'run' | 'run-valgrind';

export interface ExpectedDiagnostic {
  rule: string;
  file: string;
  line: number;
  /** When given, the diagnostic's severity must be this. */
  severity?: 'error' | 'warning' | 'information' | 'hint';
}

export interface CaseSpec {
  description: string;
  command: GoCommand;
  package: string;
  env?: Record<string, string | null>;
  before: {
    ok: boolean;
    output?: string[];
    stdout?: string;
    unflaggedLocations?: string[];
  };
  rules?: string[];
  diagnostics: ExpectedDiagnostic[];
  after?: { ok: true; stdout?: string };
  versions?: Record<string, VersionOverride>;
}

/** The fields a Go release may see differently; after: null means "no fix check there". */
export type VersionOverride = Partial<Pick<CaseSpec, 'before' | 'diagnostics' | 'rules'>> & { after?: CaseSpec['after'] | null };

/** Whether a "versions" key ("1.N", "<1.N", ">=1.N") holds for Go 1.<minor>. */
export function versionKeyHolds(key: string, minor: number): boolean {
  const m = /^(<|>=)?1\.(\d+)$/.exec(key);
  if (!m) throw new Error(`bad versions key ${JSON.stringify(key)}: want "1.N", "<1.N" or ">=1.N"`);
  const n = Number(m[2]);
  return m[1] === '<' ? minor < n : m[1] === '>=' ? minor >= n : minor === n;
}

/** The case as it holds for Go 1.<minor>. */
export function specFor(spec: CaseSpec, minor: number): CaseSpec {
  let out: CaseSpec = { ...spec };
  for (const [key, override] of Object.entries(spec.versions ?? {})) {
    if (!versionKeyHolds(key, minor)) continue;
    const { after, ...rest } = override;
    out = { ...out, ...rest };
    if (after === null) delete out.after;
    else if (after !== undefined) out.after = after;
  }
  delete out.versions;
  return out;
}

export interface Case {
  /** "<rule-id>/<case>" */
  id: string;
  rule: string;
  name: string;
  dir: string;
  spec: CaseSpec;
}

const COMMANDS: readonly GoCommand[] = ['build', 'vet', 'test', 'run', 'run-valgrind'];

/** Loads every case under fixturesRoot, validating case.json; throws with the offending path. */
export function loadCases(fixturesRoot: string): Case[] {
  const cases: Case[] = [];
  for (const rule of readDirs(fixturesRoot)) {
    for (const name of readDirs(path.join(fixturesRoot, rule))) {
      const dir = path.join(fixturesRoot, rule, name);
      const file = path.join(dir, 'case.json');
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`${file}: ${(e as Error).message}`);
      }
      cases.push({ id: `${rule}/${name}`, rule, name, dir, spec: validate(raw, file) });
    }
  }
  return cases;
}

function readDirs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

/** The Go releases whose truth a case may state separately: every override is validated as the base is. */
const validatedMinors = [19, 20, 21, 22, 23, 24, 25, 26, 27];

function validate(raw: unknown, file: string): CaseSpec {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(raw) && raw.versions !== undefined) {
    if (!isObj(raw.versions)) throw new Error(`${file}: "versions" must be an object`);
    for (const [key, override] of Object.entries(raw.versions)) {
      if (!isObj(override)) throw new Error(`${file}: versions[${JSON.stringify(key)}] must be an object`);
      for (const field of Object.keys(override)) {
        if (!['before', 'diagnostics', 'after', 'rules'].includes(field)) throw new Error(`${file}: versions[${JSON.stringify(key)}].${field}: only before, diagnostics, after and rules may differ`);
      }
      versionKeyHolds(key, 19);
    }
    for (const minor of validatedMinors) validateOne(specFor(raw as unknown as CaseSpec, minor) as unknown, file, ` (Go 1.${minor})`);
    return raw as unknown as CaseSpec;
  }
  return validateOne(raw, file);
}

function validateOne(raw: unknown, file: string, forRelease = ''): CaseSpec {
  const fail = (msg: string): never => {
    throw new Error(`${file}${forRelease}: ${msg}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (!isObj(raw)) return fail('not a JSON object');
  const { description, command, before, diagnostics, after, rules } = raw;
  const pkg = raw.package ?? '.';
  if (typeof description !== 'string' || description === '') fail('"description" must be a non-empty string');
  if (!COMMANDS.includes(command as GoCommand)) fail(`"command" must be one of ${COMMANDS.join(', ')}`);
  if (typeof pkg !== 'string' || !(pkg === '.' || pkg.startsWith('./'))) fail('"package" must be "." or "./dir"');
  if (raw.env !== undefined && (!isObj(raw.env) || !Object.values(raw.env).every((v) => typeof v === 'string' || v === null))) {
    fail('"env" must map variable names to strings (or null to unset)');
  }
  if (!isObj(before) || typeof before.ok !== 'boolean') return fail('"before.ok" must be a boolean');
  if (before.output !== undefined && !isStrArr(before.output)) fail('"before.output" must be an array of strings');
  for (const re of (before.output as string[] | undefined) ?? []) {
    try {
      new RegExp(re, 'm');
    } catch (e) {
      fail(`bad regexp ${JSON.stringify(re)}: ${(e as Error).message}`);
    }
  }
  if (before.stdout !== undefined && (typeof before.stdout !== 'string' || !before.ok || !runs(command as GoCommand))) {
    fail('"before.stdout" is for "run" cases that succeed');
  }
  if (before.unflaggedLocations !== undefined) {
    if (!isStrArr(before.unflaggedLocations) || !before.unflaggedLocations.every((l) => /^[^:]+\.go:\d+$/.test(l))) {
      fail('"before.unflaggedLocations" must be ["file.go:LINE", ...]');
    }
  }
  if (rules !== undefined && !isStrArr(rules)) fail('"rules" must be an array of rule ids');
  if (!Array.isArray(diagnostics)) return fail('"diagnostics" must be an array');
  for (const d of diagnostics) {
    if (!isObj(d) || typeof d.rule !== 'string' || typeof d.file !== 'string' || !Number.isInteger(d.line) || (d.line as number) < 1) {
      fail(`bad diagnostic ${JSON.stringify(d)}: want {rule, file, line}`);
    }
    if (d.severity !== undefined && !['error', 'warning', 'information', 'hint'].includes(d.severity as string)) {
      fail(`bad diagnostic ${JSON.stringify(d)}: severity is one of error, warning, information, hint`);
    }
    const target = path.join(path.dirname(file), d.file as string);
    if (!fs.existsSync(target)) fail(`diagnostic file ${d.file} does not exist`);
    const lines = fs.readFileSync(target, 'utf8').split('\n').length;
    if ((d.line as number) > lines) fail(`diagnostic line ${d.line} is past the end of ${d.file}`);
  }
  // A succeeding build may still warn (warning-severity rules) or deserve a note (information);
  // runCase checks that no diagnostic of a succeeding case is an error.
  if (!before.ok && diagnostics.length === 0) fail('a failing case must expect at least one diagnostic');
  if (after !== undefined) {
    if (!isObj(after) || after.ok !== true) fail('"after.ok" must be true (or omit "after")');
    const a = after as Record<string, unknown>;
    if (a.stdout !== undefined && (typeof a.stdout !== 'string' || !runs(command as GoCommand))) fail('"after.stdout" is for "run" cases');
    if (before.ok && !runs(command as GoCommand) && ((before.output as string[] | undefined) ?? []).length === 0) {
      fail('"after" on a build/vet/test case that succeeds needs the warning the fix removes in before.output');
    }
    if (runs(command as GoCommand) && a.stdout === undefined && before.stdout === undefined) {
      fail('a "run" case with "after" needs "after.stdout" (the output the fixed program must print)');
    }
  }
  return raw as unknown as CaseSpec;
}

/** The case's environment: the hermetic one with case.json's "env" applied. */
export function caseEnv(spec: CaseSpec, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [key, value] of Object.entries(spec.env ?? {})) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Whether the case runs the program ("run", "run-valgrind"): its stdout is checked. */
export function runs(command: GoCommand): boolean {
  return command === 'run' || command === 'run-valgrind';
}

/**
 * valgrind for "run-valgrind" cases, before the binary's path. Only memory no pointer reaches
 * at exit ("definitely lost") is an error; valgrind's reports about the Go runtime's own
 * uninitialised reads, thread stacks and word-at-a-time string scans (valgrind.supp) are not
 * the program's. (`go run -asan` cannot be the judge of C.CString: with -asan, Go 1.26.8's
 * cgo-generated _Cfunc_CString moves its slice header to the Go heap, which LeakSanitizer
 * scans as a root, so that dead copy keeps the string "reachable" and nothing is reported.
 * valgrind runs the plain build.)
 */
export const valgrindArgs: readonly string[] = [
  '-q',
  '--leak-check=full',
  '--errors-for-leak-kinds=definite',
  '--show-possibly-lost=no',
  '--undef-value-errors=no',
  `--suppressions=${path.join(__dirname, '..', '..', '..', 'test', 'oracle', 'valgrind.supp')}`,
  '--error-exitcode=23',
];

/** The go command line for a case; "run-valgrind" builds the binary to `binary`. */
export function goArgs(spec: CaseSpec, binary = '/dev/null'): string[] {
  switch (spec.command) {
    case 'run-valgrind':
      // -ldflags=-w: no DWARF, whose version 5 (Go 1.25+) valgrind 3.19 warns it cannot read.
      return ['build', '-ldflags=-w', '-o', binary, spec.package];
    case 'build':
      // -o /dev/null: link (the article's detached preamble only fails at the final link)
      // without leaving a binary in the copy.
      return ['build', '-o', '/dev/null', spec.package];
    case 'vet':
      return ['vet', spec.package];
    case 'test':
      return ['test', '-count=1', spec.package];
    case 'run':
      return ['run', spec.package];
  }
}

/**
 * The file:line locations the toolchain reported inside the case copy, as
 * "rel/path.go:LINE" (sorted, unique). Recognises gcc's and go's "file.go:L:C:"
 * and "file.go:L:" forms, anywhere on a line (so "In file included from
 * ./main.go:4:" counts too). Paths outside the copy (headers in /usr/include,
 * go-build temp files, cgo-gcc-prolog) and files that do not exist there
 * (_cgo_gotypes.go) are ignored.
 */
export function reportedLocations(output: string, copyDir: string): string[] {
  const found = new Set<string>();
  const re = /(?:^|[\s(])((?:[^\s:()]*\/)?[^\s:/()]+\.go):(\d+):/gm;
  for (const m of output.matchAll(re)) {
    const abs = path.resolve(copyDir, m[1]);
    const rel = path.relative(copyDir, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (!fs.existsSync(abs)) continue;
    found.add(`${rel.split(path.sep).join('/')}:${m[2]}`);
  }
  return [...found].sort();
}
