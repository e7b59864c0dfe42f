// Whether a process still runs: a zombie (ended, not yet reaped by whoever inherited it) counts as gone.
import * as fs from 'node:fs';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the command name in parentheses: "1234 (sleep) S ...".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Resolves once none of the processes runs; rejects naming those still running after `ms`. */
export async function waitUntilGone(pids: number[], ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = pids.filter(alive);
    if (running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still running after ${ms} ms: ${running.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
