import { ClientEvent, type ClientEventName } from '@care-chat/contract';
import {
  closeAllClients,
  connectDashboard,
  postWebhook,
  Random,
  randomValue,
  signToken,
  TEST_APP_SECRET,
  type TestClient,
} from '@care-chat/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

// Same seed, same inputs: a failure names its seed and can be replayed with FUZZ_SEED.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_121);
const PER_EVENT = 400;
const WEBHOOKS = 2500;
const REST = 1200;
const SOCKET_JSON_LIMIT = 60_000;

let tier: Tier;
let clients: TestClient[];

beforeAll(async () => {
  tier = await Tier.start({ gatewayEnv: { SOCKET_EVENTS_PER_SECOND: '100000', SOCKET_EVENT_BURST: '100000' } });
  clients = await Promise.all(
    tier.nodes.flatMap((node) => [node, node]).map((node) => connectDashboard(node.url, signToken())),
  );
});
afterAll(async () => {
  closeAllClients();
  await tier?.stop();
});

// The socket's limit counts bytes: a random string of wide characters weighs three times its length.
const jsonLength = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

describe(`generated input (seed ${SEED})`, () => {
  it(`every client event answers ${PER_EVENT} random payloads with status 0 or 1, and the sockets stay served`, async () => {
    const random = new Random(SEED);
    const events = Object.values(ClientEvent) as ClientEventName[];
    const inputs = events.flatMap((event) =>
      Array.from({ length: PER_EVENT }, () => {
        let args: unknown[] = [];
        do {
          args =
            random.next() < 0.05 ? [] : [randomValue(random), ...(random.next() < 0.1 ? [randomValue(random, 1)] : [])];
        } while (jsonLength(args) > SOCKET_JSON_LIMIT);
        return { event, args, client: random.pick(clients) };
      }),
    );
    const statuses = new Set<unknown>();
    await inBatches(inputs, 64, async ({ event, args, client }) => {
      const answer = (await (client as unknown as Socket).timeout(10_000).emitWithAck(event, ...args)) as {
        status: unknown;
      };
      statuses.add(answer.status);
    });
    expect([...statuses].sort()).toEqual([0, 1].filter((status) => statuses.has(status)));
    expect(clients.every((client) => client.connected)).toBe(true);
    console.info(`${inputs.length} socket events sent; answers: ${[...statuses].join(', ')}`);
  }, 120_000);

  it(`the webhook answers ${WEBHOOKS} random bodies with a 4xx, and queues nothing`, async () => {
    const random = new Random(SEED + 1);
    const seen = new Map<number, number>();
    const bodies = Array.from({ length: WEBHOOKS }, () => {
      const kind = random.int(10);
      if (kind < 6) return { body: JSON.stringify(randomValue(random, 6)), secret: TEST_APP_SECRET as string | null };
      if (kind < 8)
        return {
          body: Buffer.from(Array.from({ length: random.int(2000) }, () => random.int(256))),
          secret: TEST_APP_SECRET,
        };
      if (kind < 9)
        return { body: JSON.stringify(randomValue(random)), secret: random.next() < 0.5 ? null : 'wrong-secret' };
      return { body: `${'['.repeat(50_000)}${']'.repeat(50_000)}`, secret: TEST_APP_SECRET };
    });
    await inBatches(bodies, 32, async ({ body, secret }) => {
      const { status } = await postWebhook(tier.nodes[random.int(2)]?.url ?? '', body, secret);
      seen.set(status, (seen.get(status) ?? 0) + 1);
    });
    expect([...seen.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect(await tier.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(0);
    console.info(`${WEBHOOKS} webhooks posted; statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
  }, 120_000);

  it(`${REST} random REST requests get an answer below 500`, async () => {
    const random = new Random(SEED + 2);
    const seen = new Map<number, number>();
    const paths = ['/api/health', '/api/health/ready', '/api/dashboard/stats', '/webhooks/whatsapp', '/api/chats', '/'];
    const requests = Array.from({ length: REST }, () => {
      const query = new URLSearchParams({ [String(randomValue(random, 0))]: String(randomValue(random, 0)) });
      // Header values must be bytes: the random part is base64url-encoded.
      const authorization = random.pick([
        `Bearer ${signToken()}`,
        `Bearer ${Buffer.from(String(randomValue(random, 0))).toString('base64url')}`,
        '',
        'Basic x',
      ]);
      const method = random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      const body = method === 'GET' || method === 'OPTIONS' ? undefined : JSON.stringify(randomValue(random, 3));
      return { path: `${random.pick(paths)}?${query}`, method, authorization, body };
    });
    await inBatches(requests, 32, async ({ path, method, authorization, body }) => {
      const response = await fetch(`${tier.nodes[random.int(2)]?.url}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
    });
    expect([...seen.keys()].filter((status) => status >= 500)).toEqual([]);
    console.info(`${REST} REST requests; statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
  }, 120_000);

  it('left no write behind, and every process is alive and ready', async () => {
    const { rows } = await tier.db.query(
      `SELECT (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM chats)::int AS chats,
              (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM chat_reads)::int AS reads`,
    );
    expect(rows).toEqual([{ contacts: 0, chats: 0, messages: 0, reads: 0 }]);
    for (const process of [...tier.nodes.map((node) => node.process), tier.worker])
      expect(process.child.exitCode).toBeNull();
    for (const node of tier.nodes) expect((await fetch(`${node.url}/api/health/ready`)).status).toBe(200);
    expect(clients.every((client) => client.connected)).toBe(true);
  });
});
