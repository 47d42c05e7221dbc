import { readFileSync } from 'node:fs';
import {
  type AppProcess,
  closeAllClients,
  connectDashboard,
  createTestDatabase,
  type GatewayNode,
  nextEvent,
  postWebhook,
  refusalOf,
  request,
  SAMPLE_NUMBERS,
  signToken,
  startGateway,
  startWorker,
  TEST_APP_SECRET,
  TEST_METRICS_TOKEN,
  type TestDatabase,
  textWebhook,
  uniquePrefix,
  until,
} from '@care-chat/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let database: TestDatabase;
let gateway: GatewayNode;
let worker: AppProcess;
let workerUrl: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const prefix = uniquePrefix();
  // Few events a second per socket, so a burst reaches the limit.
  gateway = await startGateway(prefix, {
    DATABASE_URL: database.url,
    SOCKET_EVENTS_PER_SECOND: '1',
    SOCKET_EVENT_BURST: '3',
  });
  worker = await startWorker(prefix, { DATABASE_URL: database.url });
  const ready = await worker.waitForLog((line) => line.msg === 'worker ready');
  workerUrl = `http://127.0.0.1:${ready.port as number}`;
});
afterEach(closeAllClients);
afterAll(async () => {
  await Promise.all([gateway?.process.stop(), worker?.stop()]);
  await database?.drop();
});

const scrape = async (url: string) => {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
};
/** The value of one sample, or 0 when the series does not exist yet. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

describe('gateway /metrics', () => {
  it('counts client events by name and outcome, with their latency, and those refused before a handler', async () => {
    const client = await connectDashboard(gateway.url, signToken());
    expect((await request(client, 'join_room', { room: 'PartnerApp' })).status).toBe(1);
    expect((await request(client, 'join_room', { room: 'NoSuchApp' })).status).toBe(0);
    const burst = await Promise.all([1, 2, 3, 4].map(() => request(client, 'leave_chat', { chat_id: '1' })));
    expect(burst.some((answer) => answer.status === 0)).toBe(true);
    const text = await scrape(gateway.url);
    expect(sample(text, 'socketio_events_total{event="join_room",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'socketio_events_total{event="join_room",outcome="refused"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'socketio_events_total{event="leave_chat",outcome="rate_limited"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'socketio_event_duration_seconds_count{event="join_room"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'gateway_sockets')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'socketio_rooms')).toBeGreaterThanOrEqual(2);
  });

  it('never makes a series of an event name a client invented', async () => {
    const client = await connectDashboard(gateway.url, signToken());
    client.emit('made_up_event' as 'typing', { chat_id: '1' });
    expect((await request(client, 'typing', { chat_id: '1' })).status).toBeDefined();
    expect(await scrape(gateway.url)).not.toContain('made_up_event');
  });

  it('counts refused handshakes by their code', async () => {
    const before = sample(await scrape(gateway.url), 'socketio_connect_errors_total{code="invalid_token"}');
    const refusal = await refusalOf(gateway.url, 'not-a-jwt');
    expect(refusal.data?.code).toBe('invalid_token');
    expect(sample(await scrape(gateway.url), 'socketio_connect_errors_total{code="invalid_token"}')).toBe(before + 1);
  });

  it('counts a recovery that found no session as a miss', async () => {
    const client = await connectDashboard(gateway.url, signToken(), {
      auth: { pid: 'no-such-session', offset: '1-0' },
    });
    expect(client.recovered).toBe(false);
    expect(sample(await scrape(gateway.url), 'socketio_recoveries_total{outcome="miss"}')).toBeGreaterThanOrEqual(1);
  });

  it('times webhooks, and the time from a webhook to the sockets it reaches', async () => {
    const client = await connectDashboard(gateway.url, signToken());
    await request(client, 'join_room', { room: 'PartnerApp' });
    const update = nextEvent(client, 'room_update', 10_000);
    const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Partner, from: '919800000123', text: 'timed' });
    expect((await postWebhook(gateway.url, body, TEST_APP_SECRET)).status).toBe(200);
    await update;
    const text = await scrape(gateway.url);
    expect(sample(text, 'gateway_webhook_duration_seconds_count{outcome="queued"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_webhook_to_socket_seconds_count{event="room_update"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^gateway_webhook_to_socket_seconds_bucket\{le="\+Inf",event="room_update"\} [1-9]/m);
  });
});

describe('worker HTTP port', () => {
  it('answers liveness and readiness', async () => {
    expect((await fetch(`${workerUrl}/api/health`)).status).toBe(200);
    const ready = await fetch(`${workerUrl}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 1, message: 'Ready', checks: { redis: 'ok', postgres: 'ok' } });
  });

  it('serves its jobs and BullMQ’s queue counts on /metrics, with the token only', async () => {
    const body = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Vendor, from: '919800000124', text: 'counted' });
    expect((await postWebhook(gateway.url, body, TEST_APP_SECRET)).status).toBe(200);
    await until(
      () => scrape(workerUrl),
      (text) => sample(text, 'worker_jobs_total{queue="whatsapp-inbound",outcome="completed"}') >= 1,
      'a completed job counted',
    );
    const text = await scrape(workerUrl);
    expect(text).toMatch(/^worker_job_duration_seconds_count\{queue="whatsapp-inbound"\} [1-9]/m);
    expect(text).toMatch(/^worker_job_wait_seconds_count\{queue="whatsapp-inbound"\} [1-9]/m);
    expect(text).toMatch(/^bullmq_job_count\{queue="whatsapp-inbound", state="waiting"\} \d+$/m);
    expect(text.match(/^# TYPE bullmq_job_count /gm)).toHaveLength(1);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect((await fetch(`${workerUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${workerUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${workerUrl}/nothing`)).status).toBe(404);
    expect((await fetch(`${workerUrl}/api/health`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the Grafana dashboard (infra/grafana/care-chat.json)', () => {
  it('charts only metrics the two processes export', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../infra/grafana/care-chat.json', import.meta.url), 'utf8'),
    ) as { panels: { targets: { expr: string }[] }[] };
    const exported = new Set(
      [
        ...(await scrape(gateway.url)).matchAll(/^# TYPE (\S+)/gm),
        ...(await scrape(workerUrl)).matchAll(/^# TYPE (\S+)/gm),
      ].map((match) => match[1]),
    );
    const promql = new Set(['histogram_quantile']);
    const names = new Set(
      dashboard.panels
        .flatMap(({ targets }) => targets.flatMap(({ expr }) => expr.match(/[a-z]+_[a-z0-9_]+/g) ?? []))
        .filter((name) => !promql.has(name)),
    );
    const isExported = (name: string) => exported.has(name) || exported.has(name.replace(/_(bucket|count|sum)$/, ''));
    expect(names.size).toBeGreaterThan(10);
    expect([...names].filter((name) => !isExported(name))).toEqual([]);
  });
});
