// Code actions on the real-world gate keep `go build` green (issue 16, part 2): the server's
// code actions on a sample of the gate's files, each applied alone, and the package built with
// the edited files laid over the module (go build -overlay). The go command refuses overlays of
// files in the module cache, so the module is mirrored as symbolic links in a scratch directory
// and a scratch main module (test/realworld/go.mod with a replace) builds it from there.
//
// On code that builds the rules report nothing (the gate's own test), so the only actions the
// server can offer there are the ones of its hints. Each sampled file is therefore also opened
// with two stale suppressions, as real code keeps them after a fix: one in Go code, one as a C
// comment in the preamble. Their "Remove the unused suppression" fixes edit the preamble of a
// real file, next to its C and its import "C".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';
import { MODULE_DIR, type GatePackage } from './gate';

/** Packages sampled, one per module: each costs a go build per action. */
const samplePackages = 4;

/** Extensions of the sources that cgo compiles besides the preambles: packages with them take long to build. */
const otherSources = /\.(c|cc|cpp|cxx|m|mm|s|S|sx|f|F|for|f90|syso)$/;
/** A preamble that compiles a C library by including its sources (karalabe/usb's hidapi). */
const includesCSource = /#\s*include\s*"[^"]+\.c"/;

export interface SampledFile {
  importPath: string;
  file: string;
  /** The text opened: the file, or the file with the seeded suppressions. */
  seeded: boolean;
}

export interface ActionResult extends SampledFile {
  title: string;
  /** go build's verdict with the action applied: undefined when green, else its output. */
  failed: string | undefined;
}

export interface ActionsOnGate {
  files: SampledFile[];
  /** Error and warning diagnostics on the files as they are (there must be none). */
  errors: { file: string; diagnostic: Diagnostic }[];
  actions: ActionResult[];
  ms: number;
}

/**
 * The sample: the smallest packages of the pinned modules (one per module, by the bytes of
 * their .go files, then import path) whose directory holds no C, C++, assembly or Fortran
 * source, whose preambles include no .c file, and that import no other package of their
 * module, and of each its first cgo file.
 * Built from the mirror, a module's packages are compiled anew (their directory is part of the
 * build cache's key): such a package builds in a second or two.
 */
export function sampleFiles(packages: GatePackage[]): { pkg: GatePackage; file: string }[] {
  const seen = new Set<string>();
  const sample: { pkg: GatePackage; file: string }[] = [];
  const bytes = (pkg: GatePackage): number => pkg.goFiles.reduce((n, file) => n + fs.statSync(file).size, 0);
  const bySize = packages.map((pkg) => ({ pkg, size: bytes(pkg) })).sort((a, b) => a.size - b.size || (a.pkg.importPath < b.pkg.importPath ? -1 : 1));
  for (const { pkg } of bySize) {
    if (pkg.origin === 'toolchain' || seen.has(pkg.origin) || fs.readdirSync(pkg.dir).some((name) => otherSources.test(name))) continue;
    if (pkg.goFiles.some((file) => includesCSource.test(fs.readFileSync(file, 'utf8')))) continue;
    if (importsOf(pkg.importPath).some((imported) => imported === pkg.origin || imported.startsWith(`${pkg.origin}/`))) continue;
    const file = pkg.goFiles.find((f) => !f.endsWith('_test.go') && /^import "C"/m.test(fs.readFileSync(f, 'utf8')));
    if (!file) continue;
    seen.add(pkg.origin);
    sample.push({ pkg, file });
    if (sample.length === samplePackages) break;
  }
  return sample;
}

/**
 * The text with two suppressions of rules that report nothing there: a Go comment above the
 * first func, and a C comment line as the preamble's last line. Undefined when the file has
 * neither shape.
 */
export function seedSuppressions(text: string): string | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const importC = lines.findIndex((line) => line === 'import "C"');
  const func = lines.findIndex((line, i) => i > importC && line.startsWith('func '));
  if (importC < 1 || func < 0) return undefined;
  const above = lines[importC - 1];
  let cLine: string;
  if (above.startsWith('// ') || above === '//') cLine = '// // cgo-lint:ignore union-unsafe-offset kept after a refactoring';
  else if (above.trim() === '*/') cLine = '// cgo-lint:ignore union-unsafe-offset kept after a refactoring';
  else return undefined;
  const seeded = [...lines];
  seeded.splice(func, 0, '//cgo-lint:ignore cstring-leak kept after a refactoring');
  seeded.splice(above.trim() === '*/' ? importC - 1 : importC, 0, cLine);
  return seeded.join(eol);
}

function importsOf(importPath: string): string[] {
  const listed = spawnSync('go', ['list', '-f', '{{join .Imports "\\n"}}', importPath], { cwd: MODULE_DIR, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', CGO_ENABLED: '1' } });
  if (listed.status !== 0) throw new Error(`go list ${importPath}: ${listed.stderr}`);
  return listed.stdout.split('\n').filter((line) => line !== '');
}

function applyEdit(edit: WorkspaceEdit, texts: Map<string, string>): Map<string, string> {
  const edited = new Map<string, string>();
  const byUri = new Map<string, TextEdit[]>();
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) throw new Error(`a resource operation: ${JSON.stringify(change)}`);
    byUri.set(change.textDocument.uri, [...(byUri.get(change.textDocument.uri) ?? []), ...(change as TextDocumentEdit).edits.map((e) => e as TextEdit)]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) byUri.set(uri, [...(byUri.get(uri) ?? []), ...edits]);
  for (const [uri, edits] of byUri) {
    const file = fileURLToPath(uri);
    const before = texts.get(file) ?? fs.readFileSync(file, 'utf8');
    edited.set(file, TextDocument.applyEdits(TextDocument.create(uri, 'go', 1, before), edits));
  }
  return edited;
}

/** Directories as real ones, every file a symbolic link: the go command builds it as the module. */
function mirror(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) mirror(source, path.join(to, entry.name));
    else fs.symlinkSync(source, path.join(to, entry.name));
  }
}

function goBuild(cwd: string, args: string[]): string | undefined {
  const ran = spawnSync('go', ['build', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', CGO_ENABLED: '1' },
  });
  return ran.status === 0 ? undefined : `${ran.stdout}${ran.stderr}`.trim() || String(ran.error);
}

export async function actionsOnGate(packages: GatePackage[]): Promise<ActionsOnGate> {
  const started = performance.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-gate-actions-'));
  const client = await LspClient.start({ pull: true });
  const files: SampledFile[] = [];
  const errors: ActionsOnGate['errors'] = [];
  const actions: ActionResult[] = [];
  try {
    const sample = sampleFiles(packages);
    // One scratch main module that builds every sampled module from its mirror.
    const mainDir = path.join(scratch, 'main');
    fs.mkdirSync(mainDir);
    const replaces: string[] = [];
    const mirrored = new Map<string, string>();
    for (const [i, { pkg }] of sample.entries()) {
      const copy = path.join(scratch, `m${i}`);
      mirror(pkg.root, copy);
      mirrored.set(pkg.root, copy);
      replaces.push(`replace ${pkg.origin} => ${copy}`);
    }
    fs.writeFileSync(path.join(mainDir, 'go.mod'), `${fs.readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8')}\n${replaces.join('\n')}\n`);
    fs.copyFileSync(path.join(MODULE_DIR, 'go.sum'), path.join(mainDir, 'go.sum'));
    let version = 1;
    for (const { pkg, file } of sample) {
      const original = fs.readFileSync(file, 'utf8');
      const seededText = seedSuppressions(original);
      for (const [seeded, text] of [[false, original], ...(seededText ? [[true, seededText] as const] : [])] as const) {
        files.push({ importPath: pkg.importPath, file, seeded });
        const uri = pathToFileURL(file).href;
        client.open(uri, text, ++version);
        const diagnostics = await client.pull(uri);
        if (!seeded) for (const diagnostic of diagnostics.filter((d) => d.severity === 1 || d.severity === 2)) errors.push({ file, diagnostic });
        const offered: CodeAction[] = [];
        for (const diagnostic of diagnostics) offered.push(...(await client.codeActions(uri, diagnostic.range, [diagnostic])));
        client.close(uri);
        for (const action of offered) {
          if (!action.edit) throw new Error(`${action.title} on ${file}: an action without an edit`);
          const edited = applyEdit(action.edit, new Map([[file, text]]));
          const overlay: Record<string, string> = {};
          for (const [editedFile, editedText] of edited) {
            const inMirror = path.join(mirrored.get(pkg.root)!, path.relative(pkg.root, editedFile));
            const replacement = path.join(scratch, `overlay-${Object.keys(overlay).length}-${actions.length}.go`);
            fs.writeFileSync(replacement, editedText);
            overlay[inMirror] = replacement;
          }
          const overlayFile = path.join(scratch, `overlay-${actions.length}.json`);
          fs.writeFileSync(overlayFile, JSON.stringify({ Replace: overlay }));
          actions.push({ importPath: pkg.importPath, file, seeded, title: action.title, failed: goBuild(mainDir, ['-overlay', overlayFile, pkg.importPath]) });
        }
      }
    }
    await client.stop();
  } finally {
    client.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { files, errors, actions, ms: performance.now() - started };
}
