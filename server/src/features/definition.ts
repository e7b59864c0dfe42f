// textDocument/definition: the header an #include names, or where the C entity under the
// position is declared.
import { pathToFileURL } from 'node:url';
import type { Location, TextDocumentPositionParams } from 'vscode-languageserver';
import { cReferenceAt, includeAt, referenceSpan, spanLocation } from './cReferences';
import { withView, type FeatureServices } from './documentView';

export async function definition(services: FeatureServices, params: TextDocumentPositionParams): Promise<Location | null> {
  const result = await withView(services, params.textDocument.uri, (view): Location | null => {
    const offset = view.document.offsetAt(params.position);
    const include = includeAt(view, offset);
    if (include) {
      const header = include.resolved ?? (include.compiled ? view.systemHeaderPath(include.name) : undefined);
      if (!header) return null;
      return { uri: pathToFileURL(header).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    }
    const at = cReferenceAt(view, offset);
    if (!at) return null;
    const span = referenceSpan(view, at.ref);
    return span ? (spanLocation(view, span) ?? null) : null;
  });
  return result ?? null;
}
