// Text in the preamble that is not C reaches the C compiler: cmd/cgo passes every line of the
// comment above import "C" to gcc, #cgo lines excepted (the cgo-pains article's
// `// NOTE: Do not use -Wall.` right above `// #cgo CFLAGS: …`).
import { findNonCLines } from '../cgo/c';
import { cText } from '../cgo/directives';
import type { Fix, TextEdit } from '../cgo/findings';
import type { CgoFile } from '../cgo/package';
import { toSource, toSourceEnd, type Preamble, type PreambleLine } from '../cgo/preamble';
import type { Rule, RuleFinding } from './rule';

// ` * text` inside a block-comment preamble: Javadoc-style decoration, which C does not know.
const decoration = /^(\s*)\*(?!\/)( ?)/;

export const preambleCommentBleed: Rule = {
  id: 'preamble-comment-bleed',
  defaultSeverity: 'error',
  summary: 'Text in the cgo preamble that is not C is passed to the C compiler.',
  check({ pkg, cParser }) {
    const findings: RuleFinding[] = [];
    for (const file of pkg.files) {
      for (const imp of file.imports) {
        if (!imp.preamble) continue;
        const preamble = imp.preamble;
        const text = cText(preamble);
        const { badLines } = findNonCLines(cParser, text);
        if (badLines.length === 0) continue;
        const leadingProse = countLeadingLines(preamble, badLines);
        for (const lineIndex of badLines) {
          const line = preamble.lines[lineIndex];
          if (!line) continue;
          findings.push(report(file, preamble, line, lineIndex, leadingProse, (candidate) => {
            return findNonCLines(cParser, candidate).badLines.includes(lineIndex);
          }));
        }
      }
    }
    return findings;
  },
};

/** How many of the bad lines open the preamble (nothing but blank lines before them). */
function countLeadingLines(preamble: Preamble, badLines: number[]): number {
  let count = 0;
  for (let i = 0; i < preamble.lines.length; i++) {
    if (badLines.includes(i)) count = i + 1;
    else if (preamble.lines[i].text.trim() !== '' || count > 0) break;
  }
  return count;
}

function report(
  file: CgoFile,
  preamble: Preamble,
  line: PreambleLine,
  lineIndex: number,
  leadingProse: number,
  stillBad: (candidateText: string) => boolean,
): RuleFinding {
  const indent = line.text.length - line.text.trimStart().length;
  const start = toSource(preamble, line.start + indent);
  const end = toSourceEnd(preamble, line.start + line.text.trimEnd().length);
  const quoted = line.text.trim();
  const fixes: Fix[] = [];
  const isOpener = lineIndex === 0 && !line.fromLineComment && quoted.startsWith('*');
  const deco = !line.fromLineComment ? decoration.exec(line.text) : null;
  if (deco) {
    // Without the star, is the rest of the line C? Then the decoration is all that is wrong.
    const starAt = line.start + deco[1].length;
    const withoutStar = cText(preamble);
    const candidate = withoutStar.slice(0, starAt) + ' '.repeat(1 + deco[2].length) + withoutStar.slice(starAt + 1 + deco[2].length);
    if (!stillBad(candidate)) {
      const starOffset = toSource(preamble, starAt);
      fixes.push({
        title: isOpener ? 'Turn /** into /*' : "Remove the ' * ' decoration",
        preferred: true,
        edits: [{ file: file.path, start: starOffset, end: starOffset + 1 + deco[2].length, newText: '' }],
      });
    }
  }
  fixes.push({
    title: 'Turn into a C comment',
    preferred: fixes.length === 0,
    edits: [{ file: file.path, start, end: start, newText: '// ' }],
  });
  if (lineIndex < leadingProse && hasTextAfter(preamble, leadingProse)) {
    fixes.push(moveAboveFix(file, preamble, leadingProse));
  }
  const what = deco ? 'comment decoration' : 'text that is not C';
  const message =
    `The cgo preamble holds ${what}: "${abbreviate(quoted)}". cgo passes every line of the comment above ` +
    `import "C" to the C compiler (only #cgo lines are taken out), so the build fails here with a C syntax ` +
    `error. Make it a C comment, or separate it from the preamble with a blank line.`;
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
