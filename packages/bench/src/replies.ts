// `--scenario replies`: a burst of executives' replies through the tier to the fake WhatsApp, and how the
// sends were paced: per business number and per customer, in 1-second windows, and the time to drain.
import { ClientEvent } from '@care-chat/contract';
import {
  type AcceptedSend,
  connectDashboard,
  FakeGraph,
  FakeMessages,
  postWebhook,
  request,
  SAMPLE_NUMBERS,
  signToken,
  TEST_ACCESS_TOKEN,
  TEST_APP_SECRET,
  textWebhook,
} from '@care-chat/testkit/tools';
import { number, values } from './options.js';
import type { Row } from './report.js';
import { startTier } from './tier.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends counted per whole second since the first, for every second from the first to the last. */
function perSecond(sends: readonly AcceptedSend[]): number[] {
  const start = Math.min(...sends.map((send) => send.at));
  const counts: number[] = [];
  for (const send of sends) {
    const second = Math.floor((send.at - start) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

/** The most sends in any 1-second window starting at a send (a sliding window, not whole seconds only). */
function slidingPeak(sends: readonly AcceptedSend[]): number {
  const times = sends.map((send) => send.at).toSorted((a, b) => a - b);
  let peak = 0;
  let end = 0;
  for (let start = 0; start < times.length; start += 1) {
    while (end < times.length && (times[end] ?? 0) < (times[start] ?? 0) + 1000) end += 1;
    peak = Math.max(peak, end - start);
  }
  return peak;
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * `--clients` replies (1,000) to `--customers` customers (50) of one business number, sent by 10 executives'
 * sockets through two gateways and `--workers` workers (2), delivered to a local fake WhatsApp. Resolves
 * with the pacing the fake saw.
 */
export async function replies(): Promise<Row> {
  const total = number(values.clients, 1000);
  const customers = number(values.customers, 50);
  const workers = Math.max(2, number(values.workers, 2));
  const fake = await FakeGraph.start({ token: TEST_ACCESS_TOKEN });
  const messages = FakeMessages.attach(fake);
  const tier = await startTier(2, workers, {
    WHATSAPP_API_BASE_URL: fake.baseUrl,
    WHATSAPP_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
    REPLY_REPEAT_MS: '0',
  });
  try {
    messages.postStatusesTo({ url: tier.urls[0] ?? '', appSecret: TEST_APP_SECRET, statuses: ['sent'] });
    const numbers = Array.from({ length: customers }, (_, i) => `9177${String(i).padStart(8, '0')}`);
    for (const customer of numbers) {
      const hello = textWebhook({ phoneNumberId: SAMPLE_NUMBERS.Customer, from: customer, text: 'hello' });
      await postWebhook(tier.urls[0] ?? '', hello, TEST_APP_SECRET);
    }
    const chatIds = new Map<string, string>();
    while (chatIds.size < customers) {
      const { rows } = (await tier.db?.query<{ id: string; customer: string }>(
        'SELECT id::text, customer FROM chats',
      )) ?? { rows: [] };
      for (const row of rows) chatIds.set(row.customer, row.id);
      await sleep(100);
    }
    const sockets = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        connectDashboard(tier.urls[i % tier.urls.length] ?? '', signToken({ sub: `bench_${i}` })),
      ),
    );
    const started = Date.now();
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let i = s; i < total; i += sockets.length) {
          const chatId = chatIds.get(numbers[i % customers] ?? '') ?? '';
          const answer = await request(socket, ClientEvent.SendMessage, { chat_id: chatId, message: `reply ${i}` });
          if (answer.status !== 1) throw new Error(`reply ${i} refused: ${answer.message}`);
        }
      }),
    );
    const queuedS = (Date.now() - started) / 1000;
    while (messages.accepted.length < total) await sleep(100);
    const sends = messages.accepted;
    const drainS = (Math.max(...sends.map((send) => send.at)) - started) / 1000;
    const number1s = perSecond(sends);
    const byCustomer = Map.groupBy(sends, (send) => send.to);
    const customerPeaks = [...byCustomer.values()].map(slidingPeak);
    const customerMeans = [...byCustomer.values()].map((own) => own.length / Math.max(1, drainS));
    for (const socket of sockets) socket.disconnect();
    return {
      replies: total,
      customers,
      workers,
      queued_s: round(queuedS),
      drain_s: round(drainS),
      sent: sends.length,
      duplicated: sends.length - new Set(sends.map((send) => send.callbackData)).size,
      number_peak_per_s: Math.max(...number1s),
      number_sliding_peak_per_s: slidingPeak(sends),
      number_mean_per_s: round(sends.length / Math.max(0.001, drainS)),
      customer_peak_per_s: Math.max(...customerPeaks),
      customer_mean_per_s: round(customerMeans.reduce((sum, mean) => sum + mean, 0) / customerMeans.length),
    };
  } finally {
    await tier.stop();
    await fake.close();
  }
}
