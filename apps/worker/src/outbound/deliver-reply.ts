import type { MessageStatusUpdate, OutboundJob } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import { beginSend, failReply, loadReply, type OutboundReply, recordWamid, sendRefused } from '@care-chat/store';
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import { type DashboardEmitter, statusChanged } from '../broadcaster.js';
import type { WorkerConfig } from '../env.js';
import type { GraphSettings, SendAnswer, SendError } from './graph-client.js';
import { graphMessage } from './graph-message.js';
import { releaseParkedStatuses } from './parked.js';
import type { ReplyPacer } from './reply-pacer.js';

export interface OutboundDeps {
  db: pg.Pool;
  emitter: DashboardEmitter;
  log: Log;
  pacer: Pick<ReplyPacer, 'number' | 'pair'>;
  send: (phoneNumberId: string, message: object) => Promise<SendAnswer>;
  config: Omit<WorkerConfig['outbound'], keyof GraphSettings | 'numberPace' | 'pairPace'>;
}

/** Done with the job, or to be taken up again at `at` (epoch ms) with `data`. */
export type Step = { done: true } | { at: number; data: OutboundJob };

const DONE: Step = { done: true };

/** A slot this close is waited for in the job; one further off gives the job back until then. */
const HOLD_MS = 1000;

/** How late a reserved slot may still be used: two of WhatsApp's 80-a-second slots. */
const LATE_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers one reply to WhatsApp, at most once: every call is noted in PostgreSQL before it is made, and a
 * job that finds an earlier call still unanswered (its worker died in it, or the answer was lost) does not
 * call again until a status naming the reply has had time to come (`OUTBOUND_UNKNOWN_WAIT_MS`); one that
 * came gave the reply its wamid, and nothing more is sent. Calls keep to the customer's and then the
 * number's schedule; a reply whose slot is far off is given back to the queue until then, leaving the
 * worker to others. WhatsApp's limits and trouble are tried again later (its `Retry-After` first), up to
 * `OUTBOUND_MAX_ATTEMPTS` calls; its other refusals fail the reply at once, with WhatsApp's error.
 */
export async function deliverReply(job: OutboundJob, deps: OutboundDeps): Promise<Step> {
  const reply = await loadReply(deps.db, job.message_id);
  if (reply === null) throw new UnrecoverableError(`no reply ${job.message_id}`);
  if (reply.wamid !== null) {
    // Sent: by an earlier attempt whose job did not complete, or known from a status naming it.
    await releaseParkedStatuses(deps, reply.wamid);
    return DONE;
  }
  if (reply.deliveryStatus !== 'queued') return DONE;
  const { config } = deps;
  if (reply.pendingSince !== null) {
    const waitUntil = reply.pendingSince.getTime() + config.unknownWaitMs;
    if (Date.now() < waitUntil) return { at: waitUntil, data: { message_id: reply.messageId } };
    if (reply.sendAttempts >= config.maxAttempts) {
      return fail(deps, reply, { code: 0, title: 'No answer from WhatsApp', message: 'the last call got no answer' });
    }
    deps.log.warn(
      { messageId: reply.messageId, attempts: reply.sendAttempts },
      'an earlier call for this reply got no answer and no status named it: sending again',
    );
  }
  const number = config.numberByCustomerType.get(reply.customerType);
  if (number === undefined) {
    const message = `WHATSAPP_NUMBERS has no number for ${reply.customerType}`;
    return fail(deps, reply, { code: 0, title: 'No business number', message });
  }
  const slot = await reserveSlots(job, reply, number, deps);
  if (slot !== null) return slot;
  const attempt = await beginSend(deps.db, reply.messageId);
  if (attempt === null) return DONE;
  const answer = await deps.send(number, graphMessage(reply, config.templateLanguage));
  return settle(deps, reply, attempt, answer);
}

/**
 * Waits for the reply's slots, reserving each once (a job given back keeps its own): null once it is time
 * to send, else when to come back.
 */
async function reserveSlots(job: OutboundJob, reply: OutboundReply, number: string, deps: OutboundDeps) {
  const pairAt = job.pair_at ?? Date.now() + (await deps.pacer.pair(number, reply.customer));
  if (pairAt - Date.now() > 0) return { at: pairAt, data: { message_id: reply.messageId, pair_at: pairAt } };
  // A job given back to the queue may come back later than its slot; sent then, it would go out with the
  // replies of the slots that followed, in a clump: it takes a new slot instead.
  const kept = job.number_at !== undefined && Date.now() - job.number_at <= LATE_MS ? job.number_at : undefined;
  const numberAt = kept ?? Date.now() + (await deps.pacer.number(number));
  const wait = numberAt - Date.now();
  if (wait > HOLD_MS)
    return { at: numberAt, data: { message_id: reply.messageId, pair_at: pairAt, number_at: numberAt } };
  if (wait > 0) await sleep(wait);
  return null;
}

async function settle(deps: OutboundDeps, reply: OutboundReply, attempt: number, answer: SendAnswer): Promise<Step> {
  const { config, log } = deps;
  switch (answer.kind) {
    case 'accepted':
      if (!(await recordWamid(deps.db, reply.messageId, answer.wamid))) {
        log.error({ messageId: reply.messageId, wamid: answer.wamid }, 'reply sent twice: it had another wamid');
      }
      await releaseParkedStatuses(deps, answer.wamid);
      return DONE;
    case 'refused':
      return fail(deps, reply, answer.error);
    case 'retry': {
      await sendRefused(deps.db, reply.messageId);
      if (attempt >= config.maxAttempts) return fail(deps, reply, answer.error);
      const backoff = Math.min(config.retryMaxMs, config.retryMs * 2 ** (attempt - 1));
      log.warn(
        { messageId: reply.messageId, attempt, error: answer.error },
        'WhatsApp did not take the reply: retrying',
      );
      return { at: Date.now() + Math.max(backoff, answer.retryAfterMs ?? 0), data: { message_id: reply.messageId } };
    }
    case 'unknown':
      log.warn({ messageId: reply.messageId, attempt, reason: answer.reason }, 'no answer from WhatsApp for the reply');
      return { at: Date.now() + config.unknownWaitMs, data: { message_id: reply.messageId } };
  }
}

async function fail(deps: OutboundDeps, reply: OutboundReply, error: SendError): Promise<Step> {
  const update: MessageStatusUpdate | null = await failReply(deps.db, reply.messageId, error);
  if (update !== null) {
    deps.log.warn({ messageId: reply.messageId, error }, 'reply failed');
    await deps.emitter.publishOnce(`status:reply-${reply.messageId}:failed`, statusChanged(update));
  }
  return DONE;
}
