// Open documents and their Go syntax trees. Each incremental change is applied to the cached
// tree with tree.edit; the edited tree is reparsed (incrementally) when the tree is next asked
// for, so a burst of keystrokes costs one parse, not one per keystroke. Every tree is freed:
// the old one after each reparse, a document's on close or full replacement, all on dispose.
import { Emitter, TextDocumentContentChangeEvent, TextDocuments, type Disposable, type Event } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { treeEdit } from './cgo/edits';

export type ParseGo = (text: string, oldTree?: Tree) => Tree;

interface CachedTree {
  tree: Tree;
  /** Edits were applied since the last parse: the tree must be reparsed before use. */
  edited: boolean;
}

export class OpenDocuments {
  readonly documents: TextDocuments<TextDocument>;
  private readonly trees = new Map<string, CachedTree>();
  private readonly subscriptions: Disposable[];
  private readonly changed = new Emitter<TextDocument>();
  /** Fires after didChange was applied (unlike TextDocuments.onDidChangeContent, not on open). */
  readonly onDidChange: Event<TextDocument> = this.changed.event;

  constructor(
    private readonly parseGo: ParseGo,
    private readonly warn: (message: string) => void,
  ) {
    this.documents = new TextDocuments({
      create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
      update: (document, changes, version) => this.update(document, changes, version),
    });
    this.subscriptions = [
      // A reopened URI (without close) starts over from its new text.
      this.documents.onDidOpen((e) => this.freeTree(e.document.uri)),
      this.documents.onDidClose((e) => this.freeTree(e.document.uri)),
    ];
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return this.documents.all();
  }

  /** The tree of the document's current text; owned by this cache (do not delete it). */
  treeOf(document: TextDocument): Tree {
    const cached = this.trees.get(document.uri);
    if (cached && !cached.edited) return cached.tree;
    const tree = this.parseGo(document.getText(), cached?.tree);
    cached?.tree.delete();
    this.trees.set(document.uri, { tree, edited: false });
    return tree;
  }

  /**
   * Takes a tree parsed elsewhere (in the background) as the document's, if the document is
   * still at `version` and has no tree yet; otherwise the tree is freed.
   */
  adoptTree(document: TextDocument, version: number, tree: Tree): void {
    if (this.get(document.uri) === document && document.version === version && !this.trees.has(document.uri)) {
      this.trees.set(document.uri, { tree, edited: false });
    } else {
      tree.delete();
    }
  }

  /** Whether the document has a tree, parsed or awaiting a reparse after edits. */
  hasTree(uri: string): boolean {
    return this.trees.has(uri);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
    for (const uri of [...this.trees.keys()]) this.freeTree(uri);
  }

  private freeTree(uri: string): void {
    this.trees.get(uri)?.tree.delete();
    this.trees.delete(uri);
  }

  /** Applies the changes one by one, each to the text the previous one produced, as LSP orders them. */
  private update(document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    for (const change of changes) {
      const cached = this.trees.get(document.uri);
      if (cached) {
        if (TextDocumentContentChangeEvent.isIncremental(change)) {
          try {
            const text = document.getText();
            cached.tree.edit(treeEdit(text, document.offsetAt(change.range.start), document.offsetAt(change.range.end), change.text));
            cached.edited = true;
          } catch (error) {
            // The text must follow the client whatever happens to the tree; a fresh parse recovers.
            this.warn(`tree edit failed for ${document.uri}, reparsing from scratch: ${String(error)}`);
            this.freeTree(document.uri);
          }
        } else {
          this.freeTree(document.uri);
        }
      }
      TextDocument.update(document, [change], version);
    }
    this.changed.fire(document);
    return document;
  }
}
