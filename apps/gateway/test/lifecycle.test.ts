import { readFileSync } from 'node:fs';
import { ClientEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connected,
  createTestDatabase,
  dashboardClient,
  type GatewayNode,
  refusalOf,
  request,
  signToken,
  startGateway,
  startNode,
  TcpSwitch,
  TEST_JWT_SECRET,
  uniquePrefix,
  until,
} from '@care-chat/testkit';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';

const prefix = uniquePrefix();
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

afterEach(closeAllClients);

async function getJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('health', () => {
  it('answers liveness and readiness', async () => {
    const node = await startGateway(prefix);
    try {
      expect(await getJson(`${node.url}/api/health`)).toEqual({
        status: 200,
        body: { status: 1, message: 'Realtime gateway running', version },
      });
      expect(await getJson(`${node.url}/api/health/ready`)).toEqual({
        status: 200,
        body: { status: 1, message: 'Ready', checks: { redis: 'ok', postgres: 'ok' }, warnings: expect.any(Array) },
      });
    } finally {
      await node.process.stop();
    }
  });
});

describe('readiness', () => {
  it('says when PostgreSQL is out of reach, and ready again once it is back', async () => {
    const relay = await TcpSwitch.start(Number(new URL(inject('databaseUrl')).port || 5432));
    const node = await startGateway(prefix, { DATABASE_URL: relay.wrap(inject('databaseUrl')) });
    try {
      relay.disconnect();
      const down = await until(
        () => getJson(`${node.url}/api/health/ready`),
        (answer) => answer.status === 503,
        'readiness to fail',
      );
      expect(down.body).toMatchObject({ status: 0, message: 'Not Ready', checks: { postgres: 'error' } });
      relay.reconnect();
      const up = await until(
        () => getJson(`${node.url}/api/health/ready`),
        (answer) => answer.status === 200,
        'readiness again',
        15_000,
      );
      expect(up.body).toMatchObject({ status: 1, checks: { postgres: 'ok' } });
    } finally {
      await node.process.stop();
      await relay.close();
    }
  });
});

describe('SIGTERM', () => {
  it('marks the node not ready, refuses new sessions, lets clients reconnect elsewhere, and exits 0', async () => {
    let draining: GatewayNode | undefined;
    let survivor: GatewayNode | undefined;
    let balancer: TcpSwitch | undefined;
    try {
      [draining, survivor] = await Promise.all([
        startGateway(prefix, { DRAIN_DELAY_MS: '1500' }),
        startGateway(prefix),
      ]);
      balancer = await TcpSwitch.start(draining.port);
      const client = await connected(dashboardClient(balancer.url, signToken()));
      await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
      const firstId = client.id;
      const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
      const reconnected = new Promise<void>((resolve) => client.io.once('reconnect', () => resolve()));
      balancer.switchTo(survivor.port);

      const exitCode = draining.process.stop('SIGTERM');
      // The drain starts when the signal is handled, not when it is sent.
      const ready = await until(
        () => getJson(`${draining?.url}/api/health/ready`),
        (answer) => answer.status === 503,
        'the drain to start',
      );
      expect(ready).toEqual({
        status: 503,
        body: {
          status: 0,
          message: 'Draining',
          checks: { redis: 'ok', postgres: 'ok' },
          warnings: expect.any(Array),
        },
      });
      expect((await refusalOf(draining.url, signToken(), { transports: ['polling'] })).message).toMatch(
        /xhr poll error/,
      );

      // "transport close", not "io server disconnect": the client reconnects by itself.
      expect(await disconnected).toBe('transport close');
      await reconnected;
      expect(client.id).not.toBe(firstId);
      expect(await exitCode).toBe(0);
      expect(await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' })).toEqual({
        status: 1,
        room: 'PartnerApp',
      });
    } finally {
      await balancer?.close();
      await Promise.all([draining?.process.stop(), survivor?.process.stop()]);
    }
  });
});

describe('configuration', () => {
  const run = async (env: Record<string, string>) => {
    const process = startNode('apps/gateway/dist/main.js', { PORT: '0', ...env });
    const code = await process.exited;
    return { code, output: process.output.join('\n') };
  };

  it('stops before listening, naming every bad variable', async () => {
    const { code, output } = await run({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://x',
      CORS_ORIGINS: 'not an origin,,',
      HOST: 'not a host',
      METRICS_TOKEN: 'short',
    });
    expect(code).toBe(1);
    for (const name of ['PORT', 'LOG_LEVEL', 'REDIS_URL', 'JWT_SECRET or JWT_PUBLIC_KEY', 'CORS_ORIGINS', 'HOST'])
      expect(output).toContain(`${name}: `);
    expect(output).toContain('METRICS_TOKEN: must be at least 32 bytes');
  });

  it('refuses an HS256 secret shorter than 32 bytes', async () => {
    const { code, output } = await run({ JWT_SECRET: 'change-me' });
    expect(code).toBe(1);
    expect(output).toContain('JWT_SECRET: must be at least 32 bytes, got 9');
  });

  it('refuses an unusable public key and an ambiguous key pair', async () => {
    expect((await run({ JWT_PUBLIC_KEY: 'not a pem' })).output).toContain('JWT_PUBLIC_KEY: not a usable');
    expect((await run({ JWT_PUBLIC_KEY: 'x', JWT_SECRET: 'y' })).output).toContain('set only one');
  });

  it('refuses an INTERNAL_URL other gateways could not use, and a malformed INTERNAL_NETWORK', async () => {
    const bad = await run({ INTERNAL_URL: 'gw1:3007', INTERNAL_NETWORK: '10.0.0.0/33' });
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('INTERNAL_URL: \\"gw1:3007\\" cannot be used: gw1: is not http: or https:');
    expect(bad.output).toContain('INTERNAL_NETWORK: \\"10.0.0.0/33\\" is not an address block');
    const outside = await run({ INTERNAL_URL: 'http://203.0.113.9:3000' });
    expect(outside.output).toContain('203.0.113.9 is outside INTERNAL_NETWORK');
  });

  const secrets = {
    JWT_SECRET: TEST_JWT_SECRET,
    WHATSAPP_APP_SECRET: 'y',
    WHATSAPP_VERIFY_TOKEN: 'z',
    STARTUP_TIMEOUT_MS: '1000',
  };

  it('stops when Redis or PostgreSQL cannot be reached, naming its variable, and where Redis is', async () => {
    const redisDown = await run({ ...secrets, REDIS_URL: 'redis://default:hunter2-secret@127.0.0.1:1' });
    expect(redisDown.code).toBe(1);
    expect(redisDown.output).toContain('Redis at 127.0.0.1:1 (REDIS_URL) is unreachable');
    expect(redisDown.output).not.toContain('hunter2');
    const postgresDown = await run({
      ...secrets,
      REDIS_URL: inject('redisUrl'),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
    });
    expect(postgresDown.code).toBe(1);
    expect(postgresDown.output).toContain('PostgreSQL (DATABASE_URL) is unreachable');
  });

  it('stops on a HOST it cannot listen on before it migrates the database', async () => {
    const database = await createTestDatabase();
    try {
      const { code, output } = await run({
        ...secrets,
        REDIS_URL: inject('redisUrl'),
        DATABASE_URL: database.url,
        // TEST-NET-1 (RFC 5737): a well-formed address that is no machine's.
        HOST: '192.0.2.1',
      });
      expect(code).toBe(1);
      expect(output).toContain('HOST: cannot listen on 192.0.2.1 (EADDRNOTAVAIL)');
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      const { rows } = await db.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      await db.end();
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await database.drop();
    }
  });
});
