import { ClientEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connectDashboard,
  type GatewayNode,
  refusalOf,
  request,
  signToken,
  startGateway,
  uniquePrefix,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let node: GatewayNode;

beforeAll(async () => {
  node = await startGateway(uniquePrefix(), {
    SOCKET_EVENTS_PER_SECOND: '5',
    SOCKET_EVENT_BURST: '10',
    CONNECTIONS_PER_ADDRESS_PER_MINUTE: '6',
    TRUST_PROXY: 'true',
  });
});
afterEach(closeAllClients);
afterAll(async () => {
  await node?.process.stop();
});

const handshake = (forwardedFor: string) =>
  fetch(`${node.url}/ws/?EIO=4&transport=polling&token=${signToken()}`, {
    headers: { 'x-forwarded-for': forwardedFor },
  });

describe('per-socket event rate', () => {
  it('answers events past the allowance with status 0, keeps the socket, and serves it again once it slows down', async () => {
    const client = await connectDashboard(node.url, signToken(), { extraHeaders: { 'x-forwarded-for': '10.0.0.1' } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' })),
    );
    expect(answers.filter((answer) => answer.status === 1)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status === 0)).toEqual(
      Array(10).fill({ status: 0, message: 'Too many events: slow down' }),
    );
    expect(client.connected).toBe(true);
    // The allowance refills at 5 a second: after 300 ms there is one again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' })).toEqual({
      status: 1,
      room: 'PartnerApp',
    });
  });
});

describe('connection attempts per address', () => {
  it('refuses an address past its allowance with 403 and the reason; other addresses still connect', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await handshake('203.0.113.7')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 403, 403]);
    const refused = await handshake('203.0.113.7');
    expect(await refused.json()).toEqual({ code: 4, message: 'Too many connection attempts from this address' });
    expect((await handshake('203.0.113.8')).status).toBe(200);
    const error = await refusalOf(node.url, signToken(), {
      transports: ['polling'],
      extraHeaders: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(error.message).toBe('xhr poll error');
  });
});
