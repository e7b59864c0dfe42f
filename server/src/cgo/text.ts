// Positions in source text. Offsets are JavaScript string indices (UTF-16 code units), which
// is also what web-tree-sitter reports and what LSP columns count. The CLI reports byte
// columns like go vet, so byteColumn converts on demand.

export interface LineCharacter {
  /** 0-based line. */
  line: number;
  /** 0-based column in UTF-16 code units. */
  character: number;
}

/**
 * The index of the last element of `sorted` (ascending, sorted[0] <= value) that is at most
 * `value`: which line, run or chunk an offset falls in.
 */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid] <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

export class LineIndex {
  private readonly starts = [0];
  /** Every line start up to here is in `starts`: lines are found as far as they are asked for. */
  private scanned = 0;

  constructor(readonly text: string) {}

  /** Offset where each line starts; a line ends at "\n" (a preceding "\r" belongs to the break). */
  get lineStarts(): readonly number[] {
    this.scanTo(Infinity);
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineOf(offset: number): number {
    this.scanTo(offset);
    return lastAtOrBefore(this.starts, offset);
  }

  /** Records the line starts at or before `offset` (indexOf finds breaks far faster than a loop). */
  private scanTo(offset: number): void {
    while (this.scanned <= offset) {
      const lineBreak = this.text.indexOf('\n', this.scanned);
      if (lineBreak === -1) {
        this.scanned = Infinity;
        return;
      }
      this.starts.push(lineBreak + 1);
      this.scanned = lineBreak + 1;
    }
  }

  positionAt(offset: number): LineCharacter {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: LineCharacter): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, position.line)];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** Offset of the end of the line's content, before "\r\n" or "\n". */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    return next > this.lineStarts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  /** 1-based byte column of an offset in the UTF-8 encoding of its line, as the Go tools print it. */
  byteColumn(offset: number): number {
    const { line } = this.positionAt(offset);
    return Buffer.byteLength(this.text.slice(this.starts[line], offset), 'utf8') + 1;
  }

  /** The end-of-line sequence the file mostly uses, for inserted lines. */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    return crlf >= 0 ? '\r\n' : '\n';
  }
}

/** A whole-word occurrence of a C name in a text. */
export function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[^A-Za-z0-9_]/g, '')}($|[^A-Za-z0-9_])`).test(text);
}
