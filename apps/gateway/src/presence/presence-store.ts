import { type ExecutiveStatus, type OnlineExecutive, redisKeys } from '@care-chat/contract';
import type { Redis } from 'ioredis';

// Times are Redis's (TIME), so gateways with skewed clocks agree on leases and grace periods.
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: chosen, online, away, nodes, this node's sockets. ARGV: node id, executive id, executive (JSON), lease ms.
// 1 when the executive, who chose to be online, is online again with this socket. The executive's name and
// types are the newest token's.
const CONNECT = `${NOW}
redis.call('HINCRBY', KEYS[5], ARGV[2], 1)
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[2])
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3]) == 1 then return 1 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 0`;

// KEYS: this node's sockets. ARGV: executive id.
const DISCONNECT = `if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end`;

// KEYS: chosen, online, away. ARGV: executive id, ONLINE or OFFLINE, executive (JSON). 1 when that changed it.
const CHOOSE = `redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[2] == 'ONLINE' then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
end
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HDEL', KEYS[2], ARGV[1])`;

// KEYS: nodes, this node's sockets. ARGV: node id, lease ms, then executive id and socket count pairs: the
// node's sockets as it counts them, written whole, so that what Redis lost (or a race left) is put right.
const HEARTBEAT = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('DEL', KEYS[2])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end`;

// KEYS: online, away, nodes. ARGV: the prefix of the nodes' socket keys, grace ms. Forgets nodes whose lease
// ran out, then takes offline the executives who have had no socket on any live node for the grace period;
// returns them (JSON). Atomic: of gateways sweeping together, one finds each executive gone.
const SWEEP = `${NOW}
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('DEL', ARGV[1] .. node)
  redis.call('ZREM', KEYS[3], node)
end
local live = redis.call('ZRANGE', KEYS[3], 0, -1)
local online = redis.call('HGETALL', KEYS[1])
local gone = {}
for i = 1, #online, 2 do
  local id = online[i]
  local here = false
  for _, node in ipairs(live) do
    if redis.call('HEXISTS', ARGV[1] .. node, id) == 1 then here = true break end
  end
  if here then
    redis.call('HDEL', KEYS[2], id)
  else
    local since = redis.call('HGET', KEYS[2], id)
    if not since then
      redis.call('HSET', KEYS[2], id, now)
    elseif now - tonumber(since) >= tonumber(ARGV[2]) then
      redis.call('HDEL', KEYS[1], id)
      redis.call('HDEL', KEYS[2], id)
      table.insert(gone, online[i + 1])
    end
  end
end
return gone`;

// KEYS: nodes, this node's sockets. ARGV: node id.
const LEAVE = `redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('DEL', KEYS[2])`;

interface PresenceCommands {
  presenceConnect(...args: string[]): Promise<number>;
  presenceDisconnect(...args: string[]): Promise<unknown>;
  presenceChoose(...args: string[]): Promise<number>;
  presenceHeartbeat(...args: string[]): Promise<unknown>;
  presenceSweep(...args: string[]): Promise<string[]>;
  presenceLeave(...args: string[]): Promise<unknown>;
}

const parse = (json: string) => JSON.parse(json) as OnlineExecutive;

/**
 * Who is online, in Redis, for every gateway and worker: an executive is online while they chose to be
 * and have a socket on a live gateway (or lost the last one less than the grace period ago). Each gateway
 * holds a lease it renews; the sockets of a gateway whose lease ran out (killed) count no more.
 */
export class PresenceStore {
  readonly #redis: Redis & PresenceCommands;
  readonly #keys: ReturnType<typeof redisKeys>['presence'];

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly nodeId: string,
  ) {
    this.#keys = redisKeys(keyPrefix).presence;
    const commands: [keyof PresenceCommands, number, string][] = [
      ['presenceConnect', 5, CONNECT],
      ['presenceDisconnect', 1, DISCONNECT],
      ['presenceChoose', 3, CHOOSE],
      ['presenceHeartbeat', 2, HEARTBEAT],
      ['presenceSweep', 3, SWEEP],
      ['presenceLeave', 2, LEAVE],
    ];
    for (const [name, numberOfKeys, lua] of commands) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    }
    this.#redis = redis as Redis & PresenceCommands;
  }

  get #sockets() {
    return this.#keys.nodeSockets + this.nodeId;
  }

  /** A socket of `executive` on this node; true when that brought them back online. */
  async connect(executive: OnlineExecutive, leaseMs: number): Promise<boolean> {
    const { chosen, online, away, nodes } = this.#keys;
    const id = executive.executive_id;
    const json = JSON.stringify(executive);
    const back = await this.#redis.presenceConnect(
      chosen,
      online,
      away,
      nodes,
      this.#sockets,
      this.nodeId,
      id,
      json,
      String(leaseMs),
    );
    return back === 1;
  }

  async disconnect(executiveId: string): Promise<void> {
    await this.#redis.presenceDisconnect(this.#sockets, executiveId);
  }

  /** The executive's own choice; true when it changed whether they are online. */
  async choose(executive: OnlineExecutive, status: ExecutiveStatus): Promise<boolean> {
    const { chosen, online, away } = this.#keys;
    const changed = await this.#redis.presenceChoose(
      chosen,
      online,
      away,
      executive.executive_id,
      status,
      JSON.stringify(executive),
    );
    return changed === 1;
  }

  /** Renews this node's lease, with its sockets' count per executive. */
  async heartbeat(leaseMs: number, sockets: ReadonlyMap<string, number>): Promise<void> {
    const counts = [...sockets].flatMap(([id, count]) => [id, String(count)]);
    await this.#redis.presenceHeartbeat(this.#keys.nodes, this.#sockets, this.nodeId, String(leaseMs), ...counts);
  }

  /** The executives this sweep took offline. */
  async sweep(graceMs: number): Promise<OnlineExecutive[]> {
    const { online, away, nodes, nodeSockets } = this.#keys;
    const gone = await this.#redis.presenceSweep(online, away, nodes, nodeSockets, String(graceMs));
    return gone.map(parse);
  }

  async online(): Promise<OnlineExecutive[]> {
    return Object.values(await this.#redis.hgetall(this.#keys.online)).map(parse);
  }

  /** This node's sockets count no more (it is closing). */
  async leave(): Promise<void> {
    await this.#redis.presenceLeave(this.#keys.nodes, this.#sockets, this.nodeId);
  }
}
