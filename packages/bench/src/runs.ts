// The building blocks of the scenarios: dashboards, the tier under test, a ramp of rates, one measure.
import { type Target, webhooks } from './driver.js';
import { credentials, number, targetUrls, values, workerEnv } from './options.js';
import { LocalReceivers, type Receivers, ThreadReceivers } from './receivers.js';
import type { Row } from './report.js';
import { driveAndSettle, type StepResult } from './step.js';
import { remoteTier, startTier } from './tier.js';
import type { TierProbes } from './tier-probes.js';

/** The dashboards: in this thread, or over `--threads` worker threads (2 by default past 5,000 clients). */
export function receiversFor(clients: number, maxMessages: number): Receivers {
  const threads = number(values.threads, clients > 5000 ? 2 : 0);
  return threads > 0
    ? new ThreadReceivers(threads, maxMessages, credentials.jwtSecret)
    : new LocalReceivers(maxMessages, credentials.jwtSecret);
}

/** This tier: the running one at `--urls`, or `gateways` and `--workers` started here. */
export const ourTier = (gateways: number, workers = number(values.workers, 1)) =>
  targetUrls === undefined ? startTier(gateways, workers, workerEnv) : remoteTier(targetUrls, process.env.DATABASE_URL);

/**
 * Raises the rate step by step (`--rate` gives a single step) until `over` says the tier can no longer keep
 * up; the best is the last step that kept up.
 */
export async function rampUp(
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
export async function measure(
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
