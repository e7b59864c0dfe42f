// The registry: every rule, in the order their findings are reported for the same place. The
// one list of rule ids; the server and cgo-lint hand it to the engine, settings and the parity test.
import { cgoDisabledForTarget } from './cgo-disabled-for-target';
import { cgoInTest } from './cgo-in-test';
import { cstringLeak } from './cstring-leak';
import { disallowedCgoFlag } from './disallowed-cgo-flag';
import { exportWithDefinitions } from './export-with-definitions';
import { invalidCgoDirective } from './invalid-cgo-directive';
import { methodOnCType } from './method-on-c-type';
import { missingStdlibInclude } from './missing-stdlib-include';
import { preambleCommentBleed } from './preamble-comment-bleed';
import { preambleDetached } from './preamble-detached';
import { renameImportC } from './rename-import-c';
import { staleCgoInput } from './stale-cgo-input';
import { stringOverCMemory } from './string-over-c-memory';
import type { Rule } from '../cgo/rule';
import { unionUnsafeOffset } from './union-unsafe-offset';
import { unpinnedGoPointer } from './unpinned-go-pointer';
import { wallFalsePositive } from './wall-false-positive';

export const rules: readonly Rule[] = [preambleCommentBleed, preambleDetached, invalidCgoDirective, disallowedCgoFlag, renameImportC, cgoInTest, wallFalsePositive, exportWithDefinitions, missingStdlibInclude, unionUnsafeOffset, methodOnCType, cstringLeak, stringOverCMemory, unpinnedGoPointer, cgoDisabledForTarget, staleCgoInput];

export const ruleIds: readonly string[] = rules.map((rule) => rule.id);

export function ruleById(id: string): Rule | undefined {
  return rules.find((rule) => rule.id === id);
}
