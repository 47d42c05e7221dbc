import type { MessageStatusUpdate } from '@care-chat/contract';

export type SendError = NonNullable<MessageStatusUpdate['error']>;

/** What came of one call to `POST /{phone_number_id}/messages`. */
export type SendAnswer =
  /** WhatsApp took the message, as this wamid. */
  | { kind: 'accepted'; wamid: string }
  /** Not taken, for now: limited or unwell. `retryAfterMs` is WhatsApp's own wait, when it said one. */
  | { kind: 'retry'; error: SendError; retryAfterMs: number | undefined }
  /** Not taken, and it never will be as it is. */
  | { kind: 'refused'; error: SendError }
  /** No answer (a timeout, a broken connection): WhatsApp may or may not have taken it. */
  | { kind: 'unknown'; reason: string };

export interface GraphSettings {
  accessToken: string;
  baseUrl: string;
  timeoutMs: number;
}

// Throughput and pair-rate limits (130429, 131056), the app's call limit (4, 80007) and Meta's own passing
// trouble (1, 2, 131000, 131016, 133004): answered 400 by Graph at times, and worth a later try all the same.
const RETRIED_CODES: ReadonlySet<number> = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004]);

interface GraphErrorBody {
  error?: { message?: unknown; code?: unknown; error_data?: { details?: unknown } };
}

function errorOf(status: number, body: unknown): SendError {
  const error = (body as GraphErrorBody | undefined)?.error;
  const code = typeof error?.code === 'number' ? error.code : status;
  const title = typeof error?.message === 'string' ? error.message : `WhatsApp answered ${status}`;
  const details = error?.error_data?.details;
  return { code, title, message: typeof details === 'string' ? details : title };
}

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now. */
function retryAfterOf(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

async function jsonOf(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

/** Sends one message from business number `phoneNumberId`, as the Cloud API takes it. Never throws. */
export async function sendToWhatsApp(
  graph: GraphSettings,
  phoneNumberId: string,
  message: object,
): Promise<SendAnswer> {
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(`${graph.baseUrl}/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${graph.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(graph.timeoutMs),
    });
    body = await jsonOf(response);
  } catch (err) {
    return { kind: 'unknown', reason: (err as Error).message };
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    const wamid = (body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    // Taken, though the answer does not say as what: the status webhooks will, by the reply's callback data.
    return typeof wamid === 'string'
      ? { kind: 'accepted', wamid }
      : { kind: 'unknown', reason: 'no wamid in the answer' };
  }
  const error = errorOf(status, body);
  if (status === 429 || status >= 500 || RETRIED_CODES.has(error.code)) {
    return { kind: 'retry', error, retryAfterMs: retryAfterOf(response.headers.get('retry-after'), Date.now()) };
  }
  return { kind: 'refused', error };
}
