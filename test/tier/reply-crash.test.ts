import { ClientEvent } from '@care-chat/contract';
import { postWebhook, SAMPLE_NUMBERS, statusUpdate, TEST_APP_SECRET, until, webhookBody } from '@care-chat/testkit';
import { expect, it } from 'vitest';
import { ask, dashboardAt } from './dashboard-variants.js';
import { chatWithOpenWindow, outboundDrained, repliesOf, replyReaches, replyTierForFile } from './reply-tier.js';

// Short locks, so a killed worker's reply passes to the next within seconds; a short wait for a status.
// A new worker starting, and jobs passing from the dead to it, take their time on a loaded machine.
const SLOW_MS = 60_000;
const run = replyTierForFile({ workerEnv: { WORKER_LOCK_MS: '2000', OUTBOUND_UNKNOWN_WAIT_MS: '6000' } });

/** A reply whose call WhatsApp took and whose answer is held, with every worker SIGKILLed meanwhile. */
async function replyWhileWorkersDie() {
  const { chatId, customer } = await chatWithOpenWindow(run, 'Partner');
  const held = run.messages.hold();
  const client = await dashboardAt(run.balancer.url);
  const answer = await ask(client, ClientEvent.SendMessage, { chat_id: chatId, message: 'are you there?' });
  if (answer.status !== 1) throw new Error(answer.message);
  await held.taken;
  for (const worker of run.workers) expect(await worker.stop('SIGKILL')).toBeNull();
  // The answer goes back to a dead worker: nobody records its wamid.
  held.release();
  run.workers.push(await run.startWorker());
  return { chatId, customer, messageId: answer.message_id };
}

it(
  'a worker SIGKILLed after WhatsApp took the reply, before its job completed: the reply is sent once',
  async () => {
    const { chatId, customer, messageId } = await replyWhileWorkersDie();
    const [reply] = await replyReaches(run, chatId, messageId, 'read', SLOW_MS);
    await outboundDrained(run, SLOW_MS);
    const sends = run.messages.sentTo(customer);
    expect(sends).toHaveLength(1);
    expect(reply).toMatchObject({ wamid: sends[0]?.wamid, send_attempts: 1 });
  },
  2 * SLOW_MS,
);

it(
  'the status naming the reply comes late, within OUTBOUND_UNKNOWN_WAIT_MS: the retry waits for it and sends nothing',
  async () => {
    run.messages.postStatusesTo(null);
    try {
      const { chatId, customer, messageId } = await replyWhileWorkersDie();
      // The new worker finds the call unanswered and gives the job back until the wait is over.
      await until(
        () => run.outbound.getJobCounts('delayed'),
        (counts) => counts.delayed === 1,
        'the reply to wait for a status',
        SLOW_MS,
      );
      const [taken] = run.messages.sentTo(customer);
      const sent = { ...statusUpdate({ wamid: taken?.wamid ?? '', status: 'sent', recipient: customer }) };
      const body = webhookBody([
        {
          phoneNumberId: SAMPLE_NUMBERS.Partner,
          statuses: [{ ...sent, biz_opaque_callback_data: taken?.callbackData }],
        },
      ]);
      expect((await postWebhook(run.balancer.url, body, TEST_APP_SECRET)).status).toBe(200);
      const [reply] = await replyReaches(run, chatId, messageId, 'sent', SLOW_MS);
      await outboundDrained(run, SLOW_MS);
      expect(run.messages.sentTo(customer)).toHaveLength(1);
      expect(reply).toMatchObject({ wamid: taken?.wamid, send_attempts: 1 });
    } finally {
      run.messages.postStatusesTo({ url: run.balancer.url, appSecret: TEST_APP_SECRET });
    }
  },
  2 * SLOW_MS,
);

it(
  'no status ever names it: after the wait the reply is sent again, so it is never lost (the limit the README states)',
  async () => {
    run.messages.postStatusesTo(null);
    try {
      const { chatId, customer, messageId } = await replyWhileWorkersDie();
      const replies = await until(
        () => repliesOf(run, chatId),
        (found) => found[0]?.wamid !== null,
        'the reply to be sent again',
        SLOW_MS,
      );
      await outboundDrained(run, SLOW_MS);
      const sends = run.messages.sentTo(customer);
      expect(sends).toHaveLength(2);
      expect(replies[0]).toMatchObject({ id: messageId, wamid: sends[1]?.wamid, send_attempts: 2 });
    } finally {
      run.messages.postStatusesTo({ url: run.balancer.url, appSecret: TEST_APP_SECRET });
    }
  },
  2 * SLOW_MS,
);
