// The C names system headers declare (`C.free` from <stdlib.h>, `C.sqlite3_errmsg` from
// <sqlite3.h>): each system header a file includes is read on its own through the include
// reader (cpp.ts), as gcc reads it, following the branches the target takes, and its
// declarations are kept for every file and package that includes it with the same flags.
//
// Read on its own: the preamble's own macros do not reach it, except the reserved ones a
// preamble defines to choose what a C library declares (`#define _GNU_SOURCE`), and the
// package's -D/-U flags. So a name a header declares only under some other macro of the
// preamble is not known: fewer names, never wrong ones. Headers are read on first use (a hover,
// a completion, a rule that asks), from disk, bounded as every header is (cpp.ts,
// readTextFromDisk: regular files, at most 4 MiB each).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { BoundedCache } from './cache';
import { CScope } from './cdecl';
import { preprocess, readTextFromDisk, type CppConfig, type Macro, type ReadText } from './cpp';
import { unitByUnitScope, type FileView } from './headers';
import type { PredefinedMacros } from './predefined';
import { standardIncludeDirs } from './sysdirs';

/** One system header's declarations and the files they were read from. */
interface HeaderEntry {
  /** Undefined for a header found in no directory of the search list. */
  scope: CScope | undefined;
  /** Every file read, with its mtime, to notice an upgraded package. */
  stamps: { file: string; mtimeMs: number }[];
  checkedAt: number;
}

/** What a file's system includes are read with: the search list, the target, the macros. */
export interface SystemConfig {
  /** The system search list, in order. */
  dirs: string[];
  /** -D/-U/-std/-x flags, then the preamble's reserved macros as -D. */
  flags: string[];
  target: CppConfig['target'];
}

/** Names C reserves for the implementation (C17 7.1.3): what a preamble defines to choose a C library's feature set. */
const reservedName = /^_[A-Z_]/;

/** Stamps are compared again after this long: a package upgrade shows without a restart. */
const recheckMs = 5000;

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * The system headers read for one engine (which owns it and disposes it with itself): shared
 * by every file and package it checks or shows.
 */
export class SystemHeaders {
  /** Per header and configuration; enough for the headers of the packages a user works on, the least recently used going first. */
  private readonly headers = new BoundedCache<string, HeaderEntry>({ maxWeight: 256 });
  /** Per list of headers and configuration, their declarations merged in include order. */
  private readonly merged = new BoundedCache<string, { scope: CScope; parts: CScope[] }>({ maxWeight: 64 });
  /** Headers being read a step at a time (readOne), by key: work in progress, each gone once read. */
  private readonly jobs = new Map<string, { reader: ReturnType<typeof unitByUnitScope>; read: string[] }>();
  /** Files looked at since filesReadAt, found or not: one read per file within recheckMs, then all forgotten. */
  private readonly files = new Map<string, string | undefined>();
  private filesReadAt = 0;
  /** The compiler's search list (trusted workspaces), else the standard directories. */
  private compilerDirs: string[] | undefined;

  constructor(
    private readonly predefined: PredefinedMacros,
    private readonly readText: ReadText = readTextFromDisk,
  ) {}

  /** The search list the C compiler printed; undefined goes back to the standard directories. */
  useCompilerSearchList(dirs: string[] | undefined): void {
    if (JSON.stringify(dirs) === JSON.stringify(this.compilerDirs)) return;
    this.compilerDirs = dirs;
    this.forget();
  }

  /** Headers and merged scopes kept. */
  get size(): number {
    return this.headers.size + this.merged.size;
  }

  /** Frees what was read: the engine is done with it. */
  dispose(): void {
    this.forget();
  }

  /** Forgets every header read (and being read); reading on asks again. */
  private forget(): void {
    this.headers.dispose();
    this.merged.dispose();
    this.files.clear();
    this.jobs.clear();
  }

  /**
   * The system search list for a package's flags: -isystem directories first and -idirafter
   * ones last (as gcc orders them), none of the standard ones with -nostdinc.
   */
  searchList(target: CppConfig['target'], packageFlags: string[], pkgDir: string): string[] {
    const before: string[] = [];
    const after: string[] = [];
    let standard = true;
    for (let i = 0; i < packageFlags.length; i++) {
      const flag = packageFlags[i];
      if ((flag === '-isystem' || flag === '-idirafter') && i + 1 < packageFlags.length) (flag === '-isystem' ? before : after).push(packageFlags[++i]);
      else if (flag.startsWith('-isystem') && flag.length > 8) before.push(flag.slice(8));
      else if (flag.startsWith('-idirafter') && flag.length > 10) after.push(flag.slice(10));
      else if (flag === '-nostdinc') standard = false;
    }
    const base = standard ? (this.compilerDirs ?? standardIncludeDirs(target)) : [];
    return [...new Set([...before, ...base, ...after].map((dir) => path.resolve(pkgDir, dir)))];
  }

  /** The configuration a file's system includes are read with. */
  configFor(project: CppConfig, pkgDir: string, macros: ReadonlyMap<string, Macro> | undefined): SystemConfig {
    const flags: string[] = [];
    for (let i = 0; i < project.flags.length; i++) {
      const flag = project.flags[i];
      if ((flag === '-D' || flag === '-U' || flag === '-x') && i + 1 < project.flags.length) flags.push(flag, project.flags[++i]);
      else if (/^-[DU]./.test(flag) || /^--?std=/.test(flag) || flag === '-ansi' || flag.startsWith('-x')) flags.push(flag);
    }
    for (const macro of macros?.values() ?? []) {
      if (macro.origin === 'source' && reservedName.test(macro.name) && !macro.params) flags.push(`-D${macro.name}=${macro.body ?? ''}`);
    }
    const dirs = this.searchList(project.target, project.flags, pkgDir);
    return { dirs, flags, target: project.target };
  }

  /**
   * The declarations of the system headers named (as written in `#include`), merged in order;
   * a header found in no system directory adds nothing.
   */
  scopeOf(names: string[], config: SystemConfig, parser: Parser): CScope;
  /** With `ifRead`, undefined unless every header named was read before and is unchanged: nothing is read now. */
  scopeOf(names: string[], config: SystemConfig, parser: Parser, ifRead: true): CScope | undefined;
  scopeOf(names: string[], config: SystemConfig, parser: Parser, ifRead = false): CScope | undefined {
    const configKey = JSON.stringify([config.dirs, config.flags, config.target.goos, config.target.goarch]);
    const unique = [...new Set(names)];
    const found = unique.map((name) => this.headerScope(name, config, configKey, parser, ifRead));
    if (found.includes('unread')) return undefined;
    const scopes = found.filter((scope): scope is CScope => scope !== undefined && scope !== 'unread');
    if (scopes.length === 1) return scopes[0];
    const key = JSON.stringify([configKey, unique]);
    const known = this.merged.peek(key);
    if (known && known.parts.length === scopes.length && known.parts.every((part, i) => part === scopes[i])) return known.scope;
    const scope = new CScope();
    for (const from of scopes) {
      for (const decl of from.names.values()) scope.add(decl);
      for (const tag of from.tags.values()) scope.addTag(tag);
    }
    this.merged.set(key, { scope, parts: scopes });
    return scope;
  }

  /**
   * One step of reading the first of the headers named that is not read yet (its
   * preprocessing, or one file's declarations); false when all are read. Small steps let
   * requests be answered in between.
   */
  readOne(names: string[], config: SystemConfig, parser: Parser): boolean {
    const configKey = JSON.stringify([config.dirs, config.flags, config.target.goos, config.target.goarch]);
    for (const name of new Set(names)) {
      if (this.headerScope(name, config, configKey, parser, true) !== 'unread') continue;
      this.advance(`${name}\0${configKey}`, name, config, parser);
      return true;
    }
    return false;
  }

  private headerScope(name: string, config: SystemConfig, configKey: string, parser: Parser, ifRead: boolean): CScope | undefined | 'unread' {
    const key = `${name}\0${configKey}`;
    const known = this.headers.peek(key);
    const now = Date.now();
    if (known) {
      if (now - known.checkedAt < recheckMs) return known.scope;
      // A header not found is looked for again (installed since?); a header read, its files' mtimes compared.
      const unchanged = known.scope ? known.stamps.every((s) => mtimeOf(s.file) === s.mtimeMs) : this.find(name, config.dirs, this.readText) === undefined;
      if (unchanged) {
        known.checkedAt = now;
        return known.scope;
      }
    }
    if (ifRead) return 'unread';
    while (!this.advance(key, name, config, parser));
    return this.headers.peek(key)?.scope;
  }

  /**
   * One step of reading a header: its preprocessing, or the declarations of one file it
   * reads; true when the header is read (its entry is in `headers`).
   */
  private advance(key: string, name: string, config: SystemConfig, parser: Parser): boolean {
    const now = Date.now();
    const job = this.jobs.get(key);
    if (job) {
      if (job.reader.step()) return false;
      this.jobs.delete(key);
      this.headers.set(key, { scope: job.reader.scope, stamps: job.read.map((f) => ({ file: f, mtimeMs: mtimeOf(f) })), checkedAt: now });
      return true;
    }
    // Each file once for a while: the include reader asks for a header when it looks for it
    // and when it reads it, in every directory of the search list, and headers share most of
    // what they include (<features.h>, <bits/types.h>).
    if (now - this.filesReadAt > recheckMs) {
      this.files.clear();
      this.filesReadAt = now;
    }
    const texts = new Map<string, string | undefined>();
    const recording: ReadText = (candidate) => {
      if (!this.files.has(candidate)) this.files.set(candidate, this.readText(candidate));
      const text = this.files.get(candidate);
      texts.set(candidate, text);
      return text;
    };
    const file = this.find(name, config.dirs, recording);
    const text = file === undefined ? undefined : recording(file);
    if (file === undefined || text === undefined) {
      this.headers.set(key, { scope: undefined, stamps: [], checkedAt: now });
      return true;
    }
    const view = preprocess([{ file, text }], { dirs: config.dirs, flags: config.flags, target: config.target, closedWorld: true }, recording, this.predefined);
    const fileView: FileView = { view, preambles: [], walk: { headers: [], system: [], unknown: view.incomplete } };
    const read = [...texts].filter(([, found]) => found !== undefined).map(([f]) => f);
    this.jobs.set(key, { reader: unitByUnitScope(fileView, parser), read });
    return false;
  }

  /** Where a system header is found in the search list; undefined when in none. */
  locate(name: string, config: SystemConfig): string | undefined {
    return this.find(name, config.dirs, this.readText);
  }

  private find(name: string, dirs: string[], readText: ReadText): string | undefined {
    if (path.isAbsolute(name)) return name;
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (readText(candidate) !== undefined) return candidate;
    }
    return undefined;
  }
}
