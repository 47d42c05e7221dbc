import { ClientEvent, CUSTOMER_TYPES, routeOf } from '@care-chat/contract';
import { closeAllClients, connectDashboard, nextEvent, request } from '@care-chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningDevStack, runSimulate, startDevStack } from './dev-stack.js';

let stack: RunningDevStack;

beforeAll(async () => {
  stack = await startDevStack({ pglite: true });
});
afterAll(async () => {
  closeAllClients();
  await stack?.stop();
});

interface DevStackState {
  gateways: { pid: number | null }[];
}

it('runs on the embedded PGlite: the schema, the demo login, the sample chats, a message end to end', async () => {
  expect(stack.process.output.join('\n')).toContain('embedded PGlite');
  const { token } = stack;
  const stats = (await (
    await fetch(`${stack.url}/api/dashboard/stats`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { by_type: Record<string, { active: number }> };
  for (const type of CUSTOMER_TYPES) expect(stats.by_type[type]?.active).toBeGreaterThanOrEqual(1);

  const client = await connectDashboard(stack.url, token);
  const { room, event } = routeOf('SRDP');
  await request(client, ClientEvent.JoinRoom, { room });
  const update = nextEvent(client, event, 15_000, (chat) => chat.last_message === 'on pglite');
  expect((await runSimulate(stack.url, 'SRDP', 'on pglite')).code).toBe(0);
  expect((await update).customer_type).toBe('SRDP');
});

it('stops every process it started on SIGTERM sent to it alone, and exits 0', async () => {
  const state = (await (await fetch(`${stack.url}/_devstack/state`)).json()) as DevStackState;
  const pids = state.gateways.map((gateway) => gateway.pid).filter((pid): pid is number => pid !== null);
  expect(pids).toHaveLength(2);
  expect(await stack.process.stop('SIGTERM')).toBe(0);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
});
