import { type MessageTemplate, redisKeys } from '@care-chat/contract';
import {
  FakeGraph,
  type FakeTemplate,
  type GatewayNode,
  SAMPLE_BUSINESS_ACCOUNTS,
  SAMPLE_NUMBERS,
  sampleTemplates,
  signToken,
  startGateway,
  TEST_ACCESS_TOKEN,
  uniquePrefix,
} from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const TIMEOUT_MS = 500;
const prefix = uniquePrefix();
let fake: FakeGraph;
let gateways: GatewayNode[];
/** A gateway of a deployment where only Partner has a number. */
let partnerOnly: GatewayNode;
let redis: Redis;

const { Partner: PARTNER, Customer: CUSTOMER, Vendor: VENDOR, SRDP } = SAMPLE_BUSINESS_ACCOUNTS;

/** 230 templates, a fifth of them not approved: three pages of Graph's 100. */
const MANY: FakeTemplate[] = Array.from({ length: 230 }, (_, i) => ({
  id: `3000${i}`,
  name: `reply_${i}`,
  language: i % 2 === 0 ? 'en_US' : 'hi',
  status: i % 5 === 4 ? 'REJECTED' : 'APPROVED',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: `Reply number ${i}` }],
}));

beforeAll(async () => {
  fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  fake.templates.set(PARTNER, sampleTemplates('Partner'));
  fake.templates.set(CUSTOMER, MANY);
  fake.templates.set(VENDOR, sampleTemplates('Vendor'));
  fake.templates.set(SRDP, sampleTemplates('SRDP'));
  const env = { WHATSAPP_API_BASE_URL: fake.baseUrl, WHATSAPP_TIMEOUT_MS: String(TIMEOUT_MS) };
  gateways = await Promise.all([startGateway(prefix, env), startGateway(prefix, env)]);
  partnerOnly = await startGateway(uniquePrefix(), {
    ...env,
    WHATSAPP_NUMBERS: JSON.stringify({ Partner: SAMPLE_NUMBERS.Partner }),
    WHATSAPP_BUSINESS_ACCOUNTS: JSON.stringify({ Partner: PARTNER }),
  });
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  await Promise.all([...(gateways ?? []), partnerOnly].map((gateway) => gateway?.process.stop()));
  redis?.disconnect();
  await fake?.close();
});

interface Answer {
  status: number;
  templates?: MessageTemplate[];
  stale?: boolean;
  stale_reason?: string;
  fetched_at?: string;
  error?: string;
  message?: string;
}

async function templatesOf(
  gateway: GatewayNode,
  query: string,
  token: string | null = signToken(),
): Promise<{ code: number; retryAfter: string | null; body: Answer }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(`${gateway.url}/api/templates${query}`, { headers });
  return { code: answer.status, retryAfter: answer.headers.get('retry-after'), body: (await answer.json()) as Answer };
}

const graphCalls = (accountId: string) =>
  fake.seen('templates').filter((request) => request.path.includes(`/${accountId}/`)).length;

/** Makes the cached list of `accountId` older than TEMPLATES_CACHE_S, as time would. */
async function age(accountId: string) {
  const key = redisKeys(prefix).templates(accountId);
  const cached = JSON.parse((await redis.get(key)) ?? 'null');
  expect(cached, `a cached list for ${accountId}`).not.toBeNull();
  await redis.set(key, JSON.stringify({ ...cached, fetched_at: '2020-01-01T00:00:00.000Z' }));
}

describe('GET /api/templates', () => {
  it('lists the approved templates of the type’s account, in the dashboard’s fields, every page followed', async () => {
    const { code, body } = await templatesOf(gateways[0] as GatewayNode, '?stakeholder=Customer');
    expect(code).toBe(200);
    const approved = MANY.filter((t) => t.status === 'APPROVED');
    expect(body.status).toBe(1);
    expect(body.stale).toBe(false);
    expect(body.templates?.map((t) => t.id)).toEqual(approved.map((t) => t.id));
    expect(body.templates?.[1]).toEqual({ ...approved[1], content: 'Reply number 1' });
    expect(graphCalls(CUSTOMER)).toBe(3);
  });

  it('gives the picker id, name, language, category and the body as content; never a template WhatsApp would refuse', async () => {
    const { body } = await templatesOf(gateways[0] as GatewayNode, '?stakeholder=Vendor');
    const [reminder, followUp] = sampleTemplates('Vendor');
    expect(
      body.templates?.map(({ id, name, language, category, content, status }) => ({
        id,
        name,
        language,
        category,
        content,
        status,
      })),
    ).toEqual([
      {
        id: reminder?.id,
        name: 'vendor_document_reminder',
        language: 'en_US',
        category: 'UTILITY',
        content: 'Hi {{1}}, please upload your pending documents to continue.',
        status: 'APPROVED',
      },
      {
        id: followUp?.id,
        name: 'vendor_follow_up',
        language: 'hi',
        category: 'MARKETING',
        content: 'Namaste! Kya aapki samasya hal ho gayi?',
        status: 'APPROVED',
      },
    ]);
  });

  it('is cached for every gateway: the other one answers without asking WhatsApp', async () => {
    const first = await templatesOf(gateways[0] as GatewayNode, '?stakeholder=Partner');
    const calls = graphCalls(PARTNER);
    fake.fail('templates', { status: 500 });
    const second = await templatesOf(gateways[1] as GatewayNode, '?stakeholder=Partner');
    expect(second.body).toEqual(first.body);
    expect(graphCalls(PARTNER)).toBe(calls);
    // The fault is still waiting: no gateway asked WhatsApp. Meeting it here clears it for the next test.
    const direct = await fetch(`${fake.baseUrl}/${PARTNER}/message_templates`, {
      headers: { authorization: `Bearer ${TEST_ACCESS_TOKEN}` },
    });
    expect(direct.status).toBe(500);
  });

  it('asks WhatsApp again once the list is old, and serves the old one, saying so, while WhatsApp fails', async () => {
    await templatesOf(gateways[0] as GatewayNode, '?stakeholder=SRDP');
    await age(SRDP);
    fake.fail('templates', { status: 503 });
    const stale = await templatesOf(gateways[1] as GatewayNode, '?stakeholder=SRDP');
    expect(stale.code).toBe(200);
    expect(stale.body).toMatchObject({ status: 1, stale: true, fetched_at: '2020-01-01T00:00:00.000Z' });
    expect(stale.body.stale_reason).toContain('WhatsApp answered 503');
    expect(stale.body.templates?.map((t) => t.name)).toEqual(['srdp_document_reminder', 'srdp_follow_up']);

    const calls = graphCalls(SRDP);
    const fresh = await templatesOf(gateways[0] as GatewayNode, '?stakeholder=SRDP');
    expect(fresh.body.stale).toBe(false);
    expect(Date.parse(fresh.body.fetched_at ?? '')).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(graphCalls(SRDP)).toBe(calls + 1);
  });

  it('answers status 0 with what went wrong when WhatsApp fails and nothing is kept', async () => {
    const gateway = gateways[0] as GatewayNode;
    await redis.del(redisKeys(prefix).templates(VENDOR));
    fake.fail('templates', { status: 500 });
    expect(await templatesOf(gateway, '?stakeholder=Vendor')).toMatchObject({
      code: 502,
      body: {
        status: 0,
        error: 'whatsapp_error',
        message: 'WhatsApp answered 500 for the message templates: try again later',
      },
    });
    fake.fail('templates', { status: 429, retryAfterSeconds: 7 });
    expect(await templatesOf(gateway, '?stakeholder=Vendor')).toMatchObject({
      code: 429,
      retryAfter: '7',
      body: { status: 0, error: 'whatsapp_rate_limited' },
    });
    fake.fail('templates', { delayMs: TIMEOUT_MS * 3 });
    expect(await templatesOf(gateway, '?stakeholder=Vendor')).toMatchObject({
      code: 504,
      body: { status: 0, error: 'whatsapp_timeout' },
    });
    // WhatsApp back: listed.
    expect((await templatesOf(gateway, '?stakeholder=Vendor')).body.status).toBe(1);
  });

  it('fails the list when a later page fails, caching nothing', async () => {
    const gateway = gateways[1] as GatewayNode;
    await redis.del(redisKeys(prefix).templates(CUSTOMER));
    const calls = graphCalls(CUSTOMER);
    // The first page is answered; the second meets the fault.
    fake.fail('templates', { delayMs: 0 });
    fake.fail('templates', { status: 500 });
    const answer = await templatesOf(gateway, '?stakeholder=Customer');
    expect(answer).toMatchObject({ code: 502, body: { status: 0, error: 'whatsapp_error' } });
    expect(graphCalls(CUSTOMER)).toBe(calls + 2);
    expect(await redis.exists(redisKeys(prefix).templates(CUSTOMER))).toBe(0);
  });

  it.each([
    ['no token', '?stakeholder=Partner', null, 401, 'missing_token'],
    ['a forged token', '?stakeholder=Partner', 'not.a.token', 401, 'invalid_token'],
    ['no stakeholder', '', signToken(), 400, 'validation'],
    ['an unknown stakeholder', '?stakeholder=Driver', signToken(), 400, 'validation'],
    [
      'a type the executive may not see',
      '?stakeholder=Vendor',
      signToken({ customer_types: ['Partner'] }),
      403,
      'forbidden_customer_type',
    ],
  ])('refuses %s with status 0', async (_name, query, token, code, error) => {
    const calls = fake.seen('templates').length;
    const answer = await templatesOf(gateways[0] as GatewayNode, query, token);
    expect(answer).toMatchObject({ code, body: { status: 0, error } });
    expect(fake.seen('templates').length).toBe(calls);
  });

  it('says a type without a business number has no templates on this deployment', async () => {
    expect(await templatesOf(partnerOnly, '?stakeholder=Vendor')).toMatchObject({
      code: 503,
      body: { status: 0, error: 'whatsapp_not_configured' },
    });
    expect((await templatesOf(partnerOnly, '?stakeholder=Partner')).body.status).toBe(1);
  });
});
