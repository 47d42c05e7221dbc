import { randomBytes } from 'node:crypto';
import { redisKeys } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { InternalNetwork } from './internal-network.js';

/** Node ids are this long; every Engine.IO session id of a node starts with its id. */
const NODE_ID_LENGTH = 8;
/** A session id: its owner's id, then 20 random characters (15 bytes, as Engine.IO's own ids). */
const SESSION_ID = /^[A-Za-z0-9_-]{28}$/;
const ALIVE_MS = 15_000;
const REFRESH_MS = 5000;
const KNOWN_MS = 5000;
// Short, so a node is found soon after it registers; long enough that a flood of one id costs one GET.
const UNKNOWN_MS = 1000;
// Far more nodes than a deployment has: the bound only stops made-up ids from filling the heap.
const CACHE_ENTRIES = 1000;

/** What Redis says of a node id: the origin it can be reached at, none (a made-up id, a dead node), or a URL refused. */
type Lookup = { origin: string } | { origin: null } | { refused: string };

/**
 * Where each gateway can be reached by the others (its internal URL), by node id, in Redis. An entry
 * lives as long as its node keeps refreshing it, so a killed node drops out by itself.
 */
export class NodeRegistry {
  readonly nodeId = randomBytes(NODE_ID_LENGTH).toString('base64url').slice(0, NODE_ID_LENGTH);
  readonly #keys: ReturnType<typeof redisKeys>;
  // Anyone can send a request with any sid: what is remembered of ids is bounded in number and time.
  readonly #cache: LRUCache<string, Lookup>;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly network: InternalNetwork,
    private readonly log: Log,
  ) {
    this.#keys = redisKeys(keyPrefix);
    this.#cache = new LRUCache<string, Lookup>({
      max: CACHE_ENTRIES,
      ttl: KNOWN_MS,
      // A lookup pushed out by a flood of others still answers its callers (it would reject otherwise).
      ignoreFetchAbort: true,
      // Requests for one session arriving together cost one GET.
      fetchMethod: async (nodeId, _stale, { options }) => {
        const url = await this.redis.get(this.#keys.node(nodeId)).catch(() => null);
        if (url === null) {
          options.ttl = UNKNOWN_MS;
          return { origin: null };
        }
        const checked = this.network.originOf(url);
        // Said once per entry: Redis holds what no gateway of ours announces (see README, What is trusted).
        if ('refused' in checked)
          this.log.warn({ nodeId, url, reason: checked.refused }, 'refused to forward to a registered URL');
        return checked;
      },
    });
  }

  /** A new Engine.IO session id, owned by this node. */
  newSessionId(): string {
    return this.nodeId + randomBytes(15).toString('base64url');
  }

  /** The id of the node that owns session `sid`, or null when `sid` is no session id this tier makes. */
  ownerOf(sid: string): string | null {
    return SESSION_ID.test(sid) ? sid.slice(0, NODE_ID_LENGTH) : null;
  }

  /** Announces this node at `url` and keeps announcing it. */
  start(url: string): void {
    const announce = () =>
      this.redis
        .set(this.#keys.node(this.nodeId), url, 'PX', ALIVE_MS)
        .catch((err: Error) => this.log.debug({ err }, 'node not announced; retrying'));
    void announce();
    this.#timer = setInterval(announce, REFRESH_MS);
    this.log.info({ nodeId: this.nodeId, url }, 'node registered');
  }

  /**
   * The origin requests for `nodeId` may be forwarded to, or null when no live node has that id; rejects
   * when the URL registered for it may not be used.
   */
  async originOf(nodeId: string): Promise<string | null> {
    const found = await this.#cache.fetch(nodeId);
    if (found !== undefined && 'refused' in found) throw new Error(`node ${nodeId}: ${found.refused}`);
    return found?.origin ?? null;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.redis.del(this.#keys.node(this.nodeId)).catch(() => undefined);
  }
}
