import {
  closeAllClients,
  refusalOf,
  serviceEnv,
  signToken,
  startGateway,
  startNode,
  TEST_JWT_SECRET,
  uniquePrefix,
  until,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const prefix = uniquePrefix();
let node: Awaited<ReturnType<typeof startGateway>>;

beforeAll(async () => {
  node = await startGateway(prefix, { LOG_LEVEL: 'debug' });
});
afterAll(() => node?.process.stop());
afterEach(closeAllClients);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it("takes the caller's x-request-id, logs the request under it and answers it back", async () => {
    const answer = await fetch(`${node.url}/api/health`, { headers: { 'x-request-id': 'railway-abc.123' } });
    expect(answer.headers.get('x-request-id')).toBe('railway-abc.123');
    const line = await node.process.waitForLog((l) => l.reqId === 'railway-abc.123' && l.msg === 'request completed');
    expect(line.statusCode).toBe(200);
  });

  it('makes a UUID when there is none, or when the one given is not usable', async () => {
    for (const given of [undefined, 'has spaces and <b>markup</b>', 'x'.repeat(129)]) {
      const headers: Record<string, string> = given === undefined ? {} : { 'x-request-id': given };
      const answer = await fetch(`${node.url}/api/health`, { headers });
      const id = answer.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      await node.process.waitForLog((l) => l.reqId === id);
    }
  });
});

describe('refused handshakes', () => {
  it('are logged with their code and address, never with the token', async () => {
    const wrongKey = signToken({ sub: 'agent_wrong_key' }, { key: `${TEST_JWT_SECRET}-not-this-one` });
    const expired = signToken({ sub: 'agent_expired' }, { expiresInS: -60 });
    const from = node.process.logs.length;
    expect((await refusalOf(node.url, wrongKey)).data?.code).toBe('invalid_token');
    expect((await refusalOf(node.url, expired)).data?.code).toBe('token_expired');
    expect((await refusalOf(node.url, undefined)).data?.code).toBe('missing_token');
    for (const code of ['invalid_token', 'token_expired', 'missing_token']) {
      const line = await node.process.waitForLog((l) => l.msg === 'handshake refused' && l.code === code, 5000, from);
      expect(line.address).toBeTypeOf('string');
    }
    const written = node.process.output.join('\n');
    for (const token of [wrongKey, expired]) {
      expect(written).not.toContain(token);
      // Nor the signature alone, in case a URL were logged with the token cut short.
      expect(written).not.toContain(token.split('.')[2]);
    }
  });
});

describe('refused handshakes behind a proxy', () => {
  it("are logged with the client's address, not the proxy's", async () => {
    const behind = await startGateway(prefix, { TRUST_PROXY: '1' });
    try {
      const refusal = await refusalOf(behind.url, undefined, { extraHeaders: { 'x-forwarded-for': '203.0.113.9' } });
      expect(refusal.data?.code).toBe('missing_token');
      const line = await behind.process.waitForLog((l) => l.msg === 'handshake refused');
      expect(line.address).toBe('203.0.113.9');
    } finally {
      await behind.process.stop();
    }
  });
});

describe('LOG_PRETTY', () => {
  it('makes a gateway write readable lines instead of JSON', async () => {
    const gateway = startNode('apps/gateway/dist/main.js', {
      ...serviceEnv(prefix),
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify-token',
      LOG_PRETTY: 'true',
    });
    try {
      const listening = await until(
        async () => gateway.output.find((line) => line.includes('gateway listening')),
        (line) => line !== undefined || gateway.child.exitCode !== null,
        'the gateway to say it listens',
      );
      expect(listening).toMatch(/INFO.*\(gateway\).*gateway listening/);
      expect(gateway.logs).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });
});
