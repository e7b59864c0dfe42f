// The entry point of the engine: parsers for Go and C, and checking a package with the rules.
import * as path from 'node:path';
import { Parser, type Tree } from 'web-tree-sitter';
import type { BuildTarget } from './constraints';
import type { Finding, RuleId, SeveritySetting } from './findings';
import type { Grammars } from './grammars';
import type { CppConfig } from './cpp';
import { fixProblem } from './edits';
import { FlagChecks } from './flags';
import { goGetenv, type Getenv } from './goGetenv';
import { HeaderReadings } from './headerReadings';
import { buildFileScope, buildFileView, cppConfig, readTextFromDisk, type FileView, type ReadText } from './headers';
import { buildCgoFile, cgoPackage, packageFlags, type CgoFile, type CgoImport, type CgoPackage, type PackageFlags } from './package';
import { PreambleCache } from './preamble';
import type { PackageMemo } from './packageMemo';
import { applySuppressions, ignoreInsert } from './suppression';
import { disposeCSyntax } from './c';
import { BoundedCache } from './cache';
import type { CScope } from './cdecl';
import type { Rule, RuleContext, RuleFinding } from './rule';
import { stdlibIncludeFor } from './stdlibHeaders';
import { SystemHeaders, type SystemConfig } from './systemHeaders';
import { PredefinedMacros } from './predefined';

/** A Go parse that ran past its time limit and was abandoned. */
export class ParseTimeoutError extends Error {
  constructor(
    readonly limitMs: number,
    readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}parsing took longer than ${limitMs} ms and was abandoned; the package is not checked`);
  }
}

export interface SourceFile {
  path: string;
  text: string;
  /**
   * A tree of `text` the caller keeps (the LSP's incremental trees), or how to get it: only
   * a rule that reads the file's Go code asks. Parsed and freed here when absent.
   */
  tree?: Tree | (() => Tree);
}

export interface CheckOptions {
  target: BuildTarget;
  severities?: Partial<Record<RuleId, SeveritySetting>>;
  /** How headers are read; the LSP passes one that prefers open buffers. Default: the disk. */
  readText?: ReadText;
  /** How go command settings are read (RuleContext.getenv). Default: this process's environment, then its `go env -w` file, read once per check. */
  getenv?: Getenv;
  /**
   * Hears of each fix a rule offered that fixProblem refuses: a bug in the rule. The fix is
   * dropped from its finding, never applied.
   */
  onInvalidFix?: (message: string) => void;
  /**
   * Handed the package model and its flags while the rules run (the compiler pass takes the
   * preambles from it; it must not read the files' trees afterwards).
   */
  withModel?: (pkg: CgoPackage, flags: PackageFlags) => void;
  /**
   * What earlier checks of this package computed per file, reused while each file's inputs
   * stay (the LSP passes one per package; see packageMemo.ts). Without it, every file is checked.
   */
  memo?: PackageMemo;
}

/** A file's C scope, with the preprocessor's view it was read from (hovers and definitions show its headers). */
export interface FileScope extends FileView {
  scope: CScope;
  /** Project headers read, in include order, and their texts. */
  headers: string[];
  headerTexts: Map<string, string>;
}

/** A file's preprocessed view and what it was built from, to reuse it while none of that changes. */
interface CachedView {
  /** The preprocessor configuration it was read with, as a key. */
  config: string;
  /** The preambles and their offsets, as a key; and the imports they were last seen in (a model the memo keeps has the same). */
  preambles: string;
  imports: CgoImport[];
  /** Every path the reader looked at, found or not, with what it found. */
  looked: Map<string, string | undefined>;
  result: FileView;
  /** The C scope read from this very view, once asked for. */
  scope?: FileScope;
}

const minViewsKept = 256;

/** The facts a check serves every rule alike. */
type SharedContext = Omit<RuleContext, 'kept'>;

export class Engine {
  readonly goParser: Parser;
  readonly cParser: Parser;
  /** A second Go parser for parses done a slice at a time, so they never disturb goParser's. */
  private backgroundParser: Parser | undefined;
  /** Enough for the files a user works on, and for every cgo file of the package checked last; the least recently used go first. */
  private readonly views = new BoundedCache<string, CachedView>({ maxWeight: minViewsKept });
  /** The last preprocessor configuration's key: a check has one configuration, computed once rather than per file. */
  private lastConfig: { config: CppConfig; key: string } | undefined;
  /** The preambles of the files modelled lately (by the checks and the editor features), by comment text. */
  readonly preambles = new PreambleCache();
  /** The macros the C compiler predefines, per target and flags. */
  private readonly predefined = new PredefinedMacros();
  /** The go command's flag checks, with the allowlists' patterns compiled as they are needed. */
  readonly flagChecks = new FlagChecks();
  /** The declarations of system headers, shared by every file and package. */
  readonly systemHeaders = new SystemHeaders(this.predefined);
  /** Project headers' readings into C scopes, replayed for every file that includes the same text. */
  private readonly headerReadings = new HeaderReadings();
  /** What each rule keeps across checks (RuleContext.kept), by rule id and name. */
  private readonly keptByRule = new Map<string, object>();
  /** The ids of the rules this engine runs: what suppression comments may name. */
  readonly ruleIds: readonly RuleId[];

  /**
   * @param rules the rules checkPackage runs, in the order their findings are reported for the
   *   same place: the registry (rules/index.ts) in the server and the CLI, one rule in its tests.
   * @param parseTimeoutMs how long one Go parse may take before it is abandoned; a hand-written
   *   file parses in milliseconds, so hitting it means pathological input, not a slow machine.
   */
  constructor(
    grammars: Grammars,
    readonly rules: readonly Rule[],
    private readonly parseTimeoutMs = 3000,
  ) {
    this.ruleIds = rules.map((rule) => rule.id);
    this.goParser = new Parser();
    this.goParser.setLanguage(grammars.go);
    this.cParser = new Parser();
    this.cParser.setLanguage(grammars.c);
  }

  parseGo(text: string, oldTree?: Tree): Tree {
    const deadline = performance.now() + this.parseTimeoutMs;
    // Returning true from the progress callback makes tree-sitter give up (parse returns null).
    const tree = this.goParser.parse(text, oldTree ?? null, { progressCallback: () => performance.now() > deadline });
    if (!tree) {
      // Without a reset the next parse would resume this one.
      this.goParser.reset();
      throw new ParseTimeoutError(this.parseTimeoutMs);
    }
    return tree;
  }

  /**
   * Parses Go text a few milliseconds at a time, turning the event loop between slices (an
   * interrupted tree-sitter parse resumes where it stopped). Undefined when `stillWanted` turns
   * false between slices, or when the parse has worked longer than the parse time limit.
   */
  async parseGoInBackground(text: string, stillWanted: () => boolean, sliceMs = 4): Promise<Tree | undefined> {
    const parser = (this.backgroundParser ??= new Parser());
    parser.setLanguage(this.goParser.language);
    let worked = 0;
    for (;;) {
      const started = performance.now();
      const deadline = started + sliceMs;
      const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
      worked += performance.now() - started;
      if (tree) return tree;
      await new Promise((resolve) => setImmediate(resolve));
      if (!stillWanted() || worked > this.parseTimeoutMs) {
        parser.reset();
        return undefined;
      }
    }
  }

  /**
   * Checks every file of one package directory (all its .go files; the rules decide which
   * ones the target builds) and returns the findings of each file.
   */
  checkPackage(dir: string, sources: SourceFile[], options: CheckOptions): Finding[] {
    const steps = this.checkSteps(dir, sources, options);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * checkPackage a step at a time: with a memo, a step ends after each file whose model had to
   * be built and after each file-scoped rule that had to run on a file; then after each
   * package-wide rule.
   * The caller may turn the event loop between steps, so requests are answered meanwhile, and
   * stop there (return()) when an edit makes the check moot: what was computed stays in the memo.
   */
  *checkSteps(dir: string, sources: SourceFile[], options: CheckOptions): Generator<void, Finding[], void> {
    const owned: Tree[] = [];
    const memo = options.memo;
    try {
      const files: CgoFile[] = [];
      memo?.startCheck();
      for (let next = 0; next < sources.length; ) {
        next = this.modelUntilUnknown(sources, next, options, owned, files);
        yield;
      }
      memo?.forgetUnseen();
      const readText = options.readText ?? readTextFromDisk;
      this.keepViewsFor(files);
      const { ctx, viewWasRead } = this.ruleContext(cgoPackage(dir, options.target, files), readText, options.getenv ?? goGetenv(process.env));
      // With a memo, the file-scoped rules' findings of the files that have any: kept, or run on that file alone.
      const perFile: ReadonlyMap<string, RuleFinding[]>[] = [];
      if (memo) {
        const fileScoped = this.rules.filter((rule) => rule.scope === 'file' && options.severities?.[rule.id] !== 'off');
        const fileScopedKey = fileScoped.map((rule) => rule.id).join(' ');
        const flags = JSON.stringify(ctx.flags());
        for (let index = 0; ; index++) {
          const next = memo.nextStale(files, index, flags, ctx.preprocessed, fileScoped, fileScopedKey, perFile);
          if (!next) break;
          index = next.index;
          const file = files[index];
          // Reading its view anew can take as long as a rule, and one rule on a 12,000-line file
          // a few dozen ms: a step each.
          yield;
          for (const rule of next.stale) {
            memo.keep(file, rule.id, rule.check({ ...this.contextFor(rule, ctx), pkg: cgoPackage(ctx.pkg.dir, ctx.pkg.target, [file]) }));
            yield;
          }
          // Reached once every stale rule ran on the file (a moot check stops at a yield above).
          const read = viewWasRead(file);
          memo.ranStaleRules(file, read ? ctx.preprocessed(file) : null, fileScopedKey, perFile);
          // The package-wide rules read the view of every cgo file: when the flags changed, built
          // here, a step each, not hundreds in one rule's step. Not for a file whose text changed:
          // a keystroke builds its view only if a rule reads it (a 2,000-line preamble's is most
          // of the keystroke).
          if (!read && !next.fresh && file.imports.length > 0) {
            ctx.preprocessed(file);
            yield;
          }
        }
      }
      options.withModel?.(ctx.pkg, ctx.flags());
      let texts: Map<string, string> | undefined;
      const textOf = (file: string): string | undefined => (texts ??= new Map(sources.map((source) => [source.path, source.text]))).get(file) ?? readText(file);
      let fileByPath: Map<string, CgoFile> | undefined;
      const fileOf = (file: string): CgoFile | undefined => (fileByPath ??= new Map(files.map((each) => [each.path, each]))).get(file);
      const findings: Finding[] = [];
      for (const rule of this.rules) {
        const setting = options.severities?.[rule.id];
        if (setting === 'off') continue;
        const found = memo && rule.scope === 'file' ? perFile.flatMap((byRule) => byRule.get(rule.id) ?? []) : rule.check(this.contextFor(rule, ctx));
        for (const finding of found) {
          const file = fileOf(finding.file);
          // A file the target and Go release do not build is judged by nobody: the go command never
          // reads it (its facts, like #cgo flags, are already left out by the package model).
          if (file && !file.included) continue;
          if (file?.ignoredWithoutCgo && !rule.judgesFilesWithoutCgo) continue;
          const fixes = finding.fixes.filter((fix) => {
            const problem = fixProblem(fix, textOf);
            if (problem) options.onInvalidFix?.(`bug: ${rule.id} offered the fix "${fix.title}", dropped: ${problem}`);
            return !problem;
          });
          findings.push({
            ...finding,
            fixes,
            rule: rule.id,
            severity: setting ?? finding.severity ?? rule.defaultSeverity,
            ...(finding.caughtBy ?? rule.caughtBy ? { caughtBy: finding.caughtBy ?? rule.caughtBy } : {}),
            ...(file ? { ignore: ignoreInsert(file, rule.id, finding.start) } : {}),
          });
        }
        // Each package-wide rule reads every file: a step each, so that requests get their turn between them.
        if (rule.scope !== 'file') yield;
      }
      return applySuppressions(files, findings, this.ruleIds, options.severities, options.target).sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
    } finally {
      for (const tree of owned) tree.delete();
    }
  }

  /**
   * Models the sources from `from` on into `files`, up to and including the first one whose
   * model the memo built rather than kept; the index after it. The per-file loops of a check
   * are plain functions, out of the checkSteps generator: a keystroke in a 5,000-file package
   * goes over every file, and V8 optimises these loops keystrokes sooner than the generator's.
   */
  private modelUntilUnknown(sources: SourceFile[], from: number, options: CheckOptions, owned: Tree[], files: CgoFile[]): number {
    for (let index = from; index < sources.length; index++) {
      files.push(this.model(sources[index], options, owned));
      if (options.memo?.wasBuilt()) return index + 1;
    }
    return sources.length;
  }

  /** Keeps a view per cgo file of the package: read in file order, a smaller LRU cache would keep none of them. */
  private keepViewsFor(files: CgoFile[]): void {
    let cgoFiles = 0;
    for (const file of files) if (file.imports.length > 0) cgoFiles++;
    this.views.resize(Math.max(minViewsKept, cgoFiles));
  }

  /** A source's model; trees the engine parses for it go to `owned`, to be freed after the check. */
  private model(source: SourceFile, options: CheckOptions, owned: Tree[]): CgoFile {
    const tree =
      source.tree ??
      (() => {
        let parsed: Tree;
        try {
          parsed = this.parseGo(source.text);
        } catch (error) {
          throw error instanceof ParseTimeoutError ? new ParseTimeoutError(error.limitMs, source.path) : error;
        }
        owned.push(parsed);
        return parsed;
      });
    return options.memo ? options.memo.model(source.path, source.text, tree, options.target, this.preambles) : buildCgoFile(source.path, source.text, tree, options.target, this.preambles);
  }

  /** The check's context as one rule sees it: what it keeps is its own. */
  private contextFor(rule: Rule, ctx: SharedContext): RuleContext {
    return {
      ...ctx,
      kept: <T extends object>(name: string, create: () => T): T => {
        const key = `${rule.id}\0${name}`;
        let kept = this.keptByRule.get(key) as T | undefined;
        if (!kept) this.keptByRule.set(key, (kept = create()));
        return kept;
      },
    };
  }

  /**
   * The check's context; each file is read once per check, however many preambles include it.
   * `viewWasRead`: whether the context gave anything read from a file's preprocessed view (its
   * view, includes or C scope), which the file-scoped rules' findings on it then depend on.
   */
  private ruleContext(pkg: CgoPackage, readAnew: ReadText, getenv: Getenv): { ctx: SharedContext; viewWasRead: (file: CgoFile) => boolean } {
    const read = new Map<string, string | undefined>();
    const readText: ReadText = (file) => {
      if (!read.has(file)) read.set(file, readAnew(file));
      return read.get(file);
    };
    let flags: PackageFlags | undefined;
    let config: CppConfig | undefined;
    const views = new Map<CgoFile, FileView>();
    const scopes = new Map<CgoFile, CScope>();
    const systemScopesRead = new Set<CgoFile>();
    const ctx: SharedContext = {
      pkg,
      cParser: this.cParser,
      readText,
      getenv,
      flagChecks: this.flagChecks,
      flags: () => (flags ??= packageFlags(pkg)),
      preprocessed: (file) => {
        let view = views.get(file);
        if (!view) {
          view = this.fileView(file, (config ??= cppConfig(pkg, ctx.flags())), readText);
          views.set(file, view);
        }
        return view;
      },
      includes: (file) => ctx.preprocessed(file).walk,
      stdlibIncludeFor: (file, name) => stdlibIncludeFor(ctx, file, name),
      systemScope: (file) => {
        systemScopesRead.add(file);
        return this.systemScope(file, (config ??= cppConfig(pkg, ctx.flags())), readText);
      },
      cScope: (file) => {
        let scope = scopes.get(file);
        if (!scope) {
          scope = this.fileScope(file, (config ??= cppConfig(pkg, ctx.flags())), readText).scope;
          scopes.set(file, scope);
        }
        return scope;
      },
    };
    return { ctx, viewWasRead: (file) => views.has(file) || scopes.has(file) || systemScopesRead.has(file) };
  }

  /**
   * The preprocessor's view of a file, shared by the rules and the editor features, read again
   * only when its preambles, the configuration or any header path it looked at change.
   */
  fileView(file: CgoFile, config: CppConfig, readText: ReadText): FileView {
    return this.cachedView(file, config, readText).result;
  }

  /** The C scope of a file, read from its preprocessed view and kept as long as that view. */
  fileScope(file: CgoFile, config: CppConfig, readText: ReadText): FileScope {
    const cached = this.cachedView(file, config, readText);
    if (!cached.scope) {
      const view = cached.result;
      cached.scope = { ...view, scope: buildFileScope(view, this.cParser, this.headerReadings), headers: view.view.headers, headerTexts: view.view.headerTexts };
    }
    return cached.scope;
  }

  /**
   * What the system headers a file includes declare (its preambles' and its project headers'
   * `#include <…>`, and `"…"` found in no project directory), read on first use.
   */
  systemScope(file: CgoFile, config: CppConfig, readText: ReadText): CScope {
    const { names, system } = this.systemIncludes(file, config, readText);
    return this.systemHeaders.scopeOf(names, system, this.cParser);
  }

  /** systemScope when its headers were read before (nothing is read now); else undefined. */
  systemScopeIfRead(file: CgoFile, config: CppConfig, readText: ReadText): CScope | undefined {
    const { names, system } = this.systemIncludes(file, config, readText);
    return this.systemHeaders.scopeOf(names, system, this.cParser, true);
  }

  /** Reads one system header the file includes that is not read yet; true when one was (there may be more). */
  readSystemHeader(file: CgoFile, config: CppConfig, readText: ReadText): boolean {
    const { names, system } = this.systemIncludes(file, config, readText);
    return this.systemHeaders.readOne(names, system, this.cParser);
  }

  private systemIncludes(file: CgoFile, config: CppConfig, readText: ReadText): { names: string[]; system: SystemConfig } {
    const { walk, view } = this.cachedView(file, config, readText).result;
    return { names: walk.system.map((include) => include.name), system: this.systemHeaders.configFor(config, path.dirname(file.path), view.variants[0]?.macros) };
  }

  /** Where a system header a file includes is found; undefined when in no system directory. */
  systemHeaderPath(file: CgoFile, config: CppConfig, readText: ReadText, name: string): string | undefined {
    return this.systemHeaders.locate(name, this.systemIncludes(file, config, readText).system);
  }

  private cachedView(file: CgoFile, config: CppConfig, readText: ReadText): CachedView {
    if (this.lastConfig?.config !== config) this.lastConfig = { config, key: JSON.stringify([config.dirs, config.flags, config.target.goos, config.target.goarch]) };
    const configKey = this.lastConfig.key;
    const cached = this.views.peek(file.path);
    const preambles = (): string => JSON.stringify(file.imports.map((imp) => (imp.preamble ? [imp.preamble.offsets.at(0), imp.preamble.text] : '')));
    if (cached && cached.config === configKey && (cached.imports === file.imports || cached.preambles === preambles()) && this.sameAsLooked(cached, readText)) {
      cached.imports = file.imports;
      return cached;
    }
    // The preambles' offsets count (the view's include sites are .go offsets), and so does every
    // path looked at, found or not: a header created later must show up.
    const looked: CachedView['looked'] = new Map();
    const recording: ReadText = (candidate) => {
      if (looked.has(candidate)) return looked.get(candidate);
      const text = readText(candidate);
      looked.set(candidate, text);
      return text;
    };
    const entry: CachedView = { config: configKey, preambles: preambles(), imports: file.imports, looked, result: buildFileView(file, config, recording, this.cParser, this.predefined) };
    this.views.set(file.path, entry);
    return entry;
  }

  /** How many entries each cache this engine owns holds: what dispose frees. */
  cacheSizes(): Record<'views' | 'preambles' | 'predefinedMacros' | 'systemHeaders' | 'headerReadings' | 'flagChecks' | 'keptByRules', number> {
    return {
      views: this.views.size,
      preambles: this.preambles.size,
      predefinedMacros: this.predefined.size,
      systemHeaders: this.systemHeaders.size,
      headerReadings: this.headerReadings.size,
      flagChecks: this.flagChecks.size,
      keptByRules: this.keptByRule.size,
    };
  }

  /** Whether every path the view looked at reads as it did. */
  private sameAsLooked(view: CachedView, readText: ReadText): boolean {
    for (const [path, text] of view.looked) if (readText(path) !== text) return false;
    return true;
  }

  /** Frees the parsers and every cache the engine owns (the C trees kept for incremental parses among them). */
  dispose(): void {
    this.views.dispose();
    this.preambles.dispose();
    this.predefined.dispose();
    this.systemHeaders.dispose();
    this.headerReadings.dispose();
    this.flagChecks.dispose();
    for (const kept of this.keptByRule.values()) (kept as { dispose?: () => void }).dispose?.();
    this.keptByRule.clear();
    disposeCSyntax(this.cParser);
    this.goParser.delete();
    this.backgroundParser?.delete();
    this.cParser.delete();
  }
}
