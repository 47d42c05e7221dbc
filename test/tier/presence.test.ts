import { ClientEvent, type ExecutiveStatusUpdate, responseEvent, ServerEvent } from '@care-chat/contract';
import {
  connected,
  dashboardClient,
  nextEvent,
  recordEvents,
  signToken,
  type TestClient,
  until,
} from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { verify } from './dashboard/checks.js';
import { readsOf } from './dashboard/traffic.js';
import { ask, dashboardAt, expectRefused, tierForFile, variantsOf } from './dashboard-variants.js';
import { PRESENCE_ENV, someone } from './presence-helpers.js';

const run = tierForFile({ gatewayEnv: PRESENCE_ENV });

const statusOf = (client: TestClient, executiveId: string, status: 'ONLINE' | 'OFFLINE', timeoutMs = 10_000) =>
  nextEvent(
    client,
    ServerEvent.ExecutiveStatus,
    timeoutMs,
    (update) => update.executive_id === executiveId && update.status === status,
  );

const expectRead = (update: ExecutiveStatusUpdate, executiveId: string) =>
  expect(verify(update, readsOf('broadcasts', ServerEvent.ExecutiveStatus).fields, { executiveId })).toEqual([]);

async function online(claims: Record<string, unknown>) {
  const response = await fetch(`${run.balancer.url}/api/executives/online`, {
    headers: { authorization: `Bearer ${signToken(claims)}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { executives: { executive_id: string }[] }).executives.map((e) => e.executive_id);
}

describe('set_executive_status, every variant the dashboard sends', () => {
  for (const variant of variantsOf(ClientEvent.SetExecutiveStatus)) {
    it(`${variant.id}: answered for the token's executive, executive_status to every dashboard`, async () => {
      const claims = someone({ customer_types: ['Partner', 'Vendor'] });
      const agent = await dashboardAt(run.balancer.url, claims);
      const watcher = await dashboardAt(run.tier.nodes[1].url, someone());
      const status = variant.payload.status as 'ONLINE' | 'OFFLINE';
      if (status === 'OFFLINE') {
        const up = statusOf(watcher, claims.sub, 'ONLINE');
        await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
        await up;
      }
      const seen = statusOf(watcher, claims.sub, status);
      const answer = await ask(agent, ClientEvent.SetExecutiveStatus, variant.payload);
      expect(answer).toEqual({ status: 1, executive_id: claims.sub, new_status: status });
      const update = await seen;
      expect(update).toEqual({
        executive_id: claims.sub,
        name: claims.name,
        status,
        customer_types: ['Partner', 'Vendor'],
      });
      expectRead(update, claims.sub);
      expect((await online(someone())).includes(claims.sub)).toBe(status === 'ONLINE');
    });
  }

  it('takes ONLINE sent before the handshake completes, as a page reload sends it', async () => {
    const claims = someone();
    const watcher = await dashboardAt(run.balancer.url, someone());
    const up = statusOf(watcher, claims.sub, 'ONLINE');
    const reloaded = dashboardClient(run.balancer.url, signToken(claims));
    const answer = nextEvent(reloaded, responseEvent(ClientEvent.SetExecutiveStatus), 10_000);
    // socket.io-client buffers it until connected: the first event the gateway gets.
    (reloaded as unknown as { emit: (event: string, data: unknown) => void }).emit(ClientEvent.SetExecutiveStatus, {
      status: 'ONLINE',
    });
    expect(await answer).toEqual({ status: 1, executive_id: claims.sub, new_status: 'ONLINE' });
    await up;
  });

  it('takes the status in any case, and refuses anything else with status 0', async () => {
    const claims = someone();
    const agent = await dashboardAt(run.balancer.url, claims);
    expect(await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'online' })).toEqual({
      status: 1,
      executive_id: claims.sub,
      new_status: 'ONLINE',
    });
    await expectRefused(ClientEvent.SetExecutiveStatus, [
      [agent, { status: 'AWAY' }, /status must be one of/],
      [agent, {}, /status/],
      [agent, null, /./],
      [agent, { status: 1 }, /status/],
    ]);
    // An executive_id sent along is not whose status it is.
    expect(
      await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'OFFLINE', executive_id: 'someone-else' }),
    ).toEqual({
      status: 1,
      executive_id: claims.sub,
      new_status: 'OFFLINE',
    });
  });
});

describe('presence follows connections', () => {
  it('a new socket first gets one executive_status per executive online', async () => {
    const [first, second] = [someone(), someone()];
    for (const claims of [first, second]) {
      const agent = await dashboardAt(run.balancer.url, claims);
      await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
    }
    const newcomer = dashboardClient(run.balancer.url, signToken(someone()));
    const seen = recordEvents(newcomer, [ServerEvent.ExecutiveStatus]);
    await connected(newcomer);
    const listed = await until(
      async () => (seen.get(ServerEvent.ExecutiveStatus) ?? []) as ExecutiveStatusUpdate[],
      (updates) => [first.sub, second.sub].every((id) => updates.some((u) => u.executive_id === id)),
      'the online list',
      10_000,
    );
    for (const update of listed) expect(update.status).toBe('ONLINE');
    expectRead(listed.find((u) => u.executive_id === first.sub) as ExecutiveStatusUpdate, first.sub);
  });

  it('an executive whose last socket is gone goes offline after the grace period, and back online on return', async () => {
    const claims = someone();
    const watcher = await dashboardAt(run.tier.nodes[0].url, someone());
    const agent = await dashboardAt(run.balancer.url, claims);
    const up = statusOf(watcher, claims.sub, 'ONLINE');
    await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
    await up;
    // A second socket of the same executive keeps them online while the first goes.
    const other = await dashboardAt(run.balancer.url, claims);
    const offline = statusOf(watcher, claims.sub, 'OFFLINE');
    agent.disconnect();
    other.disconnect();
    await offline;
    expect(await online(someone())).not.toContain(claims.sub);
    // The dashboard sends nothing after a reconnect: the choice it made stands.
    const back = statusOf(watcher, claims.sub, 'ONLINE');
    await dashboardAt(run.balancer.url, claims);
    await back;
  });

  it('an executive who chose OFFLINE is not brought back by a connection', async () => {
    const claims = someone();
    const agent = await dashboardAt(run.balancer.url, claims);
    await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
    await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'OFFLINE' });
    agent.disconnect();
    await dashboardAt(run.balancer.url, claims);
    expect(await online(someone())).not.toContain(claims.sub);
  });

  it('no ghost online when the gateway holding the only socket is killed (SIGKILL)', async () => {
    const doomed = await run.tier.gateway(PRESENCE_ENV);
    const claims = someone();
    const watcher = await dashboardAt(run.balancer.url, someone());
    const agent = await dashboardAt(doomed.url, claims);
    // Reconnection would find the tier again through another node; this test is about the dead one.
    agent.io.opts.reconnection = false;
    const up = statusOf(watcher, claims.sub, 'ONLINE');
    await ask(agent, ClientEvent.SetExecutiveStatus, { status: 'ONLINE' });
    await up;
    expect(await online(someone())).toContain(claims.sub);
    const offline = statusOf(watcher, claims.sub, 'OFFLINE', 15_000);
    await doomed.process.stop('SIGKILL');
    await offline;
    expect(await online(someone())).not.toContain(claims.sub);
  });
});

describe('GET /api/executives/online', () => {
  it('refuses a request without a valid token', async () => {
    const response = await fetch(`${run.balancer.url}/api/executives/online`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: 0 });
  });
});
