import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { type Dispatcher, errors, request } from 'undici';
import type { GatewayConfig } from '../env.js';
import { HttpFailure, MediaFailure } from '../errors.js';
import { ExactLength } from './byte-limit.js';

/** Media on its way from WhatsApp: what it is, how long, and its bytes as they arrive. */
export interface MediaDownload {
  contentType: string;
  size: number;
  body: Readable;
}

export interface MediaSource {
  graph: GatewayConfig['graph'];
  maxBytes: number;
  dispatcher: Dispatcher;
}

interface Metadata {
  url: string;
  mime_type: string;
  file_size: number;
}

const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w.+-]+=[\w.+-]+)*$/;

/** Graph's metadata and error answers are small; more is not Graph. */
const MAX_JSON_BYTES = 64 * 1024;

const isMetadata = (value: unknown): value is Metadata => {
  const answer = value as Partial<Metadata> | null;
  return (
    typeof answer?.url === 'string' &&
    URL.canParse(answer.url) &&
    typeof answer.mime_type === 'string' &&
    Number.isSafeInteger(answer.file_size) &&
    (answer.file_size ?? -1) >= 0
  );
};

/** Lets an answer go unread. Destroying it makes it emit an error, which nothing else is there to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

async function readJson(body: Dispatcher.ResponseData['body']): Promise<unknown> {
  let text = '';
  for await (const chunk of body) {
    text += chunk;
    if (text.length > MAX_JSON_BYTES) {
      discard(body);
      return undefined;
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Graph's `error.code` 100 is "no such object" (subcode 33), answered 400, or 404 by the download host. */
async function failureOf(id: string, answer: Dispatcher.ResponseData): Promise<HttpFailure> {
  const { statusCode: status, headers } = answer;
  const graphCode = ((await readJson(answer.body)) as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (status === 429) {
    const retryAfter = headers['retry-after'];
    return MediaFailure.rateLimited(typeof retryAfter === 'string' ? retryAfter : undefined);
  }
  if (status === 401 || status === 403 || graphCode === 190) return MediaFailure.tokenRefused();
  if (status === 404 || (status === 400 && graphCode === 100)) return MediaFailure.notFound(id);
  return MediaFailure.upstream(status);
}

/** Timeouts are WhatsApp being slow (504); anything else on the way (refused, reset, a bad name) is 502. */
function transportFailure(err: unknown): HttpFailure {
  if (err instanceof HttpFailure) return err;
  const timedOut =
    err instanceof errors.ConnectTimeoutError ||
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError;
  return timedOut ? MediaFailure.timeout() : MediaFailure.unreachable();
}

/**
 * Opens media `id` at WhatsApp as the Cloud API serves it: its metadata (`GET /{media-id}`), then the bytes
 * at the short-lived URL the metadata names, both with the tier's access token. The bytes are streamed, not
 * held; media over `maxBytes` is refused before any is read. Throws an HttpFailure saying what went wrong.
 */
export async function openWhatsAppMedia(id: string, source: MediaSource): Promise<MediaDownload> {
  const { graph, maxBytes, dispatcher } = source;
  if (graph.accessToken === undefined) throw MediaFailure.notConfigured();
  const options = {
    dispatcher,
    headers: { authorization: `Bearer ${graph.accessToken}` },
    headersTimeout: graph.timeoutMs,
    bodyTimeout: graph.timeoutMs,
  };
  try {
    const answer = await request(`${graph.baseUrl}/${id}`, options);
    if (answer.statusCode !== 200) throw await failureOf(id, answer);
    const metadata = await readJson(answer.body);
    if (!isMetadata(metadata)) throw MediaFailure.upstream(answer.statusCode);
    if (metadata.file_size > maxBytes) throw MediaFailure.tooLarge(metadata.file_size, maxBytes);
    const bytes = await request(metadata.url, options);
    if (bytes.statusCode !== 200) throw await failureOf(id, bytes);
    // What the metadata declared is what the answer's Content-Length says; a download announcing other is
    // not that media. One announcing nothing (chunked) is held to the declared size as it streams.
    const length = Number(bytes.headers['content-length'] ?? metadata.file_size);
    if (length !== metadata.file_size) {
      discard(bytes.body);
      throw MediaFailure.sizeMismatch(metadata.file_size, length);
    }
    const body = pipeline(bytes.body, new ExactLength(metadata.file_size), () => {});
    // A type a header cannot carry is sent as what it surely is: bytes.
    const contentType = MIME_TYPE.test(metadata.mime_type) ? metadata.mime_type : 'application/octet-stream';
    return { contentType, size: metadata.file_size, body };
  } catch (err) {
    throw transportFailure(err);
  }
}
