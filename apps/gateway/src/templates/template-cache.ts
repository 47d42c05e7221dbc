import type { CachedTemplates, MessageTemplate } from '@care-chat/contract';
import type { Log } from '@care-chat/runtime';
import type { Redis } from 'ioredis';
import { HttpFailure } from '../errors.js';

/** The templates of one account as served: when Graph gave them, and why they are old if they are. */
export interface TemplateListing extends CachedTemplates {
  /** Why the list is older than TEMPLATES_CACHE_S (Graph failed to give a new one), or null. */
  stale: string | null;
}

export interface TemplateCacheOptions {
  /** How long a list is served without asking Graph again. */
  freshMs: number;
  /** How long a list is kept, for when Graph fails. */
  keptMs: number;
}

const isCached = (value: unknown): value is CachedTemplates => {
  const cached = value as Partial<CachedTemplates> | null;
  return typeof cached?.fetched_at === 'string' && Array.isArray(cached.templates);
};

/**
 * Each account's approved templates, shared by every gateway through Redis: a list younger than `freshMs`
 * is served as it is; an older one is fetched again (once at a time per account on a gateway); when Graph
 * fails, the list kept is served and said to be stale, and with none kept the failure is the answer.
 * Redis away reads as nothing kept: templates then come from Graph each time.
 */
export class TemplateCache {
  private readonly fetching = new Map<string, Promise<CachedTemplates>>();

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (accountId: string) => string,
    private readonly fetch: (accountId: string) => Promise<MessageTemplate[]>,
    private readonly options: TemplateCacheOptions,
    private readonly log: Log,
  ) {}

  async list(accountId: string): Promise<TemplateListing> {
    const kept = await this.read(accountId);
    if (kept !== undefined && Date.now() - Date.parse(kept.fetched_at) < this.options.freshMs) {
      return { ...kept, stale: null };
    }
    try {
      return { ...(await this.refresh(accountId)), stale: null };
    } catch (err) {
      if (!(err instanceof HttpFailure) || kept === undefined) throw err;
      this.log.warn({ accountId, error: err.error, fetchedAt: kept.fetched_at }, 'templates served stale');
      return { ...kept, stale: err.message };
    }
  }

  private refresh(accountId: string): Promise<CachedTemplates> {
    const running = this.fetching.get(accountId);
    if (running !== undefined) return running;
    const fetched = (async () => {
      const fresh: CachedTemplates = { fetched_at: new Date().toISOString(), templates: await this.fetch(accountId) };
      if (!this.reachable) return fresh;
      await this.redis
        .set(this.keyOf(accountId), JSON.stringify(fresh), 'PX', this.options.keptMs)
        .catch((err: unknown) => this.log.warn({ err, accountId }, 'templates not cached'));
      return fresh;
    })().finally(() => this.fetching.delete(accountId));
    this.fetching.set(accountId, fetched);
    return fetched;
  }

  /** A command to a Redis out of reach waits for it to come back; the executive should not. */
  private get reachable(): boolean {
    return this.redis.status === 'ready';
  }

  private async read(accountId: string): Promise<CachedTemplates | undefined> {
    if (!this.reachable) return undefined;
    try {
      const text = await this.redis.get(this.keyOf(accountId));
      const value: unknown = text === null ? undefined : JSON.parse(text);
      return isCached(value) ? value : undefined;
    } catch (err) {
      this.log.warn({ err, accountId }, 'cached templates not read');
      return undefined;
    }
  }
}
