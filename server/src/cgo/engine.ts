// The entry point of the engine: parsers for Go and C, and checking a package with the rules.
import { Parser, type Tree } from 'web-tree-sitter';
import type { BuildTarget } from './constraints';
import type { Finding, RuleId, SeveritySetting } from './findings';
import type { Grammars } from './grammars';
import { buildCgoFile, type CgoPackage } from './package';
import { rules } from '../rules';

export interface SourceFile {
  path: string;
  text: string;
  /** A tree of `text` the caller keeps (the LSP's incremental trees); parsed and freed here when absent. */
  tree?: Tree;
}

export interface CheckOptions {
  target: BuildTarget;
  severities?: Partial<Record<RuleId, SeveritySetting>>;
}

export class Engine {
  readonly goParser: Parser;
  readonly cParser: Parser;

  constructor(grammars: Grammars) {
    this.goParser = new Parser();
    this.goParser.setLanguage(grammars.go);
    this.cParser = new Parser();
    this.cParser.setLanguage(grammars.c);
  }

  parseGo(text: string, oldTree?: Tree): Tree {
    const tree = this.goParser.parse(text, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter-go returned no tree');
    return tree;
  }

  /**
   * Checks every file of one package directory (all its .go files; the rules decide which
   * ones the target builds) and returns the findings of each file.
   */
  checkPackage(dir: string, sources: SourceFile[], options: CheckOptions): Finding[] {
    const owned: Tree[] = [];
    try {
      const files = sources.map((source) => {
        let tree = source.tree;
        if (!tree) {
          tree = this.parseGo(source.text);
          owned.push(tree);
        }
        return buildCgoFile(source.path, source.text, tree, options.target);
      });
      const pkg: CgoPackage = { dir, target: options.target, files };
      const findings: Finding[] = [];
      for (const rule of rules) {
        const setting = options.severities?.[rule.id];
        if (setting === 'off') continue;
        for (const finding of rule.check(pkg, this.cParser)) {
          findings.push({ ...finding, rule: rule.id, severity: setting ?? finding.severity ?? rule.defaultSeverity });
        }
      }
      return findings.sort((a, b) => (a.file === b.file ? a.start - b.start : a.file < b.file ? -1 : 1));
    } finally {
      for (const tree of owned) tree.delete();
    }
  }

  dispose(): void {
    this.goParser.delete();
    this.cParser.delete();
  }
}
