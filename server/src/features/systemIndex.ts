// The system headers an open file includes, read while the editor is idle: reading <stdio.h>
// and <stdlib.h> the first time takes a good part of a second on a slow machine (some seventy
// files, parsed by the C grammar), which the first completion after `C.` should not wait for.
// Only the headers open files include are read, one header at a time, a moment after the last
// open or edit; later requests find them in the engine's cache (cgo/systemHeaders.ts). No
// process is started: the headers are read from disk.
import { withView, type FeatureServices } from './documentView';

export class SystemHeaderIndexer {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly services: FeatureServices,
    private readonly idleMs = 500,
  ) {}

  /** A document was opened or edited: read its system headers once the editor is idle. */
  touched(uri: string): void {
    if (this.disposed) return;
    this.pending.add(uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.next(), this.idleMs);
  }

  closed(uri: string): void {
    this.pending.delete(uri);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.pending.clear();
  }

  /** One header per turn of the event loop, so that requests in between are answered. */
  private async next(): Promise<void> {
    const uri = this.pending.values().next().value as string | undefined;
    if (uri === undefined || this.disposed) return;
    const more = await withView(this.services, uri, (view) => view.readSystemHeader(view.file));
    if (!more) this.pending.delete(uri);
    if (this.pending.size > 0) this.timer = setTimeout(() => void this.next(), 0);
  }
}
