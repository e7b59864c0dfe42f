// The shape of a rule: it reads the package model and reports findings with their fixes.
// Rules know nothing of LSP or of the CLI.
import type { Parser } from 'web-tree-sitter';
import type { Finding, RuleId, Severity } from '../cgo/findings';
import type { CgoPackage } from '../cgo/package';

export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line for settings, hovers and the README. */
  summary: string;
  check(pkg: CgoPackage, cParser: Parser): RuleFinding[];
}

