import { type InboundJob, QueueName } from '@care-chat/contract';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import type { ProcessorDeps } from './processors/deps.js';
import { processInboundJob } from './processors/inbound-job.js';
import { logFailures, workerOptions } from './queue-worker.js';

/** The BullMQ consumer of inbound WhatsApp jobs. */
export function startInboundWorker(connection: Redis, config: WorkerConfig, deps: ProcessorDeps): Worker<InboundJob> {
  const worker = new Worker<InboundJob>(
    QueueName.Inbound,
    (job: Job<InboundJob>) => processInboundJob(job.data, deps, { retried: job.attemptsStarted > 1 }),
    workerOptions(connection, config),
  );
  logFailures(worker, deps.log);
  return worker;
}
