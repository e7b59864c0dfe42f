// What rules report, in file offsets. The LSP layer turns offsets into UTF-16 ranges and the
// CLI into 1-based lines and byte columns; neither is known here.

/** A rule's id, as its Rule names it (rules/index.ts is the one list of them). */
export type RuleId = string;

/** The code of what suppression comments report about themselves (unused, unknown rule, no reason). */
export const suppressionCode = 'suppression';
export type FindingCode = RuleId | typeof suppressionCode;

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = 'off' | 'error' | 'warning' | 'information';

export interface TextEdit {
  /** Absolute path of the file the edit applies to. */
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** The fix `cgo-lint --fix` applies and VS Code offers first. */
  preferred: boolean;
  /** Files the fix creates (empty) before its edits apply; edits then insert their content at offset 0. */
  newFiles?: string[];
  edits: TextEdit[];
}

/** Where "Ignore here…" writes a suppression comment: the reason goes between `before` and `after`. */
export interface SuppressionInsert {
  file: string;
  at: number;
  before: string;
  after: string;
}

export interface Finding {
  rule: FindingCode;
  severity: Severity;
  file: string;
  start: number;
  end: number;
  message: string;
  fixes: Fix[];
  /** How to suppress this finding; absent on the suppressions' own findings. */
  ignore?: SuppressionInsert;
  /** Which step of the go command rejects this code, when one does: see ToolchainStep. */
  caughtBy?: ToolchainStep;
}

/**
 * The step of the go command that rejects what a finding reports, which decides where every tool
 * that loads packages through the go command (gopls) shows it too (gopls v0.23.0, checked on
 * every oracle fixture by test/gopls):
 * - `cgo`: go/build's #cgo checks, the go command's flag checks, cmd/cgo or the C compiler fail,
 *   so the package has no cgo output: gopls says "go list failed to return CompiledGoFiles … failure
 *   to perform cgo processing" at the top of each file, and "undefined: C.x" at each use;
 * - `type-check`: the Go type checker rejects this very place, and gopls says so on the same line.
 */
export type ToolchainStep = 'cgo' | 'type-check';

/**
 * What the C compiler itself reported for a preamble (cgo/compiler.ts): no rule id, no fixes;
 * its source names the compiler, as design.md "Compiler findings" says.
 */
export type CompilerSource = 'cgo (gcc)' | 'cgo (clang)';

/** Another place a finding points to: a compiler note, or the line in a header. */
export interface RelatedLocation {
  file: string;
  start: number;
  end: number;
  message: string;
}

export interface CompilerFinding {
  source: CompilerSource;
  severity: 'error' | 'warning';
  file: string;
  start: number;
  end: number;
  message: string;
  related: RelatedLocation[];
}

/** What the CLI and the editor show: a rule's finding or the compiler's. */
export type Reported = Finding | CompilerFinding;

export function isCompilerFinding(reported: Reported): reported is CompilerFinding {
  return 'source' in reported;
}

/** The rule id, or the compiler's source: what `[…]` in cgo-lint's text output names. */
export function reportedBy(reported: Reported): string {
  return isCompilerFinding(reported) ? reported.source : reported.rule;
}
