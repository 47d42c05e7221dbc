import { request as httpRequest } from 'node:http';
import {
  FakeGraph,
  type GatewayNode,
  SAMPLE_NUMBERS,
  signToken,
  startGateway,
  TEST_ACCESS_TOKEN,
  uniquePrefix,
} from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'media-upload-link-secret-for-tests-0123456789';
/** The origin links name, as behind a proxy; the gateway serves them at its own address too. */
const PUBLIC_URL = 'https://chat.example.com';
const MB = 1024 * 1024;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let fake: FakeGraph;
/** Signs media links. */
let gateway: GatewayNode;
/** Makes no links, and relays at most 1 MB. */
let plain: GatewayNode;

beforeAll(async () => {
  fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  const graph = { WHATSAPP_API_BASE_URL: fake.baseUrl, WHATSAPP_TIMEOUT_MS: '1000' };
  plain = await startGateway(uniquePrefix(), { ...graph, MEDIA_MAX_BYTES: String(MB) });
  gateway = await startGateway(uniquePrefix(), { ...graph, PUBLIC_URL, MEDIA_URL_SECRET: SECRET });
});

afterAll(async () => {
  await Promise.all([gateway?.process.stop(), plain?.process.stop()]);
  await fake?.close();
});

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46];
const jpeg = (size: number) => {
  const bytes = Buffer.alloc(size, 0x5a);
  Buffer.from(JPEG_HEAD).copy(bytes);
  return bytes;
};

interface Answer {
  status: number;
  url?: string;
  media_id?: string;
  mime_type?: string;
  media_type?: string;
  error?: string;
  message?: string;
}

/** The dashboard's call: fetch() with a FormData holding `file`, its Bearer token, nothing else. */
async function upload(
  node: GatewayNode,
  file: { bytes: Buffer; type: string; name: string } | null,
  options: { token?: string | null; query?: string; body?: string | Uint8Array; contentType?: string } = {},
) {
  const { token = signToken(), query = '', contentType } = options;
  let body: string | Uint8Array | FormData | undefined = options.body;
  if (body === undefined) {
    const form = new FormData();
    if (file !== null) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    else form.append('caption', 'no file');
    body = form;
  }
  const answer = await fetch(`${node.url}/api/media/upload${query}`, {
    method: 'POST',
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(contentType !== undefined && { 'content-type': contentType }),
    },
    body,
  });
  return { code: answer.status, retryAfter: answer.headers.get('retry-after'), body: (await answer.json()) as Answer };
}

const uploads = () => fake.uploads.received.length;

describe('POST /api/media/upload', () => {
  it('streams the file to WhatsApp from the executive’s first number, and answers a link a browser loads', async () => {
    const bytes = jpeg(300_000);
    const { code, body } = await upload(gateway, { bytes, type: 'image/jpeg', name: 'receipt.jpg' });
    expect(code).toBe(200);
    const received = fake.uploads.received.at(-1);
    expect(received).toMatchObject({
      phoneNumberId: SAMPLE_NUMBERS.Partner,
      type: 'image/jpeg',
      fileType: 'image/jpeg',
      fileName: 'receipt.jpg',
    });
    expect(received?.bytes.equals(bytes)).toBe(true);
    expect(body).toMatchObject({ status: 1, media_id: received?.id, mime_type: 'image/jpeg', media_type: 'image' });
    expect(body.url).toMatch(new RegExp(`^${PUBLIC_URL}/api/media/${received?.id}\\?exp=\\d+&sig=`));
    // As an <img src>: no headers.
    const shown = await fetch((body.url ?? '').replace(PUBLIC_URL, gateway.url));
    expect(shown.status).toBe(200);
    expect(Buffer.from(await shown.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('uploads to the number of ?stakeholder=, taking the declared type only to tell Office files apart', async () => {
    const docx = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(5000, 1)]);
    const { body } = await upload(
      gateway,
      { bytes: docx, type: 'application/octet-stream', name: 'fleet list.docx' },
      { query: '?stakeholder=Vendor' },
    );
    expect(body).toMatchObject({ status: 1, mime_type: DOCX, media_type: 'document' });
    expect(fake.uploads.received.at(-1)).toMatchObject({ phoneNumberId: SAMPLE_NUMBERS.Vendor, type: DOCX });
  });

  it('answers the id as whatsapp-media:<id> where no links are made', async () => {
    const { body } = await upload(plain, { bytes: jpeg(2000), type: 'image/jpeg', name: 'a.jpg' });
    expect(body).toMatchObject({ status: 1, url: `whatsapp-media:${body.media_id}` });
  });

  it.each([
    ['no token', { token: null }, 401, 'missing_token'],
    [
      'a type the executive may not see',
      { query: '?stakeholder=Vendor', token: signToken({ customer_types: ['Partner'] }) },
      403,
      'forbidden_customer_type',
    ],
    ['an unknown stakeholder', { query: '?stakeholder=Driver' }, 400, 'validation'],
    ['a JSON body', { body: JSON.stringify({ file: 'x' }), contentType: 'application/json' }, 400, 'no_file'],
    [
      'a multipart body without a boundary',
      { body: 'abc', contentType: 'multipart/form-data' },
      400,
      'malformed_multipart',
    ],
    [
      'a multipart body cut short inside the file',
      {
        body: Buffer.concat([
          Buffer.from('--X\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'),
          Buffer.from(JPEG_HEAD),
          Buffer.from(' and no end'),
        ]),
        contentType: 'multipart/form-data; boundary=X',
      },
      400,
      'malformed_multipart',
    ],
  ])('refuses %s with status 0, uploading nothing', async (_name, options, code, error) => {
    const before = uploads();
    const file = { bytes: jpeg(1000), type: 'image/jpeg', name: 'a.jpg' };
    expect(await upload(gateway, file, options)).toMatchObject({ code, body: { status: 0, error } });
    expect(uploads()).toBe(before);
  });

  it('refuses a form without a file, and content that is no type WhatsApp takes, whatever it is called', async () => {
    const before = uploads();
    expect(await upload(gateway, null)).toMatchObject({ code: 400, body: { status: 0, error: 'no_file' } });
    const html = { bytes: Buffer.from('<html><script>alert(1)</script></html>'), type: 'image/jpeg', name: 'a.jpg' };
    expect(await upload(gateway, html)).toMatchObject({
      code: 415,
      body: { status: 0, error: 'unsupported_media_type' },
    });
    const zip = { bytes: Buffer.from('PK\u0003\u0004 not office'), type: 'application/zip', name: 'a.zip' };
    expect((await upload(gateway, zip)).code).toBe(415);
    expect(uploads()).toBe(before);
  });

  it('holds each type to WhatsApp’s limit, and every file to MEDIA_MAX_BYTES', async () => {
    const before = uploads();
    expect(await upload(gateway, { bytes: jpeg(5 * MB + 1), type: 'image/jpeg', name: 'big.jpg' })).toMatchObject({
      code: 413,
      body: { status: 0, error: 'media_too_large', message: `A image/jpeg file may have at most ${5 * MB} bytes` },
    });
    expect((await upload(gateway, { bytes: jpeg(5 * MB), type: 'image/jpeg', name: 'max.jpg' })).body.status).toBe(1);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MB)]);
    expect(await upload(plain, { bytes: pdf, type: 'application/pdf', name: 'a.pdf' })).toMatchObject({
      code: 413,
      body: { status: 0, error: 'media_too_large' },
    });
    expect(uploads()).toBe(before + 1);
  });

  it('answers 413 while an oversized file is still arriving, without reading the rest', async () => {
    const total = 60 * MB;
    const boundary = 'oversized-boundary';
    const preamble = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const before = uploads();
    let closed!: Promise<void>;
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered: number | undefined;
      const req = httpRequest(`${gateway.url}/api/media/upload`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${signToken()}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(preamble.length + total),
        },
      });
      req.on('response', (res) => {
        answered = res.statusCode;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
      });
      req.on('error', (err) => (answered === undefined ? reject(err) : undefined));
      req.on('socket', (socket) => {
        closed = new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error('the gateway kept the connection open')), 5000);
          socket.once('close', () => done(clearTimeout(timer)));
        });
      });
      req.write(preamble);
      const chunk = jpeg(256 * 1024);
      const more = () => {
        while (answered === undefined && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', more);
        }
      };
      more();
    });
    expect(status).toBe(413);
    expect(sent, 'bytes sent before the answer').toBeLessThan(total / 2);
    // The client sends no more, and does not end its request: the gateway does not wait for the rest.
    await closed;
    expect(uploads()).toBe(before);
  });

  it('passes WhatsApp’s failures on as status 0, saying which', async () => {
    const file = { bytes: jpeg(1000), type: 'image/jpeg', name: 'a.jpg' };
    fake.fail('upload', { status: 500 });
    expect(await upload(gateway, file)).toMatchObject({
      code: 502,
      body: { status: 0, error: 'whatsapp_error', message: 'WhatsApp answered 500 for the upload: try again later' },
    });
    fake.fail('upload', { status: 429, retryAfterSeconds: 3 });
    expect(await upload(gateway, file)).toMatchObject({
      code: 429,
      retryAfter: '3',
      body: { status: 0, error: 'whatsapp_rate_limited' },
    });
    fake.fail('upload', { status: 401 });
    expect(await upload(gateway, file)).toMatchObject({ code: 502, body: { error: 'whatsapp_token_refused' } });
    fake.fail('upload', { delayMs: 3000 });
    expect(await upload(gateway, file)).toMatchObject({ code: 504, body: { error: 'whatsapp_timeout' } });
    expect((await upload(gateway, file)).body.status).toBe(1);
  });
});
