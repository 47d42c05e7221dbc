import { randomBytes } from 'node:crypto';
import {
  ClientEvent,
  MEDIA_LINK_GRANULARITY_SECONDS,
  MEDIA_LINK_LIFETIME_SECONDS,
  mediaPath,
  ServerEvent,
} from '@care-chat/contract';
import { UrlSigner } from '@care-chat/runtime';
import {
  type AppProcess,
  closeAllClients,
  connectDashboard,
  createTestDatabase,
  FakeGraph,
  type GatewayNode,
  imageMessage,
  nextEvent,
  postWebhook,
  RandomBalancer,
  request,
  SAMPLE_NUMBERS,
  signToken,
  startGateway,
  startWorker,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  type TestDatabase,
  uniquePrefix,
  webhookBody,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'media-link-secret-for-tests-only-0123456789';
const MAX_BYTES = 200_000;
const TIMEOUT_MS = 500;
const token = signToken();
const bearer = { authorization: `Bearer ${token}` };

let fake: FakeGraph;
let balancer: RandomBalancer;
let database: TestDatabase;
let gateway: GatewayNode;
let worker: AppProcess;
let publicUrl: string;

beforeAll(async () => {
  const prefix = uniquePrefix();
  [fake, balancer, database] = await Promise.all([
    FakeGraph.start({ token: TEST_ACCESS_TOKEN }),
    RandomBalancer.start([]),
    createTestDatabase(),
  ]);
  // The public origin is the balancer's, as behind Railway's: links must work through it.
  publicUrl = balancer.url;
  const env = { DATABASE_URL: database.url, PUBLIC_URL: publicUrl, MEDIA_URL_SECRET: SECRET };
  gateway = await startGateway(prefix, {
    ...env,
    WHATSAPP_API_BASE_URL: fake.baseUrl,
    WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS),
    MEDIA_MAX_BYTES: String(MAX_BYTES),
  });
  balancer.setUpstreams([gateway.port]);
  worker = await startWorker(prefix, env);
});

afterEach(closeAllClients);

afterAll(async () => {
  await Promise.all([gateway?.process.stop(), worker?.stop()]);
  await Promise.all([fake?.close(), balancer?.close(), database?.drop()]);
});

const image = (size = 150_000) => {
  const bytes = randomBytes(size);
  return { bytes, id: fake.addMedia({ mimeType: 'image/jpeg', bytes }) };
};

const download = (id: string, headers: Record<string, string> = bearer) =>
  fetch(`${gateway.url}/api/whatsapp/downloadmedia/${id}?send_type=customer_chat_new`, { headers });

const signer = new UrlSigner({
  origin: '',
  secret: SECRET,
  lifetimeSeconds: MEDIA_LINK_LIFETIME_SECONDS,
  granularitySeconds: MEDIA_LINK_GRANULARITY_SECONDS,
});

async function expectFailure(answer: Response, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(await answer.json()).toEqual({ status: 0, error, message: expect.any(String) });
}

describe('GET /api/whatsapp/downloadmedia/{media_id}', () => {
  it("streams WhatsApp's bytes with their content type, fetched with the tier's token", async () => {
    const { bytes, id } = image();
    const answer = await download(id);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/jpeg');
    expect(answer.headers.get('content-length')).toBe(String(bytes.length));
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true);
    expect(fake.seen('media').at(-1)?.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(fake.seen('download').at(-1)?.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
  });

  it("takes an executive's token only", async () => {
    const { id } = image(10);
    expect((await download(id, {})).status).toBe(401);
    expect((await download(id, { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
  });

  it('answers 404 for media WhatsApp does not have', async () => {
    await expectFailure(await download('999000111222333'), 404, 'media_not_found');
  });

  it.each(['12ab', '1.2', '%2e%2e%2fme', '1'.repeat(33)])(
    'refuses the media id %j before asking WhatsApp',
    async (id) => {
      const before = fake.requests.length;
      const answer = await download(id);
      expect(answer.status).toBe(400);
      expect(fake.requests.length).toBe(before);
    },
  );

  it('answers 502 when WhatsApp refuses the token or fails, on either request', async () => {
    const { id } = image(10);
    fake.fail('media', { status: 401 });
    await expectFailure(await download(id), 502, 'whatsapp_token_refused');
    fake.fail('media', { status: 500 });
    await expectFailure(await download(id), 502, 'whatsapp_error');
    fake.fail('download', { status: 503 });
    await expectFailure(await download(id), 502, 'whatsapp_error');
    expect((await download(id)).status).toBe(200);
  });

  it("passes WhatsApp's 429 on with its Retry-After", async () => {
    const { id } = image(10);
    fake.fail('media', { status: 429, retryAfterSeconds: 7 });
    const answer = await download(id);
    expect(answer.headers.get('retry-after')).toBe('7');
    await expectFailure(answer, 429, 'whatsapp_rate_limited');
  });

  it('answers 504 when WhatsApp is slower than WHATSAPP_TIMEOUT_MS', async () => {
    const { id } = image(10);
    fake.fail('media', { delayMs: TIMEOUT_MS * 3 });
    await expectFailure(await download(id), 504, 'whatsapp_timeout');
    fake.fail('download', { delayMs: TIMEOUT_MS * 3 });
    await expectFailure(await download(id), 504, 'whatsapp_timeout');
  });

  it('refuses media over MEDIA_MAX_BYTES before reading any of it', async () => {
    const { id } = image(MAX_BYTES + 1);
    await expectFailure(await download(id), 413, 'media_too_large');
    expect(fake.seen('download').filter((seen) => seen.path.includes(id))).toEqual([]);
  });

  it('refuses bytes other than the declared size, and breaks a transfer cut short off', async () => {
    const bytes = randomBytes(50_000);
    const lying = fake.addMedia({ mimeType: 'image/png', bytes, declaredSize: 20_000 });
    await expectFailure(await download(lying), 502, 'whatsapp_error');

    const { id } = image(100_000);
    fake.fail('download', { truncateAfterBytes: 30_000 });
    const cut = await download(id);
    await expect(cut.arrayBuffer()).rejects.toThrow();
  });
});

describe('signed media links', () => {
  it('load with no headers at all, as an <img src> does, through the public origin', async () => {
    const { bytes, id } = image();
    const answer = await fetch(`${publicUrl}${signer.url(mediaPath(id))}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuse a missing, forged, borrowed or expired signature with 403', async () => {
    const { id } = image(10);
    const other = image(10).id;
    const path = mediaPath(id);
    const valid = new URL(`${publicUrl}${signer.url(path)}`);
    const forged = new URL(valid);
    forged.searchParams.set('sig', `${valid.searchParams.get('sig')?.slice(0, -2)}AA`);
    const later = new URL(valid);
    later.searchParams.set('exp', String(Number(valid.searchParams.get('exp')) + 600));
    const cases = [
      [`${publicUrl}${path}`, 'bad_signature'],
      [forged.href, 'bad_signature'],
      [later.href, 'bad_signature'],
      [`${publicUrl}${signer.url(mediaPath(other)).replace(other, id)}`, 'bad_signature'],
      [`${publicUrl}${signer.url(path, Date.now() - 2 * (MEDIA_LINK_LIFETIME_SECONDS + 600) * 1000)}`, 'link_expired'],
    ] as const;
    for (const [url, error] of cases) await expectFailure(await fetch(url), 403, error);
  });

  it('come in new_message and in the history, and load', async () => {
    const customer = `9198${Date.now() % 1e8}`;
    const first = image(1000);
    const client = await connectDashboard(gateway.url, token);
    await request(client, ClientEvent.JoinRoom, { room: 'CustomerApp' });
    const created = nextEvent(client, 'room_update_customer', 10_000, (chat) => chat.customer === customer);
    const post = (message: object) =>
      postWebhook(
        gateway.url,
        webhookBody([{ phoneNumberId: SAMPLE_NUMBERS.Customer, contacts: [{ wa_id: customer }], messages: [message] }]),
        TEST_APP_SECRET,
      );
    await post(imageMessage({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: customer, mediaId: first.id }));
    const chat = await created;
    await request(client, ClientEvent.JoinChat, { chat_id: chat.chat_id });

    const second = image(2000);
    const inbound = imageMessage({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: customer, mediaId: second.id });
    const arrival = nextEvent(client, ServerEvent.NewMessage, 10_000, (message) => message.wamid === inbound.id);
    await post(inbound);
    const broadcast = await arrival;
    expect(broadcast.mediaUrl).toMatch(new RegExp(`^${publicUrl}${mediaPath(second.id)}\\?exp=\\d+&sig=`));
    expect(broadcast.media_url).toBe(broadcast.mediaUrl);
    const loaded = await fetch(broadcast.mediaUrl as string);
    expect(Buffer.from(await loaded.arrayBuffer()).equals(second.bytes)).toBe(true);

    const history = await request(client, ClientEvent.FetchChatsByUser, { chat_id: chat.chat_id });
    if (history.status !== 1) throw new Error(`history refused: ${JSON.stringify(history)}`);
    const links = history.messages.map((message) => message.mediaUrl);
    expect(links).toHaveLength(2);
    const bytes = await Promise.all(
      links.map(async (link) => Buffer.from(await (await fetch(link ?? '')).arrayBuffer())),
    );
    expect(bytes.map((b) => b.length)).toEqual([2000, 1000]);
  });
});
