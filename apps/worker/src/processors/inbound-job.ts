import { assertNever, checkInboundJob, type InboundJob } from '@care-chat/contract';
import { UnrecoverableError } from 'bullmq';
import { isPermanent } from '../permanent.js';
import type { Attempt, ProcessorDeps } from './deps.js';
import { processInboundMessage } from './inbound-message.js';
import { processMessageStatus } from './message-status.js';

/**
 * Runs the processor for the job's kind. A failure is thrown as is, for BullMQ to retry with backoff,
 * unless it is known to be lasting: the job's own data is invalid, or PostgreSQL refuses that data. Those
 * fail the job for good at once, where it stays visible among the failed jobs, and the queue moves on.
 */
export async function processInboundJob(job: InboundJob, deps: ProcessorDeps, attempt: Attempt): Promise<void> {
  const problem = checkInboundJob(job);
  if (problem !== null) throw new UnrecoverableError(`invalid job: ${problem}`);
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
    if (!isPermanent(error)) throw error;
    throw new UnrecoverableError(`${error.message} (SQLSTATE ${error.code})`);
  }
}
