import { assertNever, type InboundJob } from '@care-chat/contract';
import { UnrecoverableError } from 'bullmq';
import { isTransient } from '../transient.js';
import type { Attempt, ProcessorDeps } from './deps.js';
import { processInboundMessage } from './inbound-message.js';
import { processMessageStatus } from './message-status.js';

/**
 * Runs the processor for the job's kind. A failure that retrying can cure (PostgreSQL or Redis away) is
 * thrown as is, for BullMQ to retry with backoff; any other fails the job for good, where it stays
 * visible among the failed jobs, and the queue moves on.
 */
export async function processInboundJob(job: InboundJob, deps: ProcessorDeps, attempt: Attempt): Promise<void> {
  try {
    switch (job.kind) {
      case 'message':
        return await processInboundMessage(job, deps, attempt);
      case 'status':
        return await processMessageStatus(job, deps, attempt);
      default:
        return assertNever(job);
    }
  } catch (error) {
    if (isTransient(error)) throw error;
    throw new UnrecoverableError(`${(error as Error).message}`);
  }
}
