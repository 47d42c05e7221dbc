import { spawn, spawnSync } from 'node:child_process';
import { ClientEvent, routeOf } from '@care-chat/contract';
import { closeAllClients, connectDashboard, freePort, nextEvent, request, signToken } from '@care-chat/testkit';
import {
  AppProcess,
  postWebhook,
  repoRoot,
  SAMPLE_NUMBERS,
  TEST_APP_SECRET,
  textWebhook,
  until,
} from '@care-chat/testkit/tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tier } from './tier.js';

// The compose file's balancer, its config as it is, in front of two local gateways.
const haveHaproxy = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
if (!haveHaproxy) console.warn('haproxy.test.ts skipped: no haproxy binary (apt-get install haproxy)');

let tier: Tier;
let haproxy: AppProcess;
let url: string;

const ready = () =>
  fetch(`${url}/api/health/ready`).then(
    (answer) => answer.status,
    () => 0,
  );

describe.skipIf(!haveHaproxy)('infra/haproxy/haproxy.cfg in front of two gateways', () => {
  beforeAll(async () => {
    tier = await Tier.start({ gatewayEnv: { TRUST_PROXY: '1', LOG_LEVEL: 'debug' } });
    const port = await freePort();
    const [first, second] = tier.nodes;
    haproxy = new AppProcess(
      spawn('haproxy', ['-db', '-f', `${repoRoot}infra/haproxy/haproxy.cfg`], {
        env: {
          PATH: process.env.PATH ?? '',
          LISTEN: `127.0.0.1:${port}`,
          GATEWAY_1: `127.0.0.1:${first.port}`,
          GATEWAY_2: `127.0.0.1:${second.port}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    url = `http://127.0.0.1:${port}`;
    await until(ready, (status) => status === 200, 'readiness through HAProxy');
  });

  afterAll(async () => {
    closeAllClients();
    await haproxy?.stop();
    await tier?.stop();
  });
  afterEach(closeAllClients);

  it('spreads requests over both gateways, without stickiness', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `haproxy-spread-${i}`);
    for (const id of ids)
      expect((await fetch(`${url}/api/health`, { headers: { 'x-request-id': id } })).status).toBe(200);
    for (const node of tier.nodes) {
      const served = node.process.logs.filter((line) => typeof line.reqId === 'string' && ids.includes(line.reqId));
      // One gateway getting all 24 at random has a chance of 1 in 2^23.
      expect(served.length).toBeGreaterThan(0);
    }
  });

  it('carries WebSocket and long-polling dashboards, and a webhook reaches both', async () => {
    const token = signToken({ sub: 'agent_haproxy' });
    const { room, event } = routeOf('Customer');
    const websocket = await connectDashboard(url, token, { transports: ['websocket'] });
    const polling = await connectDashboard(url, token, { transports: ['polling'] });
    for (const client of [websocket, polling]) await request(client, ClientEvent.JoinRoom, { room });
    const text = 'through haproxy';
    const arrived = [websocket, polling].map((client) =>
      nextEvent(client, event, 10_000, (chat) => chat.last_message === text),
    );
    const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: '919833333333', text });
    expect((await postWebhook(url, body, TEST_APP_SECRET)).status).toBe(200);
    for (const summary of await Promise.all(arrived)) expect(summary.customer).toBe('919833333333');
  });

  it('takes a killed gateway out of the rotation, and its dashboards recover through the other', async () => {
    const token = signToken({ sub: 'agent_haproxy_kill' });
    const { room, event } = routeOf('Vendor');
    const client = await connectDashboard(url, token, { transports: ['websocket'], reconnectionAttempts: 20 });
    await request(client, ClientEvent.JoinRoom, { room });
    const customerWrites = async (text: string) => {
      const arrived = nextEvent(client, event, 15_000, (chat) => chat.last_message === text);
      const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: '919844444444', text });
      expect((await postWebhook(url, body, TEST_APP_SECRET)).status).toBe(200);
      expect((await arrived).customer_type).toBe('Vendor');
    };
    // As a dashboard in use: it has had an update (a session saved, an offset to recover from).
    await customerWrites('before a gateway dies');
    // The gateway holding the client's session: its Engine.IO id starts with that gateway's node id.
    const sid = client.io.engine.id;
    const holder = tier.nodes.find((node) =>
      node.process.logs.some((line) => line.msg === 'node registered' && sid.startsWith(String(line.nodeId))),
    );
    const reconnected = new Promise((resolve) => client.once('connect', () => resolve(client.recovered)));
    await holder?.process.stop('SIGKILL');
    // Two failed checks, 1 s apart, and HAProxy sends nothing more to it: ten answers in a row are 200.
    await until(
      async () => Promise.all(Array.from({ length: 10 }, ready)),
      (statuses) => statuses.every((status) => status === 200),
      'HAProxy to stop sending to the killed gateway',
    );
    expect(await reconnected).toBe(true);
    await customerWrites('after a gateway died');
  });
});
