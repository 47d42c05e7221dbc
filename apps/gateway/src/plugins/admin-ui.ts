import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { SOCKET_PATH } from '@care-chat/contract';
import proxyAddr from '@fastify/proxy-addr';
import fastifyStatic from '@fastify/static';
import { instrument } from '@socket.io/admin-ui';
import fp from 'fastify-plugin';
import type { ExtendedError, Server } from 'socket.io';
import { type AdminVerdict, adminCheckFor } from '../auth/admin-check.js';
import { AdminFailure } from '../errors.js';

/** The namespace the Admin UI connects to. */
const ADMIN_NAMESPACE = '/admin';
/** Where its client is served, so no outside site is needed to use it. */
const ADMIN_UI_PATH = '/admin/socket.io/';

const uiRoot = join(dirname(createRequire(import.meta.url).resolve('@socket.io/admin-ui/package.json')), 'ui/dist');

/**
 * The client's page, told our Socket.IO path: it keeps its connection settings in localStorage and would
 * otherwise offer `/socket.io`, where nothing answers. A path the admin chose before is left alone.
 */
function indexPage(): string {
  const path = JSON.stringify(SOCKET_PATH);
  const defaults = `<script>localStorage.getItem("path")||localStorage.setItem("path",${path})</script>`;
  const page = readFileSync(join(uiRoot, 'index.html'), 'utf8');
  if (!page.includes('<head>')) throw new Error('@socket.io/admin-ui: its index.html has no <head> to set the path in');
  return page.replace('<head>', `<head>${defaults}`);
}

/**
 * With ADMIN_UI_ENABLED, the Socket.IO Admin UI (`@socket.io/admin-ui`) on the gateway's server: its
 * client at `/admin/socket.io/`, which connects to the `/admin` namespace of `/ws`. Only an executive with
 * role `admin` connects there: the client sends `{ username, password }` in its handshake, checked against
 * the executives table as the login checks them (admin-ui's own `basic` auth knows one bcrypt-hashed
 * user, not our table). Read-only: an admin sees, but cannot emit to dashboards, make sockets join rooms
 * their token does not allow, or disconnect them. Production mode: aggregated counts, not every packet.
 */
export default fp(
  async (app) => {
    if (!app.config.adminUiEnabled) return;
    const { config } = app;
    const log = app.log.child({ module: 'admin-ui' });
    const check = adminCheckFor(app, log);
    // The admin namespace has its own events, none of the dashboard's.
    const io = app.io as unknown as Server;
    const admin = io.of(ADMIN_NAMESPACE);
    admin.use(async (socket, next) => {
      const { username, password } = socket.handshake.auth as { username?: unknown; password?: unknown };
      const address = proxyAddr(socket.request, config.trustProxy);
      const verdict = await check.check(username, password, address).catch((err: unknown): AdminVerdict => {
        // PostgreSQL or Redis away: the client is told no more than that.
        log.warn({ err }, 'admin credentials not checked');
        return { refused: AdminFailure.unchecked() };
      });
      if ('adminid' in verdict) return next();
      const { error, message, retryAfter } = verdict.refused;
      app.metrics.connectErrors.inc({ code: error });
      const refusal: ExtendedError = Object.assign(new Error(message), { data: { code: error, retryAfter } });
      next(refusal);
    });
    instrument(io, {
      namespaceName: ADMIN_NAMESPACE,
      // Checked above: `false` only says admin-ui adds no check of its own.
      auth: false,
      readonly: true,
      mode: 'production',
      // Two gateways on one host must not show as one server.
      serverId: `${hostname()}#${process.pid}`,
    });
    const page = indexPage();
    app.get(ADMIN_UI_PATH, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(page),
    );
    await app.register(fastifyStatic, { root: uiRoot, prefix: ADMIN_UI_PATH, index: false, schemaHide: true });
    app.addHook('onClose', async () => {
      admin.adapter.close();
    });
    log.info({ path: ADMIN_UI_PATH, namespace: ADMIN_NAMESPACE }, 'Socket.IO Admin UI enabled');
  },
  {
    name: 'admin-ui',
    dependencies: ['config', 'metrics', 'redis', 'postgres', 'socket'],
    fastify: '5.x',
    // @fastify/static's decorators are for its own routes.
    encapsulate: true,
  },
);
