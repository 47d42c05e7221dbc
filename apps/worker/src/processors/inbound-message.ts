import type { InboundMessageJob } from '@care-chat/contract';
import { assignChat, ingestInboundMessage } from '@care-chat/store';
import { chatWasAssigned, messageArrived } from '../broadcaster.js';
import { messageContent } from '../whatsapp/message-content.js';
import type { Attempt, ProcessorDeps } from './deps.js';

/**
 * A customer's message: stored with its chat in one transaction; a chat nobody owns (new, or reopened
 * after it was resolved) given to an executive online; then its chat's `room_update*` (the only thing
 * that sends one: each raises the unread badge of every dashboard it reaches), the `new_message` to the
 * chat room, `chat_assigned` when it was given, and fresh dashboard stats; then its SLA checks. A message
 * stored before has no second effect, unless this is a retry: the earlier attempt may have died before
 * broadcasting, so it does what is left and broadcasts, once.
 */
export async function processInboundMessage(job: InboundMessageJob, deps: ProcessorDeps, attempt: Attempt) {
  const { message, contact } = job;
  // parseWebhook guarantees one of the two sender ids.
  const customer = message.from ?? contact?.wa_id ?? message.from_user_id ?? contact?.user_id ?? '';
  let customerType = deps.config.customerTypeByNumber.get(job.business_number_id);
  if (customerType === undefined) {
    customerType = deps.config.defaultCustomerType;
    deps.log.warn(
      { business_number_id: job.business_number_id, customer_type: customerType },
      'message to a number missing from WHATSAPP_NUMBERS: given DEFAULT_CUSTOMER_TYPE',
    );
  }
  const content = messageContent(message);
  const result = await ingestInboundMessage(
    deps.db,
    {
      wamid: message.id,
      customer,
      wa_id: message.from ?? contact?.wa_id ?? null,
      user_id: message.from_user_id ?? contact?.user_id ?? null,
      name: contact?.profile?.name ?? null,
      username: contact?.profile?.username ?? null,
      business_number_id: job.business_number_id,
      customer_type: customerType,
      timestamp: message.timestamp,
      arrival: job.arrival ?? null,
      kind: message.type,
      body: content.preview,
      message_tag: content.message_tag,
      media_type: content.media_type,
      media: content.media,
      raw: message,
    },
    deps.config.mediaUrl,
  );
  if (!result.inserted && !attempt.retried) return;
  let { chat } = result;
  if (chat.assigned_executive_id === null) {
    chat = (await assignChat(deps.db, chat.chat_id, chat.customer_type, await deps.online()))?.chat ?? chat;
  }
  // A retry tells of the assignment again, as the group its first attempt may not have published.
  const assigned = chat !== result.chat || attempt.retried;
  await deps.emitter.publishOnce(
    `message:${message.id}`,
    (group) => {
      messageArrived(chat, result.message)(group);
      if (assigned) chatWasAssigned(chat)(group);
    },
    { originMs: attempt.receivedAt },
  );
  deps.stats.changed();
  // After the broadcast, off its path: a retry of a job that died in between schedules them then (same ids).
  await deps.sla.schedule(result.message);
}
