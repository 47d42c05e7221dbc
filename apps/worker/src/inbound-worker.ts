import { CAPPED_BACKOFF, type InboundJob, QueueName, redisKeys } from '@care-chat/contract';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import type { ProcessorDeps } from './processors/deps.js';
import { processInboundJob } from './processors/inbound-job.js';

const MAX_BACKOFF_MS = 30_000;

/** The BullMQ consumer of inbound WhatsApp jobs. */
export function startInboundWorker(connection: Redis, config: WorkerConfig, deps: ProcessorDeps): Worker<InboundJob> {
  const worker = new Worker<InboundJob>(
    QueueName.Inbound,
    (job: Job<InboundJob>) =>
      processInboundJob(job.data, deps, { retried: job.attemptsStarted > 1, receivedAt: job.timestamp }),
    {
      connection,
      prefix: redisKeys(config.redisKeyPrefix).queues,
      concurrency: config.concurrency,
      // A worker that dies holding jobs loses them to another after this long.
      lockDuration: config.lockMs,
      stalledInterval: config.lockMs,
      // Far above any real count: a job is never given up for having stalled, only for failing for good.
      maxStalledCount: 1000,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === CAPPED_BACKOFF ? Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, attemptsMade - 1)) : 1000,
      },
    },
  );
  worker.on('failed', (job, err) => {
    const final = job === undefined || err.name === 'UnrecoverableError';
    deps.log[final ? 'error' : 'warn'](
      { err, jobId: job?.id, attempts: job?.attemptsMade },
      final ? 'job failed for good' : 'job will be retried',
    );
  });
  worker.on('error', (err) => deps.log.warn({ err }, 'queue connection error'));
  return worker;
}
