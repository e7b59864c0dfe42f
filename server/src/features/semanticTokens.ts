// C colouring inside the preamble: semantic tokens from the tree-sitter-c tree of the text cmd/cgo
// hands to the C compiler, mapped back to the .go file (a token that spans comment markers or
// lines is split; columns in UTF-16). Only comments cgo really takes as the preamble get
// tokens: a detached comment is not C as far as the build is concerned, so it stays a comment.
// `#cgo` lines, which the C compiler never sees, get tokens of their own.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend, type SemanticTokensParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from 'web-tree-sitter';
import { withCTree } from '../cgo/c';
import { TextKeyedCache } from '../cgo/cache';
import { cText } from '../cgo/directives';
import type { CgoFile } from '../cgo/package';
import type { Preamble } from '../cgo/preamble';
import { withFileView, type FeatureServices } from './documentView';

export const tokenTypes = ['keyword', 'type', 'function', 'macro', 'string', 'number', 'comment', 'variable', 'property', 'parameter', 'enumMember'] as const;
export const tokenModifiers = ['declaration'] as const;
type TokenType = (typeof tokenTypes)[number];

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

const typeIndex = new Map<TokenType, number>(tokenTypes.map((t, i) => [t, i]));
const declarationBit = 1;

interface Token {
  /** Preamble indices. */
  start: number;
  end: number;
  type: TokenType;
  declaration: boolean;
}

/** The semantic tokens of the server's documents, with the C tokens of the preamble texts it read lately. */
export class SemanticTokenProvider {
  /** C tokens by text: a keystroke in the Go code changes no preamble. */
  private readonly tokensByText = new TextKeyedCache<Token[]>(2 * 1024 * 1024);

  constructor(private readonly services: FeatureServices) {}

  /**
   * Null when the file has no preamble tokens: VS Code takes the first provider's non-null
   * result, so another server's tokens for Go code (gopls) are then used.
   */
  async full(params: SemanticTokensParams): Promise<SemanticTokens | null> {
    const tokens = await withFileView(this.services, params.textDocument.uri, (file, document) => this.fileTokens(file, document));
    return tokens && tokens.data.length > 0 ? tokens : null;
  }

  private fileTokens(file: CgoFile, document: TextDocument): SemanticTokens {
    const builder = new SemanticTokensBuilder();
    for (const imp of file.imports) {
      const preamble = imp.preamble;
      if (!preamble) continue;
      // Both lists are in text order: merged, not sorted again (a long preamble has tens of thousands).
      const directives = directiveTokens(imp.directives).sort((a, b) => a.start - b.start);
      const c = this.cTokens(cText(preamble));
      for (let i = 0, j = 0; i < directives.length || j < c.length; ) {
        const token = j >= c.length || (i < directives.length && directives[i].start <= c[j].start) ? directives[i++] : c[j++];
        push(builder, document, preamble, token);
      }
    }
    return builder.build();
  }

  /** Tokens of C text (indices into it), from its tree-sitter-c tree, in text order. */
  private cTokens(text: string): Token[] {
    const parser = this.services.engine.cParser;
    return this.tokensByText.get(text, () => (withCTree(parser, text, (tree) => collectTokens(tree, text)) ?? []).sort((a, b) => a.start - b.start));
  }

  dispose(): void {
    this.tokensByText.dispose();
  }
}

/** Pushes a token, split where the preamble's characters stop being consecutive in the file. */
function push(builder: SemanticTokensBuilder, document: TextDocument, preamble: Preamble, token: Token): void {
  const offsets = preamble.sourceOffsets;
  const text = preamble.text;
  const type = typeIndex.get(token.type)!;
  const modifiers = token.declaration ? declarationBit : 0;
  let pieceStart = -1;
  for (let i = token.start; i <= token.end; i++) {
    // A piece ends at the token's end, at a line break, and where the file skips characters.
    const ends = i === token.end || text.charCodeAt(i) === 10 || (pieceStart >= 0 && offsets[i] !== offsets[i - 1] + 1);
    if (ends && pieceStart >= 0 && i > pieceStart) {
      const from = offsets[pieceStart];
      const position = document.positionAt(from);
      builder.push(position.line, position.character, offsets[i - 1] + 1 - from, type, modifiers);
      pieceStart = -1;
    }
    if (i < token.end && pieceStart < 0 && text.charCodeAt(i) !== 10) pieceStart = i;
  }
}

function directiveTokens(directives: CgoFile['imports'][number]['directives']): Token[] {
  const tokens: Token[] = [];
  for (const directive of directives) {
    const line = directive.line;
    const at = line.text.indexOf('#cgo');
    if (at >= 0) tokens.push({ start: line.start + at, end: line.start + at + 4, type: 'keyword', declaration: false });
    for (const condition of directive.conditions) tokens.push({ start: condition.start, end: condition.end, type: 'macro', declaration: false });
    if (directive.verb) tokens.push({ start: directive.verb.start, end: directive.verb.end, type: 'property', declaration: false });
    for (const arg of directive.args) tokens.push({ start: arg.start, end: arg.end, type: 'string', declaration: false });
  }
  return tokens;
}

const whole: Record<string, TokenType> = {
  comment: 'comment',
  string_literal: 'string',
  system_lib_string: 'string',
  char_literal: 'string',
  raw_string_literal: 'string',
  number_literal: 'number',
  primitive_type: 'type',
  type_identifier: 'type',
  field_identifier: 'property',
  preproc_directive: 'keyword',
  true: 'keyword',
  false: 'keyword',
  null: 'keyword',
};

/** An identifier that is a macro if the text #defines its name (anywhere), else `token`. */
interface NameUse {
  token: Token;
  name: string;
}

/**
 * Walks the tree with a cursor, which reads types, spans and field names without making a
 * node object for each of the tens of thousands of nodes a long preamble has.
 */
function collectTokens(tree: Tree, text: string): Token[] {
  const tokens: Token[] = [];
  const macros = new Set<string>();
  const names: NameUse[] = [];
  /** Types of the current node's ancestors, nearest last. */
  const ancestors: string[] = [];
  const cursor = tree.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      const kind = whole[type];
      if (kind) {
        if (end > start) tokens.push({ start, end, type: kind, declaration: false });
      } else if (type === 'preproc_arg') {
        const raw = text.slice(start, end);
        const value = raw.trim();
        const lead = raw.length - raw.trimStart().length;
        const argKind: TokenType | undefined = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9][0-9.]*)[uUlLfF]*$/.test(value) ? 'number' : /^"([^"\\]|\\.)*"$/.test(value) ? 'string' : undefined;
        if (argKind && value) tokens.push({ start: start + lead, end: start + lead + value.length, type: argKind, declaration: false });
      } else if (cursor.gotoFirstChild()) {
        ancestors.push(type);
        continue;
      } else if (end > start) {
        leafToken(type, cursor.nodeIsNamed, cursor.currentFieldName, ancestors, { start, end }, text, macros, tokens, names);
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          for (const use of names) tokens.push(macros.has(use.name) ? { ...use.token, type: 'macro', declaration: false } : use.token);
          return tokens;
        }
        ancestors.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

function leafToken(
  type: string,
  isNamed: boolean,
  field: string | null,
  ancestors: readonly string[],
  span: { start: number; end: number },
  text: string,
  macros: Set<string>,
  tokens: Token[],
  names: NameUse[],
): void {
  const parent = ancestors[ancestors.length - 1];
  if (!isNamed) {
    // Keywords (`static`, `struct`, `return`, `#include`, …); punctuation and operators are left alone.
    if (/^#?[A-Za-z_]+$/.test(type)) tokens.push({ ...span, type: parent === 'sized_type_specifier' ? 'type' : 'keyword', declaration: false });
    return;
  }
  if (type !== 'identifier') return;
  const name = text.slice(span.start, span.end);
  if (parent === undefined) return void tokens.push({ ...span, type: 'variable', declaration: false });
  if ((parent === 'preproc_def' || parent === 'preproc_function_def') && field === 'name') {
    macros.add(name);
    return void tokens.push({ ...span, type: 'macro', declaration: true });
  }
  if (parent === 'preproc_params') return void tokens.push({ ...span, type: 'parameter', declaration: true });
  if (parent === 'function_declarator' && field === 'declarator') return void tokens.push({ ...span, type: 'function', declaration: true });
  if (parent === 'call_expression' && field === 'function') return void names.push({ token: { ...span, type: 'function', declaration: false }, name });
  if (parent === 'enumerator') return void tokens.push({ ...span, type: 'enumMember', declaration: field === 'name' });
  for (let i = ancestors.length - 1; i >= 0; i--) {
    if (ancestors[i] === 'parameter_declaration') return void names.push({ token: { ...span, type: 'parameter', declaration: true }, name });
    if (ancestors[i] !== 'pointer_declarator' && ancestors[i] !== 'array_declarator' && ancestors[i] !== 'parenthesized_declarator') break;
  }
  names.push({ token: { ...span, type: 'variable', declaration: false }, name });
}
