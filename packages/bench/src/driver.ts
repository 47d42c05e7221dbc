import { Agent, request } from 'node:http';
import { CUSTOMER_TYPES } from '@care-chat/contract';
import { SAMPLE_NUMBERS, signBody, TEST_APP_SECRET, textWebhook } from '@care-chat/testkit/tools';
import { nowMicros } from './clock.js';
import { Latencies } from './latency.js';

// Plain http on kept-alive sockets: fetch costs the generator several times more per request.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}/webhooks/whatsapp`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Meta, for the benchmark: signed webhooks of one text each, at `rate` a second for `seconds`, numbered
 * from `first`, each from a customer of its own (so each update carries its own message), to the
 * gateways in turn. The text is `b<number>.<µs since the epoch it left>`.
 */
export async function drive(urls: readonly string[], first: number, rate: number, seconds: number) {
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
      const body = JSON.stringify(
        textWebhook({
          phoneNumberId: SAMPLE_NUMBERS[type],
          from: `91${String(m).padStart(10, '0')}`,
          text: `b${m}.${nowMicros()}`,
        }),
      );
      const url = urls[m % urls.length] ?? '';
      inFlight.push(
        (async () => {
          const began = performance.now();
          const status = await post(url, body);
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
