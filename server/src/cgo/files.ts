// Reading sources from disk: the .go files of a package directory, the package directories
// below a path (walked like the go command's ./... pattern), and the C files beside them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importsEndWithin } from './goimports';

/** Larger files are skipped: no hand-written Go file is this big, and parsing it would stall. */
export const maxSourceBytes = 5 * 1024 * 1024;

/** Whether a Go text may import "C" at all: cmd/cgo takes only the literal path (either quoting). */
export function mayImportC(text: string): boolean {
  return text.includes('"C"') || text.includes('`C`');
}

/**
 * A failed read says why; `skipped` when the file was read and is no Go source (binary, too
 * large), unlike a file that cannot be read at all (missing, no permission, not a regular file).
 */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: string; skipped?: true };

/**
 * Where files are read: one buffer for all, as a source file fits in it. Reading a tree of
 * thousands of small files is then an open, an fstat, a read and a close each, with no
 * allocation (readFileSync adds a buffer per file, and takes half again as long).
 */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

export function readGoSource(file: string): ReadResult {
  const read = readRegularFile(file, maxSourceBytes);
  if (!read.ok) return read;
  if (read.data.includes(0)) return { ok: false, reason: 'binary file (NUL byte), skipped', skipped: true };
  return { ok: true, text: read.data.toString('utf8') };
}

export type BytesResult = { ok: true; data: Buffer } | { ok: false; reason: string; skipped?: true };

/**
 * The bytes of a regular file, at most maxBytes of them, whatever size the file reports:
 * procfs says 0 for /proc/self/pagemap, which reads on for gigabytes. A FIFO, a device, a
 * socket or a directory (directly or through symbolic links) is refused without reading:
 * it is opened without waiting for a writer and its descriptor's fstat decides. The data
 * lives in a shared buffer when it fits: valid until the next read.
 */
export function readRegularFile(file: string, maxBytes: number): BytesResult {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: openFailure(error as NodeJS.ErrnoException) };
  }
  const tooLarge = { ok: false, reason: `larger than ${formatBytes(maxBytes)}, skipped`, skipped: true } as const;
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${fileKind(stat)}), skipped` };
    if (stat.size > maxBytes) return tooLarge;
    let buffer = readBuffer;
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) return tooLarge;
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 4, maxBytes + 1));
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      // From the current position: not every procfs file reads at an offset.
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    if (filled > maxBytes) return tooLarge;
    return { ok: true, data: buffer.subarray(0, filled) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    fs.closeSync(fd);
  }
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'ELOOP':
      return 'too many levels of symbolic links, skipped';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error.message;
  }
}

function fileKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
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
    // As go/build lists them: everything but directories (a symbolic link can hide one). A
    // FIFO or a device stays listed, so that reading it says why it is skipped.
    .filter((e) => e.name.endsWith('.go') && !e.isDirectory() && !(e.isSymbolicLink() && isDirectory(path.join(dir, e.name))))
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

/** One directory as the ./... walk sees it: its .go files (as goFilesIn) and the directories it descends into, sorted. */
export function walkStep(dir: string): { goFiles: string[]; subdirs: string[] } {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return { goFiles: [], subdirs: [] };
  }
  const subdirs = entries
    .filter((entry) => entry.isDirectory() && !skippedDirectory(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(dir, name));
  return { goFiles: goFileNames(dir, entries), subdirs };
}

/** Every directory below (and including) root that holds .go files, with their names (as goFilesIn). */
export function packageDirsBelow(root: string): { dir: string; goFiles: string[] }[] {
  const result: { dir: string; goFiles: string[] }[] = [];
  const visit = (dir: string): void => {
    const { goFiles, subdirs } = walkStep(dir);
    if (goFiles.length > 0) result.push({ dir, goFiles });
    for (const subdir of subdirs) visit(subdir);
  };
  visit(root);
  return result;
}

/** How much of a file fileMayImportC reads at a time: the head of most files, preamble included. */
const headChunkBytes = 16 * 1024;

/**
 * Whether a .go file on disk may import "C", reading no further than its imports: a head that
 * shows them end without "C" (importsEndWithin) settles it. Unreadable and binary files do not.
 */
export function fileMayImportC(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return false;
    let filled = 0;
    for (;;) {
      const read = fs.readSync(fd, readBuffer, filled, Math.min(headChunkBytes, readBuffer.length - filled), null);
      filled += read;
      const head = readBuffer.subarray(0, filled);
      if (head.includes(0)) return false;
      const text = head.toString('utf8');
      if (mayImportC(text)) return true;
      if (read === 0 || importsEndWithin(text)) return false;
      // A preamble longer than the buffer: the whole file decides.
      if (filled === readBuffer.length) {
        const whole = readGoSource(file);
        return whole.ok && mayImportC(whole.text);
      }
    }
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

/** The non-Go source files of the package directory the go command compiles or that C code includes. */
export function cSourceFiles(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => /\.(c|cc|cpp|cxx|m|mm|s|S|sx|f|F|for|f90|swig|swigcxx|h|hh|hpp|hxx)$/.test(name))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}
