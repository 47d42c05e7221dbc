import { Readable } from 'node:stream';
import { type Dispatcher, request } from 'undici';
import type { GatewayConfig } from '../env.js';
import { HttpFailure, WhatsAppFailure } from '../errors.js';
import { failureOfGraph, graphErrorOf, readJson, transportFailure } from '../whatsapp/graph-answer.js';
import { formStream, type StreamedFile } from './form-stream.js';

export interface UploadTarget {
  graph: GatewayConfig['graph'];
  dispatcher: Dispatcher;
}

const isUploaded = (value: unknown): value is { id: string } =>
  typeof (value as { id?: unknown } | null)?.id === 'string' && /^\d{1,32}$/.test((value as { id: string }).id);

/**
 * Streams a file to WhatsApp's media endpoint of business number `phoneNumberId` (`POST /{id}/media`,
 * `messaging_product=whatsapp`) as its bytes arrive, and gives the media id WhatsApp made. An error the
 * file's own chunks throw (a size limit) is thrown as it is; WhatsApp's failures as HttpFailures.
 */
export async function uploadToWhatsApp(
  phoneNumberId: string,
  file: Omit<StreamedFile, 'field'>,
  target: UploadTarget,
): Promise<string> {
  const { graph, dispatcher } = target;
  if (graph.accessToken === undefined) throw WhatsAppFailure.notConfigured();
  let refused: unknown;
  const chunks = (async function* () {
    try {
      yield* file.chunks;
    } catch (err) {
      refused = err;
      throw err;
    }
  })();
  const form = formStream(
    { messaging_product: 'whatsapp', type: file.contentType },
    { ...file, field: 'file', chunks },
  );
  try {
    const answer = await request(`${graph.baseUrl}/${phoneNumberId}/media`, {
      method: 'POST',
      dispatcher,
      headers: { authorization: `Bearer ${graph.accessToken}`, 'content-type': form.contentType },
      body: Readable.from(form.body),
      headersTimeout: graph.timeoutMs,
      bodyTimeout: graph.timeoutMs,
    });
    if (answer.statusCode !== 200) {
      const { code } = await graphErrorOf(answer);
      throw failureOfGraph(answer, code, 'the upload');
    }
    const uploaded = await readJson(answer.body, 64 * 1024);
    if (!isUploaded(uploaded)) throw WhatsAppFailure.upstream(answer.statusCode, 'the upload');
    return uploaded.id;
  } catch (err) {
    if (refused !== undefined) throw refused;
    throw err instanceof HttpFailure ? err : transportFailure(err);
  }
}
