// The scenarios of `npm run bench`, each writing its report; `all` runs them and scores issue 5's targets.
import { bareEmits, type Target, webhooks } from './driver.js';
import { credentials, gatewaysFor, number, values } from './options.js';
import { replies as replyBurst } from './replies.js';
import { type Row, writeReport } from './report.js';
import { measure, ourTier, rampUp, receiversFor } from './runs.js';
import { scoreTargets } from './targets.js';
import { type BenchTier, startBareTier } from './tier.js';
import { mb, type TierProbes, withTier } from './tier-probes.js';

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
        // The first seconds after start, and the rest: a cold start's tail apart from the steady state's.
        cold_p99_ms: row.cold_p99_ms ?? 0,
        cold_p99_vs_lower_bound: ratio('cold_p99_ms'),
        warm_p99_ms: row.warm_p99_ms ?? 0,
        warm_p99_vs_lower_bound: ratio('warm_p99_ms'),
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

/** A burst of replies to the fake WhatsApp: the pacing per number and per customer, and the time to drain. */
async function replies(): Promise<Row> {
  const summary = await replyBurst();
  writeReport('replies', summary, {});
  return summary;
}

export const SCENARIOS: Record<string, () => Promise<Row>> = { realistic, fanout, ingest, idle, compare, replies };

/** Every scenario in turn, then summary.md: each target of issue 5, met or off by how much. */
export async function all(): Promise<Row> {
  const summaries: Record<string, Row> = {};
  for (const [name, run] of Object.entries(SCENARIOS)) summaries[name] = await run();
  const targets = scoreTargets(summaries);
  writeReport('summary', { scenarios: Object.keys(summaries).join(', ') }, { targets });
  return { targets: targets.length };
}
