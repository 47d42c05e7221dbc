import {
  type ClientEventName,
  type ClientRequests,
  type ClientResponse,
  clientValidators,
  responseEvent,
  type Validated,
} from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { MediaUrl } from '@care-chat/store';
import type pg from 'pg';
import { SocketErrorMessage } from '../errors.js';
import type { TokenBucket } from '../limits/token-bucket.js';
import type { WorkQueue } from '../limits/work-queue.js';
import type { EventOutcome } from '../metrics/gateway-metrics.js';
import type { Presence } from '../presence/presence.js';
import type { ReplyServices } from '../replies/send-reply.js';
import type { StatsCache } from '../stats/stats-cache.js';
import type { GatewayServer, GatewaySocket } from './types.js';

export interface HandlerContext {
  socket: GatewaySocket;
  log: Log;
  /** What handlers read and broadcast through. */
  db: pg.Pool;
  io: GatewayServer;
  stats: StatsCache;
  /** Tells the workers the chat counts changed, so every dashboard gets fresh `dashboard_stats`. */
  statsChanged: () => Promise<void>;
  /** Links for the media of the messages handlers answer with. */
  mediaUrl: MediaUrl;
  /** What executives' replies go through. */
  replies: ReplyServices;
  /** Who is online, on every gateway. */
  presence: Presence;
  /** This socket's allowance of events. */
  rate: TokenBucket;
  /** This socket's share of the work in progress. */
  work: WorkQueue;
  /** Counts each event's outcome, and how long its answer took. */
  observeEvent: (event: string, outcome: EventOutcome, seconds?: number) => void;
}

export type EventHandler<E extends ClientEventName> = (
  data: ClientRequests[E],
  context: HandlerContext,
) => ClientResponse<E> | Promise<ClientResponse<E>>;

/** A handler for every client event: one missing is a compile error, and a client event is never ignored. */
export type HandlerTable = { [E in ClientEventName]: EventHandler<E> };

type Emit = (event: string, response: unknown) => boolean;
type Ack = (response: unknown) => void;

const TOO_MANY_EVENTS = Object.freeze({ status: 0, message: SocketErrorMessage.tooManyEvents } as const);
const BUSY = Object.freeze({ status: 0, message: SocketErrorMessage.busy } as const);

/**
 * Answers a socket's events from `handlers`, the same table for every socket (one listener per socket,
 * not one per event: sockets are many). An event past the socket's allowance, or past its share of the
 * work in progress, is refused at once, before its data is looked at; the others are validated by the
 * contract before a handler sees them. The answer goes back as `<event>_response` and through the ack
 * when there is one. Nothing a client sends can make this throw or disconnect the socket.
 */
export function answerEvents(context: HandlerContext, handlers: HandlerTable): void {
  const reply = context.socket.emit.bind(context.socket) as Emit;
  // With connection state recovery every emit is a broadcast to the socket's room, an entry in the stream
  // every gateway reads, so that a client cut off gets it on its return. A refusal is not worth keeping:
  // it goes to this connection only, and a flood of them costs this node alone.
  const only = context.io.local.to(context.socket.id);
  const refuse = only.emit.bind(only) as Emit;
  context.socket.onAny((event: string, ...args: unknown[]) => {
    // Own keys only: an event named `__proto__` or `toString` is no handler.
    if (!Object.hasOwn(handlers, event)) return;
    // Socket.IO passes the ack as the last argument, so `emit(event, ack)` puts it where data would be.
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const name = event as ClientEventName;
    if (!context.rate.take()) {
      context.observeEvent(name, 'rate_limited');
      return send(refuse, name, ack, TOO_MANY_EVENTS);
    }
    const started = performance.now();
    const admitted = context.work.offer(async () => {
      const handler = handlers[name] as EventHandler<typeof name>;
      const { response, outcome } = await run(context, name, handler, clientValidators[name](args[0]));
      send(reply, name, ack, response);
      context.observeEvent(name, outcome, (performance.now() - started) / 1000);
    });
    if (!admitted) {
      context.observeEvent(name, 'busy');
      send(refuse, name, ack, BUSY);
    }
  });
}

function send(reply: Emit, event: ClientEventName, ack: Ack | undefined, response: unknown): void {
  reply(responseEvent(event), response);
  ack?.(response);
}

async function run<E extends ClientEventName>(
  context: HandlerContext,
  event: E,
  handler: EventHandler<E>,
  checked: Validated<ClientRequests[E]>,
): Promise<{ response: ClientResponse<E>; outcome: EventOutcome }> {
  if (!checked.ok) return { response: { status: 0, message: checked.message }, outcome: 'refused' };
  try {
    const response = await handler(checked.value, context);
    return { response, outcome: response.status === 1 ? 'ok' : 'refused' };
  } catch (err) {
    context.log.error({ err, event }, 'socket handler failed');
    return { response: { status: 0, message: SocketErrorMessage.Internal }, outcome: 'error' };
  }
}
