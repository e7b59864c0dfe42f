// Reading Go sources from disk: the .go files of a package directory, and the package
// directories below a path, walked like the go command's ./... pattern.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Larger files are skipped: no hand-written Go file is this big, and parsing it would stall. */
export const maxSourceBytes = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

export function readGoSource(file: string): ReadResult {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message) };
  }
  if (data.length > maxSourceBytes) return { ok: false, reason: `larger than ${maxSourceBytes / 1024 / 1024} MiB, skipped` };
  if (data.includes(0)) return { ok: false, reason: 'binary file (NUL byte), skipped' };
  return { ok: true, text: data.toString('utf8') };
}

/** The .go files directly in a directory, sorted as the go command lists them. */
export function goFilesIn(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    // Only a symbolic link can hide a directory behind a .go name.
    .filter((e) => e.name.endsWith('.go') && (e.isFile() || (e.isSymbolicLink() && !isDirectory(path.join(dir, e.name)))))
    .map((e) => e.name)
    .sort();
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Directories the ./... pattern skips. */
export function skippedDirectory(name: string): boolean {
  return name === 'testdata' || name === 'vendor' || name === 'node_modules' || name.startsWith('.') || name.startsWith('_');
}

/** Every directory below (and including) root that holds .go files. */
export function packageDirsBelow(root: string): string[] {
  const result: string[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) result.push(dir);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && !skippedDirectory(entry.name)) visit(path.join(dir, entry.name));
    }
  };
  visit(root);
  return result;
}
