import { LIMITS } from './limits.js';
import { fail, isPlainObject, isStorable, nestsDeeperThan, ok, type Validated } from './validation.js';

/**
 * The WhatsApp Cloud API webhook, as far as this tier relies on it. Meta sends more than it documents
 * and adds kinds over time: fields not named here pass through untouched, in the job, to the worker.
 */
export interface WhatsAppContact {
  /** The customer's phone number, digits; absent for users who hide it behind a username (2026). */
  wa_id?: string;
  /** The business-scoped user id (e.g. `US.13491208655302741918`), present since 2026. */
  user_id?: string;
  profile?: { name?: string; username?: string };
}

export interface WhatsAppMessage {
  id: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  type: string;
  /** The sender's phone number; may be absent for username users, who have `from_user_id`. */
  from?: string;
  from_user_id?: string;
  context?: { from?: string; id?: string; forwarded?: boolean; frequently_forwarded?: boolean };
  [kind: string]: unknown;
}

export interface WhatsAppStatus {
  /** The wamid of the business message this status is about. */
  id: string;
  status: string;
  timestamp: string;
  recipient_id?: string;
  recipient_user_id?: string;
  errors?: { code: number; title: string; message?: string; error_data?: { details?: string } }[];
  /** What the business sent with the message (`biz_opaque_callback_data`): this tier's message id. */
  biz_opaque_callback_data?: string;
  [field: string]: unknown;
}

export interface WhatsAppChangeValue {
  messaging_product?: string;
  metadata: { phone_number_id: string; display_phone_number?: string };
  contacts?: WhatsAppContact[];
  messages?: WhatsAppMessage[];
  statuses?: WhatsAppStatus[];
}

const REPLY_CALLBACK = 'reply:';

/**
 * The `biz_opaque_callback_data` a reply is sent with, which Meta echoes in every status of it: a status can
 * name the reply even before the send's answer has said which wamid it got.
 */
export const replyCallbackData = (messageId: string): string => `${REPLY_CALLBACK}${messageId}`;

/** The message id a status's `biz_opaque_callback_data` names, or null (another sender's data, or none). */
export function replyIdOfCallbackData(data: unknown): string | null {
  if (typeof data !== 'string' || !data.startsWith(REPLY_CALLBACK)) return null;
  const id = data.slice(REPLY_CALLBACK.length);
  return /^\d{1,18}$/.test(id) ? id : null;
}

/** One inbound customer message, with the business number it reached and who sent it. */
export interface InboundMessageJob {
  kind: 'message';
  business_number_id: string;
  contact: WhatsAppContact | null;
  message: WhatsAppMessage;
  /**
   * Where the message came in the order the gateways received messages, one count shared by all of
   * them. WhatsApp's times are whole seconds: within one second of one chat, this is the order kept.
   * Absent from jobs queued before it existed.
   */
  arrival?: number;
}

/** A delivery status of a business message. */
export interface MessageStatusJob {
  kind: 'status';
  business_number_id: string;
  status: WhatsAppStatus;
}

export type InboundJob = InboundMessageJob | MessageStatusJob;

// Ids and names of kinds, which the worker matches and stores as text; content may hold anything.
const str = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && isStorable(value);

// A time in the future (the year 33658, say) would stay its chat's newest for good, and one past 9999 is
// one JavaScript's Date cannot read back: refused here, where Meta hears why.
const isTimestamp = (value: unknown, nowS: number): value is string =>
  typeof value === 'string' && /^\d{1,12}$/.test(value) && Number(value) <= nowS + LIMITS.clockSkewSeconds;
const TIMESTAMP = 'timestamp must be unix seconds, not in the future';

function checkMessage(value: unknown, where: string, nowS: number): string | null {
  if (!isPlainObject(value)) return `${where} must be an object`;
  if (!str(value.id, LIMITS.wamid)) return `${where}.id must be a message id`;
  if (!isTimestamp(value.timestamp, nowS)) return `${where}.${TIMESTAMP}`;
  if (!str(value.type, LIMITS.label)) return `${where}.type must be a string`;
  if (!str(value.from, LIMITS.id) && !str(value.from_user_id, LIMITS.id)) return `${where} has no sender`;
  return null;
}

function checkStatus(value: unknown, where: string, nowS: number): string | null {
  if (!isPlainObject(value)) return `${where} must be an object`;
  if (!str(value.id, LIMITS.wamid)) return `${where}.id must be a message id`;
  if (!str(value.status, LIMITS.label)) return `${where}.status must be a string`;
  if (!isTimestamp(value.timestamp, nowS)) return `${where}.${TIMESTAMP}`;
  return null;
}

/**
 * Who sent each message of one change: the contact with its phone number, else with its user id, else the
 * only contact of the change. Indexed once, as a change may carry thousands of each.
 */
function contactsBySender(contacts: readonly WhatsAppContact[]): (message: WhatsAppMessage) => WhatsAppContact | null {
  const byPhone = new Map<unknown, WhatsAppContact>();
  const byUserId = new Map<unknown, WhatsAppContact>();
  // The first contact listed wins, as it did when each message searched the list.
  for (const contact of contacts.toReversed()) {
    byPhone.set(contact.wa_id, contact);
    byUserId.set(contact.user_id, contact);
  }
  const only = contacts.length === 1 ? (contacts[0] ?? null) : null;
  return (message) =>
    (message.from === undefined ? undefined : byPhone.get(message.from)) ??
    (message.from_user_id === undefined ? undefined : byUserId.get(message.from_user_id)) ??
    only;
}

/**
 * What is wrong with a job taken from the queue, or null. `parseWebhook` makes only good ones, but the
 * queue is Redis, which others can write to and an older release may have filled: the worker checks again,
 * with the same rules, and gives up at once on a job whose own data can never be processed.
 */
export function checkInboundJob(job: unknown, nowMs = Date.now()): string | null {
  const nowS = Math.floor(nowMs / 1000);
  if (!isPlainObject(job)) return 'job must be an object';
  if (!str(job.business_number_id, LIMITS.id)) return 'job.business_number_id is required';
  switch (job.kind) {
    case 'message':
      if (job.contact !== null && !isPlainObject(job.contact)) return 'job.contact must be an object or null';
      if (job.arrival !== undefined && !(Number.isSafeInteger(job.arrival) && (job.arrival as number) > 0)) {
        return 'job.arrival must be a positive integer';
      }
      return checkMessage(job.message, 'job.message', nowS);
    case 'status':
      return checkStatus(job.status, 'job.status', nowS);
    default:
      return 'job.kind must be message or status';
  }
}

const arrayOr = (value: unknown): unknown[] | null => (value === undefined ? [] : Array.isArray(value) ? value : null);

/**
 * Turns a webhook body into one job per message and per status, in the order Meta sent them. Changes
 * of other fields (template updates and the like) carry nothing for this tier and give no jobs; a shape
 * this tier cannot read is refused whole, naming where. Times are checked against `nowMs`.
 */
export function parseWebhook(body: unknown, nowMs = Date.now()): Validated<InboundJob[]> {
  if (!isPlainObject(body) || body.object !== 'whatsapp_business_account') {
    return fail('body must be a WhatsApp Business Account webhook');
  }
  // Fields this tier does not read pass through in the job, so their depth is bounded here too.
  if (nestsDeeperThan(body, LIMITS.depth)) return fail(`body nests deeper than ${LIMITS.depth} levels`);
  const nowS = Math.floor(nowMs / 1000);
  const entries = body.entry;
  if (!Array.isArray(entries)) return fail('entry must be an array');
  const jobs: InboundJob[] = [];
  for (const [e, entry] of entries.entries()) {
    if (!isPlainObject(entry) || !Array.isArray(entry.changes)) return fail(`entry[${e}].changes must be an array`);
    for (const [c, change] of entry.changes.entries()) {
      const where = `entry[${e}].changes[${c}]`;
      if (!isPlainObject(change)) return fail(`${where} must be an object`);
      if (change.field !== 'messages') continue;
      const value = change.value;
      if (!isPlainObject(value) || !isPlainObject(value.metadata) || !str(value.metadata.phone_number_id, LIMITS.id)) {
        return fail(`${where}.value.metadata.phone_number_id is required`);
      }
      const [contacts, messages, statuses] = [
        arrayOr(value.contacts),
        arrayOr(value.messages),
        arrayOr(value.statuses),
      ];
      if (contacts === null || messages === null || statuses === null) {
        return fail(`${where}.value: contacts, messages and statuses must be arrays`);
      }
      if (!contacts.every(isPlainObject)) return fail(`${where}.value.contacts must hold objects`);
      const businessNumberId = value.metadata.phone_number_id;
      const senderOf = contactsBySender(contacts as WhatsAppContact[]);
      for (const [m, message] of messages.entries()) {
        const problem = checkMessage(message, `${where}.value.messages[${m}]`, nowS);
        if (problem !== null) return fail(problem);
        const typed = message as WhatsAppMessage;
        jobs.push({
          kind: 'message',
          business_number_id: businessNumberId,
          contact: senderOf(typed),
          message: typed,
        });
      }
      for (const [s, status] of statuses.entries()) {
        const problem = checkStatus(status, `${where}.value.statuses[${s}]`, nowS);
        if (problem !== null) return fail(problem);
        jobs.push({ kind: 'status', business_number_id: businessNumberId, status: status as WhatsAppStatus });
      }
    }
  }
  return ok(jobs);
}
