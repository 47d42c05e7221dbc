import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCustomerType } from '@care-chat/contract';
import {
  newWamid,
  postWebhook,
  SAMPLE_NUMBERS,
  type StatusKind,
  statusUpdate,
  textWebhook,
  webhookBody,
} from '@care-chat/testkit/tools';
import type { DevTier } from './tier.js';

export const CONTROL_PREFIX = '/_devstack';
const BODY_LIMIT = 16 * 1024;
const STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed'] satisfies StatusKind[];
const DIGITS = /^\d{6,15}$/;

type Body = Record<string, unknown>;
type Answer = { status: number; body: object };

class BadRequest extends Error {}

async function readBody(req: IncomingMessage): Promise<Body> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new BadRequest('body too large');
    chunks.push(chunk);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadRequest('not an object');
  return parsed as Body;
}

function text(body: Body, name: string, check: (value: string) => boolean): string {
  const value = body[name];
  if (typeof value !== 'string' || !check(value)) throw new BadRequest(`${name} is missing or malformed`);
  return value;
}

/**
 * The dev stack's own routes, on the balancer's port beside the tier's: its state, killing and restarting
 * gateways, and signed webhooks (a customer's text, a delivery status) posted through the balancer as
 * `npm run simulate` does. POSTs need `x-dev-stack: 1`, which a page of another site cannot send without a
 * preflight these routes never answer.
 */
export function controlRoutes(tier: () => DevTier | undefined) {
  const routes: Record<string, (body: Body, tier: DevTier, match: RegExpMatchArray) => Promise<Answer>> = {
    'GET /state': async (_body, t) => ({ status: 200, body: { gateways: t.gateways } }),
    'POST /gateways/(\\d+)/(kill|restart)': async (_body, t, match) => {
      const index = Number(match[1]);
      if (index >= t.gateways.length) return { status: 404, body: { error: 'no such gateway' } };
      await (match[2] === 'kill' ? t.kill(index) : t.restart(index));
      return { status: 200, body: { gateways: t.gateways } };
    },
    'POST /simulate': async (body, t) => {
      const type = body.type;
      if (!isCustomerType(type)) throw new BadRequest('type is not a customer type');
      const customer = text(body, 'customer', (value) => DIGITS.test(value));
      const message = text(body, 'text', (value) => value.length > 0 && value.length <= 4096);
      const wamid = newWamid();
      const webhook = textWebhook({ phoneNumberId: SAMPLE_NUMBERS[type], from: customer, text: message, wamid });
      const answer = await postWebhook(t.balancer.url, webhook, t.appSecret);
      return { status: 200, body: { status: answer.status, wamid } };
    },
    'POST /status': async (body, t) => {
      const wamid = text(body, 'wamid', (value) => value.length <= 512);
      const status = text(body, 'status', (value) => STATUSES.includes(value)) as StatusKind;
      const recipient = text(body, 'recipient', (value) => DIGITS.test(value));
      // Statuses come from the business number; which one does not matter to the worker.
      const update = statusUpdate({ wamid, status, recipient });
      const webhook = webhookBody([{ phoneNumberId: SAMPLE_NUMBERS.Partner, statuses: [update] }]);
      const answer = await postWebhook(t.balancer.url, webhook, t.appSecret);
      return { status: 200, body: { status: answer.status } };
    },
  };
  const table = Object.entries(routes).map(([key, handle]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, pattern: new RegExp(`^${CONTROL_PREFIX}${path}$`), handle };
  });

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(`${CONTROL_PREFIX}/`)) return false;
    const send = ({ status, body }: Answer) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const route = table.find((entry) => entry.method === req.method && entry.pattern.test(path));
    const running = tier();
    if (route === undefined || running === undefined) {
      send({ status: 404, body: { error: 'not a dev stack route' } });
      return true;
    }
    if (req.method === 'POST' && req.headers['x-dev-stack'] !== '1') {
      send({ status: 403, body: { error: 'x-dev-stack: 1 is required' } });
      return true;
    }
    readBody(req)
      .then((body) => route.handle(body, running, path.match(route.pattern) as RegExpMatchArray))
      .then(send, (error: unknown) =>
        send(
          error instanceof BadRequest || error instanceof SyntaxError
            ? { status: 400, body: { error: (error as Error).message } }
            : { status: 500, body: { error: (error as Error).message } },
        ),
      );
    return true;
  };
}
