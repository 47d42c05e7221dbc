import { type Dispatcher, errors } from 'undici';
import { HttpFailure, WhatsAppFailure } from '../errors.js';

type Body = Dispatcher.ResponseData['body'];

/** Lets an answer go unread. Destroying it makes it emit an error, which nothing else is there to hear. */
export function discard(body: Body): void {
  body.on('error', () => {});
  body.destroy();
}

/** A Graph answer's JSON, or undefined when it is not JSON or longer than `maxBytes` (then it is not Graph). */
export async function readJson(body: Body, maxBytes: number): Promise<unknown> {
  let text = '';
  for await (const chunk of body) {
    text += chunk;
    if (text.length > maxBytes) {
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

/** Graph's `error.code` of an answer that is not a success (its body read), and the answer's status. */
export async function graphErrorOf(answer: Dispatcher.ResponseData): Promise<{ status: number; code: unknown }> {
  const json = (await readJson(answer.body, 64 * 1024)) as { error?: { code?: unknown } } | undefined;
  return { status: answer.statusCode, code: json?.error?.code };
}

/** A failed Graph answer as this tier passes it on: rate limits and a refused token said as such. */
export function failureOfGraph(answer: Dispatcher.ResponseData, code: unknown, what: string): HttpFailure {
  const { statusCode: status, headers } = answer;
  if (status === 429) {
    const retryAfter = headers['retry-after'];
    return WhatsAppFailure.rateLimited(typeof retryAfter === 'string' ? retryAfter : undefined);
  }
  if (status === 401 || status === 403 || code === 190) return WhatsAppFailure.tokenRefused();
  return WhatsAppFailure.upstream(status, what);
}

/** Timeouts are WhatsApp being slow (504); anything else on the way (refused, reset, a bad name) is 502. */
export function transportFailure(err: unknown): HttpFailure {
  if (err instanceof HttpFailure) return err;
  const timedOut =
    err instanceof errors.ConnectTimeoutError ||
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError;
  return timedOut ? WhatsAppFailure.timeout() : WhatsAppFailure.unreachable();
}
