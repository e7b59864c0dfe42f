// The local go command's GOVERSION, asked in the background and only in a trusted workspace:
// starting `go` runs a program of the machine's, and the answer only refines which Go release
// the checks answer for (until it comes, go.mod decides).
import { execFile } from 'node:child_process';
import { goEnvCommand, localGoFromOutput, type LocalGo } from './cgo/goversion';

export class GoEnvironment {
  private answer: LocalGo | undefined;
  private asking: Promise<void> | undefined;

  constructor(
    private readonly mayRun: () => boolean,
    private readonly log: { info(message: string): void },
  ) {}

  /** The last answer; undefined before it came, without a go command, or untrusted. */
  current(): LocalGo | undefined {
    return this.mayRun() ? this.answer : undefined;
  }

  /** Asks (again); resolves true when the answer changed. Never rejects. */
  async refresh(): Promise<boolean> {
    if (!this.mayRun()) return false;
    const before = JSON.stringify(this.answer);
    this.asking ??= new Promise<void>((resolve) => {
      execFile(goEnvCommand.file, goEnvCommand.args, { env: goEnvCommand.env(process.env), timeout: 10_000 }, (error, stdout) => {
        this.answer = error ? undefined : localGoFromOutput(String(stdout), process.env);
        this.log.info(`started go env GOVERSION: ${this.answer ? this.answer.goVersion : `no answer (${error?.message ?? 'unexpected output'})`}`);
        resolve();
      });
    }).finally(() => (this.asking = undefined));
    await this.asking;
    return JSON.stringify(this.answer) !== before;
  }
}
