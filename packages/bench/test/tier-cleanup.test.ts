import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetPrefix } from '../src/tier.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
afterAll(() => redis.disconnect());

describe('a tier the bench stops', () => {
  it('leaves nothing of its own in the shared Redis, and everything of others', async () => {
    const mine = `bench_${randomUUID().slice(0, 8)}`;
    const other = `${mine}x`;
    const keys = Array.from({ length: 2500 }, (_, i) => `${mine}:k${i}`);
    await redis.mset(...keys.flatMap((key) => [key, '1']), `${other}:kept`, '1', mine, 'not under the prefix');
    await forgetPrefix(url, mine);
    expect(await redis.exists(...keys)).toBe(0);
    expect(await redis.exists(`${other}:kept`, mine)).toBe(2);
    await redis.del(`${other}:kept`, mine);
  });
});
