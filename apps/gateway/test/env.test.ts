import { generateKeyPairSync } from 'node:crypto';
import { TEST_JWT_SECRET } from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/env.js';

const required = { JWT_SECRET: TEST_JWT_SECRET, WHATSAPP_APP_SECRET: 'a', WHATSAPP_VERIFY_TOKEN: 'v' };

const load = (source: Record<string, string>) => () => loadConfig({ ...required, ...source });

describe('CORS_ORIGINS', () => {
  it('takes origins, or * alone', () => {
    expect(loadConfig(required).corsOrigins).toEqual(['*']);
    const origins = 'https://dashboard.example.com, http://localhost:4200';
    expect(loadConfig({ ...required, CORS_ORIGINS: origins }).corsOrigins).toEqual([
      'https://dashboard.example.com',
      'http://localhost:4200',
    ]);
  });

  const notAnOrigin = (item: string) =>
    `"${item}" is not an origin (scheme://host[:port], e.g. https://dashboard.example.com)`;

  it.each([
    ['not an origin,,', 'has an empty item, got "not an origin,,"'],
    ['not an origin', notAnOrigin('not an origin')],
    ['https://dashboard.example.com/', notAnOrigin('https://dashboard.example.com/')],
    ['https://dashboard.example.com/app', notAnOrigin('https://dashboard.example.com/app')],
    ['ftp://files.example.com', notAnOrigin('ftp://files.example.com')],
    ['dashboard.example.com', notAnOrigin('dashboard.example.com')],
    ['*,https://dashboard.example.com', '"*" allows every origin: give it alone'],
  ])('refuses %j, naming the variable', (value, problem) => {
    expect(load({ CORS_ORIGINS: value })).toThrow(`invalid configuration: CORS_ORIGINS: ${problem}`);
  });
});

describe('HOST', () => {
  it.each(['0.0.0.0', '::', '127.0.0.1', 'localhost', 'gateway.railway.internal'])('takes %j', (host) => {
    expect(loadConfig({ ...required, HOST: host }).host).toBe(host);
  });

  it.each(['not a host', 'gw1:3007', 'http://gw1', '-gw1', 'gw1..internal'])('refuses %j', (host) => {
    expect(load({ HOST: host })).toThrow(
      `invalid configuration: HOST: must be an IP address or a host name, got "${host}"`,
    );
  });
});

describe('secrets', () => {
  it('refuses an HS256 JWT_SECRET shorter than 32 bytes (RFC 7518 §3.2), counting bytes, not characters', () => {
    expect(load({ JWT_SECRET: 'change-me' })).toThrow(
      'invalid configuration: JWT_SECRET: must be at least 32 bytes, got 9 (openssl rand -base64 32 makes one); RFC 7518 §3.2 requires it of an HS256 key',
    );
    expect(load({ JWT_SECRET: 'x'.repeat(31) })).toThrow('JWT_SECRET: must be at least 32 bytes, got 31');
    expect(load({ JWT_SECRET: 'é'.repeat(16) })).not.toThrow();
  });

  it('leaves /metrics off without METRICS_TOKEN, and refuses a short one', () => {
    expect(loadConfig(required).metricsToken).toBeUndefined();
    expect(loadConfig({ ...required, METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    expect(load({ METRICS_TOKEN: 'metrics' })).toThrow(
      'invalid configuration: METRICS_TOKEN: must be at least 32 bytes, got 7 (openssl rand -base64 32 makes one)',
    );
  });
});

describe('login', () => {
  const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

  it('is on with JWT_SECRET, off with JWT_PUBLIC_KEY, and off when LOGIN_ENABLED=false', () => {
    expect(loadConfig(required).login.enabled).toBe(true);
    expect(loadConfig({ ...required, LOGIN_ENABLED: 'false' }).login.enabled).toBe(false);
    expect(loadConfig({ ...required, JWT_SECRET: '', JWT_PUBLIC_KEY: publicKey }).login.enabled).toBe(false);
  });

  it('refuses LOGIN_ENABLED=true with JWT_PUBLIC_KEY: the tier could not sign', () => {
    expect(load({ JWT_SECRET: '', JWT_PUBLIC_KEY: publicKey, LOGIN_ENABLED: 'true' })).toThrow(
      'invalid configuration: LOGIN_ENABLED: cannot be true with JWT_PUBLIC_KEY: the tier signs its tokens with JWT_SECRET',
    );
  });

  it('takes a shift-long access token and a week-long refresh token by default', () => {
    expect(loadConfig(required).login).toMatchObject({ accessTtlS: 12 * 3600, refreshTtlS: 7 * 24 * 3600 });
    expect(load({ ACCESS_TOKEN_TTL_S: '10' })).toThrow('ACCESS_TOKEN_TTL_S: must be an integer from 60 to 604800');
  });
});

describe('WHATSAPP_NUMBERS and WHATSAPP_BUSINESS_ACCOUNTS', () => {
  const numbers = JSON.stringify({ Partner: '1001', Vendor: '1003' });

  it('give each type with a number its account; a type without one has neither', () => {
    const { graph } = loadConfig({
      ...required,
      WHATSAPP_NUMBERS: numbers,
      WHATSAPP_BUSINESS_ACCOUNTS: '{"Partner":"2001","Vendor":"2001"}',
    });
    expect(graph.numbers).toEqual({
      Partner: { phoneNumberId: '1001', businessAccountId: '2001' },
      Vendor: { phoneNumberId: '1003', businessAccountId: '2001' },
    });
    expect(loadConfig(required).graph.numbers).toEqual({});
  });

  it('refuse a number without an account, an account without a number, and bad JSON, naming the variable', () => {
    expect(load({ WHATSAPP_NUMBERS: numbers, WHATSAPP_BUSINESS_ACCOUNTS: '{"Partner":"2001","SRDP":"2004"}' })).toThrow(
      'invalid configuration: WHATSAPP_BUSINESS_ACCOUNTS: no account for Vendor, which WHATSAPP_NUMBERS gives a number; WHATSAPP_BUSINESS_ACCOUNTS: an account for SRDP, which WHATSAPP_NUMBERS gives no number',
    );
    expect(load({ WHATSAPP_NUMBERS: numbers })).toThrow('WHATSAPP_BUSINESS_ACCOUNTS: no account for Partner, Vendor');
    expect(load({ WHATSAPP_BUSINESS_ACCOUNTS: '{"Partner":2001}' })).toThrow(
      'WHATSAPP_BUSINESS_ACCOUNTS: the whatsapp_business_account_id of Partner must be a string of digits',
    );
  });
});

describe('presence', () => {
  it('keeps an executive without sockets online 30 s, a gateway silent 10 s counted; a lease under 300 ms is refused', () => {
    expect(loadConfig(required).presence).toEqual({ graceMs: 30_000, leaseMs: 10_000 });
    expect(loadConfig({ ...required, PRESENCE_GRACE_MS: '0' }).presence.graceMs).toBe(0);
    expect(load({ PRESENCE_LEASE_MS: '100' })).toThrow('PRESENCE_LEASE_MS: must be an integer from 300 to 600000');
    expect(load({ PRESENCE_GRACE_MS: 'soon' })).toThrow('PRESENCE_GRACE_MS: ');
  });
});
