import { redisKeys } from '@care-chat/contract';
import { type Pace, SlotSchedule } from '@care-chat/runtime';
import type { Redis } from 'ioredis';

/**
 * The send schedules shared by every worker: one per business number (its throughput) and one per
 * customer on it (the pair rate). Each reservation is a slot of its own, to be used at its time.
 */
export class ReplyPacer {
  private readonly schedule: SlotSchedule;
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly paces: { numberPace: Pace; pairPace: Pace },
  ) {
    this.schedule = new SlotSchedule(redis);
    this.keys = redisKeys(keyPrefix);
  }

  /** Milliseconds until the number's next free slot, now reserved. */
  number(phoneNumberId: string): Promise<number> {
    return this.schedule.reserve(this.keys.sendPace(`number:${phoneNumberId}`), this.paces.numberPace);
  }

  /** Milliseconds until the customer's next free slot on the number, now reserved. */
  pair(phoneNumberId: string, customer: string): Promise<number> {
    return this.schedule.reserve(this.keys.sendPace(`pair:${phoneNumberId}:${customer}`), this.paces.pairPace);
  }
}
