// cgo-lint: the engine on the command line, for CI. Output formats, exit codes and --fix follow
// the contract in design.md; positions are 1-based lines and byte columns, like go vet.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { goFilesIn, packageDirsBelow } from './cgo/files';
import { FixFiles, FixWriteError, oneLine } from './fixFiles';
import { fixUntilSettled } from './cgo/fixLoop';
import { isCompilerFinding, reportedBy, suppressionCode, type Finding, type Reported, type RuleId, type SeveritySetting, type TextEdit } from './cgo/findings';
import { newestGoMinor, oldestGoMinor, parseGoMinor } from './cgo/goversion';
import { resolveTarget, targetProblem } from './cgo/target';
import { LineIndex } from './cgo/text';
import { checkJob, checkJobs, childProcesses, EngineOnDemand, inWorker, workerMain, type Checked, type Job } from './packageChecks';
import { killWhenProcessEnds } from './cgo/processes';
import { ruleById, ruleIds, rules } from './rules';

const usage = `usage: cgo-lint [options] PATH...

Checks the cgo preambles and #cgo directives of Go files. PATH is a .go file or a
directory, walked like ./... (testdata, vendor, node_modules, .* and _* are skipped).

options:
  --format FORMAT            text (default: path:line:col: severity: message [rule]), json,
                             sarif (code scanning), or github (GitHub Actions annotations)
  --fix                      apply the preferred fix of every diagnostic, then report what is left
  --goos GOOS, --goarch ARCH target for #cgo conditions (default: $GOOS/$GOARCH, else the host)
  --go 1.N                   the Go release that builds the code (default: \`go env GOVERSION\`,
                             raised to go.mod's toolchain or go line as the go command does;
                             without a go command, go.mod; else the newest release known)
  --rule ID=SEVERITY         off, error, warning or information; may be repeated
  --jobs N                   threads checking packages (default 1; npm run bench measures
                             whether more help on your machine)
  --cc, --no-cc              compile each preamble with the C compiler (\`go env CC\`, else gcc
                             or clang) and report its errors and warnings as [cgo (gcc)];
                             default: when a compiler is found; --no-cc never starts one
  --help                     this text

rules: ${ruleIds.join(', ')}
suppress a finding: //cgo-lint:ignore RULE reason on the line above it (docs/rules/suppression.md)
exit status: 0 no error, 1 at least one error-severity diagnostic, 2 bad usage or unreadable path`;

// A wasm function moves to V8's optimising compiler after ten times the default work: a run
// over a tree with a few cgo packages then ends before that would pay off (compiling the
// grammars' large lexers took ~40 of 220 ms on a 4,000-file tree), while a run with hundreds of
// cgo packages still gets it. Set before the grammars are compiled.
setFlagsFromString('--wasm-tiering-budget=18000000');

class UsageError extends Error {}

interface Options {
  format: 'text' | 'json' | 'sarif' | 'github';
  fix: boolean;
  goos: string | undefined;
  goarch: string | undefined;
  goVersion: string | undefined;
  severities: Partial<Record<RuleId, SeveritySetting>>;
  jobs: number | undefined;
  cc: boolean | undefined;
  paths: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { format: 'text', fix: false, goos: undefined, goarch: undefined, goVersion: undefined, severities: {}, jobs: undefined, cc: undefined, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(`${usage}\n`);
        process.exit(0);
      case '--format': {
        const format = value();
        if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'github') throw new UsageError(`unknown format "${format}" (text, json, sarif, github)`);
        options.format = format;
        break;
      }
      case '--fix':
        options.fix = true;
        break;
      case '--cc':
      case '--no-cc':
        options.cc = flag === '--cc';
        break;
      case '--goos':
        options.goos = value();
        break;
      case '--goarch':
        options.goarch = value();
        break;
      case '--go': {
        const version = value();
        const minor = parseGoMinor(version);
        if (minor === undefined) throw new UsageError(`--go ${version}: give a Go release such as 1.24`);
        if (minor < oldestGoMinor || minor > newestGoMinor) throw new UsageError(`--go ${version}: Go 1.${oldestGoMinor} to 1.${newestGoMinor} are known`);
        options.goVersion = version;
        break;
      }
      case '--jobs': {
        const jobs = value();
        if (!/^[1-9]\d*$/.test(jobs)) throw new UsageError(`--jobs ${jobs}: give a whole number of threads, 1 or more`);
        options.jobs = Number(jobs);
        break;
      }
      case '--rule': {
        const setting = value();
        const [id, severity] = setting.split('=');
        if (!ruleById(id)) throw new UsageError(`unknown rule "${id}" (${ruleIds.join(', ')})`);
        if (!['off', 'error', 'warning', 'information'].includes(severity)) {
          throw new UsageError(`--rule ${setting}: severity must be off, error, warning or information`);
        }
        options.severities[id] = severity as SeveritySetting;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no PATH given');
  return options;
}

function collectJobs(paths: string[]): Job[] {
  const jobs: Job[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new UsageError(`${given}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const { dir, goFiles } of packageDirsBelow(given)) {
        // Joined once per directory: a tree holds thousands of files.
        const absolute = path.resolve(dir);
        const shownDir = path.join(given, path.relative(given, dir));
        const shownAs = new Map(goFiles.map((name) => [path.join(absolute, name), shownDir === '.' ? name : `${shownDir}${path.sep}${name}`]));
        jobs.push({ dir: absolute, shownAs, only: undefined });
      }
    } else {
      if (!given.endsWith('.go')) throw new UsageError(`${given}: not a .go file or a directory`);
      const dir = path.dirname(path.resolve(given));
      const shownAs = new Map(goFilesIn(dir).map((name) => [path.resolve(dir, name), path.join(path.dirname(given), name)]));
      jobs.push({ dir, shownAs, only: path.resolve(given) });
    }
  }
  return jobs;
}

interface Position {
  line: number;
  column: number;
}

function position(lines: LineIndex, offset: number): Position {
  return { line: lines.lineOf(offset) + 1, column: lines.byteColumn(offset) };
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  let jobs: Job[];
  try {
    options = parseArgs(argv);
    const problem = targetProblem(resolveTarget(options.goos, options.goarch));
    if (problem) throw new UsageError(problem);
    jobs = collectJobs(options.paths);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`cgo-lint: ${error.message}\n${error.message.startsWith('no PATH') ? usage + '\n' : ''}`);
    return 2;
  }
  return run(options, jobs);
}

async function run(options: Options, jobs: Job[]): Promise<number> {
  const warn = (message: string): void => void process.stderr.write(`cgo-lint: ${message}\n`);
  const shown = (file: string): string => {
    for (const job of jobs) {
      const name = job.shownAs.get(file);
      if (name) return name;
    }
    // A file a fix creates: shown next to a known file of its directory.
    for (const job of jobs) {
      const [known, knownShown] = [...job.shownAs].find(([abs]) => path.dirname(abs) === path.dirname(file)) ?? [];
      if (known && knownShown) return path.join(path.dirname(knownShown), path.basename(file));
    }
    return file;
  };
  // A warning is said once, however many rounds of --fix meet it again.
  const said = new Set<string>();
  const warnOnce = (message: string): void => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
  let failedWrites = false;
  if (options.fix) failedWrites = !(await fixJobs(jobs, options, shown, warnOnce));
  const progress = new Progress(jobs.length);
  let checked: Checked[];
  try {
    // One thread unless asked: on the 2-core machines this was measured on, a second thread
    // made a 4,000-file tree 20% slower and a 40,000-file one 13% slower (reading files is
    // most of the work, and the threads then compete for the same disk cache and cores).
    checked = await checkJobs(rules, jobs, options, options.jobs ?? 1, (done) => progress.update(done));
  } finally {
    progress.clear();
  }
  const results: { finding: Reported; lines: LineIndex; texts: Map<string, string> }[] = [];
  let unreadable = false;
  for (const { findings, texts, warnings, unreadable: someUnreadable } of checked) {
    warnings.forEach(warnOnce);
    unreadable ||= someUnreadable;
    for (const finding of findings) results.push({ finding, lines: new LineIndex(texts.get(finding.file) ?? ''), texts });
  }
  const editJson = (edit: TextEdit, texts: Map<string, string>): object => {
    const lines = new LineIndex(texts.get(edit.file) ?? '');
    const start = position(lines, edit.start);
    const end = position(lines, edit.end);
    return { file: shown(edit.file), line: start.line, column: start.column, endLine: end.line, endColumn: end.column, newText: edit.newText };
  };
  if (options.format === 'json') {
    const json = results.map(({ finding, lines, texts }) => {
      const start = position(lines, finding.start);
      const end = position(lines, finding.end);
      return {
        file: shown(finding.file),
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        severity: finding.severity,
        rule: reportedBy(finding),
        message: finding.message,
        fixes: (isCompilerFinding(finding) ? [] : finding.fixes).map((fix) => ({
          title: fix.title,
          ...(fix.newFiles ? { newFiles: fix.newFiles.map(shown) } : {}),
          edits: fix.edits.map((e) => editJson(e, texts)),
        })),
      };
    });
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else if (options.format === 'sarif') {
    process.stdout.write(`${JSON.stringify(sarif(results.map((r) => ({ ...r, shownAs: shown(r.finding.file) }))), null, 2)}\n`);
  } else if (options.format === 'github') {
    for (const { finding, lines } of results) process.stdout.write(`${githubAnnotation(finding, lines, shown(finding.file))}\n`);
  } else {
    for (const { finding, lines } of results) {
      const at = position(lines, finding.start);
      process.stdout.write(`${shown(finding.file)}:${at.line}:${at.column}: ${finding.severity}: ${finding.message} [${reportedBy(finding)}]\n`);
    }
  }
  if (unreadable || failedWrites) return 2;
  return results.some((r) => r.finding.severity === 'error') ? 1 : 0;
}

/**
 * --fix: the preferred fix of every finding, written one fix at a time (all its files or
 * none), and only where FixFiles allows; `fixed:` once written, `not applied:` with the reason
 * otherwise. False when a write failed (said in one line; that package is left as it was
 * after its last whole fix).
 */
async function fixJobs(jobs: Job[], options: Options, shown: (file: string) => string, warn: (message: string) => void): Promise<boolean> {
  const editable = new Set(jobs.flatMap((job) => (job.only ? [job.only] : [...job.shownAs.keys()])));
  const files = new FixFiles(options.paths, editable, shown);
  // Beside text output on stdout; on stderr when stdout is a JSON or SARIF document.
  const say = (line: string): void => void (options.format === 'text' ? process.stdout : process.stderr).write(line);
  const engines = new EngineOnDemand(rules);
  let allWritten = true;
  try {
    for (const job of jobs) {
      const settled = await fixUntilSettled(
        async () => {
          const { findings, texts, warnings } = await checkJob(engines, job, options);
          warnings.forEach(warn);
          return { findings: findings.filter((f): f is Finding => !isCompilerFinding(f)), texts };
        },
        ({ finding, fix, writes, unread, texts }) => {
          const at = position(new LineIndex(texts.get(finding.file) ?? ''), finding.start);
          const where = `${shown(finding.file)}:${at.line}:${at.column}`;
          const refusal = files.refusal(fix) ?? (unread ? `${shown(unread)} could not be read` : undefined);
          if (refusal) {
            say(`${where}: not applied: ${fix.title} [${finding.rule}]: ${refusal}\n`);
            return 'declined';
          }
          try {
            files.write(writes);
          } catch (error) {
            if (!(error instanceof FixWriteError)) throw error;
            warn(error.message);
            return 'stop';
          }
          say(`${where}: fixed: ${fix.title} [${finding.rule}]\n`);
          return 'applied';
        },
      );
      // A failed write ends this package's rounds; the next package is still fixed.
      if (!settled) allWritten = false;
    }
  } finally {
    await engines.dispose();
  }
  return allWritten;
}

/**
 * A GitHub Actions workflow command that annotates the line, as golangci-lint's github-actions
 * format writes them: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
 * Escaping as the Actions runner reads it (%, CR and LF everywhere; also : and , in properties).
 */
function githubAnnotation(finding: Reported, lines: LineIndex, shownAs: string): string {
  const data = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (text: string): string => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const command = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'notice';
  const start = position(lines, finding.start);
  const end = position(lines, finding.end);
  const file = shownAs.split(path.sep).join('/');
  return `::${command} file=${property(file)},line=${start.line},col=${start.column},endLine=${end.line},endColumn=${end.column},title=${property(reportedBy(finding))}::${data(finding.message)}`;
}

/** Where a rule's doc is: next to dist/, in the package cgo-lint runs from. */
function docUri(code: string): string {
  return pathToFileURL(path.join(__dirname, '..', 'docs', 'rules', `${code}.md`)).href;
}

/** The rule's doc as SARIF help: code scanning shows it next to the alert. */
function sarifHelp(code: string): { help?: { text: string; markdown: string } } {
  try {
    const markdown = fs.readFileSync(fileURLToPath(docUri(code)), 'utf8');
    return { help: { text: markdown, markdown } };
  } catch {
    return {};
  }
}

/** SARIF 2.1.0 for code-scanning uploads; columns in UTF-16 code units, SARIF's default. */
function sarif(results: { finding: Reported; lines: LineIndex; shownAs: string }[]): object {
  const level = (severity: Finding['severity']): string => (severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note');
  const sarifRules = [...rules, { id: suppressionCode, summary: 'A cgo-lint:ignore comment that is unused, names an unknown rule or gives no reason.', defaultSeverity: 'hint' as const }];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cgo-lint',
            rules: sarifRules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.summary },
              helpUri: docUri(rule.id),
              ...sarifHelp(rule.id),
              defaultConfiguration: { level: level(rule.defaultSeverity) },
            })),
          },
        },
        results: results.map(({ finding, lines, shownAs }) => {
          const start = lines.positionAt(finding.start);
          const end = lines.positionAt(finding.end);
          // Compiler findings have no rule entry: SARIF then takes ruleId alone.
          const ruleIndex = sarifRules.findIndex((rule) => rule.id === reportedBy(finding));
          return {
            ruleId: reportedBy(finding),
            ...(ruleIndex >= 0 ? { ruleIndex } : {}),
            level: level(finding.severity),
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: shownAs.split(path.sep).map(encodeURIComponent).join('/') },
                  region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
                },
              },
            ],
          };
        }),
      },
    ],
  };
}

/**
 * "checked 120/400 packages" on a terminal's stderr, for runs long enough to wonder about:
 * first drawn after a second, redrawn at most ten times a second, erased at the end.
 */
class Progress {
  private readonly startedAt = performance.now();
  private drawnAt = 0;
  private drawn = false;

  constructor(private readonly total: number) {}

  update(done: number): void {
    if (!process.stderr.isTTY) return;
    const now = performance.now();
    if (now - this.startedAt < 1000 || now - this.drawnAt < 100) return;
    this.drawnAt = now;
    this.drawn = true;
    process.stderr.write(`\rcgo-lint: checked ${done}/${this.total} packages\x1b[K`);
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
  }
}

async function start(): Promise<void> {
  // go env, the C compiler and pkg-config (the worker threads' too) end with the run, Ctrl+C included.
  killWhenProcessEnds(childProcesses);
  // `cgo-lint . | head`: the reader left, so nothing more can be said; stop quietly, as go vet does.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
  process.exitCode = await main(process.argv.slice(2));
}

(inWorker ? workerMain(rules) : start()).catch((error: unknown) => {
  // An I/O error is one line; anything else is a bug, and its stack helps to report it.
  const io = error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
  process.stderr.write(`cgo-lint: ${io ? oneLine(error) : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
