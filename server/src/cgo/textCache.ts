// Results that depend on a text alone, kept by that text: between two keystrokes most
// preambles and headers do not change. The least recently used go first once the texts kept
// pass a number of characters.

export class TextKeyedCache<V> {
  private readonly entries = new Map<string, V>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** The value kept for `key`, else `compute()`'s, then kept. */
  get(key: string, compute: () => V): V {
    if (this.entries.has(key)) {
      const known = this.entries.get(key) as V;
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const value = compute();
    this.entries.set(key, value);
    this.chars += key.length;
    for (const [oldest] of this.entries) {
      if (this.chars <= this.maxChars || this.entries.size <= 1) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
    return value;
  }
}
