import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InboundJob, parseWebhook } from '@care-chat/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escapeNonAscii,
  imageMessage,
  newWamid,
  postWebhook,
  signBody,
  statusUpdate,
  textMessage,
  textWebhook,
  webhookBody,
} from '../src/whatsapp-webhooks.js';

const SECRET = 'test-app-secret';
const PARTNER = '100000000000001';
const hmac = (raw: string | Buffer) => createHmac('sha256', SECRET).update(raw).digest('hex');

function jobsOf(body: unknown): InboundJob[] {
  const result = parseWebhook(body);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('signBody', () => {
  it.each([
    ['ASCII', '{"text":"hello"}'],
    ['non-ASCII', '{"text":"café 🚕 नमस्ते"}'],
  ])('equals the HMAC-SHA256 of the raw bytes of a %s body', (_, raw) => {
    expect(signBody(raw, SECRET)).toBe(`sha256=${hmac(raw)}`);
    expect(signBody(Buffer.from(raw), SECRET)).toBe(`sha256=${hmac(Buffer.from(raw, 'utf8'))}`);
    expect(signBody(raw, SECRET)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('escapeNonAscii', () => {
  it('writes non-ASCII as \\u escapes, emoji as surrogate pairs, and keeps the meaning', () => {
    const original = { text: 'café 🚕', name: 'Zoë' };
    const escaped = escapeNonAscii(JSON.stringify(original));
    expect(escaped).toBe('{"text":"caf\\u00e9 \\ud83d\\ude95","name":"Zo\\u00eb"}');
    expect(escaped).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(escaped)).toEqual(original);
  });
});

describe('builders', () => {
  it('builds a text webhook with one contact and one message', () => {
    const body = textWebhook({ phoneNumberId: PARTNER, from: '919800000001', name: 'Asha', text: 'Hi é' });
    const jobs = jobsOf(body);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job).toMatchObject({
      kind: 'message',
      business_number_id: PARTNER,
      contact: { profile: { name: 'Asha' }, wa_id: '919800000001' },
      message: { from: '919800000001', type: 'text', text: { body: 'Hi é' } },
    });
    expect(body.entry[0]?.changes[0]?.value.metadata.phone_number_id).toBe(PARTNER);
  });

  it('gives each message a fresh wamid and a unix-seconds timestamp', () => {
    const a = textMessage({ phoneNumberId: PARTNER, from: '1', text: 'a' });
    const b = textMessage({ phoneNumberId: PARTNER, from: '1', text: 'b', timestamp: 1767225600 });
    expect(a.id).toMatch(/^wamid\.[A-Za-z0-9+/=]{20,}$/);
    expect(a.id).not.toBe(b.id);
    expect(newWamid()).not.toBe(newWamid());
    expect(b.timestamp).toBe('1767225600');
    expect(Math.abs(Number(a.timestamp) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('builds an image message with caption and media id', () => {
    const message = imageMessage({ phoneNumberId: PARTNER, from: '919800000001', caption: 'box', mediaId: '42' });
    const jobs = jobsOf(
      webhookBody([{ phoneNumberId: PARTNER, contacts: [{ wa_id: '919800000001' }], messages: [message] }]),
    );
    expect(jobs.map((job) => job.kind)).toEqual(['message']);
    expect(jobs[0]).toMatchObject({
      message: { type: 'image', image: { caption: 'box', id: '42', mime_type: 'image/jpeg' } },
    });
  });

  it('builds a batch of three messages from two customers, each matched to its contact', () => {
    const [asha, ravi] = ['919800000001', '919800000002'];
    const body = webhookBody([
      {
        phoneNumberId: PARTNER,
        contacts: [
          { wa_id: asha, name: 'Asha' },
          { wa_id: ravi, name: 'Ravi' },
        ],
        messages: [
          textMessage({ phoneNumberId: PARTNER, from: asha, text: 'one' }),
          textMessage({ phoneNumberId: PARTNER, from: ravi, text: 'two' }),
          imageMessage({ phoneNumberId: PARTNER, from: asha }),
        ],
      },
    ]);
    const jobs = jobsOf(body);
    expect(jobs.map((job) => job.kind)).toEqual(['message', 'message', 'message']);
    for (const job of jobs) {
      if (job.kind !== 'message') throw new Error('expected a message job');
      expect(job.contact?.wa_id).toBe(job.message.from);
    }
    expect(new Set(jobs.map((job) => (job.kind === 'message' ? job.message.from : null))).size).toBe(2);
  });

  it('builds statuses, with errors on a failed one', () => {
    const wamid = newWamid();
    const jobs = jobsOf(
      webhookBody([
        {
          phoneNumberId: PARTNER,
          statuses: [
            statusUpdate({ wamid, status: 'delivered', recipient: '919800000001' }),
            statusUpdate({ wamid, status: 'failed', recipient: '919800000001' }),
          ],
        },
      ]),
    );
    expect(jobs.map((job) => job.kind)).toEqual(['status', 'status']);
    expect(jobs[0]).toMatchObject({ status: { id: wamid, status: 'delivered', recipient_id: '919800000001' } });
    expect(jobs[0]).not.toHaveProperty('status.errors');
    expect(jobs[1]).toMatchObject({ status: { status: 'failed', errors: [{ code: 131047 }] } });
  });

  it('accepts a business-scoped user with no phone number', () => {
    const userId = 'US.13491208655302741918';
    const { from: _, ...message } = textMessage({ phoneNumberId: PARTNER, from: 'unused', text: 'hi' });
    const body = webhookBody([
      {
        phoneNumberId: PARTNER,
        contacts: [{ user_id: userId, name: 'Hidden' }],
        messages: [{ ...message, from_user_id: userId }],
      },
    ]);
    expect(body.entry[0]?.changes[0]?.value.contacts).toEqual([{ profile: { name: 'Hidden' }, user_id: userId }]);
    const jobs = jobsOf(body);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'message', contact: { user_id: userId }, message: { from_user_id: userId } });
    expect(jobs[0]).not.toHaveProperty('message.from');
  });
});

describe('postWebhook', () => {
  const received: { url: string | undefined; headers: IncomingHttpHeaders; raw: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url, headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
    });
  });
  let baseUrl = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends escaped JSON signed over its raw bytes', async () => {
    const body = textWebhook({ phoneNumberId: PARTNER, from: '919800000001', text: 'Namaste 🙏 café' });
    expect(await postWebhook(baseUrl, body, SECRET)).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    const last = received.at(-1);
    expect(last?.url).toBe('/webhooks/whatsapp');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(last?.raw.toString('latin1')).toMatch(/^[\x20-\x7e]*$/);
    expect(last?.raw.toString()).toContain('\\ud83d\\ude4f');
    expect(last?.headers['x-hub-signature-256']).toBe(`sha256=${hmac(last?.raw ?? '')}`);
    expect(JSON.parse(last?.raw.toString() ?? '')).toEqual(body);
  });

  it('sends a string exactly as given, unsigned when the secret is null, or with an overriding signature', async () => {
    await postWebhook(baseUrl, '{"text":"é"}', null);
    expect(received.at(-1)?.raw.toString()).toBe('{"text":"é"}');
    expect(received.at(-1)?.headers).not.toHaveProperty('x-hub-signature-256');

    await postWebhook(baseUrl, {}, SECRET, { signature: 'sha256=00', headers: { 'x-extra': '1' } });
    expect(received.at(-1)?.headers).toMatchObject({ 'x-hub-signature-256': 'sha256=00', 'x-extra': '1' });
  });
});
