// A comment that holds C but that cmd/cgo does not take as the preamble: a blank line between
// it and import "C", or it ends on the line of the import (go/parser, Go 1.19 and 1.26: a lead
// comment must end on the line right above the token), or it sits above a grouped import with more than one spec (cgo then only
// looks at a comment directly above "C" inside the parentheses). The preamble is then silently
// empty and the build fails later, somewhere else.
import { brokenCLines, findPreambleProse, holdsC } from '../cgo/c';
import { cText, parseDirective } from '../cgo/directives';
import type { BuildTarget } from '../cgo/constraints';
import type { Fix } from '../cgo/findings';
import type { CgoFile, CgoImport } from '../cgo/package';
import { unknownCNameError } from '../cgo/goversion';
import { goUsesOfC } from '../cgo/gosyntax';
import { cgoBasicTypeNames, isCgoOwnFunction } from '../cgo/gotypes';
import type { IgnoredComment, PreambleLine } from '../cgo/preamble';
import type { Rule, RuleFinding } from '../cgo/rule';

export const preambleDetached: Rule = {
  id: 'preamble-detached',
  defaultSeverity: 'error',
  scope: 'file',
  summary: 'A comment holding C is not the preamble (blank line, or grouped import), so the preamble is empty.',
  check({ pkg, cParser }) {
    const findings: RuleFinding[] = [];
    for (const file of pkg.files) {
      for (const imp of file.imports) {
        for (const ignored of imp.ignored) {
          // #cgo lines count: cut off, their flags are silently lost too.
          // Only a line go/build would take as a #cgo directive counts: `// #cgo noescape annotations
          // mean …` is prose that happens to start with #cgo.
          const hasDirectives = ignored.preamble.lines.some((line) => isWellFormedDirective(line, pkg.dir, pkg.target));
          if (!hasDirectives && !holdsC(cParser, ignored.preamble)) continue;
          const proseLines = findPreambleProse(cParser, ignored.preamble).lines.map((prose) => prose.line);
          const brokenLines = proseLines.length > 0 ? proseLines : brokenCLines(cParser, cText(ignored.preamble));
          const finding = withheldIfNotC(report(file, imp, ignored, pkg.target.goMinor), ignored, brokenLines, proseLines.length > 0);
          findings.push(needsPreamble(file, imp) ? { ...finding, caughtBy: 'cgo' } : finding);
        }
      }
    }
    return findings;
  },
};

/**
 * Whether cgo itself fails on the file: its preamble is empty and it uses a C name that only a
 * preamble could declare. (Otherwise what was lost shows at link time, or not at all.)
 */
function needsPreamble(file: CgoFile, imp: CgoImport): boolean {
  if (imp.preamble) return false;
  // sizeof_T of a basic type needs no declaration either.
  const provided = (name: string): boolean =>
    cgoBasicTypeNames.includes(name) || isCgoOwnFunction(name) || (name.startsWith('sizeof_') && cgoBasicTypeNames.includes(name.slice('sizeof_'.length)));
  return goUsesOfC(file).some((use) => !provided(use.name));
}

/**
 * Attaching a comment that also holds prose would hand the prose to the C compiler and turn a
 * package that builds into one that does not: no fix then, and the message says which line to
 * make a C comment first. The same where a line does not parse as C without reading as prose
 * (`See the README \`): only gcc could say whether attaching it is safe.
 */
function withheldIfNotC(finding: RuleFinding, ignored: IgnoredComment, lines: number[], prose: boolean): RuleFinding {
  if (lines.length === 0) return finding;
  // Lines of the C text are the preamble's lines, in order.
  const line = ignored.preamble.lines[lines[0]];
  const quoted = line ? ` ("${line.text.trim().slice(0, 60)}")` : '';
  const advice = prose
    ? `Its text that is not C${quoted} would then reach the C compiler: make it a C comment first.`
    : `Part of it${quoted} may not be C, and would then reach the C compiler: check it before joining the comment to import "C".`;
  return { ...finding, message: `${finding.message} ${advice}`, fixes: [] };
}

function report(file: CgoFile, imp: CgoImport, ignored: IgnoredComment, goMinor: number): RuleFinding {
  const first = ignored.group.comments[0];
  const last = ignored.group.comments[ignored.group.comments.length - 1];
  const consequence =
    `Names it declares are unknown to cgo ("${unknownCNameError(goMinor, '…')}"), functions it ` +
    'defines are never compiled ("undefined reference" at link), and its #cgo flags are not used.';
  if (ignored.reason === 'blank-line' && file.lines.lineOf(ignored.nextStart) === ignored.group.endLine) {
    return {
      file: file.path,
      start: first.start,
      end: last.end,
      message:
        `This comment holds C, but it ends on the line of what follows it, so it is not the doc comment of import "C" ` +
        `and cgo does not use it as the preamble. ${consequence} Start what follows on the next line.`,
      fixes: [breakLineAfter(file, ignored)],
    };
  }
  if (ignored.reason === 'blank-line') {
    const blankLines = file.lines.lineOf(ignored.nextStart) - ignored.group.endLine - 1;
    const beforePreamble = ignored.nextStart < imp.spec.start && file.text.startsWith('/', ignored.nextStart);
    return {
      file: file.path,
      start: first.start,
      end: last.end,
      message:
        `This comment holds C, but ${blankLines > 1 ? 'blank lines separate' : 'a blank line separates'} it from ` +
        (beforePreamble
          ? 'the preamble below it, so cgo does not use it. '
          : 'import "C", so cgo does not use it as the preamble and the preamble is empty. ') +
        `${consequence} Remove the blank lines.`,
      fixes: [removeBlankLines(file, ignored)],
    };
  }
  return {
    file: file.path,
    start: first.start,
    end: last.end,
    message:
      `This comment holds C, but it sits above an import declaration with ${imp.specCount} specs: cgo only ` +
      'takes a comment directly above "C" inside the parentheses, or above a declaration that imports "C" ' +
      `alone, so the preamble is empty. ${consequence} Import "C" on its own, right below this comment.`,
    fixes: [splitImportC(file, imp)],
  };
}

function removeBlankLines(file: CgoFile, ignored: IgnoredComment): Fix {
  const start = file.lines.lineEnd(ignored.group.endLine);
  const end = file.lines.lineEnd(file.lines.lineOf(ignored.nextStart) - 1);
  return {
    title: 'Remove the blank lines below this comment',
    preferred: true,
    edits: [{ file: file.path, start, end, newText: '' }],
  };
}

/** A comment that ends on the line of the import: the blanks between the two become a line break. */
function breakLineAfter(file: CgoFile, ignored: IgnoredComment): Fix {
  const start = ignored.group.comments[ignored.group.comments.length - 1].end;
  return {
    title: 'Start what follows the comment on the next line',
    preferred: true,
    edits: [{ file: file.path, start, end: ignored.nextStart, newText: file.lines.eol }],
  };
}

/** `// C…\nimport (\n"C"\n"fmt"\n)` becomes `// C…\nimport "C"\n\nimport (\n"fmt"\n)`. */
function splitImportC(file: CgoFile, imp: CgoImport): Fix {
  const eol = file.lines.eol;
  const specLine = file.lines.lineOf(imp.spec.start);
  const specText = file.text.slice(imp.spec.start, imp.spec.end);
  const lineText = file.lines.lineText(specLine).trim();
  // The spec alone on its line (the gofmt layout): remove the whole line; else just the spec.
  const removal =
    lineText === specText
      ? { start: file.lines.lineStarts[specLine], end: file.lines.lineStarts[specLine + 1] ?? file.text.length }
      : { start: imp.spec.start, end: imp.spec.end };
  return {
    title: 'Import "C" on its own below the comment',
    preferred: true,
    edits: [
      { file: file.path, start: imp.decl.start, end: imp.decl.start, newText: `import ${specText}${eol}${eol}` },
      { file: file.path, ...removal, newText: '' },
    ],
  };
}

/** A `#cgo` line of a known verb, or a noescape/nocallback annotation, that go/build would read without complaint. */
function isWellFormedDirective(line: PreambleLine, dir: string, target: BuildTarget): boolean {
  // Judged as Go 1.24+ reads it, so an annotation counts whichever release is chosen.
  const directive = parseDirective(line, dir, { ...target, goMinor: Math.max(target.goMinor, 24) });
  return directive !== undefined && directive.error === undefined && (directive.verb !== undefined || directive.annotation !== undefined);
}
