// The .vsix's page (docs/marketplace.md, packaged with vsce --readme-path): written for users,
// complete, and made only of what VS Code's extension view shows offline. VS Code 1.139's
// extension editor sanitizes the page with media protocols http and https only, under the CSP
// "img-src https: data:": relative and data: images are dropped, and https ones need a network.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ruleIds } from '../../server/src/rules';

const repoRoot = path.join(__dirname, '..', '..', '..');
const page = fs.readFileSync(path.join(repoRoot, 'docs', 'marketplace.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: { configuration: { properties: Record<string, unknown> }; walkthroughs: { steps: { media: { image?: string; markdown?: string } }[] }[] };
};

test('npm run package makes docs/marketplace.md the page of the .vsix', () => {
  assert.match(manifest.scripts.package, /--readme-path docs\/marketplace\.md/);
});

test('the page opens for users, not with the setup commands, and lists every rule and setting', () => {
  const firstScreen = page.split('\n').slice(0, 25).join('\n');
  assert.doesNotMatch(firstScreen, /npm (ci|test)/);
  for (const id of ruleIds) assert.match(page, new RegExp(`^\\| ${id} \\|`, 'm'), `rule ${id} is missing`);
  for (const setting of Object.keys(manifest.contributes.configuration.properties)) assert.ok(page.includes(`\`${setting}\``), `setting ${setting} is missing`);
  assert.match(page, /cgo-lint:ignore/);
  assert.match(page, /--format text\|json\|sarif\|github/);
});

test('the page holds no picture or link the extension view would drop', () => {
  assert.doesNotMatch(page, /!\[[^\]]*\]\(/, 'a Markdown image');
  assert.doesNotMatch(page, /<img\b/i, 'an HTML image');
  for (const [, target] of page.matchAll(/\]\(([^)]*)\)/g)) assert.match(target, /^(https?:|mailto:|#)/, `link ${target}`);
});

test('the screenshots are in the walkthrough, which shows them from the extension folder', () => {
  const media = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image ?? s.media.markdown ?? ''));
  const packaged = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  for (const file of media) {
    assert.ok(fs.existsSync(path.join(repoRoot, file)), `${file} is missing`);
    // Packaged at its own path (the page itself is renamed to readme.md by vsce).
    assert.ok(file.startsWith('docs/images/') || file.startsWith('docs/rules/'), `${file} is not in the .vsix at that path`);
  }
  assert.deepEqual(
    fs.readdirSync(path.join(repoRoot, 'docs', 'images')).map((name) => `docs/images/${name}`).filter((image) => !media.includes(image)),
    [],
    'a screenshot no step shows',
  );
  assert.match(packaged, /^!docs\/images\/\*\.png$/m);
  assert.match(packaged, /^!docs\/rules\/\*\.md$/m);
});
