import { LIMITS } from '@care-chat/contract';

/** A small seeded generator (mulberry32): a failing campaign can be run again exactly. */
export class Random {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

// Names the validators and handlers look for, and names that must never reach a prototype.
const KEYS = [
  'room',
  'chat_id',
  'customer',
  'sender',
  'type',
  'customer_type',
  'status',
  'page',
  'page_size',
  'search',
  'tag',
  'action',
  'message',
  'content',
  'executive_id',
  'object',
  'entry',
  'changes',
  'value',
  'messages',
  'statuses',
  'metadata',
  'phone_number_id',
  'id',
  'from',
  'timestamp',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '',
];
const WORDS = [
  'PartnerApp',
  'CustomerApp',
  'dashboard',
  'chat_1',
  'Partner',
  'SRDP',
  'active',
  'resolved',
  'add',
  '1',
  '-1',
  '0',
];

function randomString(random: Random): string {
  switch (random.int(6)) {
    case 0:
      return random.pick(WORDS);
    case 1:
      return random.pick(KEYS);
    case 2:
      return 'x'.repeat(random.pick([0, 1, LIMITS.id, LIMITS.id + 1, LIMITS.message + 1, 100_000]));
    case 3:
      return String.fromCharCode(...Array.from({ length: random.int(40) }, () => random.int(0x2fff)));
    case 4:
      return `${random.int(1e12)}`;
    default:
      return (
        ['\u0000', '\ud800', '%00', '../../etc/passwd', '<script>', "' OR 1=1 --", '{"a":1}', '🚕'][random.int(8)] ?? ''
      );
  }
}

/** A random JSON-like value, `depth` levels deep at most: the shapes clients and webhooks may send. */
export function randomValue(random: Random, depth = 4): unknown {
  const leaf = depth <= 0 || random.next() < 0.4;
  switch (leaf ? random.int(5) : 5 + random.int(2)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.pick([0, -1, 1, 1.5, 2 ** 53, -(2 ** 63), Number.MAX_VALUE, 1e-300, random.int(1000)]);
    case 3:
    case 4:
      return randomString(random);
    case 5:
      return Array.from({ length: random.int(6) }, () => randomValue(random, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      const count = random.next() < 0.05 ? LIMITS.fields + 5 : random.int(6);
      for (let i = 0; i < count; i++) {
        // defineProperty, so `__proto__` becomes an own key as JSON.parse makes it, not a prototype.
        Object.defineProperty(object, random.next() < 0.8 ? random.pick(KEYS) : randomString(random), {
          value: randomValue(random, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}
