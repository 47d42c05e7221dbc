import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU (share of one core) and memory of a process, read from /proc between two moments. */
export class ProcessProbe {
  #ticks: number;
  #at: number;

  constructor(private readonly pid: number) {
    this.#ticks = this.ticks();
    this.#at = Date.now();
  }

  private ticks(): number {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  }

  /** Resident memory in bytes. */
  rss(): number {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0) * 1024;
  }

  /** CPU used since the last call (or since creation), as a share of one core (1 = one core busy). */
  cpu(): number {
    const [ticks, at] = [this.ticks(), Date.now()];
    const share = (ticks - this.#ticks) / TICKS_PER_SECOND / Math.max(0.001, (at - this.#at) / 1000);
    [this.#ticks, this.#at] = [ticks, at];
    return share;
  }
}
