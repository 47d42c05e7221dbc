import type { Log } from '@care-chat/runtime';
import Fastify from 'fastify';
import type { GatewayConfig } from './env.js';
import adminUi from './plugins/admin-ui.js';
import api from './plugins/api.js';
import auth from './plugins/auth.js';
import cluster from './plugins/cluster.js';
import config from './plugins/config.js';
import devConsole from './plugins/console.js';
import cors from './plugins/cors.js';
import customers from './plugins/customers.js';
import docs from './plugins/docs.js';
import drain from './plugins/drain.js';
import errors from './plugins/errors.js';
import executives from './plugins/executives.js';
import health from './plugins/health.js';
import login from './plugins/login.js';
import media from './plugins/media.js';
import mediaSend from './plugins/media-send.js';
import mediaUpload from './plugins/media-upload.js';
import metrics from './plugins/metrics.js';
import notes from './plugins/notes.js';
import postgres from './plugins/postgres.js';
import presence from './plugins/presence.js';
import queue from './plugins/queue.js';
import queueUi from './plugins/queue-ui.js';
import redis from './plugins/redis.js';
import requestIdHeader from './plugins/request-id.js';
import socket from './plugins/socket.js';
import stats from './plugins/stats.js';
import templates from './plugins/templates.js';
import webhook from './plugins/webhook.js';
import { requestId } from './request-id.js';
import { RequestLog } from './request-log.js';

/** A gateway node: the plugins composed, ready to listen. */
export async function buildApp(gatewayConfig: GatewayConfig, logger: Log) {
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLog(),
    genReqId: requestId,
    // Plugins wait up to STARTUP_TIMEOUT_MS for Redis and PostgreSQL; our own message must win.
    pluginTimeout: gatewayConfig.startupTimeoutMs * 2 + 5000,
    // A request (headers and body) must arrive whole in time, or it gets 408 and its connection is closed:
    // a client trickling a body cannot hold a connection open. Node takes the larger of the two bounds
    // (the headers' is 60 s by default), and checks every second (every 30 s by default). Answers take
    // what they take: a long-poll waits for packets, an upgraded socket is Engine.IO's.
    requestTimeout: gatewayConfig.requestTimeoutMs,
    http: { headersTimeout: gatewayConfig.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    // Other systems' ids may be strings or numbers, kept as sent: a union type, which strict Ajv only warns of.
    ajv: { customOptions: { allowUnionTypes: true } },
  });
  await app.register(config, { config: gatewayConfig });
  await app.register(requestIdHeader);
  await app.register(drain);
  await app.register(errors);
  await app.register(cors);
  await app.register(docs);
  await app.register(redis);
  await app.register(postgres);
  await app.register(queue);
  await app.register(stats);
  await app.register(auth);
  await app.register(metrics);
  await app.register(presence);
  await app.register(socket);
  await app.register(cluster);
  await app.register(health);
  await app.register(webhook);
  await app.register(login);
  await app.register(api);
  await app.register(media);
  await app.register(mediaUpload);
  await app.register(mediaSend);
  await app.register(customers);
  await app.register(notes);
  await app.register(templates);
  await app.register(executives);
  await app.register(devConsole);
  await app.register(adminUi);
  await app.register(queueUi);
  return app;
}
