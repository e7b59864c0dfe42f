// The local go command's answer (GOVERSION, CC and the cgo flags), asked once per server in the
// background and only in a trusted workspace: starting `go` runs a program of the machine's.
// GOVERSION only refines which Go release the checks answer for (until it comes, go.mod
// decides); the C compiler side waits for the same answer instead of asking again.
import { askGoEnv, type GoEnvAnswer, type LocalGo } from './cgo/goversion';
import type { ChildProcesses, ProcessRun } from './cgo/processes';

export class GoEnvironment {
  private answer: GoEnvAnswer | undefined;
  private asking: Promise<void> | undefined;
  private asked = false;

  constructor(
    private readonly mayRun: () => boolean,
    private readonly processes: ChildProcesses,
    private readonly onRun: (run: ProcessRun) => void,
  ) {}

  /** The last answer's Go; undefined before it came, without a go command, or untrusted. */
  current(): LocalGo | undefined {
    return this.mayRun() ? this.answer?.local : undefined;
  }

  /** The answer, once asked (asking now if nobody has yet); undefined without a go command or untrusted. */
  async settled(): Promise<GoEnvAnswer | undefined> {
    if (!this.mayRun()) return undefined;
    if (!this.asked) await this.refresh();
    else await this.asking;
    return this.answer;
  }

  /** Asks (again); resolves true when the Go release changed. Never rejects. */
  async refresh(): Promise<boolean> {
    if (!this.mayRun()) return false;
    const before = JSON.stringify(this.answer?.local);
    this.asked = true;
    this.asking ??= askGoEnv(this.processes, process.env, this.onRun)
      .then((answer) => void (this.answer = answer))
      .finally(() => (this.asking = undefined));
    await this.asking;
    return JSON.stringify(this.answer?.local) !== before;
  }
}
