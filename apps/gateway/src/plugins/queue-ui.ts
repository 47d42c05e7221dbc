import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { bearerToken } from '@care-chat/runtime';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type AdminVerdict, adminCheckFor } from '../auth/admin-check.js';
import { basicCredentials } from '../auth/basic.js';
import { AdminFailure, AuthError, LoginFailure } from '../errors.js';

const QUEUE_UI_PATH = '/admin/queues';

// RFC 7617 §2: the realm the browser asks credentials for; UTF-8, as executives' passwords may be.
const CHALLENGE = 'Basic realm="care-chat admin", charset="UTF-8"';

/**
 * With QUEUE_UI_ENABLED, bull-board at `/admin/queues` over the queues this gateway feeds. Every request
 * (page, assets, the board's API) must come from an executive with role `admin`: HTTP Basic with its
 * username and password, checked as the login checks them, or the Bearer access token of one of its
 * logins. Anything else is answered 401 with a Basic challenge, so a browser asks. Read-only: jobs are
 * retried by the worker's own policy, not by hand, and nobody adds jobs the webhook did not receive.
 */
export default fp(
  async (app) => {
    if (!app.config.queueUiEnabled) return;
    const { config } = app;
    const log = app.log.child({ module: 'queue-ui' });
    const check = adminCheckFor(app, log);

    const verdictOf = async (request: FastifyRequest): Promise<AdminVerdict> => {
      const { authorization } = request.headers;
      const token = bearerToken(authorization);
      if (token !== undefined) {
        try {
          const executive = await app.authenticateToken(token);
          return executive.role === 'admin' ? { adminid: executive.id } : { refused: AdminFailure.notAdmin() };
        } catch (error) {
          if (error instanceof AuthError) return { refused: LoginFailure.wrongCredentials() };
          throw error;
        }
      }
      const basic = basicCredentials(authorization);
      if (basic === undefined) return { refused: LoginFailure.wrongCredentials() };
      return check.check(basic.username, basic.password, proxyAddr(request.raw, config.trustProxy));
    };

    const board = new FastifyAdapter();
    createBullBoard({
      queues: [app.queues.inbound, app.queues.outbound].map(
        (queue) => new BullMQAdapter(queue, { readOnlyMode: true }),
      ),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'care-chat queues' } },
    });
    board.setBasePath(QUEUE_UI_PATH);
    await app.register(async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const verdict = await verdictOf(request).catch((err: unknown): AdminVerdict => {
          // Answered here: the board's own error handler would show the error's message to anyone.
          log.warn({ err }, 'admin credentials not checked');
          return { refused: AdminFailure.unchecked() };
        });
        if ('adminid' in verdict) return;
        const { refused } = verdict;
        if (refused.retryAfter !== undefined) reply.header('retry-after', refused.retryAfter);
        if (refused.status === 401) reply.header('www-authenticate', CHALLENGE);
        return reply.code(refused.status).send(refused.body);
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUE_UI_PATH });
    });
    log.info({ path: QUEUE_UI_PATH }, 'queue UI enabled');
  },
  { name: 'queue-ui', dependencies: ['config', 'redis', 'postgres', 'auth', 'queue'], fastify: '5.x' },
);
