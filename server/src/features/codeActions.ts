// Quick fixes from the cgo diagnostics the client sends back: their `data` holds the edits,
// and where "Ignore here…" writes a suppression, so nothing is re-analysed here. A fix computed for another version of a document than the
// one open now would edit the wrong text, and is dropped.
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { cgoDiagnosticData, diagnosticSource, type FixData, type IgnoreData } from './diagnostics';

export interface CodeActionOptions {
  /** The version of the open document with this URI, or null when it is not open. */
  versionOf(uri: string): number | null;
  /** Whether a file exists, open or on disk: a fix never creates over one. */
  exists(uri: string): boolean;
  /** The client accepts versioned documentChanges (workspace.workspaceEdit.documentChanges). */
  documentChanges: boolean;
  /** The client accepts CreateFile operations (workspace.workspaceEdit.resourceOperations). */
  createFiles: boolean;
  /**
   * A command of the client that asks for the reason of a suppression and writes it (VS Code's
   * cgo.ignoreHere, told in initializationOptions); other clients get the comment without a
   * reason, which then asks for one.
   */
  ignoreCommand: string | undefined;
}

export const ignoreTitle = 'Ignore here…';

export function quickFixes(params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== diagnosticSource) continue;
    const data = cgoDiagnosticData(diagnostic.data);
    if (!data) continue;
    for (const fix of data.fixes) {
      if (fix.edits.some((edit) => edit.version !== options.versionOf(edit.uri))) continue;
      const newFiles = fix.newFiles ?? [];
      if (newFiles.length > 0 && (!options.createFiles || newFiles.some((uri) => options.exists(uri)))) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: workspaceEdit(fix, options.documentChanges),
      });
    }
    const ignore = data.ignore;
    if (ignore && ignore.version === options.versionOf(ignore.uri)) actions.push(ignoreAction(diagnostic, ignore, options));
  }
  return actions;
}

function ignoreAction(diagnostic: Diagnostic, ignore: IgnoreData, options: CodeActionOptions): CodeAction {
  const action: CodeAction = { title: ignoreTitle, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  if (options.ignoreCommand) {
    action.command = { title: ignoreTitle, command: options.ignoreCommand, arguments: [ignore] };
    return action;
  }
  const insert: FixData = {
    title: ignoreTitle,
    preferred: false,
    edits: [{ uri: ignore.uri, version: ignore.version, range: { start: ignore.position, end: ignore.position }, newText: `${ignore.before.trimEnd()}${ignore.after}` }],
  };
  action.edit = workspaceEdit(insert, options.documentChanges);
  return action;
}

function workspaceEdit(fix: FixData, documentChanges: boolean): WorkspaceEdit {
  const byDocument = new Map<string, { version: number | null; edits: TextEdit[] }>();
  for (const edit of fix.edits) {
    const entry = byDocument.get(edit.uri) ?? { version: edit.version, edits: [] };
    entry.edits.push({ range: edit.range, newText: edit.newText });
    byDocument.set(edit.uri, entry);
  }
  if (documentChanges) {
    return {
      documentChanges: [
        // Created first, empty; failing rather than overwriting should the file appear meanwhile.
        ...(fix.newFiles ?? []).map((uri) => CreateFile.create(uri, { overwrite: false, ignoreIfExists: false })),
        ...[...byDocument].map(([uri, { version, edits }]) => TextDocumentEdit.create({ uri, version }, edits)),
      ],
    };
  }
  return { changes: Object.fromEntries([...byDocument].map(([uri, { edits }]) => [uri, edits])) };
}
