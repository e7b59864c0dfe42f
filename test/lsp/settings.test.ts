// cgo.* settings: read per resource through workspace/configuration (or from the
// didChangeConfiguration payload without it); test/unit/rule-parity.test.ts keeps the defaults
// and the rules' settings equal to package.json's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { ConfigurationParams } from 'vscode-languageserver';
import { defaultSettings, parseSettings } from '../../server/src/settings';
import { articleAppGo } from '../support/goSources';
import { fileUri, packageDir, withServer } from '../support/lspClient';
import { rules } from '../../server/src/rules';

test('settings of the wrong shape fall back to the defaults, each with a message', () => {
  const problems: string[] = [];
  const settings = parseSettings({ enable: 'yes', rules: { 'preamble-detached': 'warning', 'no-such-rule': 'off', 'rename-import-c': 'loud' }, goos: 1 }, rules, (m) => problems.push(m));
  assert.deepEqual(settings, { ...defaultSettings, rules: { 'preamble-detached': 'warning' } });
  assert.equal(problems.length, 4, problems.join('\n'));
});

test('cgo.rules through workspace/configuration: "off" silences the rule, "warning" changes its severity', { timeout: 20_000 }, async () => {
  await withServer({ pull: true, configuration: true }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo });
    const app = fileUri(dir, 'app.go');
    client.open(app, articleAppGo);
    assert.deepEqual((await client.pull(app)).map((d) => d.severity), [1]);
    const asked = await client.waitFor<ConfigurationParams>('workspace/configuration');
    // Scoped to the package directory: resource settings can differ per folder.
    assert.deepEqual(asked.items, [{ scopeUri: pathToFileURL(dir).href, section: 'cgo' }]);

    client.configurationFor = () => ({ rules: { 'preamble-comment-bleed': 'off' } });
    let since = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('workspace/diagnostic/refresh', () => true, since);
    assert.deepEqual(await client.pull(app), []);

    client.configurationFor = () => ({ rules: { 'preamble-comment-bleed': 'warning' } });
    since = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('workspace/diagnostic/refresh', () => true, since);
    const diagnostics = await client.pull(app);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['preamble-comment-bleed', 2]]);

    client.configurationFor = () => ({ enable: false });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await client.pull(app), []);
  });
});

test('without workspace/configuration the didChangeConfiguration payload is used (push)', { timeout: 20_000 }, async () => {
  await withServer({ pull: false }, async (client) => {
    const dir = packageDir({ 'app.go': articleAppGo });
    const app = fileUri(dir, 'app.go');
    client.open(app, articleAppGo);
    assert.deepEqual((await client.published(app, 1)).map((d) => d.severity), [1]);
    const since = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: { cgo: { rules: { 'preamble-comment-bleed': 'information' } } } });
    assert.deepEqual((await client.published(app, 1, since)).map((d) => d.severity), [3]);
    assert.equal(client.received.some((m) => m.method === 'workspace/configuration'), false);
  });
});
