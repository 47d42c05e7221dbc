import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
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

const ALLOWANCE = 6;
let node: GatewayNode;
let peer: GatewayNode;
let behindTwo: GatewayNode;

beforeAll(async () => {
  const limits = {
    SOCKET_EVENTS_PER_SECOND: '5',
    SOCKET_EVENT_BURST: '10',
    CONNECTIONS_PER_ADDRESS_PER_MINUTE: String(ALLOWANCE),
    REQUEST_TIMEOUT_MS: '1000',
  };
  const prefix = uniquePrefix();
  // The tests connect straight from 127.0.0.1: to these gateways, that is the one proxy in front.
  [node, peer, behindTwo] = await Promise.all([
    startGateway(prefix, { ...limits, TRUST_PROXY: '1' }),
    startGateway(prefix, { ...limits, TRUST_PROXY: '1' }),
    startGateway(uniquePrefix(), { ...limits, TRUST_PROXY: 'loopback, 10.0.0.0/8' }),
  ]);
});
afterEach(closeAllClients);
afterAll(async () => {
  await Promise.all([node, peer, behindTwo].map((gateway) => gateway?.process.stop()));
});

/** Opens an Engine.IO session the way a polling client's first request does; resolves with the HTTP status. */
const handshake = async (forwardedFor: string, token: string | null = signToken(), gateway = node) => {
  const query = token === null ? '' : `&token=${token}`;
  const answer = await fetch(`${gateway.url}/ws/?EIO=4&transport=polling${query}`, {
    headers: { 'x-forwarded-for': forwardedFor },
  });
  await answer.arrayBuffer();
  return answer.status;
};

const handshakes = async (count: number, attempt: (index: number) => Promise<number>) => {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await attempt(i));
  return statuses;
};

const refusedAfterAllowance = (count: number) => [...Array(ALLOWANCE).fill(200), ...Array(count - ALLOWANCE).fill(403)];
const madeUpHop = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(256)}`;

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
    expect(await handshakes(8, () => handshake('203.0.113.7'))).toEqual(refusedAfterAllowance(8));
    const refused = await fetch(`${node.url}/ws/?EIO=4&transport=polling&token=${signToken()}`, {
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(await refused.json()).toEqual({ code: 4, message: 'Too many connection attempts from this address' });
    expect(await handshake('203.0.113.8')).toBe(200);
    const error = await refusalOf(node.url, signToken(), {
      transports: ['polling'],
      extraHeaders: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(error.message).toBe('xhr poll error');
  });

  it('takes the rightmost hop the trusted proxies did not write: hops a client makes up change nothing', async () => {
    const statuses = await handshakes(10, () => handshake(`${madeUpHop()}, ${madeUpHop()}, 203.0.113.20`));
    expect(statuses).toEqual(refusedAfterAllowance(10));
  });

  it('skips the hops of every trusted proxy when TRUST_PROXY lists them', async () => {
    const statuses = await handshakes(8, (i) =>
      handshake(`${madeUpHop()}, 198.51.100.7, 10.0.0.${i}`, undefined, behindTwo),
    );
    expect(statuses).toEqual(refusedAfterAllowance(8));
    expect(await handshake('198.51.100.8, 10.0.0.1', undefined, behindTwo)).toBe(200);
  });

  it('holds across gateways: every replica counts the same allowance', async () => {
    const statuses = await handshakes(10, (i) => handshake('203.0.113.30', undefined, i % 2 === 0 ? node : peer));
    expect(statuses).toEqual(refusedAfterAllowance(10));
  });

  it('does not let handshakes without a valid token use up the allowance of an executive at that address', async () => {
    const anonymous = await handshakes(10, (i) =>
      handshake('203.0.113.40', i % 2 === 0 ? null : 'not-a-token', i % 3 === 0 ? peer : node),
    );
    expect(anonymous).toEqual(refusedAfterAllowance(10));
    const executive = await connectDashboard(node.url, signToken({ sub: 'agent_at_40' }), {
      extraHeaders: { 'x-forwarded-for': '203.0.113.40' },
    });
    expect(executive.connected).toBe(true);
  });

  it('does not let one executive use up the allowance of another at the same address', async () => {
    const greedy = signToken({ sub: 'agent_greedy' });
    expect(await handshakes(8, () => handshake('203.0.113.50', greedy))).toEqual(refusedAfterAllowance(8));
    expect(await handshake('203.0.113.50', signToken({ sub: 'agent_other' }))).toBe(200);
  });
});

describe('request time', () => {
  it('answers 408 and closes the connection of a webhook body sent one byte at a time', async () => {
    const socket = connect(node.port, '127.0.0.1');
    socket.write(
      'POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100000\r\n\r\n{',
    );
    const trickle = setInterval(() => socket.write(' '), 100);
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    await new Promise((resolve, reject) => {
      socket.once('close', resolve);
      socket.once('error', reject);
    }).finally(() => clearInterval(trickle));
    // The bound is 1 s; Node looks for late requests every second.
    expect(Date.now() - started).toBeLessThan(3500);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});
