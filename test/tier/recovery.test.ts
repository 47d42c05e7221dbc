import { type ChatSummary, ClientEvent, responseEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  dashboardClient,
  type GatewayNode,
  nextEvent,
  postWebhook,
  recordEvents,
  request,
  SAMPLE_NUMBERS,
  settle,
  signToken,
  TcpSwitch,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
  viaEmitter,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

let tier: Tier;
let balancer: TcpSwitch;
let serial = 0;

beforeAll(async () => {
  tier = await Tier.start();
  balancer = await TcpSwitch.start(tier.nodes[0].port);
});
afterEach(async () => {
  closeAllClients();
  balancer.reconnect();
  balancer.switchTo(tier.nodes[0].port);
});
afterAll(async () => {
  await balancer?.close();
  await tier?.stop();
});

/**
 * A dashboard as the real one is: through the load balancer, joined to PartnerApp once, never again, by
 * an emit whose answer it takes from `join_room_response`. Its token is in the URL, or in an `auth` that
 * is read again at every reconnection (so a test can change it between them).
 */
async function dashboard(
  credentials: string | { token: string } = signToken(),
): Promise<{ client: TestClient; updates: ChatSummary[] }> {
  const client = await connected(
    typeof credentials === 'string'
      ? dashboardClient(balancer.url, credentials)
      : dashboardClient(balancer.url, undefined, { auth: credentials }),
  );
  const joined = nextEvent(client, responseEvent(ClientEvent.JoinRoom));
  client.emit(ClientEvent.JoinRoom, { room: 'PartnerApp' });
  expect(await joined).toEqual({ status: 1, room: 'PartnerApp' });
  const updates = recordEvents(client, ['room_update']).get('room_update') as ChatSummary[];
  return { client, updates };
}

/** Customers write while `observer` (connected directly, never cut) proves each update was sent. */
async function customersWrite(observer: TestClient, count: number): Promise<string[]> {
  const texts = Array.from({ length: count }, () => `missed ${++serial}`);
  for (const text of texts) {
    const sent = nextEvent(observer, 'room_update', 10_000, (s) => s.last_message === text);
    const body = textWebhook({
      phoneNumberId: SAMPLE_NUMBERS.Partner,
      from: `91960000${String(serial).padStart(4, '0')}`,
      text,
    });
    expect((await postWebhook(tier.nodes[1].url, body, TEST_APP_SECRET)).status).toBe(200);
    await sent;
  }
  return texts;
}

async function observer(node: GatewayNode = tier.nodes[1]) {
  const client = await connected(dashboardClient(node.url, signToken()));
  await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
  return client;
}

/** The socket's next `connect` (the manager's `reconnect` comes before the socket has its session). */
const reconnection = (client: TestClient) =>
  new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.io.once('reconnect_failed', () => reject(new Error('gave up reconnecting')));
  });

const lastMessages = (updates: ChatSummary[]) => updates.map((update) => update.last_message);

/** `text` has reached `client`: already recorded (it may beat the observer), or on its way. */
async function arrived(client: TestClient, updates: ChatSummary[], text: string | undefined): Promise<void> {
  if (updates.some((update) => update.last_message === text)) return;
  await nextEvent(client, 'room_update', 5000, (s) => s.last_message === text);
}

describe('a dashboard whose connection is cut', () => {
  it('comes back in its rooms and receives, in order, every update sent meanwhile, without emitting anything', async () => {
    const { client, updates } = await dashboard();
    const watcher = await observer();
    const back = reconnection(client);
    const firstId = client.id;
    balancer.disconnect();
    const missed = await customersWrite(watcher, 3);
    balancer.reconnect();
    await back;
    expect(client.recovered).toBe(true);
    expect(client.id).toBe(firstId);
    const live = await customersWrite(watcher, 1);
    await arrived(client, updates, live[0]);
    expect(lastMessages(updates)).toEqual([...missed, ...live]);
  });

  it('recovers on another node', async () => {
    const { client, updates } = await dashboard();
    const watcher = await observer();
    const back = reconnection(client);
    balancer.disconnect();
    balancer.switchTo(tier.nodes[1].port);
    const missed = await customersWrite(watcher, 2);
    balancer.reconnect();
    await back;
    expect(client.recovered).toBe(true);
    const live = await customersWrite(watcher, 1);
    await arrived(client, updates, live[0]);
    expect(lastMessages(updates)).toEqual([...missed, ...live]);
  });

  it('recovers after the node it was on is killed with SIGKILL', async () => {
    const doomed = await tier.gateway();
    balancer.switchTo(doomed.port);
    const { client, updates } = await dashboard();
    const watcher = await observer();
    const back = reconnection(client);
    balancer.switchTo(tier.nodes[0].port);
    expect(await doomed.process.stop('SIGKILL')).toBeNull();
    const missed = await customersWrite(watcher, 2);
    await back;
    expect(client.recovered).toBe(true);
    const live = await customersWrite(watcher, 1);
    await arrived(client, updates, live[0]);
    expect(lastMessages(updates)).toEqual([...missed, ...live]);
  });

  it('recovers after a rolling deploy stops its node with SIGTERM', async () => {
    const leaving = await tier.gateway({ DRAIN_DELAY_MS: '300' });
    balancer.switchTo(leaving.port);
    const { client, updates } = await dashboard();
    const watcher = await observer();
    const back = reconnection(client);
    const exited = leaving.process.stop('SIGTERM');
    balancer.switchTo(tier.nodes[1].port);
    const missed = await customersWrite(watcher, 2);
    expect(await exited).toBe(0);
    await back;
    expect(client.recovered).toBe(true);
    const live = await customersWrite(watcher, 1);
    await arrived(client, updates, live[0]);
    expect(lastMessages(updates)).toEqual([...missed, ...live]);
  });

  it('does not come back with a token that expired meanwhile', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const { client } = await dashboard(signToken({ exp: expiresAt }));
    const refused = new Promise<{ data?: { code?: string } }>((resolve) => client.once('connect_error', resolve));
    // The token must be past its exp when the client comes back: that is what is being tested.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt * 1000 - Date.now() + 50)));
    balancer.disconnect();
    balancer.reconnect();
    expect((await refused).data?.code).toBe('token_expired');
    expect(client.connected).toBe(false);
  });
});

/**
 * Whether a client in a room on a gateway with a one-second recovery window comes back recovered when it
 * stays connected for `connectedMs`, then away for `awayMs` (both by design of the tests: time is what
 * they test).
 */
async function recoveredAfter(connectedMs: number, awayMs: number): Promise<boolean> {
  const short = await tier.gateway({ RECOVERY_WINDOW_MS: '1000' });
  try {
    const client = await connected(dashboardClient(short.url, signToken(), { reconnection: false }));
    await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
    await new Promise((resolve) => setTimeout(resolve, connectedMs));
    client.io.engine.close();
    await new Promise((resolve) => setTimeout(resolve, awayMs));
    client.connect();
    await connected(client);
    return client.recovered;
  } finally {
    await short.process.stop();
  }
}

describe('the recovery window', () => {
  it('is configurable: past RECOVERY_WINDOW_MS a client starts a new session', async () => {
    expect(await recoveredAfter(0, 1500)).toBe(false);
  });

  it('counts from the disconnection: a session is kept while its socket stays connected', async () => {
    expect(await recoveredAfter(3000, 0)).toBe(true);
  });
});

describe('a recovered socket', () => {
  it('keeps only the rooms its token, presented again, still allows', async () => {
    const auth = { token: signToken() };
    const { client, updates } = await dashboard(auth);
    const back = reconnection(client);
    auth.token = signToken({ customer_types: ['Vendor'] });
    balancer.disconnect();
    balancer.reconnect();
    await back;
    expect(client.recovered).toBe(true);
    const watcher = await observer();
    await customersWrite(watcher, 1);
    await settle(viaEmitter(tier.emitter), [client]);
    expect(updates).toEqual([]);
  });

  it("keeps nothing of a session recovered with another executive's token: no room, no missed update", async () => {
    const auth = { token: signToken() };
    const { client, updates } = await dashboard(auth);
    const watcher = await observer();
    const back = reconnection(client);
    auth.token = signToken({ sub: 'another-executive' });
    balancer.disconnect();
    await customersWrite(watcher, 1);
    balancer.reconnect();
    await back;
    await customersWrite(watcher, 1);
    await settle(viaEmitter(tier.emitter), [client]);
    expect(updates).toEqual([]);
  });
});
