// C colouring inside the preamble: semantic tokens from the tree-sitter-c tree of the text cmd/cgo
// hands to the C compiler, mapped back to the .go file (a token that spans comment markers or
// lines is split; columns in UTF-16). Only comments cgo really takes as the preamble get
// tokens: a detached comment is not C as far as the build is concerned, so it stays a comment.
// `#cgo` lines, which the C compiler never sees, get tokens of their own.
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend, type SemanticTokensParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node, Parser } from 'web-tree-sitter';
import { cText } from '../cgo/directives';
import type { CgoFile } from '../cgo/package';
import type { Preamble } from '../cgo/preamble';
import { withFileView, type FeatureServices } from './definition';

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

/**
 * Null when the file has no preamble tokens: VS Code takes the first provider's non-null
 * result, so another server's tokens for Go code (gopls) are then used.
 */
export async function semanticTokens(services: FeatureServices, params: SemanticTokensParams): Promise<SemanticTokens | null> {
  const tokens = await withFileView(services, params.textDocument.uri, (file, document) => fileTokens(services.engine.cParser, file, document));
  return tokens && tokens.data.length > 0 ? tokens : null;
}

export function fileTokens(parser: Parser, file: CgoFile, document: TextDocument): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const imp of file.imports) {
    const preamble = imp.preamble;
    if (!preamble) continue;
    const tokens = [...directiveTokens(imp.directives), ...cTokens(parser, cText(preamble))];
    tokens.sort((a, b) => a.start - b.start);
    for (const token of tokens) push(builder, document, preamble, token);
  }
  return builder.build();
}

/** Pushes a token, split where the preamble's characters stop being consecutive in the file. */
function push(builder: SemanticTokensBuilder, document: TextDocument, preamble: Preamble, token: Token): void {
  const offsets = preamble.sourceOffsets;
  const type = typeIndex.get(token.type)!;
  const modifiers = token.declaration ? declarationBit : 0;
  let pieceStart = -1;
  const flush = (end: number): void => {
    if (pieceStart < 0 || end <= pieceStart) return;
    const from = offsets[pieceStart];
    const position = document.positionAt(from);
    builder.push(position.line, position.character, offsets[end - 1] + 1 - from, type, modifiers);
    pieceStart = -1;
  };
  for (let i = token.start; i < token.end; i++) {
    const ch = preamble.text.charCodeAt(i);
    if (ch === 10) {
      flush(i);
      continue;
    }
    if (pieceStart >= 0 && offsets[i] !== offsets[i - 1] + 1) flush(i);
    if (pieceStart < 0) pieceStart = i;
  }
  flush(token.end);
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

/** Tokens of C text (indices into it), from its tree-sitter-c tree. */
function cTokens(parser: Parser, text: string): Token[] {
  const tree = parser.parse(text);
  if (!tree) return [];
  const tokens: Token[] = [];
  const macros = new Set<string>();
  try {
    for (const def of tree.rootNode.descendantsOfType(['preproc_def', 'preproc_function_def'])) {
      const name = def?.childForFieldName('name');
      if (name) macros.add(name.text);
    }
    const visit = (node: Node): void => {
      const type = whole[node.type];
      if (type && node.endIndex > node.startIndex) {
        tokens.push({ start: node.startIndex, end: node.endIndex, type, declaration: false });
        return;
      }
      if (node.type === 'preproc_arg') {
        const value = node.text.trim();
        const lead = node.text.length - node.text.trimStart().length;
        const kind: TokenType | undefined = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9][0-9.]*)[uUlLfF]*$/.test(value) ? 'number' : /^"([^"\\]|\\.)*"$/.test(value) ? 'string' : undefined;
        if (kind && value) tokens.push({ start: node.startIndex + lead, end: node.startIndex + lead + value.length, type: kind, declaration: false });
        return;
      }
      if (node.childCount === 0) {
        const leaf = leafToken(node, macros);
        if (leaf) tokens.push(leaf);
        return;
      }
      for (const child of node.children) if (child) visit(child);
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  return tokens;
}

function leafToken(node: Node, macros: Set<string>): Token | undefined {
  const span = { start: node.startIndex, end: node.endIndex };
  if (span.end <= span.start) return undefined;
  const parent = node.parent;
  if (!node.isNamed) {
    // Keywords (`static`, `struct`, `return`, `#include`, …); punctuation and operators are left alone.
    if (/^#?[A-Za-z_]+$/.test(node.type)) {
      return { ...span, type: parent?.type === 'sized_type_specifier' ? 'type' : 'keyword', declaration: false };
    }
    return undefined;
  }
  if (node.type !== 'identifier') return undefined;
  if (!parent) return { ...span, type: 'variable', declaration: false };
  if ((parent.type === 'preproc_def' || parent.type === 'preproc_function_def') && parent.childForFieldName('name')?.id === node.id) {
    return { ...span, type: 'macro', declaration: true };
  }
  if (parent.type === 'preproc_params') return { ...span, type: 'parameter', declaration: true };
  if (parent.type === 'function_declarator' && parent.childForFieldName('declarator')?.id === node.id) {
    return { ...span, type: 'function', declaration: true };
  }
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) {
    return { ...span, type: macros.has(node.text) ? 'macro' : 'function', declaration: false };
  }
  if (parent.type === 'enumerator') return { ...span, type: 'enumMember', declaration: parent.childForFieldName('name')?.id === node.id };
  if (macros.has(node.text)) return { ...span, type: 'macro', declaration: false };
  for (let up: Node | null = parent; up; up = up.parent) {
    if (up.type === 'parameter_declaration') return { ...span, type: 'parameter', declaration: true };
    if (up.type !== 'pointer_declarator' && up.type !== 'array_declarator' && up.type !== 'parenthesized_declarator') break;
  }
  return { ...span, type: 'variable', declaration: false };
}
