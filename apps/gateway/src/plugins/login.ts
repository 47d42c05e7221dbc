import { setTimeout as sleep } from 'node:timers/promises';
import { LIMITS } from '@care-chat/contract';
import proxyAddr from '@fastify/proxy-addr';
import { Ajv } from 'ajv';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { createCredentialCheck } from '../auth/credentials.js';
import { LoginAttempts } from '../auth/login-attempts.js';
import { LoginService } from '../auth/login-service.js';
import { createTokenSigner } from '../auth/token-signer.js';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { type HttpFailure, LoginFailure } from '../errors.js';

export const LOGIN_PATH = '/api/auth/login';
const REFRESH_PATH = '/api/auth/refresh';
const LOGOUT_PATH = '/api/auth/logout';

// Credentials and tokens are short: a larger body is not a login.
const BODY_LIMIT = 8 * 1024;
const TOKEN = { type: 'string', minLength: 1, maxLength: 4096 } as const;

const failure = {
  type: 'object',
  required: ['status', 'error', 'message'],
  properties: { status: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;
const answers = (success: object) => ({ 200: success, '4xx': failure, '5xx': failure });
const pair = { accessToken: { type: 'string' }, refreshToken: { type: 'string' } } as const;

const loginSchema = {
  body: {
    type: 'object',
    required: ['username', 'password'],
    properties: {
      username: { type: 'string', minLength: 1, maxLength: LIMITS.id },
      // scrypt takes any length; the bound keeps a caller from making it hash megabytes.
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      login_from: { type: 'string', maxLength: LIMITS.label },
    },
  },
  response: answers({
    type: 'object',
    required: ['status', 'accessToken', 'refreshToken', 'agentNumber', 'adminid', 'name', 'role'],
    properties: {
      status: { type: 'integer' },
      ...pair,
      agentNumber: { type: 'string' },
      adminid: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
  }),
};
const refreshSchema = {
  body: { type: 'object', required: ['refreshToken'], properties: { refreshToken: TOKEN } },
  response: answers({
    type: 'object',
    required: ['status', ...Object.keys(pair)],
    properties: { status: { type: 'integer' }, ...pair },
  }),
};
const logoutSchema = {
  body: { type: 'object', required: ['token'], properties: { token: TOKEN } },
  response: answers({ type: 'object', required: ['status'], properties: { status: { type: 'integer' } } }),
};

function refuse(reply: FastifyReply, failure: HttpFailure) {
  if (failure.retryAfter !== undefined) reply.header('retry-after', failure.retryAfter);
  return reply.code(failure.status).send(failure.body);
}

/** Why these routes answer nothing but a refusal here. */
const offFailure = (app: FastifyInstance) =>
  app.config.jwt.algorithm === 'HS256' ? LoginFailure.switchedOff() : LoginFailure.outsideIssuer();

/**
 * The dashboard's login, refresh and logout (`/api/auth/*`): the only `/api` routes without a Bearer
 * token. Errors leave as every HTTP error does, `{ status: 0, error, message }`.
 */
async function login(app: FastifyInstance) {
  // Fastify's validator coerces (`["asha"]` would become "asha", 42 "42"): a credential of the wrong type is
  // a malformed request here, not something to guess at.
  const ajv = new Ajv({ coerceTypes: false, useDefaults: false, allErrors: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  if (!app.config.login.enabled) {
    const off = async (_request: unknown, reply: FastifyReply) => refuse(reply, offFailure(app));
    for (const path of [LOGIN_PATH, REFRESH_PATH, LOGOUT_PATH]) app.post(path, { bodyLimit: BODY_LIMIT }, off);
    return;
  }

  const { config } = app;
  const log = app.log.child({ module: 'login' });
  const checkCredentials = createCredentialCheck(app.pg, log);
  const attempts = new LoginAttempts(app.redis.pub, config.redisKeyPrefix, config.login, log);
  app.addHook('onClose', async () => attempts.close());
  const logins = new LoginService({
    db: app.pg,
    io: app.io,
    revocations: app.loginRevocations,
    sign: createTokenSigner(config.jwt),
    verifyForLogout: createTokenVerifier(config.jwt, { ownLogins: true, ignoreExpiration: true }),
    config: config.login,
    log,
  });

  app.post<{ Body: { username: string; password: string; login_from?: string } }>(
    LOGIN_PATH,
    { schema: loginSchema, bodyLimit: BODY_LIMIT },
    async (request, reply) => {
      const { username, password, login_from: loginFrom } = request.body;
      const admission = await attempts.admit(username, proxyAddr(request.raw, config.trustProxy));
      if ('refusedForMs' in admission) return refuse(reply, LoginFailure.tooManyAttempts(admission.refusedForMs));
      if (admission.delayMs > 0) await sleep(admission.delayMs);
      const executive = await checkCredentials(username, password);
      if (executive === undefined) return refuse(reply, LoginFailure.wrongCredentials());
      await attempts.succeeded(username);
      const tokens = await logins.login(executive, loginFrom ?? null);
      const { adminid, agentNumber, name, role } = executive;
      return { status: 1, ...tokens, agentNumber, adminid, name, role };
    },
  );

  app.post<{ Body: { refreshToken: string } }>(
    REFRESH_PATH,
    { schema: refreshSchema, bodyLimit: BODY_LIMIT },
    async (request, reply) => {
      const tokens = await logins.refresh(request.body.refreshToken);
      return tokens === undefined ? refuse(reply, LoginFailure.refreshRefused()) : { status: 1, ...tokens };
    },
  );

  app.post<{ Body: { token: string } }>(
    LOGOUT_PATH,
    { schema: logoutSchema, bodyLimit: BODY_LIMIT },
    async (request) => {
      await logins.logout(request.body.token);
      return { status: 1 };
    },
  );
}

export default fp(login, {
  name: 'login',
  dependencies: ['config', 'redis', 'postgres', 'auth', 'socket'],
  fastify: '5.x',
  // Its validator compiler is for its own routes.
  encapsulate: true,
});
