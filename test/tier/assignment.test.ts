import { type ChatReassigned, type ChatSummary, ClientEvent, routeOf, ServerEvent } from '@care-chat/contract';
import { type AppProcess, nextEvent, recordEvents, signToken, type TestClient, until } from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from './dashboard/checks.js';
import { readsOf } from './dashboard/traffic.js';
import { ask, dashboardAt, expectRefused, tierForFile, variantsOf } from './dashboard-variants.js';
import {
  assignedOn,
  customersWrite,
  goOnline,
  newChat,
  newChatAssignedTo,
  PRESENCE_ENV,
  someone,
} from './presence-helpers.js';

const run = tierForFile({ gatewayEnv: PRESENCE_ENV });
let secondWorker: AppProcess;
beforeAll(async () => {
  secondWorker = await run.tier.anotherWorker();
});
afterAll(async () => {
  await secondWorker?.stop();
});

const reads = (event: string, payload: unknown, chatId: string) =>
  verify(payload, readsOf('broadcasts', event).fields, { chatId });

async function summaryOf(client: TestClient, chatId: string, type: ChatSummary['customer_type']) {
  const listed = await ask(client, ClientEvent.FetchAllChats, { customer_type: type, page_size: 100 });
  expect(listed.status).toBe(1);
  return listed.status === 1 ? listed.chats.find((chat) => chat.chat_id === chatId) : undefined;
}

const reassignedOn = (client: TestClient, chatId: string, to: string | null, timeoutMs = 10_000) =>
  nextEvent(client, ServerEvent.ChatReassigned, timeoutMs, (e) => e.chat_id === chatId && e.to_executive_id === to);

describe('a new chat is assigned', () => {
  it('to an executive online allowed for its type: chat_assigned with the name, and every ChatSummary says so', async () => {
    const claims = someone({ customer_types: ['Vendor'] });
    const agent = await goOnline(run.balancer.url, claims);
    // Online but not allowed for Vendor chats: never chosen for one.
    await goOnline(run.balancer.url, someone({ customer_types: ['Partner'] }));
    const lister = await dashboardAt(run.tier.nodes[1].url, someone());
    await ask(lister, ClientEvent.JoinRoom, { room: routeOf('Vendor').room });
    const rows = recordEvents(lister, [routeOf('Vendor').event]);
    const { chatId, event } = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, 'Vendor');
    expect(event).toEqual({
      chat_id: chatId,
      executive_id: claims.sub,
      assigned_executive_id: claims.sub,
      executive_name: claims.name,
    });
    expect(reads(ServerEvent.ChatAssigned, event, chatId)).toEqual([]);
    // The row the dashboards insert carries the assignee already.
    const listed = await until(
      async () => (rows.get(routeOf('Vendor').event) ?? []) as ChatSummary[],
      (all) => all.some((chat) => chat.chat_id === chatId),
      'the room_update',
      10_000,
    );
    expect(listed.find((chat) => chat.chat_id === chatId)).toMatchObject({
      assigned_executive_id: claims.sub,
      assigned_executive_name: claims.name,
    });
    expect(await summaryOf(lister, chatId, 'Vendor')).toMatchObject({
      assigned_executive_id: claims.sub,
      assigned_executive_name: claims.name,
    });
    // An operator's view of that executive's chats.
    const response = await fetch(`${run.balancer.url}/api/executives/${claims.sub}/chats`, {
      headers: { authorization: `Bearer ${signToken(someone())}` },
    });
    const body = (await response.json()) as { status: number; chats: ChatSummary[] };
    expect(body.status).toBe(1);
    expect(body.chats.map((chat) => chat.chat_id)).toContain(chatId);
  });

  it('is left unassigned while no one allowed is online, and assigned when one comes online', async () => {
    const { chatId } = await newChat(run.balancer.url, run.tier.db, 'SRDP');
    const watcher = await dashboardAt(run.balancer.url, someone());
    await ask(watcher, ClientEvent.JoinRoom, { room: routeOf('SRDP').room });
    expect(await summaryOf(watcher, chatId, 'SRDP')).toMatchObject({ assigned_executive_id: null });
    const claims = someone({ customer_types: ['SRDP'] });
    const agent = await dashboardAt(run.balancer.url, claims);
    const assigned = assignedOn(agent, chatId);
    await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
    expect(await assigned).toMatchObject({ executive_id: claims.sub, executive_name: claims.name });
    expect(await summaryOf(watcher, chatId, 'SRDP')).toMatchObject({ assigned_executive_id: claims.sub });
  });

  it('a resolved chat that its customer reopens is assigned afresh', async () => {
    const claims = someone({ customer_types: ['Customer'] });
    const agent = await goOnline(run.balancer.url, claims);
    const { chatId, customer } = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, 'Customer');
    await ask(agent, ClientEvent.UpdateChatStatus, { chat_id: chatId, customer_number: customer, status: 'resolved' });
    const again = assignedOn(agent, chatId);
    await customersWrite(run.balancer.url, [customer], 'Customer', 'One more thing');
    expect(await again).toMatchObject({ chat_id: chatId, executive_id: claims.sub });
  });
});

describe('an executive gone offline hands their chats on', () => {
  it('to another online executive allowed for them, after the grace period; to no one when none is', async () => {
    const leaving = someone({ customer_types: ['Partner'] });
    const agent = await goOnline(run.balancer.url, leaving);
    const { chatId } = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, 'Partner');
    const staying = someone({ customer_types: ['Partner'] });
    const heir = await goOnline(run.tier.nodes[1].url, staying);
    const handed = reassignedOn(heir, chatId, staying.sub);
    agent.disconnect();
    const event = await handed;
    expect(event).toEqual({
      chat_id: chatId,
      from_executive_id: leaving.sub,
      to_executive_id: staying.sub,
      executive_id: staying.sub,
      executive_name: staying.name,
    } satisfies ChatReassigned);
    expect(reads(ServerEvent.ChatReassigned, event, chatId)).toEqual([]);
    // Offline by choice: handed on too, and with no one left, to no one.
    const watcher = await dashboardAt(run.balancer.url, someone());
    await ask(watcher, ClientEvent.JoinChat, { chat_id: chatId });
    const dropped = reassignedOn(watcher, chatId, null);
    await ask(heir, ClientEvent.SetExecutiveStatus, { status: 'OFFLINE' });
    expect(await dropped).toMatchObject({ from_executive_id: staying.sub, executive_id: null });
    expect(await summaryOf(watcher, chatId, 'Partner')).toMatchObject({ assigned_executive_id: null });
  });
});

describe('reassign_chat, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.ReassignChat)) {
    it(`${variant.id}: chat_reassigned to the chat room and both executives, the chat listed so`, async () => {
      const type = variant.page;
      const first = someone({ customer_types: [type] });
      const firstAgent = await goOnline(run.balancer.url, first);
      const { chatId } = await newChatAssignedTo(firstAgent, run.balancer.url, run.tier.db, type);
      const second = someone({ customer_types: [type] });
      const secondAgent = await goOnline(run.tier.nodes[0].url, second);
      const viewer = await dashboardAt(run.tier.nodes[1].url, someone());
      await ask(viewer, ClientEvent.JoinChat, { chat_id: chatId });
      const seen = [firstAgent, secondAgent, viewer].map((client) => reassignedOn(client, chatId, second.sub));
      const answer = await ask(firstAgent, ClientEvent.ReassignChat, {
        ...variant.payload,
        chat_id: chatId,
        executive_id: second.sub,
      });
      expect(answer).toEqual({ status: 1, chat_id: chatId, executive_id: second.sub });
      for (const event of await Promise.all(seen)) {
        expect(event).toEqual({
          chat_id: chatId,
          from_executive_id: first.sub,
          to_executive_id: second.sub,
          executive_id: second.sub,
          executive_name: second.name,
        });
        expect(reads(ServerEvent.ChatReassigned, event, chatId)).toEqual([]);
      }
      expect(await summaryOf(viewer, chatId, type)).toMatchObject({
        assigned_executive_id: second.sub,
        assigned_executive_name: second.name,
      });
    });
  }

  it('refuses, with status 0 and nothing changed, what may not be done', async () => {
    const caller = someone({ customer_types: ['Partner'] });
    const agent = await goOnline(run.balancer.url, caller);
    const { chatId } = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, 'Partner');
    const vendorOnly = someone({ customer_types: ['Vendor'] });
    await goOnline(run.balancer.url, vendorOnly);
    const outsider = await dashboardAt(run.balancer.url, someone({ customer_types: ['Vendor'] }));
    await expectRefused(ClientEvent.ReassignChat, [
      [agent, { chat_id: chatId, executive_id: 'nobody-at-all' }, /No executive nobody-at-all/],
      [agent, { chat_id: chatId, executive_id: vendorOnly.sub }, /may not take Partner chats/],
      [outsider, { chat_id: chatId, executive_id: vendorOnly.sub }, /Chat not found/],
      [agent, { chat_id: '99999999', executive_id: caller.sub }, /Chat not found/],
      [agent, { chat_id: chatId }, /executive_id/],
      [agent, { executive_id: caller.sub }, /chat_id/],
      [agent, null, /./],
    ]);
    expect(await summaryOf(agent, chatId, 'Partner')).toMatchObject({ assigned_executive_id: caller.sub });
    // An admin may move any chat.
    const admin = await dashboardAt(run.balancer.url, someone({ role: 'admin', customer_types: ['Vendor'] }));
    const other = someone({ customer_types: ['Partner'] });
    await goOnline(run.balancer.url, other);
    expect(await ask(admin, ClientEvent.ReassignChat, { chat_id: chatId, executive_id: other.sub })).toMatchObject({
      status: 1,
    });
  });
});
