import { applyParkedStatuses, withTransaction } from '@care-chat/store';
import { statusChanged } from '../broadcaster.js';
import type { ProcessorDeps } from '../processors/deps.js';

/**
 * Applies the statuses parked for `wamid`, now that a reply carries it, and tells the chat room of each
 * before the reply's row is let go: a status another worker applies next is told after these.
 */
export async function releaseParkedStatuses(deps: Pick<ProcessorDeps, 'db' | 'emitter'>, wamid: string) {
  await withTransaction(deps.db, async (db) => {
    for (const update of await applyParkedStatuses(db, wamid)) {
      await deps.emitter.publishOnce(`status:${wamid}:${update.status}`, statusChanged(update));
    }
  });
}
