// The one rule tester, in the manner of ESLint's RuleTester and go/analysis' analysistest: a
// rule is handed alone to an engine (as the server and cgo-lint hand it the registry), run on
// inline packages, and its findings and fixed files are compared with what the case expects.
//
//   await ruleTester.run(cstringLeak, {
//     valid: [{ name: 'freed', files: { 'a.go': source } }],
//     invalid: [{ name: 'leaks', files: { 'a.go': leaky }, errors: ['14:C.CString(s)'], output: { 'a.go': fixed } }],
//   });
//
// Expected findings, in the order the engine reports them, each `[severity@][file:]line[:text]`
// (text: exactly what the finding spans, or `text…` for what it starts with; file: optional in
// a one-file package), or an object that adds the message, the fixes and a fix applied alone.
// Or, so that lines cannot drift, a `// want "regexp" ["regexp" ...]` comment at the end of each
// line that must carry findings whose messages match (analysistest's form; in a preamble it is
// a C comment too). `output` is the package after `cgo-lint --fix`: the same fix loop
// (cgo/fixLoop.ts), run in memory; files it does not list must be left as they were.
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/cgo/engine';
import { applyEdits } from '../../server/src/cgo/edits';
import type { Finding } from '../../server/src/cgo/findings';
import { fixUntilSettled } from '../../server/src/cgo/fixLoop';
import type { Getenv } from '../../server/src/cgo/goGetenv';
import { defaultGrammarDir, loadGrammars, type Grammars } from '../../server/src/cgo/grammars';
import type { Rule } from '../../server/src/cgo/rule';
import type { BuildTarget } from '../../server/src/cgo/constraints';
import { resolveTarget } from '../../server/src/cgo/target';
import { LineIndex } from '../../server/src/cgo/text';

export type Files = Record<string, string>;

export interface PackageCase {
  name: string;
  /** The package directory's files by name: its .go files are checked, the others are headers it may include. */
  files: Files;
  /** The package directory (default /virtual/p). */
  dir?: string;
  /** Files outside the package directory (headers found through -I), by absolute path. */
  elsewhere?: Files;
  /** Default: linux/amd64 of the newest Go release known. */
  target?: BuildTarget;
  /** The go command's settings (CGO_CFLAGS_ALLOW, …); default: none set, so the developer's environment never leaks in. */
  getenv?: Getenv;
}

export interface ExpectedFinding {
  /** `[severity@][file:]line[:text]`, as in the short form. */
  at: string;
  message?: RegExp;
  /** The titles of its fixes, in order. */
  fixes?: string[];
  /** The title of its one preferred fix (the one cgo-lint --fix applies; no other is preferred); null: it has none. */
  preferredFix?: string | null;
  /**
   * One fix applied alone, as a quick fix in the editor is (default: the preferred one): the
   * package's changed files after it, and the rule's findings left (default none).
   */
  applying?: { title?: string; output: Files; left?: string[] };
}

export interface InvalidCase extends PackageCase {
  /** The rule's findings, in order; omitted when the sources' `// want` comments say it. */
  errors?: (string | ExpectedFinding)[];
  /** The titles of every finding's fixes, in order (when they are the same for all). */
  fixTitles?: string[];
  /** The files `cgo-lint --fix` changes or creates, with their texts after it; undefined: not checked. */
  output?: Files;
  /** The rule's findings left after `cgo-lint --fix` (short forms, lines of the fixed files); default none. */
  afterFix?: string[];
}

const noSettings: Getenv = () => '';

let grammars: Promise<Grammars> | undefined;
const engines = new Map<Rule, Promise<Engine>>();

/** An engine running this one rule, kept for the rest of the test process. */
function engineFor(rule: Rule): Promise<Engine> {
  grammars ??= loadGrammars(defaultGrammarDir(__dirname));
  let engine = engines.get(rule);
  if (!engine) {
    engine = grammars.then((loaded) => new Engine(loaded, [rule]));
    engines.set(rule, engine);
  }
  return engine;
}

function pathsOf(c: PackageCase): { dir: string; texts: Map<string, string> } {
  const dir = c.dir ?? '/virtual/p';
  return { dir, texts: new Map(Object.entries(c.files).map(([name, text]) => [`${dir}/${name}`, text])) };
}

function checkTexts(engine: Engine, c: PackageCase, dir: string, texts: ReadonlyMap<string, string>): Finding[] {
  const sources = [...texts].filter(([file]) => file.endsWith('.go') && file.lastIndexOf('/') === dir.length).map(([path, text]) => ({ path, text }));
  return engine.checkPackage(dir, sources, {
    target: c.target ?? resolveTarget('linux', 'amd64', {}),
    getenv: c.getenv ?? noSettings,
    readText: (file) => texts.get(file) ?? c.elsewhere?.[file],
  });
}

/** The rule's findings on the case's package (for the rare assertion the expected forms cannot say). */
export async function findings(rule: Rule, c: PackageCase): Promise<Finding[]> {
  const { dir, texts } = pathsOf(c);
  return checkTexts(await engineFor(rule), c, dir, texts).filter((f) => f.rule === rule.id);
}

/** The package's files after cgo-lint's fix loop, with only the rule's fixes. */
export async function fixed(rule: Rule, c: PackageCase): Promise<Files> {
  const engine = await engineFor(rule);
  const { dir, texts } = pathsOf(c);
  const current = new Map(texts);
  await fixUntilSettled(
    // A snapshot: the round's fixes apply on top of each other to the texts it checked.
    () => ({ findings: checkTexts(engine, c, dir, current).filter((f) => f.rule === rule.id), texts: new Map(current) }),
    ({ writes, unread }) => {
      assert.equal(unread, undefined, `${c.name}: a fix edits ${unread}, which is not in the case`);
      for (const write of writes) {
        assert.ok(!write.create || !current.has(write.file), `${c.name}: a fix creates ${write.file}, which exists`);
        current.set(write.file, write.text);
      }
      return 'applied';
    },
  );
  return namesOf(dir, current);
}

function namesOf(dir: string, texts: ReadonlyMap<string, string>): Files {
  return Object.fromEntries([...texts].map(([file, text]) => [file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file, text]));
}

/** The files that differ between two versions of a package, with their new texts. */
function changed(before: Files, after: Files): Files {
  return Object.fromEntries(Object.entries(after).filter(([name, text]) => before[name] !== text));
}

const shortForm = /^(?:(error|warning|information|hint)@)?(?:([^:]+):)?(\d+)(?::([\s\S]*))?$/;

/** A finding written in the shape of an expected one: the same parts present. */
function render(finding: Finding, like: string, c: PackageCase, dir: string, files: Files = c.files): string {
  const m = shortForm.exec(like);
  assert.ok(m, `${c.name}: "${like}" is not [severity@][file:]line[:text]`);
  const name = finding.file.startsWith(`${dir}/`) ? finding.file.slice(dir.length + 1) : finding.file;
  const text = files[name] ?? '';
  const line = new LineIndex(text).lineOf(finding.start) + 1;
  let span = text.slice(finding.start, finding.end);
  // `text…`: the finding spans text and more (a call and its arguments).
  const prefix = m[4]?.endsWith('…') ? m[4].slice(0, -1) : undefined;
  if (prefix !== undefined && span.startsWith(prefix)) span = `${prefix}…`;
  return `${m[1] ? `${finding.severity}@` : ''}${m[2] !== undefined ? `${name}:` : ''}${line}${m[4] !== undefined ? `:${span}` : ''}`;
}

/** The `// want "re" ...` comments of each file: file name, 1-based line, the regexps. */
function wants(c: PackageCase): { name: string; line: number; patterns: RegExp[] }[] {
  const found: { name: string; line: number; patterns: RegExp[] }[] = [];
  for (const [name, text] of Object.entries(c.files)) {
    text.split('\n').forEach((line, index) => {
      const m = /\/\/ want((?:\s+"(?:[^"\\]|\\.)*")+)\s*(?:\*\/)?\r?$/.exec(line);
      if (!m) return;
      const patterns = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((q) => new RegExp(JSON.parse(`"${q[1]}"`) as string));
      found.push({ name, line: index + 1, patterns });
    });
  }
  return found;
}

function assertWants(c: PackageCase, dir: string, actual: Finding[]): void {
  const expected = wants(c);
  const unmatched = [...actual];
  for (const want of expected) {
    for (const pattern of want.patterns) {
      const index = unmatched.findIndex((f) => f.file === `${dir}/${want.name}` && new LineIndex(c.files[want.name]).lineOf(f.start) + 1 === want.line && pattern.test(f.message));
      assert.ok(index >= 0, `${c.name}: ${want.name}:${want.line}: no finding matches ${pattern}; found ${describe(actual, c, dir)}`);
      unmatched.splice(index, 1);
    }
  }
  assert.deepEqual(describe(unmatched, c, dir), [], `${c.name}: findings no // want comment expects`);
}

function describe(found: Finding[], c: PackageCase, dir: string, files: Files = c.files): string[] {
  return found.map((f) => `${render(f, 'a:1', c, dir, files)}: ${f.message}`);
}

async function assertInvalid(rule: Rule, c: InvalidCase): Promise<void> {
  const engine = await engineFor(rule);
  const { dir, texts } = pathsOf(c);
  const actual = checkTexts(engine, c, dir, texts).filter((f) => f.rule === rule.id);
  assert.ok(actual.length > 0, `${c.name}: ${rule.id} reports nothing`);
  if (c.errors) {
    const expected = c.errors.map((e) => (typeof e === 'string' ? { at: e } : e));
    assert.deepEqual(
      actual.map((f, i) => render(f, expected[Math.min(i, expected.length - 1)]?.at ?? '1', c, dir)),
      expected.map((e) => e.at),
      c.name,
    );
    for (const [i, e] of expected.entries()) {
      const finding = actual[i];
      if (e.message) assert.match(finding.message, e.message, `${c.name}: the message of ${e.at}`);
      if (e.fixes) assert.deepEqual(finding.fixes.map((fix) => fix.title), e.fixes, `${c.name}: the fixes of ${e.at}`);
      if (e.preferredFix !== undefined) {
        const preferred = finding.fixes.filter((fix) => fix.preferred).map((fix) => fix.title);
        assert.deepEqual(preferred, e.preferredFix === null ? [] : [e.preferredFix], `${c.name}: the preferred fix of ${e.at}`);
      }
      if (e.applying) {
        const wanted = e.applying.title;
        const fix = finding.fixes.find((f) => (wanted === undefined ? f.preferred : f.title === wanted));
        assert.ok(fix, `${c.name}: no fix ${wanted ?? '(preferred)'} among ${finding.fixes.map((f) => f.title).join(', ')}`);
        const after = new Map(texts);
        for (const file of fix.newFiles ?? []) after.set(file, '');
        for (const file of new Set(fix.edits.map((edit) => edit.file))) {
          const result = applyEdits(after.get(file) ?? '', fix.edits.filter((edit) => edit.file === file));
          assert.equal(result.skipped, 0, `${c.name}: "${fix.title}" has overlapping edits in ${file}`);
          after.set(file, result.text);
        }
        const afterFiles = namesOf(dir, after);
        assert.deepEqual(changed(c.files, afterFiles), e.applying.output, `${c.name}: after "${fix.title}"`);
        await assertLeft(rule, { ...c, files: afterFiles }, dir, e.applying.left ?? [], `${c.name}: after "${fix.title}"`);
      }
    }
  } else {
    assert.ok(wants(c).length > 0, `${c.name}: say the expected findings with errors or // want comments`);
    assertWants(c, dir, actual);
  }
  if (c.fixTitles) for (const f of actual) assert.deepEqual(f.fixes.map((fix) => fix.title), c.fixTitles, `${c.name}: the fixes of ${render(f, 'a:1', c, dir)}`);
  if (c.output) {
    const after = await fixed(rule, c);
    assert.deepEqual(changed(c.files, after), c.output, `${c.name}: after cgo-lint --fix`);
    await assertLeft(rule, { ...c, files: after }, dir, c.afterFix ?? [], `${c.name}: after cgo-lint --fix`);
  }
}

/** The rule's findings on a fixed package are `expected` (short forms). */
async function assertLeft(rule: Rule, c: PackageCase, dir: string, expected: string[], what: string): Promise<void> {
  const left = await findings(rule, c);
  assert.deepEqual(
    left.map((f, i) => render(f, expected[Math.min(i, expected.length - 1)] ?? 'a:1', c, dir)),
    expected,
    `${what}: ${describe(left, c, dir).join('; ')}`,
  );
}

async function assertValid(rule: Rule, c: PackageCase): Promise<void> {
  const found = await findings(rule, c);
  const { dir } = pathsOf(c);
  assert.deepEqual(describe(found, c, dir), [], `${c.name}: ${rule.id} must report nothing`);
}

export const ruleTester = {
  /** Checks every case; a failure names its case. */
  async run(rule: Rule, cases: { valid?: PackageCase[]; invalid?: InvalidCase[] }): Promise<void> {
    for (const c of cases.valid ?? []) await assertValid(rule, c);
    for (const c of cases.invalid ?? []) await assertInvalid(rule, c);
  },
  /** No rule of `rules` (the registry, say) but `except` reports anything on these packages. */
  async silent(rules: readonly Rule[], cases: PackageCase[], except?: Rule): Promise<void> {
    for (const rule of rules) if (rule !== except) await assertValidAll(rule, cases);
  },
};

async function assertValidAll(rule: Rule, cases: PackageCase[]): Promise<void> {
  for (const c of cases) await assertValid(rule, c);
}
