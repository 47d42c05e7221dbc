import { generateKeyPairSync } from 'node:crypto';
import { ClientEvent } from '@care-chat/contract';
import {
  closeAllClients,
  connectDashboard,
  type GatewayNode,
  refusalOf,
  request,
  signToken,
  startGateway,
  TEST_JWT_SECRET,
  uniquePrefix,
  unsignedToken,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const pem = (algorithm: 'rsa' | 'ec') =>
  algorithm === 'rsa'
    ? generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      })
    : generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });

const rsa = pem('rsa');
const ec = pem('ec');
const prefix = uniquePrefix();
let hs: GatewayNode;
let rs: GatewayNode;
let es: GatewayNode;
let scoped: GatewayNode;

beforeAll(async () => {
  [hs, rs, es, scoped] = await Promise.all([
    startGateway(prefix, { LOG_LEVEL: 'trace' }),
    // Stored on one line with literal \n, as single-line variable stores keep PEMs.
    startGateway(prefix, { JWT_SECRET: '', JWT_PUBLIC_KEY: rsa.publicKey.replace(/\n/g, '\\n') }),
    startGateway(prefix, { JWT_SECRET: '', JWT_PUBLIC_KEY: ec.publicKey }),
    startGateway(prefix, { JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'care-dashboard' }),
  ]);
});

afterEach(closeAllClients);

afterAll(async () => {
  await Promise.all([hs, rs, es, scoped].map((node) => node?.process.stop()));
});

const codeOf = async (node: GatewayNode, token: string | undefined, options = {}) => {
  const error = await refusalOf(node.url, token, options);
  return { message: error.message, code: error.data?.code };
};

describe('an HS256 deployment', () => {
  it('accepts the token from the query, auth.token, or a Bearer header', async () => {
    const token = signToken();
    await expect(connectDashboard(hs.url, token)).resolves.toBeTruthy();
    await expect(connectDashboard(hs.url, undefined, { auth: { token } })).resolves.toBeTruthy();
    await expect(
      connectDashboard(hs.url, undefined, { extraHeaders: { Authorization: `Bearer ${token}` } }),
    ).resolves.toBeTruthy();
  });

  it('takes auth.token before the query parameter', async () => {
    expect(await codeOf(hs, signToken(), { auth: { token: 'garbage' } })).toEqual({
      message: 'unauthorized',
      code: 'invalid_token',
    });
  });

  it.each([
    { name: 'no token', token: undefined, code: 'missing_token' },
    { name: 'a malformed token', token: 'not-a-jwt', code: 'invalid_token' },
    { name: 'an expired token', token: signToken({}, { expiresInS: -60 }), code: 'token_expired' },
    {
      name: 'another secret',
      token: signToken({}, { key: 'another-secret-of-sufficient-length' }),
      code: 'invalid_token',
    },
    { name: 'an unsigned token (alg none)', token: unsignedToken(), code: 'invalid_token' },
    { name: 'a token without exp', token: signToken({}, { expiresInS: null }), code: 'invalid_token' },
    { name: 'a token without sub', token: signToken({ sub: undefined }), code: 'invalid_token' },
    { name: 'an unknown customer type', token: signToken({ customer_types: ['Driver'] }), code: 'invalid_token' },
    { name: 'customer_types not a list', token: signToken({ customer_types: 'Vendor' }), code: 'invalid_token' },
  ])('refuses $name with connect_error unauthorized / $code', async ({ token, code }) => {
    expect(await codeOf(hs, token)).toEqual({ message: 'unauthorized', code });
  });

  it('never writes a token to its logs, even at trace level', async () => {
    const token = signToken({ sub: 'agent_log_check' });
    const client = await connectDashboard(hs.url, token);
    await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' });
    await codeOf(hs, `${token}x`);
    await hs.process.waitForLog((line) => line.msg === 'socket connected' && line.executive === 'agent_log_check');
    const output = hs.process.output.join('\n');
    expect(output).not.toContain(token);
    expect(output).not.toContain(TEST_JWT_SECRET);
  });
});

describe('an RS256 deployment', () => {
  it('accepts RS256 tokens signed with its private key', async () => {
    const token = signToken({}, { key: rsa.privateKey, algorithm: 'RS256' });
    await expect(connectDashboard(rs.url, token)).resolves.toBeTruthy();
  });

  it('refuses an HS256 token signed with its public key as the secret', async () => {
    const forged = signToken({}, { key: rsa.publicKey, algorithm: 'HS256' });
    expect(await codeOf(rs, forged)).toEqual({ message: 'unauthorized', code: 'invalid_token' });
  });

  it('refuses HS256 tokens and unsigned ones', async () => {
    expect(await codeOf(rs, signToken())).toEqual({ message: 'unauthorized', code: 'invalid_token' });
    expect(await codeOf(rs, unsignedToken())).toEqual({ message: 'unauthorized', code: 'invalid_token' });
  });
});

describe('an ES256 deployment', () => {
  it('accepts ES256 tokens and refuses RS256 ones', async () => {
    await expect(
      connectDashboard(es.url, signToken({}, { key: ec.privateKey, algorithm: 'ES256' })),
    ).resolves.toBeTruthy();
    expect(await codeOf(es, signToken({}, { key: rsa.privateKey, algorithm: 'RS256' }))).toEqual({
      message: 'unauthorized',
      code: 'invalid_token',
    });
  });
});

describe('a deployment with JWT_ISSUER and JWT_AUDIENCE', () => {
  it('accepts only tokens of that issuer for that audience', async () => {
    const good = signToken({ iss: 'https://auth.example', aud: 'care-dashboard' });
    await expect(connectDashboard(scoped.url, good)).resolves.toBeTruthy();
    for (const claims of [
      { iss: 'https://evil.example', aud: 'care-dashboard' },
      { iss: 'https://auth.example', aud: 'x' },
      {},
    ]) {
      expect(await codeOf(scoped, signToken(claims))).toEqual({ message: 'unauthorized', code: 'invalid_token' });
    }
  });
});
