// The entry point of the engine: parsers for Go and C, and checking a package with the rules.
import { Parser, type Tree } from 'web-tree-sitter';
import type { BuildTarget } from './constraints';
import type { Finding, RuleId, SeveritySetting } from './findings';
import type { Grammars } from './grammars';
import type { CppConfig } from './cpp';
import { fixProblem } from './edits';
import { buildFileScope, buildFileView, cppConfig, readTextFromDisk, type FileView, type ReadText } from './headers';
import { buildCgoFile, packageFlags, type CgoFile, type CgoPackage, type PackageFlags } from './package';
import { applySuppressions, ignoreInsert } from './suppression';
import type { CScope } from './cdecl';
import { rules } from '../rules';
import type { RuleContext } from '../rules/rule';

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
  key: string;
  /** Every path the reader looked at, found or not, with what it found. */
  looked: Map<string, string | undefined>;
  result: FileView;
  /** The C scope read from this very view, once asked for. */
  scope?: FileScope;
}

export class Engine {
  readonly goParser: Parser;
  readonly cParser: Parser;
  /** A second Go parser for parses done a slice at a time, so they never disturb goParser's. */
  private backgroundParser: Parser | undefined;
  private readonly views = new Map<string, CachedView>();

  /**
   * @param parseTimeoutMs how long one Go parse may take before it is abandoned; a hand-written
   *   file parses in milliseconds, so hitting it means pathological input, not a slow machine.
   */
  constructor(
    grammars: Grammars,
    private readonly parseTimeoutMs = 3000,
  ) {
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
    const owned: Tree[] = [];
    try {
      const files = sources.map((source) =>
        buildCgoFile(
          source.path,
          source.text,
          source.tree ??
            (() => {
              let tree: Tree;
              try {
                tree = this.parseGo(source.text);
              } catch (error) {
                throw error instanceof ParseTimeoutError ? new ParseTimeoutError(error.limitMs, source.path) : error;
              }
              owned.push(tree);
              return tree;
            }),
          options.target,
        ),
      );
      const readText = options.readText ?? readTextFromDisk;
      const ctx = this.ruleContext({ dir, target: options.target, files }, readText);
      options.withModel?.(ctx.pkg, ctx.flags());
      const texts = new Map(sources.map((source) => [source.path, source.text]));
      const textOf = (file: string): string | undefined => texts.get(file) ?? readText(file);
      const findings: Finding[] = [];
      // A file the target and Go release do not build is judged by nobody: the go command never
      // reads it (its facts, like #cgo flags, are already left out by the package model).
      const excluded = new Set(files.filter((file) => !file.included).map((file) => file.path));
      const fileByPath = new Map(files.map((file) => [file.path, file]));
      for (const rule of rules) {
        const setting = options.severities?.[rule.id];
        if (setting === 'off') continue;
        for (const finding of rule.check(ctx)) {
          if (excluded.has(finding.file)) continue;
          const fixes = finding.fixes.filter((fix) => {
            const problem = fixProblem(fix, textOf);
            if (problem) options.onInvalidFix?.(`bug: ${rule.id} offered the fix "${fix.title}", dropped: ${problem}`);
            return !problem;
          });
          const file = fileByPath.get(finding.file);
          findings.push({
            ...finding,
            fixes,
            rule: rule.id,
            severity: setting ?? finding.severity ?? rule.defaultSeverity,
            ...(finding.caughtBy ?? rule.caughtBy ? { caughtBy: finding.caughtBy ?? rule.caughtBy } : {}),
            ...(file ? { ignore: ignoreInsert(file, rule.id, finding.start) } : {}),
          });
        }
      }
      return applySuppressions(files, findings, options.severities, options.target).sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
    } finally {
      for (const tree of owned) tree.delete();
    }
  }

  private ruleContext(pkg: CgoPackage, readText: ReadText): RuleContext {
    let flags: PackageFlags | undefined;
    let config: CppConfig | undefined;
    const views = new Map<CgoFile, FileView>();
    const scopes = new Map<CgoFile, CScope>();
    const ctx: RuleContext = {
      pkg,
      cParser: this.cParser,
      readText,
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
      cScope: (file) => {
        let scope = scopes.get(file);
        if (!scope) {
          scope = this.fileScope(file, (config ??= cppConfig(pkg, ctx.flags())), readText).scope;
          scopes.set(file, scope);
        }
        return scope;
      },
    };
    return ctx;
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
      cached.scope = { ...view, scope: buildFileScope(view, this.cParser), headers: view.view.headers, headerTexts: view.view.headerTexts };
    }
    return cached.scope;
  }

  private cachedView(file: CgoFile, config: CppConfig, readText: ReadText): CachedView {
    const key = JSON.stringify([config.dirs, config.flags, config.target.goos, config.target.goarch, file.imports.map((imp) => (imp.preamble ? [imp.preamble.offsets.at(0), imp.preamble.text] : ''))]);
    const cached = this.views.get(file.path);
    if (cached && cached.key === key && [...cached.looked].every(([path, text]) => readText(path) === text)) return cached;
    // The preambles' offsets count (the view's include sites are .go offsets), and so does every
    // path looked at, found or not: a header created later must show up.
    const looked: CachedView['looked'] = new Map();
    const recording: ReadText = (candidate) => {
      if (looked.has(candidate)) return looked.get(candidate);
      const text = readText(candidate);
      looked.set(candidate, text);
      return text;
    };
    const entry: CachedView = { key, looked, result: buildFileView(file, config, recording, this.cParser) };
    this.views.delete(file.path);
    this.views.set(file.path, entry);
    // Enough for the files a user works on; the oldest go first.
    if (this.views.size > 256) this.views.delete(this.views.keys().next().value as string);
    return entry;
  }

  dispose(): void {
    this.goParser.delete();
    this.backgroundParser?.delete();
    this.cParser.delete();
  }
}
