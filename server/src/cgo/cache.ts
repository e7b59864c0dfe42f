// The one cache type: values by key, bounded by a total weight (one per entry, or the
// characters of text keys), the least recently used going first, and disposable. Every value
// that leaves (evicted, replaced, deleted, or still held at dispose) is handed to `release`,
// which frees what the value owns (tree-sitter trees). Each instance belongs to the engine or
// the server that made it and is disposed with it.

export interface CacheOptions<K, V> {
  /** The total weight kept; the oldest entries go until the rest fit (the newest always stays). */
  maxWeight: number;
  /** An entry's weight; default 1, so maxWeight counts entries. */
  weigh?: (key: K, value: V) => number;
  /** Frees what a value owns once the cache lets go of it. */
  release?: (value: V, key: K) => void;
}

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;
  private maxWeight: number;

  constructor(private readonly options: CacheOptions<K, V>) {
    this.maxWeight = options.maxWeight;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value kept for `key`, now the most recently used; undefined when none. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * The value kept for `key`, without making it the most recently used: for lookups so frequent
   * (every open document's path, on every check) that moving the entry costs more than it keeps.
   */
  find(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** The value kept for `key`, else `compute()`'s, then kept. */
  get(key: K, compute: () => V): V {
    if (this.entries.has(key)) return this.peek(key) as V;
    const value = compute();
    this.set(key, value);
    return value;
  }

  /** Keeps `value` for `key` as the most recently used, releasing the value it replaces. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.options.weigh?.(key, value) ?? 1;
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest] of this.entries) {
      if (this.weight <= this.maxWeight || this.entries.size <= 1) break;
      this.delete(oldest);
    }
  }

  /** Changes the bound; the oldest entries go until the rest fit. */
  resize(maxWeight: number): void {
    this.maxWeight = maxWeight;
    for (const [oldest] of this.entries) {
      if (this.weight <= this.maxWeight || this.entries.size <= 1) break;
      this.delete(oldest);
    }
  }

  /** Takes the value out without releasing it: the caller owns it now. */
  take(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.weight -= entry.weight;
    return entry.value;
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.take(key);
    this.options.release?.(entry.value, key);
  }

  /** Keys and values, least recently used first. */
  *[Symbol.iterator](): IterableIterator<[K, V]> {
    for (const [key, entry] of this.entries) yield [key, entry.value];
  }

  /** Releases every value; the cache stays usable (empty). */
  dispose(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }
}

/**
 * Results that depend on a text alone, kept by that text and weighed by its characters:
 * between two keystrokes most preambles and headers do not change.
 */
export class TextKeyedCache<V> extends BoundedCache<string, V> {
  constructor(maxChars: number, release?: (value: V) => void) {
    super({ maxWeight: maxChars, weigh: (key) => key.length, release });
  }
}
