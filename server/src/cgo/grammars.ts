// Loads web-tree-sitter and the Go and C grammars from explicit file paths. The bundles are
// CommonJS, where import.meta.url does not exist, so every wasm path is given by the caller
// (dist/server.js and dist/cli.js pass <extension>/grammars/).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export interface Grammars {
  go: Language;
  c: Language;
}

let runtimeReady: Promise<void> | undefined;

export async function loadGrammars(grammarDir: string): Promise<Grammars> {
  const runtimeWasm = path.join(grammarDir, 'web-tree-sitter.wasm');
  runtimeReady ??= Parser.init({ locateFile: () => runtimeWasm });
  await runtimeReady;
  const [go, c] = await Promise.all([
    Language.load(path.join(grammarDir, 'tree-sitter-go.wasm')),
    Language.load(path.join(grammarDir, 'tree-sitter-c.wasm')),
  ]);
  return { go, c };
}

/** grammars/ next to the bundle (dist/x.js) or the compiled module (out/server/src/cgo/x.js). */
export function defaultGrammarDir(fromDir: string): string {
  let dir = fromDir;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'grammars');
    if (existsSync(path.join(candidate, 'tree-sitter-go.wasm'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`grammars/ not found above ${fromDir}; run npm ci (it copies the grammar wasm files)`);
}
