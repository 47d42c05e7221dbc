import { type ChatSummary, ClientEvent, type Message } from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  dashboardClient,
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

const RECOVERY_WINDOW_MS = 1000;

let tier: Tier;
let balancer: TcpSwitch;
let serial = 0;

beforeAll(async () => {
  tier = await Tier.start({ gatewayEnv: { RECOVERY_WINDOW_MS: String(RECOVERY_WINDOW_MS) } });
  balancer = await TcpSwitch.start(tier.nodes[0].port);
});
afterEach(() => {
  closeAllClients();
  balancer.reconnect();
});
afterAll(async () => {
  await balancer?.close();
  await tier?.stop();
});

/** A Partner customer writes; resolves once `watcher` (never cut) has the update, with the chat's id. */
async function customerWrites(watcher: TestClient, from: string, text: string): Promise<string> {
  const sent = nextEvent(watcher, 'room_update', 10_000, (s) => s.last_message === text);
  const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from, text });
  expect((await postWebhook(tier.nodes[1].url, body, TEST_APP_SECRET)).status).toBe(200);
  return (await sent).chat_id;
}

async function watcher() {
  const client = await connected(dashboardClient(tier.nodes[1].url, signToken()));
  await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
  return client;
}

/** A dashboard through the balancer on the Partner page with one chat open, as the real one leaves it. */
async function dashboardWithChatOpen(token: string, chatId: string) {
  const client = await connected(dashboardClient(balancer.url, token));
  await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
  await request(client, ClientEvent.JoinChat, { chat_id: chatId });
  const events = recordEvents(client, ['room_update', 'new_message']);
  return {
    client,
    updates: events.get('room_update') as ChatSummary[],
    messages: events.get('new_message') as Message[],
  };
}

/** Cuts `client` off for longer than the recovery window (time is what is tested), then lets it back. */
async function awayPastTheWindow(client: TestClient): Promise<void> {
  const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
  balancer.disconnect();
  await new Promise((resolve) => setTimeout(resolve, RECOVERY_WINDOW_MS * 2));
  balancer.reconnect();
  await back;
}

describe('a dashboard that comes back after RECOVERY_WINDOW_MS', () => {
  it('is back in its type room and its open chat, without emitting anything, and receives what follows', async () => {
    const customer = `9197000${String(++serial).padStart(5, '0')}`;
    const observer = await watcher();
    const chatId = await customerWrites(observer, customer, 'first');
    const { client, updates, messages } = await dashboardWithChatOpen(signToken(), chatId);

    await awayPastTheWindow(client);
    expect(client.recovered).toBe(false);

    const [update, message] = [
      nextEvent(client, 'room_update', 10_000, (s) => s.last_message === 'after'),
      nextEvent(client, 'new_message', 10_000, (m) => m.message === 'after'),
    ];
    await customerWrites(observer, customer, 'after');
    expect((await update).chat_id).toBe(chatId);
    expect((await message).chat_id).toBe(chatId);
    await settle(viaEmitter(tier.emitter), [client]);
    expect(updates.filter((s) => s.last_message === 'after')).toHaveLength(1);
    expect(messages.filter((m) => m.message === 'after')).toHaveLength(1);
  });

  it("is not put in the rooms of another executive's session that it names", async () => {
    const customer = `9197000${String(++serial).padStart(5, '0')}`;
    const observer = await watcher();
    const chatId = await customerWrites(observer, customer, 'first');
    const victim = await connected(dashboardClient(tier.nodes[0].url, signToken(), { reconnection: false }));
    await request(victim, ClientEvent.JoinRoom, { room: 'PartnerApp' });
    await request(victim, ClientEvent.JoinChat, { chat_id: chatId });
    await customerWrites(observer, customer, 'for an offset');
    const { client, updates, messages } = await dashboardWithChatOpen(signToken({ sub: 'intruder' }), chatId);
    await request(client, ClientEvent.LeaveRoom, { room: 'PartnerApp' });
    await request(client, ClientEvent.LeaveChat, { chat_id: chatId });
    // socket.io-client keeps its session's id and offset private; the intruder claims the victim's.
    const claimed = victim as unknown as { _pid: string; _lastOffset: string };
    Object.assign(client, { _pid: claimed._pid, _lastOffset: claimed._lastOffset });
    victim.io.engine.close();

    await awayPastTheWindow(client);
    expect(client.recovered).toBe(false);
    await customerWrites(observer, customer, 'not for the intruder');
    await settle(viaEmitter(tier.emitter), [client]);
    expect(updates.filter((s) => s.last_message === 'not for the intruder')).toEqual([]);
    expect(messages.filter((m) => m.message === 'not for the intruder')).toEqual([]);
  });
});
