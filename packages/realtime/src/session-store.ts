import type { Redis, Result } from 'ioredis';
import type { Session } from 'socket.io-adapter';
import type { RealtimeKeys } from './keys.js';
import type { Logger } from './logger.js';

export type SessionRecord = Omit<Session, 'missedPackets'>;
/** What a session is made of, read off a live socket. */
export type SessionSocket = { pid?: string; rooms: Set<string>; data: unknown };

declare module 'ioredis' {
  interface RedisCommander<Context> {
    realtimeSessionWrite(
      key: string,
      former: string,
      owner: string,
      session: string,
      ttlMs: number,
      formerTtlMs: number,
    ): Result<number, Context>;
    realtimeSessionTake(key: string, owner: string, ttlMs: number): Result<string | null, Context>;
  }
}

// A session is a hash of its owner (the adapter whose socket it is) and the session itself. Only its owner
// writes or deletes it (an empty session deletes), so a server that learns late that a connection dropped
// cannot overwrite what the client, recovered elsewhere since, now has there. Its former copy (KEYS[2]) is
// written with it, when kept at all.
const WRITE = `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and owner ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1], KEYS[2]) return 1 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'session', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '0' then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4]) end
return 1`;

// Recovering a session makes its recoverer the owner, in the same step.
const TAKE = `
local session = redis.call('HGET', KEYS[1], 'session')
if not session then return false end
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return session`;

export interface SessionStoreOptions {
  redis: Redis;
  /** Who writes here: the adapter's id, unique to one namespace of one server. */
  owner: string;
  keys: RealtimeKeys;
  recoveryWindowMs: number;
  /** How long past the recovery window a session's rooms and data stay for `takeFormer`; 0: not kept. */
  formerSessionMs: number;
  log: Logger;
  /** The socket of this node with that id, connected or still connecting. */
  socketOf: (sid: string) => SessionSocket | undefined;
}

/**
 * The sessions of this node's sockets, in Redis, where any node can recover them. They are written as they
 * change, not only at a clean disconnect, so a socket whose node was killed comes back too; a burst of
 * changes (a new socket joins its own room and `dashboard`) is one write. They last the recovery window and
 * are extended while their socket is connected, a share at each tick rather than all at once, so no tick
 * stalls a node with many sockets. Redis without persistence forgets them when it restarts: they are
 * written again when it is back.
 */
export class SessionStore {
  readonly #opts: SessionStoreOptions;
  readonly #dirty = new Set<string>();
  /** Session id of each socket here whose session was written. */
  readonly #pids = new Map<string, string>();
  /** Sockets whose connection dropped: their session stays for them to come back to. */
  readonly #persisted = new Set<string>();
  #flushScheduled = false;
  readonly #refresh: NodeJS.Timeout;
  /** Where the last extension stopped, in the sockets here. */
  #extending: Iterator<string> | undefined;

  constructor(options: SessionStoreOptions) {
    this.#opts = options;
    if (typeof (options.redis as { realtimeSessionWrite?: unknown }).realtimeSessionWrite !== 'function') {
      options.redis.defineCommand('realtimeSessionWrite', { numberOfKeys: 2, lua: WRITE });
      options.redis.defineCommand('realtimeSessionTake', { numberOfKeys: 1, lua: TAKE });
    }
    options.redis.on('ready', () => {
      for (const sid of this.#pids.keys()) this.changed(sid);
    });
    const third = options.recoveryWindowMs / 3;
    const tick = Math.min(1000, third);
    this.#refresh = setInterval(() => this.#extend(Math.ceil((this.#pids.size * tick) / third)), tick);
  }

  /** The socket's rooms changed: its session is written again. */
  changed(sid: string): void {
    this.#dirty.add(sid);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  /** The socket's connection dropped: Socket.IO hands over its session to keep for its return. */
  persist(session: SessionRecord): void {
    this.#persisted.add(session.sid);
    this.#write([session]);
  }

  /** The socket is gone from this node. Unless its connection dropped, it has no session to come back to. */
  left(sid: string): void {
    this.#dirty.delete(sid);
    const pid = this.#pids.get(sid);
    this.#pids.delete(sid);
    if (!this.#persisted.delete(sid) && pid !== undefined) {
      const { redis, keys, owner } = this.#opts;
      void redis.realtimeSessionWrite(keys.session(pid), keys.former(pid), owner, '', 0, 0).catch(() => {});
    }
  }

  /** The session `pid`, which is this store's from now on, or null. */
  async take(pid: string): Promise<SessionRecord | null> {
    const { redis, keys, owner, recoveryWindowMs } = this.#opts;
    const raw = await redis.realtimeSessionTake(keys.session(pid), owner, recoveryWindowMs);
    return raw === null ? null : (JSON.parse(raw) as SessionRecord);
  }

  /**
   * The rooms and data session `pid` had, once only, for a new connection of the client that had it: kept
   * past the recovery window, they tell where it was, though no longer what it missed. Null when not kept.
   */
  async takeFormer(pid: string): Promise<SessionRecord | null> {
    if (this.#opts.formerSessionMs === 0) return null;
    const raw = await this.#opts.redis.getdel(this.#opts.keys.former(pid));
    return raw === null ? null : (JSON.parse(raw) as SessionRecord);
  }

  close(): void {
    clearInterval(this.#refresh);
  }

  #flush(): void {
    this.#flushScheduled = false;
    const sessions: SessionRecord[] = [];
    for (const sid of this.#dirty) {
      const socket = this.#opts.socketOf(sid);
      if (socket?.pid === undefined) continue;
      this.#pids.set(sid, socket.pid);
      sessions.push({ sid, pid: socket.pid, rooms: [...socket.rooms], data: socket.data });
    }
    this.#dirty.clear();
    this.#write(sessions);
  }

  #write(sessions: readonly SessionRecord[]): void {
    if (sessions.length === 0) return;
    const { redis, keys, owner, recoveryWindowMs } = this.#opts;
    const formerTtl = this.#formerTtl();
    const pipeline = redis.pipeline();
    for (const session of sessions) {
      const { pid } = session;
      const json = JSON.stringify(session);
      pipeline.realtimeSessionWrite(keys.session(pid), keys.former(pid), owner, json, recoveryWindowMs, formerTtl);
    }
    pipeline
      .exec()
      .catch((err: Error) => this.#opts.log.debug({ err }, 'sessions not written; written again on reconnect'));
  }

  #formerTtl(): number {
    const { formerSessionMs, recoveryWindowMs } = this.#opts;
    return formerSessionMs === 0 ? 0 : recoveryWindowMs + formerSessionMs;
  }

  /** Extends the next `count` sessions, going round the sockets here. */
  #extend(count: number): void {
    if (count === 0) return;
    const pipeline = this.#opts.redis.pipeline();
    for (let i = 0; i < count; i++) {
      let next = this.#extending?.next();
      if (next === undefined || next.done === true) {
        this.#extending = this.#pids.values();
        next = this.#extending.next();
        if (next.done === true) break;
      }
      pipeline.pexpire(this.#opts.keys.session(next.value), this.#opts.recoveryWindowMs);
      if (this.#opts.formerSessionMs > 0) pipeline.pexpire(this.#opts.keys.former(next.value), this.#formerTtl());
    }
    pipeline
      .exec()
      .catch((err: Error) => this.#opts.log.debug({ err }, 'sessions not extended; written again on reconnect'));
  }
}
