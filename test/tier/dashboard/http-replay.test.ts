import { closeAllClients, FakeGraph, type RandomBalancer, TEST_ACCESS_TOKEN } from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tier } from '../tier.js';
import { connectAsDashboard, contextOn, expectHttpReads, sendCall } from './replay.js';
import { identityOn, type Seeded, seed, startReplayTier } from './seed.js';
import { type HttpCall, replayedCalls, replayedSequences, traffic } from './traffic.js';

// The dashboard's HTTP calls (traffic.json, from http.json), made through the non-sticky balancer with
// its headers and bodies, in http.json's order: login first, whose tokens refresh and logout then use.
let tier: Tier;
let balancer: RandomBalancer;
let graph: FakeGraph;
let seeded: Seeded;
/** The login's tokens, once it has answered with them. */
let login: { accessToken: string; refreshToken: string } | undefined;

beforeAll(async () => {
  graph = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  ({ tier, balancer } = await startReplayTier(graph));
  seeded = await seed(tier, graph, balancer.url);
});
afterAll(async () => {
  closeAllClients();
  await balancer?.close();
  await tier?.stop();
  await graph?.close();
});

const tokensOf = (json: unknown) => {
  const { accessToken, refreshToken } = (json ?? {}) as Record<string, unknown>;
  return typeof accessToken === 'string' && typeof refreshToken === 'string'
    ? { accessToken, refreshToken }
    : undefined;
};

/** Refresh and logout act on the login's session; the others use the executive's token. */
function tokensFor(call: HttpCall) {
  if (call.route === 'auth.refresh' || call.route === 'auth.logout') {
    if (login === undefined) throw new Error(`${call.id} needs the tokens of auth.login, which gave none`);
    return login;
  }
  return { accessToken: seeded.token, refreshToken: '' };
}

async function replayCall(call: HttpCall, mediaId?: string) {
  const chat = seeded.chats[call.page ?? 'Partner'];
  const ids = { chat_id: chat.chatId, customer: chat.customer, media_id: mediaId ?? chat.mediaId };
  return sendCall(balancer.url, call, identityOn(seeded, call.page, tokensFor(call)), ids);
}

describe('every reachable HTTP call, made as the dashboard makes it', () => {
  it.each(replayedCalls().map((call) => [call.id, call] as const))('%s', async (_id, call) => {
    const answer = await replayCall(call);
    if (call.route === 'auth.login') login = tokensOf(answer.json);
    expectHttpReads(call, answer, contextOn(seeded, call.page));
    if (call.route === 'whatsapp.downloadmedia') {
      expect(answer.body.length, 'the media bytes WhatsApp holds').toBeGreaterThan(0);
    }
  });
});

describe('the login flow, in order', () => {
  const flows = replayedSequences().filter(([, sequence]) => !sequence.per_page);
  it.each(flows.map(([name, sequence]) => [name, sequence] as const))('%s', async (_name, sequence) => {
    // A flow without a login (a reload) connects with the token the dashboard kept from an earlier one.
    const logsIn = sequence.steps.some(
      (step) => 'http' in step && traffic.http.find((c) => c.id === step.http)?.route === 'auth.login',
    );
    let tokens: { accessToken: string; refreshToken: string } | undefined = logsIn
      ? undefined
      : { accessToken: seeded.token, refreshToken: '' };
    for (const step of sequence.steps) {
      if ('http' in step) {
        const call = traffic.http.find((c) => c.id === step.http) as HttpCall;
        const answer = await replayCall(call);
        expectHttpReads(call, answer, contextOn(seeded, null));
        if (call.route === 'auth.login') tokens = tokensOf(answer.json);
      }
      if ('handshake' in step) {
        if (tokens === undefined) throw new Error(`${step.step}: the login gave no accessToken to connect with`);
        const socket = await connectAsDashboard(balancer.url, tokens.accessToken);
        expect(socket.connected).toBe(true);
      }
    }
  });
});
