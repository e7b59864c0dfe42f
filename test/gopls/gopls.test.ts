// gopls v0.23.0 (what the Go extension runs) and our server side by side on every oracle fixture.
// One problem must read as one problem: where gopls reports it on the same line, ours is a hint
// (keeping its quick fix); where gopls shows cgo's failure elsewhere (the top of each file, each
// C.x use), our message says the two are the same; everywhere else gopls says nothing on our line.
// `.ci/run` installs gopls (`go install golang.org/x/tools/gopls@v0.23.0`) and runs this suite
// with `npm run test:gopls`, after `npm test`: a gopls check per fixture costs seconds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { goplsSeesCgoFailure } from '../../server/src/features/diagnostics';
import { loadCases, type Case } from '../oracle/cases';
import { copyDir, listFiles, run } from '../oracle/support';
import { goEnv, requireGo } from '../support/go';
import { LspClient, repoRoot } from '../support/lspClient';

export const goplsVersion = 'v0.23.0';

/** The gopls `go install` put in GOBIN or GOPATH/bin, else the one on PATH. */
export function findGopls(): string | undefined {
  const env = (name: string): string => spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const gopath = env('GOPATH').split(path.delimiter)[0];
  for (const candidate of [env('GOBIN') && path.join(env('GOBIN'), 'gopls'), gopath && path.join(gopath, 'bin', 'gopls'), 'gopls']) {
    if (!candidate) continue;
    const version = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (version.status === 0 && version.stdout.includes(goplsVersion)) return candidate;
  }
  return undefined;
}

/** One diagnostic of `gopls check`: `line` undefined when it has no position (gopls shows it at 1:1). */
export interface GoplsDiagnostic {
  /** '/'-separated, relative to the fixture. */
  file: string;
  line: number | undefined;
  message: string;
}

/**
 * `gopls check` prints `FILE:LINE:COL[-COL]: MESSAGE` or `FILE: MESSAGE`, a message's further lines
 * below it without a file (the go command's output it quotes, such as `./main.go:4:10: …`).
 */
export function parseGoplsCheck(output: string, dir: string): GoplsDiagnostic[] {
  const found: GoplsDiagnostic[] = [];
  const prefix = `${dir}${path.sep}`;
  for (const line of output.split('\n')) {
    const match = line.startsWith(prefix) ? /^([^:]+\.go)(?::(\d+):\d+(?:-\d+)?)?: (.*)$/.exec(line.slice(prefix.length)) : null;
    if (match) found.push({ file: match[1].split(path.sep).join('/'), line: match[2] === undefined ? undefined : Number(match[2]), message: match[3] });
    else if (found.length > 0 && line !== '') found[found.length - 1].message += `\n${line}`;
  }
  return found;
}

interface Checked {
  fixture: Case;
  copy: string;
  goFiles: string[];
  gopls: GoplsDiagnostic[];
}

async function goplsCheck(gopls: string, fixture: Case, scratch: string): Promise<Checked> {
  const copy = path.join(scratch, fixture.rule, fixture.name);
  copyDir(fixture.dir, copy);
  const goFiles = listFiles(copy).filter((file) => file.endsWith('.go'));
  const result = await run(gopls, ['check', ...goFiles.map((file) => path.join(copy, file))], {
    cwd: copy,
    env: goEnv({ GOWORK: 'off', HOME: scratch }),
    timeoutMs: 180_000,
  });
  assert.equal(result.error, undefined, `${fixture.id}: gopls check: ${result.error}`);
  return { fixture, copy, goFiles, gopls: parseGoplsCheck(result.combined, copy) };
}

/** Runs `work` over `items`, `limit` at a time, keeping their order in the results. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** An LSP diagnostic's message as text (the server sends strings). */
const textOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

const where = (d: GoplsDiagnostic): string => `${d.file}:${d.line ?? '(no position)'}: ${d.message.split('\n')[0]}`;

test(`gopls ${goplsVersion} and our server agree on where each problem is shown, on every oracle fixture`, async (t) => {
  if (!requireGo('gopls comparison')) return;
  const gopls = findGopls();
  if (!gopls) {
    if (process.env.CI === 'true') throw new Error(`gopls ${goplsVersion} not found; .ci/run installs it with go install golang.org/x/tools/gopls@${goplsVersion}`);
    t.diagnostic(`SKIPPED: gopls ${goplsVersion} not found`);
    return;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-gopls-'));
  const client = await LspClient.start({ pull: true, compiler: true, initializationOptions: { goplsRuns: true } });
  try {
    const cases = loadCases(path.join(repoRoot, 'test', 'fixtures'));
    const checked = await pool(cases, 2, (fixture) => goplsCheck(gopls, fixture, scratch));
    let sameLine = 0;
    let namedElsewhere = 0;
    for (const { fixture, copy, goFiles, gopls: theirs } of checked) {
      await t.test(fixture.id, async () => {
        for (const file of goFiles) {
          const uri = pathToFileURL(path.join(copy, file)).href;
          client.open(uri, fs.readFileSync(path.join(copy, file), 'utf8'));
          const ours: Diagnostic[] = await client.pull(uri);
          client.close(uri);
          for (const diagnostic of ours) {
            const line = diagnostic.range.start.line + 1;
            const here = `${file}:${line}: [${diagnostic.code ?? diagnostic.source}] ${textOf(diagnostic).split('\n')[0]}`;
            const onOurLine = theirs.filter((d) => d.file === file && d.line === line);
            if (diagnostic.severity === 4 && diagnostic.source === 'cgo') {
              assert.ok(onOurLine.length > 0, `${here}: a hint because gopls reports the same line, but gopls says nothing there:\n${theirs.map(where).join('\n')}`);
              sameLine++;
            } else if (textOf(diagnostic).includes(goplsSeesCgoFailure)) {
              // An external test's C names fail with the package under test: gopls puts it on that package's files.
              const cgoFailed = theirs.some((d) => d.line === undefined);
              assert.ok(cgoFailed, `${here}: says gopls shows it at the top of the file, but gopls reports:\n${theirs.map(where).join('\n') || '(nothing)'}`);
              namedElsewhere++;
            } else {
              assert.deepEqual(onOurLine.map(where), [], `${here}: gopls reports on the same line; the finding should be a hint (caughtBy 'type-check') or name gopls' report`);
            }
          }
          // gopls' cgo failure in a file we also flag as an error: our message names it.
          const cgoFailure = theirs.find((d) => d.file === file && d.line === undefined);
          const errors = ours.filter((d) => d.severity === 1);
          if (cgoFailure && errors.length > 0) {
            assert.ok(
              errors.some((d) => textOf(d).includes(goplsSeesCgoFailure)),
              `${file}: gopls says "${cgoFailure.message.split('\n')[0]}" at the top and ours says nothing of it:\n${errors.map((d) => `${d.range.start.line + 1}: [${d.code ?? d.source}] ${textOf(d).split('\n')[0]}`).join('\n')}`,
            );
          }
        }
      });
    }
    t.diagnostic(`${checked.length} fixtures: ${sameLine} findings are hints on gopls' own line, ${namedElsewhere} name gopls' report elsewhere`);
    assert.ok(sameLine > 0 && namedElsewhere > 0, 'both cases occur in the fixtures');
  } finally {
    client.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
