import { type DeliveryStatus, type MessageStatusJob, replyIdOfCallbackData } from '@care-chat/contract';
import {
  applyMessageStatus,
  isKnownWamid,
  parkStatus,
  recordWamid,
  type StatusRecord,
  withTransaction,
} from '@care-chat/store';
import { statusChanged } from '../broadcaster.js';
import { releaseParkedStatuses } from '../outbound/parked.js';
import type { Attempt, ProcessorDeps } from './deps.js';

// The statuses Meta reports for a business message; others (e.g. `deleted`) change nothing here.
const REPORTED: ReadonlySet<string> = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed']);

/**
 * A delivery status: the message's status moves forward only, and the chat room hears `message_status`.
 * A status of a wamid no message carries yet is parked: Meta may report a reply's `sent` before the send's
 * own answer is recorded, or instead of it when the worker died waiting for it. A status that names one of
 * our replies (its `biz_opaque_callback_data`) gives that reply its wamid; either way what is parked is
 * applied, in order, as soon as a message carries the wamid.
 */
export async function processMessageStatus(job: MessageStatusJob, deps: ProcessorDeps, attempt: Attempt) {
  const { status } = job;
  if (!REPORTED.has(status.status)) {
    deps.log.debug({ status: status.status }, 'status ignored');
    return;
  }
  const error = status.errors?.[0];
  const record: StatusRecord = {
    wamid: status.id,
    status: status.status as DeliveryStatus,
    timestamp: status.timestamp,
    error: error === undefined ? null : { code: error.code, title: error.title, message: error.message },
  };
  // Told before the message's row is let go, so statuses applied by several workers are told in their order.
  const applied = await withTransaction(deps.db, async (db) => {
    // A retry may follow an attempt that stored the status and died before telling anyone.
    const update = await applyMessageStatus(db, record, { again: attempt.retried });
    if (update !== null) {
      await deps.emitter.publishOnce(`status:${status.id}:${status.status}`, statusChanged(update), {
        originMs: attempt.receivedAt,
      });
    }
    return update !== null;
  });
  if (applied) return;
  // Not applied: an older status, or one of a wamid no message had when the update looked, which another
  // worker may have recorded since. Parked first and looked for after, so whoever records the wamid finds
  // the status, or this finds the wamid; releasing an older status only drops it.
  const replyId = replyIdOfCallbackData(status.biz_opaque_callback_data);
  await parkStatus(deps.db, record, replyId);
  if (replyId !== null) await recordWamid(deps.db, replyId, status.id);
  if (await isKnownWamid(deps.db, status.id)) await releaseParkedStatuses(deps, status.id);
}
