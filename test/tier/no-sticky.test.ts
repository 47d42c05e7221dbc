import { type ChatSummary, ClientEvent, responseEvent } from '@care-chat/contract';
import {
  type ClientOptions,
  closeAllClients,
  connected,
  dashboardClient,
  nextEvent,
  postWebhook,
  RandomBalancer,
  recordEvents,
  SAMPLE_NUMBERS,
  signToken,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;
let balancer: RandomBalancer;
let serial = 0;

beforeAll(async () => {
  tier = await Tier.start();
  balancer = await RandomBalancer.start(tier.nodes.map((node) => node.port));
});
afterEach(closeAllClients);
afterAll(async () => {
  await balancer?.close();
  await tier?.stop();
});

/** A dashboard behind the random balancer, joined to VendorApp; fails on any disconnection. */
async function dashboard(options: ClientOptions) {
  const client = await connected(dashboardClient(balancer.url, signToken(), options));
  const disconnections: string[] = [];
  client.on('disconnect', (reason) => disconnections.push(reason));
  const joined = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
  client.emit(ClientEvent.JoinRoom, { room: 'VendorApp' });
  expect(await joined).toEqual({ status: 1, room: 'VendorApp' });
  return {
    client,
    disconnections,
    updates: recordEvents(client, ['room_update_vendor']).get('room_update_vendor') as ChatSummary[],
  };
}

async function customersWrite(client: TestClient, count: number): Promise<string[]> {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = `no-sticky ${++serial}`;
    texts.push(text);
    const arrival = nextEvent(client, 'room_update_vendor', 10_000, (s) => s.last_message === text);
    const body = textWebhook({
      phoneNumberId: SAMPLE_NUMBERS.Vendor,
      from: `91950000${String(serial).padStart(4, '0')}`,
      text,
    });
    expect((await postWebhook(tier.nodes[serial % 2]?.url ?? '', body, TEST_APP_SECRET)).status).toBe(200);
    await arrival;
  }
  return texts;
}

describe('with every request sent to a random replica', () => {
  it('a long-polling client (WebSocket blocked) connects, stays connected and receives every update', async () => {
    const before = new Map(balancer.served);
    const { client, disconnections, updates } = await dashboard({ transports: ['polling'] });
    const texts = await customersWrite(client, 8);
    expect(client.io.engine.transport.name).toBe('polling');
    expect(updates.map((u) => u.last_message)).toEqual(texts);
    expect(disconnections).toEqual([]);
    // Both replicas took this client's requests: without forwarding, half of them would be refused.
    for (const node of tier.nodes)
      expect((balancer.served.get(node.port) ?? 0) - (before.get(node.port) ?? 0)).toBeGreaterThan(0);
  });

  it('a default client (polling first, then the upgrade) upgrades to WebSocket and receives every update', async () => {
    const { client, disconnections, updates } = await dashboard({ transports: ['polling', 'websocket'] });
    if (client.io.engine.transport.name !== 'websocket') {
      await new Promise((resolve) => client.io.engine.once('upgrade', resolve));
    }
    const texts = await customersWrite(client, 4);
    expect(client.io.engine.transport.name).toBe('websocket');
    expect(updates.map((u) => u.last_message)).toEqual(texts);
    expect(disconnections).toEqual([]);
  });

  it('a WebSocket-only client works as before', async () => {
    const { client, disconnections, updates } = await dashboard({ transports: ['websocket'] });
    const texts = await customersWrite(client, 3);
    expect(updates.map((u) => u.last_message)).toEqual(texts);
    expect(disconnections).toEqual([]);
  });

  it("a request for a dead replica's session is answered as Engine.IO would, and the client recovers elsewhere", async () => {
    const doomed = await tier.gateway();
    balancer.setUpstreams([doomed.port]);
    const { client, updates } = await dashboard({ transports: ['polling'] });
    balancer.setUpstreams(tier.nodes.map((node) => node.port));
    const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await doomed.process.stop('SIGKILL');
    await back;
    expect(client.recovered).toBe(true);
    const texts = await customersWrite(client, 2);
    expect(updates.map((u) => u.last_message)).toEqual(texts);
  });
});
