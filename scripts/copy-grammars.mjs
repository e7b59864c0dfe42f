// Copies the prebuilt grammar wasm files (and web-tree-sitter's runtime wasm) from the pinned
// npm packages into grammars/, where the server, the CLI and the .vsix find them.
import { copyFileSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies;

const files = [
  { pkg: 'web-tree-sitter', file: 'web-tree-sitter.wasm' },
  { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  { pkg: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
];

mkdirSync(join(root, 'grammars'), { recursive: true });
for (const { pkg, file } of files) {
  const pkgDir = join(root, 'node_modules', pkg);
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pinned[pkg] !== version) {
    throw new Error(`${pkg} is ${version} in node_modules but package.json pins ${pinned[pkg]}; run npm ci`);
  }
  copyFileSync(join(pkgDir, file), join(root, 'grammars', file));
}
