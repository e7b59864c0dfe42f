// Suppression comments, in the style of staticcheck's //lint:ignore. Applied once, to the
// findings of all rules, after they ran; a malformed or unused suppression is itself reported.
//
// Accepted spellings (docs/rules/suppression.md):
// - in Go code: `//cgo-lint:ignore RULE[,RULE] reason` on the line above the finding (or on its
//   own line), and `//cgo-lint:file-ignore RULE[,RULE] reason` anywhere in the file; no space
//   after `//`, as for Go's own directives.
// - as a C comment, which is what a line of the preamble must be (cmd/cgo hands every line of
//   it to the C compiler): `// cgo-lint:ignore …` or `/* cgo-lint:ignore … */` as a line of
//   C. In a `//` preamble that line is written `// // cgo-lint:ignore …`; inside a `/* */`
//   preamble, `// cgo-lint:ignore …`. The C form is also accepted in any other comment.
// A `//cgo-lint:ignore` line inside a preamble is C text the compiler rejects: it is not a
// suppression, and preamble-comment-bleed reports it.
import type { GoComment } from './golex';
import { suppressionCode, type Finding, type Fix, type RuleId, type SeveritySetting, type SuppressionInsert } from './findings';
import type { CgoFile } from './package';
import type { BuildTarget } from './constraints';

interface Directive {
  fileWide: boolean;
  /** 0-based line of the .go file the directive is written on. */
  line: number;
  start: number;
  end: number;
  rules: RuleId[];
  used: Set<RuleId>;
  /** What removing the directive deletes: its line, or just its comment when the line holds more. */
  removal: { start: number; end: number };
}

const directivePattern = /^cgo-lint:([A-Za-z-]*)(.*)$/s;
/** A line of C that is nothing but a comment holding a directive. */
const cCommentPattern = /^\s*(?:\/\/\s*(cgo-lint:.*?)|\/\*\s*(cgo-lint:.*?)\s*\*\/)\s*$/s;

/**
 * The findings with suppressed ones taken out and the suppressions' own hints added.
 * `ruleIds` are the rules the engine ran (a suppression naming another is unknown); `severities`
 * tells which of them were on: a suppression of a rule turned off is not unused.
 */
export function applySuppressions(
  files: readonly CgoFile[],
  findings: Finding[],
  ruleIds: readonly RuleId[],
  severities: Partial<Record<RuleId, SeveritySetting>> | undefined,
  target: BuildTarget,
): Finding[] {
  const byFile = new Map<string, Directive[]>();
  const hints: Finding[] = [];
  for (const file of files) {
    // Most files have none: the whole-file lex is paid only by those that spell it.
    if (!file.text.includes('cgo-lint:')) continue;
    const directives = readDirectives(file, ruleIds, hints);
    if (directives.length > 0) byFile.set(file.path, directives);
  }
  if (byFile.size === 0) return hints.length > 0 ? [...findings, ...hints] : findings;

  const lineOf = new Map(files.map((file) => [file.path, file.lines]));
  const kept = findings.filter((finding) => {
    const directives = byFile.get(finding.file);
    if (!directives) return true;
    const line = lineOf.get(finding.file)?.lineOf(finding.start);
    let suppressed = false;
    for (const directive of directives) {
      if (!directive.rules.includes(finding.rule)) continue;
      // The line above, or the finding's own line: a finding on a comment group (preamble-detached)
      // starts at its first comment, which the suppression written above it has become.
      if (directive.fileWide || directive.line + 1 === line || directive.line === line) {
        directive.used.add(finding.rule);
        suppressed = true;
      }
    }
    return !suppressed;
  });

  for (const file of files) {
    const directives = byFile.get(file.path);
    // A file the target does not build has no findings to suppress on this target.
    if (!directives || !file.included) continue;
    for (const directive of directives) {
      for (const rule of directive.rules) {
        if (directive.used.has(rule) || severities?.[rule] === 'off') continue;
        const where = directive.fileWide ? 'in this file' : 'on the next line';
        hints.push({
          rule: suppressionCode,
          severity: 'hint',
          file: file.path,
          start: directive.start,
          end: directive.end,
          message: `This suppression is unused: no ${rule} finding ${where} for go1.${target.goMinor} ${target.goos}/${target.goarch}. Remove it, unless another target or Go release needs it.`,
          fixes: [removeFix(file, directive, rule)],
        });
      }
    }
  }
  return [...kept, ...hints];
}

function readDirectives(file: CgoFile, ruleIds: readonly RuleId[], hints: Finding[]): Directive[] {
  const inPreamble = new Set<number>();
  for (const imp of file.imports) for (const comment of imp.preamble?.group.comments ?? []) inPreamble.add(comment.start);
  const directives: Directive[] = [];
  const read = (text: string, start: number, removal: Directive['removal']): void => {
    const directive = parseDirective(file, text, start, removal, ruleIds, hints);
    if (directive) directives.push(directive);
  };
  for (const comment of file.tokens.allComments()) {
    if (!file.text.slice(comment.start, comment.end).includes('cgo-lint:')) continue;
    if (!comment.block) {
      const removal = lineOrSpan(file, comment.start, comment.end);
      const body = file.text.slice(comment.start + 2, comment.end);
      if (body.startsWith('cgo-lint:')) {
        if (!inPreamble.has(comment.start)) read(body, comment.start + 2, removal);
        continue;
      }
      readCComment(body, comment.start + 2, () => removal, read);
    } else {
      const lines = blockLines(file, comment);
      lines.forEach(({ text, start }, i) => {
        // The first and last lines also hold the block's /* and */.
        const inside = i > 0 && i < lines.length - 1;
        readCComment(text, start, (from, to) => (inside ? lineOrSpan(file, from, to) : { start: from, end: to }), read);
      });
    }
  }
  return directives;
}

/** The whole line (with its line break) when nothing but blanks surrounds [start, end) on it. */
function lineOrSpan(file: CgoFile, start: number, end: number): Directive['removal'] {
  const line = file.lines.lineOf(start);
  const lineStart = file.lines.lineStarts[line];
  const lineEnd = file.lines.lineEnd(line);
  if (file.text.slice(lineStart, start).trim() !== '' || file.text.slice(end, lineEnd).trim() !== '') return { start, end };
  const next = line + 1 < file.lines.lineCount ? file.lines.lineStarts[line + 1] : lineEnd;
  return { start: lineStart, end: next };
}

/** Reads a directive from a line of C that is nothing but a comment holding one. */
function readCComment(
  line: string,
  start: number,
  removal: (commentStart: number, commentEnd: number) => Directive['removal'],
  read: (text: string, start: number, removal: Directive['removal']) => void,
): void {
  const match = cCommentPattern.exec(line);
  const text = match?.[1] ?? match?.[2];
  if (!match || text === undefined) return;
  const commentStart = start + (line.length - line.trimStart().length);
  read(text, start + line.indexOf(text), removal(commentStart, start + line.trimEnd().length));
}

/** The lines of a block comment's inner text, with their file offsets. */
function blockLines(file: CgoFile, comment: GoComment): { text: string; start: number }[] {
  const inner = file.text.slice(comment.start + 2, comment.end - 2);
  const lines: { text: string; start: number }[] = [];
  let offset = comment.start + 2;
  for (const text of inner.split('\n')) {
    lines.push({ text: text.endsWith('\r') ? text.slice(0, -1) : text, start: offset });
    offset += text.length + 1;
  }
  return lines;
}

function parseDirective(file: CgoFile, text: string, start: number, removal: Directive['removal'], ruleIds: readonly RuleId[], hints: Finding[]): Directive | undefined {
  const trimmed = text.trimEnd();
  const end = start + trimmed.length;
  const hint = (message: string): undefined => {
    hints.push({ rule: suppressionCode, severity: 'hint', file: file.path, start, end, message, fixes: [] });
    return undefined;
  };
  const match = directivePattern.exec(trimmed);
  if (!match) return undefined;
  const [, verb, rest] = match;
  if (verb !== 'ignore' && verb !== 'file-ignore') {
    return hint(`Unknown directive "cgo-lint:${verb}": the directives are cgo-lint:ignore (the next line) and cgo-lint:file-ignore (the whole file).`);
  }
  const words = /^\s+(\S+)(?:\s+(.*))?$/s.exec(rest);
  if (!words) return hint(`cgo-lint:${verb} names no rule: write cgo-lint:${verb} RULE[,RULE] reason.`);
  const named = words[1].split(',').filter((id) => id !== '');
  const reason = (words[2] ?? '').trim();
  const rules: RuleId[] = [];
  for (const id of named) {
    if (ruleIds.includes(id)) rules.push(id);
    else hint(`Unknown rule "${id}" in cgo-lint:${verb}; the rules are ${ruleIds.join(', ')}.`);
  }
  if (reason === '') {
    return hint(`cgo-lint:${verb} needs a reason after the rule ids, e.g. "cgo-lint:${verb} ${words[1]} the header defines it"; without one it suppresses nothing.`);
  }
  if (rules.length === 0) return undefined;
  return { fileWide: verb === 'file-ignore', line: file.lines.lineOf(start), start, end, rules, used: new Set(), removal };
}

/** Removes the rule from the directive, or the whole directive when it names only that rule. */
function removeFix(file: CgoFile, directive: Directive, rule: RuleId): Fix {
  // Not applied by --fix: the finding it silences may exist on another target.
  if (directive.rules.length === 1) {
    return { title: 'Remove the unused suppression', preferred: false, edits: [{ file: file.path, ...directive.removal, newText: '' }] };
  }
  const text = file.text.slice(directive.start, directive.end);
  const list = /^(\S+\s+)(\S+)/.exec(text) as RegExpExecArray;
  const listStart = directive.start + list[1].length;
  const remaining = list[2].split(',').filter((id) => id !== rule && id !== '').join(',');
  return {
    title: `Remove ${rule} from the suppression`,
    preferred: false,
    edits: [{ file: file.path, start: listStart, end: listStart + list[2].length, newText: remaining }],
  };
}

/**
 * Where a suppression of `rule` goes for a finding at `offset`: a new line above the finding's
 * line, in the spelling that line's place needs. Above a line of the preamble, or above the
 * `import "C"` its doc comment attaches to, the new line joins the preamble, so it is a C
 * comment; inside a `/* *\/` preamble it is a C line comment; elsewhere, Go's directive form.
 * Above a comment cgo ignores (preamble-detached), also the C form: the new line joins that
 * comment, which is C and becomes the preamble once it is attached.
 */
export function ignoreInsert(file: CgoFile, rule: RuleId, offset: number): SuppressionInsert {
  const lines = file.lines;
  const line = lines.lineOf(offset);
  const indent = /^[ \t]*/.exec(lines.lineText(line))?.[0] ?? '';
  const directive = `cgo-lint:ignore ${rule} `;
  const insert = (prefix: string): SuppressionInsert => ({ file: file.path, at: lines.lineStarts[line], before: `${indent}${prefix}${directive}`, after: lines.eol });
  for (const imp of file.imports) {
    const group = imp.preamble?.group;
    if (group && group.startLine <= line && line <= group.endLine) {
      const comment = group.comments.find((c) => c.startLine <= line && line <= c.endLine);
      return insert(comment?.block && line > comment.startLine ? '// ' : '// // ');
    }
    if (line === lines.lineOf(imp.spec.start) || (imp.specCount === 1 && line === lines.lineOf(imp.decl.start))) return insert('// // ');
    for (const ignored of imp.ignored) {
      if (line === ignored.group.startLine) return insert('// // ');
      const comment = ignored.group.comments.find((c) => c.block && c.startLine < line && line <= c.endLine);
      if (comment) return insert('// ');
    }
  }
  return insert('//');
}
