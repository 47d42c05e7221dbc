import type { InboundJob } from './whatsapp.js';

/** Queue names, shared by the gateway that adds jobs and the worker that takes them. */
export const QueueName = {
  Inbound: 'whatsapp-inbound',
  Outbound: 'whatsapp-outbound',
  /** Presence changes the workers act on: chats assigned and handed on. */
  Assignment: 'chat-assignment',
  /** Delayed checks of unanswered customer messages. */
  Sla: 'sla-alerts',
} as const;

/** An executive's reply to deliver to WhatsApp: the stored message says everything else. */
export interface OutboundJob {
  message_id: string;
  /** The slots reserved for it on its customer's and its number's schedules (epoch ms), kept across delays. */
  pair_at?: number;
  number_at?: number;
}

// BullMQ refuses custom ids with ':' and ids that read as integers; wamids are base64 and have neither,
// but ids come from outside, so anything else is encoded.
const safe = (id: string) =>
  /^[\w.=+/-]+$/.test(id) && !/^\d+$/.test(id) ? id : Buffer.from(id).toString('base64url');

/**
 * The job id of an inbound job: the same message or status delivered twice (Meta retries, or two nodes
 * get the same webhook) maps to the same job, which BullMQ keeps once.
 */
export function inboundJobId(job: InboundJob): string {
  return job.kind === 'message'
    ? `message-${safe(job.message.id)}`
    : `status-${safe(job.status.id)}-${safe(job.status.status)}`;
}

/** The backoff type the worker implements: exponential, capped, so a long outage is outlasted. */
export const CAPPED_BACKOFF = 'capped-exponential';

/**
 * Options of every inbound job. Attempts are many because a transient failure (PostgreSQL away) must
 * outlast an outage; lasting failures do not retry at all (the worker fails them for good). Completed
 * jobs are kept a day, so a redelivery within it is refused by job id before reaching the database.
 */
export const inboundJobOptions = {
  attempts: 10_000,
  backoff: { type: CAPPED_BACKOFF, delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

/** One job per reply: adding it again (a double click, a repair) is kept once by BullMQ. */
export const outboundJobId = (messageId: string): string => `reply-${safe(messageId)}`;

/**
 * Options of every outbound job. The attempts bound only failures of this tier (PostgreSQL or Redis away):
 * WhatsApp's own answers are counted on the message, whose worker gives up after its configured tries.
 */
export const outboundJobOptions = {
  attempts: 10_000,
  backoff: { type: CAPPED_BACKOFF, delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;
/**
 * What the gateways ask of the workers when presence changes: an executive who came online takes chats
 * waiting for one; one gone offline (and still offline when the job runs) hands theirs on.
 */
export type AssignmentJob = { kind: 'online'; executive_id: string } | { kind: 'offline'; executive_id: string };

/** A customer message to check once `minutes` have passed since it was written. */
export interface SlaJob {
  chat_id: string;
  message_id: string;
  minutes: number;
}

/**
 * The one job of a message and threshold: scheduled again (a retried inbound job, another worker) it is
 * the same job, which BullMQ keeps once. Minutes may be fractional (short thresholds in a demo).
 */
export const slaJobId = (job: SlaJob): string => `sla-${job.message_id}-${String(job.minutes).replace('.', '_')}m`;

/** Options of the presence and SLA jobs: retried, and kept for their ids, as inbound jobs are. */
export const dutyJobOptions = inboundJobOptions;
