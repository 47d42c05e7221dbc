import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeys } from '@care-chat/contract';
import { createLogger } from '@care-chat/runtime';
import { type GatewayNode, RedisServer, signToken, startGateway, uniquePrefix, until } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalNetwork, PRIVATE_NETWORK } from '../src/cluster/internal-network.js';
import { NodeRegistry } from '../src/cluster/node-registry.js';

const prefix = uniquePrefix();
const keys = redisKeys(prefix);
let redisServer: RedisServer;
let redis: Redis;
let node: GatewayNode;
// A certificate for an https peer on 127.0.0.1, which the gateway is told to trust.
const certificates = mkdtempSync(join(tmpdir(), 'peer-tls-'));
/** Every GET of a node's entry that reaches Redis, by node id. */
const lookups: string[] = [];

beforeAll(async () => {
  redisServer = await RedisServer.start();
  redis = new Redis(redisServer.url);
  const monitor = await new Redis(redisServer.url).monitor();
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'get' && args[1]?.startsWith(keys.node(''))) {
      lookups.push(args[1].slice(keys.node('').length));
    }
  });
  execFileSync('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
    ...['-subj', '/CN=peer', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ...['-keyout', join(certificates, 'key.pem'), '-out', join(certificates, 'cert.pem')],
  ]);
  node = await startGateway(prefix, {
    REDIS_URL: redisServer.url,
    PEER_TIMEOUT_MS: '500',
    INTERNAL_NETWORK: '127.0.0.1/32',
    NODE_EXTRA_CA_CERTS: join(certificates, 'cert.pem'),
  });
});
afterAll(async () => {
  await node?.process.stop();
  redis?.disconnect();
  await redisServer?.kill();
});

/** A session id as this tier makes them: 8 characters of its owner's id, then 20 random ones. */
const sessionOf = (nodeId: string) => nodeId + randomBytes(15).toString('base64url');
const randomNodeId = () => randomBytes(6).toString('base64url');

/** Waits until the monitor has seen everything sent so far: it reports commands in order. */
async function lookupsSoFar(): Promise<string[]> {
  const marker = randomNodeId();
  await redis.get(keys.node(marker));
  await until(
    async () => lookups.at(-1),
    (last) => last === marker,
    'the marker lookup',
  );
  return lookups.splice(0).filter((id) => id !== marker);
}

const poll = (sid: string, init: RequestInit = {}) =>
  fetch(`${node.url}/ws/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}&token=${signToken()}`, init);

describe('the node registry', () => {
  it('answers a sid of no shape it makes as Engine.IO does, without asking Redis', async () => {
    await lookupsSoFar();
    const made = ['x'.repeat(9), randomBytes(30).toString('base64url'), `${'a'.repeat(27)}.`, `${'a'.repeat(27)}%`];
    for (const sid of made) {
      const answer = await poll(sid);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ code: 1, message: 'Session ID unknown' });
    }
    expect(await lookupsSoFar()).toEqual([]);
  });

  it('asks Redis once for requests arriving together for one unknown node', async () => {
    await lookupsSoFar();
    const owner = randomNodeId();
    const answers = await Promise.all(Array.from({ length: 20 }, () => poll(sessionOf(owner))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(400));
    expect(await lookupsSoFar()).toEqual([owner]);
  });

  describe('in its own memory', () => {
    const registry = () =>
      new NodeRegistry(redis, prefix, new InternalNetwork(PRIVATE_NETWORK), createLogger('test', 'silent'));

    it('keeps a bounded number of ids: a flood of made-up ones pushes out what it knew', async () => {
      const nodes = registry();
      const known = randomNodeId();
      await redis.set(keys.node(known), 'http://127.0.0.1:1', 'PX', 60_000);
      expect(await nodes.originOf(known)).toBe('http://127.0.0.1:1');
      expect(await nodes.originOf(known)).toBe('http://127.0.0.1:1');
      expect(await lookupsSoFar()).toEqual([known]);
      await Promise.all(Array.from({ length: 1500 }, () => nodes.originOf(randomNodeId())));
      expect(await lookupsSoFar()).toHaveLength(1500);
      // Unbounded, it would still hold the known node (its entry lives 5 s): it has been forgotten.
      expect(await nodes.originOf(known)).toBe('http://127.0.0.1:1');
      expect(await lookupsSoFar()).toEqual([known]);
    });

    it('forgets that an id was unknown within a second, so a node that registers late is found', async () => {
      const nodes = registry();
      const late = randomNodeId();
      expect(await nodes.originOf(late)).toBeNull();
      await redis.set(keys.node(late), 'http://127.0.0.1:2', 'PX', 60_000);
      const started = Date.now();
      expect(
        await until(
          () => nodes.originOf(late),
          (url) => url !== null,
          'the late node',
          3000,
        ),
      ).toBe('http://127.0.0.1:2');
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });
});

/** A node id registered at `url`, as a gateway announces itself (or whoever can write to Redis). */
async function registered(url: string): Promise<string> {
  const id = randomNodeId();
  await redis.set(keys.node(id), url, 'PX', 60_000);
  return id;
}

/** A TCP server standing for a peer at `host`, doing `serve` with each connection. */
async function fakePeer(serve: (socket: Socket) => void, host = '127.0.0.1') {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as { port: number }).port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The status line the gateway answers a WebSocket upgrade for `sid` with. */
function upgradeAnswer(sid: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.connect(node.port, '127.0.0.1', () =>
      socket.write(
        `GET /ws/?EIO=4&transport=websocket&sid=${sid} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n` +
          `Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      ),
    );
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
  });
}

const post = (nodeId: string) => poll(sessionOf(nodeId), { method: 'POST', body: '1:6' });

async function expectStillUp(): Promise<void> {
  expect(node.process.child.exitCode).toBeNull();
  expect((await fetch(`${node.url}/api/health`)).status).toBe(200);
}

describe('forwarding a request to the gateway holding its session', () => {
  it('refuses a registered URL that is no http or https origin, and carries on', async () => {
    for (const url of [
      'gw1:3007',
      'ftp://127.0.0.1:21',
      'http://127.0.0.1:1/path',
      'http://u:p@127.0.0.1:1',
      'no url',
    ]) {
      const owner = await registered(url);
      const answer = await post(owner);
      expect({ url, status: answer.status, body: await answer.json() }).toEqual({
        url,
        status: 502,
        body: {
          status: 0,
          error: 'peer_unavailable',
          message: 'The gateway holding this session cannot be reached: reconnect',
        },
      });
      expect(await upgradeAnswer(sessionOf(owner))).toBe('HTTP/1.1 502 Bad Gateway');
    }
    await expectStillUp();
  });

  it('refuses a peer outside INTERNAL_NETWORK without connecting to it: the token stays here', async () => {
    const trap = await fakePeer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'), '127.0.0.2');
    try {
      const owner = await registered(trap.url);
      expect((await post(owner)).status).toBe(502);
      expect(await upgradeAnswer(sessionOf(owner))).toBe('HTTP/1.1 502 Bad Gateway');
      const warning = await node.process.waitForLog(
        (line) => line.msg === 'refused to forward to a registered URL' && line.nodeId === owner,
      );
      expect(warning.reason).toBe('127.0.0.2 is outside INTERNAL_NETWORK');
      expect(trap.connections()).toBe(0);
    } finally {
      await trap.close();
    }
  });

  it('answers 502 for a peer that is not there, or answers what is not HTTP', async () => {
    const gone = await fakePeer(() => undefined);
    await gone.close();
    const garbage = await fakePeer((socket) => socket.end('garbage\r\n\r\n'));
    try {
      for (const url of [gone.url, garbage.url]) {
        const owner = await registered(url);
        expect((await post(owner)).status).toBe(502);
        expect(await upgradeAnswer(sessionOf(owner))).toBe('HTTP/1.1 502 Bad Gateway');
      }
      await expectStillUp();
    } finally {
      await garbage.close();
    }
  });

  it('answers 504 within PEER_TIMEOUT_MS for a peer that takes the connection and never answers', async () => {
    const silent = await fakePeer(() => undefined);
    try {
      const owner = await registered(silent.url);
      const started = Date.now();
      const answer = await post(owner);
      expect(answer.status).toBe(504);
      expect(await answer.json()).toMatchObject({ error: 'peer_timeout' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await upgradeAnswer(sessionOf(owner))).toBe('HTTP/1.1 504 Gateway Timeout');
      await expectStillUp();
    } finally {
      await silent.close();
    }
  });

  it('reaches a peer over https', async () => {
    const peer = createHttpsServer(
      { key: readFileSync(join(certificates, 'key.pem')), cert: readFileSync(join(certificates, 'cert.pem')) },
      (req, res) => res.end(`ok over https, from ${req.headers['x-care-chat-forwarded']}`),
    );
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    try {
      const owner = await registered(`https://127.0.0.1:${(peer.address() as { port: number }).port}`);
      const answer = await post(owner);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toMatch(/^ok over https, from [\w-]{8}$/);
    } finally {
      peer.closeAllConnections();
      await new Promise((resolve) => peer.close(resolve));
    }
  });

  it('passes a WebSocket upgrade on to the gateway holding the session', async () => {
    const holder = await startGateway(prefix, { REDIS_URL: redisServer.url });
    try {
      const open = await fetch(`${holder.url}/ws/?EIO=4&transport=polling&token=${signToken()}`);
      const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
      const socket = new WebSocket(`ws://127.0.0.1:${node.port}/ws/?EIO=4&transport=websocket&sid=${sid}`);
      const probed = new Promise<unknown>((resolve, reject) => {
        socket.onmessage = (message) => resolve(message.data);
        socket.onerror = () => reject(new Error('upgrade refused'));
      });
      socket.onopen = () => socket.send('2probe');
      expect(await probed).toBe('3probe');
      socket.close();
    } finally {
      await holder.process.stop();
    }
  });
});

describe('the internal network', () => {
  const resolved = (network: InternalNetwork, name: string) =>
    new Promise<string>((resolve) =>
      network.lookup(name, {}, (err, address) => resolve((err as { code?: string } | null)?.code ?? String(address))),
    );

  it('fails to connect to a name that resolves outside it, and resolves one inside', async () => {
    expect(await resolved(new InternalNetwork(['10.0.0.0/8']), 'localhost')).toBe('ERR_OUTSIDE_INTERNAL_NETWORK');
    expect(await resolved(new InternalNetwork(PRIVATE_NETWORK), 'localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
