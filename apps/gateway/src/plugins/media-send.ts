import { LIMITS, mediaPreview } from '@care-chat/contract';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';
import { HttpFailure } from '../errors.js';
import { fileNameOf, mediaSourceOf, replyMedia } from '../replies/media-source.js';
import { type ReplyOutcome, sendReply } from '../replies/send-reply.js';

interface MediaSendBody {
  chat_id: string;
  media_url: string;
  media_type: 'image' | 'document';
  caption?: string;
}

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

/** Fields the dashboard sends; `customer`, `sender` (possibly `"null"`), `customer_type` and `chat_number` are not read. */
const body = {
  type: 'object',
  required: ['chat_id', 'media_url', 'media_type'],
  properties: {
    chat_id: { type: 'string', minLength: 1, maxLength: LIMITS.id },
    media_url: { type: 'string', minLength: 1, maxLength: 2048 },
    media_type: { type: 'string', enum: ['image', 'document'] },
    caption: text(1024),
    customer: text(LIMITS.phone),
    sender: text(LIMITS.phone),
    customer_type: text(LIMITS.label),
    chat_number: text(LIMITS.label),
  },
} as const;

const answer = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'integer' },
    message_id: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
} as const;

const REFUSAL_STATUS = {
  not_found: 404,
  window_closed: 409,
  not_queued: 503,
} as const satisfies Record<Extract<ReplyOutcome, { ok: false }>['reason'], number>;

/** A multipart form of text fields only, each small: a file here is refused before it is read. */
const FORM_LIMITS = { files: 0, fields: LIMITS.fields, fieldSize: 4096, parts: LIMITS.fields } as const;

/**
 * `POST /api/media/send`: the second step of an attachment, after `/api/media/upload`, sent like a reply
 * (stored, queued, `new_message`). The chat's type is the chat's, the sender the token's. WhatsApp takes
 * media it holds by id (what the upload answers) and other media by its https link. Media is free-form: the
 * customer must have written within 24 hours.
 */
export default async function mediaSend(app: FastifyInstance) {
  requireExecutive(app);
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: FORM_LIMITS });
  const { publicUrl } = app.config.media;
  app.post<{ Body: MediaSendBody }>(
    '/api/media/send',
    { schema: { body, response: { 200: answer, 400: answer, 404: answer, 409: answer, 503: answer } } },
    async (request, reply) => {
      const { chat_id: chatId, media_url: url, media_type: mediaType, caption = '' } = request.body;
      const source = mediaSourceOf(url, publicUrl);
      if (source === null) {
        const why = 'media_url must be an https link, a link of this tier to a media id, or whatsapp-media:<id>';
        return reply.code(400).send(new HttpFailure(400, 'bad_media_url', why).body);
      }
      const media = replyMedia(source, caption, mediaType === 'document' ? fileNameOf(source) : null);
      const sent = await sendReply(app.replies, executiveOf(request), {
        chatId,
        kind: mediaType,
        body: caption,
        preview: mediaPreview(mediaType, media),
        template: null,
        mediaType,
        media,
        mediaLink: 'link' in source ? source.link : null,
        clientDatetime: null,
      });
      if (sent.ok) return { status: 1, message_id: sent.messageId };
      const status = REFUSAL_STATUS[sent.reason];
      return reply.code(status).send(new HttpFailure(status, sent.reason, sent.message).body);
    },
  );
}
