/**
 * `npm run bench -- --scenario realistic|fanout|ingest|idle|compare|all [--clients N] [--rate R]
 * [--seconds T] [--gateways G] [--workers W] [--concurrency C] [--threads N] [--profile] [--urls U1,U2]`:
 * starts the tier from the built apps (or, for compare, bare Socket.IO nodes too) or targets running
 * URLs, opens light clients in N receiver threads, drives signed webhooks, and writes
 * bench/results/<scenario>.json and .md. It stops by itself.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Credentials, TEST_CREDENTIALS, targetCredentials } from './credentials.js';
import { bareEmits, type Target, webhooks } from './driver.js';
import { ProcessProbe } from './process-probe.js';
import { summarizeProfiles } from './profile-summary.js';
import { LocalReceivers, type Receivers, ThreadReceivers } from './receivers.js';
import { type Row, resultsDir, writeReport } from './report.js';
import { driveAndSettle, type StepResult } from './step.js';
import { scoreTargets } from './targets.js';
import { type BenchTier, remoteTier, startBareTier, startTier } from './tier.js';

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
    profile: { type: 'boolean', default: false },
    urls: { type: 'string' },
  },
});
const scenario = values.scenario ?? 'realistic';
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
/**
 * `--urls`: a running tier, signed for with its own secrets (see credentials.ts), its stored messages
 * counted when DATABASE_URL reaches its database; else one started here.
 */
const targetUrls = values.urls?.split(',').filter(Boolean);
const credentials: Credentials = targetUrls === undefined ? TEST_CREDENTIALS : targetCredentials(process.env);
/** Gateways a scenario runs on: those at `--urls`, `--gateways`, or 1 to measure idle memory and 2 otherwise. */
const gatewaysFor = (name: string) => targetUrls?.length ?? number(values.gateways, name === 'idle' ? 1 : 2);
const workerEnv: Record<string, string> =
  values.concurrency === undefined ? {} : { WORKER_CONCURRENCY: values.concurrency };

// The load generator's own health: if its event loop lags, its latencies include that lag.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const generator = new ProcessProbe(process.pid);

/** CPU, memory and event-loop lag of a tier's processes and of the load generator, between two reads. */
class TierProbes {
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

  /** A gauge from each gateway's /metrics. */
  async metric(name: string): Promise<number[]> {
    const pattern = new RegExp(`^${name} (\\S+)$`, 'm');
    return Promise.all(
      this.urls.map(async (url) => Number(pattern.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0)),
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

/** The dashboards: in this thread, or over `--threads` worker threads (2 by default past 5,000 clients). */
function receiversFor(clients: number, maxMessages: number): Receivers {
  const threads = number(values.threads, clients > 5000 ? 2 : 0);
  return threads > 0
    ? new ThreadReceivers(threads, maxMessages, credentials.jwtSecret)
    : new LocalReceivers(maxMessages, credentials.jwtSecret);
}

/** With `--profile`, which process each profile is, by pid. */
const roles = new Map<number, string>();

async function withTier<T>(tier: BenchTier, use: (probes: TierProbes) => Promise<T>): Promise<T> {
  for (const [i, pid] of tier.gatewayPids.entries()) roles.set(pid, `gateway ${i + 1} of ${tier.gatewayPids.length}`);
  for (const [i, pid] of tier.workerPids.entries()) roles.set(pid, `worker ${i + 1}`);
  try {
    return await use(new TierProbes(tier));
  } finally {
    await tier.stop();
  }
}

/** This tier: the running one at `--urls`, or `gateways` and `--workers` started here. */
const ourTier = (gateways: number, workers = number(values.workers, 1)) =>
  targetUrls === undefined ? startTier(gateways, workers, workerEnv) : remoteTier(targetUrls, process.env.DATABASE_URL);

/**
 * Raises the rate step by step (`--rate` gives a single step) until `over` says the tier can no longer keep
 * up; the best is the last step that kept up.
 */
async function rampUp(
  probes: TierProbes,
  defaultRates: number[],
  clients: number,
  seconds: number,
  over: (step: StepResult) => boolean,
) {
  const rates = values.rate === undefined ? defaultRates : [Number(values.rate)];
  const population = receiversFor(clients, rates.reduce((sum, rate) => sum + rate * seconds, 0) + 10);
  const connects = await population.connect(probes.urls, clients);
  const steps: Row[] = [];
  let first = 0;
  let best: StepResult | undefined;
  const results: StepResult[] = [];
  for (const rate of rates) {
    probes.resources();
    const step = await driveAndSettle(
      population,
      probes.urls,
      webhooks(credentials),
      first,
      rate,
      seconds,
      probes.tier.db,
    );
    steps.push(await probes.step(step));
    results.push(step);
    first += rate * seconds;
    if (over(step)) break;
    best = step;
  }
  await population.close();
  return { connects, steps, best, results };
}

/** One load, one rate, on a tier: connects, drives, and tallies. */
async function measure(
  probes: TierProbes,
  target: Target,
  clients: number,
  rate: number,
  seconds: number,
): Promise<Row> {
  const population = receiversFor(clients, rate * seconds + 10);
  try {
    const connects = await population.connect(probes.urls, clients);
    probes.resources();
    const step = await driveAndSettle(population, probes.urls, target, 0, rate, seconds, probes.tier.db);
    return { connects_per_s: Math.round(connects), ...(await probes.step(step)) };
  } finally {
    await population.close();
  }
}

const VARIANTS: { name: string; start: () => Promise<BenchTier>; target: Target }[] = [
  { name: 'Socket.IO alone, 1 node, no Redis (lower bound)', start: () => startBareTier(1, false), target: bareEmits },
  { name: 'Socket.IO alone, 2 nodes, Redis adapter', start: () => startBareTier(2, true), target: bareEmits },
  { name: 'this tier, 1 gateway', start: () => ourTier(1, 1), target: webhooks(credentials) },
  { name: 'this tier, 2 gateways', start: () => ourTier(2, 1), target: webhooks(credentials) },
];

/**
 * Every variant under the same loads, one after the other in this run. Bare nodes emit each update as it
 * is posted; this tier takes a signed webhook, queues it, stores it and then broadcasts it.
 */
async function compare(): Promise<Row> {
  const loads = values.clients
    ? [{ clients: Number(values.clients), rate: number(values.rate, 50) }]
    : [
        { clients: 1000, rate: 50 },
        { clients: 10_000, rate: 16 },
      ];
  const seconds = number(values.seconds, 15);
  const rows: Row[] = [];
  for (const { clients, rate } of loads) {
    let bound: Row | undefined;
    for (const variant of VARIANTS) {
      const row = await withTier(await variant.start(), (probes) =>
        measure(probes, variant.target, clients, rate, seconds),
      );
      bound ??= row;
      const ratio = (column: string) => (Number(row[column]) / Math.max(0.001, Number(bound?.[column]))).toFixed(2);
      const cpuPerDelivery = (r: Row) => Number(r.gateway_cpu_total) / Math.max(1, Number(r.deliveries_per_s));
      rows.push({
        clients,
        rate,
        variant: variant.name,
        p50_ms: row.p50_ms ?? 0,
        p99_ms: row.p99_ms ?? 0,
        p99_vs_lower_bound: ratio('p99_ms'),
        deliveries_per_s: row.deliveries_per_s ?? 0,
        lost: row.lost ?? 0,
        duplicated: row.duplicated ?? 0,
        webhook_p50_ms: row.webhook_p50_ms ?? 0,
        gateway_cpu: row.gateway_cpu ?? '',
        worker_cpu: row.worker_cpu ?? '',
        gateway_cpu_per_delivery_vs_lower_bound: (cpuPerDelivery(row) / Math.max(1e-9, cpuPerDelivery(bound))).toFixed(
          2,
        ),
        generator_cpu: row.generator_cpu ?? '',
        gateway_rss_mb: row.gateway_rss_mb ?? '',
      });
    }
  }
  const summary = { seconds, variants: VARIANTS.length };
  writeReport('compare', summary, { variants: rows });
  return summary;
}

async function realistic(): Promise<Row> {
  const [clients, rate, seconds] = [number(values.clients, 1000), number(values.rate, 50), number(values.seconds, 30)];
  const gateways = gatewaysFor('realistic');
  const row = await withTier(await ourTier(gateways), (probes) =>
    measure(probes, webhooks(credentials), clients, rate, seconds),
  );
  const summary = { clients, gateways, rate, seconds, ...row };
  writeReport('realistic', summary, {});
  return summary;
}

async function fanout(): Promise<Row> {
  const clients = number(values.clients, 10_000);
  const gateways = gatewaysFor('fanout');
  const { connects, steps, best, results } = await withTier(await ourTier(gateways), (probes) =>
    rampUp(probes, [4, 8, 16, 24, 32, 40, 48, 64], clients, number(values.seconds, 10), (step) => {
      return step.p99_ms > 250 || step.lost > 0;
    }),
  );
  const within100ms = results.filter((step) => step.p99_ms <= 100 && step.lost === 0);
  const summary = {
    clients,
    gateways,
    connects_per_s: Math.round(connects),
    best_sustained_deliveries_per_s: best?.deliveries_per_s ?? 0,
    best_p99_ms: best?.p99_ms ?? 0,
    best_at_100ms_deliveries_per_s: Math.max(0, ...within100ms.map((step) => step.deliveries_per_s)),
  };
  writeReport('fanout', summary, { steps });
  return summary;
}

async function ingest(): Promise<Row> {
  const clients = number(values.clients, 40);
  const workers = number(values.workers, 1);
  const gateways = gatewaysFor('ingest');
  const { steps, best } = await withTier(await ourTier(gateways, workers), (probes) =>
    rampUp(
      probes,
      [250, 500, 750, 1000, 1250, 1500, 2000],
      clients,
      number(values.seconds, 8),
      // Behind: the worker needed more than a second past the sending to catch up, or lost anything.
      (step) => step.drain_s > 1 || step.lost > 0,
    ),
  );
  const summary = {
    clients,
    gateways,
    workers,
    best_persisted_per_s: best?.persisted_per_s ?? 0,
    best_broadcast_per_s: best?.messages_broadcast_per_s ?? 0,
  };
  writeReport('ingest', summary, { steps });
  return summary;
}

const sum = (numbers: number[]) => numbers.reduce((total, n) => total + n, 0);

/**
 * Connects `clients` idle dashboards to a tier and reads its nodes' memory before and after (once the
 * connection burst's garbage has had time to go): RSS, and the JavaScript heap where the nodes report it.
 */
async function idleMemory(probes: TierProbes, clients: number) {
  const heapUsed = async () =>
    probes.tier.kind === 'bare' ? 0 : sum(await probes.metric('nodejs_heap_size_used_bytes'));
  const [before, heapBefore] = [sum(probes.gateways.map((probe) => probe.rss())), await heapUsed()];
  const population = receiversFor(clients, 1);
  const connects = await population.connect(probes.urls, clients);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const [after, heapAfter] = [sum(probes.gateways.map((probe) => probe.rss())), await heapUsed()];
  await population.close();
  const kbEach = (bytes: number) => Math.round((bytes / clients / 1024) * 10) / 10;
  return { connects, before, after, kb: kbEach(after - before), heapKb: kbEach(heapAfter - heapBefore) };
}

async function idle(): Promise<Row> {
  const clients = number(values.clients, 10_000);
  const gateways = gatewaysFor('idle');
  const ours = await withTier(await ourTier(gateways, 0), (probes) => idleMemory(probes, clients));
  const bare = await withTier(await startBareTier(gateways, false), (probes) => idleMemory(probes, clients));
  const summary = {
    clients,
    gateways,
    connects_per_s: Math.round(ours.connects),
    gateway_rss_before_mb: mb(ours.before),
    gateway_rss_after_mb: mb(ours.after),
    kb_per_connection: ours.kb,
    // The JavaScript heap's share: RSS also holds sockets' native state and the heap's unused room.
    heap_kb_per_connection: ours.heapKb,
    // The same connections on Socket.IO alone (bare-node.ts), in this run: the lower bound.
    bare_socket_io_kb_per_connection: bare.kb,
    vs_bare: (ours.kb / Math.max(0.1, bare.kb)).toFixed(2),
  };
  writeReport('idle', summary, {});
  return summary;
}

const SCENARIOS: Record<string, () => Promise<Row>> = { realistic, fanout, ingest, idle, compare };

/** Every scenario in turn, then bench/results/summary.md: each target of issue 5, met or off by how much. */
async function all(): Promise<Row> {
  const summaries: Record<string, Row> = {};
  for (const [name, run] of Object.entries(SCENARIOS)) summaries[name] = await run();
  const targets = scoreTargets(summaries);
  writeReport('summary', { scenarios: Object.keys(summaries).join(', ') }, { targets });
  return { targets: targets.length };
}

const run = scenario === 'all' ? all : SCENARIOS[scenario];
if (run === undefined) throw new Error(`unknown scenario ${scenario}: all, ${Object.keys(SCENARIOS).join(', ')}`);
if (targetUrls !== undefined && !['realistic', 'fanout', 'ingest'].includes(scenario)) {
  throw new Error(`--urls: ${scenario} needs processes it starts itself; realistic, fanout and ingest can target URLs`);
}
// `--profile`: the apps run under `node --cpu-prof`; their profiles are summed up in <scenario>-profile.md.
const profiles = `${resultsDir}/profiles/${scenario}`;
if (values.profile) {
  rmSync(profiles, { recursive: true, force: true });
  mkdirSync(profiles, { recursive: true });
  process.env.BENCH_NODE_FLAGS = `${process.env.BENCH_NODE_FLAGS ?? ''} --cpu-prof --cpu-prof-dir=${profiles}`;
}
await run();
if (values.profile) {
  writeReport(
    `${scenario}-profile`,
    { profiles: `bench/results/profiles/${scenario}` },
    { 'self time': summarizeProfiles(profiles, roles) },
  );
}
process.exit(0);
