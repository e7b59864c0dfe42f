// Checking the packages cgo-lint was given, on this thread or shared with worker threads.
// Threads take the next package from one shared counter; a worker sends back only what it
// found (and the texts those findings point into), so results cost nothing for the many
// packages with nothing to report. Output never depends on the threads: results are kept in
// the order of the packages.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { compilePackage, confirmedByCompiler, PreambleCompiler, type UnitResult } from './cgo/compiler';
import { Engine, ParseTimeoutError, type SourceFile } from './cgo/engine';
import { mayImportC, readGoSource } from './cgo/files';
import type { Reported, RuleId, SeveritySetting } from './cgo/findings';
import type { Rule } from './cgo/rule';
import { defaultGrammarDir, loadGrammars } from './cgo/grammars';
import { askGoEnv, type GoEnvAnswer } from './cgo/goversion';
import { readTextFromDisk } from './cgo/headers';
import type { CgoPackage, PackageFlags } from './cgo/package';
import { PkgConfig } from './cgo/pkgconfig';
import { ChildProcesses } from './cgo/processes';
import { resolvePackageTarget } from './cgo/target';

/** A package directory to check, and which of its files to report (all, or the one named). */
export interface Job {
  dir: string;
  /** Path as the user should see it, for each absolute path of the package. */
  shownAs: Map<string, string>;
  only: string | undefined;
}

export interface CheckOptions {
  goos: string | undefined;
  goarch: string | undefined;
  /** --go: the Go release to answer for; else the go command on PATH, go.mod, the newest known. */
  goVersion: string | undefined;
  severities: Partial<Record<RuleId, SeveritySetting>>;
  /** --cc / --no-cc: compile the preambles with the C compiler; undefined: when one is found. */
  cc?: boolean;
}

/**
 * Every process this thread starts. The main thread's is the run's: cgo-lint kills what it holds
 * when it ends (killWhenProcessEnds); a worker's joins it through the table of groups it was given.
 */
export const childProcesses = new ChildProcesses(isMainThread ? undefined : new Int32Array((workerData as WorkerInput).processGroups));

/** The C compiler and pkg-config of this thread, found when a package first needs them. */
let preambleCompiler: PreambleCompiler | undefined;
let pkgConfig: PkgConfig | undefined;

/** What `go env` says, asked once per thread and only when a package with cgo needs it (no --go, or the compiler). */
let goEnv: Promise<GoEnvAnswer | undefined> | undefined;
const goEnvOnce = (): Promise<GoEnvAnswer | undefined> => (goEnv ??= askGoEnv(childProcesses));

function compilerOnce(): PreambleCompiler {
  return (preambleCompiler ??= new PreambleCompiler({ mayRun: () => true, processes: childProcesses, goEnv: goEnvOnce }));
}

export interface Checked {
  findings: Reported[];
  /** The texts of the package's files (from a worker: only those the findings point into). */
  texts: Map<string, string>;
  /** Files that could not be read, parses abandoned and fixes dropped as bugs, as shown to the user. */
  warnings: string[];
  /** A .go file to report on could not be read (exit status 2). */
  unreadable: boolean;
}

/** The engine, loaded when a package first needs it: a tree without cgo never loads the grammars. */
export class EngineOnDemand {
  private loading: Promise<Engine> | undefined;
  /** The engine once loaded. */
  loaded: Engine | undefined;

  /**
   * @param rules what the engine runs (the registry; cgo-lint hands it over)
   * @param parseTimeoutMs the engine's limit for one Go parse (default: the engine's).
   */
  constructor(
    private readonly rules: readonly Rule[],
    private readonly parseTimeoutMs?: number,
  ) {}

  load(): Promise<Engine> {
    return (this.loading ??= loadGrammars(defaultGrammarDir(__dirname)).then((grammars) => (this.loaded = new Engine(grammars, this.rules, this.parseTimeoutMs))));
  }

  get isLoading(): boolean {
    return this.loading !== undefined && this.loaded === undefined;
  }

  async dispose(): Promise<void> {
    (await this.loading)?.dispose();
  }
}

interface ReadPackage {
  sources: SourceFile[];
  texts: Map<string, string>;
  warnings: string[];
  unreadable: boolean;
  /** Some file may import "C": every rule is about such an import, so the others have nothing to report. */
  mayUseCgo: boolean;
}

function readJob(job: Job): ReadPackage {
  const sources: SourceFile[] = [];
  const texts = new Map<string, string>();
  const warnings: string[] = [];
  let unreadable = false;
  for (const file of job.shownAs.keys()) {
    const read = readGoSource(file);
    if (!read.ok) {
      if (!job.only || job.only === file) {
        warnings.push(`${job.shownAs.get(file)}: ${read.reason}`);
        unreadable ||= !read.skipped;
      }
      continue;
    }
    sources.push({ path: file, text: read.text });
    texts.set(file, read.text);
  }
  return { sources, texts, warnings, unreadable, mayUseCgo: sources.some((source) => mayImportC(source.text)) };
}

async function checkRead(engine: Engine, job: Job, read: ReadPackage, options: CheckOptions): Promise<Checked> {
  const { texts, warnings, unreadable } = read;
  const localGo = options.goVersion ? undefined : (await goEnvOnce())?.local;
  const { target } = resolvePackageTarget(job.dir, { ...options, localGo }, readTextFromDisk);
  let model: { pkg: CgoPackage; flags: PackageFlags } | undefined;
  let findings: Reported[];
  if (options.cc !== false && read.sources.some((source) => mayImportC(source.text))) {
    // The compiler's search list for system headers, before the rules read any (--no-cc: the standard directories).
    const compiler = await compilerOnce().compiler();
    engine.systemHeaders.useCompilerSearchList(compiler && compiler.searchList.length > 0 ? compiler.searchList : undefined);
  }
  try {
    const onInvalidFix = (message: string): void => void warnings.push(message);
    findings = engine.checkPackage(job.dir, read.sources, { target, severities: options.severities, onInvalidFix, withModel: (pkg, flags) => (model = { pkg, flags }) });
  } catch (error) {
    if (!(error instanceof ParseTimeoutError)) throw error;
    warnings.push(error.file ? `${job.shownAs.get(error.file) ?? error.file}: ${error.message.slice(error.file.length + 2)}` : error.message);
    return { findings: [], texts, warnings, unreadable };
  }
  if (model && options.cc !== false) {
    pkgConfig ??= new PkgConfig({ mayRun: () => true, processes: childProcesses });
    const compiled: UnitResult[] | undefined = await compilePackage(compilerOnce(), model.pkg, model.flags, { pkgConfig, readText: readTextFromDisk });
    if (compiled) {
      const lines = new Map(model.pkg.files.map((file) => [file.path, file.lines]));
      findings = [...confirmedByCompiler(findings, compiled, (file, offset) => lines.get(file)?.lineOf(offset) ?? -1), ...compiled.flatMap((r) => r.findings)];
      findings.sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
    } else if (options.cc === true && !(await compilerOnce().compiler())) {
      warnings.push('--cc: no C compiler found (go env CC, gcc, clang)');
    }
  }
  return { findings: findings.filter((f) => !job.only || f.file === job.only), texts, warnings, unreadable };
}

/** One package, read now (--fix reads each package again after every round of fixes). */
export async function checkJob(engines: EngineOnDemand, job: Job, options: CheckOptions): Promise<Checked> {
  const read = readJob(job);
  return read.mayUseCgo ? await checkRead(await engines.load(), job, read, options) : nothingFound(read);
}

function nothingFound(read: ReadPackage): Checked {
  return { findings: [], texts: read.texts, warnings: read.warnings, unreadable: read.unreadable };
}

/**
 * One thread's share of the jobs: it takes the next one until none is left. While the grammars
 * load (compiled on V8's background threads), packages with cgo wait and reading goes on.
 */
async function takeJobs(rules: readonly Rule[], jobs: Job[], options: CheckOptions, counters: Int32Array, done: (index: number, checked: Checked) => void): Promise<void> {
  const engines = new EngineOnDemand(rules);
  const waiting: { index: number; read: ReadPackage }[] = [];
  // Compilers run while the next packages are read and checked.
  const compiling: Promise<void>[] = [];
  const check = (engine: Engine, index: number, read: ReadPackage): void => {
    compiling.push(checkRead(engine, jobs[index], read, options).then((checked) => done(index, checked)));
  };
  try {
    for (let index = Atomics.add(counters, nextJob, 1); index < jobs.length; index = Atomics.add(counters, nextJob, 1)) {
      const read = readJob(jobs[index]);
      if (!read.mayUseCgo) done(index, nothingFound(read));
      else if (engines.loaded) check(engines.loaded, index, read);
      else {
        // Failing to load is reported where the engine is awaited, below.
        engines.load().catch(() => undefined);
        waiting.push({ index, read });
      }
      if (engines.isLoading) await new Promise((resolve) => setImmediate(resolve));
    }
    if (waiting.length > 0) {
      const engine = await engines.load();
      for (const { index, read } of waiting) check(engine, index, read);
    }
    await Promise.all(compiling);
  } finally {
    await engines.dispose();
  }
}

/** Counters the threads share: the next job to take, and how many are done. */
const nextJob = 0;
const jobsDone = 1;

interface WorkerInput {
  jobs: { dir: string; shownAs: [string, string][]; only: string | undefined }[];
  options: CheckOptions;
  counters: SharedArrayBuffer;
  /** The main thread's table of process groups (ChildProcesses.groups). */
  processGroups: SharedArrayBuffer;
}

type WorkerMessage =
  | { kind: 'result'; index: number; findings: Reported[]; texts: [string, string][]; warnings: string[]; unreadable: boolean }
  | { kind: 'failed'; error: string };

/**
 * Checks every job with the rules, on `threads` threads; `progress` hears how many are done.
 * A worker runs the registry it loads itself (rules are code, not data to post), so `rules`
 * must be the registry when `threads` > 1.
 */
export async function checkJobs(rules: readonly Rule[], jobs: Job[], options: CheckOptions, threads: number, progress: (done: number) => void): Promise<Checked[]> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const results: Checked[] = new Array(jobs.length);
  const input: WorkerInput = {
    jobs: jobs.map((job) => ({ dir: job.dir, shownAs: [...job.shownAs], only: job.only })),
    options,
    counters: counters.buffer as SharedArrayBuffer,
    processGroups: childProcesses.groups.buffer as SharedArrayBuffer,
  };
  const workers = Array.from({ length: Math.min(threads, jobs.length) - 1 }, () => runWorker(input, results));
  await takeJobs(rules, jobs, options, counters, (index, checked) => {
    results[index] = checked;
    progress(Atomics.add(counters, jobsDone, 1) + 1);
  });
  // While the workers finish, the main thread only reports how far they are.
  const ticker = setInterval(() => progress(Atomics.load(counters, jobsDone)), 100);
  try {
    await Promise.all(workers);
  } finally {
    clearInterval(ticker);
  }
  // Packages a worker found nothing in.
  for (let index = 0; index < jobs.length; index++) results[index] ??= { findings: [], texts: new Map(), warnings: [], unreadable: false };
  return results;
}

function runWorker(input: WorkerInput, results: Checked[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    let failure: Error | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'result') results[message.index] = { findings: message.findings, texts: new Map(message.texts), warnings: message.warnings, unreadable: message.unreadable };
      else if (message.kind === 'failed') failure = new Error(`a worker thread failed: ${message.error}`);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (failure ? reject(failure) : code === 0 ? resolve() : reject(new Error(`a worker thread exited with ${code}`))));
  });
}

/** The worker's side of checkJobs, run when this bundle is loaded as a worker: `rules` is the registry of the bundle. */
export async function workerMain(rules: readonly Rule[]): Promise<void> {
  const input = workerData as WorkerInput;
  const counters = new Int32Array(input.counters);
  const jobs: Job[] = input.jobs.map((job) => ({ dir: job.dir, shownAs: new Map(job.shownAs), only: job.only }));
  const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
  try {
    await takeJobs(rules, jobs, input.options, counters, (index, { findings, texts, warnings, unreadable }) => {
      if (findings.length > 0 || warnings.length > 0) {
        const pointedAt = new Set(findings.flatMap((f) => [f.file, ...('fixes' in f ? f.fixes : []).flatMap((fix) => fix.edits.map((edit) => edit.file))]));
        post({ kind: 'result', index, findings, texts: [...texts].filter(([file]) => pointedAt.has(file)), warnings, unreadable });
      }
      Atomics.add(counters, jobsDone, 1);
    });
  } catch (error) {
    post({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

export const inWorker = !isMainThread;
