import { MEDIA_PATH, mediaPath } from '@care-chat/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Agent } from 'undici';
import { requireExecutive } from '../auth/require-executive.js';
import { HttpFailure, MediaFailure } from '../errors.js';
import { type MediaSource, openWhatsAppMedia } from '../media/whatsapp-media.js';

const failure = {
  type: 'object',
  properties: { status: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** WhatsApp's ids are digits; this keeps anything else from reaching a Graph URL. */
const mediaIdParams = {
  type: 'object',
  required: ['mediaId'],
  properties: { mediaId: { type: 'string', pattern: '^\\d{1,32}$' } },
} as const;

// The bytes of a media id never change: a browser may keep them while its link lasts.
const CACHE_SECONDS = 3600;

/**
 * Media customers sent, relayed from WhatsApp with the tier's access token, streamed: to an executive
 * with their token (`/api/whatsapp/downloadmedia/{id}`, as the dashboard asks when a message has no link),
 * and to anyone holding a signed link (`/api/media/{id}?exp&sig`, what `mediaUrl` points at, loaded as an
 * `<img src>` without headers). The media is the customer's: served so no browser runs it as a page.
 */
export default async function media(app: FastifyInstance) {
  const { graph, media: links } = app.config;
  const log = app.log.child({ module: 'media' });
  if (graph.accessToken === undefined) log.warn('WHATSAPP_ACCESS_TOKEN is not set: media downloads are refused');
  const agent = new Agent({ connectTimeout: graph.timeoutMs });
  app.addHook('onClose', () => agent.close());
  const source: MediaSource = { graph, maxBytes: links.maxBytes, dispatcher: agent };

  async function relay(reply: FastifyReply, id: string, cacheSeconds: number) {
    try {
      const download = await openWhatsAppMedia(id, source);
      download.body.on('error', (err) => log.warn({ err, mediaId: id }, 'media transfer broken off'));
      return reply
        .headers({
          'content-type': download.contentType,
          'content-length': String(download.size),
          'cache-control': `private, max-age=${cacheSeconds}`,
          'x-content-type-options': 'nosniff',
          'content-security-policy': "sandbox; default-src 'none'",
          'cross-origin-resource-policy': 'cross-origin',
        })
        .send(download.body);
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      if (err.status >= 500) log.warn({ mediaId: id, error: err.error }, err.message);
      if (err.retryAfter !== undefined) reply.header('retry-after', err.retryAfter);
      return reply.code(err.status).send(err.body);
    }
  }

  await app.register(async (executives) => {
    requireExecutive(executives);
    executives.get<{ Params: { mediaId: string } }>(
      '/api/whatsapp/downloadmedia/:mediaId',
      {
        schema: {
          params: mediaIdParams,
          // The dashboard names its page (`chat`, `customer_chat_new`, …); the media is the same whoever asks.
          querystring: { type: 'object', properties: { send_type: { type: 'string', maxLength: 64 } } },
        },
      },
      (request, reply) => relay(reply, request.params.mediaId, CACHE_SECONDS),
    );
  });

  const { signer } = links;
  if (signer === undefined) return;
  app.get<{ Params: { mediaId: string }; Querystring: { exp?: string; sig?: string } }>(
    `${MEDIA_PATH}/:mediaId`,
    {
      schema: {
        params: mediaIdParams,
        querystring: {
          type: 'object',
          properties: { exp: { type: 'string', maxLength: 16 }, sig: { type: 'string', maxLength: 64 } },
        },
        response: { 403: failure },
      },
    },
    (request, reply) => {
      const { mediaId } = request.params;
      const { exp, sig } = request.query;
      const check = signer.check(mediaPath(mediaId), exp, sig);
      if (check !== 'valid') {
        const refused = check === 'expired' ? MediaFailure.expired() : MediaFailure.forged();
        return reply.code(refused.status).send(refused.body);
      }
      return relay(reply, mediaId, Math.min(CACHE_SECONDS, signer.secondsLeft(exp ?? '')));
    },
  );
}
