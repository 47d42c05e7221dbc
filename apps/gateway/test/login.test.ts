import { generateKeyPairSync, randomBytes, randomUUID, scrypt } from 'node:crypto';
import { ClientEvent, redisKeys } from '@care-chat/contract';
import {
  addExecutive,
  createPool,
  disableExecutive,
  hashPassword,
  type NewExecutive,
  verifyPassword,
} from '@care-chat/store';
import {
  closeAllClients,
  connectDashboard,
  createTestDatabase,
  type GatewayNode,
  RandomBalancer,
  refusalOf,
  request,
  signToken,
  startGateway,
  type TestClient,
  type TestDatabase,
  uniquePrefix,
} from '@care-chat/testkit';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';

const PASSWORD = 'correct horse battery staple';
const PER_USERNAME = 6;
const SLOW_AFTER = 3;
// Well above what a scrypt check takes on a loaded machine, so slowed and unslowed answers are told apart.
const SLOW_MS = 2500;
const PER_ADDRESS = 12;

let database: TestDatabase;
let db: pg.Pool;
let a: GatewayNode;
let b: GatewayNode;
let balancer: RandomBalancer;
let redis: Redis;
let keys: ReturnType<typeof redisKeys>;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  keys = redisKeys(prefix);
  redis = new Redis(inject('redisUrl'));
  const env = {
    DATABASE_URL: database.url,
    // The tests connect from 127.0.0.1, the one proxy: X-Forwarded-For gives each test an address of its own.
    TRUST_PROXY: '1',
    LOGIN_ATTEMPTS_PER_USERNAME: String(PER_USERNAME),
    LOGIN_ATTEMPTS_PER_ADDRESS: String(PER_ADDRESS),
    LOGIN_ATTEMPT_WINDOW_S: '600',
    LOGIN_SLOW_AFTER: String(SLOW_AFTER),
    LOGIN_SLOW_MS: String(SLOW_MS),
  };
  [a, b] = await Promise.all([startGateway(prefix, env), startGateway(prefix, env)]);
  balancer = await RandomBalancer.start([a.port, b.port]);
  db = createPool(database.url, 2);
});
afterEach(closeAllClients);
afterAll(async () => {
  await balancer?.close();
  await Promise.all([a, b].map((node) => node?.process.stop()));
  await db?.end();
  redis?.disconnect();
  await database?.drop();
});

let addresses = 0;
/** A client address no other test uses, so their attempts are counted apart. */
const newAddress = () => `198.51.100.${++addresses}`;

async function newExecutive(overrides: Partial<NewExecutive> = {}) {
  const username = `exec-${randomUUID().slice(0, 8)}`;
  const id = await addExecutive(db, {
    username,
    name: 'Asha Verma',
    agentNumber: '919876543210',
    role: 'executive',
    customerTypes: ['Partner', 'Vendor'],
    password: PASSWORD,
    ...overrides,
  });
  return { username, id: id as string };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  ms: number;
}

/** A POST as the dashboard sends it: JSON, no Authorization header. */
async function post(url: string, path: string, body: unknown, address = '203.0.113.1'): Promise<Answer> {
  const started = performance.now();
  const answer = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: answer.status,
    body: (await answer.json()) as Record<string, unknown>,
    headers: answer.headers,
    ms: performance.now() - started,
  };
}

const login = (username: string, password = PASSWORD, url = balancer.url, address = newAddress()) =>
  post(url, '/api/auth/login', { username, password, login_from: 'customercare' }, address);

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

const stats = (url: string, token: string) =>
  fetch(`${url}/api/dashboard/stats`, {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  }).then((answer) => answer.status);

const refusalCode = async (url: string, token: string) => (await refusalOf(url, token)).data?.code;

function disconnection(client: TestClient, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not disconnected')), timeoutMs);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const loginCount = async () => Number((await db.query('SELECT count(*) FROM logins')).rows[0].count);

describe('POST /api/auth/login', () => {
  it('answers what the dashboard reads, with a token that opens /ws and the API', async () => {
    const { username, id } = await newExecutive();
    const answer = await login(username.toUpperCase());
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 1,
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      agentNumber: '919876543210',
      adminid: id,
      name: 'Asha Verma',
      role: 'executive',
    });
    expect(typeof answer.body.adminid).toBe('string');
    const token = answer.body.accessToken as string;
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      sub: id,
      name: 'Asha Verma',
      role: 'executive',
      agent_number: '919876543210',
      customer_types: ['Partner', 'Vendor'],
      sid: expect.stringMatching(/^\d+$/),
    });
    // The default lifetime, a shift: see the README, Login.
    expect((claims.exp as number) - (claims.iat as number)).toBe(12 * 3600);
    const client = await connectDashboard(balancer.url, token);
    expect(await request(client, ClientEvent.JoinRoom, { room: 'VendorApp' })).toMatchObject({ status: 1 });
    // The token's customer types hold on the socket.
    expect(await request(client, ClientEvent.JoinRoom, { room: 'CustomerApp' })).toMatchObject({ status: 0 });
    expect(await stats(a.url, token)).toBe(200);
    expect(await stats(b.url, token)).toBe(200);
  });

  it('answers a wrong password, an unknown user and a disabled executive alike, each after the scrypt work', async () => {
    const { username } = await newExecutive();
    const disabled = await newExecutive();
    await disableExecutive(db, disabled.username);
    // What one scrypt check takes here at best; the gateways run the same one. Skipping it (answering an
    // unknown user at once) would take a few ms: a third of it tells the two apart on a loaded machine.
    const hash = await hashPassword(PASSWORD);
    let scryptMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await verifyPassword(PASSWORD, hash);
      scryptMs = Math.min(scryptMs, performance.now() - started);
    }

    const answers = [
      await login(username, 'wrong password'),
      await login(`nobody-${randomUUID()}`),
      await login(disabled.username),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ status: 0, error: 'wrong_credentials', message: 'Wrong username or password' });
      expect(answer.ms).toBeGreaterThanOrEqual(scryptMs / 3);
    }
  });

  it('refuses malformed bodies with 400 and writes nothing', async () => {
    const { username } = await newExecutive();
    const before = await loginCount();
    for (const body of [
      {},
      { username },
      { password: PASSWORD },
      { username: '', password: PASSWORD },
      { username: [username], password: PASSWORD },
      { username, password: { $ne: '' } },
      { username, password: null },
      [username, PASSWORD],
      '{"username":',
      'null',
    ]) {
      const answer = await post(a.url, '/api/auth/login', body, newAddress());
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toEqual({ status: 0, error: expect.any(String), message: expect.any(String) });
    }
    const huge = await post(a.url, '/api/auth/login', { username, password: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ status: 0, error: expect.any(String), message: expect.any(String) });
    expect(await loginCount()).toBe(before);
  });

  it('replaces a hash made with older scrypt parameters at the next good login', async () => {
    const { username, id } = await newExecutive();
    // N = 2^14: what an older release might have used.
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((resolve, reject) =>
      scrypt(PASSWORD, salt, 64, { N: 2 ** 14, r: 8, p: 1 }, (error, derived) =>
        error ? reject(error) : resolve(derived),
      ),
    );
    const older = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    await db.query('UPDATE executives SET password_hash = $2 WHERE id = $1', [id, older]);
    expect((await login(username)).status).toBe(200);
    const { rows } = await db.query('SELECT password_hash FROM executives WHERE id = $1', [id]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect((await login(username)).status).toBe(200);
  });
});

describe('POST /api/auth/refresh', () => {
  it('gives a new pair for each refresh token, once', async () => {
    const { username } = await newExecutive();
    const first = (await login(username)).body;
    const second = await post(a.url, '/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ status: 1, accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const refreshed = second.body.accessToken as string;
    expect(claimsOf(refreshed).sid).toBe(claimsOf(first.accessToken as string).sid);
    expect(await stats(b.url, refreshed)).toBe(200);
    const third = await post(b.url, '/api/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);
  });

  it('revokes the whole login when a spent refresh token comes back', async () => {
    const { username } = await newExecutive();
    const first = (await login(username)).body;
    const client = await connectDashboard(b.url, first.accessToken as string);
    const cut = disconnection(client);
    const second = (await post(a.url, '/api/auth/refresh', { refreshToken: first.refreshToken })).body;
    const reuse = await post(a.url, '/api/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({ status: 0, error: 'session_ended', message: 'This session has ended: log in again' });
    expect(await cut).toBe('io server disconnect');
    // The thief's pair and the executive's pair are both dead.
    expect((await post(b.url, '/api/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);
    for (const token of [first.accessToken as string, second.accessToken as string]) {
      expect(await stats(a.url, token)).toBe(401);
      expect(await refusalCode(b.url, token)).toBe('invalid_token');
    }
  });

  it('refuses a disabled executive, an unknown token and a malformed body', async () => {
    const { username } = await newExecutive();
    const { refreshToken } = (await login(username)).body;
    await disableExecutive(db, username);
    expect((await post(a.url, '/api/auth/refresh', { refreshToken })).status).toBe(401);
    expect((await post(a.url, '/api/auth/refresh', { refreshToken: 'made-up' })).status).toBe(401);
    for (const body of [{}, { refreshToken: 42 }, { refreshToken: '' }]) {
      const answer = await post(a.url, '/api/auth/refresh', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ status: 0, error: expect.any(String), message: expect.any(String) });
    }
  });
});

describe('POST /api/auth/logout', () => {
  it("disconnects the login's sockets on the other gateway and refuses its tokens from then on", async () => {
    const { username } = await newExecutive();
    const { accessToken, refreshToken } = (await login(username)).body as { accessToken: string; refreshToken: string };
    const other = (await login(username)).body.accessToken as string;
    const client = await connectDashboard(b.url, accessToken);
    const sameExecutiveOtherLogin = await connectDashboard(b.url, other);
    const cut = disconnection(client);
    expect(await post(a.url, '/api/auth/logout', { token: accessToken })).toMatchObject({
      status: 200,
      body: { status: 1 },
    });
    expect(await cut).toBe('io server disconnect');
    for (const node of [a, b]) {
      expect(await refusalCode(node.url, accessToken)).toBe('invalid_token');
      expect(await stats(node.url, accessToken)).toBe(401);
    }
    expect((await post(b.url, '/api/auth/refresh', { refreshToken })).status).toBe(401);
    // Redis forgetting the revocation (a restart without its data) sends the question to PostgreSQL.
    const key = keys.login(claimsOf(accessToken).sid as string);
    await redis.del(key);
    expect(await stats(a.url, accessToken)).toBe(401);
    expect(await redis.get(key)).toBe('revoked');
    // Another login of the same executive is not touched.
    expect(sameExecutiveOtherLogin.connected).toBe(true);
    expect(await stats(a.url, other)).toBe(200);
  });

  it('answers status 1 to a token that is already logged out, not ours, or not a token', async () => {
    const { username } = await newExecutive();
    const { accessToken } = (await login(username)).body;
    for (const token of [accessToken, accessToken, signToken(), 'not-a-token', `${accessToken}x`]) {
      expect(await post(b.url, '/api/auth/logout', { token })).toMatchObject({ status: 200, body: { status: 1 } });
    }
    expect((await post(b.url, '/api/auth/logout', {})).status).toBe(400);
  });
});

describe('logs', () => {
  it('never hold a password, an access token or a refresh token', async () => {
    const { username } = await newExecutive();
    const { accessToken, refreshToken } = (await login(username, PASSWORD, a.url)).body as Record<string, string>;
    const next = (await post(a.url, '/api/auth/refresh', { refreshToken })).body as Record<string, string>;
    await post(a.url, '/api/auth/refresh', { refreshToken });
    await post(a.url, '/api/auth/logout', { token: next.accessToken });
    await a.process.waitForLog((line) => line.msg === 'login revoked' && line.reason === 'logout');
    const output = a.process.output.join('\n');
    for (const secret of [PASSWORD, accessToken, refreshToken, next.accessToken, next.refreshToken]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('brute force', () => {
  it('slows, then refuses with 429 and Retry-After, across gateways, the right password too', async () => {
    const { username } = await newExecutive();
    const address = newAddress();
    const gateways = [a, b];
    const attempt = (i: number, password = 'wrong') => login(username, password, gateways[i % 2]?.url, address);
    for (let i = 0; i < SLOW_AFTER; i++) {
      const answer = await attempt(i);
      expect(answer.status).toBe(401);
      expect(answer.ms).toBeLessThan(SLOW_MS);
    }
    // The slowed ones wait in parallel: they are counted as they arrive.
    const slowed = await Promise.all(
      Array.from({ length: PER_USERNAME - SLOW_AFTER }, (_, i) => attempt(SLOW_AFTER + i)),
    );
    for (const answer of slowed) {
      expect(answer.status).toBe(401);
      expect(answer.ms).toBeGreaterThanOrEqual(SLOW_MS);
    }
    for (const password of ['wrong', PASSWORD]) {
      const refused = await attempt(0, password);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        status: 0,
        error: 'too_many_attempts',
        message: 'Too many login attempts: try again later',
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives a username its allowance back at a good login', async () => {
    const { username } = await newExecutive();
    const address = newAddress();
    for (let i = 0; i <= SLOW_AFTER; i++) await login(username, 'wrong', a.url, address);
    expect((await login(username, PASSWORD, b.url, address)).status).toBe(200);
    const next = await login(username, 'wrong', a.url, address);
    expect(next.status).toBe(401);
    expect(next.ms).toBeLessThan(SLOW_MS);
  });

  it('refuses an address that tries many usernames', async () => {
    const address = newAddress();
    const answers = await Promise.all(
      Array.from({ length: PER_ADDRESS + 1 }, (_, i) => login(`nobody-${i}`, 'wrong', [a, b][i % 2]?.url, address)),
    );
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(PER_ADDRESS);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(1);
  });
});

describe('access token lifetime', () => {
  it('leaves a connected socket served past its exp; only a new handshake is refused', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = signToken({ exp: expiresAt });
    const client = await connectDashboard(a.url, token);
    // Past exp is what is being tested.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt * 1000 - Date.now() + 100)));
    expect(await request(client, ClientEvent.JoinRoom, { room: 'PartnerApp' })).toMatchObject({ status: 1 });
    expect(await refusalCode(a.url, token)).toBe('token_expired');
  });
});

describe('a deployment whose tokens come from another issuer', () => {
  it.each([
    [{ JWT_SECRET: '', JWT_PUBLIC_KEY: 'PUBLIC' }, /JWT_PUBLIC_KEY is set/],
    [{ LOGIN_ENABLED: 'false' }, /LOGIN_ENABLED=false/],
  ])('answers the three routes 404 with why (%j)', async (env, message) => {
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const node = await startGateway(uniquePrefix(), {
      DATABASE_URL: database.url,
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'PUBLIC' ? publicKey : v])),
    });
    try {
      for (const [path, body] of [
        ['/api/auth/login', { username: 'asha', password: PASSWORD }],
        ['/api/auth/refresh', { refreshToken: 'x' }],
        ['/api/auth/logout', { token: 'x' }],
      ] as const) {
        const answer = await post(node.url, path, body);
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({ status: 0, error: expect.any(String), message: expect.stringMatching(message) });
      }
    } finally {
      await node.process.stop();
    }
  });
});
