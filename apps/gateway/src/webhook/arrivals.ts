import type { InboundJob } from '@care-chat/contract';
import { withTimeout } from '@care-chat/runtime';
import type { Redis } from 'ioredis';

/**
 * Numbers the messages of one delivery, in their order, from the count every gateway shares (one INCRBY).
 * WhatsApp dates a message to the second, and one chat's messages are stored concurrently: within a
 * second, this number is what keeps them in the order they were received (the delivery's own order, then
 * the order deliveries reached the gateways).
 */
export async function numberArrivals(
  redis: Redis,
  key: string,
  jobs: readonly InboundJob[],
  timeoutMs: number,
): Promise<InboundJob[]> {
  const messages = jobs.filter((job) => job.kind === 'message').length;
  if (messages === 0) return [...jobs];
  const last = await withTimeout(redis.incrby(key, messages), timeoutMs, 'the arrival count');
  let next = last - messages;
  return jobs.map((job) => (job.kind === 'message' ? { ...job, arrival: ++next } : job));
}
