import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type GatewayNode, RedisServer, startGateway, uniquePrefix, until } from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';

const prefix = uniquePrefix();
const servers: RedisServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.kill()));
});

const NO_AOF = /^Redis has no append-only file \(appendonly no\): a Redis crash loses the queued jobs/;

/** Readiness once the node is ready (its queue connection may come up just after it listens). */
const readiness = (node: GatewayNode) =>
  until(
    async () => {
      const response = await fetch(`${node.url}/api/health/ready`);
      return { status: response.status, body: (await response.json()) as { status: number; warnings: string[] } };
    },
    (answer) => answer.status === 200,
    'readiness',
  );

/** Starts a gateway on `redisUrl`, and what it said about Redis's persistence by the time it listened. */
async function gatewayOn(redisUrl: string) {
  const node = await startGateway(prefix, { REDIS_URL: redisUrl });
  const warnings = node.process.logs.filter((line) => line.level === 40 && 'redisPersistence' in line);
  return { node, warnings };
}

describe("Redis's persistence, read at start", () => {
  it('the local Redis, without an AOF: a warning at start, and in readiness, which stays ready', async () => {
    const { node, warnings } = await gatewayOn(inject('redisUrl'));
    try {
      expect(warnings.map((line) => line.msg)).toEqual([expect.stringMatching(NO_AOF)]);
      expect(await readiness(node)).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 1, warnings: [expect.stringMatching(NO_AOF)] }),
      });
    } finally {
      await node.process.stop();
    }
  });

  it('a Redis with an AOF: nothing to warn about', async () => {
    const server = await RedisServer.start({ dataDir: mkdtempSync(`${tmpdir()}/aof-redis-`) });
    servers.push(server);
    const { node, warnings } = await gatewayOn(server.url);
    try {
      expect(warnings).toEqual([]);
      expect((await readiness(node)).body).toMatchObject({ status: 1, warnings: [] });
    } finally {
      await node.process.stop();
    }
  });

  it('a managed Redis that refuses CONFIG: read from INFO instead, and the gateway starts', async () => {
    const server = await RedisServer.start();
    servers.push(server);
    const admin = new Redis(server.url);
    await admin.call('ACL', 'SETUSER', 'managed', 'on', '>managed-password', '~*', '&*', '+@all', '-config');
    admin.disconnect();
    const url = `redis://managed:managed-password@127.0.0.1:${server.port}`;
    const user = new Redis(url);
    await expect(user.config('GET', 'appendonly')).rejects.toThrow(/NOPERM/);
    user.disconnect();
    const { node, warnings } = await gatewayOn(url);
    try {
      expect(warnings.map((line) => line.msg)).toEqual([expect.stringMatching(NO_AOF)]);
      expect((await readiness(node)).body).toMatchObject({ status: 1, warnings: [expect.stringMatching(NO_AOF)] });
    } finally {
      await node.process.stop();
    }
  });
});
