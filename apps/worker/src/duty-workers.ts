import { type AssignmentJob, QueueName, type SlaJob } from '@care-chat/contract';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './env.js';
import { processAssignmentJob } from './processors/assignment-job.js';
import type { ProcessorDeps } from './processors/deps.js';
import { processSlaCheck } from './processors/sla-check.js';
import { logFailures, workerOptions } from './queue-worker.js';

/**
 * The consumers of the jobs presence and the SLA clock leave: chats assigned when an executive comes
 * online or handed on when one leaves, and the delayed checks of unanswered customer messages.
 */
export function startDutyWorkers(connection: Redis, config: WorkerConfig, deps: ProcessorDeps): Worker[] {
  const assignment = new Worker<AssignmentJob>(
    QueueName.Assignment,
    (job: Job<AssignmentJob>) => processAssignmentJob(job.data, deps),
    // One at a time: assignments hold one lock in PostgreSQL anyway, and each job walks many chats.
    { ...workerOptions(connection, config), concurrency: 1 },
  );
  const sla = new Worker<SlaJob>(
    QueueName.Sla,
    (job: Job<SlaJob>) => processSlaCheck(job.data, deps, { retried: job.attemptsStarted > 1 }),
    workerOptions(connection, config),
  );
  for (const worker of [assignment, sla]) logFailures(worker, deps.log);
  return [assignment, sla];
}
