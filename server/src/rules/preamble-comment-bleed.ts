// Text in the preamble that is not C reaches the C compiler: cmd/cgo passes every line of the
// comment above import "C" to gcc, #cgo lines excepted (the cgo-pains article's
// `// NOTE: Do not use -Wall.` right above `// #cgo CFLAGS: …`).
import { findPreambleProse, type ProseLine } from '../cgo/c';
import type { Fix, TextEdit } from '../cgo/findings';
import type { CgoFile } from '../cgo/package';
import { toSource, toSourceEnd, type Preamble } from '../cgo/preamble';
import type { Rule, RuleFinding } from '../cgo/rule';

export const preambleCommentBleed: Rule = {
  id: 'preamble-comment-bleed',
  defaultSeverity: 'error',
  scope: 'file',
  caughtBy: 'cgo',
  summary: 'Text in the cgo preamble that is not C is passed to the C compiler.',
  check({ pkg, cParser }) {
    const findings: RuleFinding[] = [];
    for (const file of pkg.files) {
      for (const imp of file.imports) {
        if (!imp.preamble) continue;
        const preamble = imp.preamble;
        const { lines } = findPreambleProse(cParser, preamble);
        if (lines.length === 0) continue;
        const leadingProse = countLeadingLines(preamble, lines);
        for (const prose of lines) findings.push(report(file, preamble, prose, leadingProse));
      }
    }
    return findings;
  },
};

/** How many lines open the preamble with prose (nothing but blank lines between them). */
function countLeadingLines(preamble: Preamble, prose: ProseLine[]): number {
  const proseLines = new Set(prose.map((p) => p.line));
  let count = 0;
  for (let i = 0; i < preamble.lines.length; i++) {
    if (proseLines.has(i)) count = i + 1;
    else if (preamble.lines[i].text.trim() !== '' || count > 0) break;
  }
  return count;
}

function report(file: CgoFile, preamble: Preamble, prose: ProseLine, leadingProse: number): RuleFinding {
  const line = preamble.lines[prose.line];
  const lineEnd = line.start + line.text.trimEnd().length;
  const start = toSource(preamble, prose.start);
  const end = toSourceEnd(preamble, lineEnd);
  const quoted = preamble.text.slice(prose.start, lineEnd);
  const fixes: Fix[] = [];
  if (prose.starRemovable) {
    const star = /^\*( ?)/.exec(quoted)!;
    fixes.push({
      title: prose.line === 0 && !line.fromLineComment ? 'Turn /** into /*' : "Remove the ' * ' decoration",
      preferred: true,
      edits: [{ file: file.path, start, end: start + star[0].length, newText: '' }],
    });
  }
  if (prose.comment === 'line') {
    fixes.push({ title: 'Turn into a C comment', preferred: fixes.length === 0, edits: [{ file: file.path, start, end: start, newText: '// ' }] });
  } else if (prose.comment === 'block') {
    // A `// ` before a line that ends in `\` would swallow the next line into the comment.
    fixes.push({
      title: 'Turn into a C comment',
      preferred: fixes.length === 0,
      edits: [
        { file: file.path, start, end: start, newText: '/* ' },
        { file: file.path, start: end, end, newText: ' */' },
      ],
    });
  }
  if (prose.line < leadingProse && hasTextAfter(preamble, leadingProse)) {
    fixes.push(moveAboveFix(file, preamble, leadingProse));
  }
  const what = prose.kind === 'decoration' ? 'comment decoration' : prose.kind === 'licence' ? 'a licence or copyright line' : prose.kind === 'note' ? 'a note' : 'prose';
  const outcome = prose.certain
    ? 'so the build fails here with a C syntax error'
    : 'so unless a macro or an #if hides it, the build fails here with a C syntax error';
  const message =
    `The cgo preamble holds ${what}, which is not C: "${abbreviate(quoted)}". cgo passes every line of the comment above ` +
    `import "C" to the C compiler (only #cgo lines are taken out), ${outcome}. ` +
    `Make it a C comment, or separate it from the preamble with a blank line.`;
  return { file: file.path, start, end: Math.max(end, start), message, fixes };
}

function hasTextAfter(preamble: Preamble, lineIndex: number): boolean {
  return preamble.lines.slice(lineIndex).some((l) => l.text.trim() !== '');
}

/** A blank line after the leading prose splits it off into a comment of its own, which cgo ignores. */
function moveAboveFix(file: CgoFile, preamble: Preamble, leadingProse: number): Fix {
  const eol = file.lines.eol;
  const lastProse = preamble.lines[leadingProse - 1];
  const lastProseEnd = toSource(preamble, lastProse.end);
  const sourceLine = file.lines.lineOf(lastProseEnd);
  const edits: TextEdit[] = [];
  if (lastProse.fromLineComment) {
    edits.push({ file: file.path, start: file.lines.lineEnd(sourceLine), end: file.lines.lineEnd(sourceLine), newText: eol });
  } else {
    // Close the block after the note and open a new one for the C that follows.
    const indent = /^[ \t]*/.exec(file.lines.lineText(preamble.group.startLine))?.[0] ?? '';
    const at = file.lines.lineEnd(sourceLine);
    edits.push({ file: file.path, start: at, end: at, newText: ` */${eol}${eol}${indent}/*` });
  }
  return { title: 'Move the note above the preamble', preferred: false, edits };
}

function abbreviate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
