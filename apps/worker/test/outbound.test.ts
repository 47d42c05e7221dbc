import { SlotSchedule } from '@care-chat/runtime';
import { FakeGraph, FakeMessages, GraphErrors, TEST_ACCESS_TOKEN, uniquePrefix } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sendToWhatsApp } from '../src/outbound/graph-client.js';

describe('SlotSchedule: one schedule shared through Redis', () => {
  const redis: Redis[] = [];
  beforeAll(() => {
    redis.push(new Redis(inject('redisUrl')), new Redis(inject('redisUrl')));
  });
  afterAll(() => {
    for (const connection of redis) connection.disconnect();
  });

  it('gives the burst at once, then one slot per interval, to callers on two connections alike', async () => {
    const [a, b] = redis.map((connection) => new SlotSchedule(connection));
    const key = `${uniquePrefix()}:pace`;
    const pace = { intervalMs: 100, burst: 3 };
    const waits: number[] = [];
    for (let i = 0; i < 8; i += 1) waits.push((await (i % 2 === 0 ? a : b)?.reserve(key, pace)) ?? -1);
    const expected = [0, 0, 0, 100, 200, 300, 400, 500];
    // Each reservation is asked a little after the one before: its wait is that much shorter.
    for (const [i, wait] of waits.entries()) expect(Math.abs(wait - (expected[i] ?? 0))).toBeLessThan(30);
  });

  it('keeps slots apart at sub-millisecond intervals (80 a second: 12.5 ms)', async () => {
    const schedule = new SlotSchedule(redis[0] as Redis);
    const key = `${uniquePrefix()}:pace`;
    const asked = Date.now();
    const slots = await Promise.all(
      Array.from(
        { length: 80 },
        async () => Date.now() + (await schedule.reserve(key, { intervalMs: 12.5, burst: 1 })),
      ),
    );
    const sorted = slots.toSorted((x, y) => x - y);
    // 80 slots of one second: the last one second (less one interval) after the first.
    expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBeGreaterThan(950);
    expect((sorted[0] ?? 0) - asked).toBeLessThan(50);
  });
});

describe('sendToWhatsApp: what each answer of the Cloud API means', () => {
  let fake: FakeGraph;
  let messages: FakeMessages;
  beforeAll(async () => {
    fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
    messages = FakeMessages.attach(fake);
  });
  afterAll(() => fake?.close());

  const send = (timeoutMs = 2000) =>
    sendToWhatsApp({ accessToken: TEST_ACCESS_TOKEN, baseUrl: fake.baseUrl, timeoutMs }, '100000000000001', {
      messaging_product: 'whatsapp',
      to: '919812345678',
      type: 'text',
      text: { body: 'hi' },
    });

  it('accepted, with the wamid WhatsApp gave', async () => {
    const answer = await send();
    expect(answer).toEqual({ kind: 'accepted', wamid: messages.accepted.at(-1)?.wamid });
  });

  it('429 and 5xx: to retry, with Retry-After in ms', async () => {
    fake.fail('messages', { status: 429, retryAfterSeconds: 7 });
    expect(await send()).toMatchObject({ kind: 'retry', retryAfterMs: 7000, error: { code: 130429 } });
    fake.fail('messages', { status: 503 });
    expect(await send()).toMatchObject({ kind: 'retry', retryAfterMs: undefined, error: { code: 2 } });
  });

  it('a limit code answered 400 is retried too; other 400s, 131047 included, are refused with the error', async () => {
    fake.fail('messages', { status: 400, error: { ...GraphErrors.rateLimited } });
    expect(await send()).toMatchObject({ kind: 'retry' });
    fake.fail('messages', { status: 400, error: GraphErrors.reEngagement });
    expect(await send()).toEqual({
      kind: 'refused',
      error: {
        code: 131047,
        title: GraphErrors.reEngagement.message,
        message: GraphErrors.reEngagement.error_data.details,
      },
    });
    fake.fail('messages', { status: 401, error: GraphErrors.invalidToken });
    expect(await send()).toMatchObject({ kind: 'refused', error: { code: 190 } });
  });

  it('no answer in time, or none at all: unknown, as WhatsApp may have taken it', async () => {
    fake.fail('messages', { delayMs: 500 });
    expect(await send(100)).toMatchObject({ kind: 'unknown' });
    fake.fail('messages', { truncateAfterBytes: 3 });
    expect(await send()).toMatchObject({ kind: 'unknown' });
  });
});
