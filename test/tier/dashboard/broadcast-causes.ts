import {
  type ChatSummary,
  ClientEvent,
  CUSTOMER_TYPES,
  type CustomerType,
  routeOf,
  ServerEvent,
} from '@care-chat/contract';
import {
  imageMessage,
  nextEvent,
  postWebhook,
  recordEvents,
  request,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  type TestClient,
  textWebhook,
  until,
  webhookBody,
} from '@care-chat/testkit';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { CheckContext } from './checks.js';
import { contextOn } from './replay.js';
import { customerNumber, type Seeded } from './seed.js';

export interface CauseEnv {
  seeded: Seeded;
  /** The socket in the state the replayed variants left it in. */
  dashboard: TestClient;
  /** Another executive's socket, connected the dashboard's way. */
  other: () => Promise<TestClient>;
  /** Another socket of the dashboard's own executive (another tab). */
  again: () => Promise<TestClient>;
  webhookUrl: string;
}

/** A payload of the broadcast as the dashboard's socket got it, and what to check it against. */
export interface Received {
  label: string;
  payload: unknown;
  context: CheckContext;
}

type Cause = (env: CauseEnv) => Promise<Received[]>;

let serial = 100;

async function post(env: CauseEnv, body: unknown): Promise<void> {
  const answer = await postWebhook(env.webhookUrl, body, TEST_APP_SECRET);
  expect(answer.status, answer.text).toBe(200);
}

/** A customer of `type` writes; a new customer starts a chat the dashboard has not listed yet. */
function roomUpdate(type: CustomerType): Cause {
  const { event } = routeOf(type);
  return async (env) => {
    const listed = env.seeded.chats[type];
    const unlisted = customerNumber(++serial);
    const received: Received[] = [];
    for (const [label, customer] of [
      ['a listed chat', listed.customer],
      ['a new chat, not listed yet: a full row', unlisted],
    ] as const) {
      const arrival = nextEvent(env.dashboard, event, 10_000, (s) => s.customer === customer);
      await post(env, textWebhook({ phoneNumberId: SAMPLE_NUMBERS[type], from: customer, text: `${label}?` }));
      const payload = await arrival;
      received.push({ label, payload, context: { ...contextOn(env.seeded, type), chatId: payload.chat_id, customer } });
    }
    return received;
  };
}

/** Each seeded customer sends an image to the chat the dashboard joined. */
const newMessage: Cause = async (env) =>
  Promise.all(
    CUSTOMER_TYPES.map(async (type) => {
      const { customer } = env.seeded.chats[type];
      const image = imageMessage({ phoneNumberId: SAMPLE_NUMBERS[type], from: customer, caption: `live ${type}` });
      const arrival = nextEvent(env.dashboard, ServerEvent.NewMessage, 10_000, (m) => m.wamid === image.id);
      await post(
        env,
        webhookBody([{ phoneNumberId: SAMPLE_NUMBERS[type], contacts: [{ wa_id: customer }], messages: [image] }]),
      );
      return { label: `an image in the ${type} chat`, payload: await arrival, context: contextOn(env.seeded, type) };
    }),
  );

/** A new chat changes the counts; the worker publishes them. */
const dashboardStats: Cause = async (env) => {
  const arrival = nextEvent(env.dashboard, ServerEvent.DashboardStats, 10_000);
  await post(env, textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: customerNumber(++serial), text: 'hi' }));
  return [{ label: 'after a new chat', payload: await arrival, context: contextOn(env.seeded, null) }];
};

/** Another executive opens the Vendor chat (join_chat_customer), then acts in it. */
async function inVendorChat(env: CauseEnv, act: (other: TestClient, chatId: string) => void, event: string) {
  const { chatId } = env.seeded.chats.Vendor;
  const other = await env.other();
  expect(await request(other, ClientEvent.JoinChatCustomer, { chat_id: chatId })).toMatchObject({ status: 1 });
  const arrival = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 10000 ms`)), 10_000);
    (env.dashboard as unknown as Socket).once(event, (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
  act(other, chatId);
  return [{ label: 'from another executive', payload: await arrival, context: contextOn(env.seeded, 'Vendor') }];
}

const emitRaw = (client: TestClient, event: string, data: unknown) => (client as unknown as Socket).emit(event, data);

/** The dashboard's executive goes offline and back online from another tab: every dashboard is told. */
const executiveStatus: Cause = async (env) => {
  const tab = await env.again();
  const received: Received[] = [];
  for (const status of ['OFFLINE', 'ONLINE'] as const) {
    const id = env.seeded.executive.id;
    const arrival = nextEvent(
      env.dashboard,
      ServerEvent.ExecutiveStatus,
      10_000,
      (s) => s.executive_id === id && s.status === status,
    );
    expect(await request(tab, ClientEvent.SetExecutiveStatus, { status })).toMatchObject({ status: 1 });
    received.push({ label: status, payload: await arrival, context: contextOn(env.seeded, null) });
  }
  return received;
};

/**
 * A new Partner customer writes while the dashboard's executive is online (from another tab, as a reload
 * would): the chat is given to them. Resolves with the first `event` of that chat on the dashboard.
 */
async function newChatOfTheDashboard<E extends typeof ServerEvent.ChatAssigned | typeof ServerEvent.SlaAlert>(
  env: CauseEnv,
  event: E,
  timeoutMs: number,
): Promise<Received> {
  const tab = await env.again();
  expect(await request(tab, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' })).toMatchObject({ status: 1 });
  const seen = recordEvents(env.dashboard, [event, routeOf('Partner').event]);
  const customer = customerNumber(++serial);
  await post(env, textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: customer, text: 'Anyone there?' }));
  const rows = await until(
    async () => (seen.get(routeOf('Partner').event) ?? []) as ChatSummary[],
    (all) => all.some((row) => row.customer === customer),
    `the room_update of ${customer}`,
    10_000,
  );
  const chatId = (rows.find((row) => row.customer === customer) as ChatSummary).chat_id;
  const events = await until(
    async () => (seen.get(event) ?? []) as { chat_id: string }[],
    (all) => all.some((each) => each.chat_id === chatId),
    `${event} of chat ${chatId}`,
    timeoutMs,
  );
  const payload = events.find((each) => each.chat_id === chatId);
  return { label: 'a new chat', payload, context: { ...contextOn(env.seeded, 'Partner'), chatId, customer } };
}

const chatAssigned: Cause = async (env) => [await newChatOfTheDashboard(env, ServerEvent.ChatAssigned, 10_000)];

/** Another executive gives the Partner chat (which the dashboard has open) to the dashboard's executive. */
const chatReassigned: Cause = async (env) => {
  const { chatId } = env.seeded.chats.Partner;
  const other = await env.other();
  const arrival = nextEvent(env.dashboard, ServerEvent.ChatReassigned, 10_000, (r) => r.chat_id === chatId);
  const to = env.seeded.executive.id;
  expect(await request(other, ClientEvent.ReassignChat, { chat_id: chatId, executive_id: to })).toMatchObject({
    status: 1,
  });
  return [{ label: 'from another executive', payload: await arrival, context: contextOn(env.seeded, 'Partner') }];
};

/** A new chat of the dashboard's executive left unanswered past the replay tier's short threshold. */
const slaAlert: Cause = async (env) => [await newChatOfTheDashboard(env, ServerEvent.SlaAlert, 20_000)];

/** How each replayed broadcast is caused. A broadcast added to REPLAYED.broadcasts needs one here. */
export const CAUSES: Record<string, Cause> = {
  ...Object.fromEntries(CUSTOMER_TYPES.map((type) => [routeOf(type).event, roomUpdate(type)])),
  [ServerEvent.NewMessage]: newMessage,
  [ServerEvent.DashboardStats]: dashboardStats,
  [ServerEvent.UserLeft]: (env) =>
    inVendorChat(env, (other, chat_id) => emitRaw(other, ClientEvent.LeaveChat, { chat_id }), ServerEvent.UserLeft),
  [ServerEvent.ExecutiveStatus]: executiveStatus,
  [ServerEvent.ChatAssigned]: chatAssigned,
  [ServerEvent.ChatReassigned]: chatReassigned,
  [ServerEvent.SlaAlert]: slaAlert,
  [ServerEvent.UserTyping]: (env) =>
    inVendorChat(
      env,
      (other, chat_id) => emitRaw(other, ClientEvent.Typing, { chat_id, sender: '919876500043' }),
      ServerEvent.UserTyping,
    ),
  // A tag the chat has not had yet: the same tag again changes nothing and is broadcast to nobody.
  [ServerEvent.TagUpdated]: (env) =>
    inVendorChat(
      env,
      (other, chat_id) => emitRaw(other, ClientEvent.ApplyTag, { chat_id, tag: `Replay ${++serial}`, action: 'add' }),
      ServerEvent.TagUpdated,
    ),
  [ServerEvent.NoteAdded]: (env) =>
    inVendorChat(
      env,
      (other, chat_id) => emitRaw(other, ClientEvent.AddNote, { chat_id, content: 'Called the vendor back.' }),
      ServerEvent.NoteAdded,
    ),
};
