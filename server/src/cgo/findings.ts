// What rules report, in file offsets. The LSP layer turns offsets into UTF-16 ranges and the
// CLI into 1-based lines and byte columns; neither is known here.

export const ruleIds = [
  'preamble-comment-bleed',
  'preamble-detached',
  'invalid-cgo-directive',
  'rename-import-c',
  'cgo-in-test',
  'wall-false-positive',
  'union-unsafe-offset',
  'disallowed-cgo-flag',
  'export-with-definitions',
  'missing-stdlib-include',
  'method-on-c-type',
  'cstring-leak',
] as const;
export type RuleId = (typeof ruleIds)[number];

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
}
