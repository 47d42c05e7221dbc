import { ClientEvent, CUSTOMER_TYPES, routeOf } from '@care-chat/contract';
import { closeAllClients, connectDashboard, nextEvent, request, until } from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interrupt, type RunningDevStack, runSimulate, startDevStack } from './dev-stack.js';

let stack: RunningDevStack;
let token: string;

beforeAll(async () => {
  stack = await startDevStack();
  token = stack.token;
});

afterAll(async () => {
  closeAllClients();
  await stack?.stop();
});

const control = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.url}/_devstack${path}`, { ...init, headers: { 'x-dev-stack': '1', ...init.headers } });

interface DevStackState {
  gateways: { index: number; up: boolean; port: number | null; pid: number | null; nodeId: string | null }[];
}

describe('npm start', () => {
  it('is ready behind one port, with a sample chat of every customer type', async () => {
    const ready = await fetch(`${stack.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    const stats = (await (
      await fetch(`${stack.url}/api/dashboard/stats`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { by_type: Record<string, { active: number }> };
    for (const type of CUSTOMER_TYPES) expect(stats.by_type[type]?.active).toBeGreaterThanOrEqual(1);
    const state = (await (await control('/state')).json()) as DevStackState;
    expect(state.gateways.map((gateway) => gateway.up)).toEqual([true, true]);
  });

  it('takes `npm run simulate` with no variable set, and the update reaches a dashboard', async () => {
    const client = await connectDashboard(stack.url, token);
    const { room, event } = routeOf('Partner');
    expect(await request(client, ClientEvent.JoinRoom, { room })).toMatchObject({ status: 1 });
    const update = nextEvent(client, event, 15_000, (chat) => chat.last_message === 'hi from simulate');
    const simulate = await runSimulate(stack.url, 'Partner', 'hi from simulate');
    expect(simulate.code).toBe(0);
    expect(simulate.output).toContain('answered 200');
    expect((await update).customer_type).toBe('Partner');
  });

  it("kills the dashboard's gateway and starts it again: the dashboard recovers and gets its updates throughout", async () => {
    const client = await connectDashboard(stack.url, token);
    const { room, event } = routeOf('Vendor');
    await request(client, ClientEvent.JoinRoom, { room });
    const simulate = async (text: string) => {
      const arrived = nextEvent(client, event, 15_000, (chat) => chat.last_message === text);
      const answer = await control('/simulate', {
        method: 'POST',
        body: JSON.stringify({ type: 'Vendor', customer: '919811111111', text }),
      });
      expect(await answer.json()).toMatchObject({ status: 200 });
      return arrived;
    };

    // As a dashboard in use: it has had an update (a session saved, an offset to recover from).
    await simulate('before a gateway is killed');
    // The gateway holding the client: its Engine.IO id starts with that gateway's node id.
    const before = (await (await control('/state')).json()) as DevStackState;
    const holder = before.gateways.findIndex((gateway) => client.io.engine.id.startsWith(gateway.nodeId ?? '-'));
    expect(holder).toBeGreaterThanOrEqual(0);
    const reconnected = new Promise((resolve) => client.once('connect', () => resolve(client.recovered)));
    const killed = (await (await control(`/gateways/${holder}/kill`, { method: 'POST' })).json()) as DevStackState;
    expect(killed.gateways.filter((gateway) => gateway.up)).toHaveLength(1);
    expect(killed.gateways[holder]?.up).toBe(false);
    expect(await reconnected).toBe(true);
    await simulate('while one gateway is down');
    await until(
      () => fetch(`${stack.url}/api/health/ready`).then((answer) => answer.status),
      (status) => status === 200,
      'readiness with one gateway',
    );

    const restarted = (await (
      await control(`/gateways/${holder}/restart`, { method: 'POST' })
    ).json()) as DevStackState;
    expect(restarted.gateways.map((gateway) => gateway.up)).toEqual([true, true]);
    await simulate('after the restart');
  });

  it('refuses control requests without its header, and malformed ones', async () => {
    const bare = await fetch(`${stack.url}/_devstack/gateways/0/kill`, { method: 'POST' });
    expect(bare.status).toBe(403);
    const badType = await control('/simulate', { method: 'POST', body: JSON.stringify({ type: 'Nobody', text: 'x' }) });
    expect(badType.status).toBe(400);
    const notJson = await control('/simulate', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await control('/nothing')).status).toBe(404);
  });
});

describe('Ctrl-C', () => {
  it('stops every process it started, each once, and exits 0', async () => {
    const state = (await (await control('/state')).json()) as DevStackState;
    const pids = state.gateways.map((gateway) => gateway.pid).filter((pid): pid is number => pid !== null);
    expect(pids).toHaveLength(2);
    expect(await interrupt(stack.process)).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    // Each process was stopped once, gracefully: none saw a second signal.
    expect(stack.process.output.filter((line) => line.includes('"stopped"')).length).toBeGreaterThanOrEqual(3);
    expect(stack.process.output.join('\n')).not.toContain('second signal');
  });
});
