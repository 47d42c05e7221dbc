import { randomBytes } from 'node:crypto';
import type { WhatsAppStatus } from '@care-chat/contract';
import { postWebhook, type StatusKind, statusUpdate, webhookBody } from '../whatsapp-webhooks.js';
import { type FakeGraph, graphPath } from './fake-graph.js';
import type { FakeRequest, FakeResponse } from './router.js';

/** One message the fake WhatsApp took. */
export interface AcceptedSend {
  phoneNumberId: string;
  /** The customer, as `to` named them. */
  to: string;
  type: string;
  /** The request's JSON body as sent. */
  body: Record<string, unknown>;
  wamid: string;
  /** `biz_opaque_callback_data`, which every status of the message echoes. */
  callbackData: string | undefined;
  /** When it was taken (epoch ms). */
  at: number;
}

export interface StatusWebhooks {
  /** The gateway's origin (`…/webhooks/whatsapp` is appended), or a balancer's. */
  url: string;
  appSecret: string;
  /** The statuses posted for every message taken, in order. */
  statuses?: readonly StatusKind[];
  /** Whether statuses echo the message's `biz_opaque_callback_data`, as Meta's do; true unless false. */
  echoCallbackData?: boolean;
}

/** What the route does with the next messages, instead of answering at once. */
type Script =
  /** Takes the message, posts its `sent` status, waits for it to be answered and `answerDelayMs`, then answers. */
  | { statusFirst: true; answerDelayMs: number }
  /** Takes the message, then waits for `release` before answering (a worker can be killed meanwhile). */
  | { held: Promise<void> };

/** Meta tries a webhook for days; a test's fake, for a minute. */
const WEBHOOK_ATTEMPTS = 120;
const WEBHOOK_RETRY_MS = 500;

const newWamid = () => `wamid.${randomBytes(24).toString('base64')}`;

/**
 * `POST /{phone_number_id}/messages` of the fake WhatsApp: every message taken is recorded (number,
 * customer, time) and answered with a fresh wamid, then its statuses are posted, signed, to the webhook
 * the test names, each echoing the message's `biz_opaque_callback_data` (and posted again until answered
 * 200, as Meta does). Errors, limits and slowness are
 * the fake's faults (`fake.fail('messages', …)`); holding an answer and a status before the answer are
 * scripted here.
 */
export class FakeMessages {
  static readonly ROUTE = 'messages';
  readonly accepted: AcceptedSend[] = [];
  private readonly scripts: Script[] = [];
  private readonly acceptedWaiters: (() => void)[] = [];
  private webhooks: StatusWebhooks | null = null;

  private constructor() {}

  /** Adds the route to `fake`. */
  static attach(fake: FakeGraph, webhooks: StatusWebhooks | null = null): FakeMessages {
    const messages = new FakeMessages();
    messages.webhooks = webhooks;
    fake.router.add({
      name: FakeMessages.ROUTE,
      method: 'POST',
      pattern: graphPath('/(\\d+)/messages'),
      handler: (request) => messages.take(request),
    });
    return messages;
  }

  /** Where statuses go from now on (null: none are posted). */
  postStatusesTo(webhooks: StatusWebhooks | null): void {
    this.webhooks = webhooks;
  }

  /** The next message's `sent` status is posted, and answered, `answerDelayMs` before the send is. */
  statusBeforeAnswer(answerDelayMs = 0): void {
    this.scripts.push({ statusFirst: true, answerDelayMs });
  }

  /** The next message is taken and its answer held until `release()`; `taken` resolves once it is. */
  hold(): { taken: Promise<void>; release: () => void } {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.scripts.push({ held });
    const taken = new Promise<void>((resolve) => this.acceptedWaiters.push(resolve));
    return { taken, release };
  }

  /** Messages taken for `to`, from any number. */
  sentTo(to: string): AcceptedSend[] {
    return this.accepted.filter((send) => send.to === to);
  }

  private async take(request: FakeRequest): Promise<FakeResponse> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } } };
    }
    const [phoneNumberId = ''] = request.params;
    const to = String(body.to ?? '');
    const send: AcceptedSend = {
      phoneNumberId,
      to,
      type: String(body.type ?? ''),
      body,
      wamid: newWamid(),
      callbackData: typeof body.biz_opaque_callback_data === 'string' ? body.biz_opaque_callback_data : undefined,
      at: Date.now(),
    };
    this.accepted.push(send);
    this.acceptedWaiters.shift()?.();
    const script = this.scripts.shift();
    const statuses = this.webhooks?.statuses ?? (['sent', 'delivered', 'read'] as const);
    if (script !== undefined && 'statusFirst' in script) {
      await this.post(send, 'sent');
      await new Promise((resolve) => setTimeout(resolve, script.answerDelayMs));
      setTimeout(
        () =>
          void this.postAll(
            send,
            statuses.filter((status) => status !== 'sent'),
          ),
        0,
      );
    } else {
      setTimeout(() => void this.postAll(send, statuses), 0);
    }
    if (script !== undefined && 'held' in script) await script.held;
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: send.wamid, message_status: 'accepted' }],
      },
    };
  }

  private async postAll(send: AcceptedSend, statuses: readonly StatusKind[]): Promise<void> {
    for (const status of statuses) await this.post(send, status);
  }

  private async post(send: AcceptedSend, status: StatusKind): Promise<void> {
    const webhooks = this.webhooks;
    if (webhooks === null) return;
    const update: WhatsAppStatus = {
      ...statusUpdate({ wamid: send.wamid, status, recipient: send.to }),
      ...(send.callbackData === undefined || webhooks.echoCallbackData === false
        ? {}
        : { biz_opaque_callback_data: send.callbackData }),
    };
    const hook = webhookBody([{ phoneNumberId: send.phoneNumberId, statuses: [update] }]);
    // As Meta does, a delivery not answered 200 is made again, for a while.
    for (let attempt = 0; attempt < WEBHOOK_ATTEMPTS; attempt += 1) {
      const status = await postWebhook(webhooks.url, hook, webhooks.appSecret).then(
        (answer) => answer.status,
        () => 0,
      );
      if (status === 200 || this.webhooks === null) return;
      await new Promise((resolve) => setTimeout(resolve, WEBHOOK_RETRY_MS));
    }
  }
}
