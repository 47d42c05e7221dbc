import {
  type ClientEventName,
  type ClientRequests,
  type ClientResponse,
  clientValidators,
  responseEvent,
  type Validated,
} from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type pg from 'pg';
import { SocketErrorMessage } from '../errors.js';
import type { TokenBucket } from '../limits/token-bucket.js';
import type { StatsCache } from '../stats/stats-cache.js';
import type { GatewayServer, GatewaySocket } from './types.js';

export interface HandlerContext {
  socket: GatewaySocket;
  log: Log;
  /** What handlers read and broadcast through. */
  db: pg.Pool;
  io: GatewayServer;
  stats: StatsCache;
  /** This socket's allowance of events. */
  rate: TokenBucket;
}

export type EventHandler<E extends ClientEventName> = (
  data: ClientRequests[E],
  context: HandlerContext,
) => ClientResponse<E> | Promise<ClientResponse<E>>;

/** A handler for every client event: one missing is a compile error, and a client event is never ignored. */
export type HandlerTable = { [E in ClientEventName]: EventHandler<E> };

type Emit = (event: string, response: unknown) => boolean;

/**
 * Answers a socket's events from `handlers`, the same table for every socket (one listener per socket,
 * not one per event: sockets are many). Data is validated by the contract before a handler sees it; the
 * answer goes back as `<event>_response` and through the ack when there is one. Nothing a client sends
 * can make this throw or disconnect the socket.
 */
export function answerEvents(context: HandlerContext, handlers: HandlerTable): void {
  const reply = context.socket.emit.bind(context.socket) as Emit;
  context.socket.onAny((event: string, ...args: unknown[]) => {
    // Own keys only: an event named `__proto__` or `toString` is no handler.
    if (!Object.hasOwn(handlers, event)) return;
    void answerOne(context, event as ClientEventName, handlers, args, reply);
  });
}

async function answerOne<E extends ClientEventName>(
  context: HandlerContext,
  event: E,
  handlers: HandlerTable,
  args: unknown[],
  reply: Emit,
): Promise<void> {
  // Socket.IO passes the ack as the last argument, so `emit(event, ack)` puts it where data would be.
  const ack = typeof args.at(-1) === 'function' ? (args.pop() as (response: unknown) => void) : undefined;
  const response = context.rate.take()
    ? await run(context, event, handlers[event] as EventHandler<E>, clientValidators[event](args[0]))
    : ({ status: 0, message: SocketErrorMessage.tooManyEvents } as const);
  reply(responseEvent(event), response);
  ack?.(response);
}

async function run<E extends ClientEventName>(
  context: HandlerContext,
  event: E,
  handler: EventHandler<E>,
  checked: Validated<ClientRequests[E]>,
): Promise<ClientResponse<E>> {
  if (!checked.ok) return { status: 0, message: checked.message };
  try {
    return await handler(checked.value, context);
  } catch (err) {
    context.log.error({ err, event }, 'socket handler failed');
    return { status: 0, message: SocketErrorMessage.Internal };
  }
}
