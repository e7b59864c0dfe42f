// The text-document notifications OpenDocuments listens to, delivered by hand in tests.
import type { DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams } from 'vscode-languageserver';

export class FakeConnection {
  open?: (params: DidOpenTextDocumentParams) => void;
  change?: (params: DidChangeTextDocumentParams) => void;
  close?: (params: DidCloseTextDocumentParams) => void;
  readonly none = { dispose: (): void => undefined };
  onDidOpenTextDocument(handler: (params: DidOpenTextDocumentParams) => void) {
    this.open = handler;
    return this.none;
  }
  onDidChangeTextDocument(handler: (params: DidChangeTextDocumentParams) => void) {
    this.change = handler;
    return this.none;
  }
  onDidCloseTextDocument(handler: (params: DidCloseTextDocumentParams) => void) {
    this.close = handler;
    return this.none;
  }
  onWillSaveTextDocument() {
    return this.none;
  }
  onWillSaveTextDocumentWaitUntil() {
    return this.none;
  }
  onDidSaveTextDocument() {
    return this.none;
  }
}

