import { assertNever, replyCallbackData } from '@care-chat/contract';
import type { OutboundReply } from '@care-chat/store';

/** The media fields the Cloud API takes for an image or a document. */
const MEDIA_FIELDS = ['id', 'link', 'caption', 'filename'] as const;

function mediaObject(reply: OutboundReply): Record<string, unknown> {
  const media = reply.media ?? {};
  const fields = reply.kind === 'image' ? MEDIA_FIELDS.filter((field) => field !== 'filename') : MEDIA_FIELDS;
  return Object.fromEntries(fields.flatMap((field) => (media[field] === undefined ? [] : [[field, media[field]]])));
}

/**
 * The body of `POST /{phone_number_id}/messages` for a stored reply. Every one carries the reply's id as
 * `biz_opaque_callback_data`, which Meta echoes in its statuses: how a retry learns that an earlier call,
 * whose answer was lost, was taken.
 */
export function graphMessage(reply: OutboundReply, templateLanguage: string): object {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: reply.customer,
    biz_opaque_callback_data: replyCallbackData(reply.messageId),
  };
  switch (reply.kind) {
    case 'text':
      return { ...base, type: 'text', text: { body: reply.body, preview_url: false } };
    case 'template':
      return {
        ...base,
        type: 'template',
        template: {
          name: reply.template?.name ?? '',
          language: { code: reply.template?.language ?? templateLanguage },
        },
      };
    case 'image':
    case 'document':
      return { ...base, type: reply.kind, [reply.kind]: mediaObject(reply) };
    default:
      return assertNever(reply.kind);
  }
}
