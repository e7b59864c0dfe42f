// Reading Go sources from disk: the .go files of a package directory, and the package
// directories below a path, walked like the go command's ./... pattern.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Larger files are skipped: no hand-written Go file is this big, and parsing it would stall. */
export const maxSourceBytes = 5 * 1024 * 1024;

/** Whether a Go text may import "C" at all: cmd/cgo takes only the literal path (either quoting). */
export function mayImportC(text: string): boolean {
  return text.includes('"C"') || text.includes('`C`');
}

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Where files are read: one buffer for all, as a source file fits in it. Reading a tree of
 * thousands of small files is then an open, a read and a close each, with no allocation
 * (readFileSync adds an fstat and a buffer per file, and takes half again as long).
 */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

export function readGoSource(file: string): ReadResult {
  let data: Buffer;
  try {
    data = readWhole(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EFBIG') return { ok: false, reason: `larger than ${maxSourceBytes / 1024 / 1024} MiB, skipped` };
    return { ok: false, reason: code === 'ENOENT' ? 'no such file' : String((error as Error).message) };
  }
  if (data.includes(0)) return { ok: false, reason: 'binary file (NUL byte), skipped' };
  return { ok: true, text: data.toString('utf8') };
}

/** The file's bytes, in readBuffer when they fit (valid until the next read); EFBIG past maxSourceBytes. */
function readWhole(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const length = fs.readSync(fd, readBuffer, 0, readBuffer.length, 0);
    if (length < readBuffer.length) return readBuffer.subarray(0, length);
    const size = fs.fstatSync(fd).size;
    if (size > maxSourceBytes) throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
    const whole = Buffer.allocUnsafe(size);
    readBuffer.copy(whole, 0, 0, length);
    let filled = length;
    while (filled < size) {
      const read = fs.readSync(fd, whole, filled, size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return whole.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

/** The .go files directly in a directory, sorted as the go command lists them. */
export function goFilesIn(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return goFileNames(dir, entries);
}

function goFileNames(dir: string, entries: fs.Dirent[]): string[] {
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

/** Every directory below (and including) root that holds .go files, with their names (as goFilesIn). */
export function packageDirsBelow(root: string): { dir: string; goFiles: string[] }[] {
  const result: { dir: string; goFiles: string[] }[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const goFiles = goFileNames(dir, entries);
    if (goFiles.length > 0) result.push({ dir, goFiles });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory() && !skippedDirectory(entry.name)) visit(path.join(dir, entry.name));
    }
  };
  visit(root);
  return result;
}
