import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserveSlot(key: string, intervalUs: number, burst: number): Result<string, Context>;
  }
}

// GCRA as a schedule rather than a gate, on Redis's clock so every process agrees: the key holds the moment
// the allowance is whole again ("theoretical arrival time"). Each call is given the first moment it fits in
// (now, while the burst lasts) and moves that moment one interval on, so callers that wait for their own
// moment go out evenly spaced, never in a clump. Microseconds: 80 a second is 12.5 ms apart. The key expires
// once the allowance is whole again. Answers the wait, in microseconds, as text (a Lua number past 2^31
// would come back cut).
const RESERVE = `
local clock = redis.call('TIME')
local now = clock[1] * 1000000 + clock[2]
local interval = tonumber(ARGV[1])
local room = interval * (tonumber(ARGV[2]) - 1)
local whole = tonumber(redis.call('GET', KEYS[1]) or now)
if whole < now then whole = now end
local at = whole - room
if at < now then at = now end
whole = whole + interval
redis.call('SET', KEYS[1], string.format('%.0f', whole), 'PX', math.ceil((whole - now) / 1000) + 1)
return string.format('%.0f', at - now)`;

/** `burst` at once, then one every `intervalMs`. */
export interface Pace {
  intervalMs: number;
  burst: number;
}

/**
 * Slots on shared schedules kept in Redis: whoever reserves one is told how long to wait for it, and it
 * is theirs alone, so waiting callers on any number of processes keep to the pace together.
 */
export class SlotSchedule {
  constructor(private readonly redis: Redis) {
    if (typeof redis.reserveSlot !== 'function') redis.defineCommand('reserveSlot', { numberOfKeys: 1, lua: RESERVE });
  }

  /** Reserves the next free slot of the schedule at `key`; resolves with the milliseconds until it. */
  async reserve(key: string, pace: Pace): Promise<number> {
    const waitUs = await this.redis.reserveSlot(key, Math.round(pace.intervalMs * 1000), pace.burst);
    return Number(waitUs) / 1000;
  }
}
