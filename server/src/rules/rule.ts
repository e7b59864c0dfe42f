// The shape of a rule: it reads the package model and reports findings with their fixes.
// Rules know nothing of LSP or of the CLI.
import type { Parser } from 'web-tree-sitter';
import type { CScope } from '../cgo/cdecl';
import type { Finding, RuleId, Severity, ToolchainStep } from '../cgo/findings';
import type { FileView, IncludeWalk, ReadText } from '../cgo/headers';
import type { CgoFile, CgoPackage, PackageFlags } from '../cgo/package';

export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

/** What a rule may look at; the costly parts are computed on first use and shared by all rules. */
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
  /** Current text of any file (open editor buffers win over disk). */
  readText: ReadText;
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
   * changed (cgo/packageMemo.ts). Otherwise it reads other files (or systemScope, which that
   * memo does not key on) and runs on every check.
   */
  scope?: 'file';
  check(ctx: RuleContext): RuleFinding[];
}
