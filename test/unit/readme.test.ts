// The README's example is reproducible: its commands, run on a copy of examples/cgo-pains (with
// dist/ next to it, as in the repository), print exactly what the README shows, --fix included,
// and the fixed sample then builds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { goEnv, requireGo } from '../support/go';

const repoRoot = path.join(__dirname, '..', '..', '..');

interface Step {
  command: string;
  output: string;
}

/** The `$ command` lines of the block after the README's marker comment, each with the lines it prints. */
function readmeSteps(): Step[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const marker = readme.indexOf('<!-- test/unit/readme.test.ts runs these commands');
  assert.ok(marker >= 0, 'the README lost its example marker');
  const open = readme.indexOf('```\n', marker) + 4;
  const block = readme.slice(open, readme.indexOf('\n```', open) + 1);
  const steps: Step[] = [];
  for (const line of block.split('\n').slice(0, -1)) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), output: '' });
    else steps[steps.length - 1].output += `${line}\n`;
  }
  return steps;
}

test('the README example prints what the README shows, and the fixed sample builds', { skip: !requireGo('readme'), timeout: 120_000 }, () => {
  const steps = readmeSteps();
  assert.deepEqual(
    steps.map((s) => s.command.split(' ').slice(0, 3).join(' ')),
    ['node dist/cli.js --go', 'node dist/cli.js --go', 'make -s -C'],
  );
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-readme-'));
  try {
    fs.cpSync(path.join(repoRoot, 'examples', 'cgo-pains'), path.join(root, 'examples', 'cgo-pains'), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'));
    for (const { command, output } of steps) {
      const result = spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', env: goEnv({ GOOS: '', GOARCH: '' }) });
      assert.equal(`${result.stdout}${result.stderr}`, output, `$ ${command}`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
