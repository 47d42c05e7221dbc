import { type OutboundJob, QueueName } from '@care-chat/contract';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import { deliverReply, type OutboundDeps } from './outbound/deliver-reply.js';
import { logFailures, workerOptions } from './queue-worker.js';

/**
 * The BullMQ consumer of executives' replies. A reply to send later (its slot, WhatsApp's `Retry-After`) is
 * moved to the delayed set with what it reserved, and its worker takes other replies meanwhile.
 */
export function startOutboundWorker(connection: Redis, config: WorkerConfig, deps: OutboundDeps): Worker<OutboundJob> {
  const worker = new Worker<OutboundJob>(
    QueueName.Outbound,
    async (job: Job<OutboundJob>, token?: string) => {
      const step = await deliverReply(job.data, deps);
      if ('done' in step) return;
      await job.updateData(step.data);
      await job.moveToDelayed(step.at, token);
      throw new DelayedError();
    },
    workerOptions(connection, config),
  );
  logFailures(worker, deps.log);
  return worker;
}
