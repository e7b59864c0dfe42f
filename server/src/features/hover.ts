// Hovers: on the parts of a `#cgo` line (verb, conditions, each argument), on `#include`
// lines, on `import "C"` (the package's cgo summary), and on `C.name` and field accesses on C
// values in Go code (the C declaration and its Go type as cgo names it).
//
// Everything is computed from the engine's model in one synchronous stretch; only pkg-config
// output is awaited afterwards, and only in a trusted workspace with cgo.pkgConfig.enable.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, HoverParams, Range } from 'vscode-languageserver';
import type { CDecl, CScope, CType } from '../cgo/cdecl';
import { declarationHead, typeToC } from '../cgo/cdecl';
import { matchAuto, type BuildTarget } from '../cgo/constraints';
import { cgoVerbs, directiveErrorMessage, type CgoDirective, type CgoVerb } from '../cgo/directives';
import { flagAllowlist } from '../cgo/flagAllowlist';
import type { FlagChecks } from '../cgo/flags';
import { goGetenv } from '../cgo/goGetenv';
import { goFields } from '../cgo/goctypes';
import { cNameOf, cgoBuiltinFunctions, goSignature, goType } from '../cgo/gotypes';
import { layoutOf, namedMembers, scalarSize, type LayoutTarget } from '../cgo/layout';
import type { CgoFile, CgoImport } from '../cgo/package';
import type { PkgConfigResult } from '../cgo/pkgconfig';
import type { Preamble } from '../cgo/preamble';
import {
  accumulationNote,
  cgoBasicTypeDocs,
  cgoHelperDocs,
  conditionWords,
  describeFlag,
  pkgConfigEnvNote,
  targetName,
  verbDocs,
} from './cgoDocs';
import {
  cReferenceAt,
  declarationSpan,
  includeAt,
  referenceSpan,
  relativeName,
  resolveCName,
  spanLink,
  tagSpan,
  type CReference,
} from './cReferences';
import { preambleAt, rangeIn, withView, type DocumentView, type FeatureServices } from './documentView';

/** A pkg-config run the hover would like to show, decided while the view was alive. */
interface PkgConfigRequest {
  args: string[];
  cwd: string;
  /** The Go 1.N whose go command checks the flags pkg-config prints. */
  goMinor: number;
  /** Why pkg-config is not run; undefined when it may run. */
  notRun: string | undefined;
}

interface BuiltHover {
  parts: string[];
  range: Range;
  pkgConfig?: PkgConfigRequest;
}

export async function hover(services: FeatureServices, params: HoverParams): Promise<Hover | null> {
  const built = await withView(services, params.textDocument.uri, (view) => buildHover(services, view, view.document.offsetAt(params.position)));
  if (!built) return null;
  const parts = [...built.parts];
  if (built.pkgConfig) parts.push(await pkgConfigSection(services, built.pkgConfig));
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: built.range };
}

function buildHover(services: FeatureServices, view: DocumentView, offset: number): BuiltHover | undefined {
  const at = preambleAt(view.file, offset);
  if (at) {
    const directive = at.imp.directives.find((d) => d.line.start <= at.index && at.index <= d.line.end);
    if (directive) return directiveHover(services, view, at.preamble, directive, at.index);
    const include = includeAt(view, offset);
    if (include) {
      const where = !include.compiled
        ? `Not compiled for ${view.target.goos}/${view.target.goarch}: the preprocessor does not take the branch this #include is in, so the header is not looked up.`
        : include.resolved
        ? `Resolves to \`${include.resolved}\`.`
        : systemHeaderLine(view, include.name, include.system) ?? `Not found in the file's directory or the package's \`-I\` directories (${view.includeDirs().map((d) => `\`${d}\``).join(', ')}).`;
      return { parts: [`**#include ${include.system ? `<${include.name}>` : `"${include.name}"`}**`, where], range: rangeIn(view.document, include.start, include.end) };
    }
    return preambleNameHover(view, at.preamble, at.index);
  }
  const imp = view.file.imports.find((i) => (offset >= i.spec.start && offset <= i.spec.end) || (i.specCount === 1 && !i.specList && offset >= i.decl.start && offset <= i.decl.end));
  if (imp) return { parts: importSummary(view, imp), range: rangeIn(view.document, imp.path.start, imp.path.end), pkgConfig: pkgConfigRequest(services, view, view.flags()['pkg-config']) };
  const ref = cReferenceAt(view, offset);
  if (ref) return { parts: cReferenceHover(view, ref.ref), range: rangeIn(view.document, ref.start, ref.end) };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// #cgo lines
// ---------------------------------------------------------------------------------------------

function preambleSpan(view: DocumentView, preamble: Preamble, start: number, end: number): Range {
  return rangeIn(view.document, preamble.sourceOffsets[start], preamble.sourceOffsets[Math.max(start, end - 1)] + 1);
}

function directiveHover(services: FeatureServices, view: DocumentView, preamble: Preamble, directive: CgoDirective, index: number): BuiltHover {
  const inSpan = (s: { start: number; end: number }): boolean => s.start <= index && index <= s.end;
  const condition = directive.conditions.find(inSpan);
  if (condition) return { parts: conditionHover(view, directive, condition.text), range: preambleSpan(view, preamble, condition.start, condition.end) };
  const argIndex = directive.args.findIndex(inSpan);
  const verb = directive.verb;
  if (argIndex >= 0 && verb && isVerb(verb.text)) {
    const arg = directive.args[argIndex];
    const built = argumentHover(services, view, directive, verb.text, argIndex);
    return { ...built, range: preambleSpan(view, preamble, arg.start, arg.end) };
  }
  if (verb && isVerb(verb.text)) {
    const range = inSpan(verb) ? preambleSpan(view, preamble, verb.start, verb.end) : preambleSpan(view, preamble, directive.line.start, directive.line.end);
    return { ...verbHover(services, view, directive, verb.text), range };
  }
  const parts = ['**#cgo**', 'A `#cgo` line: `#cgo [CONDITIONS] VERB: ARGUMENTS`, read by the go command (go/build), never seen by the C compiler.'];
  if (verb) parts.push(`\`${verb.text}\` is not a verb go/build knows: ${cgoVerbs.map((v) => `\`${v}\``).join(', ')}.`);
  const error = directiveErrorMessage(directive);
  if (error) parts.push(`✗ \`${error}\``);
  return { parts, range: preambleSpan(view, preamble, directive.line.start, directive.line.end) };
}

function isVerb(text: string): text is CgoVerb {
  return (cgoVerbs as readonly string[]).includes(text);
}

type Status = 'used' | 'inactive' | 'excluded-file' | 'test-file' | 'after-error' | 'invalid';

const statusWords: Record<Status, string> = {
  used: '',
  inactive: 'inactive: its conditions do not match the target',
  'excluded-file': 'not used: the file is not built for the target',
  'test-file': 'not used: a _test.go file cannot use cgo',
  'after-error': 'not used: an earlier `#cgo` line of this comment is invalid, so go/build stops reading it',
  invalid: 'invalid: go/build rejects it',
};

/** Every #cgo line of the package, with whether the go command uses it, as packageFlags decides. */
function directiveStatuses(view: DocumentView): { file: CgoFile; imp: CgoImport; directive: CgoDirective; status: Status }[] {
  const result: { file: CgoFile; imp: CgoImport; directive: CgoDirective; status: Status }[] = [];
  const files = [...view.pkg.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of files) {
    for (const imp of file.imports) {
      let broken = false;
      for (const directive of imp.directives) {
        let status: Status;
        if (file.isTest) status = 'test-file';
        else if (!file.included) status = 'excluded-file';
        else if (broken) status = 'after-error';
        else if (directive.error) status = 'invalid';
        else status = directive.active ? 'used' : 'inactive';
        if (directive.error) broken = true;
        result.push({ file, imp, directive, status });
      }
    }
  }
  return result;
}

function lineOf(file: CgoFile, imp: CgoImport, directive: CgoDirective): number {
  const preamble = imp.preamble;
  return preamble ? file.lines.positionAt(preamble.sourceOffsets[directive.line.start]).line + 1 : 1;
}

function quoteArgs(args: readonly string[]): string {
  return args.map((a) => (/[\s'"\\]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');
}

function codeBlock(text: string, language = 'text'): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Which Go release the answers follow, and why: verbs, flags and messages differ between releases. */
function goVersionLine(view: DocumentView): string {
  return `Answers for **Go 1.${view.goVersion.minor}**: ${view.goVersion.reason} (\`cgo.goVersion\` sets it).`;
}

function verbHover(services: FeatureServices, view: DocumentView, directive: CgoDirective, verb: CgoVerb): Omit<BuiltHover, 'range'> {
  const doc = verbDocs[verb];
  const target = targetName(view.target);
  const parts = [`**#cgo ${verb}** — ${doc.summary}`, `Applies to ${doc.appliesTo}. ${accumulationNote}`, goVersionLine(view)];
  const statuses = directiveStatuses(view).filter((s) => s.directive.verb?.text === verb);
  const own = statuses.find((s) => s.directive === directive);
  const error = directiveErrorMessage(directive);
  if (error) parts.push(`✗ go/build: \`${error}\``);
  if (own && own.status !== 'used') parts.push(`This line is **${statusWords[own.status].split(':')[0]}** for ${target}: ${statusWords[own.status].split(': ').slice(1).join(': ')}.`);
  const effective = view.flags()[verb];
  parts.push(`**Effective for ${target}** (all files of the package combined):\n${codeBlock(effective.length > 0 ? quoteArgs(effective) : '(nothing)', 'sh')}`);
  parts.push(envLine(verb));
  if (statuses.length > 0) {
    const rows = statuses.map((s) => {
      const where = `${path.basename(s.file.path)}:${lineOf(s.file, s.imp, s.directive)}`;
      const args = quoteArgs(s.directive.args.map((a) => a.raw));
      return `- \`${where}\` \`${args || ' '}\`${s.status === 'used' ? '' : ` — ${statusWords[s.status]}`}`;
    });
    parts.push(`**Lines** (file-name order):\n${rows.join('\n')}`);
  }
  const result: Omit<BuiltHover, 'range'> = { parts };
  if (verb === 'pkg-config') result.pkgConfig = pkgConfigRequest(services, view, effective.length > 0 ? effective : directive.args.map((a) => a.value));
  return result;
}

function envLine(verb: CgoVerb): string {
  const doc = verbDocs[verb];
  // As the go command reads it: the environment, then `go env -w`; empty means the default.
  const value = goGetenv()(doc.env);
  if (verb === 'pkg-config') {
    const searchPath = process.env.PKG_CONFIG_PATH;
    return `Command: \`$${doc.env}\` (${value ? `\`${value}\`` : `unset: \`${doc.envDefault}\``}); \`PKG_CONFIG_PATH\` in the language server's environment: ${searchPath ? `\`${searchPath}\`` : 'unset'}.`;
  }
  const current = value !== '' ? `\`${value}\` in the language server's environment or \`go env\`` : `unset${doc.envDefault ? `, so \`${doc.envDefault}\`` : ', so nothing'}`;
  return `The go command puts \`$${doc.env}\` first (${current}); \`$${doc.env}_ALLOW\` and \`$${doc.env}_DISALLOW\` adjust which flags it accepts.`;
}

function conditionHover(view: DocumentView, directive: CgoDirective, text: string): string[] {
  const target = targetName(view.target);
  const described = conditionWords(text);
  const matches = described.valid && matchAuto(text, view.target);
  const parts = [
    `**#cgo condition \`${text}\`** (${described.syntax} syntax${described.syntax === '+build' ? ': `,` is and, `!` is not' : ''})`,
    described.valid ? `True when ${described.words}.` : `Never true: ${described.words}.`,
    `For ${target} (\`cgo.goos\`/\`cgo.goarch\`, default the host): ${matches ? '**matches**' : '**does not match**'}.`,
  ];
  if (directive.conditions.length > 1) {
    parts.push(
      `go/build splits the conditions at spaces and uses the line when **any one** of them matches (${directive.conditions.map((c) => `\`${c.text}\``).join(', ')}): the line is **${directive.active ? 'active' : 'inactive'}** for ${target}.`,
    );
  } else {
    parts.push(`The line is **${directive.active ? 'active' : 'inactive'}** for ${target}.`);
  }
  if (directive.conditions.some((c) => /^(&&|\|\||!)$/.test(c.text) || /^(&&|\|\|)|(&&|\|\|)$/.test(c.text))) {
    const joined = directive.conditions.map((c) => c.text).join('');
    parts.push(`⚠ An operator stands apart from its operands: each space-separated word is a condition of its own, and \`&&\` alone never matches. Write it without spaces: \`#cgo ${joined} ${directive.verb?.text ?? 'VERB'}: …\`.`);
  }
  return parts;
}

function argumentHover(services: FeatureServices, view: DocumentView, directive: CgoDirective, verb: CgoVerb, index: number): Omit<BuiltHover, 'range'> {
  const arg = directive.args[index];
  const values = directive.args.map((a) => a.value);
  const doc = describeFlag(values, index, verb);
  const parts = [`**\`${arg.raw}\`** in \`#cgo ${verb}\``, doc.text];
  if (arg.raw.includes('${SRCDIR}')) parts.push(`\`\${SRCDIR}\` is the package directory: \`${view.pkg.dir}\` → \`${arg.value}\``);
  if (doc.path) parts.push(pathLine(view, doc.path.value, doc.path.kind));
  const verdict = allowVerdict(services.engine.flagChecks, view.target.goMinor, verb, values, index);
  if (verdict) parts.push(verdict);
  for (const note of doc.notes) parts.push(`ℹ ${note}`);
  if (!directive.active) parts.push(`This line is **inactive** for ${targetName(view.target)}: its conditions do not match.`);
  const result: Omit<BuiltHover, 'range'> = { parts };
  if (verb === 'pkg-config' && arg.value !== '--' && !arg.value.startsWith('--')) {
    const options = values.filter((v) => v.startsWith('--') && v !== '--');
    result.pkgConfig = pkgConfigRequest(services, view, [...options, arg.value]);
  }
  return result;
}

function pathLine(view: DocumentView, value: string, kind: 'dir' | 'file'): string {
  // go/build makes relative -I and -L paths absolute; other relative paths are relative to the package directory too, where the go command runs the compiler.
  const absolute = path.isAbsolute(value) ? value : path.resolve(view.pkg.dir, value);
  let state: string;
  try {
    const stat = fs.statSync(absolute);
    const isDir = stat.isDirectory();
    state = isDir === (kind === 'dir') ? `✓ exists (${isDir ? 'directory' : 'file'})` : `⚠ exists, but is a ${isDir ? 'directory' : 'file'}, not a ${kind === 'dir' ? 'directory' : 'file'}`;
  } catch {
    state = '✗ does not exist';
  }
  const shown = absolute === value ? `\`${absolute}\`` : `\`${value}\` → \`${absolute}\``;
  return `Path: ${shown} — ${state}`;
}

function allowVerdict(checks: FlagChecks, goMinor: number, verb: CgoVerb, values: string[], index: number): string | undefined {
  if (verb === 'pkg-config') return pkgConfigOptionVerdict(checks, goMinor, values, index);
  const getenv = goGetenv();
  const check =
    verb === 'LDFLAGS' ? checks.linkerFlagProblems(goMinor, verb, `#cgo ${verb}`, values, getenv) : checks.compilerFlagProblems(goMinor, verb, `#cgo ${verb}`, values, getenv);
  if (check.envError) return `⚠ The go command checks no flag: ${check.envError}`;
  const problem = check.problems.find((p) => p.index === index || (p.kind === 'bad-next-arg' && p.index + 1 === index));
  if (!problem) return "✓ Allowed by the go command's `#cgo` flag allowlist.";
  return `✗ The go command refuses it: \`${problem.message}\`. Allow it with \`CGO_${verb}_ALLOW\` (a Go regexp) where you build.`;
}

// ---------------------------------------------------------------------------------------------
// pkg-config
// ---------------------------------------------------------------------------------------------

/** Go 1.24+ checks the "--…" options of #cgo pkg-config before it runs pkg-config. */
function pkgConfigOptionVerdict(checks: FlagChecks, goMinor: number, values: string[], index: number): string | undefined {
  const arg = values[index];
  if (arg === '--' || !arg.startsWith('--') || flagAllowlist(goMinor).pkgConfigOptions === 'unchecked') return undefined;
  const problem = checks.pkgConfigOptionProblems(goMinor, values, goGetenv()).find((p) => p.index === index);
  if (problem) return `✗ The go command (Go 1.${goMinor}) refuses this pkg-config option: \`${problem.message}\`.`;
  return `✓ Go 1.${goMinor} allows this pkg-config option.`;
}

function pkgConfigRequest(services: FeatureServices, view: DocumentView, args: string[]): PkgConfigRequest | undefined {
  if (args.filter((a) => !a.startsWith('--')).length === 0) return undefined;
  let notRun: string | undefined;
  // go/build rejects the package at a bad #cgo line, before the go command runs pkg-config.
  const rejected = directiveStatuses(view).find((s) => s.status === 'invalid');
  if (rejected) {
    const where = `${path.basename(rejected.file.path)}:${lineOf(rejected.file, rejected.imp, rejected.directive)}`;
    notRun = `pkg-config is not run: go/build rejects the \`#cgo\` line at ${where} (\`${directiveErrorMessage(rejected.directive)}\`), so the go command stops before pkg-config.`;
  } else if (!services.isTrusted()) notRun = 'pkg-config is not run in an untrusted workspace (Workspace Trust).';
  else if (!view.settings.pkgConfig.enable) notRun = 'pkg-config is not run: `cgo.pkgConfig.enable` is off.';
  return { args, cwd: view.pkg.dir, goMinor: view.target.goMinor, notRun };
}

async function pkgConfigSection(services: FeatureServices, request: PkgConfigRequest): Promise<string> {
  const names = request.args.filter((a) => !a.startsWith('--'));
  const command = `${services.pkgConfig.command()} --cflags --libs -- ${names.join(' ')}`;
  if (request.notRun) return `**pkg-config** \`${names.join(' ')}\`: ${request.notRun}`;
  const result: PkgConfigResult = await services.pkgConfig.query(request.args, request.cwd);
  if (result.ok) {
    const lines = [`**\`${command}\`**`, codeBlock(`CPPFLAGS += ${quoteArgs(result.cflags) || '(nothing)'}\nLDFLAGS  += ${quoteArgs(result.libs) || '(nothing)'}`, 'sh')];
    const getenv = goGetenv();
    const refused = [
      services.engine.flagChecks.compilerFlagProblems(request.goMinor, 'CFLAGS', 'pkg-config --cflags', result.cflags, getenv).error,
      services.engine.flagChecks.linkerFlagProblems(request.goMinor, 'LDFLAGS', 'pkg-config --libs', result.libs, getenv).error,
    ].filter((e): e is string => e !== undefined);
    for (const error of refused) lines.push(`✗ The go command refuses this output: \`${error}\``);
    return lines.join('\n\n');
  }
  const searchPath = services.pkgConfig.searchPath();
  const where = `\`PKG_CONFIG_PATH\`: ${searchPath ? `\`${searchPath}\`` : 'unset'}.`;
  switch (result.reason) {
    case 'not-installed':
      return `**pkg-config** ✗ \`${result.command}\` is not installed or not on the language server's PATH, so the go command will fail the same way. ${pkgConfigEnvNote}`;
    case 'missing-package':
      return `**pkg-config** ✗ ${names.map((n) => `\`${n}\``).join(', ')} not found: install the development package, or point \`PKG_CONFIG_PATH\` at the directory holding its \`.pc\` file. ${where}\n\n${codeBlock(result.message)}\n\n${pkgConfigEnvNote}`;
    case 'timeout':
      return `**pkg-config** ⚠ ${result.message}.`;
    case 'invalid-name':
      return `**pkg-config** ✗ The go command refuses it: \`${result.message}\`.`;
    default:
      return `**pkg-config** ✗ \`${command}\` failed. ${where}\n\n${codeBlock(result.message)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// import "C"
// ---------------------------------------------------------------------------------------------

/** Why the go command builds the target without cgo, in a few words (target.ts cgoDefault). */
function cgoOffReason(target: BuildTarget): string {
  const off = target.cgoOff;
  switch (off?.reason) {
    case 'cross-compiling':
      return `cross-compiling from ${off.host} without CGO_ENABLED=1`;
    case 'no C compiler':
      return `CC is unset and ${off.compiler} is not on PATH`;
    case 'no cgo port':
      return 'no cgo port';
    default:
      return 'CGO_ENABLED=0';
  }
}

function importSummary(view: DocumentView, imp: CgoImport): string[] {
  const target = targetName(view.target);
  const parts = [`**import "C"** — cgo, for ${target}`, goVersionLine(view)];
  if (imp.name) parts.push(`⚠ Imported as \`${imp.name.text}\`: cgo only works with \`import "C"\`.`);
  if (!imp.preamble) parts.push('This import has no preamble: the comment must sit directly above `import "C"`, with no blank line.');
  if (view.file.isTest) parts.push('⚠ `_test.go` files cannot use cgo ("use of cgo in test … not supported").');
  if (!view.file.included) parts.push(`This file is not built for ${target} (file name or build constraint).`);
  else if (view.file.ignoredWithoutCgo) parts.push(`cgo is off for ${target} (${cgoOffReason(view.target)}): go build leaves this file out.`);

  const withPreamble = view.pkg.files.filter((f) => f.imports.some((i) => i.preamble));
  const fileRows = [...withPreamble]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((f) => {
      const notes = [f === view.file ? 'this file' : '', f.isTest ? 'test file: flags not used' : '', !f.included ? `not built for ${target}` : f.ignoredWithoutCgo ? 'left out: cgo is off' : ''].filter(Boolean);
      return `- \`${path.basename(f.path)}\`${notes.length ? ` — ${notes.join('; ')}` : ''}`;
    });
  if (fileRows.length > 0) parts.push(`**Preambles in the package**:\n${fileRows.join('\n')}`);

  const flags = view.flags();
  const flagRows = cgoVerbs.filter((verb) => flags[verb].length > 0).map((verb) => `${verb}: ${quoteArgs(flags[verb])}`);
  parts.push(`**Effective #cgo flags** (package-wide, ${target}):\n${codeBlock(flagRows.length > 0 ? flagRows.join('\n') : '(none)', 'sh')}`);

  const scope = view.scopeOf(view.file);
  const includes: string[] = [];
  let direct = 0;
  const unit = view.file.imports.filter((i) => i.preamble).indexOf(imp);
  for (const include of scope.view.includes) {
    if (include.via !== undefined || include.unit !== unit) continue;
    const shown = include.system ? `<${include.name}>` : `"${include.name}"`;
    const system = include.resolved ? undefined : view.systemHeaderPath(include.name);
    includes.push(`- \`${shown}\` → ${include.resolved ? `\`${relativeName(view, include.resolved)}\`` : system ? `system header \`${system}\`` : 'not found'}`);
    if (include.resolved) direct++;
  }
  const nested = scope.headers.length - direct;
  if (includes.length > 0) parts.push(`**Headers** (this file${nested > 0 ? `; ${nested} more included by them` : ''}):\n${includes.join('\n')}`);

  const counts = new Map<string, number>();
  for (const decl of scope.scope.names.values()) counts.set(decl.kind, (counts.get(decl.kind) ?? 0) + 1);
  const described = [...counts.entries()].map(([kind, n]) => `${n} ${kindWord(kind as CDecl['kind'])}${n === 1 ? '' : 's'}`);
  parts.push(`**C names this file sees**: ${scope.scope.names.size}${described.length ? ` (${described.join(', ')})` : ''}. C names resolve per file: another file's preamble does not declare them here.`);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// C names
// ---------------------------------------------------------------------------------------------

function kindWord(kind: CDecl['kind']): string {
  switch (kind) {
    case 'function':
      return 'function';
    case 'variable':
      return 'variable';
    case 'typedef':
      return 'type';
    case 'enum-constant':
      return 'enum constant';
    case 'macro':
      return 'macro';
  }
}

function layoutTarget(view: DocumentView): LayoutTarget {
  return { goarch: view.target.goarch, goos: view.target.goos };
}

/** The declaration as a hover shows it: a function definition without its body, at most 40 lines. */
function declarationText(decl: CDecl): string {
  const text = declarationHead(decl);
  const lines = text.split('\n');
  return lines.length > 40 ? [...lines.slice(0, 40), '…'].join('\n') : text;
}

/** The Go type cgo gives a C type, with what a union (or another opaque) becomes. */
function goTypeLine(view: DocumentView, type: CType, scope: CScope): string {
  const go = goType(type, { scope });
  const resolved = scope.resolve(type);
  const layout = layoutOf(type, scope, layoutTarget(view));
  if (resolved.kind === 'record' && resolved.union) {
    const bytes = layout ? `[${layout.size}]byte` : '[N]byte';
    return go.ok ? `\`${go.text}\` (a C union is a byte array in Go: \`${bytes}\`)` : `\`${bytes}\` (a C union is a byte array in Go)`;
  }
  if (!go.ok) return `none usable: ${go.reason}`;
  const size = layout ? ` · ${layout.size} byte${layout.size === 1 ? '' : 's'}` : '';
  return `\`${go.text}\`${size}`;
}

function cReferenceHover(view: DocumentView, ref: CReference): string[] {
  const scope = view.scopeOf(view.file).scope;
  switch (ref.kind) {
    case 'decl':
      return declHover(view, ref.goName, ref.decl, ref.system ? view.systemScopeOf(view.file) : scope, ref.system);
    case 'tag': {
      const [, kind, tag] = /^(struct|union|enum)_(.+)$/.exec(ref.goName) ?? [];
      const parts = [`**C.${ref.goName}** — C \`${kind} ${tag}\``];
      const span = tagSpan(view, kind, tag);
      if (span) {
        const text = (span.file === view.file.path ? undefined : view.scopeOf(view.file).headerTexts.get(span.file)) ?? undefined;
        const shown = text !== undefined ? text.slice(span.start, span.end) : recordText(ref.type, kind, tag);
        parts.push(codeBlock(shown, 'c'), `Declared at ${spanLink(view, span)}`);
      } else if (ref.type) {
        parts.push(codeBlock(recordText(ref.type, kind, tag), 'c'));
      } else {
        parts.push('Not declared in this file\'s preamble, the project headers or the system headers it includes.');
      }
      if (ref.type) parts.push(`Go: ${goTypeLine(view, ref.type, scope)}`);
      return parts;
    }
    case 'basic': {
      const c = cgoBasicTypeDocs[ref.goName] ?? ref.goName;
      const size = scalarSize(c, layoutTarget(view));
      return [`**C.${ref.goName}** — cgo's name for the C type \`${c}\`${size ? ` (${size} byte${size === 1 ? '' : 's'} on ${targetName(view.target)})` : ''}`];
    }
    case 'helper': {
      const fn = cgoBuiltinFunctions[ref.goName];
      const signature = `func C.${ref.goName}(${fn.params.map((p) => `${p.name} ${p.type}`).join(', ')}) ${fn.result}`;
      return [`**C.${ref.goName}** — provided by cgo`, codeBlock(signature, 'go'), cgoHelperDocs[ref.goName] ?? ''];
    }
    case 'sizeof': {
      const layout = ref.of ? layoutOf(ref.of, scope, layoutTarget(view)) : undefined;
      return [`**C.${ref.goName}** — the size in bytes of \`${cNameOf(ref.goName.slice(7))}\`, a constant of type \`C.size_t\`${layout ? `: ${layout.size} on ${targetName(view.target)}` : ''}`];
    }
    case 'field':
      return fieldHover(view, ref, scope);
    case 'unknown': {
      const parts = [`**C.${ref.goName}** — not declared in this file's preamble or the project headers it includes.`];
      if (ref.elsewhere) parts.push(`It is declared in the preamble of \`${path.basename(ref.elsewhere)}\`, but C names resolve per file: declare it (or include its header) in this file's preamble, or call it through a Go wrapper in that file.`);
      else parts.push('Nor do the system headers it includes declare it, as far as they are installed here and read on their own (a macro the preamble defines before an #include is not applied to them).');
      return parts;
    }
  }
}

/** What an #include found in no project directory is: a system header and where, or undefined when none is found. */
function systemHeaderLine(view: DocumentView, name: string, system: boolean): string | undefined {
  const found = view.systemHeaderPath(name);
  if (!found) return system ? 'A system header, found in no directory of the search list (C names it declares are not known).' : undefined;
  return `A system header: \`${found}\` (its C names are completed and shown on hover, as read for ${targetName(view.target)}).`;
}

function recordText(type: CType | undefined, kind: string, tag: string): string {
  if (!type || type.kind === 'enum' || type.kind !== 'record' || !type.fields) {
    if (type?.kind === 'enum' && type.constants) return `enum ${tag} {\n${type.constants.map((c) => `  ${c.name}${c.value !== undefined ? ` = ${c.value}` : ''},`).join('\n')}\n};`;
    return `${kind} ${tag};`;
  }
  return `${kind} ${tag} {\n${type.fields.map((f) => `  ${typeToC(f.type, f.name ?? '')}${f.bitWidth !== undefined ? ` : ${f.bitWidth}` : ''};`).join('\n')}\n};`;
}

function declHover(view: DocumentView, goName: string, decl: CDecl, scope: CScope, system?: boolean): string[] {
  const span = declarationSpan(view, decl);
  const where = span ? ` · ${span.file === view.file.path ? 'preamble' : system ? 'system header' : 'header'} ${spanLink(view, span, system)}` : '';
  const staticWord = decl.isStatic ? 'static ' : '';
  const parts = [`**C.${goName}** — C ${staticWord}${kindWord(decl.kind)}${where}`, codeBlock(declarationText(decl), 'c')];
  switch (decl.kind) {
    case 'function': {
      if (decl.type?.kind !== 'function') break;
      const signature = goSignature(decl.type, { scope });
      if (signature.ok) {
        const params = signature.signature.params.map((p) => `${p.name} ${p.type}`).join(', ');
        parts.push(`Go:\n${codeBlock(`func C.${goName}(${params})${signature.signature.result ? ` ${signature.signature.result}` : ''}`, 'go')}`);
        parts.push(`\`r, err := C.${goName}(…)\` also returns C's \`errno\` as an error.`);
      } else {
        parts.push(`Go: cannot be called from Go: ${signature.reason}.`);
      }
      if (decl.isStatic) parts.push('Static: only this file (its C code and its Go code) can call it; C names resolve per file.');
      break;
    }
    case 'variable':
      if (decl.type) parts.push(`Go: \`C.${goName}\` is a variable of type ${goTypeLine(view, decl.type, scope)}; \`&C.${goName}\` is its address.`);
      break;
    case 'typedef':
      if (decl.type) parts.push(`Go: \`C.${goName}\`${typedefDetail(view, decl.type, scope)}`);
      break;
    case 'enum-constant': {
      const value = decl.type?.kind === 'enum' ? decl.type.constants?.find((c) => c.name === decl.name)?.value : undefined;
      parts.push(`Go: an untyped integer constant${value !== undefined ? ` = ${value}` : ''}.`);
      break;
    }
    case 'macro':
      if (/^\s*#\s*define\s+\w+\(/.test(decl.text)) parts.push('Go: cgo cannot use a function-like macro; wrap it in a C function.');
      else if (/^[-+]?(0[xX][0-9a-fA-F]+|[0-9][0-9.]*)[uUlLfF]*$/.test(decl.macroValue ?? '')) parts.push(`Go: an untyped constant, \`${decl.macroValue}\`.`);
      else parts.push(`Go: cgo gives \`C.${goName}\` the type or value of its expansion \`${decl.macroValue ?? ''}\`.`);
      break;
  }
  return parts;
}

function typedefDetail(view: DocumentView, type: CType, scope: CScope): string {
  const resolved = scope.resolve(type);
  const layout = layoutOf(type, scope, layoutTarget(view));
  const size = layout ? `, ${layout.size} byte${layout.size === 1 ? '' : 's'}` : '';
  if (resolved.kind === 'record') {
    if (resolved.union) return ` is a union: a byte array in Go, \`[${layout ? layout.size : 'N'}]byte\`.`;
    const fields = resolved.fields ? goFields(resolved).map((f) => `${f.goName} ${goFieldType(view, f.field.type, scope)}`) : undefined;
    return ` is a struct${size}${fields ? `:\n${codeBlock(`struct {\n${fields.map((f) => `\t${f}`).join('\n')}\n}`, 'go')}` : ' (incomplete here).'}`;
  }
  const underlying = goType(resolved, { scope });
  return underlying.ok && underlying.text !== `C.${(type as { name?: string }).name}` ? ` (underlying \`${underlying.text}\`${size}).` : `${size ? ` (${size.slice(2)})` : ''}.`;
}

function goFieldType(view: DocumentView, type: CType, scope: CScope): string {
  const resolved = scope.resolve(type);
  if (resolved.kind === 'record' && resolved.union && !goType(type, { scope }).ok) {
    const layout = layoutOf(type, scope, layoutTarget(view));
    return `[${layout ? layout.size : 'N'}]byte`;
  }
  const go = goType(type, { scope });
  return go.ok ? go.text : '?';
}

function fieldHover(view: DocumentView, ref: Extract<CReference, { kind: 'field' }>, scope: CScope): string[] {
  const ownerGo = goType(ref.owner, { scope });
  const ownerName = ownerGo.ok ? ownerGo.text : 'a C struct';
  const cText = ref.field.name === undefined ? `${typeToC(ref.field.type)}; /* anonymous member */` : `${typeToC(ref.field.type, ref.field.name)}${ref.field.bitWidth !== undefined ? ` : ${ref.field.bitWidth}` : ''};`;
  const parts = [`**${ref.goName}** — field of \`${ownerName}\``, codeBlock(cText, 'c')];
  if (ref.field.bitWidth !== undefined) {
    parts.push('Go: not accessible: cgo leaves bit fields out of the Go struct. Read it with a C helper function.');
    return parts;
  }
  const member = ref.field.name !== undefined ? namedMembers(ref.owner, scope, layoutTarget(view))?.find((m) => m.name === ref.field.name) : undefined;
  const at = member ? ` · offset ${member.offset}` : '';
  parts.push(`Go: \`${ref.goName} ${goFieldType(view, ref.field.type, scope)}\`${at}`);
  if (ref.anonymous) parts.push('An anonymous struct or union member: cgo gives it this name and an opaque type; read its fields with C getters and setters rather than unsafe offsets.');
  else if (scope.resolve(ref.field.type).kind === 'record' && (scope.resolve(ref.field.type) as { union?: boolean }).union) {
    parts.push('A union is a byte array in Go: access its members through C getters and setters rather than unsafe offsets.');
  }
  if (ref.field.name !== undefined && ref.goName !== ref.field.name) parts.push(`\`${ref.field.name}\` is a Go keyword, so cgo names the field \`${ref.goName}\`.`);
  const span = ref.anonymous ? undefined : referenceSpan(view, ref);
  if (span) parts.push(`Declared at ${spanLink(view, span)}`);
  return parts;
}

/** A C name written inside the preamble itself. */
function preambleNameHover(view: DocumentView, preamble: Preamble, index: number): BuiltHover | undefined {
  const text = preamble.text;
  if (!/[A-Za-z0-9_]/.test(text[index] ?? '')) return undefined;
  let start = index;
  let end = index;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1])) start--;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
  const word = text.slice(start, end);
  if (!/^[A-Za-z_]/.test(word)) return undefined;
  const ref = resolveCName(view, word);
  if (ref.kind !== 'decl') return undefined;
  return { parts: cReferenceHover(view, ref), range: preambleSpan(view, preamble, start, end) };
}
