import type { DeliveryStatus, MessageStatusJob } from '@care-chat/contract';
import { applyMessageStatus } from '@care-chat/store';
import { statusChanged } from '../broadcaster.js';
import type { Attempt, ProcessorDeps } from './deps.js';

// The statuses Meta reports for a business message; others (e.g. `deleted`) change nothing here.
const REPORTED: ReadonlySet<string> = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed']);

/** A delivery status: the message's status moves forward only, and the chat room hears `message_status`. */
export async function processMessageStatus(job: MessageStatusJob, deps: ProcessorDeps, attempt: Attempt) {
  const { status } = job;
  if (!REPORTED.has(status.status)) {
    deps.log.debug({ status: status.status }, 'status ignored');
    return;
  }
  const error = status.errors?.[0];
  const update = await applyMessageStatus(
    deps.db,
    {
      wamid: status.id,
      status: status.status as DeliveryStatus,
      timestamp: status.timestamp,
      error: error === undefined ? null : { code: error.code, title: error.title, message: error.message },
    },
    // A retry may follow an attempt that stored the status and died before telling anyone.
    { again: attempt.retried },
  );
  if (update === null) return;
  await deps.emitter.publishOnce(`status:${status.id}:${status.status}`, statusChanged(update), {
    originMs: attempt.receivedAt,
  });
}
