// Everything a rule comes with, driven by the registry (rules/index.ts): its doc page, its README
// and marketplace rows, its setting in package.json, its oracle fixtures (a positive and a
// negative) and the doc link its diagnostics carry. A rule added to the registry without any of
// them fails here, and so does a page, row, setting or fixture directory of no registered rule.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../../server/src/cgo/rule';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { rules } from '../../server/src/rules';
import { defaultSettings } from '../../server/src/settings';
import type { CaseSpec } from '../oracle/cases';

const repoRoot = path.join(__dirname, '..', '..', '..');
const read = (...parts: string[]): string => fs.readFileSync(path.join(repoRoot, ...parts), 'utf8');
const readme = read('README.md');
const marketplace = read('docs', 'marketplace.md');

interface RuleSetting {
  type: string;
  enum: string[];
  enumDescriptions: string[];
  markdownDescription: string;
}
const manifest = JSON.parse(read('package.json')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown; properties?: Record<string, RuleSetting> }> } };
};
const settingsOfRules = manifest.contributes.configuration.properties['cgo.rules'].properties ?? {};

const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
/** The case.json of every fixture of a rule, by case name. */
function casesOf(rule: Rule): Map<string, CaseSpec> {
  const dir = path.join(fixturesDir, rule.id);
  const cases = new Map<string, CaseSpec>();
  if (!fs.existsSync(dir)) return cases;
  for (const name of fs.readdirSync(dir)) {
    const spec = path.join(dir, name, 'case.json');
    if (fs.existsSync(spec)) cases.set(name, JSON.parse(fs.readFileSync(spec, 'utf8')) as CaseSpec);
  }
  return cases;
}

/** The README's rule table: id, the doc it links, default column. */
const readmeRows = new Map([...readme.matchAll(/^\| \[([a-z0-9-]+)\]\(([^)]*)\) \| ([^|]*) \|/gm)].map((m) => [m[1], { link: m[2], severity: m[3].trim() }]));
/** The marketplace page's rule table (the lines after its `| rule | default |` header): id, default column. */
const marketplaceTable = marketplace.slice(marketplace.indexOf('| rule | default |')).split(/\n(?!\|)/)[0];
const marketplaceRows = new Map([...marketplaceTable.matchAll(/^\| ([a-z0-9-]+) \| ([^|]*) \|/gm)].filter((m) => m[1] !== 'rule').map((m) => [m[1], m[2].trim()]));

for (const rule of rules) {
  test(`${rule.id}: doc page, README and marketplace rows, setting, fixtures and doc link`, () => {
    const doc = path.join(repoRoot, 'docs', 'rules', `${rule.id}.md`);
    assert.ok(fs.existsSync(doc), `docs/rules/${rule.id}.md is missing`);
    const page = fs.readFileSync(doc, 'utf8');
    assert.match(page, new RegExp(`^# ${rule.id}\\n`), 'the doc page is titled with the rule id');
    assert.match(page, new RegExp(`^\\*\\*Default severity:\\*\\* ${rule.defaultSeverity}\\b`, 'm'), 'the doc page names the default severity');

    const row = readmeRows.get(rule.id);
    assert.ok(row, `README.md has no row for ${rule.id}`);
    assert.equal(row.link, `docs/rules/${rule.id}.md`, 'the README row links the doc page');
    assert.match(row.severity, new RegExp(`^${rule.defaultSeverity}\\b`), 'the README row names the default severity');
    assert.ok(marketplaceRows.has(rule.id), `docs/marketplace.md has no row for ${rule.id}`);
    assert.match(marketplaceRows.get(rule.id)!, new RegExp(`^${rule.defaultSeverity}\\b`), 'the marketplace row names the default severity');

    const setting = settingsOfRules[rule.id];
    assert.ok(setting, `package.json has no cgo.rules property ${rule.id}`);
    assert.equal(setting.type, 'string');
    assert.deepEqual(setting.enum, ['off', 'error', 'warning', 'information']);
    assert.equal(setting.enumDescriptions.length, setting.enum.length, 'each severity is described');
    assert.match(setting.markdownDescription, new RegExp(`Default: \`${rule.defaultSeverity}\``), 'the setting names the default severity');
    assert.ok(setting.markdownDescription.includes(`[docs/rules/${rule.id}.md](docs/rules/${rule.id}.md)`), 'the setting links the doc page');

    const cases = [...casesOf(rule)];
    const reports = (spec: CaseSpec): boolean =>
      [spec.diagnostics, ...Object.values(spec.versions ?? {}).map((v) => v.diagnostics ?? [])].some((diagnostics) => diagnostics.some((d) => d.rule === rule.id));
    assert.ok(
      cases.some(([, spec]) => reports(spec)),
      `test/fixtures/${rule.id}/ has no positive case (a case.json expecting a ${rule.id} diagnostic)`,
    );
    assert.ok(
      cases.some(([, spec]) => !reports(spec)),
      `test/fixtures/${rule.id}/ has no negative case (a case.json expecting no ${rule.id} diagnostic)`,
    );

    // The link the editor shows on the rule's diagnostics opens the bundled doc page.
    const file = '/virtual/p/a.go';
    const finding = { rule: rule.id, severity: rule.defaultSeverity, file, start: 0, end: 1, message: 'm', fixes: [] };
    const [diagnostic] = toDiagnostics([finding], [{ path: file, uri: 'file:///virtual/p/a.go', text: 'package p\n', version: 1 }], path.join(repoRoot, 'docs', 'rules')).get('file:///virtual/p/a.go') ?? [];
    assert.ok(diagnostic?.codeDescription, 'the diagnostic carries a doc link');
    assert.equal(fileURLToPath(diagnostic.codeDescription.href), doc);
  });
}

test('no doc page, README or marketplace row, setting or fixture directory names a rule that is not registered', () => {
  const ids = new Set(rules.map((rule) => rule.id));
  const unknown = (names: Iterable<string>): string[] => [...names].filter((name) => !ids.has(name));
  // suppression.md documents the cgo-lint:ignore comments, not a rule.
  assert.deepEqual(unknown(fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).map((name) => name.replace(/\.md$/, '')).filter((name) => name !== 'suppression')), []);
  assert.deepEqual(unknown(readmeRows.keys()), []);
  assert.deepEqual(unknown(marketplaceRows.keys()), []);
  assert.deepEqual(unknown(Object.keys(settingsOfRules)), []);
  assert.deepEqual(unknown(fs.readdirSync(fixturesDir).filter((name) => fs.statSync(path.join(fixturesDir, name)).isDirectory())), []);
});

test('the server defaults are package.json contributes.configuration defaults', () => {
  const defaults = Object.fromEntries(Object.entries(manifest.contributes.configuration.properties).map(([key, value]) => [key, value.default]));
  assert.deepEqual(defaults, {
    'cgo.enable': defaultSettings.enable,
    'cgo.rules': defaultSettings.rules,
    'cgo.goos': defaultSettings.goos,
    'cgo.goarch': defaultSettings.goarch,
    'cgo.goVersion': defaultSettings.goVersion,
    'cgo.pkgConfig.enable': defaultSettings.pkgConfig.enable,
    'cgo.compiler.enable': defaultSettings.compiler.enable,
    'cgo.diagnostics.scope': defaultSettings.diagnostics.scope,
    // Read by the client, not the server.
    'cgo.trace.server': 'off',
  });
});
