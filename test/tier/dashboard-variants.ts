import {
  type ClientEventName,
  type ClientResponse,
  responseEvent,
  type ServerToClientEvents,
} from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  dashboardClient,
  nextEvent,
  RandomBalancer,
  readFixture,
  signToken,
  type TestClient,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Tier } from './tier.js';

/** One payload the dashboard really sends (`fixtures/dashboard/client-events.json`). */
export interface Variant {
  id: string;
  page: 'Partner' | 'Customer' | 'Vendor' | 'SRDP';
  payload: Record<string, unknown>;
}

const fixture = JSON.parse(readFixture('dashboard/client-events.json')) as {
  events: Record<string, { variants: Variant[] }>;
};

/** Every variant of `event`, as the dashboard sends it. */
export const variantsOf = (event: ClientEventName): Variant[] => fixture.events[event]?.variants ?? [];

/** A dashboard behind `url` as the dashboard connects: the token in the query, no ack. */
export const dashboardAt = (url: string, claims: Record<string, unknown> = {}) =>
  connected(dashboardClient(url, signToken(claims)));

/** Emits `event` as the dashboard does (no ack) and resolves with its `<event>_response`. */
export function ask<E extends ClientEventName>(
  client: TestClient,
  event: E,
  data: unknown,
): Promise<ClientResponse<E>> {
  const answer = nextEvent(client, responseEvent(event) as keyof ServerToClientEvents & string, 10_000);
  (client.emit as (event: string, data: unknown) => void)(event, data);
  return answer as Promise<ClientResponse<E>>;
}

/** Each is `[client, payload, what the refusal says]`. */
export type Refusals = readonly (readonly [TestClient, unknown, RegExp | string])[];

/** Every payload is answered `status: 0` with its message. */
export async function expectRefused(event: ClientEventName, refusals: Refusals): Promise<void> {
  for (const [client, payload, message] of refusals) {
    const answer = await ask(client, event, payload);
    expect(answer.status, JSON.stringify(payload)).toBe(0);
    if (answer.status === 0) expect(answer.message).toMatch(message);
  }
}

/** A tier for this test file, its two gateways behind the non-sticky balancer; clients closed after each test. */
export function tierForFile(options: Parameters<typeof Tier.start>[0] = {}): { tier: Tier; balancer: RandomBalancer } {
  const running = {} as { tier: Tier; balancer: RandomBalancer };
  beforeAll(async () => {
    running.tier = await Tier.start(options);
    running.balancer = await RandomBalancer.start(running.tier.nodes.map((node) => node.port));
  });
  afterEach(closeAllClients);
  afterAll(async () => {
    await running.balancer?.close();
    await running.tier?.stop();
  });
  return running;
}
