import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

type Handler = (message: Buffer) => void;
type PatternHandler = (channel: string, message: Buffer) => void;

/**
 * Pub/sub channels of every namespace on one subscriber connection. Redis keeps a subscription per
 * connection and channel, so the number of subscribers of a namespace's request channel is the number of
 * servers that have the namespace (which `serverCount` reads).
 */
export class Channels {
  readonly #handlers = new Map<string, Handler>();
  readonly #patterns = new Map<string, PatternHandler>();

  constructor(
    private readonly subscriber: Redis,
    private readonly log: Logger,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      this.#handlers.get(channel.toString())?.(message);
    });
    subscriber.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => {
      this.#patterns.get(pattern.toString())?.(channel.toString(), message);
    });
  }

  subscribe(channel: string, handler: Handler): void {
    this.#handlers.set(channel, handler);
    this.subscriber.subscribe(channel).catch((err: Error) => this.log.warn({ err, channel }, 'subscribe failed'));
  }

  psubscribe(pattern: string, handler: PatternHandler): void {
    this.#patterns.set(pattern, handler);
    this.subscriber.psubscribe(pattern).catch((err: Error) => this.log.warn({ err, pattern }, 'subscribe failed'));
  }

  unsubscribe(...channels: string[]): void {
    for (const channel of channels) this.#handlers.delete(channel);
    if (this.subscriber.status === 'ready') void this.subscriber.unsubscribe(...channels).catch(() => {});
  }

  punsubscribe(pattern: string): void {
    this.#patterns.delete(pattern);
    if (this.subscriber.status === 'ready') void this.subscriber.punsubscribe(pattern).catch(() => {});
  }
}
