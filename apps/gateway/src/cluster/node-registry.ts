import { randomBytes } from 'node:crypto';
import { redisKeys } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Redis } from 'ioredis';

/** Node ids are this long; every Engine.IO session id of a node starts with its id. */
export const NODE_ID_LENGTH = 8;
const ALIVE_MS = 15_000;
const REFRESH_MS = 5000;
const CACHE_MS = 5000;

/**
 * Where each gateway can be reached by the others (its internal URL), by node id, in Redis. An entry
 * lives as long as its node keeps refreshing it, so a killed node drops out by itself.
 */
export class NodeRegistry {
  readonly nodeId = randomBytes(NODE_ID_LENGTH).toString('base64url').slice(0, NODE_ID_LENGTH);
  readonly #keys: ReturnType<typeof redisKeys>;
  readonly #cache = new Map<string, { url: string | null; at: number }>();
  #timer: NodeJS.Timeout | undefined;
  #url: string | undefined;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly log: Log,
  ) {
    this.#keys = redisKeys(keyPrefix);
  }

  /** Announces this node at `url` and keeps announcing it. */
  start(url: string): void {
    this.#url = url;
    const announce = () =>
      this.redis
        .set(this.#keys.node(this.nodeId), url, 'PX', ALIVE_MS)
        .catch((err: Error) => this.log.debug({ err }, 'node not announced; retrying'));
    void announce();
    this.#timer = setInterval(announce, REFRESH_MS);
    this.log.info({ nodeId: this.nodeId, url }, 'node registered');
  }

  /** The internal URL of `nodeId`, or null when no live node has that id. */
  async urlOf(nodeId: string): Promise<string | null> {
    if (nodeId === this.nodeId) return this.#url ?? null;
    const cached = this.#cache.get(nodeId);
    if (cached !== undefined && Date.now() - cached.at < CACHE_MS) return cached.url;
    const url = await this.redis.get(this.#keys.node(nodeId)).catch(() => null);
    this.#cache.set(nodeId, { url, at: Date.now() });
    return url;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.redis.del(this.#keys.node(this.nodeId)).catch(() => undefined);
  }
}
