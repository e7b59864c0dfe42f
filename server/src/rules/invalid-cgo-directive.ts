// `#cgo` lines go/build rejects (saveCgo): no colon or an unclosed quote ("invalid #cgo
// line"), an argument with characters the go command refuses to pass to a shell ("malformed
// #cgo argument"), or an unknown verb ("invalid #cgo verb"). The go command stops the build
// of the package with that message. Also `#cgo noescape NAME` / `#cgo nocallback NAME` that
// cmd/cgo refuses for the chosen Go (see CgoAnnotation in cgo/directives.ts).
import { cgoVerbs, directiveErrorMessage, type CgoAnnotation, type CgoDirective } from '../cgo/directives';
import type { Fix } from '../cgo/findings';
import type { CgoFile } from '../cgo/package';
import { toSource, toSourceEnd, type Preamble } from '../cgo/preamble';
import type { Rule, RuleFinding } from '../cgo/rule';

export const invalidCgoDirective: Rule = {
  id: 'invalid-cgo-directive',
  defaultSeverity: 'error',
  caughtBy: 'cgo',
  summary: 'A #cgo line that go/build rejects: invalid line, malformed argument, or invalid verb.',
  judgesFilesWithoutCgo: true,
  check({ pkg }) {
    const findings: RuleFinding[] = [];
    let calledNames: ((name: string) => boolean) | undefined;
    for (const file of pkg.cgoFiles) {
      for (const imp of file.imports) {
        if (!imp.preamble) continue;
        for (const directive of imp.directives) {
          if (directive.error) findings.push(report(file, imp.preamble, directive));
          const annotation = directive.annotation;
          // cmd/cgo judges the annotations: it never runs on a file cgo-off leaves out.
          if (!annotation || !file.included || file.isTest || file.ignoredWithoutCgo) continue;
          calledNames ??= calledFromGo(pkg.files);
          if (annotation.disabled || !calledNames(annotation.name.text)) findings.push(reportAnnotation(file, imp.preamble, annotation));
        }
      }
    }
    return findings;
  },
};

/**
 * Whether `C.name` is written in a file cmd/cgo reads (built, not a test). cmd/cgo matches a
 * noescape name against the C functions the Go code refers to; a name written but resolving to
 * something else (a macro, a variable) is left to the compiler: only the certain case is reported.
 */
function calledFromGo(files: readonly CgoFile[]): (name: string) => boolean {
  const texts = files.filter((f) => f.included && !f.isTest && f.imports.length > 0).map((f) => f.text);
  return (name) => {
    const use = new RegExp(`\\bC\\.${name.replace(/[^\w]/g, '\\$&')}(?![\\w])`);
    return texts.some((text) => use.test(text));
  };
}

function reportAnnotation(file: CgoFile, preamble: Preamble, annotation: CgoAnnotation): RuleFinding {
  const start = toSource(preamble, annotation.name.start);
  const end = toSourceEnd(preamble, annotation.name.end);
  const message = annotation.disabled
    ? `go build fails: "cgo: #cgo ${annotation.kind} disabled until Go 1.23". Go 1.22 and 1.23 accept the line but refuse to honour it; ` +
      `#cgo ${annotation.kind} works from Go 1.24. Raise the module's go version, or put the file behind //go:build go1.24.`
    : `go build fails: "cgo: #cgo ${annotation.kind} ${annotation.name.text}: no matched C function". ${annotation.name.text} must be ` +
      `a C function that this package's Go code calls as C.${annotation.name.text}; none of its files does.`;
  return { file: file.path, start, end, message, fixes: [] };
}

function report(file: CgoFile, preamble: Preamble, directive: CgoDirective): RuleFinding {
  const error = directive.error!;
  const toolMessage = directiveErrorMessage(directive)!;
  const line = directive.line;
  const indent = line.text.length - line.text.trimStart().length;
  let start = toSource(preamble, line.start + indent);
  let end = toSourceEnd(preamble, line.start + line.text.trimEnd().length);
  const fixes: Fix[] = [];
  let advice: string;
  switch (error.kind) {
    case 'invalid-line': {
      const colonFix = missingColonFix(file, preamble, directive);
      if (colonFix) fixes.push(colonFix);
      advice = /["']/.test(line.text) && line.text.includes(':')
        ? 'Close the quote or escape it with a backslash.'
        : 'A #cgo line reads `#cgo [GOOS/GOARCH conditions] VERB: arguments`.';
      break;
    }
    case 'malformed-argument': {
      const arg = directive.args[error.argumentIndex];
      start = toSource(preamble, arg.start);
      end = toSourceEnd(preamble, arg.end);
      advice =
        'The go command only passes arguments made of letters, digits and + - . , / = _ : $ @ % ! ~ ^ and spaces ' +
        '(and non-ASCII text); move anything else into the C code, e.g. a #define in the preamble.';
      break;
    }
    case 'invalid-verb': {
      const verb = directive.verb!;
      start = toSource(preamble, verb.start);
      end = toSourceEnd(preamble, verb.end);
      const closest = closestVerb(verb.text);
      fixes.push({
        title: `Change to ${closest}`,
        preferred: true,
        edits: [{ file: file.path, start, end, newText: closest }],
      });
      advice = `The verbs are ${cgoVerbs.join(', ')}.`;
      break;
    }
  }
  return {
    file: file.path,
    start,
    end,
    message: `go build fails: "${file.path.split(/[\\/]/).pop()}: ${toolMessage}". ${advice}`,
    fixes,
  };
}

/** `#cgo LDFLAGS -lm`: the last word before the arguments is a verb; put the colon after it. */
function missingColonFix(file: CgoFile, preamble: Preamble, directive: CgoDirective): Fix | undefined {
  if (directive.line.text.includes(':')) return undefined;
  const words = [...directive.line.text.matchAll(/\S+/g)];
  const verbWord = words.slice(1).find((w) => (cgoVerbs as readonly string[]).includes(w[0]));
  if (!verbWord) return undefined;
  const at = toSource(preamble, directive.line.start + (verbWord.index ?? 0) + verbWord[0].length);
  return {
    title: `Add the colon after ${verbWord[0]}`,
    preferred: true,
    edits: [{ file: file.path, start: at, end: at, newText: ':' }],
  };
}

export function closestVerb(word: string): string {
  let best: string = cgoVerbs[0];
  let bestDistance = Infinity;
  for (const verb of cgoVerbs) {
    const distance = editDistance(word.toUpperCase(), verb.toUpperCase());
    if (distance < bestDistance) {
      best = verb;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
