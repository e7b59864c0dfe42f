// The shape of a rule, as the engine runs it: it reads the package model through its context
// and reports findings with their fixes. Rules know nothing of LSP or of the CLI, and nothing
// of each other: the engine is handed them (rules/index.ts is the registry), as go/analysis
// hands Analyzers to a driver, and what several rules need is a fact served by the context.
import type { Parser } from 'web-tree-sitter';
import type { CScope } from './cdecl';
import type { Finding, RuleId, Severity, TextEdit, ToolchainStep } from './findings';
import type { Getenv } from './goGetenv';
import type { FlagChecks } from './flags';
import type { FileView, IncludeWalk, ReadText } from './headers';
import type { CgoFile, CgoPackage, PackageFlags } from './package';

export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

/** What a rule may look at; every fact is computed on first use, once per package check, and shared by all rules. */
export interface RuleContext {
  pkg: CgoPackage;
  cParser: Parser;
  /** The package's #cgo flags for the target, as the go command combines them. */
  flags(): PackageFlags;
  /** The C names one .go file sees: its preamble and the project headers it includes. */
  cScope(file: CgoFile): CScope;
  /**
   * What the system headers the file includes declare, as far as they are installed and
   * readable: a name missing here may still be declared (a header not found, a macro of the
   * preamble that a header tests), so only what is found may be used.
   */
  systemScope(file: CgoFile): CScope;
  /** What the C preprocessor reads of a file's preambles for the target: its readings, includes, macros. */
  preprocessed(file: CgoFile): FileView;
  /** The headers a file's preambles include for the target (compiled branches only), project and system. */
  includes(file: CgoFile): IncludeWalk;
  /**
   * For a fix that adds a use of `C.<name>` (a <stdlib.h> name) to a file: the edit adding
   * `#include <stdlib.h>`, undefined when the file already sees the name or may (cgo/stdlibHeaders.ts),
   * null when the include is needed but no edit can add it.
   */
  stdlibIncludeFor(file: CgoFile, name: string): TextEdit | undefined | null;
  /** Current text of any file (open editor buffers win over disk). */
  readText: ReadText;
  /** A go command setting ($CGO_CFLAGS_ALLOW, …) as cfg.Getenv reads it: the environment, else the `go env -w` file. */
  getenv: Getenv;
  /** The go command's checks of #cgo flags and pkg-config arguments, per Go release (the engine's, with the patterns it compiled). */
  flagChecks: FlagChecks;
  /**
   * What this rule keeps across checks, by name (what it read from texts that did not change
   * since): made by `create` on first use, seen by no other rule, owned by the engine and
   * disposed with it (a BoundedCache, say).
   */
  kept<T extends object>(name: string, create: () => T): T;
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** The go command's step that rejects what this rule finds, for findings that do not say (Finding.caughtBy). */
  caughtBy?: ToolchainStep;
  /** One line for settings, hovers and the README. */
  summary: string;
  /**
   * 'file': its findings on a file depend on that file alone (with the headers it includes, the
   * target and the package's #cgo flags), so a check re-runs it only on files whose inputs
   * changed (cgo/packageMemo.ts). It reads the file's C only through preprocessed, includes,
   * cScope and stdlibIncludeFor, never readText: on a file where it read none of them, its
   * findings stand whatever the headers say. Otherwise it reads other files (or systemScope,
   * which that memo does not key on) and runs on every check.
   */
  scope?: 'file';
  /**
   * The rule's findings stand on a cgo file that the target leaves out because cgo is off
   * (CgoFile.ignoredWithoutCgo): go/build still reads its #cgo lines. Other rules' findings there
   * are dropped, as on every file the target does not build.
   */
  judgesFilesWithoutCgo?: true;
  check(ctx: RuleContext): RuleFinding[];
}
