/**
 * `npm run bench -- --scenario realistic|fanout|ingest|idle [--clients N] [--rate R] [--seconds T]
 * [--gateways G] [--workers W] [--concurrency C] [--threads N]`: clients in N receiver threads, 2 for fanout: starts the tier from the built apps, opens light clients, drives signed
 * webhooks, and writes bench/results/<scenario>.json and .md. It stops by itself.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ProcessProbe } from './process-probe.js';
import { LocalReceivers, type Receivers, ThreadReceivers } from './receivers.js';
import { type Row, writeReport } from './report.js';
import { driveAndSettle, type StepResult } from './step.js';
import { startTier } from './tier.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'realistic' },
    clients: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    gateways: { type: 'string' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string' },
    threads: { type: 'string' },
  },
});
const scenario = values.scenario ?? 'realistic';
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const gatewayCount = number(values.gateways, scenario === 'idle' ? 1 : 2);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

const tier = await startTier(
  gatewayCount,
  scenario === 'idle' ? 0 : number(values.workers, 1),
  values.concurrency === undefined ? {} : { WORKER_CONCURRENCY: values.concurrency },
);
const urls = tier.gateways.map((node) => node.url);
const gatewayProbes = tier.gateways.map((node) => new ProcessProbe(node.process.child.pid ?? 0));
const workerProbes = tier.workers.map((worker) => new ProcessProbe(worker.child.pid ?? 0));
// The load generator's own health: if its event loop lags, its latencies include that lag.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const generator = new ProcessProbe(process.pid);
const resources = (): Row => ({
  generator_cpu: generator.cpu().toFixed(2),
  generator_loop_p99_ms: Math.round(loopDelay.percentile(99) / 1e6),
  gateway_cpu: gatewayProbes.map((probe) => probe.cpu().toFixed(2)).join(' + '),
  worker_cpu: workerProbes.map((probe) => probe.cpu().toFixed(2)).join(' + ') || '-',
  gateway_rss_mb: gatewayProbes.map((probe) => mb(probe.rss())).join(' + '),
  worker_rss_mb: workerProbes.map((probe) => mb(probe.rss())).join(' + ') || '-',
  ...(loopDelay.reset() ?? {}),
});
/** Each gateway's event-loop lag p99 (ms) since it started, from its /metrics. */
async function gatewayLag(): Promise<string> {
  const lags = await Promise.all(
    urls.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Math.round(Number(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text)?.[1] ?? 0) * 1000);
    }),
  );
  return lags.join(' + ');
}
/** The dashboards: in this thread, or over `--threads` worker threads (fan-out's default is 2). */
const receiversFor = (maxMessages: number): Receivers => {
  const threads = number(values.threads, scenario === 'fanout' ? 2 : 0);
  return threads > 0 ? new ThreadReceivers(threads, maxMessages) : new LocalReceivers(maxMessages);
};
const stepRow = async (step: StepResult): Promise<Row> => ({
  ...step,
  ...resources(),
  gateway_loop_p99_ms: await gatewayLag(),
});

/**
 * Raises the rate step by step (`--rate` gives a single step) until `over` says the tier can no longer keep
 * up; the best is the last step that kept up.
 */
async function rampUp(defaultRates: number[], clients: number, seconds: number, over: (step: StepResult) => boolean) {
  const rates = values.rate === undefined ? defaultRates : [Number(values.rate)];
  const population = receiversFor(rates.reduce((sum, rate) => sum + rate * seconds, 0) + 10);
  const connects = await population.connect(urls, clients);
  const steps: Row[] = [];
  let first = 0;
  let best: StepResult | undefined;
  for (const rate of rates) {
    resources();
    const step = await driveAndSettle(population, urls, first, rate, seconds, tier.db);
    steps.push(await stepRow(step));
    first += rate * seconds;
    if (over(step)) break;
    best = step;
  }
  await population.close();
  return { connects, steps, best };
}

try {
  switch (scenario) {
    case 'realistic': {
      const [clients, rate, seconds] = [
        number(values.clients, 1000),
        number(values.rate, 50),
        number(values.seconds, 30),
      ];
      const population = receiversFor(rate * seconds + 10);
      const connects = await population.connect(urls, clients);
      resources();
      const step = await driveAndSettle(population, urls, 0, rate, seconds, tier.db);
      writeReport(
        scenario,
        {
          clients,
          gateways: gatewayCount,
          rate,
          seconds,
          connects_per_s: Math.round(connects),
          ...(await stepRow(step)),
        },
        {},
      );
      await population.close();
      break;
    }
    case 'fanout': {
      const clients = number(values.clients, 10_000);
      const { connects, steps, best } = await rampUp(
        [8, 16, 24, 32, 40, 48, 64],
        clients,
        number(values.seconds, 10),
        (step) => step.p99_ms > 250 || step.lost > 0,
      );
      writeReport(
        scenario,
        {
          clients,
          gateways: gatewayCount,
          connects_per_s: Math.round(connects),
          best_sustained_deliveries_per_s: best?.deliveries_per_s ?? 0,
          best_p99_ms: best?.p99_ms ?? 0,
        },
        { steps },
      );
      break;
    }
    case 'ingest': {
      const clients = number(values.clients, 40);
      const { steps, best } = await rampUp(
        [250, 500, 750, 1000, 1250, 1500, 2000],
        clients,
        number(values.seconds, 8),
        // Behind: the worker needed more than a second past the sending to catch up, or lost anything.
        (step) => step.drain_s > 1 || step.lost > 0,
      );
      writeReport(
        scenario,
        {
          clients,
          gateways: gatewayCount,
          workers: tier.workers.length,
          best_persisted_per_s: best?.persisted_per_s ?? 0,
          best_broadcast_per_s: best?.messages_broadcast_per_s ?? 0,
        },
        { steps },
      );
      break;
    }
    case 'idle': {
      const clients = number(values.clients, 10_000);
      const before = gatewayProbes.reduce((sum, probe) => sum + probe.rss(), 0);
      const population = receiversFor(1);
      const connects = await population.connect(urls, clients);
      // Let the connection burst's garbage be collected before reading memory.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const after = gatewayProbes.reduce((sum, probe) => sum + probe.rss(), 0);
      writeReport(
        scenario,
        {
          clients,
          gateways: gatewayCount,
          connects_per_s: Math.round(connects),
          gateway_rss_before_mb: mb(before),
          gateway_rss_after_mb: mb(after),
          kb_per_connection: Math.round(((after - before) / clients / 1024) * 10) / 10,
        },
        {},
      );
      await population.close();
      break;
    }
    default:
      throw new Error(`unknown scenario ${scenario}: realistic, fanout, ingest or idle`);
  }
} finally {
  await tier.stop();
}
process.exit(0);
