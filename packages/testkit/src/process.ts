import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A process of ours, started as a user starts it, its JSON log lines collected. */
export class AppProcess {
  readonly logs: LogLine[] = [];
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();

  constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  private onLine(text: string): void {
    this.output.push(text);
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    this.logs.push(line);
    for (const waiter of this.waiters) {
      if (waiter.match(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }

  /**
   * The first log line that matches, among those from index `from` on (0: every line so far, and future
   * ones); rejects if the process exits or time runs out.
   */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 15_000, from = 0): Promise<LogLine> {
    const seen = this.logs.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve };
      const fail = (why: string) => {
        this.waiters.delete(waiter);
        reject(new Error(`${why} while waiting for a log line; output:\n${this.output.slice(-30).join('\n')}`));
      };
      const timer = setTimeout(() => fail(`no match in ${timeoutMs} ms`), timeoutMs);
      this.waiters.add({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        fail(`exited with ${code}`);
      });
    });
  }

  /** Sends `signal` and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export interface StartOptions {
  /**
   * A process group of its own, so a terminal's Ctrl-C (sent to the whole foreground group) reaches only the
   * parent, which then stops it once, in order, rather than it getting the signal twice.
   */
  ownProcessGroup?: boolean;
}

/** `nodeFlags` go to node itself (`--cpu-prof`, which NODE_OPTIONS refuses), `args` to the script. */
export function startNode(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
  nodeFlags: readonly string[] = [],
  options: StartOptions = {},
): AppProcess {
  const child = spawn(process.execPath, [...nodeFlags, fileURLToPath(new URL(script, `file://${repoRoot}`)), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup === true,
  });
  return new AppProcess(child);
}
