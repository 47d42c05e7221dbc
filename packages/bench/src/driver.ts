import { Agent, request } from 'node:http';
import { CUSTOMER_TYPES, routeOf } from '@care-chat/contract';
import { chatSummary, signBody, textWebhook } from '@care-chat/testkit/tools';
import { nowMicros } from './clock.js';
import type { Credentials } from './credentials.js';
import { Latencies } from './latency.js';

// Plain http on kept-alive sockets: fetch costs the generator several times more per request.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** What the driver sends for message `m`, whose text is `text`, and where. */
export interface Target {
  path: string;
  request(m: number, text: string): { body: string; headers: Record<string, string> };
}

const typeOf = (m: number) => CUSTOMER_TYPES[m % CUSTOMER_TYPES.length] ?? 'Partner';

/**
 * Meta: a signed webhook of one text, from a customer of its own (so each update carries its own
 * message), to the number of the message's customer type.
 */
export const webhooks = ({ appSecret, numbers }: Credentials): Target => ({
  path: '/webhooks/whatsapp',
  request(m, text) {
    const body = JSON.stringify(
      textWebhook({ phoneNumberId: numbers[typeOf(m)], from: `91${String(m).padStart(10, '0')}`, text }),
    );
    return {
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, appSecret) },
    };
  },
});

/** A bare Socket.IO node (bare-node.ts): the room update itself, emitted as it arrives. */
export const bareEmits: Target = {
  path: '/emit',
  request(m, text) {
    const type = typeOf(m);
    const { room, event } = routeOf(type);
    const payload = chatSummary(type, { chat_id: `chat-${m}`, last_message: text });
    return { body: JSON.stringify({ room, event, payload }), headers: { 'content-type': 'application/json' } };
  },
};

function post(url: string, { body, headers }: { body: string; headers: Record<string, string> }): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Sends messages numbered from `first`, at `rate` a second for `seconds`, to the nodes in turn. Each
 * text is `b<number>.<µs since the epoch it left>`, which the dashboards read back.
 */
export async function drive(urls: readonly string[], target: Target, first: number, rate: number, seconds: number) {
  const answers = new Latencies();
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; i < due; i++) {
      const m = first + i;
      const message = target.request(m, `b${m}.${nowMicros()}`);
      const url = `${urls[m % urls.length] ?? ''}${target.path}`;
      inFlight.push(
        (async () => {
          const began = performance.now();
          const status = await post(url, message);
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
