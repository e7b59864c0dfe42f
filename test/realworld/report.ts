// `npm run realworld`: the findings cgo-lint gives today on the real-world gate, grouped by rule
// and by file, for whoever must silence them. `--out FILE` also writes every finding with the
// text of its line; `--fix` also runs the gate's --fix check.
import * as fs from 'node:fs';
import { byFile, byRule, collectGate, fixGate, lintGate, shortPath, type Finding } from './gate';

function lineText(finding: Finding, cache: Map<string, string[]>): string {
  let lines = cache.get(finding.file);
  if (!lines) cache.set(finding.file, (lines = fs.readFileSync(finding.file, 'utf8').split('\n')));
  return (lines[finding.line - 1] ?? '').trim();
}

function main(argv: string[]): number {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  const collected = collectGate();
  if (!collected.ok) {
    process.stderr.write(`realworld: ${collected.reason}\n`);
    return 2;
  }
  const { packages } = collected;
  const result = lintGate(packages);
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  print(`cgo-lint read ${result.files} files in ${result.packages} packages in ${(result.ms / 1000).toFixed(1)} s: ${result.findings.length} error/warning findings`);
  print('\nby rule:');
  for (const [rule, n] of byRule(result.findings)) print(`${String(n).padStart(7)}  ${rule}`);
  for (const [rule] of byRule(result.findings)) {
    print(`\n${rule}, by file:`);
    const ofRule = result.findings.filter((f) => `${f.rule} (${f.severity})` === rule);
    for (const [file, n] of byFile(ofRule)) print(`${String(n).padStart(7)}  ${shortPath(file)}`);
  }
  if (out) {
    const cache = new Map<string, string[]>();
    const sorted = [...result.findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    fs.writeFileSync(out, sorted.map((f) => `${shortPath(f.file)}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.rule}]\n\t${lineText(f, cache)}\n`).join(''));
    print(`\nevery finding, with the text of its line: ${out}`);
  }
  if (argv.includes('--fix')) {
    const fixed = fixGate(packages);
    print(`\ncgo-lint --fix on a copy (${(fixed.ms / 1000).toFixed(1)} s) changed ${fixed.changed.length} files`);
    for (const file of fixed.changed) print(`  ${file}`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
