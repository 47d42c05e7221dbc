import {
  chatRoom,
  type Executive,
  type OutboundJob,
  outboundJobId,
  outboundJobOptions,
  ServerEvent,
} from '@care-chat/contract';
import { withTimeout } from '@care-chat/runtime';
import { failReply, type MediaUrl, type ReplyDraft, storeReply } from '@care-chat/store';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { SocketErrorMessage } from '../errors.js';
import type { GatewayServer } from '../socket/types.js';
import type { TemplateLanguage } from '../templates/template-language.js';

/** What a reply goes through, from the socket handler and the media route alike. */
export interface ReplyServices {
  db: pg.Pool;
  io: GatewayServer;
  outbound: Queue<OutboundJob>;
  mediaUrl: MediaUrl;
  /** Tells the workers the counts may have changed. */
  statsChanged: () => Promise<void>;
  /** The same reply again within this long is a double click. */
  repeatWithinMs: number;
  /** A template's language, from the template lists kept for the picker. */
  templateLanguage: TemplateLanguage;
}

/** A reply as a handler reads it from its request; who sends it and what they may see come from the token. */
export type ReplyRequest = Omit<ReplyDraft, 'customerTypes' | 'executiveId' | 'repeatWithinMs'>;

export type ReplyOutcome =
  | { ok: true; messageId: string }
  | { ok: false; reason: 'not_found' | 'window_closed' | 'not_queued'; message: string };

/** Long enough for a loaded Redis; the executive is waiting for the answer. */
const QUEUE_TIMEOUT_MS = 2000;

/**
 * An executive's reply: stored first (`queued`), then queued for the workers under its message's job id,
 * then `new_message` to the chat room. A double click finds the reply it repeats and queues it again, which
 * BullMQ keeps once: one message, one send, the same `message_id`. A reply that cannot be queued is marked
 * failed, for the executive to see and send again, rather than left waiting for nothing.
 */
export async function sendReply(
  services: ReplyServices,
  executive: Executive,
  reply: ReplyRequest,
): Promise<ReplyOutcome> {
  const stored = await storeReply(
    services.db,
    {
      ...reply,
      customerTypes: executive.customerTypes,
      executiveId: executive.id,
      repeatWithinMs: services.repeatWithinMs,
    },
    services.mediaUrl,
  );
  if (stored.outcome === 'not_found')
    return { ok: false, reason: 'not_found', message: SocketErrorMessage.chatNotFound(reply.chatId) };
  if (stored.outcome === 'window_closed')
    return { ok: false, reason: 'window_closed', message: SocketErrorMessage.templateNeeded };
  const { message } = stored;
  const job: OutboundJob = { message_id: message.message_id };
  try {
    await withTimeout(
      services.outbound.add('reply', job, { ...outboundJobOptions, jobId: outboundJobId(message.message_id) }),
      QUEUE_TIMEOUT_MS,
      'the outbound queue',
    );
  } catch (err) {
    const failed = await failReply(services.db, message.message_id, {
      code: 0,
      title: 'Not queued',
      message: (err as Error).message,
    });
    if (failed !== null) services.io.to(chatRoom(failed.chat_id)).emit(ServerEvent.MessageStatus, failed);
    return { ok: false, reason: 'not_queued', message: SocketErrorMessage.notQueued };
  }
  if (stored.outcome === 'stored') {
    services.io.to(chatRoom(message.chat_id)).emit(ServerEvent.NewMessage, message);
    await services.statsChanged();
  }
  return { ok: true, messageId: message.message_id };
}
