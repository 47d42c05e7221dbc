import {
  type ChatSummary,
  type CustomerType,
  DELIVERY_STATUSES,
  type MediaType,
  type Message,
  type WhatsAppMedia,
} from '@care-chat/contract';
import type pg from 'pg';
import { isChatId, withTransaction } from './db.js';
import { toJsonb } from './jsonb.js';
import type { MediaUrl } from './media-url.js';
import { markChatSeen } from './read-mark.js';
import { CHAT_ROW, type ChatRow, chatSummaryOf, type MessageRow, messageOf } from './rows.js';
import { windowOpenSql } from './whatsapp-window.js';

/** The approved template a reply uses; its language when the caller knows it (else the worker's default). */
export interface ReplyTemplate {
  id: string;
  name: string;
  language?: string;
}

/** What WhatsApp is asked to deliver: free-form text or media, or an approved template. */
export type ReplyKind = 'text' | 'template' | 'image' | 'document';

export interface ReplyDraft {
  chatId: string;
  customerTypes: readonly CustomerType[];
  /** The executive replying (the token's), stored as the message's sender. */
  executiveId: string;
  kind: ReplyKind;
  /** The text, the template's content, or the media's caption. */
  body: string;
  /** The chat list's preview of it. */
  preview: string;
  template: ReplyTemplate | null;
  mediaType: MediaType | null;
  /** `{ id }` of media uploaded to WhatsApp, or `{ link }` of media WhatsApp fetches; with the caption. */
  media: WhatsAppMedia | null;
  /** A plain link to the media, shown as it is (media by id gets signed links instead). */
  mediaLink: string | null;
  /** The dashboard's own `datetime` of the reply, when it sends one. */
  clientDatetime: string | null;
  /** The same reply again within this long is a double click: nothing new is stored. */
  repeatWithinMs: number;
}

export type ReplyResult =
  | { outcome: 'not_found' }
  /** Free-form messages need the customer to have written within 24 hours; a template does not. */
  | { outcome: 'window_closed' }
  | { outcome: 'stored' | 'repeated'; chat: ChatSummary; message: Message };

/** Templates are what WhatsApp allows outside the customer-service window; everything else needs it open. */
const needsWindow = (kind: ReplyKind) => kind !== 'template';

/**
 * Stores an executive's reply in a chat of one of `customerTypes`, as `queued`, before anything is sent:
 * the message comes after every other of its chat, the chat's last outgoing message and last interaction
 * are the executive's, its count of unseen customer messages is 0 and the replying executive has seen it
 * all. The chat is locked meanwhile, so two clicks of one reply store it once: the second finds the first
 * (`repeated`, nothing written). Free-form replies to a customer whose window has closed are refused,
 * writing nothing.
 */
export async function storeReply(pool: pg.Pool, draft: ReplyDraft, mediaUrl: MediaUrl): Promise<ReplyResult> {
  if (!isChatId(draft.chatId)) return { outcome: 'not_found' };
  return withTransaction(pool, async (db) => {
    const locked = await db.query<{ window_open: boolean | null }>(
      `SELECT ${windowOpenSql('c.last_incoming_whatsapp_message')} AS window_open
         FROM chats c WHERE c.id = $1 AND c.customer_type = ANY($2) FOR UPDATE`,
      [draft.chatId, draft.customerTypes],
    );
    const chat = locked.rows[0];
    if (chat === undefined) return { outcome: 'not_found' } as const;
    const media = draft.media === null ? null : toJsonb(draft.media);
    const earlier = await db.query<{ message: MessageRow; chat: ChatRow }>(
      `SELECT to_jsonb(m) AS message, (SELECT ${CHAT_ROW} FROM chats c WHERE c.id = m.chat_id) AS chat
         FROM messages m
        WHERE m.chat_id = $1 AND m.sender_type = 'Executive' AND m.sender = $2 AND m.kind = $3 AND m.body = $4
          AND m.client_datetime IS NOT DISTINCT FROM $5 AND m.media IS NOT DISTINCT FROM $6::jsonb
          AND m.created_at > now() - $7 * interval '1 millisecond'
        ORDER BY m.created_at DESC LIMIT 1`,
      [draft.chatId, draft.executiveId, draft.kind, draft.body, draft.clientDatetime, media, draft.repeatWithinMs],
    );
    const repeated = earlier.rows[0];
    if (repeated !== undefined) {
      return {
        outcome: 'repeated',
        chat: chatSummaryOf(repeated.chat),
        message: messageOf(repeated.message, mediaUrl),
      } as const;
    }
    if (needsWindow(draft.kind) && chat.window_open !== true) return { outcome: 'window_closed' } as const;
    // After every message of the chat, a customer's whose WhatsApp time is a little ahead of this clock too.
    const inserted = await db.query<{ message: MessageRow }>(
      `INSERT INTO messages (chat_id, sender, sender_type, kind, body, media_type, media, media_url, template,
                             client_datetime, sent_at, delivery_status, delivery_rank)
       VALUES ($1, $2, 'Executive', $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9,
               GREATEST(date_trunc('milliseconds', now()),
                        (SELECT max(sent_at) + interval '1 millisecond' FROM messages WHERE chat_id = $1)),
               'queued', $10)
       RETURNING to_jsonb(messages) AS message`,
      [
        draft.chatId,
        draft.executiveId,
        draft.kind,
        draft.body,
        draft.mediaType,
        media,
        draft.mediaLink,
        draft.template === null ? null : toJsonb(draft.template),
        draft.clientDatetime,
        DELIVERY_STATUSES.indexOf('queued'),
      ],
    );
    const message = inserted.rows[0]?.message as MessageRow;
    const updated = await db.query<{ chat: ChatRow }>(
      `UPDATE chats c SET
         last_message = CASE WHEN last_message_time IS NULL OR $3::timestamptz >= last_message_time
                             THEN $2 ELSE last_message END,
         last_interaction_by = 'Executive',
         last_message_time = GREATEST(last_message_time, $3::timestamptz),
         last_outgoing_message = GREATEST(last_outgoing_message, $3::timestamptz),
         unread_count = 0,
         version = version + 1,
         updated_at = now()
       WHERE id = $1
       RETURNING ${CHAT_ROW} AS chat`,
      [draft.chatId, draft.preview, message.sent_at],
    );
    await markChatSeen(db, draft.chatId, draft.executiveId);
    return {
      outcome: 'stored',
      chat: chatSummaryOf(updated.rows[0]?.chat as ChatRow),
      message: messageOf(message, mediaUrl),
    } as const;
  });
}
