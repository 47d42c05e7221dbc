import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import type { GatewayConfig } from '../env.js';
import { type HttpFailure, MediaFailure } from '../errors.js';
import { discard, failureOfGraph, graphErrorOf, readJson, transportFailure } from '../whatsapp/graph-answer.js';
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

/** Graph's metadata answers are small; more is not Graph. */
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

/** Graph's `error.code` 100 is "no such object" (subcode 33), answered 400, or 404 by the download host. */
async function failureOf(id: string, answer: Dispatcher.ResponseData): Promise<HttpFailure> {
  const { status, code } = await graphErrorOf(answer);
  if (status === 404 || (status === 400 && code === 100)) return MediaFailure.notFound(id);
  return failureOfGraph(answer, code, 'the media');
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
    const metadata = await readJson(answer.body, MAX_JSON_BYTES);
    if (!isMetadata(metadata)) throw MediaFailure.upstream(answer.statusCode, 'the media');
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
