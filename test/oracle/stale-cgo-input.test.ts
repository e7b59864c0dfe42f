// The proof behind stale-cgo-input, on every toolchain: build the article's layout, rebuild
// c/libapi.a so that api_value returns 2, build again and run. The go command's cache keys
// (cmd/go/internal/work buildActionID, linkActionID) do not hash the archive that #cgo LDFLAGS
// names, so go build keeps linking the old one; go run too since Go 1.24 caches executables
// (run.go: CacheExecutable), while through Go 1.23 it relinked every time. go build -a rebuilds.
// A header outside the package directory goes unnoticed the same way, by go build and go run alike.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { goToolchains, oracleToolchains, type Toolchain } from '../support/go';
import { goAvailable, run, Scratch } from './support';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'stale-cgo-input', 'article-archive');
const CLI = path.join(REPO, 'dist', 'cli.js');

async function ok(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(command, args, { cwd, env });
  assert.equal(r.code, 0, `${command} ${args.join(' ')}\n${r.combined}`);
  return r.stdout;
}

/** Compiles c/api.c, where api_value returns `value`, into a fresh c/libapi.a. */
async function buildArchive(dir: string, value: number, env: NodeJS.ProcessEnv): Promise<void> {
  const c = path.join(dir, 'c');
  fs.writeFileSync(path.join(c, 'api.c'), `#include "api.h"\n\nint api_value(void) { return ${value}; }\n`);
  await ok('gcc', ['-c', 'api.c', '-o', 'api.o'], c, env);
  fs.rmSync(path.join(c, 'libapi.a'), { force: true });
  await ok('ar', ['rcs', 'libapi.a', 'api.o'], c, env);
}

async function prove(toolchain: Toolchain, scratch: Scratch): Promise<void> {
  const dir = scratch.copy(FIXTURE, 'stale');
  const env = scratch.env;
  const go = toolchain.go;
  const binary = path.join(dir, 'app.bin');
  const build = async (...flags: string[]): Promise<string> => {
    await ok(go, ['build', ...flags, '-o', binary, './app'], dir, env);
    return ok(binary, [], dir, env);
  };
  const goRun = (): Promise<string> => ok(go, ['run', './app'], dir, env);

  await buildArchive(dir, 1, env);
  assert.equal(await build(), '1\n');
  assert.equal(await goRun(), '1\n');

  await buildArchive(dir, 2, env);
  assert.equal(await build(), '1\n', `${toolchain.version}: go build noticed the rebuilt archive; stale-cgo-input should not report for it`);
  assert.equal(await goRun(), toolchain.minor >= 24 ? '1\n' : '2\n', `${toolchain.version}: go run`);
  assert.equal(await build('-a'), '2\n', `${toolchain.version}: go build -a`);

  // A header outside the package directory: a macro the preamble returns.
  fs.writeFileSync(path.join(dir, 'c', 'api.h'), 'int api_value(void);\n#define API_EXTRA 10\n');
  const main = path.join(dir, 'app', 'main.go');
  fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('// #include <api.h>\n', '// #include <api.h>\n// static int api_extra(void) { return API_EXTRA; }\n').replace('int(C.api_value())', 'int(C.api_value()), int(C.api_extra())'));
  assert.equal(await build(), '2 10\n');
  // go run does not reuse what go build compiled for package main (seen on Go 1.26.8: its first
  // go run after the header change compiled afresh), so each compiles it once before the change.
  assert.equal(await goRun(), '2 10\n');
  fs.writeFileSync(path.join(dir, 'c', 'api.h'), 'int api_value(void);\n#define API_EXTRA 20\n');
  assert.equal(await build(), '2 10\n', `${toolchain.version}: go build noticed the changed header`);
  assert.equal(await goRun(), '2 10\n', `${toolchain.version}: go run noticed the changed header`);
  assert.equal(await build('-a'), '2 20\n');

  // cgo-lint says so on the LDFLAGS line, for this Go release.
  const lint = await run(process.execPath, [CLI, '--go', `1.${toolchain.minor}`, '--format', 'json', dir], { cwd: dir, env });
  const found = (JSON.parse(lint.stdout) as { rule: string; file: string; line: number; message: string }[]).filter((d) => d.rule === 'stale-cgo-input');
  assert.deepEqual(found.map((d) => `${path.relative(dir, d.file)}:${d.line}`), ['app/main.go:4']);
  assert.match(found[0].message, toolchain.minor >= 24 ? /go build and go run \(which caches its executables since Go 1\.24\) keep/ : /go build keeps \(go run relinks every time before Go 1\.24\)/);
}

if (goAvailable()) {
  const { found } = goToolchains();
  for (const toolchain of oracleToolchains(found)) {
    test(`stale-cgo-input: ${toolchain.version} keeps a rebuilt archive and a changed header until go build -a`, { timeout: 300_000 }, async () => {
      assert.ok(fs.existsSync(CLI), `${CLI} not found: build it first (npm run build)`);
      const scratch = new Scratch();
      try {
        await prove(toolchain, scratch);
      } finally {
        scratch.dispose();
      }
    });
  }
}
