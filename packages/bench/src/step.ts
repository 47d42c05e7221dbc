import type pg from 'pg';
import { drive, type Target } from './driver.js';
import { Latencies } from './latency.js';
import type { Latencies as Samples } from './population.js';
import type { Receivers } from './receivers.js';

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
  /** End to end, of the messages sent in the first seconds of the step (COLD_SECONDS), and of the rest. */
  cold_p99_ms: number;
  warm_p99_ms: number;
  /** From the packet's entry in the broadcast stream to the client: the gateways' fan-out. */
  from_stream_p50_ms: number;
  from_stream_p99_ms: number;
  deliveries_per_s: number;
  messages_broadcast_per_s: number;
  persisted_per_s: number;
  drain_s: number;
  lost: number;
  duplicated: number;
  receiver_loop_p99_ms: number;
}

/** A tier's first seconds under load, where connections, caches and compiled code are still cold. */
export const COLD_SECONDS = 3;

const summaryOf = (values: readonly number[]) => {
  const latencies = new Latencies();
  for (const ms of values) latencies.add(ms);
  return latencies.summary();
};

/** End-to-end latencies of the messages numbered before `coldEnd` (sent first), and of the others. */
export function coldAndWarm({ endToEnd, messages }: Pick<Samples, 'endToEnd' | 'messages'>, coldEnd: number) {
  return {
    cold: summaryOf(endToEnd.filter((_, i) => (messages[i] ?? 0) < coldEnd)),
    warm: summaryOf(endToEnd.filter((_, i) => (messages[i] ?? 0) >= coldEnd)),
  };
}

// Bare Socket.IO nodes store nothing.
const storedCount = async (db: pg.Client | null) =>
  db === null ? 0 : ((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages')).rows[0]?.n ?? 0);

/**
 * Sends messages [first, first + rate × seconds) and waits (up to 20 s) until every client of each
 * message's room has it: end-to-end latency from the webhook POST to receipt, throughput, losses.
 */
export async function driveAndSettle(
  receivers: Receivers,
  urls: readonly string[],
  target: Target,
  first: number,
  rate: number,
  seconds: number,
  db: pg.Client | null,
): Promise<StepResult> {
  const storedBefore = await storedCount(db);
  const receivedBefore = await receivers.received();
  const driven = await drive(urls, target, first, rate, seconds);
  let owed = 0;
  for (let m = first; m < first + driven.sent; m++) owed += receivers.perType[m % receivers.perType.length] ?? 0;
  const sendingEnded = performance.now();
  let received = await receivers.received();
  while (received - receivedBefore < owed && performance.now() < sendingEnded + 20_000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    received = await receivers.received();
  }
  const drain = (performance.now() - sendingEnded) / 1000;
  const persisted = (await storedCount(db)) - storedBefore;
  const taken = await receivers.take(first, first + driven.sent);
  const latency = summaryOf(taken.latencies.endToEnd);
  const { cold, warm } = coldAndWarm(taken.latencies, first + COLD_SECONDS * rate);
  const fromStream = summaryOf(taken.latencies.fromStream);
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
    cold_p99_ms: cold.p99,
    warm_p99_ms: warm.p99,
    from_stream_p50_ms: fromStream.p50,
    from_stream_p99_ms: fromStream.p99,
    deliveries_per_s: Math.round((received - receivedBefore) / window),
    messages_broadcast_per_s: Math.round(driven.sent / window),
    persisted_per_s: Math.round(persisted / window),
    drain_s: Math.round(drain * 100) / 100,
    lost: taken.lost,
    duplicated: taken.duplicated,
    receiver_loop_p99_ms: taken.loopP99Ms,
  };
}
