import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CustomerType, WhatsAppContact, WhatsAppMessage, WhatsAppStatus } from '@care-chat/contract';

/** The business account and display number every built body claims; nothing in this tier reads them. */
const BUSINESS_ACCOUNT_ID = '100000000000000';
const DISPLAY_PHONE_NUMBER = '15550001111';
const MEDIA_URL = 'https://lookaside.fbsbx.com/whatsapp_business/attachments/';

export interface InboundText {
  /** The business number the customer wrote to. */
  phoneNumberId: string;
  /** The customer's number, digits without `+`. */
  from: string;
  name?: string;
  text: string;
  wamid?: string;
  /** Unix seconds; now by default. */
  timestamp?: number;
}

export interface InboundImage extends Omit<InboundText, 'text'> {
  caption?: string;
  mediaId?: string;
}

export interface WebhookContactInput {
  wa_id?: string;
  /** A business-scoped user id, for users who hide their number (2026). */
  user_id?: string;
  name?: string;
}

/** One `changes[]` item: everything one business number received in one POST. */
export interface WebhookChange {
  phoneNumberId: string;
  contacts?: WebhookContactInput[];
  messages?: object[];
  statuses?: object[];
}

export interface WebhookValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: WhatsAppContact[];
  messages?: object[];
  statuses?: object[];
}

export interface WebhookBody {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { value: WebhookValue; field: 'messages' }[] }[];
}

export type StatusKind = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusInput {
  /** The wamid of the business message. */
  wamid: string;
  status: StatusKind;
  recipient: string;
  timestamp?: number;
  errors?: WhatsAppStatus['errors'];
}

/** A fresh message id in Meta's form: `wamid.` and base64. */
export function newWamid(): string {
  return `wamid.${randomBytes(30).toString('base64')}`;
}

const unixSeconds = (timestamp: number | undefined): string => String(timestamp ?? Math.floor(Date.now() / 1000));

/** A `messages[]` item of type `text`. */
export function textMessage(m: InboundText): WhatsAppMessage {
  return {
    from: m.from,
    id: m.wamid ?? newWamid(),
    timestamp: unixSeconds(m.timestamp),
    type: 'text',
    text: { body: m.text },
  };
}

/** A `messages[]` item of type `image`, with the media fields Meta sends (the URL is fake). */
export function imageMessage(m: InboundImage): WhatsAppMessage {
  // Media ids are 16 digits; randomInt cannot span that range in one call.
  const mediaId = m.mediaId ?? `${randomInt(1e7, 1e8)}${randomInt(1e7, 1e8)}`;
  return {
    from: m.from,
    id: m.wamid ?? newWamid(),
    timestamp: unixSeconds(m.timestamp),
    type: 'image',
    image: {
      ...(m.caption === undefined ? {} : { caption: m.caption }),
      mime_type: 'image/jpeg',
      sha256: randomBytes(32).toString('base64'),
      id: mediaId,
      url: `${MEDIA_URL}?mid=${mediaId}&source=webhook&ext=1767229260&hash=ARx0FAKE0HASH`,
    },
  };
}

/** A `statuses[]` item. A failed status always carries `errors[]` in Meta's payloads, so one is supplied. */
export function statusUpdate(s: StatusInput): WhatsAppStatus {
  const errors =
    s.errors ??
    (s.status === 'failed'
      ? [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: { details: 'More than 24 hours have passed since the recipient last replied.' },
          },
        ]
      : undefined);
  return {
    id: s.wamid,
    status: s.status,
    timestamp: unixSeconds(s.timestamp),
    recipient_id: s.recipient,
    ...(errors === undefined ? {} : { errors }),
  };
}

function contact(c: WebhookContactInput): WhatsAppContact {
  return {
    profile: { name: c.name ?? 'Test Customer' },
    ...(c.wa_id === undefined ? {} : { wa_id: c.wa_id }),
    ...(c.user_id === undefined ? {} : { user_id: c.user_id }),
  };
}

/** A full webhook body: one business account entry with one change per business number. */
export function webhookBody(changes: WebhookChange[]): WebhookBody {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: BUSINESS_ACCOUNT_ID,
        changes: changes.map((change) => ({
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: DISPLAY_PHONE_NUMBER, phone_number_id: change.phoneNumberId },
            ...(change.contacts === undefined ? {} : { contacts: change.contacts.map(contact) }),
            ...(change.messages === undefined ? {} : { messages: change.messages }),
            ...(change.statuses === undefined ? {} : { statuses: change.statuses }),
          },
          field: 'messages',
        })),
      },
    ],
  };
}

/** One customer's text to one business number, as a whole body. */
export function textWebhook(m: InboundText): WebhookBody {
  return webhookBody([
    { phoneNumberId: m.phoneNumberId, contacts: [{ wa_id: m.from, name: m.name }], messages: [textMessage(m)] },
  ]);
}

/**
 * Meta's serialiser writes every non-ASCII character as `\uXXXX` (emoji as surrogate pairs) and signs
 * those bytes, so a gateway that re-serialises the parsed body computes a different signature. Non-ASCII
 * can only occur inside JSON strings, where the escape means the same character.
 */
export function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The `X-Hub-Signature-256` value for `raw`: `sha256=` and the hex HMAC-SHA256 under the app secret. */
/** The app secret and verify token every test gateway is started with. */
export const TEST_APP_SECRET = 'test-app-secret-never-used-outside-tests';
export const TEST_VERIFY_TOKEN = 'test-verify-token-123';
/** The Cloud API access token test gateways send, and the fake Graph API accepts. */
export const TEST_ACCESS_TOKEN = 'test-whatsapp-access-token';

/**
 * Business numbers (phone_number_id) of the four customer types in tests, and the simulator's defaults
 * when WHATSAPP_NUMBERS lacks a type: the worker must be given the same map to route them.
 */
export const SAMPLE_NUMBERS = {
  Partner: '100000000000001',
  Customer: '100000000000002',
  Vendor: '100000000000003',
  SRDP: '100000000000004',
} as const satisfies Record<CustomerType, string>;

export function signBody(raw: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}

export interface PostWebhookInit {
  headers?: Record<string, string>;
  /** Sent instead of the computed signature. */
  signature?: string;
}

/**
 * POSTs a webhook to `${baseUrl}/webhooks/whatsapp` as Meta would. An object is serialised and escaped the
 * way Meta does; a string or bytes go out exactly as given, for tests that need particular raw bytes. The
 * body is signed with `appSecret` unless it is null (no signature header) or `init.signature` is set.
 *
 * Each request has a connection of its own, and the answer counts even when the server closed the
 * connection before taking the whole body (as it does for one over its limit): a shared, kept-alive
 * connection the server has just closed, or the rest of a refused body, would otherwise fail the request.
 * When that close cuts the write before the answer is read (EPIPE), the webhook is posted again: the server
 * cannot have taken a body it did not read, and Meta, too, posts again a delivery that got no answer.
 */
export function postWebhook(
  baseUrl: string,
  body: unknown,
  appSecret: string | null,
  init: PostWebhookInit = {},
): Promise<{ status: number; text: string }> {
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : escapeNonAscii(JSON.stringify(body));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
  const signature = init.signature ?? (appSecret === null ? undefined : signBody(raw, appSecret));
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  headers['content-length'] = String(Buffer.byteLength(raw));
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/webhooks/whatsapp`);
  const attempt = (left: number): Promise<{ status: number; text: string }> =>
    postOnce(url, headers, raw).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' || left === 0) throw err;
      return attempt(left - 1);
    });
  return attempt(2);
}

function postOnce(
  url: URL,
  headers: Record<string, string>,
  raw: string | Uint8Array,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers, agent: false });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(raw);
  });
}
