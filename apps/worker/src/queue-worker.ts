import { CAPPED_BACKOFF, redisKeys } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';

const MAX_BACKOFF_MS = 30_000;

/** What every BullMQ consumer of the worker shares: its queues' prefix, locks, and the capped backoff. */
export function workerOptions(connection: Redis, config: WorkerConfig): WorkerOptions {
  return {
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
  };
}

/** Logs a consumer's failed jobs (for good, or to be retried) and its connection's errors. */
export function logFailures(worker: Worker, log: Log): void {
  worker.on('failed', (job, err) => {
    const final = job === undefined || err.name === 'UnrecoverableError';
    log[final ? 'error' : 'warn'](
      { err, jobId: job?.id, attempts: job?.attemptsMade },
      final ? 'job failed for good' : 'job will be retried',
    );
  });
  worker.on('error', (err) => log.warn({ err }, 'queue connection error'));
}
