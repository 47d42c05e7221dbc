import type pg from 'pg';
import { drive } from './driver.js';
import { Latencies } from './latency.js';
import type { Population } from './population.js';

export interface StepResult {
  rate: number;
  sent: number;
  webhook_failures: number;
  webhook_p50_ms: number;
  webhook_p99_ms: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  deliveries_per_s: number;
  messages_broadcast_per_s: number;
  persisted_per_s: number;
  drain_s: number;
  lost: number;
  duplicated: number;
}

const storedCount = async (db: pg.Client) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages')).rows[0]?.n ?? 0;

/**
 * Sends messages [first, first + rate × seconds) and waits (up to 20 s) until every client of each
 * message's room has it: end-to-end latency from the webhook POST to receipt, throughput, losses.
 */
export async function driveAndSettle(
  population: Population,
  urls: readonly string[],
  first: number,
  rate: number,
  seconds: number,
  db: pg.Client,
): Promise<StepResult> {
  const latencies = new Latencies();
  const sentAt = new Float64Array(first + Math.round(rate * seconds) + 1);
  population.onReceipt((message) => latencies.add(performance.now() - (sentAt[message] ?? 0)));
  const storedBefore = await storedCount(db);
  const receivedBefore = population.received;
  const driven = await drive(urls, first, rate, seconds, sentAt);
  const owed = population.owed(first, first + driven.sent);
  const sendingEnded = performance.now();
  for (
    const until = sendingEnded + 20_000;
    population.received - receivedBefore < owed && performance.now() < until;
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const drain = (performance.now() - sendingEnded) / 1000;
  const persisted = (await storedCount(db)) - storedBefore;
  const tally = population.tally(first, first + driven.sent);
  const latency = latencies.summary();
  const webhook = driven.answers.summary();
  const window = driven.elapsed + drain;
  return {
    rate,
    sent: driven.sent,
    webhook_failures: driven.failed,
    webhook_p50_ms: webhook.p50,
    webhook_p99_ms: webhook.p99,
    p50_ms: latency.p50,
    p90_ms: latency.p90,
    p99_ms: latency.p99,
    max_ms: latency.max,
    deliveries_per_s: Math.round((population.received - receivedBefore) / window),
    messages_broadcast_per_s: Math.round(driven.sent / window),
    persisted_per_s: Math.round(persisted / window),
    drain_s: Math.round(drain * 100) / 100,
    lost: tally.lost,
    duplicated: tally.duplicated,
  };
}
