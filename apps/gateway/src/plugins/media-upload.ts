import type { Readable } from 'node:stream';
import {
  CUSTOMER_TYPES,
  type CustomerType,
  SNIFF_BYTES,
  sniffUploadType,
  UPLOAD_MAX_BYTES,
  UPLOAD_TYPES,
} from '@care-chat/contract';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Agent } from 'undici';
import { executiveOf, requireExecutive } from '../auth/require-executive.js';
import type { BusinessNumber } from '../env.js';
import { AccessFailure, HttpFailure, UploadFailure, WhatsAppFailure } from '../errors.js';
import { atMost } from '../media/byte-limit.js';
import { dropTheRest } from '../media/refuse-unread.js';
import { uploadToWhatsApp } from '../media/whatsapp-upload.js';

/** The first `bytes` bytes of a stream (fewer if it is shorter), and every chunk of it, those included. */
async function readHead(stream: Readable, bytes: number) {
  const iterator: AsyncIterator<Buffer> = stream[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done === true) break;
    read.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(read);
  async function* chunks(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { head, chunks: chunks() };
}

/** What the multipart parser throws (a body cut short, no boundary) is the client's body at fault. */
const malformed = (err: unknown): HttpFailure =>
  err instanceof HttpFailure ? err : UploadFailure.malformed((err as Error).message);

async function* parsed(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    throw malformed(err);
  }
}

type Upload = { Querystring: { stakeholder?: CustomerType } };

/**
 * `POST /api/media/upload`: one file (multipart field `file`; parts after it are not read), its type told by its first bytes and held to
 * WhatsApp's size for that type, streamed to WhatsApp's media endpoint as it arrives (never kept here), and
 * answered with the media id and a link that `POST /api/media/send` takes and a browser can load. The file
 * goes to the number of `?stakeholder=`, or, as the dashboard names none, of the first of the executive's
 * types that has one.
 */
export default async function mediaUpload(app: FastifyInstance) {
  const { graph, media } = app.config;
  const cap = Math.min(UPLOAD_MAX_BYTES, media.maxBytes);
  const agent = new Agent({ connectTimeout: graph.timeoutMs });
  app.addHook('onClose', () => agent.close());
  // One byte past the largest, so busboy never cuts a file short before the type's own limit refuses it.
  await app.register(multipart, {
    limits: { files: 1, fileSize: cap + 1, fields: 8, fieldSize: 1024, parts: 9, headerPairs: 32 },
    throwFileSizeLimit: false,
  });

  function numberFor(request: FastifyRequest<Upload>): BusinessNumber {
    const { stakeholder } = request.query;
    const allowed = executiveOf(request).customerTypes;
    if (stakeholder !== undefined && !allowed.includes(stakeholder)) throw AccessFailure.forbiddenType(stakeholder);
    const type = stakeholder ?? allowed.find((t) => graph.numbers[t] !== undefined);
    const number = type === undefined ? undefined : graph.numbers[type];
    if (number === undefined) throw WhatsAppFailure.noNumber(stakeholder ?? allowed.join(', '));
    return number;
  }

  requireExecutive(app);
  app.post<Upload>(
    '/api/media/upload',
    {
      schema: {
        querystring: { type: 'object', properties: { stakeholder: { type: 'string', enum: [...CUSTOMER_TYPES] } } },
        response: {
          200: {
            type: 'object',
            required: ['status', 'url', 'media_id', 'mime_type', 'media_type'],
            properties: {
              status: { type: 'integer' },
              url: { type: 'string' },
              media_id: { type: 'string' },
              mime_type: { type: 'string' },
              media_type: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) => {
      try {
        const number = numberFor(request);
        if (graph.accessToken === undefined) throw WhatsAppFailure.notConfigured();
        const part = request.isMultipart()
          ? await request.file().catch((err) => Promise.reject(malformed(err)))
          : undefined;
        if (part === undefined || part.fieldname !== 'file') throw UploadFailure.noFile();
        const { head, chunks } = await readHead(part.file, SNIFF_BYTES).catch((err) => Promise.reject(malformed(err)));
        const mimeType = sniffUploadType(head, { mimeType: part.mimetype, fileName: part.filename });
        if (mimeType === undefined) throw UploadFailure.unknownType(part.mimetype);
        const limit = Math.min(UPLOAD_TYPES[mimeType].maxBytes, media.maxBytes);
        const id = await uploadToWhatsApp(
          number.phoneNumberId,
          {
            fileName: part.filename || 'upload',
            contentType: mimeType,
            chunks: atMost(parsed(chunks), limit, () => UploadFailure.tooLarge(mimeType, limit)),
          },
          { graph, dispatcher: agent },
        );
        // Without signed links the id goes as it is, in the form /api/media/send takes.
        const url = media.url(id) ?? `whatsapp-media:${id}`;
        return { status: 1, url, media_id: id, mime_type: mimeType, media_type: UPLOAD_TYPES[mimeType].kind };
      } catch (err) {
        if (!(err instanceof HttpFailure)) throw err;
        if (err.retryAfter !== undefined) reply.header('retry-after', err.retryAfter);
        dropTheRest(request.raw, reply.raw);
        return reply.code(err.status).send(err.body);
      }
    },
  );
}
