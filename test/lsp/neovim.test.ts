// The same server in another LSP client: Debian's Neovim, headless, with its built-in client
// (push diagnostics only). Without nvim the test says SKIPPED, except under CI=true.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const repo = path.resolve(__dirname, '..', '..', '..');

interface NeovimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  source: string;
  code: string;
  message: string;
}

test('Neovim\'s built-in LSP client gets the diagnostics of the cgo-pains article\'s app.go', (t) => {
  if (spawnSync('nvim', ['--version']).status !== 0) {
    if (process.env.CI === 'true') assert.fail('nvim not found, and CI=true requires it (apt-get install neovim)');
    t.diagnostic('SKIPPED: nvim not found');
    process.stdout.write('SKIPPED: nvim not found\n');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-nvim-'));
  fs.cpSync(path.join(repo, 'test', 'e2e', 'workspace'), dir, { recursive: true });
  const out = path.join(dir, 'diagnostics.json');
  const run = spawnSync('nvim', ['--headless', '--clean', '-u', path.join(repo, 'test', 'lsp', 'neovim-init.lua')], {
    env: { ...process.env, CGO_SERVER: path.join(repo, 'dist', 'server.js'), CGO_OUT: out, CGO_FILE: path.join(dir, 'app', 'app.go'), HOME: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.ok(fs.existsSync(out), `nvim wrote no result (status ${run.status}): ${run.stdout}${run.stderr}`);
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { ok: boolean; diagnostics: NeovimDiagnostic[] };
  assert.ok(result.ok, 'no diagnostics arrived within 20 s');
  assert.deepEqual(
    result.diagnostics.map((d) => ({ line: d.lnum, col: d.col, endLine: d.end_lnum, endCol: d.end_col, severity: d.severity, source: d.source, code: d.code })),
    [{ line: 2, col: 3, endLine: 2, endCol: 26, severity: 1, source: 'cgo', code: 'preamble-comment-bleed' }],
  );
  // The server's go children (go env, and the compiler's) may outlive Neovim and still write
  // their cache below HOME: a temporary directory they keep writing into is left to the system.
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    t.diagnostic(`left ${dir}: ${(error as Error).message}`);
  }
});
