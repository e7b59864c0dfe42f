// Findings as LSP diagnostics: UTF-16 ranges computed from the analysed text, the rule's doc
// as codeDescription, and in `data` everything the quick fixes need (edits as LSP ranges with
// the document versions they were computed for), so code actions never re-analyse.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Position, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isCompilerFinding, type Fix, type Reported, type Severity } from '../cgo/findings';
import type { ReadText } from '../cgo/headers';
import type { PackageFile } from '../workspace';

export const diagnosticSource = 'cgo';

export interface FixEditData {
  uri: string;
  /** The version of the open document the range refers to; null for a file read from disk. */
  version: number | null;
  range: Range;
  newText: string;
}

export interface FixData {
  title: string;
  preferred: boolean;
  /** URIs of files the fix creates, empty, before its edits insert their content. */
  newFiles?: string[];
  edits: FixEditData[];
}

/** Where "Ignore here…" writes a suppression: `before` + the user's reason + `after`, inserted at `position`. */
export interface IgnoreData {
  uri: string;
  version: number | null;
  position: Position;
  before: string;
  after: string;
}

export interface CgoDiagnosticData {
  fixes: FixData[];
  ignore?: IgnoreData;
}

/** What converting offsets needs of a package file. */
export type AnalysedFile = Pick<PackageFile, 'path' | 'uri' | 'text' | 'version'>;

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The diagnostics of each file of an analysed package, by URI. A fix with an edit in a file
 * that is neither in the package nor created by the fix cannot be expressed with the versions
 * it needs, and a fix that would create a file the package has would overwrite it: both are
 * left out.
 */
/**
 * Next to gopls (the Go extension), what the go command rejects is shown by gopls too: at this very
 * line when the type checker rejects it (our finding becomes a hint: the second squiggle goes, the
 * quick fix stays), else where cgo's failure lands in gopls (the top of each file, each C.x use),
 * which our message then names, so the squiggles read as one problem (test/gopls checks both on
 * every oracle fixture with gopls v0.23.0).
 */
export const goplsSeesCgoFailure =
  `gopls shows this same problem as "go list failed to return CompiledGoFiles … failure to perform cgo processing" at the top of the package's files, and as "undefined: C.…" where C names are used.`;

export function toDiagnostics(
  findings: readonly Reported[],
  files: readonly AnalysedFile[],
  ruleDocsDir: string,
  goplsRuns = false,
  /** Texts of the headers a compiler finding points into. */
  readText: ReadText = () => undefined,
): Map<string, Diagnostic[]> {
  // Built on first use: most checks of a big package find nothing.
  let byPathBuilt: Map<string, { file: AnalysedFile; lines: TextDocument | undefined }> | undefined;
  const byPath = (): Map<string, { file: AnalysedFile; lines: TextDocument | undefined }> => (byPathBuilt ??= new Map(files.map((file) => [file.path, { file, lines: undefined }])));
  const located = (filePath: string): { file: AnalysedFile; lines: TextDocument } | undefined => {
    const entry = byPath().get(filePath);
    if (!entry) return undefined;
    // Only files with findings or edits pay for a line table.
    entry.lines ??= TextDocument.create(entry.file.uri, 'go', 0, entry.file.text);
    return { file: entry.file, lines: entry.lines };
  };
  const range = (lines: TextDocument, start: number, end: number): Range => ({ start: lines.positionAt(start), end: lines.positionAt(end) });
  const fixData = (fix: Fix): FixData | undefined => {
    const created = new Map((fix.newFiles ?? []).map((file) => [file, pathToFileURL(file).href]));
    if ([...created.keys()].some((file) => byPath().has(file))) return undefined;
    const edits: FixEditData[] = [];
    for (const edit of fix.edits) {
      const createdUri = created.get(edit.file);
      if (createdUri !== undefined) {
        // A created file starts empty: its edits insert at offset 0.
        if (edit.start !== 0 || edit.end !== 0) return undefined;
        edits.push({ uri: createdUri, version: null, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: edit.newText });
        continue;
      }
      const target = located(edit.file);
      if (!target) return undefined;
      edits.push({ uri: target.file.uri, version: target.file.version, range: range(target.lines, edit.start, edit.end), newText: edit.newText });
    }
    return { title: fix.title, preferred: fix.preferred, ...(created.size > 0 ? { newFiles: [...created.values()] } : {}), edits };
  };

  const headers = new Map<string, TextDocument | undefined>();
  /** A place in a package file or a header, for related information. */
  const location = (file: string, start: number, end: number): { uri: string; range: Range } | undefined => {
    const inPackage = located(file);
    if (inPackage) return { uri: inPackage.file.uri, range: range(inPackage.lines, start, end) };
    if (!headers.has(file)) {
      const text = readText(file);
      headers.set(file, text === undefined ? undefined : TextDocument.create(pathToFileURL(file).href, 'c', 0, text));
    }
    const header = headers.get(file);
    return header ? { uri: header.uri, range: range(header, start, end) } : undefined;
  };
  const result = new Map<string, Diagnostic[]>();
  const add = (uri: string, diagnostic: Diagnostic): void => {
    const list = result.get(uri);
    if (list) list.push(diagnostic);
    else result.set(uri, [diagnostic]);
  };
  for (const finding of findings) {
    const at = located(finding.file);
    if (!at) continue;
    if (isCompilerFinding(finding)) {
      // The compiler's own words: its name as the source, no rule, no fixes.
      const relatedInformation = finding.related.flatMap((r) => {
        const place = location(r.file, r.start, r.end);
        return place ? [{ location: place, message: r.message }] : [];
      });
      add(at.file.uri, {
        range: range(at.lines, finding.start, finding.end),
        severity: lspSeverity[finding.severity],
        source: finding.source,
        message: goplsRuns && finding.severity === 'error' ? `${finding.message}\n${goplsSeesCgoFailure}` : finding.message,
        ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
      });
      continue;
    }
    const data: CgoDiagnosticData = { fixes: finding.fixes.map(fixData).filter((fix): fix is FixData => fix !== undefined) };
    const ignoreAt = finding.ignore && located(finding.ignore.file);
    if (finding.ignore && ignoreAt) {
      const { before, after, at } = finding.ignore;
      data.ignore = { uri: ignoreAt.file.uri, version: ignoreAt.file.version, position: ignoreAt.lines.positionAt(at), before, after };
    }
    const diagnostic: Diagnostic = {
      range: range(at.lines, finding.start, finding.end),
      severity: goplsRuns && finding.caughtBy === 'type-check' ? DiagnosticSeverity.Hint : lspSeverity[finding.severity],
      source: diagnosticSource,
      code: finding.rule,
      codeDescription: { href: pathToFileURL(path.join(ruleDocsDir, `${finding.rule}.md`)).href },
      message: goplsRuns && finding.caughtBy === 'cgo' ? `${finding.message}\n${goplsSeesCgoFailure}` : finding.message,
      data,
    };
    add(at.file.uri, diagnostic);
  }
  return result;
}

/** `data` as it comes back from the client, checked: clients echo it, but nothing guarantees its shape. */
export function cgoDiagnosticData(data: unknown): CgoDiagnosticData | undefined {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { fixes?: unknown }).fixes)) return undefined;
  const { fixes, ignore } = data as { fixes: unknown[]; ignore?: unknown };
  if (!fixes.every(isFixData)) return undefined;
  return isIgnoreData(ignore) ? { fixes, ignore } : { fixes };
}

function isIgnoreData(value: unknown): value is IgnoreData {
  if (typeof value !== 'object' || value === null) return false;
  const ignore = value as Partial<Record<keyof IgnoreData, unknown>>;
  return (
    typeof ignore.uri === 'string' &&
    (ignore.version === null || typeof ignore.version === 'number') &&
    typeof ignore.before === 'string' &&
    typeof ignore.after === 'string' &&
    isPosition(ignore.position)
  );
}

function isFixData(value: unknown): value is FixData {
  if (typeof value !== 'object' || value === null) return false;
  const fix = value as Partial<Record<keyof FixData, unknown>>;
  return (
    typeof fix.title === 'string' &&
    typeof fix.preferred === 'boolean' &&
    (fix.newFiles === undefined || (Array.isArray(fix.newFiles) && fix.newFiles.every((uri) => typeof uri === 'string'))) &&
    Array.isArray(fix.edits) &&
    fix.edits.every(isFixEditData)
  );
}

function isFixEditData(value: unknown): value is FixEditData {
  if (typeof value !== 'object' || value === null) return false;
  const edit = value as Partial<Record<keyof FixEditData, unknown>>;
  return (
    typeof edit.uri === 'string' &&
    (edit.version === null || typeof edit.version === 'number') &&
    typeof edit.newText === 'string' &&
    isRange(edit.range)
  );
}

function isPosition(p: unknown): p is Position {
  return typeof p === 'object' && p !== null && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && isPosition((value as { start?: unknown }).start) && isPosition((value as { end?: unknown }).end);
}
