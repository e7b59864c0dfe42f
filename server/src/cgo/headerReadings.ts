// A project header read once for every file that includes the same text of it. Each file of a
// package has its own C scope, and most of them include the same big headers (sqlite3.h,
// godror's odpi, librdkafka's rdkafka.h), which the DeclarationReader would otherwise walk
// again for every file: on the real-world gate that walk was most of cgo-lint's time.
//
// A header's reading is kept as its steps: the names and tags it added, the #includes it
// reached, and every name it looked up (enum values, array sizes, const typedefs) with the
// answer it got. The next scope that reads the same text replays the steps when every lookup
// gets the same answer there, and reads the header anew when one does not: replayed or read,
// the scope ends up holding the same declarations.
import { preferredDecl, type CDecl, type DeclarationSink, type TagType } from './cdecl';
import { BoundedCache } from './cache';
import type { PreprocessedUnit } from './cpp';

export type ReadingStep =
  | { kind: 'add'; decl: CDecl }
  | { kind: 'tag'; type: TagType }
  | { kind: 'include'; at: number }
  | { kind: 'lookup'; name: string; answer: CDecl | undefined };

interface Reading {
  source: string;
  text: string;
  map: string;
  steps: ReadingStep[];
}

/** Whether a reading was made of this very unit: the same text, from the same source, mapped alike. */
function readingOf(reading: Reading, unit: PreprocessedUnit): boolean {
  return reading.text === unit.text && reading.source === unit.source && reading.map === unit.map.fingerprint();
}

/** Different texts of one header kept at once (other macros, other branches taken). */
const readingsPerHeader = 4;

/** The readings of headers, by header path; owned by the engine and disposed with it. */
export class HeaderReadings {
  private readonly readings = new BoundedCache<string, Reading[]>({
    // The texts a reading is matched by are the views' own strings; the bound keeps them from
    // outliving the views by much.
    maxWeight: 16 * 1024 * 1024,
    weigh: (_file, kept) => kept.reduce((sum, r) => sum + r.source.length + r.text.length + r.map.length, 0),
  });

  get size(): number {
    return this.readings.size;
  }

  /** The steps of an earlier reading of exactly this unit, if any. */
  find(unit: PreprocessedUnit): ReadingStep[] | undefined {
    return this.readings.peek(unit.file)?.find((r) => readingOf(r, unit))?.steps;
  }

  keep(unit: PreprocessedUnit, steps: ReadingStep[]): void {
    const others = (this.readings.peek(unit.file) ?? []).filter((r) => !readingOf(r, unit));
    this.readings.set(unit.file, [{ source: unit.source, text: unit.text, map: unit.map.fingerprint(), steps }, ...others].slice(0, readingsPerHeader));
  }

  dispose(): void {
    this.readings.dispose();
  }
}

/**
 * What a header adds over what was read before it (the layer or scope below), taken into its
 * includer once it is read. Its lookups answer as if every addition had gone straight into the
 * scope below, in reading order: CScope.add's rule applied to the names below, then to its own.
 */
export class HeaderLayer implements DeclarationSink {
  private readonly own = new Map<string, CDecl>();
  /** The additions, its own and those of the headers it took in, in reading order. */
  private readonly added: ({ decl: CDecl } | { tag: TagType })[] = [];

  constructor(
    private readonly below: HeaderLayer | DeclarationSink,
    /** Where the reading's steps are recorded; none when replaying. */
    private readonly steps?: ReadingStep[],
  ) {}

  add(decl: CDecl): void {
    this.steps?.push({ kind: 'add', decl });
    this.addDecl(decl);
  }

  addTag(type: TagType): void {
    this.steps?.push({ kind: 'tag', type });
    this.added.push({ tag: type });
  }

  lookup(name: string): CDecl | undefined {
    const answer = this.answer(name);
    this.steps?.push({ kind: 'lookup', name, answer });
    return answer;
  }

  /** What a lookup answers now, not recorded. */
  answer(name: string): CDecl | undefined {
    const below = this.below instanceof HeaderLayer ? this.below.answer(name) : this.below.lookup(name);
    const own = this.own.get(name);
    return own ? preferredDecl(below, own) : below;
  }

  /** Hands every addition on, in reading order, to the includer's layer or the scope. */
  mergeInto(target: HeaderLayer | DeclarationSink): void {
    for (const item of this.added) {
      if ('decl' in item) {
        if (target instanceof HeaderLayer) target.addDecl(item.decl);
        else target.add(item.decl);
      } else if (target instanceof HeaderLayer) target.added.push(item);
      else target.addTag(item.tag);
    }
  }

  private addDecl(decl: CDecl): void {
    this.added.push({ decl });
    this.own.set(decl.name, preferredDecl(this.own.get(decl.name), decl));
  }
}
