import { CUSTOMER_TYPES } from '@care-chat/contract';
import { postWebhook, SAMPLE_NUMBERS, TEST_APP_SECRET, textWebhook } from '@care-chat/testkit/tools';
import { Latencies } from './latency.js';

/**
 * Meta, for the benchmark: signed webhooks of one text each, at `rate` a second for `seconds`, numbered
 * from `first`, each from a customer of its own (so each update carries its own message), to the
 * gateways in turn. `sentAt[m]` is when message m left.
 */
export async function drive(
  urls: readonly string[],
  first: number,
  rate: number,
  seconds: number,
  sentAt: Float64Array,
) {
  const answers = new Latencies();
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; i < due; i++) {
      const m = first + i;
      const type = CUSTOMER_TYPES[m % CUSTOMER_TYPES.length] ?? 'Partner';
      const body = textWebhook({
        phoneNumberId: SAMPLE_NUMBERS[type],
        from: `91${String(m).padStart(10, '0')}`,
        text: `b${m}`,
      });
      const url = urls[m % urls.length] ?? '';
      inFlight.push(
        (async () => {
          const began = performance.now();
          sentAt[m] = began;
          const { status } = await postWebhook(url, body, TEST_APP_SECRET);
          answers.add(performance.now() - began);
          if (status !== 200) failed++;
        })(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  return { sent: total, failed, answers, elapsed: (performance.now() - start) / 1000 };
}
