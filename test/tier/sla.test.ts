import { ClientEvent, type CustomerType, ServerEvent, type SlaAlert } from '@care-chat/contract';
import { type AppProcess, recordEvents, settle, type TestClient, until, viaEmitter } from '@care-chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from './dashboard/checks.js';
import { readsOf } from './dashboard/traffic.js';
import { ask, dashboardAt, tierForFile } from './dashboard-variants.js';
import { customersWrite, goOnline, newChat, newChatAssignedTo, PRESENCE_ENV, someone } from './presence-helpers.js';

// Thresholds of 3 and 6 seconds; a worker that dies holding a job loses it to another after 2 s.
const MINUTES = [0.05, 0.1];
const WORKER_ENV = { SLA_ALERT_MINUTES: MINUTES.join(','), WORKER_LOCK_MS: '2000', WORKER_CONCURRENCY: '8' };
const run = tierForFile({ gatewayEnv: PRESENCE_ENV, workerEnv: WORKER_ENV });
let secondWorker: AppProcess;
beforeAll(async () => {
  secondWorker = await run.tier.anotherWorker(WORKER_ENV);
});
afterAll(async () => {
  await secondWorker?.stop();
});

/** Every `sla_alert` that reaches `client`, from now on. */
function alertsOn(client: TestClient) {
  const seen = recordEvents(client, [ServerEvent.SlaAlert]);
  const all = () => (seen.get(ServerEvent.SlaAlert) ?? []) as SlaAlert[];
  return {
    of: (chatId: string) => all().filter((alert) => alert.chat_id === chatId),
    /** Resolves once `chatId` had an alert at every threshold. */
    everyThreshold: (chatId: string) =>
      until(
        async () => all().filter((alert) => alert.chat_id === chatId),
        (alerts) => MINUTES.every((minutes) => alerts.some((alert) => alert.elapsed_minutes === minutes)),
        `every sla_alert of chat ${chatId}`,
        30_000,
      ),
  };
}

/** An executive online for `type`, and a new chat of that type given to them. */
async function assignedChat(type: CustomerType) {
  const claims = someone({ customer_types: [type] });
  const agent = await goOnline(run.balancer.url, claims);
  const alerts = alertsOn(agent);
  const chat = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, type);
  return { claims, agent, alerts, ...chat };
}

/** A later chat of the same executive whose every alert, once it arrived, proves the earlier ones' time passed. */
async function markerAfter(agent: TestClient, type: CustomerType, alerts: ReturnType<typeof alertsOn>) {
  const marker = await newChatAssignedTo(agent, run.balancer.url, run.tier.db, type);
  await alerts.everyThreshold(marker.chatId);
  await settle(viaEmitter(run.tier.emitter), [agent]);
}

describe('sla_alert', () => {
  it('raises one alert per threshold for an unanswered message, to its assignee, with what the dashboard reads', async () => {
    const { claims, agent, alerts, chatId, customer } = await assignedChat('Partner');
    const raised = await alerts.everyThreshold(chatId);
    await settle(viaEmitter(run.tier.emitter), [agent]);
    expect(alerts.of(chatId)).toHaveLength(MINUTES.length);
    for (const [index, minutes] of MINUTES.entries()) {
      const alert = raised.find((each) => each.elapsed_minutes === minutes);
      expect(alert).toEqual({
        chat_id: chatId,
        customer,
        customer_name: `Customer ${customer.slice(-4)}`,
        customer_type: 'Partner',
        assigned_executive_id: claims.sub,
        elapsed_minutes: minutes,
        alert_type: `${MINUTES[index]}min`,
      });
      const context = { chatId, pageType: 'Partner', executiveId: claims.sub };
      expect(verify(alert, readsOf('broadcasts', ServerEvent.SlaAlert).fields, context)).toEqual([]);
    }
  });

  it('goes to every dashboard that may see the chat when it has no assignee, and to no other', async () => {
    // Nobody online may take SRDP chats in this file.
    const watcher = await dashboardAt(run.tier.nodes[1].url, someone({ customer_types: ['SRDP', 'Vendor'] }));
    const outsider = await dashboardAt(run.tier.nodes[0].url, someone({ customer_types: ['Partner'] }));
    const [alerts, outsiders] = [alertsOn(watcher), alertsOn(outsider)];
    const { chatId } = await newChat(run.balancer.url, run.tier.db, 'SRDP');
    const raised = await alerts.everyThreshold(chatId);
    for (const alert of raised) expect(alert).toMatchObject({ assigned_executive_id: null, customer_type: 'SRDP' });
    await settle(viaEmitter(run.tier.emitter), [watcher, outsider]);
    expect(outsiders.of(chatId)).toEqual([]);
  });

  it('is cancelled by resolving the chat, and raised again for a message that reopens it', async () => {
    const { agent, alerts, chatId, customer } = await assignedChat('Vendor');
    await ask(agent, ClientEvent.UpdateChatStatus, { chat_id: chatId, customer_number: customer, status: 'resolved' });
    await markerAfter(agent, 'Vendor', alerts);
    expect(alerts.of(chatId)).toEqual([]);
    // The customer writes again: the chat reopens, is given out again, and that message is watched.
    const again = await newAssignment(agent, chatId, () =>
      customersWrite(run.balancer.url, [customer], 'Vendor', 'Hello again?'),
    );
    expect(again).toBe(chatId);
    await alerts.everyThreshold(chatId);
  });

  it("is cancelled by an executive's reply", async () => {
    const { agent, alerts, chatId } = await assignedChat('Customer');
    const answer = await ask(agent, ClientEvent.SendMessage, { chat_id: chatId, message: 'On my way', type: 'Agent' });
    expect(answer).toMatchObject({ status: 1, message_id: expect.any(String) });
    await markerAfter(agent, 'Customer', alerts);
    expect(alerts.of(chatId)).toEqual([]);
  });

  it('is raised exactly once when every worker is killed between scheduling and firing', async () => {
    const { agent, alerts, chatId } = await assignedChat('Partner');
    // The checks are scheduled (the chat was assigned, after them): no worker is left to run them.
    await Promise.all([run.tier.worker.stop('SIGKILL'), secondWorker.stop('SIGKILL')]);
    await run.tier.restartWorker(WORKER_ENV);
    secondWorker = await run.tier.anotherWorker(WORKER_ENV);
    await alerts.everyThreshold(chatId);
    await settle(viaEmitter(run.tier.emitter), [agent]);
    expect(
      alerts
        .of(chatId)
        .map((alert) => alert.elapsed_minutes)
        .sort(),
    ).toEqual(MINUTES);
    const { rows } = await run.tier.db.query('SELECT minutes FROM sla_alerts WHERE chat_id = $1', [chatId]);
    expect(rows).toHaveLength(MINUTES.length);
  });
});

/** Resolves with the chat id of the next `chat_assigned` on `agent` for `chatId`, caused by `action`. */
async function newAssignment(agent: TestClient, chatId: string, action: () => Promise<void>): Promise<string> {
  const seen = recordEvents(agent, [ServerEvent.ChatAssigned]);
  await action();
  const events = await until(
    async () => (seen.get(ServerEvent.ChatAssigned) ?? []) as { chat_id: string }[],
    (all) => all.some((event) => event.chat_id === chatId),
    `chat_assigned of ${chatId}`,
    10_000,
  );
  return (events.find((event) => event.chat_id === chatId) as { chat_id: string }).chat_id;
}
