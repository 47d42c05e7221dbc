import { type InboundJob, inboundJobId, inboundJobOptions } from '@care-chat/contract';
import { withTimeout } from '@care-chat/runtime';
import type { Queue } from 'bullmq';

/**
 * Jobs per round trip to Redis. BullMQ builds and encodes a bulk in one synchronous stretch, so 20,000
 * in one addBulk held the event loop for 1.5 s; between chunks, every other client of the gateway is
 * served.
 */
const CHUNK = 200;

/**
 * Queues `jobs` in order, a chunk at a time, each under its deterministic job id. Resolves once every
 * job is in Redis, and rejects as soon as a chunk fails or Redis has not confirmed it within `timeoutMs`.
 * The limit is on Redis's answer to one chunk, not on the delivery's size, so a large delivery takes
 * longer and is still answered 200 once it is queued, never 503 for being large.
 */
export async function queueJobs(queue: Queue<InboundJob>, jobs: readonly InboundJob[], timeoutMs: number) {
  for (let start = 0; start < jobs.length; start += CHUNK) {
    const chunk = jobs.slice(start, start + CHUNK).map((job) => ({
      name: job.kind,
      data: job,
      opts: { ...inboundJobOptions, jobId: inboundJobId(job) },
    }));
    await withTimeout(queue.addBulk(chunk), timeoutMs, 'the queue');
  }
}
