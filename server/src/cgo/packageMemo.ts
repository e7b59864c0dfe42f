// What the checks of one package computed per file, kept between checks by its caller (the
// LSP keeps one per open package) so that an edit re-checks the edited file and the facts the
// files share, not every file: a file's model while its text and the target stay, and the
// findings of each rule that judges a file by itself (Rule.scope 'file') while also the
// package's #cgo flags and, if those rules read it, the file's preprocessed view (its preambles
// and every header it looked at, found or not) stay. The package-wide rules read what files
// share (flags, exported names, C names, //export) and run on every check.
import type { Tree } from 'web-tree-sitter';
import type { BuildTarget } from './constraints';
import { buildCgoFile, withTree, type CgoFile } from './package';
import type { PreambleCache } from './preamble';

/** What a file-scoped rule's findings on a file depend on, besides the file's model. */
export interface FileInputs {
  /** The package's #cgo flags, as a key; empty for a file without import "C" (cgo reads none of its C). */
  flags: string;
  /**
   * The file's preprocessed view that the findings were computed from (kept by the engine while
   * nothing it read changes); null when the rules read none (a file without import "C", or C no
   * rule looked into); undefined when not known yet: the findings stand only once it is.
   */
  view: object | null | undefined;
}

interface FileMemo {
  text: string;
  target: string;
  /** Built with no tree: each check sees it through withTree over that check's tree. */
  model: CgoFile;
  /** The model over the tree (or the way to it) of the last check; the same while the caller hands the same one. */
  retreed?: { tree: Tree | (() => Tree); file: CgoFile };
  /** The check that last modelled the file (startCheck). */
  seen: number;
  inputs: FileInputs | undefined;
  /** Per file-scoped rule id, its findings on this file for `inputs`. */
  findings: Map<string, { file: string }[]>;
  /** Whether any of those is not empty. */
  anyFindings: boolean;
  /** The file-scoped rules (their ids, as staleRules is handed them) whose findings are all kept for `inputs`. */
  completeFor: string | undefined;
}

const noRules: readonly never[] = [];

const noTree = (): Tree => {
  throw new Error('bug: a kept file model read a tree of an earlier check');
};

export class PackageMemo {
  private readonly files = new Map<string, FileMemo>();
  private lastTarget: { target: BuildTarget; key: string } | undefined;
  private check = 0;
  private seenInCheck = 0;
  /** The memos of the files the check begun last modelled, in that order: nextStale looks none up. */
  private readonly modelled: FileMemo[] = [];
  /** Whether the model that `model` gave last was built, not kept. */
  private builtLast = false;

  /** A check begins: the files it models are the package's (forgetUnseen). */
  startCheck(): void {
    this.check++;
    this.seenInCheck = 0;
    this.modelled.length = 0;
  }

  /** Forgets the files that the check begun last did not model: they are no longer in the package. */
  forgetUnseen(): void {
    if (this.files.size === this.seenInCheck) return;
    for (const [path, memo] of this.files) if (memo.seen !== this.check) this.files.delete(path);
  }

  /**
   * The model of a file for this check, the check's next (nextStale counts them in this order):
   * the kept one while its text and the target stay; else built with the engine's preambles
   * (wasBuilt says which).
   */
  model(path: string, text: string, tree: Tree | (() => Tree), target: BuildTarget, preambles: PreambleCache): CgoFile {
    const targetKey = this.targetKey(target);
    let memo = this.files.get(path);
    this.builtLast = !memo || memo.text !== text || memo.target !== targetKey;
    if (!memo || this.builtLast) {
      memo = { text, target: targetKey, model: buildCgoFile(path, text, noTree, target, preambles), seen: 0, inputs: undefined, findings: new Map(), anyFindings: false, completeFor: undefined };
      this.files.set(path, memo);
    }
    if (memo.seen !== this.check) {
      memo.seen = this.check;
      this.seenInCheck++;
    }
    this.modelled.push(memo);
    if (memo.retreed?.tree !== tree) memo.retreed = { tree, file: withTree(memo.model, tree) };
    return memo.retreed.file;
  }

  /** Whether the model that `model` gave last was built (its text or the target changed), not kept. */
  wasBuilt(): boolean {
    return this.builtLast;
  }

  private targetKey(target: BuildTarget): string {
    if (this.lastTarget?.target !== target) this.lastTarget = { target, key: JSON.stringify(target) };
    return this.lastTarget.key;
  }

  /**
   * From `from` on, the first of the files this check modelled (`files`, in the order `model`
   * gave them) whose findings of some file-scoped rules are not kept for its inputs, with those
   * rules (all of them when the inputs changed: what was kept is dropped); undefined when none
   * is left; `fresh` when its model is new (its text changed). The findings kept for the files
   * before it go to `kept`. The inputs: the package's flags (as a key; '' for a file without
   * import "C": cgo reads none of its C) and the file's view, asked of `viewOf` only when the
   * kept findings were computed from one. `fileScopedKey` names the set of rules (their ids),
   * the same for every file of a check. Once the rules ran, ranStaleRules says what view they read.
   */
  nextStale<R extends { id: string }, F extends { file: string }>(
    files: readonly CgoFile[],
    from: number,
    flags: string,
    viewOf: (file: CgoFile) => object,
    fileScoped: readonly R[],
    fileScopedKey: string,
    kept: ReadonlyMap<string, F[]>[],
  ): { index: number; stale: readonly R[]; fresh: boolean } | undefined {
    for (let index = from; index < files.length; index++) {
      const file = files[index];
      const memo = this.modelled[index];
      if (memo?.model.path !== file.path) throw new Error(`bug: ${file.path} is not the check's file number ${index} through the memo`);
      const cgo = file.imports.length > 0;
      // A file that keeps nothing (its text changed) runs every rule whatever its view, and on a
      // 2,000-line preamble reading it is most of a keystroke; nor is a view that no rule read
      // validated: for 500 cgo files of 5,000, that costs as much.
      const keptView = memo.inputs?.view;
      const fresh = memo.inputs === undefined;
      const stale = this.staleRules(memo, cgo ? flags : '', cgo && keptView !== undefined && keptView !== null ? viewOf(file) : undefined, fileScoped, fileScopedKey);
      if (stale.length > 0) return { index, stale, fresh };
      if (memo.anyFindings) kept.push(memo.findings as Map<string, F[]>);
    }
    return undefined;
  }

  private staleRules<R extends { id: string }>(memo: FileMemo, flags: string, view: object | undefined, fileScoped: readonly R[], fileScopedKey: string): readonly R[] {
    const keptView = memo.inputs?.view;
    if (!memo.inputs || memo.inputs.flags !== flags || keptView === undefined || (keptView !== null && keptView !== view)) {
      memo.inputs = { flags, view };
      memo.findings.clear();
      memo.anyFindings = false;
      memo.completeFor = undefined;
    } else if (memo.completeFor === fileScopedKey) {
      // The common case in a check of a 5,000-file package, which asks for every file: nothing allocated or looked up.
      return noRules;
    }
    let stale: R[] | undefined;
    for (const rule of fileScoped) if (!memo.findings.has(rule.id)) (stale ??= []).push(rule);
    if (!stale) memo.completeFor = fileScopedKey;
    return stale ?? noRules;
  }

  /** Keeps a file-scoped rule's findings on a file, run on that file alone. */
  keep(file: CgoFile, ruleId: string, findings: { file: string }[]): void {
    const elsewhere = findings.find((finding) => finding.file !== file.path);
    if (elsewhere) throw new Error(`bug: ${ruleId} is file-scoped but reported on ${elsewhere.file} when given ${file.path} alone`);
    const memo = this.memoOf(file);
    memo.findings.set(ruleId, findings);
    if (findings.length > 0) memo.anyFindings = true;
  }

  /**
   * The file-scoped rules that nextStale gave for `fileScopedKey` all ran on a file, and read
   * this of it: its view, or null for none. Until then the findings kept stand for no view, and
   * the next check drops them; from then on, they are all kept. Its findings go to `kept`, as
   * nextStale's of the files it passes.
   */
  ranStaleRules<F extends { file: string }>(file: CgoFile, view: object | null, fileScopedKey: string, kept: ReadonlyMap<string, F[]>[]): void {
    const memo = this.memoOf(file);
    if (!memo.inputs) return;
    // A view read now joins the kept findings that read none; one read before stays (the same, or staleRules would have dropped it).
    if (memo.inputs.view === undefined || (memo.inputs.view === null && view !== null)) memo.inputs = { flags: memo.inputs.flags, view };
    memo.completeFor = fileScopedKey;
    if (memo.anyFindings) kept.push(memo.findings as Map<string, F[]>);
  }

  private memoOf(file: CgoFile): FileMemo {
    const memo = this.files.get(file.path);
    if (!memo || memo.text !== file.text) throw new Error(`bug: ${file.path} was not modelled through the memo`);
    return memo;
  }

}
