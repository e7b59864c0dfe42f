// Every rule, in the order their findings are reported for the same place.
import { invalidCgoDirective } from './invalid-cgo-directive';
import { preambleCommentBleed } from './preamble-comment-bleed';
import { preambleDetached } from './preamble-detached';
import { renameImportC } from './rename-import-c';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [preambleCommentBleed, preambleDetached, invalidCgoDirective, renameImportC];

export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
