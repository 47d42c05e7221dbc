// What a scenario reads of the processes it runs: CPU, memory, event-loop lag; and which process is which.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { credentials } from './options.js';
import { ProcessProbe } from './process-probe.js';
import type { Row } from './report.js';
import type { StepResult } from './step.js';
import type { BenchTier } from './tier.js';

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

// The load generator's own health: if its event loop lags, its latencies include that lag.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const generator = new ProcessProbe(process.pid);

/** CPU, memory and event-loop lag of a tier's processes and of the load generator, between two reads. */
export class TierProbes {
  readonly urls: string[];
  readonly gateways: ProcessProbe[];
  readonly #workers: ProcessProbe[];

  constructor(readonly tier: BenchTier) {
    this.urls = tier.urls;
    this.gateways = tier.gatewayPids.map((pid) => new ProcessProbe(pid));
    this.#workers = tier.workerPids.map((pid) => new ProcessProbe(pid));
  }

  /** Since the last call: restart the window before a measurement. */
  resources(): Row {
    const gatewayCpu = this.gateways.map((probe) => probe.cpu());
    return {
      generator_cpu: generator.cpu().toFixed(2),
      generator_loop_p99_ms: Math.round(loopDelay.percentile(99) / 1e6),
      gateway_cpu: gatewayCpu.map((cpu) => cpu.toFixed(2)).join(' + ') || '-',
      gateway_cpu_total: gatewayCpu.reduce((sum, cpu) => sum + cpu, 0).toFixed(2),
      worker_cpu: this.#workers.map((probe) => probe.cpu().toFixed(2)).join(' + ') || '-',
      gateway_rss_mb: this.gateways.map((probe) => mb(probe.rss())).join(' + ') || '-',
      worker_rss_mb: this.#workers.map((probe) => mb(probe.rss())).join(' + ') || '-',
      ...(loopDelay.reset() ?? {}),
    };
  }

  /** A gauge from each gateway's /metrics (0 without the tier's METRICS_TOKEN). */
  async metric(name: string): Promise<number[]> {
    const pattern = new RegExp(`^${name} (\\S+)$`, 'm');
    const headers = { authorization: `Bearer ${credentials.metricsToken ?? ''}` };
    return Promise.all(
      this.urls.map(async (url) =>
        Number(pattern.exec(await (await fetch(`${url}/metrics`, { headers })).text())?.[1] ?? 0),
      ),
    );
  }

  /** Each gateway's event-loop lag p99 (ms) since it started (bare nodes have no /metrics). */
  async lag(): Promise<string> {
    if (this.tier.kind === 'bare') return '-';
    return (await this.metric('nodejs_eventloop_lag_p99_seconds')).map((s) => Math.round(s * 1000)).join(' + ');
  }

  async step(step: StepResult): Promise<Row> {
    return { ...step, ...this.resources(), gateway_loop_p99_ms: await this.lag() };
  }
}

/** With `--profile`, which process each profile is, by pid. */
export const roles = new Map<number, string>();

export async function withTier<T>(tier: BenchTier, use: (probes: TierProbes) => Promise<T>): Promise<T> {
  for (const [i, pid] of tier.gatewayPids.entries()) roles.set(pid, `gateway ${i + 1} of ${tier.gatewayPids.length}`);
  for (const [i, pid] of tier.workerPids.entries()) roles.set(pid, `worker ${i + 1}`);
  try {
    return await use(new TierProbes(tier));
  } finally {
    await tier.stop();
  }
}
