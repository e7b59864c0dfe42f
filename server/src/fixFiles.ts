// Writing the fixes of cgo-lint --fix to disk: only regular files inside the paths the user
// gave (never through a symbolic link that leads out of them), each file replaced atomically
// (a temporary file in the same directory, then a rename, keeping the file's mode), and all
// files of one fix or none. A file a fix creates is linked into place, so it never overwrites
// one that appeared meanwhile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maxSourceBytes, readRegularFile } from './cgo/files';
import type { Fix } from './cgo/findings';
import type { FileWrite } from './cgo/fixLoop';

/** A write that failed; its message is one line naming the file. */
export class FixWriteError extends Error {}

export class FixFiles {
  /** Real paths of the directories given, and of the files given. */
  private readonly dirRoots: string[] = [];
  private readonly fileRoots = new Set<string>();
  private temporaries = 0;

  /**
   * @param given the paths given on the command line (they exist: collectJobs checked)
   * @param editable the .go files the user gave: those of the directories walked, or the file named
   * @param shown how a path is shown to the user
   */
  constructor(
    given: readonly string[],
    private readonly editable: ReadonlySet<string>,
    private readonly shown: (file: string) => string,
  ) {
    for (const root of given) {
      const real = fs.realpathSync(root);
      if (fs.statSync(real).isDirectory()) this.dirRoots.push(real);
      else this.fileRoots.add(real);
    }
  }

  /** Why the fix may not be written, or undefined when it may. */
  refusal(fix: Fix): string | undefined {
    const created = new Set(fix.newFiles ?? []);
    const others = [...new Set(fix.edits.map((edit) => edit.file))].filter((file) => !created.has(file) && !this.editable.has(file));
    if (others.length > 0) {
      return `it also edits ${others.map(this.shown).join(' and ')}, which ${others.length > 1 ? 'were' : 'was'} not given; give the package directory to apply it`;
    }
    for (const file of new Set(fix.edits.map((edit) => edit.file))) {
      const problem = created.has(file) ? this.creationProblem(file) : this.replacementProblem(file);
      if (problem) return problem;
    }
    return undefined;
  }

  private inside(real: string): boolean {
    return this.fileRoots.has(real) || this.dirRoots.some((dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
  }

  private replacementProblem(file: string): string | undefined {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch (error) {
      return `${this.shown(file)} cannot be resolved (${oneLine(error)})`;
    }
    if (!this.inside(real)) return `${this.shown(file)} is a symbolic link to ${real}, outside the paths given`;
    try {
      if (!fs.statSync(real).isFile()) return `${this.shown(file)} is not a regular file`;
    } catch (error) {
      return `${this.shown(file)} cannot be read (${oneLine(error)})`;
    }
    return undefined;
  }

  private creationProblem(file: string): string | undefined {
    if (exists(file)) return `it would create ${this.shown(file)}, which exists`;
    let realDir: string;
    try {
      realDir = fs.realpathSync(path.dirname(file));
    } catch (error) {
      return `the directory of ${this.shown(file)} cannot be resolved (${oneLine(error)})`;
    }
    const besideGivenFile = [...this.fileRoots].some((given) => path.dirname(given) === realDir);
    if (!besideGivenFile && !this.inside(realDir)) return `it would create ${this.shown(file)} outside the paths given`;
    return undefined;
  }

  /**
   * Writes every file of one fix, or none: each text goes to a temporary file beside its
   * target first; only when all are written are they renamed (or, for a new file, linked)
   * into place. A later step failing undoes the earlier ones. Throws FixWriteError.
   */
  write(writes: readonly FileWrite[]): void {
    const staged: { write: FileWrite; real: string; temporary: string; previous: string | undefined }[] = [];
    let current = writes[0];
    try {
      for (const write of writes) {
        current = write;
        const real = write.create ? path.join(fs.realpathSync(path.dirname(write.file)), path.basename(write.file)) : fs.realpathSync(write.file);
        const previous = write.create ? undefined : readPrevious(real);
        const temporary = path.join(path.dirname(real), `.${path.basename(real)}.cgo-lint-${process.pid}-${this.temporaries++}`);
        staged.push({ write, real, temporary, previous });
        writeNew(temporary, write.text, write.create ? undefined : fs.statSync(real).mode & 0o7777);
      }
    } catch (error) {
      for (const { temporary } of staged) removeQuietly(temporary);
      throw new FixWriteError(`${this.shown(current.file)}: cannot write the fix: ${oneLine(error)}`);
    }
    const done: (typeof staged)[number][] = [];
    for (const step of staged) {
      try {
        if (step.write.create) {
          fs.linkSync(step.temporary, step.real);
          fs.unlinkSync(step.temporary);
        } else fs.renameSync(step.temporary, step.real);
        done.push(step);
      } catch (error) {
        for (const { temporary } of staged.slice(staged.indexOf(step))) removeQuietly(temporary);
        const undone = done.every((earlier) => this.undo(earlier.real, earlier.previous));
        throw new FixWriteError(
          `${this.shown(step.write.file)}: cannot write the fix: ${oneLine(error)}` +
            (done.length === 0 ? '' : undone ? '; the files it had written are restored' : '; restoring the files it had written failed too'),
        );
      }
    }
  }

  private undo(real: string, previous: string | undefined): boolean {
    try {
      if (previous === undefined) fs.unlinkSync(real);
      else {
        const temporary = path.join(path.dirname(real), `.${path.basename(real)}.cgo-lint-${process.pid}-${this.temporaries++}`);
        writeNew(temporary, previous, fs.statSync(real).mode & 0o7777);
        fs.renameSync(temporary, real);
      }
      return true;
    } catch {
      return false;
    }
  }
}

/** Writes a file that must not exist yet, flushed to disk; `mode` set exactly (else the umask applies). */
function writeNew(file: string, text: string, mode: number | undefined): void {
  const fd = fs.openSync(file, 'wx', mode ?? 0o666);
  try {
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    const data = Buffer.from(text, 'utf8');
    for (let written = 0; written < data.length; ) written += fs.writeSync(fd, data, written);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    removeQuietly(file);
    throw error;
  }
  fs.closeSync(fd);
}

/** The text a replaced file had, to restore it should a later file of the fix fail. */
function readPrevious(file: string): string {
  const read = readRegularFile(file, maxSourceBytes);
  if (!read.ok) throw new Error(read.reason);
  return read.data.toString('utf8');
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Never written, or already gone.
  }
}

/** An error as one line: Node's message ("EACCES: permission denied, open '…'"), no stack. */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
