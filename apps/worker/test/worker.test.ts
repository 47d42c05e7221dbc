import { ClientEvent, routeOf } from '@care-chat/contract';
import {
  chatSummary,
  closeAllClients,
  connectDashboard,
  nextEvent,
  request,
  serviceEnv,
  signToken,
  startGateway,
  startNode,
  uniquePrefix,
} from '@care-chat/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { dashboardEmitter } from '../src/broadcaster.js';

afterEach(closeAllClients);

describe('the worker process', () => {
  it('starts, reports ready, and exits 0 on SIGTERM', async () => {
    const worker = startNode('apps/worker/dist/main.js', serviceEnv(uniquePrefix()));
    await worker.waitForLog((line) => line.msg === 'worker ready');
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.logs.map((line) => line.msg)).toContain('stopped');
  });

  it('warns plainly at start when Redis has no append-only file (the local one has none)', async () => {
    const worker = startNode('apps/worker/dist/main.js', serviceEnv(uniquePrefix()));
    try {
      const warning = await worker.waitForLog((line) => line.redisPersistence !== undefined);
      expect(warning).toMatchObject({ level: 40, redisPersistence: 'none' });
      expect(warning.msg).toMatch(/^Redis has no append-only file \(appendonly no\)/);
      await worker.waitForLog((line) => line.msg === 'worker ready');
    } finally {
      await worker.stop();
    }
  });

  it('stops when Redis cannot be reached, naming where it is but not its password', async () => {
    const worker = startNode('apps/worker/dist/main.js', {
      ...serviceEnv(uniquePrefix()),
      REDIS_URL: 'redis://default:hunter2-secret@127.0.0.1:1',
      STARTUP_TIMEOUT_MS: '500',
    });
    expect(await worker.exited).toBe(1);
    const output = worker.output.join('\n');
    expect(output).toContain('Redis at 127.0.0.1:1 (REDIS_URL) is unreachable');
    expect(output).not.toContain('hunter2');
  });

  it('stops before connecting, naming every bad variable', async () => {
    const worker = startNode('apps/worker/dist/main.js', { WHATSAPP_NUMBERS: '{"Driver":"1"}', LOG_LEVEL: 'chatty' });
    expect(await worker.exited).toBe(1);
    const output = worker.output.join('\n');
    expect(output).toContain('WHATSAPP_NUMBERS');
    expect(output).toContain('LOG_LEVEL');
  });
});

describe("the worker's emitter", () => {
  it("sends a chat to its customer type's room on the gateways, through their broadcast stream", async () => {
    const prefix = uniquePrefix();
    const gateway = await startGateway(prefix);
    const redis = new Redis(inject('redisUrl'));
    try {
      const { room, event } = routeOf('Partner');
      const client = await connectDashboard(gateway.url, signToken());
      await request(client, ClientEvent.JoinRoom, { room });
      const summary = chatSummary('Partner');
      const arrival = nextEvent(client, event);
      await dashboardEmitter(redis, prefix, 60_000).to(room).emit(event, summary);
      expect(await arrival).toEqual(summary);
    } finally {
      redis.disconnect();
      await gateway.process.stop();
    }
  });
});
