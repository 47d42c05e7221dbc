import { randomBytes } from 'node:crypto';
import { redisKeys } from '@care-chat/contract';
import { createLogger } from '@care-chat/runtime';
import { type GatewayNode, RedisServer, startGateway, uniquePrefix, until } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeRegistry } from '../src/cluster/node-registry.js';

const prefix = uniquePrefix();
const keys = redisKeys(prefix);
let redisServer: RedisServer;
let redis: Redis;
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
});
afterAll(async () => {
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
  );
  return lookups.splice(0).filter((id) => id !== marker);
}

describe('the node registry', () => {
  let node: GatewayNode;
  beforeAll(async () => {
    node = await startGateway(prefix, { REDIS_URL: redisServer.url });
  });
  afterAll(async () => {
    await node?.process.stop();
  });

  const poll = (sid: string) => fetch(`${node.url}/ws/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`);

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
    const registry = () => new NodeRegistry(redis, prefix, createLogger('test', 'silent'));

    it('keeps a bounded number of ids: a flood of made-up ones pushes out what it knew', async () => {
      const nodes = registry();
      const known = randomNodeId();
      await redis.set(keys.node(known), 'http://127.0.0.1:1', 'PX', 60_000);
      expect(await nodes.urlOf(known)).toBe('http://127.0.0.1:1');
      expect(await nodes.urlOf(known)).toBe('http://127.0.0.1:1');
      expect(await lookupsSoFar()).toEqual([known]);
      await Promise.all(Array.from({ length: 1500 }, () => nodes.urlOf(randomNodeId())));
      expect(await lookupsSoFar()).toHaveLength(1500);
      // Unbounded, it would still hold the known node (its entry lives 5 s): it has been forgotten.
      expect(await nodes.urlOf(known)).toBe('http://127.0.0.1:1');
      expect(await lookupsSoFar()).toEqual([known]);
    });

    it('forgets that an id was unknown within a second, so a node that registers late is found', async () => {
      const nodes = registry();
      const late = randomNodeId();
      expect(await nodes.urlOf(late)).toBeNull();
      await redis.set(keys.node(late), 'http://127.0.0.1:2', 'PX', 60_000);
      const started = Date.now();
      expect(
        await until(
          () => nodes.urlOf(late),
          (url) => url !== null,
          3000,
        ),
      ).toBe('http://127.0.0.1:2');
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });
});
