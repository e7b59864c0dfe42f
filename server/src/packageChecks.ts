// Checking the packages cgo-lint was given, on this thread or shared with worker threads.
// Threads take the next package from one shared counter; a worker sends back only what it
// found (and the texts those findings point into), so results cost nothing for the many
// packages with nothing to report. Output never depends on the threads: results are kept in
// the order of the packages.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Engine, ParseTimeoutError, type SourceFile } from './cgo/engine';
import { mayImportC, readGoSource } from './cgo/files';
import type { Finding, RuleId, SeveritySetting } from './cgo/findings';
import { defaultGrammarDir, loadGrammars } from './cgo/grammars';
import { resolveTarget } from './cgo/target';

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
  severities: Partial<Record<RuleId, SeveritySetting>>;
}

export interface Checked {
  findings: Finding[];
  /** The texts of the package's files (from a worker: only those the findings point into). */
  texts: Map<string, string>;
  /** Files that could not be read, and parses abandoned, as shown to the user. */
  warnings: string[];
}

/** The engine, made when a package first needs it: a tree without cgo never loads the grammars. */
export type EngineOnDemand = () => Promise<Engine>;

export function engineOnDemand(): { engineOf: EngineOnDemand; dispose(): Promise<void> } {
  let engine: Promise<Engine> | undefined;
  return {
    engineOf: () => (engine ??= loadGrammars(defaultGrammarDir(__dirname)).then((grammars) => new Engine(grammars))),
    dispose: async () => (await engine)?.dispose(),
  };
}

export async function checkJob(engineOf: EngineOnDemand, job: Job, options: CheckOptions): Promise<Checked> {
  const sources: SourceFile[] = [];
  const texts = new Map<string, string>();
  const warnings: string[] = [];
  for (const file of job.shownAs.keys()) {
    const read = readGoSource(file);
    if (!read.ok) {
      if (!job.only || job.only === file) warnings.push(`${job.shownAs.get(file)}: ${read.reason}`);
      continue;
    }
    sources.push({ path: file, text: read.text });
    texts.set(file, read.text);
  }
  // Every rule is about an import of "C": a package without one has nothing to report.
  if (!sources.some((source) => mayImportC(source.text))) return { findings: [], texts, warnings };
  const target = resolveTarget(options.goos, options.goarch);
  const engine = await engineOf();
  try {
    const findings = engine.checkPackage(job.dir, sources, { target, severities: options.severities }).filter((f) => !job.only || f.file === job.only);
    return { findings, texts, warnings };
  } catch (error) {
    if (!(error instanceof ParseTimeoutError)) throw error;
    warnings.push(error.file ? `${job.shownAs.get(error.file) ?? error.file}: ${error.message.slice(error.file.length + 2)}` : error.message);
    return { findings: [], texts, warnings };
  }
}


/** Counters the threads share: the next job to take, and how many are done. */
const nextJob = 0;
const jobsDone = 1;

interface WorkerInput {
  jobs: { dir: string; shownAs: [string, string][]; only: string | undefined }[];
  options: CheckOptions;
  counters: SharedArrayBuffer;
}

type WorkerMessage =
  | { kind: 'result'; index: number; findings: Finding[]; texts: [string, string][]; warnings: string[] }
  | { kind: 'failed'; error: string };

/** Checks every job, on `threads` threads; `progress` hears how many are done. */
export async function checkJobs(jobs: Job[], options: CheckOptions, threads: number, progress: (done: number) => void): Promise<Checked[]> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const results: Checked[] = new Array(jobs.length);
  const input: WorkerInput = {
    jobs: jobs.map((job) => ({ dir: job.dir, shownAs: [...job.shownAs], only: job.only })),
    options,
    counters: counters.buffer as SharedArrayBuffer,
  };
  const workers = Array.from({ length: Math.min(threads, jobs.length) - 1 }, () => runWorker(input, results));
  const { engineOf, dispose } = engineOnDemand();
  try {
    for (let index = Atomics.add(counters, nextJob, 1); index < jobs.length; index = Atomics.add(counters, nextJob, 1)) {
      results[index] = await checkJob(engineOf, jobs[index], options);
      progress(Atomics.add(counters, jobsDone, 1) + 1);
    }
  } finally {
    await dispose();
  }
  // While the workers finish, the main thread only reports how far they are.
  const ticker = setInterval(() => progress(Atomics.load(counters, jobsDone)), 100);
  try {
    await Promise.all(workers);
  } finally {
    clearInterval(ticker);
  }
  // Packages a worker found nothing in.
  for (let index = 0; index < jobs.length; index++) results[index] ??= { findings: [], texts: new Map(), warnings: [] };
  return results;
}

function runWorker(input: WorkerInput, results: Checked[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    let failure: Error | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'result') results[message.index] = { findings: message.findings, texts: new Map(message.texts), warnings: message.warnings };
      else if (message.kind === 'failed') failure = new Error(`a worker thread failed: ${message.error}`);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (failure ? reject(failure) : code === 0 ? resolve() : reject(new Error(`a worker thread exited with ${code}`))));
  });
}

/** The worker's side of checkJobs, run when this bundle is loaded as a worker. */
export async function workerMain(): Promise<void> {
  const input = workerData as WorkerInput;
  const counters = new Int32Array(input.counters);
  const jobs: Job[] = input.jobs.map((job) => ({ dir: job.dir, shownAs: new Map(job.shownAs), only: job.only }));
  const { engineOf, dispose } = engineOnDemand();
  const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
  try {
    for (let index = Atomics.add(counters, nextJob, 1); index < jobs.length; index = Atomics.add(counters, nextJob, 1)) {
      const { findings, texts, warnings } = await checkJob(engineOf, jobs[index], input.options);
      if (findings.length > 0 || warnings.length > 0) {
        const pointedAt = new Set(findings.flatMap((f) => [f.file, ...f.fixes.flatMap((fix) => fix.edits.map((edit) => edit.file))]));
        post({ kind: 'result', index, findings, texts: [...texts].filter(([file]) => pointedAt.has(file)), warnings });
      }
      Atomics.add(counters, jobsDone, 1);
    }
  } catch (error) {
    post({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    await dispose();
  }
}

export const inWorker = !isMainThread;
