import { type SlaJob, slaAlertType } from '@care-chat/contract';
import { checkSla } from '@care-chat/store';
import { slaBreached } from '../broadcaster.js';
import type { Attempt, ProcessorDeps } from './deps.js';

/**
 * A customer message's SLA check, when its time comes: nothing if it was answered or its chat resolved
 * since; else `sla_alert` to the chat's assignee (or every dashboard), once. The alert is recorded in the
 * same statement that finds it due, so a second check of the same message and threshold raises nothing;
 * a retry, whose first attempt may have died between the record and the broadcast, broadcasts once.
 */
export async function processSlaCheck(job: SlaJob, deps: Pick<ProcessorDeps, 'db' | 'emitter'>, attempt: Attempt) {
  const check = await checkSla(deps.db, job.message_id, job.minutes);
  if (!check.due || (!check.raisedNow && !attempt.retried)) return;
  await deps.emitter.publishOnce(
    `sla:${job.message_id}:${job.minutes}`,
    slaBreached({ ...check.breach, elapsed_minutes: job.minutes, alert_type: slaAlertType(job.minutes) }),
  );
}
